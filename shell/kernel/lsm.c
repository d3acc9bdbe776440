#include "lsm.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <linux/landlock.h>
#include <sched.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cleanup.h"
#include "trace.h"

static int read_small(const char *path, char *buf, size_t len)
{
	_cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ssize_t n = read(fd, buf, len - 1);
	if (n < 0)
		return -errno;
	buf[n] = '\0';
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\0'))
		buf[--n] = '\0';
	return (int)n;
}

static bool in_list(const char *list, const char *name)
{
	size_t n = strlen(name);
	for (const char *p = list; (p = strstr(p, name)); p += n)
		if ((p == list || p[-1] == ',') && (p[n] == ',' || p[n] == '\0'))
			return true;
	return false;
}

/* securityfs is not mounted: mount it in a child's private mount namespace
 * and read the list there (the shell's own mounts stay as they are). */
static int lsm_list_private(char *buf, size_t len)
{
	int fd[2];
	if (pipe2(fd, O_CLOEXEC) < 0)
		return -errno;
	pid_t pid = fork();
	if (pid < 0) {
		int err = errno;
		close(fd[0]);
		close(fd[1]);
		return -err;
	}
	if (pid == 0) {
		char v[256];
		close(fd[0]);
		if (unshare(CLONE_NEWNS) < 0 || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0 ||
		    mount("securityfs", "/sys/kernel/security", "securityfs", MS_NOSUID | MS_NODEV | MS_NOEXEC,
			  NULL) < 0)
			_exit(1);
		int n = read_small("/sys/kernel/security/lsm", v, sizeof(v));
		if (n < 0 || write(fd[1], v, (size_t)n) != n)
			_exit(1);
		_exit(0);
	}
	close(fd[1]);
	ssize_t n = read(fd[0], buf, len - 1);
	close(fd[0]);
	int st;
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	if (n <= 0 || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
		return -EPERM;
	buf[n] = '\0';
	return 0;
}

void lsm_detect(const char *root, struct lsm_info *ret)
{
	char path[512], v[64];
	struct stat st;
	memset(ret, 0, sizeof(*ret));
	ret->selinux_enforce = -1;
	snprintf(path, sizeof(path), "%s/sys/kernel/security/lsm", root);
	ret->securityfs = read_small(path, ret->list, sizeof(ret->list)) >= 0;
	if (!ret->securityfs && !root[0] && lsm_list_private(ret->list, sizeof(ret->list)) == 0)
		ret->list_private = true;
	if (ret->securityfs || ret->list_private) {
		ret->apparmor = in_list(ret->list, "apparmor");
		ret->selinux = in_list(ret->list, "selinux");
	}
	/* Without securityfs mounted, the module parameters still tell. */
	snprintf(path, sizeof(path), "%s/sys/module/apparmor/parameters/enabled", root);
	if (!ret->securityfs && !ret->list_private && read_small(path, v, sizeof(v)) > 0)
		ret->apparmor = v[0] == 'Y' || v[0] == '1';
	snprintf(path, sizeof(path), "%s/sys/fs/selinux/enforce", root);
	if (read_small(path, v, sizeof(v)) > 0) {
		ret->selinux = true;
		ret->selinux_enforce = v[0] == '1';
	}
	snprintf(path, sizeof(path), "%s/sys/kernel/security/apparmor", root);
	ret->apparmor_fs = ret->apparmor && stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

bool lsm_has(const struct lsm_info *li, const char *name)
{
	return in_list(li->list, name);
}

int lsm_label(pid_t pid, char *buf, size_t len, struct nerr *e)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/attr/apparmor/current", (int)pid);
	int r = read_small(path, buf, len);
	if (r < 0) {
		snprintf(path, sizeof(path), "/proc/%d/attr/current", (int)pid);
		r = read_small(path, buf, len);
	}
	if (r < 0)
		return nerr_setw(e, -r, "read",
				 -r == EINVAL ? N_("no security module that labels processes "
						   "(AppArmor, SELinux, Smack) is active on this kernel")
					      : NULL,
				 "read(\"%s\")", path);
	return 0;
}

bool lsm_apparmor_loaded(const char *name)
{
	_cleanup_fclose_ FILE *f = fopen("/sys/kernel/security/apparmor/profiles", "re");
	char line[512];
	size_t n = strlen(name);
	while (f && fgets(line, sizeof(line), f))
		if (strncmp(line, name, n) == 0 && line[n] == ' ')
			return true;
	return false;
}

int lsm_apparmor_onexec(const char *profile, struct nerr *e)
{
	char text[300];
	snprintf(text, sizeof(text), "exec %s", profile);
	const char *path = "/proc/self/attr/apparmor/exec";
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT) {
		path = "/proc/self/attr/exec";
		fd = open(path, O_WRONLY | O_CLOEXEC);
	}
	if (fd < 0)
		return nerr_set(e, errno, "open", "open(\"%s\")", path);
	ssize_t n = write(fd, text, strlen(text));
	int err = errno;
	close(fd);
	tr_call(n < 0 ? -1 : 0, err, "write(\"%s\", \"%s\")", path, text);
	if (n < 0)
		return nerr_setw(e, err, "write",
				 err == ENOENT ? N_("that AppArmor profile is not loaded: lsm load") : NULL,
				 "write(\"%s\", \"%s\")", path, text);
	return 0;
}

#ifndef LANDLOCK_ACCESS_FS_TRUNCATE
#define LANDLOCK_ACCESS_FS_TRUNCATE (1ULL << 14)
#endif

int lsm_landlock_write_only(const char *const *dirs, int n, struct nerr *e)
{
	long abi = syscall(SYS_landlock_create_ruleset, NULL, 0, LANDLOCK_CREATE_RULESET_VERSION);
	tr_call(abi, errno, "landlock_create_ruleset(NULL, 0, LANDLOCK_CREATE_RULESET_VERSION)");
	if (abi < 0)
		return nerr_setw(e, errno, "landlock_create_ruleset",
				 errno == EOPNOTSUPP ? N_("Landlock is built in but not enabled: add "
							  "landlock to the lsm= kernel parameter")
						     : N_("this kernel has no Landlock (Linux 5.13+, "
							  "CONFIG_SECURITY_LANDLOCK)"),
				 "landlock_create_ruleset(VERSION)");
	struct landlock_ruleset_attr attr = {
		.handled_access_fs = LANDLOCK_ACCESS_FS_WRITE_FILE | LANDLOCK_ACCESS_FS_REMOVE_DIR |
				     LANDLOCK_ACCESS_FS_REMOVE_FILE | LANDLOCK_ACCESS_FS_MAKE_CHAR |
				     LANDLOCK_ACCESS_FS_MAKE_DIR | LANDLOCK_ACCESS_FS_MAKE_REG |
				     LANDLOCK_ACCESS_FS_MAKE_SOCK | LANDLOCK_ACCESS_FS_MAKE_FIFO |
				     LANDLOCK_ACCESS_FS_MAKE_BLOCK | LANDLOCK_ACCESS_FS_MAKE_SYM,
	};
	if (abi >= 2)
		attr.handled_access_fs |= LANDLOCK_ACCESS_FS_REFER;
	if (abi >= 3)
		attr.handled_access_fs |= LANDLOCK_ACCESS_FS_TRUNCATE;
	_cleanup_close_ int rs = (int)syscall(SYS_landlock_create_ruleset, &attr, sizeof(attr), 0);
	tr_call(rs, errno, "landlock_create_ruleset({handled: write, make, remove...})");
	if (rs < 0)
		return nerr_set(e, errno, "landlock_create_ruleset", "landlock_create_ruleset()");
	for (int i = 0; i < n; i++) {
		_cleanup_close_ int fd = open(dirs[i], O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (fd < 0)
			return nerr_set(e, errno, "open", "open(\"%s\", O_PATH)", dirs[i]);
		struct landlock_path_beneath_attr pb = { .allowed_access = attr.handled_access_fs,
							 .parent_fd = fd };
		long r = syscall(SYS_landlock_add_rule, rs, LANDLOCK_RULE_PATH_BENEATH, &pb, 0);
		tr_call(r, errno, "landlock_add_rule(PATH_BENEATH, \"%s\": write)", dirs[i]);
		if (r < 0)
			return nerr_set(e, errno, "landlock_add_rule", "landlock_add_rule(\"%s\")", dirs[i]);
	}
	/* Without CAP_SYS_ADMIN the kernel wants no_new_privs first, as for seccomp. */
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return nerr_set(e, errno, "prctl", "prctl(PR_SET_NO_NEW_PRIVS, 1)");
	long r = syscall(SYS_landlock_restrict_self, rs, 0);
	tr_call(r, errno, "landlock_restrict_self(ruleset)");
	if (r < 0)
		return nerr_set(e, errno, "landlock_restrict_self", "landlock_restrict_self()");
	return (int)abi;
}
