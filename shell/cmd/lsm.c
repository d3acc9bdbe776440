/* lsm.c - lsm: which Linux Security Module guards this kernel, what label a
 * process carries, and (AppArmor) loading nslab's small profile. */
#include <errno.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../box/box.h"
#include "../kernel/lsm.h"
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

static int exec_lsm(struct nslab *ctx, int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "load") == 0) {
		if (!ctx->is_root) {
			out_msg(ctx, _("loading an AppArmor profile needs root: sudo nslab"));
			return CMD_FAIL;
		}
		return lsm_load(ctx);
	}
	return lsm_status(ctx, argc > 1 ? argv[1] : NULL);
}

CMD_REGISTER(lsm_cmd) = {
	.name = "lsm",
	.args = "[PID|BOX] | lsm load",
	.summary = N_("security modules (AppArmor, SELinux): which are active, a process's label"),
	.help = N_("An LSM adds rules that even root with every capability must obey. lsm shows "
		   "which modules are active and the label (AppArmor profile, SELinux context) "
		   "of a process or box. lsm load loads nslab's small AppArmor profile "
		   "(profiles/apparmor/nslab-box); box new NAME --apparmor nslab-box runs "
		   "every program of the box under it. Where no LSM is active, lsm says so."),
	.min_args = 0,
	.max_args = 1,
	.complete = COMPLETE_BOX,
	.subs = "load",
	.exec = exec_lsm,
};
