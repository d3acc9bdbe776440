/* nsinfo.c - read files from inside a process's namespaces. See nsinfo.h. */
#include "nsinfo.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cleanup.h"
#include "ns.h"
#include "trace.h"

static int wait_child(pid_t pid)
{
	int st;
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* In the grandchild: the file's bytes, or "\1" + errno on failure. */
static __attribute__((noreturn)) void reader(const char *file, int wfd)
{
	int fd = open(file, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		char m[8] = { 1 };
		memcpy(m + 1, &errno, sizeof(int));
		if (write(wfd, m, 1 + sizeof(int)) < 0)
			_exit(1);
		_exit(1);
	}
	char buf[4096];
	ssize_t n;
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		if (write(wfd, buf, n) != n)
			_exit(1);
	_exit(0);
}

int nsinfo_read_in(pid_t pid, const char *nsname, const char *file, char *buf, size_t len,
		   struct nerr *e)
{
	const struct ns_type *t = ns_by_name(nsname);
	if (!t)
		return nerr_set(e, EINVAL, "setns", "%s", nsname);
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/ns/%s", (int)pid, nsname);
	_cleanup_close_ int nsfd = open(path, O_RDONLY | O_CLOEXEC);
	if (nsfd < 0)
		return nerr_set(e, errno, "open", "open(\"%s\")", path);
	int p[2], ep[2];
	if (pipe2(p, O_CLOEXEC) < 0)
		return nerr_set(e, errno, "pipe2", "pipe2(O_CLOEXEC)");
	if (pipe2(ep, O_CLOEXEC) < 0) {
		close(p[0]);
		close(p[1]);
		return nerr_set(e, errno, "pipe2", "pipe2(O_CLOEXEC)");
	}
	fflush(NULL);
	pid_t child = fork();
	if (child == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		close(p[0]);
		close(ep[0]);
		if (setns(nsfd, t->flag) < 0) {
			int err = errno;
			if (write(ep[1], &err, sizeof(err)) < 0)
				_exit(1);
			_exit(1);
		}
		pid_t g = fork();
		if (g == 0)
			reader(file, p[1]);
		_exit(g < 0 ? 1 : wait_child(g));
	}
	close(p[1]);
	close(ep[1]);
	if (child < 0) {
		close(p[0]);
		close(ep[0]);
		return nerr_set(e, errno, "fork", "fork()");
	}
	size_t got = 0;
	for (;;) {
		ssize_t n = read(p[0], buf + got, len - 1 - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += n;
		if (got == len - 1)
			break;
	}
	buf[got] = '\0';
	close(p[0]);
	int err = 0;
	ssize_t n = read(ep[0], &err, sizeof(err));
	close(ep[0]);
	wait_child(child);
	tr_call(n == sizeof(err) ? -1 : 0, err, "setns(%s, %s); fork(); read(\"%s\")", path,
		t->flagname, file);
	if (n == sizeof(err))
		return nerr_set(e, err, "setns", "setns(%s, %s)", path, t->flagname);
	if (got > 0 && buf[0] == 1) {
		memcpy(&err, buf + 1, sizeof(int));
		return nerr_set(e, err, "open", "open(\"%s\") inside the %s namespace of %d", file,
				nsname, (int)pid);
	}
	return (int)got;
}

int nsinfo_uptime(pid_t pid, double *ret, struct nerr *e)
{
	char buf[128];
	int r = nsinfo_read_in(pid, "time", "/proc/uptime", buf, sizeof(buf), e);
	if (r < 0)
		return r;
	if (sscanf(buf, "%lf", ret) != 1)
		return nerr_set(e, EPROTO, "read", "/proc/uptime: \"%s\"", buf);
	return 0;
}

int nsinfo_parse_offsets(const char *text, long long *ret_mono, long long *ret_boot)
{
	int found = 0;
	const char *line = text;
	while (line && *line) {
		char name[32];
		long long s;
		long ns;
		if (sscanf(line, "%31s %lld %ld", name, &s, &ns) == 3) {
			if (strcmp(name, "monotonic") == 0 || strcmp(name, "1") == 0) {
				*ret_mono = s;
				found |= 1;
			} else if (strcmp(name, "boottime") == 0 || strcmp(name, "7") == 0) {
				*ret_boot = s;
				found |= 2;
			}
		}
		line = strchr(line, '\n');
		if (line)
			line++;
	}
	return found == 3 ? 0 : -EINVAL;
}

int nsinfo_set_offsets(pid_t pid, long long mono, long long boot, struct nerr *e)
{
	char path[64], text[96];
	snprintf(path, sizeof(path), "/proc/%d/timens_offsets", (int)pid);
	snprintf(text, sizeof(text), "monotonic %lld 0\nboottime %lld 0\n", mono, boot);
	_cleanup_close_ int fd = open(path, O_WRONLY | O_CLOEXEC);
	int r = fd < 0 ? -1 : (int)write(fd, text, strlen(text));
	int err = errno;
	tr_call(r < 0 ? -1 : r, err, "write(\"%s\", \"monotonic %lld 0, boottime %lld 0\")", path,
		mono, boot);
	if (r < 0)
		return nerr_setw(e, err, "timens_offsets",
				 err == EACCES ? N_("the kernel fixes a time namespace's offsets when "
						    "its first process enters it; this box runs "
						    "already: make a new box with --boottime-offset "
						    "or --monotonic-offset")
					       : NULL,
				 "write(\"%s\")", path);
	return 0;
}
