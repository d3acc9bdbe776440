#include "procfs.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cleanup.h"

int proc_open_root(void)
{
	int fd = open("/proc", O_PATH | O_DIRECTORY | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

int proc_read(int procdir, pid_t pid, const char *name, char **ret, size_t *ret_len,
	      struct nerr *e)
{
	char path[256];
	if (pid > 0)
		snprintf(path, sizeof(path), "%d/%s", (int)pid, name);
	else
		snprintf(path, sizeof(path), "%s", name);
	_cleanup_close_ int fd = openat(procdir, path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return nerr_set(e, errno, "open", "open(\"/proc/%s\")", path);
	size_t cap = 4096, len = 0;
	_cleanup_free_ char *buf = malloc(cap);
	if (!buf)
		return nerr_set(e, ENOMEM, "malloc", "/proc/%s", path);
	for (;;) {
		if (len + 1 >= cap) {
			if (cap >= (64u << 20))
				break; /* enough for any /proc file a learner reads */
			char *nb = realloc(buf, cap * 2);
			if (!nb)
				return nerr_set(e, ENOMEM, "realloc", "/proc/%s", path);
			buf = nb;
			cap *= 2;
		}
		ssize_t n = read(fd, buf + len, cap - len - 1);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return nerr_set(e, errno, "read", "read(\"/proc/%s\")", path);
		}
		if (n == 0)
			break;
		len += n;
	}
	buf[len] = '\0';
	*ret = TAKE_PTR(buf);
	if (ret_len)
		*ret_len = len;
	return 0;
}

int proc_stat_parse(const char *text, struct proc_stat *st)
{
	memset(st, 0, sizeof(*st));
	if (!text)
		return -EINVAL;
	const char *lp = strchr(text, '(');
	const char *rp = strrchr(text, ')');
	if (!lp || !rp || rp < lp)
		return -EINVAL;
	st->pid = (pid_t)strtol(text, NULL, 10);
	size_t cl = (size_t)(rp - lp - 1);
	if (cl >= sizeof(st->comm))
		cl = sizeof(st->comm) - 1;
	memcpy(st->comm, lp + 1, cl);
	st->comm[cl] = '\0';
	/* After ") ": state(3) ppid(4) ... utime(14) stime(15) num_threads(20) starttime(22). */
	const char *p = rp + 1;
	int field = 2;
	while (*p && field < 22) {
		while (*p == ' ')
			p++;
		if (!*p)
			break;
		field++;
		if (field == 3)
			st->state = *p;
		else if (field == 4)
			st->ppid = (pid_t)strtol(p, NULL, 10);
		else if (field == 14)
			st->utime = strtoull(p, NULL, 10);
		else if (field == 15)
			st->stime = strtoull(p, NULL, 10);
		else if (field == 20)
			st->nthreads = (int)strtol(p, NULL, 10);
		else if (field == 22)
			st->starttime = strtoull(p, NULL, 10);
		while (*p && *p != ' ')
			p++;
	}
	return field == 22 ? 0 : -EINVAL;
}

int proc_stat_read(int procdir, pid_t pid, struct proc_stat *st)
{
	_cleanup_free_ char *text = NULL;
	int r = proc_read(procdir, pid, "stat", &text, NULL, NULL);
	if (r < 0)
		return r;
	return proc_stat_parse(text, st);
}

int proc_status_field(const char *status, const char *key, char *out, size_t len)
{
	size_t kl = strlen(key);
	for (const char *l = status; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL) {
		if (strncmp(l, key, kl) != 0 || l[kl] != ':')
			continue;
		const char *v = l + kl + 1;
		while (*v == ' ' || *v == '\t')
			v++;
		const char *end = strchr(v, '\n');
		size_t n = end ? (size_t)(end - v) : strlen(v);
		if (n >= len)
			n = len - 1;
		memcpy(out, v, n);
		out[n] = '\0';
		/* Tabs separate NSpid columns; show them as single spaces. */
		for (char *c = out; *c; c++)
			if (*c == '\t')
				*c = ' ';
		return 0;
	}
	return -ENOENT;
}

static int cmp_pid(const void *a, const void *b)
{
	pid_t x = *(const pid_t *)a, y = *(const pid_t *)b;
	return (x > y) - (x < y);
}

int proc_list_pids(int procdir, pid_t **ret, size_t *ret_n)
{
	int fd = openat(procdir, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	_cleanup_closedir_ DIR *d = fdopendir(fd);
	if (!d) {
		close(fd);
		return -errno;
	}
	size_t n = 0, cap = 256;
	_cleanup_free_ pid_t *pids = malloc(cap * sizeof(*pids));
	if (!pids)
		return -ENOMEM;
	struct dirent *de;
	while ((de = readdir(d))) {
		if (!isdigit((unsigned char)de->d_name[0]))
			continue;
		if (n == cap) {
			pid_t *np = realloc(pids, 2 * cap * sizeof(*pids));
			if (!np)
				return -ENOMEM;
			pids = np;
			cap *= 2;
		}
		pids[n++] = (pid_t)strtol(de->d_name, NULL, 10);
	}
	qsort(pids, n, sizeof(*pids), cmp_pid);
	*ret = TAKE_PTR(pids);
	*ret_n = n;
	return 0;
}

unsigned long long proc_starttime(pid_t pid)
{
	_cleanup_close_ int root = proc_open_root();
	struct proc_stat st;
	if (root < 0 || proc_stat_read(root, pid, &st) < 0)
		return 0;
	return st.starttime;
}
