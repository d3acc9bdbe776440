/* cg.c - cg new|set|get|add|stat|rm|ls: control groups by hand.
 *
 * Every name is a cgroup under nslab/ (see kernel/cgroup.h); a box made with
 * --memory/--pids/--cpu/--cgroup is also reachable by the box's name. Files
 * are named the cgroup v2 way on every host; on v1 the kernel layer maps them
 * and the output says which v1 file was used. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../box/box.h"
#include "../kernel/cgroup.h"
#include "../kernel/cleanup.h"
#include "../kernel/procfs.h"
#include "../kernel/ptree.h"
#include "cmd.h"

static const struct cmd_entry cg_cmd;

/* NAME -> the cgroup's name under nslab/. A box with a cgroup of its own
 * answers to its box name. Returns false (after printing) when NAME is neither. */
static bool resolve(struct nslab *ctx, const char *word, char *buf, size_t len, struct box **ret_box)
{
	struct box *b = box_find(ctx, word);
	if (ret_box)
		*ret_box = NULL;
	if (b && b->plan.cgroup[0]) {
		snprintf(buf, len, "%s", b->plan.cgroup);
		if (ret_box)
			*ret_box = b;
		return true;
	}
	if (!valid_name(word)) {
		out_usage(ctx, &cg_cmd, _("'%s' is not a cgroup name: use 1-32 letters, digits, '_', "
					  "'-' or '.'"),
			  word);
		return false;
	}
	if (b && !cg_exists(cg_host(), word)) {
		out_msg(ctx, _("box %s has no cgroup of its own: make it with --memory, --pids, --cpu "
			       "or --cgroup"),
			word);
		return false;
	}
	snprintf(buf, len, "%s", word);
	return true;
}

static bool need_exists(struct nslab *ctx, const char *word, const char *name)
{
	if (cg_exists(cg_host(), name))
		return true;
	out_msg(ctx, _("no cgroup '%s' under %s/ ('cg ls' lists them; 'cg new %s' makes it)"), word,
		CG_PARENT, word);
	return false;
}

/* NAME resolved as above, to a cgroup that exists; false after printing why not. */
static bool resolve_existing(struct nslab *ctx, const char *word, char *buf, size_t len)
{
	return resolve(ctx, word, buf, len, NULL) && need_exists(ctx, word, buf);
}

/* Box cgroups are "<session pid>-<box>": keep learners' names out of that form. */
static bool box_style(const char *name)
{
	const char *p = name;
	while (*p >= '0' && *p <= '9')
		p++;
	return p != name && *p == '-';
}

static int cg_new(struct nslab *ctx, const char *name)
{
	if (!valid_name(name) || box_style(name))
		return out_usage(ctx, &cg_cmd,
				 _("'%s' is not a cgroup name: use 1-32 letters, digits, '_', '-' or "
				   "'.', not starting with NUMBER- (box cgroups use that form)"),
				 name);
	const struct cg_sys *cg = cg_host();
	struct nerr e = { 0 };
	if (cg_exists(cg, name)) {
		nerr_setw(&e, EEXIST, "mkdir",
			  N_("a cgroup of that name exists: choose another name, or cg rm it"),
			  "mkdir(\"%s/%s\")", CG_PARENT, name);
		return out_nerr(ctx, &e);
	}
	/* Recorded before it exists: a crash from here on is cleaned at next start. */
	sess_record(ctx->sess, NULL, "cgroup", "%s", name);
	if (cg_create(cg, name, &e) < 0) {
		sess_forget(ctx->sess, NULL, "cgroup", name);
		return out_nerr(ctx, &e);
	}
	char where[PATH_MAX];
	cg_where(cg, name, where, sizeof(where));
	out(ctx, _("cgroup %s made: %s (cgroup v%d)\n"), name, where, cg->version);
	return CMD_OK;
}

/* FILE as typed -> the v2 name, or NULL after printing why not. */
static const char *v2_name(struct nslab *ctx, const char *file)
{
	const struct cg_sys *cg = cg_host();
	if (cg_file_find(file))
		return file;
	const struct cg_file *f = cg_file_by_v1(file);
	if (f && cg->version == 2) {
		out_msg(ctx, _("%s is a cgroup v1 file; this machine uses cgroup v2, where it is %s"),
			file, f->v2);
		return NULL;
	}
	if (f) {
		out(ctx, _("(%s is the cgroup v1 file behind %s; nslab names files the v2 way)\n"),
		    file, f->v2);
		return f->v2;
	}
	return file;
}

/* "memory.max (v1: memory.limit_in_bytes)" on v1, "memory.max" on v2. */
static void file_label(const char *file, char *buf, size_t len)
{
	const struct cg_file *f = cg_file_find(file);
	if (cg_host()->version == 1 && f && f->v1 && strcmp(f->v1, f->v2) != 0)
		snprintf(buf, len, "%s (v1: %s%s)", file, f->v1,
			 f->kind == VK_CPUMAX			 ? ", cpu.cfs_period_us"
			 : strcmp(f->v2, "memory.events") == 0 ? ", memory.failcnt"
								 : "");
	else
		snprintf(buf, len, "%s", file);
}

static void trim(char *s)
{
	size_t n = strlen(s);
	while (n && (s[n - 1] == '\n' || s[n - 1] == ' '))
		s[--n] = '\0';
}

/* For cg set and cg get: the existing cgroup WORD names, into @name, and the
 * v2 name of FILE; NULL after printing why when either is wrong. */
static const char *need_file(struct nslab *ctx, const char *word, const char *file, char *name,
			     size_t len)
{
	return resolve_existing(ctx, word, name, len) ? v2_name(ctx, file) : NULL;
}

static int cg_setv(struct nslab *ctx, const char *word, const char *file, const char *value)
{
	char name[CG_NAME_MAX + 1];
	file = need_file(ctx, word, file, name, sizeof(name));
	if (!file)
		return CMD_FAIL;
	struct nerr e = { 0 };
	int r = cg_set(cg_host(), name, file, value, &e);
	if (r < 0) {
		if (strcmp(e.call, "value") == 0) {
			out_msg(ctx, _("%s: '%s' is not a value for %s"), word, value, file);
			if (e.why)
				fprintf(stderr, "  %s\n", _(e.why));
			return CMD_USAGE;
		}
		return out_nerr(ctx, &e);
	}
	/* Read it back: the kernel may have rounded (memory to pages). */
	char got[256] = "", label[160];
	file_label(file, label, sizeof(label));
	if (cg_get(cg_host(), name, file, got, sizeof(got), NULL) >= 0) {
		trim(got);
		out(ctx, _("%s: %s = %s\n"), word, label, got);
	} else {
		out(ctx, _("%s: %s written\n"), word, label);
	}
	return CMD_OK;
}

static int cg_getv(struct nslab *ctx, const char *word, const char *file)
{
	char name[CG_NAME_MAX + 1];
	file = need_file(ctx, word, file, name, sizeof(name));
	if (!file)
		return CMD_FAIL;
	char buf[8192], label[160];
	struct nerr e = { 0 };
	if (cg_get(cg_host(), name, file, buf, sizeof(buf), &e) < 0)
		return out_nerr(ctx, &e);
	trim(buf);
	file_label(file, label, sizeof(label));
	if (strchr(buf, '\n'))
		out(ctx, "%s:\n%s\n", label, buf);
	else
		out(ctx, "%s = %s\n", label, buf);
	/* Kept like run's output, so lab checks can look at it. */
	free(ctx->last_out);
	ctx->last_out = strdup(buf);
	ctx->last_out_len = ctx->last_out ? strlen(buf) : 0;
	return CMD_OK;
}

/* Only what nslab started may be moved: a box's processes or descendants of
 * this shell. The machine's own processes keep their cgroups. */
static bool ours(const struct ptree *t, pid_t pid)
{
	pid_t self = getpid();
	for (int depth = 0; depth < 64 && pid > 1; depth++) {
		const struct pnode *n = ptree_find(t, pid);
		if (!n)
			return false;
		if (n->ppid == self)
			return true;
		pid = n->ppid;
	}
	return false;
}

static int cg_addp(struct nslab *ctx, const char *word, const char *target)
{
	char name[CG_NAME_MAX + 1];
	if (!resolve_existing(ctx, word, name, sizeof(name)))
		return CMD_FAIL;
	pid_t pid = resolve_pid(ctx, target);
	if (pid < 0)
		return CMD_FAIL;
	_cleanup_close_ int proc = proc_open_root();
	struct ptree t = { 0 };
	if (proc < 0 || ptree_scan(proc, &t) < 0) {
		struct nerr e;
		nerr_set(&e, EIO, "open", "open(\"/proc\")");
		return out_nerr(ctx, &e);
	}
	if (pid == getpid() || !ours(&t, pid)) {
		ptree_free(&t);
		out_msg(ctx, _("PID %d was not started by this nslab: cg add moves only boxes and "
			       "their processes (the host's own processes keep their cgroups)"),
			(int)pid);
		return CMD_FAIL;
	}
	/* A box moves whole: its PID 1 and everything below it. A process moves
	 * alone (its children stay where they are: cgroup.procs moves one
	 * thread group). */
	pid_t list[1024];
	size_t n = 0;
	list[n++] = pid;
	if (box_find(ctx, target))
		for (size_t i = 0; i < n && n < ARRAY_SIZE(list); i++)
			for (size_t k = 0; k < t.n && n < ARRAY_SIZE(list); k++)
				if (t.v[k].ppid == list[i])
					list[n++] = t.v[k].pid;
	ptree_free(&t);
	struct nerr e = { 0 };
	int moved = 0;
	for (size_t i = 0; i < n; i++) {
		int r = cg_attach(cg_host(), name, list[i], &e);
		if (r == -ESRCH)
			continue; /* it ended meanwhile */
		if (r < 0)
			return out_nerr(ctx, &e);
		moved++;
	}
	out(ctx, _("%d process(es) moved into cgroup %s\n"), moved, word);
	return CMD_OK;
}

static void pct(struct nslab *ctx, int64_t part, int64_t whole)
{
	if (part >= 0 && whole > 0 && whole != CG_UNLIMITED)
		out(ctx, " (%.1f%%)", 100.0 * (double)part / (double)whole);
}

static void num(char *buf, size_t len, int64_t v)
{
	if (v == CG_UNLIMITED)
		snprintf(buf, len, "max");
	else if (v == CG_UNKNOWN)
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, "%lld", (long long)v);
}

static int cg_statn(struct nslab *ctx, const char *word)
{
	char name[CG_NAME_MAX + 1];
	if (!resolve_existing(ctx, word, name, sizeof(name)))
		return CMD_FAIL;
	const struct cg_sys *cg = cg_host();
	struct cg_stats st;
	struct nerr e = { 0 };
	if (cg_stats(cg, name, &st, &e) < 0)
		return out_nerr(ctx, &e);
	char where[PATH_MAX], a[32], b[32], c[32], pad[64];
	cg_where(cg, name, where, sizeof(where));
	/* The layout's name in the learner's language (cg_layout_name is the
	 * kernel layer's word: v1, v2, hybrid). */
	static const char *const layout_word[] = { [CG_LAYOUT_NONE] = N_("no cgroups"),
						   [CG_LAYOUT_V1] = N_("v1"),
						   [CG_LAYOUT_V2] = N_("v2"),
						   [CG_LAYOUT_HYBRID] = N_("hybrid") };
	out(ctx, _("cgroup %s: %s (cgroup v%d, %s layout)\n"), word, where, cg->version,
	    _(layout_word[cg->layout]));
	pid_t *pids = NULL;
	size_t np = 0;
	if (cg_procs(cg, name, &pids, &np, NULL) == 0) {
		out(ctx, "%s %zu", out_pad(pad, sizeof(pad), _("procs"), 9), np);
		for (size_t i = 0; i < np && i < 12; i++)
			out(ctx, "%s%d", i ? " " : ": ", (int)pids[i]);
		out(ctx, "%s\n", np > 12 ? " ..." : "");
		free(pids);
	}
	if (cg_has(cg, CG_MEMORY)) {
		out(ctx, _("%-9s current %s of max %s"), out_pad(pad, sizeof(pad), _("memory"), 9),
		    cg_fmt_size(st.mem_current, a, sizeof(a)),
		    cg_fmt_size(st.mem_max, b, sizeof(b)));
		pct(ctx, st.mem_current, st.mem_max);
		if (st.mem_peak >= 0)
			out(ctx, _(", peak %s"), cg_fmt_size(st.mem_peak, c, sizeof(c)));
		out(ctx, "\n");
		if (cg->version == 2) {
			num(a, sizeof(a), st.ev_max);
			num(b, sizeof(b), st.ev_oom);
			num(c, sizeof(c), st.ev_oom_kill);
			out(ctx, _("%-9s memory.events: high %lld, max %s, oom %s, oom_kill %s\n"), "",
			    (long long)(st.ev_high < 0 ? 0 : st.ev_high), a, b, c);
		} else {
			num(a, sizeof(a), st.ev_max);
			num(c, sizeof(c), st.ev_oom_kill);
			out(ctx, _("%-9s memory.failcnt %s (limit hits), memory.oom_control oom_kill %s%s\n"),
			    "", a, c, st.under_oom > 0 ? _(", under_oom now") : "");
		}
	}
	if (cg_has(cg, CG_PIDS)) {
		num(a, sizeof(a), st.pids_current);
		num(b, sizeof(b), st.pids_max);
		num(c, sizeof(c), st.pids_ev_max);
		out(ctx, _("%-9s current %s of max %s; forks refused (pids.events max) %s\n"),
		    out_pad(pad, sizeof(pad), _("pids"), 9), a,
		    b, c);
	}
	if (cg_has(cg, CG_CPU) || st.cpu_usage_usec >= 0) {
		if (st.cpu_quota == CG_UNLIMITED)
			out(ctx, _("%-9s cpu.max max %lld (no limit)"), out_pad(pad, sizeof(pad), _("cpu"), 9),
			    (long long)st.cpu_period);
		else if (st.cpu_quota >= 0 && st.cpu_period > 0)
			out(ctx, _("%-9s cpu.max %lld %lld (%lld%% of one CPU)"), out_pad(pad, sizeof(pad), _("cpu"), 9),
			    (long long)st.cpu_quota, (long long)st.cpu_period,
			    (long long)(st.cpu_quota * 100 / st.cpu_period));
		else
			out(ctx, "%s", out_pad(pad, sizeof(pad), _("cpu"), 9));
		if (st.cpu_usage_usec >= 0)
			out(ctx, _("; used %.2f s"), (double)st.cpu_usage_usec / 1e6);
		out(ctx, "\n");
		if (st.cpu_periods >= 0) {
			out(ctx, _("%-9s periods %lld, throttled %lld"), "", (long long)st.cpu_periods,
			    (long long)(st.cpu_throttled < 0 ? 0 : st.cpu_throttled));
			pct(ctx, st.cpu_throttled, st.cpu_periods);
			if (st.cpu_throttled_usec >= 0)
				out(ctx, _(", %.2f s in all (%s)"), (double)st.cpu_throttled_usec / 1e6,
				    cg->version == 2 ? "throttled_usec" : "throttled_time");
			out(ctx, "\n");
		}
	}
	return CMD_OK;
}

static int cg_rmn(struct nslab *ctx, const char *word)
{
	char name[CG_NAME_MAX + 1];
	struct box *b;
	if (!resolve(ctx, word, name, sizeof(name), &b))
		return CMD_FAIL;
	if (b) {
		out_msg(ctx, _("the cgroup of box %s goes with the box: box rm %s"), word, word);
		return CMD_FAIL;
	}
	if (!sess_has(ctx->sess, NULL, "cgroup", name)) {
		if (!need_exists(ctx, word, name))
			return CMD_FAIL;
		out_msg(ctx, _("cgroup %s was not made by this nslab: each nslab removes only its own "
			       "('nslab cleanup' removes what crashed runs left)"),
			word);
		return CMD_FAIL;
	}
	struct nerr e = { 0 };
	int killed = 0;
	if (cg_remove(cg_host(), name, &killed, &e) < 0)
		return out_nerr(ctx, &e);
	sess_forget(ctx->sess, NULL, "cgroup", name);
	if (killed)
		out(ctx, _("cgroup %s removed (%d process(es) in it were killed first)\n"), word, killed);
	else
		out(ctx, _("cgroup %s removed\n"), word);
	return CMD_OK;
}

static int cg_ls(struct nslab *ctx)
{
	const struct cg_sys *cg = cg_host();
	char where[PATH_MAX];
	cg_where(cg, NULL, where, sizeof(where));
	if (!cg->ops) {
		out(ctx, _("no cgroup file system is mounted here\n"));
		return CMD_OK;
	}
	static const char *const layout_desc[] = {
		[CG_LAYOUT_NONE] = N_("no cgroups"),
		[CG_LAYOUT_V1] = N_("cgroup v1: one hierarchy per controller"),
		[CG_LAYOUT_V2] = N_("cgroup v2: one unified hierarchy"),
		[CG_LAYOUT_HYBRID] = N_("hybrid: v1 hierarchies for the controllers, and a cgroup2 "
					"mount beside them"),
	};
	out(ctx, _("layout: %s; nslab uses cgroup v%d under %s\n"), _(layout_desc[cg->layout]),
	    cg->version, where);
	char **names;
	size_t n;
	cg_list(cg, &names, &n);
	if (n == 0) {
		out(ctx, _("no nslab cgroups. Make one: cg new demo\n"));
		free(names);
		return CMD_OK;
	}
	char h1[64], h2[64], h3[64], h4[64];
	/* Columns by display width, each at least as wide as its heading (a
	 * Korean heading is wider than its letters count). */
	int wn = 20, wp = 6, wm = 16, wd = 14;
	int c;
	if ((c = (int)out_cols(_("NAME"))) > wn)
		wn = c;
	if ((c = (int)out_cols(_("PROCS"))) > wp)
		wp = c;
	if ((c = (int)out_cols(_("MEMORY"))) > wm)
		wm = c;
	if ((c = (int)out_cols(_("PIDS"))) > wd)
		wd = c;
	out(ctx, "%-3s%s %s %s %s %s\n", "", out_pad(h1, sizeof(h1), _("NAME"), wn),
	    out_pad(h2, sizeof(h2), _("PROCS"), -wp), out_pad(h3, sizeof(h3), _("MEMORY"), wm),
	    out_pad(h4, sizeof(h4), _("PIDS"), wd), _("CPU.MAX"));
	char own[32];
	snprintf(own, sizeof(own), "%d-", (int)getpid());
	for (size_t i = 0; i < n; i++) {
		struct cg_stats st = { .nprocs = 0 };
		char m1[32], m2[32], p1[24], p2[24], mem[48], pids[48], cpu[48] = "-";
		if (cg_stats(cg, names[i], &st, NULL) == 0) {
			snprintf(mem, sizeof(mem), "%s/%s", cg_fmt_size(st.mem_current, m1, sizeof(m1)),
				 cg_fmt_size(st.mem_max, m2, sizeof(m2)));
			num(p1, sizeof(p1), st.pids_current);
			num(p2, sizeof(p2), st.pids_max);
			snprintf(pids, sizeof(pids), "%s/%s", p1, p2);
			if (st.cpu_quota == CG_UNLIMITED)
				snprintf(cpu, sizeof(cpu), "max");
			else if (st.cpu_quota >= 0 && st.cpu_period > 0)
				snprintf(cpu, sizeof(cpu), "%lld%%",
					 (long long)(st.cpu_quota * 100 / st.cpu_period));
		} else {
			snprintf(mem, sizeof(mem), "-");
			snprintf(pids, sizeof(pids), "-");
		}
		bool mine = strncmp(names[i], own, strlen(own)) == 0 ||
			    sess_has(ctx->sess, NULL, "cgroup", names[i]);
		out(ctx, "%-3s%-*s %*lld %-*s %-*s %s\n", mine ? "*" : "", wn, names[i], wp,
		    (long long)st.nprocs, wm, mem, wd, pids, cpu);
		free(names[i]);
	}
	free(names);
	out(ctx, _("(* made by this nslab)\n"));
	return CMD_OK;
}

static int exec_cg(struct nslab *ctx, int argc, char **argv)
{
	const char *sub = argc > 1 ? argv[1] : "ls";
	static const struct {
		const char *name;
		int args; /* words after the subcommand */
		const char *usage;
	} subs[] = {
		{ "new", 1, "cg new NAME" },
		{ "set", 3, "cg set NAME FILE VALUE" },
		{ "get", 2, "cg get NAME FILE" },
		{ "add", 2, "cg add NAME PID|BOX" },
		{ "stat", 1, "cg stat NAME" },
		{ "rm", 1, "cg rm NAME" },
		{ "ls", 0, "cg ls" },
	};
	size_t i;
	for (i = 0; i < ARRAY_SIZE(subs); i++)
		if (strcmp(subs[i].name, sub) == 0)
			break;
	if (i == ARRAY_SIZE(subs))
		return out_usage(ctx, &cg_cmd, _("unknown subcommand '%s' (new, set, get, add, stat, rm, ls)"),
				 sub);
	if (argc > 1 && argc - 2 != subs[i].args)
		return out_usage(ctx, &cg_cmd, _("want: %s"), subs[i].usage);
	char **a = argv + 2;
	switch (i) {
	case 0: return cg_new(ctx, a[0]);
	case 1: return cg_setv(ctx, a[0], a[1], a[2]);
	case 2: return cg_getv(ctx, a[0], a[1]);
	case 3: return cg_addp(ctx, a[0], a[1]);
	case 4: return cg_statn(ctx, a[0]);
	case 5: return cg_rmn(ctx, a[0]);
	default: return cg_ls(ctx);
	}
}

CMD_REGISTER(cg_cmd) = {
	.name = "cg",
	.args = "new NAME | set NAME FILE VALUE | get NAME FILE | add NAME PID|BOX | stat NAME | "
		"rm NAME | ls",
	.summary = N_("control groups: limits on memory, processes and CPU"),
	.help = N_("A cgroup is a directory in /sys/fs/cgroup; its files are the limits and the "
		   "counters. cg new makes one under nslab/ (mkdir), cg set writes a limit "
		   "(memory.max 64M, pids.max 50, cpu.max 50%), cg add moves a process in "
		   "(a write to cgroup.procs), cg stat shows limits, usage, events and throttling, "
		   "cg rm kills what is left and removes it. Files are named the cgroup v2 way; on "
		   "a cgroup v1 host nslab uses the matching v1 file and says which. A box made "
		   "with --memory, --pids or --cpu is reachable by its box name."),
	.min_args = 0,
	.max_args = 4,
	.complete = COMPLETE_SUB,
	.subs = "new set get add stat rm ls",
	.exec = exec_cg,
};
