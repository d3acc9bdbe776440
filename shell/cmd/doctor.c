/* doctor.c - check the host before a class starts: each line says ok, or
 * what is missing and what to do. */
#include <errno.h>
#include <linux/magic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "../box/rootfs.h"
#include "../kernel/cleanup.h"
#include "../kernel/lsm.h"
#include "../kernel/ns.h"
#include "cmd.h"

struct doc {
	struct nslab *ctx;
	int bad, warn;
};

static void line(struct doc *d, int level, const char *what, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void line(struct doc *d, int level, const char *what, const char *fmt, ...)
{
	/* level: 0 ok, 1 warning (some labs skip), 2 problem */
	static const char *marks[] = { "ok  ", "warn", "FAIL" };
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	char col[128];
	/* By display width: Korean labels are two columns a letter. */
	out(d->ctx, "[%s] %s %s\n", marks[level], out_pad(col, sizeof(col), what, 22), msg);
	d->warn += level == 1;
	d->bad += level == 2;
}

static int read_int(const char *path, long *v)
{
	_cleanup_fclose_ FILE *f = fopen(path, "re");
	return (f && fscanf(f, "%ld", v) == 1) ? 0 : -ENOENT;
}

static bool file_has(const char *path, const char *word)
{
	_cleanup_fclose_ FILE *f = fopen(path, "re");
	char buf[4096];
	size_t n = f ? fread(buf, 1, sizeof(buf) - 1, f) : 0;
	buf[n] = '\0';
	return strstr(buf, word) != NULL;
}

static void check_cgroups(struct doc *d)
{
	struct statfs sf;
	if (statfs("/sys/fs/cgroup", &sf) < 0) {
		line(d, 2, "cgroups", _("/sys/fs/cgroup is not mounted: labs 10-12 cannot run"));
		return;
	}
	if (sf.f_type == CGROUP2_SUPER_MAGIC) {
		bool mem = file_has("/sys/fs/cgroup/cgroup.subtree_control", "memory");
		bool pids = file_has("/sys/fs/cgroup/cgroup.subtree_control", "pids");
		bool cpu = file_has("/sys/fs/cgroup/cgroup.subtree_control", "cpu");
		if (mem && pids && cpu)
			line(d, 0, "cgroups", _("cgroup v2, memory pids cpu delegated"));
		else
			line(d, 1, "cgroups",
			     _("cgroup v2, but not every controller is enabled in "
			       "/sys/fs/cgroup/cgroup.subtree_control (memory pids cpu): nslab enables "
			       "them for its own subtree when it can"));
		return;
	}
	struct statfs uf;
	if (statfs("/sys/fs/cgroup/unified", &uf) == 0 && uf.f_type == CGROUP2_SUPER_MAGIC)
		line(d, 0, "cgroups",
		     _("hybrid: v1 controllers (memory pids cpu) plus an empty cgroup2 at "
		       "/sys/fs/cgroup/unified; nslab uses v1 here. Classroom VMs are pure v2"));
	else
		line(d, 0, "cgroups", _("cgroup v1: nslab maps v2 names to v1 files"));
}

static void check_userns(struct doc *d)
{
	long v;
	if (read_int("/proc/sys/user/max_user_namespaces", &v) == 0 && v == 0) {
		line(d, 2, _("user namespaces"),
		     _("user.max_user_namespaces is 0: sysctl -w user.max_user_namespaces=15000"));
		return;
	}
	if (read_int("/proc/sys/kernel/unprivileged_userns_clone", &v) == 0 && v == 0) {
		line(d, 1, _("rootless boxes"),
		     _("kernel.unprivileged_userns_clone=0: only root can make user namespaces "
		       "(sysctl -w kernel.unprivileged_userns_clone=1)"));
		return;
	}
	if (read_int("/proc/sys/kernel/apparmor_restrict_unprivileged_userns", &v) == 0 && v == 1) {
		line(d, 1, _("rootless boxes"),
		     _("Ubuntu's AppArmor restricts unprivileged user namespaces "
		       "(kernel.apparmor_restrict_unprivileged_userns=1): rootless boxes get no "
		       "capabilities; run with sudo, or sysctl -w "
		       "kernel.apparmor_restrict_unprivileged_userns=0 on a lab VM"));
		return;
	}
	line(d, 0, _("rootless boxes"), _("unprivileged user namespaces are allowed"));
}

static void check_lsm(struct doc *d)
{
	struct lsm_info li;
	lsm_detect("", &li);
	const char *buf = li.list[0] ? li.list : "-";
	if (li.apparmor)
		line(d, 0, "LSM", _("AppArmor is active (%s): lab 19 runs"), buf);
	else if (li.selinux)
		line(d, 0, "LSM", _("SELinux is active (%s): lab 19 shows labels"), buf);
	else if (lsm_has(&li, "landlock"))
		line(d, 0, "LSM", _("Landlock is active, AppArmor and SELinux are not (%s): lab 19 "
				    "runs with Landlock"),
		     buf);
	else
		line(d, 1, "LSM", _("no AppArmor, SELinux or Landlock (%s): lab 19 explains and skips"),
		     buf);
}

static int exec_doctor(struct nslab *ctx, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	struct doc d = { .ctx = ctx };
	struct utsname u;
	uname(&u);
	if (ctx->is_root)
		line(&d, 0, "root", _("running as root"));
	else
		line(&d, 1, "root", _("not root: only rootless (user namespace) labs run; use sudo nslab"));
	int major = 0, minor = 0;
	sscanf(u.release, "%d.%d", &major, &minor);
	if (major > 5 || (major == 5 && minor >= 8))
		line(&d, 0, "kernel", "%s", u.release);
	else
		line(&d, 1, "kernel",
		     _("%s: older than 5.8, so no time namespace and no setns on a pidfd; labs 09 "
		       "and parts of others skip"),
		     u.release);
	for (int i = 0; i < NS_COUNT; i++) {
		char path[64];
		snprintf(path, sizeof(path), "/proc/self/ns/%s", ns_types[i].name);
		char what[32];
		snprintf(what, sizeof(what), "ns %s", ns_types[i].name);
		if (access(path, F_OK) == 0)
			line(&d, 0, what, "%s", _(ns_types[i].isolates));
		else
			line(&d, 2, what, _("missing: this kernel was built without %s"), ns_types[i].flagname);
	}
	check_userns(&d);
	check_cgroups(&d);
	if (file_has("/proc/filesystems", "\toverlay\n"))
		line(&d, 0, "overlayfs", _("available: boxes use an overlay of the rootfs"));
	else
		line(&d, 1, "overlayfs", _("absent: boxes use a copy; lab 16 needs it (modprobe overlay)"));
	check_lsm(&d);
	struct nerr e = { 0 };
	if (rootfs_check(ctx->rootfs, &e) == 0)
		line(&d, 0, "rootfs", _("%s matches its manifest"), ctx->rootfs);
	else
		line(&d, 2, "rootfs", "%s: %s", ctx->rootfs, e.why ? _(e.why) : e.what);
	out(ctx, _("%d problem(s), %d warning(s)\n"), d.bad, d.warn);
	return d.bad ? CMD_FAIL : CMD_OK;
}

CMD_REGISTER(doctor_cmd) = {
	.name = "doctor",
	.args = "",
	.summary = N_("check this machine for every lab: root, namespaces, cgroups, LSM, rootfs"),
	.min_args = 0,
	.max_args = 0,
	.flags = CMD_TOPLEVEL | CMD_NOLOG,
	.exec = exec_doctor,
};
