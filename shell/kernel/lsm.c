#include "lsm.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
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

void lsm_detect(const char *root, struct lsm_info *ret)
{
	char path[512], v[64];
	struct stat st;
	memset(ret, 0, sizeof(*ret));
	ret->selinux_enforce = -1;
	snprintf(path, sizeof(path), "%s/sys/kernel/security/lsm", root);
	ret->securityfs = read_small(path, ret->list, sizeof(ret->list)) >= 0;
	if (ret->securityfs) {
		ret->apparmor = in_list(ret->list, "apparmor");
		ret->selinux = in_list(ret->list, "selinux");
	}
	/* Without securityfs mounted, the module parameters still tell. */
	snprintf(path, sizeof(path), "%s/sys/module/apparmor/parameters/enabled", root);
	if (!ret->securityfs && read_small(path, v, sizeof(v)) > 0)
		ret->apparmor = v[0] == 'Y' || v[0] == '1';
	snprintf(path, sizeof(path), "%s/sys/fs/selinux/enforce", root);
	if (read_small(path, v, sizeof(v)) > 0) {
		ret->selinux = true;
		ret->selinux_enforce = v[0] == '1';
	}
	snprintf(path, sizeof(path), "%s/sys/kernel/security/apparmor", root);
	ret->apparmor_fs = ret->apparmor && stat(path, &st) == 0 && S_ISDIR(st.st_mode);
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
