/* lsm.h - Linux Security Modules: which are active, what label a process has,
 * and (AppArmor) asking for a profile at the next execve. man 7 apparmor,
 * Documentation/admin-guide/LSM/.
 *
 * Namespaces and capabilities are the kernel's own checks; an LSM adds
 * mandatory rules on top that even root inside a box cannot switch off.
 * Docker runs every container under the docker-default AppArmor profile on
 * Ubuntu, or with an SELinux label (container_t) on Fedora. */
#ifndef NSLAB_LSM_H
#define NSLAB_LSM_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "err.h"

struct lsm_info {
	char list[256];    /* /sys/kernel/security/lsm, "" when securityfs is not mounted */
	bool securityfs;   /* that file could be read */
	bool list_private; /* list read from securityfs mounted in a private mount ns */
	bool apparmor;     /* AppArmor is enabled (lsm list, or /sys/module/apparmor) */
	bool selinux;      /* SELinux is enabled (lsm list, or /sys/fs/selinux) */
	bool apparmor_fs;  /* /sys/kernel/security/apparmor: profiles can be loaded */
	int selinux_enforce; /* /sys/fs/selinux/enforce: 1, 0, or -1 when absent */
};

/* Look at @root/sys/kernel/security/lsm (for the real system, when securityfs
 * is not mounted, mount(2) it in a child's private mount namespace, as root), @root/sys/module/apparmor and
 * @root/sys/fs/selinux (@root "" for the real system; tests give a fixture). */
void lsm_detect(const char *root, struct lsm_info *ret);

/* Is module @name ("landlock", "bpf") in the list? */
bool lsm_has(const struct lsm_info *li, const char *name);

/* The security label of @pid: /proc/PID/attr/apparmor/current (Linux 5.8+),
 * else /proc/PID/attr/current. -EINVAL when no LSM provides labels (the
 * kernel's answer on a system without AppArmor or SELinux). */
int lsm_label(pid_t pid, char *buf, size_t len, struct nerr *e);

/* Is the AppArmor profile @name loaded (/sys/kernel/security/apparmor/profiles)? */
bool lsm_apparmor_loaded(const char *name);

/* Ask AppArmor to confine the next execve(2) of this process by @profile:
 * write "exec PROFILE" to /proc/self/attr/apparmor/exec (what
 * aa_change_onexec(3) does). */
int lsm_apparmor_onexec(const char *profile, struct nerr *e);

/* Landlock (man 7 landlock): from now on the calling process and every
 * child it makes may write, create or remove files only beneath the @n
 * directories in @dirs; reads stay allowed. landlock_create_ruleset(2),
 * landlock_add_rule(2) with LANDLOCK_RULE_PATH_BENEATH, no_new_privs,
 * landlock_restrict_self(2). No privilege is needed, and the domain cannot
 * be left: it crosses fork, execve and setns. Returns the Landlock ABI. */
int lsm_landlock_write_only(const char *const *dirs, int n, struct nerr *e);

#endif
