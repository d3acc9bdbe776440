/* top.c - `top` (also `nslab top`): the pane alone, live or as one text snapshot. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../box/box.h"
#include "../box/state.h"
#include "../kernel/cleanup.h"
#include "../kernel/procfs.h"
#include "../repl/panectl.h"
#include "../ui/pane.h"
#include "../ui/render.h"
#include "cmd.h"

static const struct cmd_entry top_cmd;

/* A box of this run, a box of any nslab run, or a PID. */
static int resolve(struct nslab *ctx, const char *word, struct ui_want *w, char *name,
		   size_t len)
{
	struct box *b = box_find(ctx, word);
	if (b) {
		snprintf(name, len, "%s", b->spec.name);
		w->pid = b->pid;
		w->name = name;
		w->session = getpid();
		return 0;
	}
	_cleanup_close_ int proc = proc_open_root();
	struct ui_boxrec recs[64];
	size_t n = proc < 0 ? 0 : ui_boxes_list(proc, sess_rundir(), getpid(), recs, 64);
	for (size_t i = 0; i < n; i++)
		if (strcmp(recs[i].name, word) == 0) {
			snprintf(name, len, "%s", recs[i].name);
			w->pid = recs[i].pid;
			w->name = name;
			w->session = recs[i].session;
			return 0;
		}
	long long v;
	if (parse_long(word, 1, 4194304, &v) < 0) {
		out_usage(ctx, &top_cmd, _("'%s' is neither a PID nor a box name"), word);
		return -EINVAL;
	}
	char path[32];
	snprintf(path, sizeof(path), "/proc/%lld", v);
	if (access(path, F_OK) < 0) {
		out_msg(ctx, _("no process %lld (it may have ended; 'tree' shows what runs)"), v);
		return -ESRCH;
	}
	w->pid = (pid_t)v;
	return 0;
}

static int exec_top(struct nslab *ctx, int argc, char **argv)
{
	bool once = false, big = false;
	const char *target = NULL;
	long long follow = 0;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--follow") == 0) {
			if (i + 1 >= argc || parse_long(argv[i + 1], 1, 4194304, &follow) < 0)
				return out_usage(ctx, &top_cmd, _("--follow wants a session PID"));
			i++;
		} else if (strcmp(argv[i], "--once") == 0)
			once = true;
		else if (strcmp(argv[i], "--big") == 0)
			big = true;
		else if (argv[i][0] == '-')
			return out_usage(ctx, &top_cmd, _("unknown option '%s'"), argv[i]);
		else if (target)
			return out_usage(ctx, &top_cmd, _("unexpected word '%s'"), argv[i]);
		else
			target = argv[i];
	}
	struct ui_want w = { .calls = true };
	char name[64];
	if (target) {
		int r = resolve(ctx, target, &w, name, sizeof(name));
		if (r < 0)
			return r == -EINVAL ? CMD_USAGE : CMD_FAIL;
	}
	if (ctx->cur)
		w.current = ctx->cur->spec.name;
	if (!once) {
		if (!isatty(0) || !isatty(1)) {
			out_msg(ctx, _("top needs a terminal; 'top --once' prints one snapshot"));
			return CMD_USAGE;
		}
		return ui_top_run(ctx, &w, big, (pid_t)follow) < 0 ? CMD_FAIL : CMD_OK;
	}
	_cleanup_close_ int proc = proc_open_root();
	struct ui_model m;
	if (proc < 0 || ui_model_init(&m, proc, sess_rundir(), "/sys/fs/cgroup", getpid()) < 0) {
		struct nerr e;
		nerr_set(&e, proc < 0 ? -proc : ENOMEM, "open", "open(\"/proc\")");
		return out_nerr(ctx, &e);
	}
	int r = ui_model_scan(&m, &w, ui_now_ms());
	if (r < 0) {
		ui_model_free(&m);
		struct nerr e;
		nerr_set(&e, -r, "readlink", "readlink(\"/proc/%d/ns/*\")", (int)getpid());
		return out_nerr(ctx, &e);
	}
	if (w.pid && !m.snap.nt) {
		ui_model_free(&m);
		out_msg(ctx, _("no process %d (it may have ended; 'tree' shows what runs)"), (int)w.pid);
		return CMD_FAIL;
	}
	fflush(ctx->out);
	ui_render_text(&m.snap, ctx->out);
	ui_model_free(&m);
	return CMD_OK;
}

CMD_REGISTER(top_cmd) = {
	.name = "top",
	.args = "[--once] [--big] [--follow SESSION] [PID|BOX]",
	.summary = N_("live view: namespaces, cgroups, processes (the pane alone)"),
	.help = N_("top shows the host's namespace ids beside each nslab box's (marked * where "
		   "they differ), each box's cgroup figures, its process tree with both PIDs "
		   "(host=inside), and the last system calls. Without PID or BOX it shows every "
		   "live nslab box, also those of other nslab sessions. --once prints one plain "
		   "snapshot and returns; --big uses bold, high-contrast colours for a projector. "
		   "In the live view: q quits, b toggles --big."),
	.min_args = 0,
	.max_args = 5,
	.flags = CMD_TOPLEVEL | CMD_NOLOG,
	.complete = COMPLETE_BOX,
	.exec = exec_top,
};

/* ---------------- pane ---------------- */

static const struct cmd_entry pane_cmd;

static int exec_pane(struct nslab *ctx, int argc, char **argv)
{
	const char *what = argc > 1 ? argv[1] : "";
	if (!ctx->interactive) {
		out_msg(ctx, _("the pane lives beside the interactive prompt only; 'top --once' "
			       "prints the same view"));
		return CMD_USAGE;
	}
	if (strcmp(what, "on") == 0) {
		if (pane_open(ctx) < 0)
			return CMD_FAIL;
	} else if (strcmp(what, "off") == 0) {
		pane_close(ctx);
	} else if (strcmp(what, "big") == 0 || strcmp(what, "normal") == 0) {
		pane_set_big(ctx, strcmp(what, "big") == 0);
	} else {
		return out_usage(ctx, &pane_cmd, _("say on, off, big or normal"));
	}
	return CMD_OK;
}

CMD_REGISTER(pane_cmd) = {
	.name = "pane",
	.args = "on|off|big|normal",
	.summary = N_("show or hide the live pane; big: high contrast for a projector"),
	.min_args = 1,
	.max_args = 1,
	.flags = CMD_NOLOG,
	.complete = COMPLETE_SUB,
	.subs = "on off big normal",
	.exec = exec_pane,
};
