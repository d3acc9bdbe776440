/* userns.c - uid/gid map parsing, /etc/subuid, newuidmap. See userns.h. */
#include "userns.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/nsfs.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cleanup.h"
#include "trace.h"

int userns_parse_map(const char *text, struct idmap *m, int max)
{
	int n = 0;
	const char *p = text;
	while (p && *p) {
		unsigned a, b, c;
		int used = 0;
		if (sscanf(p, " %u %u %u%n", &a, &b, &c, &used) == 3) {
			if (n >= max || c == 0)
				return -EINVAL;
			m[n++] = (struct idmap){ a, b, c };
			p += used;
		} else {
			while (*p == ' ' || *p == '\t' || *p == '\n')
				p++;
			if (*p)
				return -EINVAL;
		}
	}
	return n;
}

long long userns_to_inside(const struct idmap *m, int n, unsigned outside)
{
	for (int i = 0; i < n; i++)
		if (outside >= m[i].outside && outside - m[i].outside < m[i].count)
			return (long long)m[i].inside + (outside - m[i].outside);
	return -1;
}

long long userns_to_outside(const struct idmap *m, int n, unsigned inside)
{
	for (int i = 0; i < n; i++)
		if (inside >= m[i].inside && inside - m[i].inside < m[i].count)
			return (long long)m[i].outside + (inside - m[i].inside);
	return -1;
}

int userns_subid_range(const char *file, const char *user, unsigned uid, unsigned *ret_start,
		       unsigned *ret_count)
{
	_cleanup_fclose_ FILE *f = fopen(file, "re");
	if (!f)
		return -ENOENT;
	char line[512], num[16];
	snprintf(num, sizeof(num), "%u", uid);
	while (fgets(line, sizeof(line), f)) {
		char *c1 = strchr(line, ':');
		if (!c1 || line[0] == '#')
			continue;
		*c1 = '\0';
		unsigned start, count;
		if (sscanf(c1 + 1, "%u:%u", &start, &count) != 2 || count == 0)
			continue;
		if ((user && strcmp(line, user) == 0) || strcmp(line, num) == 0) {
			*ret_start = start;
			*ret_count = count;
			return 0;
		}
	}
	return -ENOENT;
}

const char *userns_newidmap_path(bool uid)
{
	static const char *const u[] = { "/usr/bin/newuidmap", "/bin/newuidmap" };
	static const char *const g[] = { "/usr/bin/newgidmap", "/bin/newgidmap" };
	for (size_t i = 0; i < 2; i++)
		if (access(uid ? u[i] : g[i], X_OK) == 0)
			return uid ? u[i] : g[i];
	return NULL;
}

int userns_newidmap(bool uid, pid_t pid, const struct idmap *m, int n, struct nerr *e)
{
	const char *tool = userns_newidmap_path(uid);
	const char *name = uid ? "newuidmap" : "newgidmap";
	char words[8 * 3 + 2][16];
	char *argv[8 * 3 + 3];
	char cmd[240];
	int k = 0;
	size_t off = snprintf(cmd, sizeof(cmd), "%s %d", name, (int)pid);
	argv[k++] = (char *)name;
	snprintf(words[k], sizeof(words[k]), "%d", (int)pid);
	argv[k] = words[k];
	k++;
	for (int i = 0; i < n && i < 8; i++) {
		unsigned v[3] = { m[i].inside, m[i].outside, m[i].count };
		for (int j = 0; j < 3; j++) {
			snprintf(words[k], sizeof(words[k]), "%u", v[j]);
			argv[k] = words[k];
			k++;
			if (off < sizeof(cmd))
				off += snprintf(cmd + off, sizeof(cmd) - off, " %u", v[j]);
		}
	}
	argv[k] = NULL;
	if (!tool)
		return nerr_setw(e, ENOENT, name,
				 N_("newuidmap and newgidmap are missing: apt-get install uidmap"), "%s",
				 cmd);
	int p[2];
	if (pipe2(p, O_CLOEXEC) < 0)
		return nerr_set(e, errno, "pipe2", "pipe2(O_CLOEXEC)");
	pid_t child = fork();
	if (child < 0) {
		close(p[0]);
		close(p[1]);
		return nerr_set(e, errno, "fork", "fork()");
	}
	if (child == 0) {
		dup2(p[1], 1);
		dup2(p[1], 2);
		static char *const env[] = { "LC_ALL=C", "PATH=/usr/bin:/bin", NULL };
		execve(tool, argv, env);
		_exit(127);
	}
	close(p[1]);
	char msg[256];
	ssize_t len = 0, r;
	while ((r = read(p[0], msg + len, sizeof(msg) - 1 - len)) > 0 && len + r < (ssize_t)sizeof(msg) - 1)
		len += r;
	if (r > 0)
		len += r;
	msg[len] = '\0';
	close(p[0]);
	int st;
	while (waitpid(child, &st, 0) < 0 && errno == EINTR)
		;
	bool ok = WIFEXITED(st) && WEXITSTATUS(st) == 0;
	tr_call(ok ? 0 : -1, EPERM, "%s", cmd);
	if (ok)
		return 0;
	msg[strcspn(msg, "\n")] = '\0';
	return nerr_setw(e, EPERM, name,
			 N_("the helper refused: the ranges must be yours in /etc/subuid and "
			    "/etc/subgid (see man 5 subuid)"),
			 "%s [%s]", cmd, msg);
}

int userns_owner_uid(pid_t pid, uid_t *ret)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/ns/user", (int)pid);
	_cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (ioctl(fd, NS_GET_OWNER_UID, ret) < 0)
		return -errno;
	return 0;
}
