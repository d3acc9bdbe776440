/* lsm.c - lsm: which Linux Security Module guards this kernel, what label a
 * process carries, and (AppArmor) loading nslab's small profile. */
#include <errno.h>
#include <sched.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../box/box.h"
#include "../kernel/lsm.h"
#include "../kernel/ns.h"
#include "security.h"

extern char **environ;

static const struct cmd_entry lsm_cmd;

static void explain_none(struct nslab *ctx, const struct lsm_info *li)
{
	out(ctx, _("No AppArmor or SELinux is active on this kernel, so nothing can be shown "
		   "confining a box here; that is not an error.\n"));
	out(ctx, _("Docker on such a host runs containers without an LSM profile: 'docker info' "
		   "shows neither apparmor nor selinux under Security Options.\n"));
	out(ctx, _("On Ubuntu (the classroom VMs) AppArmor is active: there, 'lsm load' and "
		   "'box new b1 --apparmor nslab-box' show a write that root cannot make.\n"));
	if (!li->securityfs && !li->list_private)
		out(ctx, _("(securityfs is not mounted at /sys/kernel/security, so the full list "
			   "of modules cannot be read; /proc/self/attr/current says EINVAL: no "
			   "module labels processes.)\n"));
}

static int lsm_status(struct nslab *ctx, const char *word)
{
	struct lsm_info li;
	lsm_detect("", &li);
	char pad[64];
	out(ctx, "  %s %s%s\n", out_pad(pad, sizeof(pad), _("modules"), 10),
	    li.securityfs || li.list_private ? li.list : _("(unknown: securityfs not mounted)"),
	    li.list_private ? _(" (securityfs mounted in a private mount namespace to read it)") : "");
	if (lsm_has(&li, "landlock"))
		out(ctx, "  %-10s %s\n", "Landlock",
		    _("active: any process may restrict itself (and its children) to the files it "
		      "names, no privilege needed (lab 19)"));
	if (lsm_has(&li, "bpf"))
		out(ctx, "  %-10s %s\n", "BPF",
		    _("active: eBPF programs may be attached to LSM hooks (root only)"));
	if (lsm_has(&li, "lockdown"))
		out(ctx, "  %-10s %s\n", "lockdown",
		    _("active: keeps even root from changing the running kernel, when set"));
	out(ctx, "  %-10s %s\n", "AppArmor",
	    li.apparmor ? (li.apparmor_fs ? _("enabled; profiles can be loaded")
					  : _("enabled, but /sys/kernel/security/apparmor is absent"))
			: _("not active"));
	out(ctx, "  %-10s %s\n", "SELinux",
	    !li.selinux ? _("not active")
	    : li.selinux_enforce == 1 ? _("enforcing")
				      : _("permissive (denials are logged, not enforced)"));
	if (!li.apparmor && !li.selinux) {
		explain_none(ctx, &li);
		return CMD_OK;
	}
	struct sec_target t;
	if (sec_target_get(ctx, word, &t) < 0)
		return CMD_FAIL;
	out(ctx, "  %s %s\n", out_pad(pad, sizeof(pad), _("label"), 10),
	    t.label[0] ? t.label : _("(none could be read)"));
	if (li.apparmor)
		out(ctx, "  %-10s %s\n", "nslab-box",
		    lsm_apparmor_loaded("nslab-box") ? _("loaded") : _("not loaded: lsm load"));
	sec_target_free(&t);
	return CMD_OK;
}

static int lsm_load(struct nslab *ctx)
{
	struct lsm_info li;
	lsm_detect("", &li);
	if (!li.apparmor_fs) {
		explain_none(ctx, &li);
		return CMD_FAIL;
	}
	char path[PATH_MAX];
	snprintf(path, sizeof(path), "%s/profiles/apparmor/nslab-box", ctx->datadir);
	char *argv[] = { "apparmor_parser", "-r", path, NULL };
	pid_t pid;
	int r = posix_spawnp(&pid, "apparmor_parser", NULL, NULL, argv, environ);
	if (r != 0) {
		struct nerr e;
		nerr_setw(&e, r, "posix_spawn",
			  N_("apparmor_parser is missing: apt-get install apparmor"),
			  "apparmor_parser -r %s", path);
		return out_nerr(ctx, &e);
	}
	int st;
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		out_msg(ctx, _("apparmor_parser could not load %s (its messages are above)"), path);
		return CMD_FAIL;
	}
	out(ctx, _("profile nslab-box loaded (apparmor_parser -r %s). Use it: box new b1 "
		   "--apparmor nslab-box\n"),
	    path);
	return CMD_OK;
}

/* lsm landlock CMD...: CMD inside the current box (its namespaces and root),
 * in a Landlock domain that lets it write only beneath the box's /tmp and
 * /dev. A child of the shell opens what it needs from /proc/PID first (a
 * process in a Landlock domain may not reach into /proc of one outside it),
 * takes the domain, enters the box and forks CMD; the domain goes with it
 * through setns, chroot and execve. CMD has the box's namespaces but not its
 * capability or seccomp confinement: the lab is about Landlock alone. */
static __attribute__((noreturn)) void landlock_child(const struct box *b, char **argv, int outfd)
{
	struct nerr e = { 0 };
	char path[96], tmp[64], dev[64];
	int nsfd[NS_COUNT];
	int n = 0;
	for (int i = 0; i < NS_COUNT; i++) {
		if (!(b->spec.ns & ns_types[i].flag))
			continue;
		snprintf(path, sizeof(path), "/proc/%d/ns/%s", (int)b->pid, ns_types[i].name);
		nsfd[n++] = open(path, O_RDONLY | O_CLOEXEC);
	}
	snprintf(path, sizeof(path), "/proc/%d/root", (int)b->pid);
	int root = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	snprintf(tmp, sizeof(tmp), "/proc/%d/root/tmp", (int)b->pid);
	snprintf(dev, sizeof(dev), "/proc/%d/root/dev", (int)b->pid);
	const char *dirs[] = { tmp, dev };
	int abi = lsm_landlock_write_only(dirs, 2, &e);
	if (abi < 0 || root < 0) {
		dprintf(outfd, "%s: %s (%s)\n", e.call, e.what, strerrorname_np(e.code));
		_exit(127);
	}
	dprintf(outfd, _("Landlock ABI %d: from here on, writes only beneath the box's /tmp and /dev\n"),
		abi);
	for (int i = 0; i < n; i++)
		if (nsfd[i] < 0 || setns(nsfd[i], 0) < 0) {
			dprintf(outfd, "setns: %s\n", strerrorname_np(errno));
			_exit(127);
		}
	if (fchdir(root) < 0 || chroot(".") < 0 || chdir("/") < 0) {
		dprintf(outfd, "chroot: %s\n", strerrorname_np(errno));
		_exit(127);
	}
	pid_t pid = fork(); /* a new pid namespace takes children only */
	if (pid == 0) {
		dup2(outfd, 1);
		dup2(outfd, 2);
		execvp(argv[0], argv);
		dprintf(outfd, "execve(\"%s\"): %s\n", argv[0], strerrorname_np(errno));
		_exit(127);
	}
	int st = 0;
	while (pid > 0 && waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	_exit(pid < 0 ? 127 : WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st));
}

static int lsm_landlock(struct nslab *ctx, int argc, char **argv)
{
	struct box *b = ctx->cur;
	if (!b || box_poll_dead(b)) {
		out_msg(ctx, _("lsm landlock works on the current box: make one with 'box new NAME'"));
		return CMD_FAIL;
	}
	int pfd[2];
	fflush(ctx->out);
	if (pipe2(pfd, O_CLOEXEC) < 0)
		return CMD_FAIL;
	pid_t pid = fork();
	if (pid == 0) {
		close(pfd[0]);
		landlock_child(b, argv, pfd[1]);
	}
	close(pfd[1]);
	size_t cap = 65536, len = 0;
	char *buf = malloc(cap);
	ssize_t n;
	while (buf && (n = read(pfd[0], buf + len, cap - 1 - len)) > 0) {
		fwrite(buf + len, 1, (size_t)n, ctx->out);
		len += (size_t)n;
		if (len + 1 >= cap)
			break;
	}
	close(pfd[0]);
	int st = 0;
	while (pid > 0 && waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	if (buf)
		buf[len] = '\0';
	free(ctx->last_out);
	ctx->last_out = buf;
	ctx->last_out_len = len;
	(void)argc;
	return pid > 0 && WIFEXITED(st) && WEXITSTATUS(st) == 0 ? CMD_OK : CMD_FAIL;
}

static int exec_lsm(struct nslab *ctx, int argc, char **argv)
{
	if (argc > 2 && strcmp(argv[1], "landlock") == 0)
		return lsm_landlock(ctx, argc - 2, argv + 2);
	if (argc > 1 && strcmp(argv[1], "load") == 0) {
		if (!ctx->is_root) {
			out_msg(ctx, _("loading an AppArmor profile needs root: sudo nslab"));
			return CMD_FAIL;
		}
		return lsm_load(ctx);
	}
	if (argc > 2)
		return out_usage(ctx, &lsm_cmd, _("too many arguments"));
	return lsm_status(ctx, argc > 1 ? argv[1] : NULL);
}

CMD_REGISTER(lsm_cmd) = {
	.name = "lsm",
	.args = "[PID|BOX] | lsm load | lsm landlock CMD...",
	.summary = N_("security modules (AppArmor, SELinux): which are active, a process's label"),
	.help = N_("An LSM adds rules that even root with every capability must obey. lsm shows "
		   "which modules are active and the label (AppArmor profile, SELinux context) "
		   "of a process or box. lsm load loads nslab's small AppArmor profile "
		   "(profiles/apparmor/nslab-box); box new NAME --apparmor nslab-box runs "
		   "every program of the box under it. Where no LSM is active, lsm says so."),
	.min_args = 0,
	.max_args = -1,
	.complete = COMPLETE_BOX,
	.subs = "load landlock",
	.exec = exec_lsm,
};
