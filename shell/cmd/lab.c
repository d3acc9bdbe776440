/* lab.c - the guided labs: labs, lab N, step, next, back, hint, check, reset,
 * progress. The loader, predicates and progress store live in shell/lab/;
 * this file keeps the lab in progress (ctx->lab), prints, and hooks the
 * shell: the prompt shows "lab 05 step 3/7", and after every command the
 * current step is checked quietly against the kernel. */
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "../box/box.h"
#include "../kernel/cleanup.h"
#include "../kernel/userfile.h"
#include "../kernel/trace.h"
#include "../lab/lab.h"
#include "../lab/md.h"
#include "../repl/tokenize.h"
#include "cmd.h"

struct lab_state {
	struct lab *lab; /* NULL: no lab started */
	int cur;         /* step index */
	bool announced;  /* the current step's pass was said already */
	struct lab_progress prog;
	bool prog_loaded;
	int last_status; /* of the last command that was not CMD_NOLOG */
	bool have_status;
	char **before; /* boxes that existed when the lab started */
	int nbefore;
	char **owned; /* boxes made while the lab ran */
	int nowned;
	char *seen; /* what the commands of this step showed (its last 64 KiB) */
	size_t seen_len;
};

#define SEEN_MAX ((size_t)64 * 1024)

static void seen_clear(struct lab_state *st)
{
	free(st->seen);
	st->seen = NULL;
	st->seen_len = 0;
}

static void seen_add(struct lab_state *st, const char *text, size_t len)
{
	if (len > SEEN_MAX)
		text += len - SEEN_MAX, len = SEEN_MAX;
	if (st->seen_len + len > SEEN_MAX) {
		size_t drop = st->seen_len + len - SEEN_MAX;
		memmove(st->seen, st->seen + drop, st->seen_len - drop);
		st->seen_len -= drop;
	}
	char *n = realloc(st->seen, st->seen_len + len + 2);
	if (!n)
		return;
	st->seen = n;
	memcpy(n + st->seen_len, text, len);
	st->seen_len += len;
	n[st->seen_len++] = '\n';
	n[st->seen_len] = '\0';
}

/* A snapshot for checking the current step of @st. */
static void snap_for(struct lab_snap *snap, struct nslab *ctx, struct lab_state *st)
{
	lab_snap_init(snap, ctx, st->last_status, st->have_status);
	snap->seen = st->seen;
}

static void strv_free(char **v, int n)
{
	for (int i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static bool strv_has(char **v, int n, const char *s)
{
	for (int i = 0; i < n; i++)
		if (strcmp(v[i], s) == 0)
			return true;
	return false;
}

static void strv_add(char ***v, int *n, const char *s)
{
	if (strv_has(*v, *n, s))
		return;
	char **nv = realloc(*v, sizeof(char *) * (*n + 1));
	if (!nv)
		return;
	*v = nv;
	if ((nv[*n] = strdup(s)))
		(*n)++;
}

static void forget_lab(struct lab_state *st);

void lab_state_free(struct nslab *ctx)
{
	struct lab_state *st = ctx->lab;
	if (!st)
		return;
	forget_lab(st);
	lab_progress_free(&st->prog);
	free(st);
	ctx->lab = NULL;
}

static struct lab_state *state(struct nslab *ctx)
{
	if (!ctx->lab) {
		ctx->lab = calloc(1, sizeof(struct lab_state));
		if (!ctx->lab)
			return NULL;
	}
	struct lab_state *st = ctx->lab;
	if (!st->prog_loaded) {
		lab_progress_load(ctx->userdir, ctx->user_uid, ctx->user_gid, &st->prog);
		st->prog_loaded = true;
	}
	return st;
}

static void save_progress(struct nslab *ctx, struct lab_state *st)
{
	if (lab_progress_save(ctx->userdir, ctx->user_uid, ctx->user_gid, &st->prog) < 0)
		out_msg(ctx, _("could not save lab progress in %s/progress"), ctx->userdir);
}

static struct lab_state *need_lab(struct nslab *ctx)
{
	struct lab_state *st = state(ctx);
	if (!st || !st->lab) {
		out_msg(ctx, _("no lab started: 'labs' lists them, 'lab N' starts one"));
		return NULL;
	}
	return st;
}

/* The lab in progress and its current step, for the commands that act on
 * it (next, back, hint, check); NULL, said why, when no lab runs. */
static struct lab_step *need_step(struct nslab *ctx, struct lab_state **ret_st)
{
	struct lab_state *st = need_lab(ctx);
	if (!st)
		return NULL;
	*ret_st = st;
	return &st->lab->steps[st->cur];
}

/* Lab @num in the learner's language, loaded (lab_free it); NULL when it
 * cannot be (`lab N` says why). */
static struct lab *load_lab(struct nslab *ctx, int num)
{
	char path[PATH_MAX];
	struct lab *l = NULL;
	struct lab_error e;
	if (lab_path(ctx->datadir, num, i18n_lang(), path, sizeof(path)) < 0 ||
	    lab_load(path, &l, &e) < 0)
		return NULL;
	return l;
}

static void lab_err_print(struct nslab *ctx, const struct lab_error *e)
{
	if (e->line)
		out_msg(ctx, "%s:%d: %s", e->file, e->line, e->msg);
	else
		out_msg(ctx, "%s: %s", e->file, e->msg);
}

/* ---------------- showing a step ---------------- */

/* The current step holds: record when (the first time only), and say so once. */
static void step_done(struct nslab *ctx, struct lab_state *st)
{
	const struct lab_step *s = &st->lab->steps[st->cur];
	struct lab_prog_step *p = lab_progress_step(&st->prog, st->lab->num, s->id, true);
	if (p && !p->done_at) {
		p->done_at = (long long)time(NULL);
		save_progress(ctx, st);
	}
	st->announced = true;
}

/* Checks on growth (OP +>=) count from now: read their starting values. */
static void baseline(struct nslab *ctx, struct lab_state *st)
{
	struct lab_snap snap;
	snap_for(&snap, ctx, st);
	lab_step_baseline(&snap, &st->lab->steps[st->cur]);
	lab_snap_free(&snap);
}

static void set_step(struct nslab *ctx, struct lab_state *st, int idx)
{
	st->cur = idx;
	st->announced = false;
	seen_clear(st);
	baseline(ctx, st);
	st->prog.labs[st->lab->num].at = idx;
	save_progress(ctx, st);
}

static void show_step(struct nslab *ctx, struct lab_state *st)
{
	const struct lab *l = st->lab;
	const struct lab_step *s = &l->steps[st->cur];
	out(ctx, "\n── %s %02d · %s %d/%d: %s ──\n", _("lab"), l->num, _("step"), st->cur + 1, l->nsteps,
	    s->title);
	if (s->prose && *s->prose) {
		_cleanup_free_ char *text = lab_md_render(s->prose, out_width(ctx), out_color(ctx));
		out(ctx, "\n%s\n", text ? text : s->prose);
	}
	if (s->ncmds) {
		out(ctx, "\n%s\n", _("Try:"));
		for (int i = 0; i < s->ncmds; i++)
			out(ctx, "    %s\n", s->cmds[i]);
	}
	if (s->nchecks) {
		out(ctx, "\n%s\n", _("Checked against the kernel:"));
		for (int i = 0; i < s->nchecks; i++)
			out(ctx, "    %s\n", s->checks[i].text);
	}
	if (s->nhints)
		out(ctx, _("(%d hint(s): type 'hint')\n"), s->nhints);
	if (!s->nchecks) {
		/* Nothing to check: reading it is doing it. */
		step_done(ctx, st);
		if (st->cur + 1 < l->nsteps)
			out(ctx, _("Type 'next' to go on.\n"));
		else
			out(ctx, _("This is the end of lab %02d. 'labs' shows what is next.\n"), l->num);
	}
}

/* ---------------- hooks ---------------- */

static void prompt_extra(struct nslab *ctx, char *buf, size_t len)
{
	struct lab_state *st = ctx->lab;
	if (!st || !st->lab)
		return;
	snprintf(buf, len, _("lab %02d step %d/%d"), st->lab->num, st->cur + 1, st->lab->nsteps);
}

static void track_boxes(struct nslab *ctx, struct lab_state *st)
{
	for (struct box *b = ctx->boxes; b; b = b->next)
		if (!strv_has(st->before, st->nbefore, b->spec.name))
			strv_add(&st->owned, &st->nowned, b->spec.name);
}

/* The full stop after a title, unless it ends in its own ("Who is PID 1?"). */
static const char *stop(const char *title)
{
	size_t n = strlen(title);
	return n && strchr("?!.", title[n - 1]) ? "" : ".";
}

static void after_cmd(struct nslab *ctx, int argc, char **argv, int status)
{
	struct lab_state *st = ctx->lab;
	if (!st || argc == 0)
		return;
	const struct cmd_entry *c = cmd_find(argv[0]);
	if (c && (c->flags & CMD_NOLOG))
		return;
	st->last_status = status;
	st->have_status = true;
	if (!st->lab)
		return;
	if (ctx->last_out && ctx->last_out_len)
		seen_add(st, ctx->last_out, ctx->last_out_len);
	track_boxes(ctx, st);
	struct lab_step *s = &st->lab->steps[st->cur];
	if (st->announced || !s->nchecks)
		return;
	struct lab_snap snap;
	char saw[512];
	snap_for(&snap, ctx, st);
	int failed = lab_check_step(&snap, s, saw, sizeof(saw));
	lab_snap_free(&snap);
	if (failed >= 0)
		return;
	step_done(ctx, st);
	if (st->cur + 1 < st->lab->nsteps)
		out(ctx, _("✓ step %d/%d done: %s%s Type 'next'.\n"), st->cur + 1, st->lab->nsteps, s->title,
		    stop(s->title));
	else
		out(ctx, _("✓ step %d/%d done: %s%s Lab %02d is complete.\n"), st->cur + 1, st->lab->nsteps,
		    s->title, stop(s->title), st->lab->num);
}

/* ---------------- labs ---------------- */

static int exec_labs(struct nslab *ctx, int argc, char **argv)
{
	struct lab_state *st = state(ctx);
	if (!st)
		return CMD_FAIL;
	_cleanup_free_ struct lab_entry *v = NULL;
	int n = lab_list(ctx->datadir, &v);
	if (n <= 0) {
		out_msg(ctx, _("no labs found under %s/labs (set NSLAB_DATADIR, or install nslab)"),
			ctx->datadir);
		return CMD_FAIL;
	}
	for (int i = 0; i < n; i++) {
		struct lab *l = load_lab(ctx, v[i].num);
		if (!l) {
			out(ctx, "  %02d  %-40s %s\n", v[i].num, v[i].slug, _("(cannot be loaded: 'lab N' says why)"));
			continue;
		}
		int done = lab_progress_done(&st->prog, l);
		/* Marks are padded by hand: ✓ and · are one column but several bytes. */
		char mark[32];
		int width = 1;
		if (done == l->nsteps)
			snprintf(mark, sizeof(mark), "✓");
		else if (done)
			width = snprintf(mark, sizeof(mark), "%d/%d", done, l->nsteps);
		else
			snprintf(mark, sizeof(mark), "·");
		bool here = st->lab && st->lab->num == l->num;
		out(ctx, "%s %s%*s %s\n", here ? "▶" : " ", mark, width < 6 ? 6 - width : 0, "",
		    l->title);
		lab_free(l);
	}
	out(ctx, _("'lab N' starts lab N; ✓ done, 3/7 steps done, · not started.\n"));
	return CMD_OK;
}

CMD_REGISTER(labs_cmd) = {
	.name = "labs",
	.args = "",
	.summary = N_("list the guided labs, with your progress"),
	.min_args = 0,
	.max_args = 0,
	.flags = CMD_NOLOG,
	.exec = exec_labs,
};

/* ---------------- lab N ---------------- */

static void forget_lab(struct lab_state *st)
{
	lab_free(st->lab);
	st->lab = NULL;
	strv_free(st->before, st->nbefore);
	strv_free(st->owned, st->nowned);
	st->before = st->owned = NULL;
	st->nbefore = st->nowned = 0;
	seen_clear(st);
}

static int exec_lab(struct nslab *ctx, int argc, char **argv)
{
	long long num;
	if (parse_long(argv[1], 0, LAB_MAX - 1, &num) < 0)
		return out_usage(ctx, cmd_find("lab"), _("'%s' is not a lab number ('labs' lists them)"),
				 argv[1]);
	struct lab_state *st = state(ctx);
	if (!st)
		return CMD_FAIL;
	char path[PATH_MAX];
	if (lab_path(ctx->datadir, (int)num, i18n_lang(), path, sizeof(path)) < 0) {
		out_msg(ctx, _("there is no lab %02lld ('labs' lists them)"), num);
		return CMD_FAIL;
	}
	struct lab *l;
	struct lab_error e;
	if (lab_load(path, &l, &e) < 0) {
		lab_err_print(ctx, &e);
		return CMD_FAIL;
	}
	char missing[2048];
	if (lab_missing_needs(l, ctx->is_root, missing, sizeof(missing)) > 0) {
		out_msg(ctx, _("lab %02d cannot run here; it needs:"), l->num);
		out(ctx, "%s\n", missing);
		lab_free(l);
		return CMD_FAIL;
	}
	forget_lab(st);
	st->lab = l;
	for (struct box *b = ctx->boxes; b; b = b->next)
		strv_add(&st->before, &st->nbefore, b->spec.name);
	ctx->prompt_extra = prompt_extra;
	ctx->after_cmd = after_cmd;
	int at = st->prog.labs[l->num].at;
	if (at < 0 || at >= l->nsteps)
		at = 0;
	out(ctx, "\n%s\n", l->title);
	if (l->intro && *l->intro) {
		_cleanup_free_ char *text = lab_md_render(l->intro, out_width(ctx), out_color(ctx));
		out(ctx, "\n%s\n", text ? text : l->intro);
	}
	if (at > 0)
		out(ctx, _("\n(resuming at step %d of %d: 'back' goes back, 'reset' starts over)\n"),
		    at + 1, l->nsteps);
	st->cur = at;
	st->announced = false;
	baseline(ctx, st);
	show_step(ctx, st);
	return CMD_OK;
}

CMD_REGISTER(lab_cmd) = {
	.name = "lab",
	.args = "N",
	.summary = N_("start (or resume) lab N"),
	.help = N_("Loads labs/NN-*/LANG.md, checks what the lab needs (root, namespaces, cgroup2, "
		   "overlay, LSM) and shows the current step. After every command the step is "
		   "checked against the kernel; when it holds, nslab says so."),
	.min_args = 1,
	.max_args = 1,
	.flags = CMD_NOLOG,
	.exec = exec_lab,
};

/* ---------------- step, next, back ---------------- */

static int exec_step(struct nslab *ctx, int argc, char **argv)
{
	struct lab_state *st = need_lab(ctx);
	if (!st)
		return CMD_FAIL;
	show_step(ctx, st);
	return CMD_OK;
}

CMD_REGISTER(step_cmd) = {
	.name = "step",
	.args = "",
	.summary = N_("show the current lab step again"),
	.min_args = 0,
	.max_args = 0,
	.flags = CMD_NOLOG,
	.exec = exec_step,
};

static int exec_move(struct nslab *ctx, int argc, char **argv)
{
	struct lab_state *st;
	struct lab_step *s = need_step(ctx, &st);
	if (!s)
		return CMD_FAIL;
	bool fwd = strcmp(argv[0], "next") == 0;
	int to = st->cur + (fwd ? 1 : -1);
	if (to < 0) {
		out_msg(ctx, _("this is the first step"));
		return CMD_FAIL;
	}
	if (to >= st->lab->nsteps) {
		out_msg(ctx, _("this is the last step of lab %02d; 'labs' shows the others"), st->lab->num);
		return CMD_FAIL;
	}
	bool force = argc > 1 && strcmp(argv[1], "--force") == 0;
	if (argc > 1 && !force) {
		out_msg(ctx, _("'%s' takes only --force (go on although the step does not hold)"), argv[0]);
		return CMD_USAGE;
	}
	struct lab_prog_step *p = lab_progress_step(&st->prog, st->lab->num, s->id, false);
	if (fwd && s->nchecks && !(p && p->done_at)) {
		/* Later steps build on this one: look at the kernel now. */
		struct lab_snap snap;
		char saw[512];
		snap_for(&snap, ctx, st);
		int failed = lab_check_step(&snap, s, saw, sizeof(saw));
		lab_snap_free(&snap);
		if (failed >= 0 && !force) {
			out_msg(ctx, _("step %d does not hold yet: %s (saw: %s). 'check' says more, 'hint' "
				       "helps; 'next --force' goes on anyway"),
				st->cur + 1, s->checks[failed].text, saw);
			return CMD_FAIL;
		}
		if (failed >= 0)
			out(ctx, _("(step %d does not hold; going on as asked. 'back' returns to it)\n"),
			    st->cur + 1);
		else
			step_done(ctx, st);
	}
	set_step(ctx, st, to);
	show_step(ctx, st);
	return CMD_OK;
}

CMD_REGISTER(next_cmd) = {
	.name = "next",
	.args = "[--force]",
	.summary = N_("go to the next lab step (--force: although this one does not hold)"),
	.min_args = 0,
	.max_args = 1,
	.flags = CMD_NOLOG,
	.exec = exec_move,
};

CMD_REGISTER(back_cmd) = {
	.name = "back",
	.args = "",
	.summary = N_("go back one lab step"),
	.min_args = 0,
	.max_args = 0,
	.flags = CMD_NOLOG,
	.exec = exec_move,
};

/* ---------------- hint ---------------- */

static int exec_hint(struct nslab *ctx, int argc, char **argv)
{
	struct lab_state *st;
	struct lab_step *s = need_step(ctx, &st);
	if (!s)
		return CMD_FAIL;
	if (!s->nhints) {
		out(ctx, _("this step has no hints; 'step' shows it again\n"));
		return CMD_OK;
	}
	struct lab_prog_step *p = lab_progress_step(&st->prog, st->lab->num, s->id, true);
	int k = p ? p->hints : 0;
	if (k >= s->nhints) {
		out(ctx, _("(that was the last hint; here it is again)\n"));
		k = s->nhints - 1;
	} else if (p) {
		p->hints = k + 1;
		save_progress(ctx, st);
	}
	out(ctx, _("Hint %d/%d:\n%s\n"), k + 1, s->nhints, s->hints[k]);
	return CMD_OK;
}

CMD_REGISTER(hint_cmd) = {
	.name = "hint",
	.args = "",
	.summary = N_("one more hint for the current lab step"),
	.min_args = 0,
	.max_args = 0,
	.flags = CMD_NOLOG,
	.exec = exec_hint,
};

/* ---------------- check ---------------- */

static int exec_check(struct nslab *ctx, int argc, char **argv)
{
	struct lab_state *st;
	struct lab_step *s = need_step(ctx, &st);
	if (!s)
		return CMD_FAIL;
	if (!s->nchecks) {
		out(ctx, _("step %d has nothing to check: 'next' goes on\n"), st->cur + 1);
		return CMD_OK;
	}
	struct lab_snap snap;
	snap_for(&snap, ctx, st);
	int rc = CMD_OK;
	/* The checker's own probes are not the learner's calls (lab_check_step). */
	int quiet = tr_quiet(1);
	for (int i = 0; i < s->nchecks; i++) {
		struct lab_check *c = &s->checks[i];
		char saw[512] = "";
		snap.check = c;
		bool ok = c->pred->eval(&snap, c->argc, c->argv, saw, sizeof(saw));
		out(ctx, "  %s %s\n", ok ? "✓" : "✗", c->text);
		if (!ok) {
			out(ctx, _("      saw: %s\n"), saw);
			rc = CMD_FAIL;
			break;
		}
	}
	tr_quiet(quiet);
	lab_snap_free(&snap);
	if (rc == CMD_OK) {
		step_done(ctx, st);
		out(ctx, st->cur + 1 < st->lab->nsteps ? _("step %d holds. Type 'next'.\n")
						       : _("step %d holds. The lab is complete.\n"),
		    st->cur + 1);
	} else if (s->nhints) {
		out(ctx, _("not yet: 'hint' helps\n"));
	}
	return rc;
}

CMD_REGISTER(check_cmd) = {
	.name = "check",
	.args = "",
	.summary = N_("check the current lab step against the kernel, and say what is missing"),
	.min_args = 0,
	.max_args = 0,
	.flags = CMD_NOLOG,
	.exec = exec_check,
};

/* ---------------- reset ---------------- */

static void remove_box(struct nslab *ctx, struct box *b)
{
	for (struct box **pp = &ctx->boxes; *pp; pp = &(*pp)->next)
		if (*pp == b) {
			*pp = b->next;
			break;
		}
	if (ctx->cur == b)
		ctx->cur = NULL;
	box_destroy(ctx->sess, b);
}

static int exec_reset(struct nslab *ctx, int argc, char **argv)
{
	struct lab_state *st = need_lab(ctx);
	if (!st)
		return CMD_FAIL;
	/* The lab's boxes: those made while it ran, and those its steps name. */
	char **names = NULL;
	int nnames = 0;
	track_boxes(ctx, st);
	for (int i = 0; i < st->nowned; i++)
		strv_add(&names, &nnames, st->owned[i]);
	for (int i = 0; i < st->lab->nsteps; i++) {
		const struct lab_step *s = &st->lab->steps[i];
		for (int k = 0; k < s->ncmds; k++) {
			struct tok_cmd *tc;
			const char *terr;
			int n = tok_split(s->cmds[k], &tc, &terr);
			for (int j = 0; j < n; j++)
				if (tc[j].argc >= 3 && !strcmp(tc[j].argv[0], "box") &&
				    !strcmp(tc[j].argv[1], "new"))
					strv_add(&names, &nnames, tc[j].argv[2]);
			if (n > 0)
				tok_free(tc, n);
		}
	}
	int removed = 0;
	for (int i = 0; i < nnames; i++) {
		struct box *b = box_find(ctx, names[i]);
		if (b) {
			remove_box(ctx, b);
			out(ctx, _("box %s removed\n"), names[i]);
			removed++;
		}
	}
	strv_free(names, nnames);
	strv_free(st->owned, st->nowned);
	st->owned = NULL;
	st->nowned = 0;
	int rc = CMD_OK;
	for (int i = 0; i < st->lab->ncleanup; i++) {
		struct tok_cmd *tc;
		const char *terr;
		int n = tok_split(st->lab->cleanup[i], &tc, &terr);
		for (int j = 0; j < n; j++)
			if (cmd_run(ctx, tc[j].argc, tc[j].argv) != CMD_OK)
				rc = CMD_FAIL;
		if (n > 0)
			tok_free(tc, n);
	}
	st->have_status = false;
	free(ctx->last_out);
	ctx->last_out = NULL;
	ctx->last_out_len = 0;
	out(ctx, _("lab %02d reset: %d box(es) removed; back to step 1 (steps already done stay "
		   "recorded)\n"),
	    st->lab->num, removed);
	set_step(ctx, st, 0);
	show_step(ctx, st);
	return rc;
}

CMD_REGISTER(reset_cmd) = {
	.name = "reset",
	.args = "",
	.summary = N_("undo what the current lab made (its boxes) and go back to step 1"),
	.min_args = 0,
	.max_args = 0,
	.flags = CMD_NOLOG,
	.exec = exec_reset,
};

/* ---------------- progress ---------------- */

static void json_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c == '\n')
			fputs("\\n", f);
		else if (c < 0x20)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

static void iso_time(long long t, char *buf, size_t len)
{
	time_t tt = (time_t)t;
	struct tm tm;
	gmtime_r(&tt, &tm);
	strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static int export_json(struct nslab *ctx, struct lab_state *st, const char *path)
{
	/* The learner's file: opened with the learner's rights, no link followed. */
	struct uf_user uu = { ctx->user_uid, ctx->user_gid };
	int fd = uf_open(&uu, path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0) {
		struct nerr e;
		nerr_set(&e, -fd, "open", "open(\"%s\", O_WRONLY|O_CREAT|O_NOFOLLOW) as uid %u", path,
			 (unsigned)ctx->user_uid);
		return out_nerr(ctx, &e);
	}
	FILE *f = fdopen(fd, "w");
	if (!f) {
		close(fd);
		return CMD_FAIL;
	}
	struct passwd *pw = getpwuid(ctx->user_uid);
	struct utsname u;
	uname(&u);
	char now[32];
	iso_time((long long)time(NULL), now, sizeof(now));
	fprintf(f, "{\n  \"format\": \"nslab-progress/1\",\n  \"nslab\": \"%s\",\n  \"user\": ",
		NSLAB_VERSION);
	json_str(f, pw ? pw->pw_name : "unknown");
	fprintf(f, ",\n  \"host\": ");
	json_str(f, u.nodename);
	fprintf(f, ",\n  \"lang\": \"%s\",\n  \"exported\": \"%s\",\n  \"labs\": [", i18n_lang(), now);
	_cleanup_free_ struct lab_entry *v = NULL;
	int n = lab_list(ctx->datadir, &v);
	int written = 0;
	for (int i = 0; i < n; i++) {
		struct lab *l = load_lab(ctx, v[i].num);
		if (!l)
			continue;
		int done = lab_progress_done(&st->prog, l);
		fprintf(f, "%s\n    {\"number\": %d, \"slug\": ", written++ ? "," : "", l->num);
		json_str(f, l->slug);
		fprintf(f, ", \"title\": ");
		json_str(f, l->title);
		fprintf(f, ", \"steps_total\": %d, \"steps_done\": %d, \"complete\": %s,\n     \"steps\": [",
			l->nsteps, done, done == l->nsteps ? "true" : "false");
		for (int k = 0; k < l->nsteps; k++) {
			struct lab_prog_step *p = lab_progress_step(&st->prog, l->num, l->steps[k].id, false);
			fprintf(f, "%s\n       {\"id\": ", k ? "," : "");
			json_str(f, l->steps[k].id);
			if (p && p->done_at) {
				char t[32];
				iso_time(p->done_at, t, sizeof(t));
				fprintf(f, ", \"done\": true, \"done_at\": \"%s\"", t);
			} else {
				fprintf(f, ", \"done\": false, \"done_at\": null");
			}
			fprintf(f, ", \"hints\": %d}", p ? p->hints : 0);
		}
		fprintf(f, "]}");
		lab_free(l);
	}
	fprintf(f, "\n  ]\n}\n");
	if (fclose(f) != 0) {
		struct nerr e;
		nerr_set(&e, errno, "write", "write(\"%s\")", path);
		return out_nerr(ctx, &e);
	}
	out(ctx, _("progress written to %s\n"), path);
	return CMD_OK;
}

static int exec_progress(struct nslab *ctx, int argc, char **argv)
{
	struct lab_state *st = state(ctx);
	if (!st)
		return CMD_FAIL;
	if (argc > 1) {
		if (strcmp(argv[1], "--export") != 0 || argc != 3)
			return out_usage(ctx, cmd_find("progress"), _("write: progress --export FILE"));
		return export_json(ctx, st, argv[2]);
	}
	_cleanup_free_ struct lab_entry *v = NULL;
	int n = lab_list(ctx->datadir, &v);
	int total = 0, done_all = 0;
	for (int i = 0; i < n; i++) {
		struct lab *l = load_lab(ctx, v[i].num);
		if (!l)
			continue;
		int done = lab_progress_done(&st->prog, l);
		total += l->nsteps;
		done_all += done;
		out(ctx, "  %02d  %2d/%-2d %s\n", l->num, done, l->nsteps, l->title);
		lab_free(l);
	}
	out(ctx, _("%d of %d steps done. Saved in %s/progress; 'progress --export FILE' writes "
		   "JSON for your instructor.\n"),
	    done_all, total, ctx->userdir);
	return CMD_OK;
}

CMD_REGISTER(progress_cmd) = {
	.name = "progress",
	.args = "[--export FILE]",
	.summary = N_("your lab progress; --export writes it as JSON for an instructor"),
	.min_args = 0,
	.max_args = 2,
	.flags = CMD_NOLOG,
	.complete = COMPLETE_FILE,
	.exec = exec_progress,
};
