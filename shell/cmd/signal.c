/* signal.c - kill [-SIG] PID|BOX: send a signal from the host to a process in
 * a box (lab 05: the host sees and can kill what runs in a pid namespace;
 * when a box's PID 1 ends, the kernel kills the rest of its namespace).
 * Only processes inside nslab's own boxes can be targeted: the learner's VM
 * is never at risk from a typo. */
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "../box/box.h"
#include "../kernel/cleanup.h"
#include "../kernel/ns.h"
#include "../kernel/procfs.h"
#include "../kernel/trace.h"
#include "cmd.h"

static const struct {
	const char *name;
	int sig;
} sigs[] = {
	{ "HUP", SIGHUP },   { "INT", SIGINT },   { "QUIT", SIGQUIT }, { "KILL", SIGKILL },
	{ "USR1", SIGUSR1 }, { "USR2", SIGUSR2 }, { "TERM", SIGTERM }, { "CONT", SIGCONT },
	{ "STOP", SIGSTOP },
};

static int parse_sig(const char *w)
{
	if (!strncmp(w, "SIG", 3))
		w += 3;
	for (size_t i = 0; i < ARRAY_SIZE(sigs); i++)
		if (!strcasecmp(w, sigs[i].name))
			return sigs[i].sig;
	long long v;
	if (parse_long(w, 1, 64, &v) == 0)
		return (int)v;
	return -1;
}

/* Is @pid one of the box's processes: in its pid namespace (when it has one),
 * or its first process or a descendant of it? */
static bool in_box(int proc, const struct box *b, pid_t pid)
{
	if (pid == b->pid)
		return true;
	uint64_t a[NS_COUNT], t[NS_COUNT];
	if ((b->spec.ns & CLONE_NEWPID) && ns_read_ids(proc, b->pid, a) > 0 &&
	    ns_read_ids(proc, pid, t) > 0 && a[NS_PID] == t[NS_PID])
		return true;
	struct proc_stat st;
	for (int hops = 0; hops < 64 && proc_stat_read(proc, pid, &st) == 0 && st.ppid > 1; hops++) {
		if (st.ppid == b->pid)
			return true;
		pid = st.ppid;
	}
	return false;
}

/* Give a fatal signal a moment to act, so that what runs next (a lab check,
 * tree) sees the process gone rather than dying. */
static void wait_gone(struct box *owner, pid_t pid, int sig)
{
	if (sig == SIGSTOP || sig == SIGCONT)
		return;
	for (int i = 0; i < 100; i++) {
		if (pid == owner->pid ? box_poll_dead(owner) : proc_starttime(pid) == 0)
			return;
		usleep(10000);
	}
}

static int exec_kill(struct nslab *ctx, int argc, char **argv)
{
	int sig = SIGTERM;
	int i = 1;
	if (argv[1][0] == '-') {
		sig = parse_sig(argv[1] + 1);
		if (sig < 0)
			return out_usage(ctx, cmd_find("kill"), _("unknown signal '%s' (TERM, KILL, INT, "
								 "HUP, STOP, CONT, USR1, USR2 or 1-64)"),
					 argv[1] + 1);
		i = 2;
	}
	if (i >= argc)
		return out_usage(ctx, cmd_find("kill"), _("say which PID or box"));
	int rc = CMD_OK;
	_cleanup_close_ int proc = proc_open_root();
	for (; i < argc; i++) {
		pid_t pid = resolve_pid(ctx, argv[i]);
		if (pid < 0) {
			rc = CMD_FAIL;
			continue;
		}
		struct box *owner = NULL;
		for (struct box *b = ctx->boxes; b && !owner; b = b->next)
			if (!box_poll_dead(b) && in_box(proc, b, pid))
				owner = b;
		if (!owner) {
			out_msg(ctx, _("PID %d is not in one of nslab's boxes: nslab only signals its own "
				       "processes (use the system's kill for others)"),
				(int)pid);
			rc = CMD_FAIL;
			continue;
		}
		int r = kill(pid, sig);
		tr_call(r, errno, "kill(%d, %d)", (int)pid, sig);
		if (r < 0) {
			struct nerr e;
			nerr_set(&e, errno, "kill", "kill(%d, %d)", (int)pid, sig);
			out_nerr(ctx, &e);
			rc = CMD_FAIL;
			continue;
		}
		out(ctx, _("signal %d sent to PID %d (box %s)\n"), sig, (int)pid, owner->spec.name);
		wait_gone(owner, pid, sig);
	}
	return rc;
}

CMD_REGISTER(kill_cmd) = {
	.name = "kill",
	.args = "[-SIG] PID|BOX...",
	.summary = N_("send a signal (default TERM) from the host to a process in a box"),
	.help = N_("kill(2) from the host: the host names a box's processes by their host PIDs "
		   "(tree shows both ids). Killing a box's PID 1 ends its pid namespace: the kernel "
		   "kills every process left in it."),
	.min_args = 1,
	.max_args = -1,
	.flags = CMD_ROOT,
	.complete = COMPLETE_BOX,
	.exec = exec_kill,
};
