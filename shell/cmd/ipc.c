/* ipc.c - ipc [BOX] | ipc new shm|msg|sem: System V IPC objects, seen and made
 * from inside a box's IPC namespace (lab 04). The rootfs's busybox has no
 * ipcmk/ipcs, so nslab asks the kernel itself (shell/kernel/nsquery.c). */
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "../box/box.h"
#include "../kernel/nsquery.h"
#include "cmd.h"

static const char *const kinds[] = { "shm", "msg", "sem" };

static int ipc_list(struct nslab *ctx, const char *who)
{
	pid_t pid = who && strcmp(who, "host") == 0 ? getpid() : resolve_pid(ctx, who);
	if (pid < 0)
		return CMD_FAIL;
	const char *name = who ? who : ctx->cur ? ctx->cur->spec.name : "host";
	out(ctx, _("System V IPC objects in the IPC namespace of %s (PID %d):\n"), name, (int)pid);
	for (int k = 0; k < 3; k++) {
		struct nerr e = { 0 };
		int n = nsq_ipc_count(pid, (enum nsq_ipc)k, &e);
		if (n < 0)
			return out_nerr(ctx, &e);
		out(ctx, "  %-4s %d\n", kinds[k], n);
	}
	return CMD_OK;
}

static int exec_ipc(struct nslab *ctx, int argc, char **argv)
{
	if (argc < 2 || strcmp(argv[1], "new") != 0) {
		if (argc > 2)
			return out_usage(ctx, cmd_find("ipc"), _("too many arguments"));
		return ipc_list(ctx, argc > 1 ? argv[1] : NULL);
	}
	if (argc != 3)
		return out_usage(ctx, cmd_find("ipc"), _("say which kind: ipc new shm|msg|sem"));
	int k;
	for (k = 0; k < 3 && strcmp(argv[2], kinds[k]); k++)
		;
	if (k == 3)
		return out_usage(ctx, cmd_find("ipc"), _("unknown kind '%s' (shm, msg or sem)"), argv[2]);
	/* On the host an object would outlive nslab; in a box it dies with the
	 * box's IPC namespace. */
	if (!ctx->cur || !(ctx->cur->spec.ns & CLONE_NEWIPC)) {
		out_msg(ctx, _("ipc new works in a box with its own IPC namespace (box new NAME --ns "
			       "ipc,...; use NAME): made on the host, the object would outlive nslab"));
		return CMD_FAIL;
	}
	if (box_poll_dead(ctx->cur)) {
		out_msg(ctx, _("box %s has stopped"), ctx->cur->spec.name);
		return CMD_FAIL;
	}
	struct nerr e = { 0 };
	int id = nsq_ipc_make(ctx->cur->pid, (enum nsq_ipc)k, &e);
	if (id < 0)
		return out_nerr(ctx, &e);
	out(ctx, _("%s id %d made in the IPC namespace of box %s\n"), kinds[k], id, ctx->cur->spec.name);
	return CMD_OK;
}

CMD_REGISTER(ipc_cmd) = {
	.name = "ipc",
	.args = "[BOX|PID] | ipc new shm|msg|sem",
	.summary = N_("System V IPC objects of a box's IPC namespace; make one"),
	.help = N_("ipc counts the shared memory segments, message queues and semaphore sets "
		   "that a process sees: a child joins the IPC namespace with setns(2) and reads "
		   "/proc/sysvipc/*. ipc new makes one (shmget, msgget or semget) inside the "
		   "current box."),
	.min_args = 0,
	.max_args = 2,
	.flags = CMD_ROOT,
	.complete = COMPLETE_BOX,
	.exec = exec_ipc,
};
