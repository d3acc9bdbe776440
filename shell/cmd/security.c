/* security.c - caps, seccomp, whoami: what a process in a box may still do.
 *
 * For a box, these commands ask the kernel about a fresh process started the
 * way run starts one (setns, chroot, then the box's confinement), because that
 * is what the learner's commands get; the box's PID 1 only waits. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../box/box.h"
#include "../kernel/caps.h"
#include "../kernel/cleanup.h"
#include "../kernel/lsm.h"
#include "../kernel/ns.h"
#include "../kernel/procfs.h"
#include "../kernel/seccomp.h"
#include "../lab/lab.h"
#include "security.h"

int sec_profile_load(struct nslab *ctx, const char *word, uint64_t caps, struct sc_profile *p,
		     struct nerr *e)
{
	char path[PATH_MAX];
	if (strcmp(word, "default") == 0)
		snprintf(path, sizeof(path), "%s/profiles/seccomp-default.json", ctx->datadir);
	else
		snprintf(path, sizeof(path), "%s", word);
	struct sc_env env;
	sc_env_host(caps, &env);
	int r = sc_profile_read(path, &env, p, e);
	if (r == -ENOENT && strcmp(word, "default") == 0)
		e->why = N_("the default profile ships in the profiles/ directory of nslab's data "
			    "directory: is nslab installed (make install), or NSLAB_DATADIR set?");
	else if (r == -EINVAL && !e->why)
		e->why = N_("a profile is moby's JSON format: defaultAction, architectures, and "
			    "syscalls entries with names, action, args, includes and excludes "
			    "(profiles/seccomp-default.json is one)");
	return r;
}

int sec_target_get(struct nslab *ctx, const char *word, struct sec_target *t)
{
	memset(t, 0, sizeof(*t));
	struct box *b = word ? box_find(ctx, word) : ctx->cur;
	if (b && box_poll_dead(b)) {
		out_msg(ctx, _("box %s has stopped: 'box rm %s' and make a new one"), b->spec.name,
			b->spec.name);
		return -1;
	}
	struct nerr e = { 0 };
	if (b) {
		t->box = b;
		t->pid = b->pid;
		if (box_probe_status(b, &t->status, &e) < 0) {
			out_nerr(ctx, &e);
			return -1;
		}
		/* cat printed status, then the LSM label when there is one. */
		char *tail = strstr(t->status, "nonvoluntary_ctxt_switches:");
		tail = tail ? strchr(tail, '\n') : NULL;
		if (tail && tail[1]) {
			snprintf(t->label, sizeof(t->label), "%s", tail + 1);
			tail[1] = '\0';
			t->label[strcspn(t->label, "\n")] = '\0';
		}
		return 0;
	}
	t->pid = resolve_pid(ctx, word);
	if (t->pid < 0)
		return -1;
	_cleanup_close_ int proc = proc_open_root();
	if (proc < 0 || proc_read(proc, t->pid, "status", &t->status, NULL, &e) < 0) {
		out_nerr(ctx, &e);
		return -1;
	}
	if (lsm_label(t->pid, t->label, sizeof(t->label), &e) < 0)
		t->label[0] = '\0';
	return 0;
}

void sec_target_free(struct sec_target *t)
{
	free(t->status);
	t->status = NULL;
}

static void print_target(struct nslab *ctx, const struct sec_target *t)
{
	if (t->box)
		out(ctx, _("box %s, as run and sh get it (a fresh process; the box's PID 1 is host pid %d)\n"),
		    t->box->spec.name, (int)t->pid);
	else
		out(ctx, _("process %d\n"), (int)t->pid);
}

/* Words wrapped at about 92 columns; continuation lines start at column @indent. */
static void print_wrapped(struct nslab *ctx, size_t col, size_t indent, char *words)
{
	char *save = NULL;
	for (char *w = strtok_r(words, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
		if (col + strlen(w) > 92 && col > indent) {
			out(ctx, "\n%*s", (int)indent, "");
			col = indent;
		}
		out(ctx, "%s ", w);
		col += strlen(w) + 1;
	}
	out(ctx, "\n");
}

/* "  LABEL " padded to @width display columns: labels are translated, and a
 * Korean letter is two columns wide but three bytes (printf's %-14s counts bytes). */
static void label_col(struct nslab *ctx, const char *label, int width)
{
	out(ctx, "  ");
	out_col(ctx, label, width);
	out(ctx, " ");
}

/* A mask in words: "all 41", "all but: ...", or the names, wrapped. */
static void print_mask(struct nslab *ctx, const char *label, uint64_t m)
{
	uint64_t all = cap_mask_all();
	int n = __builtin_popcountll(m & all), total = cap_count();
	char names[2048];
	const char *intro = "";
	if (m == 0) {
		label_col(ctx, label, 12);
		out(ctx, "%2d  %s\n", 0, _("(none)"));
		return;
	}
	if ((m & all) == all) {
		label_col(ctx, label, 12);
		out(ctx, "%2d  %s\n", n, _("all: everything root can do"));
		return;
	}
	if (n > total / 2) {
		cap_mask_str(all & ~m, " ", names, sizeof(names));
		intro = _("all but: ");
	} else {
		cap_mask_str(m, " ", names, sizeof(names));
	}
	label_col(ctx, label, 12);
	out(ctx, "%2d  %s", n, intro);
	print_wrapped(ctx, 19 + strlen(intro), 19, names);
}

/* ---------------- caps ---------------- */

static const struct cmd_entry caps_cmd;

static struct box *need_cur(struct nslab *ctx, const char *what)
{
	if (!ctx->cur) {
		out_msg(ctx, _("%s works on the current box: make one with 'box new NAME' or choose one "
			       "with 'use NAME'"),
			what);
		return NULL;
	}
	if (box_poll_dead(ctx->cur)) {
		out_msg(ctx, _("box %s has stopped: 'box rm %s' and make a new one"),
			ctx->cur->spec.name, ctx->cur->spec.name);
		return NULL;
	}
	return ctx->cur;
}

static int caps_drop(struct nslab *ctx, int argc, char **argv)
{
	uint64_t m = 0;
	for (int i = 0; i < argc; i++) {
		uint64_t one;
		struct nerr e = { 0 };
		if (strcmp(argv[i], "docker") == 0 || strcmp(argv[i], "none") == 0 ||
		    cap_mask_parse(argv[i], &one, &e) < 0)
			return out_usage(ctx, &caps_cmd,
					 _("'%s' is not a capability name (for example CAP_SYS_ADMIN, "
					   "net_raw; 'all' drops every one)"),
					 argv[i]);
		m |= one;
	}
	struct box *b = need_cur(ctx, "caps drop");
	if (!b)
		return CMD_FAIL;
	b->caps_dropped |= m;
	char names[2048];
	cap_mask_str(m, " ", names, sizeof(names));
	out(ctx, _("box %s: every later run and sh starts without %s\n"), b->spec.name, names);
	out(ctx, _("(PID 1 keeps its own: a process's capabilities can only be dropped by "
		   "itself. 'caps' shows what a new process gets.)\n"));
	return CMD_OK;
}

static int exec_caps(struct nslab *ctx, int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "drop") == 0) {
		if (argc < 3)
			return out_usage(ctx, &caps_cmd, _("caps drop needs at least one capability"));
		return caps_drop(ctx, argc - 2, argv + 2);
	}
	if (argc > 2)
		return out_usage(ctx, &caps_cmd, _("too many arguments"));
	struct sec_target t;
	if (sec_target_get(ctx, argc > 1 ? argv[1] : NULL, &t) < 0)
		return CMD_FAIL;
	struct cap_sets cs;
	struct nerr e = { 0 };
	if (cap_sets_parse(t.status, &cs, &e) < 0) {
		sec_target_free(&t);
		return out_nerr(ctx, &e);
	}
	print_target(ctx, &t);
	for (int i = 0; i < CAPS_COUNT; i++)
		print_mask(ctx, cap_set_types[i].name, cs.set[cap_set_types[i].kind]);
	/* One count everywhere: cap_last_cap is the highest number, so the
	 * kernel knows one more than it (0 to cap_last_cap). */
	out(ctx, _("the kernel knows %d capabilities, numbered 0 to %d (/proc/sys/kernel/cap_last_cap); "
		   "Docker's default keeps 14 (caps docker).\n"),
	    cap_count(), cap_count() - 1);
	if (t.box && t.box->caps_dropped) {
		char names[1024];
		cap_mask_str(t.box->caps_dropped, " ", names, sizeof(names));
		out(ctx, _("dropped with caps drop: %s\n"), names);
	}
	sec_target_free(&t);
	return CMD_OK;
}

CMD_REGISTER(caps_cmd) = {
	.name = "caps",
	.args = "[PID|BOX] | caps drop CAP...",
	.summary = N_("capabilities: the five sets of a process, or drop some in the current box"),
	.help = N_("Root's power is split into about 40 capabilities (man 7 capabilities). caps "
		   "shows the bounding, permitted, effective, inheritable and ambient sets of a "
		   "process, by libcap's names; for a box, of a fresh process as run gets it. "
		   "caps drop CAP... removes capabilities from every later run and sh in the "
		   "current box: from the bounding set too, so not even a setuid-root program "
		   "gets them back. Example: caps drop CAP_SYS_ADMIN; run mount -t tmpfs x /mnt."),
	.min_args = 0,
	.max_args = -1,
	.flags = CMD_ROOT,
	.complete = COMPLETE_BOX,
	.subs = "drop",
	.exec = exec_caps,
};

/* ---------------- seccomp ---------------- */

static const struct cmd_entry seccomp_cmd;

static const char *mode_name(int mode)
{
	switch (mode) {
	case 0:
		return _("off: every system call reaches the kernel");
	case 1:
		return _("strict: only read, write, _exit and sigreturn");
	case 2:
		return _("filter: BPF programs decide each system call");
	default:
		return _("unknown (the kernel does not say)");
	}
}

static void print_rules(struct nslab *ctx, const struct sc_profile *p)
{
	size_t col = 4;
	out(ctx, "    ");
	for (int i = 0; i < p->n; i++) {
		char one[80];
		sc_rule_str(&p->rules[i], one, sizeof(one));
		if (col + strlen(one) > 92) {
			out(ctx, "\n    ");
			col = 4;
		}
		out(ctx, "%s%s", one, i + 1 < p->n ? ", " : "\n");
		col += strlen(one) + 2;
	}
	if (!p->n)
		out(ctx, "%s\n", _("(none)"));
}

static int seccomp_deny(struct nslab *ctx, int argc, char **argv)
{
	struct sc_profile add;
	memset(&add, 0, sizeof(add));
	struct nerr e = { 0 };
	if (sc_parse_words(argc, argv, &add, &e) < 0) {
		if (strcmp(e.call, "seccomp_syscall_resolve_name") == 0)
			return out_usage(ctx, &seccomp_cmd,
					 _("'%s' is not a system call libseccomp knows (man 2 syscalls)"),
					 e.what);
		return out_usage(ctx, &seccomp_cmd,
				 _("want SYSCALL... [--errno ERRNO | --kill] (%s)"), e.what);
	}
	struct box *b = need_cur(ctx, "seccomp deny");
	if (!b)
		return CMD_FAIL;
	/* Check the combined size before changing anything. */
	struct sc_profile merged = b->sc_extra;
	for (int i = 0; i < add.n; i++)
		if (sc_profile_add(&merged, add.rules[i].syscall, add.rules[i].act, add.rules[i].err,
				   &e) < 0)
			return out_nerr(ctx, &e);
	b->sc_extra = merged;
	out(ctx, _("box %s: every later run and sh loads a filter that denies:\n"), b->spec.name);
	print_rules(ctx, &add);
	return CMD_OK;
}

/* --caps WORDS at the end of profile/diff: the box includes/excludes are read for. */
static int profile_caps(struct nslab *ctx, int *argc, char **argv, uint64_t *caps)
{
	*caps = cap_mask_docker();
	if (*argc >= 2 && strcmp(argv[*argc - 2], "--caps") == 0) {
		struct nerr e = { 0 };
		if (cap_mask_parse(argv[*argc - 1], caps, &e) < 0)
			return out_usage(ctx, &seccomp_cmd, _("--caps: '%s' is not a capability"),
					 e.what);
		*argc -= 2;
	}
	return 0;
}

static void profile_summary(struct nslab *ctx, const char *word, const struct sc_profile *p)
{
	char def[32];
	sc_action_str(p->def, p->def_err, def, sizeof(def));
	out(ctx, _("profile %s: default %s; %d rules: %d calls allowed, %d denied or killed "
		   "(%d filter(s))\n"),
	    word, def, p->n, sc_count_calls(p, SC_ALLOW),
	    sc_count_calls(p, SC_ERRNO) + sc_count_calls(p, SC_KILL) + sc_count_calls(p, SC_KILL_THREAD),
	    sc_filter_count(p));
	if (p->left_out)
		out(ctx, _("  %d entries left out by includes/excludes (capabilities, CPU, kernel)\n"),
		    p->left_out);
	if (p->unknown)
		out(ctx, _("  %d names this libseccomp does not know, left out (as runc does): %s\n"),
		    p->unknown, p->unknown_names);
}

static int seccomp_profile(struct nslab *ctx, int argc, char **argv)
{
	uint64_t caps;
	if (profile_caps(ctx, &argc, argv, &caps))
		return CMD_USAGE;
	const char *word = argc > 0 && argv[0][0] != '-' ? argv[0] : "default";
	bool pfc = argc > 0 && strcmp(argv[argc - 1], "--bpf") == 0;
	_cleanup_free_ struct sc_profile *p = malloc(sizeof(*p));
	struct nerr e = { 0 };
	if (!p || sec_profile_load(ctx, word, caps, p, &e) < 0)
		return out_nerr(ctx, &e);
	if (pfc) {
		fflush(ctx->out);
		if (sc_export_pfc(p, fileno(ctx->out), &e) < 0)
			return out_nerr(ctx, &e);
		return CMD_OK;
	}
	profile_summary(ctx, word, p);
	/* The rules that are not the plain allow list: those are what teach. */
	struct sc_profile *rest = calloc(1, sizeof(*rest));
	if (!rest)
		return CMD_FAIL;
	for (int i = 0; i < p->n; i++)
		if (p->rules[i].act != SC_ALLOW || p->rules[i].nargs)
			rest->rules[rest->n++] = p->rules[i];
	out(ctx, _("rules other than a plain allow:\n"));
	print_rules(ctx, rest);
	free(rest);
	return CMD_OK;
}

/* seccomp diff A B: every system call libseccomp knows on this CPU whose
 * decision differs between the two profiles. */
static int seccomp_diff(struct nslab *ctx, int argc, char **argv)
{
	uint64_t caps;
	if (profile_caps(ctx, &argc, argv, &caps))
		return CMD_USAGE;
	if (argc != 2)
		return out_usage(ctx, &seccomp_cmd, _("seccomp diff wants two profiles"));
	_cleanup_free_ struct sc_profile *a = malloc(sizeof(*a));
	_cleanup_free_ struct sc_profile *b = malloc(sizeof(*b));
	struct nerr e = { 0 };
	if (!a || !b || sec_profile_load(ctx, argv[0], caps, a, &e) < 0 ||
	    sec_profile_load(ctx, argv[1], caps, b, &e) < 0)
		return out_nerr(ctx, &e);
	char names[1024];
	cap_mask_str(caps, " ", names, sizeof(names));
	out(ctx, _("for a box with capabilities: %s\n"), names[0] ? names : _("(none)"));
	int ndiff = 0;
	for (int nr = 0; nr < 1024; nr++) {
		_cleanup_free_ char *name = sc_syscall_name(nr);
		if (!name)
			continue;
		char da[600], db[600];
		sc_decision(a, name, da, sizeof(da));
		sc_decision(b, name, db, sizeof(db));
		if (strcmp(da, db) == 0)
			continue;
		out(ctx, "  %-24s %s: %s\n", name, argv[0], da);
		out(ctx, "  %-24s %s: %s\n", "", argv[1], db);
		ndiff++;
	}
	out(ctx, _("%d system calls decided differently\n"), ndiff);
	return CMD_OK;
}

static int exec_seccomp(struct nslab *ctx, int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "deny") == 0) {
		if (argc < 3)
			return out_usage(ctx, &seccomp_cmd, _("seccomp deny needs a system call"));
		return seccomp_deny(ctx, argc - 2, argv + 2);
	}
	if (argc > 1 && strcmp(argv[1], "profile") == 0)
		return seccomp_profile(ctx, argc - 2, argv + 2);
	if (argc > 1 && strcmp(argv[1], "diff") == 0)
		return seccomp_diff(ctx, argc - 2, argv + 2);
	if (argc > 2)
		return out_usage(ctx, &seccomp_cmd, _("too many arguments"));
	struct sec_target t;
	if (sec_target_get(ctx, argc > 1 ? argv[1] : NULL, &t) < 0)
		return CMD_FAIL;
	struct sc_status st;
	sc_status_parse(t.status, &st);
	print_target(ctx, &t);
	/* One column wide enough for the longest label (Seccomp_filters, 15). */
	out(ctx, "  %-16s %d  %s\n", "Seccomp", st.mode, mode_name(st.mode));
	out(ctx, "  %-16s %d\n", "Seccomp_filters", st.filters);
	out(ctx, "  %-16s %d\n", "NoNewPrivs", st.nnp);
	if (t.box) {
		const struct box_spec *s = &t.box->spec;
		if (s->seccomp_src[0]) {
			int nf = sc_filter_count(&s->seccomp);
			out(ctx, _("filter 1, from box new --seccomp %s: %d rules ('seccomp profile %s' "
				   "lists them)\n"),
			    s->seccomp_src, s->seccomp.n, s->seccomp_src);
			if (nf > 1)
				out(ctx, _("filter 2, from the same profile: the rules with arguments that "
					   "narrow an allowed call (ioctl TIOCSTI)\n"));
		}
		if (t.box->sc_extra.n) {
			out(ctx, _("filter %d, from seccomp deny:\n"),
			    s->seccomp_src[0] ? sc_filter_count(&s->seccomp) + 1 : 1);
			print_rules(ctx, &t.box->sc_extra);
		}
	}
	sec_target_free(&t);
	return CMD_OK;
}

CMD_REGISTER(seccomp_cmd) = {
	.name = "seccomp",
	.args = "[PID|BOX] | seccomp deny SYSCALL... [--errno E|--kill] | seccomp profile [default|FILE] [--bpf] [--caps LIST] | seccomp diff FILE FILE [--caps LIST]",
	.summary = N_("system call filters: show a process's, deny calls in the current box"),
	.help = N_("seccomp shows a process's filter mode and how many filters it has "
		   "(/proc/PID/status). seccomp deny SYSCALL... makes every later run and sh in "
		   "the current box load a filter (libseccomp) under which those calls fail with "
		   "EPERM, the errno given with --errno, or kill the process (--kill, SIGSYS). "
		   "seccomp profile shows a profile's rules, or with --bpf the filter program."),
	.min_args = 0,
	.max_args = -1,
	.flags = CMD_ROOT,
	.complete = COMPLETE_BOX,
	.subs = "deny profile diff",
	.exec = exec_seccomp,
};

/* ---------------- whoami ---------------- */

static void who_namespaces(struct nslab *ctx, pid_t pid)
{
	_cleanup_close_ int proc = proc_open_root();
	uint64_t host[NS_COUNT], them[NS_COUNT];
	if (proc < 0 || ns_read_ids(proc, getpid(), host) < 0 || ns_read_ids(proc, pid, them) < 0)
		return;
	char news[128] = "", same[128] = "";
	int n = 0;
	for (int i = 0; i < NS_COUNT; i++) {
		char *dst = host[i] != them[i] ? news : same;
		n += host[i] != them[i];
		snprintf(dst + strlen(dst), 128 - strlen(dst), "%s%s", dst[0] ? " " : "",
			 ns_types[i].name);
	}
	label_col(ctx, _("namespaces"), 14);
	out(ctx, _("%d of %d new: %s\n"), n, NS_COUNT, n ? news : "-");
	if (same[0])
		out(ctx, "  %-14s %s %s\n", "", _("shared with the host:"), same);
}

static void who_user(struct nslab *ctx, pid_t pid, const char *status)
{
	char uid[64] = "?", gid[64] = "?";
	proc_status_field(status, "Uid", uid, sizeof(uid));
	proc_status_field(status, "Gid", gid, sizeof(gid));
	label_col(ctx, _("user"), 14);
	out(ctx, "uid %s, gid %s (%s)\n", uid, gid, _("real effective saved fs"));
	_cleanup_close_ int proc = proc_open_root();
	_cleanup_free_ char *map = NULL;
	struct nerr e;
	uint64_t host[NS_COUNT], them[NS_COUNT];
	bool userns = proc >= 0 && ns_read_ids(proc, getpid(), host) > 0 &&
		      ns_read_ids(proc, pid, them) > 0 && host[NS_USER] != them[NS_USER];
	if (!userns) {
		out(ctx, "  %-14s %s\n", "", _("no user namespace: uid 0 here is uid 0 on the host"));
		return;
	}
	if (proc_read(proc, pid, "uid_map", &map, NULL, &e) == 0) {
		unsigned in, outid, count;
		if (sscanf(map, "%u %u %u", &in, &outid, &count) != 3)
			return;
		if (in == 0)
			out(ctx, "  %-14s uid_map %u %u %u: %s %u\n", "", in, outid, count,
			    _("root here is, on the host, uid"), outid);
		else
			out(ctx, "  %-14s uid_map %u %u %u: %s\n", "", in, outid, count,
			    _("root here is not mapped to any host uid"));
	}
}

static void who_caps(struct nslab *ctx, const char *status)
{
	struct cap_sets cs;
	if (cap_sets_parse(status, &cs, NULL) < 0)
		return;
	uint64_t eff = cs.set[CAPS_EFF], bnd = cs.set[CAPS_BND];
	uint64_t all = cap_mask_all(), dock = cap_mask_docker();
	int n = __builtin_popcountll(eff & all);
	label_col(ctx, _("capabilities"), 14);
	if ((eff & all) == all)
		out(ctx, _("effective: all %d: as strong as root on the host, in this box's namespaces\n"), n);
	else if (eff == dock)
		out(ctx, _("effective: %d, exactly Docker's default set\n"), n);
	else if ((eff & ~dock) == 0)
		out(ctx, _("effective: %d, within Docker's default set\n"), n);
	else
		out(ctx, _("effective: %d, %d of them beyond Docker's default set\n"), n,
		    __builtin_popcountll(eff & ~dock));
	char names[1024];
	cap_mask_str(eff & ~dock, " ", names, sizeof(names));
	if ((eff & ~dock) && (eff & all) != all) {
		out(ctx, "  %-14s %s ", "", _("beyond Docker's:"));
		print_wrapped(ctx, 18 + strlen(_("beyond Docker's:")), 17, names);
	}
	out(ctx, "  %-14s %s %d\n", "", _("bounding set (the most execve can give):"),
	    __builtin_popcountll(bnd & all));
	int sysadmin;
	/* CAP_SYS_ADMIN: the one that opens most doors. */
	if (cap_parse_name("sys_admin", &sysadmin) == 0 && (eff & (1ULL << sysadmin)))
		out(ctx, "  %-14s %s\n", "", _("has cap_sys_admin: mount, namespaces, and much more"));
}

static void who_seccomp(struct nslab *ctx, const char *status)
{
	struct sc_status st;
	sc_status_parse(status, &st);
	out(ctx, "  %-14s %s (%s %d)\n", "seccomp", mode_name(st.mode), _("filters:"),
	    st.filters < 0 ? 0 : st.filters);
	out(ctx, "  %-14s %s\n", "no_new_privs",
	    st.nnp == 1 ? _("on: setuid programs and file capabilities grant nothing")
			: _("off: a setuid-root program would run as root"));
}

static void who_lsm(struct nslab *ctx, const char *label)
{
	struct lsm_info li;
	lsm_detect("", &li);
	const char *which = li.apparmor ? "AppArmor" : li.selinux ? "SELinux" : NULL;
	if (li.list[0])
		out(ctx, "  %-14s %s: %s\n", "LSM", _("the kernel's modules"), li.list);
	if (label[0])
		out(ctx, "  %-14s %s: %s\n", "", which ? which : "label", label);
	else if (!which)
		out(ctx, "  %-14s %s\n", li.list[0] ? "" : "LSM",
		    _("no AppArmor or SELinux label: no profile confines this process (Landlock "
		      "rules, if any, are its own choice: lab 19)"));
	else
		out(ctx, "  %-14s %s: %s\n", "", which, _("no label could be read"));
}

/* Docker's masked and read-only paths, as the process sees its mounts
 * (/proc/PID/mountinfo): the kernel's word, not the box's spec. */
static void who_masks(struct nslab *ctx, pid_t pid)
{
	_cleanup_close_ int proc = proc_open_root();
	_cleanup_free_ char *mi = NULL;
	struct nerr e;
	if (proc < 0 || proc_read(proc, pid, "mountinfo", &mi, NULL, &e) < 0)
		return;
	char masked[600] = "", ro[300] = "";
	int nm = 0, nr = 0, there = 0;
	for (int k = 0; k < 2; k++) {
		const char *const *list = k ? box_readonly_paths : box_masked_paths;
		for (int i = 0; list[i]; i++) {
			char path[PATH_MAX];
			struct stat st;
			snprintf(path, sizeof(path), "/proc/%d/root%s", (int)pid, list[i]);
			there += !k && stat(path, &st) == 0;
			bool mounted = false, isro = false;
			size_t n = strlen(list[i]);
			for (const char *l = mi; l && *l; l = strchr(l, '\n'), l = l ? l + 1 : NULL) {
				/* ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTIONS ... */
				char mp[PATH_MAX], opts[128];
				if (sscanf(l, "%*s %*s %*s %*s %4095s %127s", mp, opts) != 2)
					continue;
				if (strlen(mp) == n && strcmp(mp, list[i]) == 0) {
					mounted = true;
					isro = strncmp(opts, "ro", 2) == 0 && (opts[2] == ',' || !opts[2]);
				}
			}
			char *dst = k ? ro : masked;
			size_t cap = k ? sizeof(ro) : sizeof(masked);
			if (k ? isro : mounted) {
				snprintf(dst + strlen(dst), cap - strlen(dst), "%s%s", dst[0] ? " " : "",
					 list[i]);
				if (k)
					nr++;
				else
					nm++;
			}
		}
	}
	label_col(ctx, _("masked"), 14);
	if (nm)
		out(ctx, _("%d of Docker's %d paths (of %d this box has):"), nm,
		    (int)(12), there);
	else
		out(ctx, _("none masked: Docker hides 12 paths (/proc/kcore, /proc/keys...)"));
	if (nm) {
		out(ctx, " ");
		print_wrapped(ctx, 60, 17, masked);
	} else {
		out(ctx, "\n");
	}
	label_col(ctx, _("read-only"), 14);
	if (nr) {
		out(ctx, _("%d of Docker's 5:"), nr);
		out(ctx, " ");
		print_wrapped(ctx, 40, 17, ro);
	} else {
		out(ctx, "%s\n", _("none: Docker makes /proc/sys, /proc/sysrq-trigger, /proc/bus, "
				   "/proc/fs and /proc/irq read-only"));
	}
}

static void who_cgroup(struct nslab *ctx, pid_t pid)
{
	_cleanup_close_ int proc = proc_open_root();
	_cleanup_free_ char *cg = NULL;
	struct nerr e;
	if (proc < 0 || proc_read(proc, pid, "cgroup", &cg, NULL, &e) < 0)
		return;
	/* Where the limits live: the v2 path, and on a v1 or hybrid host the
	 * hierarchies of the controllers nslab limits (memory, pids, cpu). */
	char v2[256] = "", v1[768] = "";
	int others = 0;
	for (char *l = strtok(cg, "\n"); l; l = strtok(NULL, "\n")) {
		if (strncmp(l, "0::", 3) == 0) {
			snprintf(v2, sizeof(v2), "%s", l + 3);
			continue;
		}
		const char *ctrl = strchr(l, ':');
		const char *path = ctrl ? strchr(ctrl + 1, ':') : NULL;
		if (!ctrl || !path)
			continue;
		ctrl++;
		int cl = (int)(path - ctrl);
		bool limits = false;
		static const char *const want[] = { "memory", "pids", "cpu", NULL };
		for (int i = 0; want[i]; i++) {
			size_t wl = strlen(want[i]);
			for (const char *w = ctrl; w < path; w++)
				if ((w == ctrl || w[-1] == ',') && !strncmp(w, want[i], wl) &&
				    (w + wl == path || w[wl] == ','))
					limits = true;
		}
		if (limits)
			snprintf(v1 + strlen(v1), sizeof(v1) - strlen(v1), "%s%.*s:%s", v1[0] ? "  " : "",
				 cl, ctrl, path + 1);
		else
			others++;
	}
	if (v1[0]) {
		out(ctx, "  %-14s %s\n", "cgroup", v1);
		out(ctx, "  %-14s ", "");
		out(ctx, _("(cgroup v1: the limits live there; cgroup2 %s, and %d other hierarchies)"),
		    v2[0] ? v2 : "-", others);
		out(ctx, "\n");
		return;
	}
	out(ctx, "  %-14s %s", "cgroup", v2[0] ? v2 : "-");
	if (others)
		out(ctx, _(" (and %d cgroup v1 hierarchies)"), others);
	out(ctx, "\n");
}

static int exec_whoami(struct nslab *ctx, int argc, char **argv)
{
	struct sec_target t;
	if (sec_target_get(ctx, argc > 1 ? argv[1] : NULL, &t) < 0)
		return CMD_FAIL;
	print_target(ctx, &t);
	who_namespaces(ctx, t.pid);
	who_user(ctx, t.pid, t.status);
	who_caps(ctx, t.status);
	who_seccomp(ctx, t.status);
	who_masks(ctx, t.pid);
	who_lsm(ctx, t.label);
	who_cgroup(ctx, t.pid);
	sec_target_free(&t);
	return CMD_OK;
}

CMD_REGISTER(whoami_cmd) = {
	.name = "whoami",
	.args = "[PID|BOX]",
	.summary = N_("what a process in a box can see and do: ns, ids, caps, seccomp, LSM, cgroup"),
	.help = N_("One screen, in the spirit of amicontained: which namespaces are new, who root "
		   "is on the host, which capabilities remain (beside Docker's default), the "
		   "seccomp mode and filter count, no_new_privs, the LSM label and the cgroup. "
		   "For a box it asks a fresh process started as run starts one."),
	.min_args = 0,
	.max_args = 1,
	.complete = COMPLETE_BOX,
	.exec = exec_whoami,
};

/* ---------------- pred: one lab predicate, by hand ---------------- */

/* Evaluate one check line outside a lab, so lab authors and tests can try
 * a predicate against the kernel: `pred caps b1 lacks CAP_SYS_ADMIN`. */
static int exec_pred(struct nslab *ctx, int argc, char **argv)
{
	const struct lab_pred *p = lab_pred_find(argv[1]);
	int n = argc - 2;
	if (!p) {
		out_msg(ctx, _("pred: no predicate '%s' (docs-en/labs-format.md lists them)"), argv[1]);
		return CMD_USAGE;
	}
	const char *bad = n < p->min_words || (p->max_words >= 0 && n > p->max_words)
				  ? N_("wrong number of words")
			  : p->validate ? p->validate(n, argv + 2)
					: NULL;
	if (bad) {
		out_msg(ctx, "pred: %s: %s (%s)", argv[1], _(bad), p->synopsis);
		return CMD_USAGE;
	}
	struct lab_snap snap;
	lab_snap_init(&snap, ctx, ctx->last_status, true);
	char saw[512] = "";
	bool ok = p->eval(&snap, n, argv + 2, saw, sizeof(saw));
	lab_snap_free(&snap);
	out(ctx, "%s: %s\n", ok ? _("holds") : _("does not hold"), saw);
	return ok ? CMD_OK : CMD_FAIL;
}

CMD_REGISTER(pred_cmd) = {
	.name = "pred",
	.args = "PREDICATE WORDS...",
	.summary = N_("evaluate one lab check predicate now (for lab authors)"),
	.min_args = 1,
	.max_args = -1,
	.flags = CMD_HIDDEN | CMD_NOLOG,
	.exec = exec_pred,
};
