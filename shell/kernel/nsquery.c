/* nsquery.c - one-shot children that setns(2) into a namespace and ask. See
 * nsquery.h. */
#include "nsquery.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/prctl.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cleanup.h"
#include "ns.h"
#include "syscalls.h"
#include "trace.h"

/* What the asking child sends back: a status, a number and some text. */
struct reply {
	int code;       /* 0 or a positive errno */
	char call[16];  /* the call that failed: "setns", "open", "shmget"... */
	char what[160]; /* that call with its arguments */
	long value;
	size_t len; /* bytes in text */
	char text[8192];
};

typedef void (*ask_fn)(const void *arg, struct reply *rep);

/* In the child: record errno and the call that set it. */
static void __attribute__((format(printf, 3, 4))) fail(struct reply *r, const char *call,
						       const char *fmt, ...)
{
	r->code = errno;
	snprintf(r->call, sizeof(r->call), "%s", call);
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(r->what, sizeof(r->what), fmt, ap);
	va_end(ap);
}

static int wait_child(pid_t pid)
{
	int st;
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static int send_reply(int wfd, const struct reply *r)
{
	const char *p = (const char *)r;
	size_t left = sizeof(*r);
	while (left) {
		ssize_t n = write(wfd, p, left);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return 1;
		p += n;
		left -= n;
	}
	return 0;
}

static size_t read_full(int fd, void *buf, size_t len)
{
	size_t got = 0;
	while (got < len) {
		ssize_t n = read(fd, (char *)buf + got, len - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += n;
	}
	return got;
}

/* setns(2) into a pid or time namespace moves only the caller's future
 * children there; every other kind applies to the caller at once. */
static bool children_only(const struct ns_type *t)
{
	return t->flag & (CLONE_NEWPID | CLONE_NEWTIME);
}

/* In the child: join the namespace, ask (from a grandchild where the
 * namespace applies only to children), send the reply, leave. */
static __attribute__((noreturn)) void asker(int nsfd, const struct ns_type *t, const char *path,
					    ask_fn fn, const void *arg, int wfd)
{
	struct reply r = { 0 };
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (setns(nsfd, t->flag) < 0) {
		fail(&r, "setns", "setns(\"%s\", %s)", path, t->flagname);
	} else if (children_only(t)) {
		pid_t g = fork();
		if (g == 0) {
			fn(arg, &r);
			_exit(send_reply(wfd, &r));
		}
		if (g > 0)
			_exit(wait_child(g) == 0 ? 0 : 1);
		fail(&r, "fork", "fork() inside \"%s\"", path);
	} else {
		fn(arg, &r);
	}
	_exit(send_reply(wfd, &r));
}

/* Run @fn(@arg) inside the namespace @nsname of @pid and fill @rep with its
 * answer. Fails with the errno of the first call that failed in there. */
static int ask_in(pid_t pid, const char *nsname, ask_fn fn, const void *arg, struct reply *rep,
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
	int p[2];
	if (pipe2(p, O_CLOEXEC) < 0)
		return nerr_set(e, errno, "pipe2", "pipe2(O_CLOEXEC)");
	fflush(NULL);
	pid_t c = fork();
	if (c < 0) {
		int err = errno;
		close(p[0]);
		close(p[1]);
		return nerr_set(e, err, "fork", "fork()");
	}
	if (c == 0) {
		close(p[0]);
		asker(nsfd, t, path, fn, arg, p[1]);
	}
	close(p[1]);
	memset(rep, 0, sizeof(*rep));
	size_t n = read_full(p[0], rep, sizeof(*rep));
	close(p[0]);
	wait_child(c);
	if (n != sizeof(*rep))
		return nerr_set(e, EIO, "fork", "a child asking in %s", path);
	if (rep->code == 0)
		return 0;
	if (strcmp(rep->call, "setns") == 0)
		return nerr_set(e, rep->code, rep->call, "%s", rep->what);
	return nerr_set(e, rep->code, rep->call, "%s inside the %s namespace of %d", rep->what,
			nsname, (int)pid);
}

/* ---------------- files read from inside ---------------- */

static void ask_file(const void *arg, struct reply *r)
{
	const char *file = arg;
	_cleanup_close_ int fd = open(file, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		fail(r, "open", "open(\"%s\")", file);
		return;
	}
	r->len = read_full(fd, r->text, sizeof(r->text) - 1);
}

int nsq_read_in(pid_t pid, const char *nsname, const char *file, char *buf, size_t len,
		struct nerr *e)
{
	struct reply r = { 0 };
	int ret = ask_in(pid, nsname, ask_file, file, &r, e);
	const struct ns_type *t = ns_by_name(nsname);
	tr_call(ret < 0 ? -1 : 0, ret < 0 ? -ret : 0, "setns(/proc/%d/ns/%s, %s); %sread(\"%s\")",
		(int)pid, nsname, t ? t->flagname : "?", t && children_only(t) ? "fork(); " : "",
		file);
	if (ret < 0)
		return ret;
	size_t got = r.len < len - 1 ? r.len : len - 1;
	memcpy(buf, r.text, got);
	buf[got] = '\0';
	return (int)got;
}

int nsq_uptime(pid_t pid, double *ret, struct nerr *e)
{
	char buf[128];
	int r = nsq_read_in(pid, "time", "/proc/uptime", buf, sizeof(buf), e);
	if (r < 0)
		return r;
	if (sscanf(buf, "%lf", ret) != 1)
		return nerr_set(e, EPROTO, "read", "/proc/uptime: \"%s\"", buf);
	return 0;
}

/* ---------------- time namespace offsets ---------------- */

int nsq_parse_offsets(const char *text, long long *ret_mono, long long *ret_boot)
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

int nsq_set_offsets(pid_t pid, long long mono, long long boot, struct nerr *e)
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

/* ---------------- UTS and IPC ---------------- */

static void ask_uname(const void *arg, struct reply *r)
{
	(void)arg;
	struct utsname u;
	if (uname(&u) < 0) {
		fail(r, "uname", "uname()");
		return;
	}
	r->len = snprintf(r->text, sizeof(r->text), "%s", u.nodename);
}

int nsq_hostname(pid_t pid, char *buf, size_t len, struct nerr *e)
{
	struct reply r;
	int ret = ask_in(pid, "uts", ask_uname, NULL, &r, e);
	if (ret < 0)
		return ret;
	snprintf(buf, len, "%s", r.text);
	return 0;
}

static const char *const ipc_files[] = { "/proc/sysvipc/shm", "/proc/sysvipc/msg",
					 "/proc/sysvipc/sem" };

static void ask_ipc_count(const void *arg, struct reply *r)
{
	const char *file = ipc_files[*(const enum nsq_ipc *)arg];
	_cleanup_fclose_ FILE *f = fopen(file, "re");
	if (!f) {
		fail(r, "open", "open(\"%s\")", file);
		return;
	}
	char line[512];
	long n = -1; /* the first line is a header */
	while (fgets(line, sizeof(line), f))
		if (strchr(line, '\n'))
			n++;
	r->value = n < 0 ? 0 : n;
}

int nsq_ipc_count(pid_t pid, enum nsq_ipc kind, struct nerr *e)
{
	struct reply r = { 0 };
	int ret = ask_in(pid, "ipc", ask_ipc_count, &kind, &r, e);
	return ret < 0 ? ret : (int)r.value;
}

static void ask_ipc_make(const void *arg, struct reply *r)
{
	static const struct {
		const char *call, *words;
	} calls[] = {
		[NSQ_SHM] = { "shmget", "shmget(IPC_PRIVATE, 4096, IPC_CREAT|0600)" },
		[NSQ_MSG] = { "msgget", "msgget(IPC_PRIVATE, IPC_CREAT|0600)" },
		[NSQ_SEM] = { "semget", "semget(IPC_PRIVATE, 1, IPC_CREAT|0600)" },
	};
	enum nsq_ipc kind = *(const enum nsq_ipc *)arg;
	int id = kind == NSQ_SHM   ? shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0600)
		 : kind == NSQ_MSG ? msgget(IPC_PRIVATE, IPC_CREAT | 0600)
				   : semget(IPC_PRIVATE, 1, IPC_CREAT | 0600);
	if (id < 0) {
		fail(r, calls[kind].call, "%s", calls[kind].words);
		return;
	}
	r->value = id;
	r->len = snprintf(r->text, sizeof(r->text), "%s", calls[kind].words);
}

int nsq_ipc_make(pid_t pid, enum nsq_ipc kind, struct nerr *e)
{
	struct reply r;
	int ret = ask_in(pid, "ipc", ask_ipc_make, &kind, &r, e);
	if (ret < 0) {
		tr_call(-1, -ret, "%s", e ? e->what : "");
		return ret;
	}
	/* ask_in memset r and filled it (the analyzer does not follow that). */
	// NOLINTNEXTLINE(clang-analyzer-core.CallAndMessage)
	tr_call(r.value, 0, "setns(\"/proc/%d/ns/ipc\", CLONE_NEWIPC); %s", (int)pid, r.text);
	return (int)r.value;
}
