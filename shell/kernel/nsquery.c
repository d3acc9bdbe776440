/* nsquery.c - one-shot children that setns(2) into a namespace and ask. */
#include "nsquery.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
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
#include "trace.h"

/* What the child sends back: a status and a short text. */
struct reply {
	int code; /* 0 or a positive errno */
	long value;
	char text[256];
	char what[128];
};

typedef void (*ask_fn)(long arg, struct reply *rep);

static int ask_in(pid_t pid, int nstype, const char *nsname, ask_fn fn, long arg, struct reply *rep,
		  struct nerr *e)
{
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
		struct reply r = { 0 };
		close(p[0]);
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (setns(nsfd, nstype) < 0) {
			r.code = errno;
			snprintf(r.what, sizeof(r.what), "setns(\"%s\", %s)", path, nsname);
		} else {
			fn(arg, &r);
		}
		ssize_t w = write(p[1], &r, sizeof(r));
		_exit(w == (ssize_t)sizeof(r) ? 0 : 1);
	}
	close(p[1]);
	memset(rep, 0, sizeof(*rep));
	ssize_t n;
	do
		n = read(p[0], rep, sizeof(*rep));
	while (n < 0 && errno == EINTR);
	close(p[0]);
	int st;
	while (waitpid(c, &st, 0) < 0 && errno == EINTR)
		;
	if (n != (ssize_t)sizeof(*rep))
		return nerr_set(e, EIO, "fork", "a child asking in %s", path);
	if (rep->code)
		return nerr_set(e, rep->code, "setns", "%s", rep->what);
	return 0;
}

static void ask_uname(long arg, struct reply *r)
{
	(void)arg;
	struct utsname u;
	if (uname(&u) < 0) {
		r->code = errno;
		snprintf(r->what, sizeof(r->what), "uname()");
		return;
	}
	snprintf(r->text, sizeof(r->text), "%s", u.nodename);
}

int nsq_hostname(pid_t pid, char *buf, size_t len, struct nerr *e)
{
	struct reply r;
	int ret = ask_in(pid, CLONE_NEWUTS, "uts", ask_uname, 0, &r, e);
	if (ret < 0)
		return ret;
	snprintf(buf, len, "%s", r.text);
	return 0;
}

static const char *const ipc_files[] = { "/proc/sysvipc/shm", "/proc/sysvipc/msg",
					 "/proc/sysvipc/sem" };

static void ask_ipc_count(long kind, struct reply *r)
{
	FILE *f = fopen(ipc_files[kind], "re");
	if (!f) {
		r->code = errno;
		snprintf(r->what, sizeof(r->what), "open(\"%s\")", ipc_files[kind]);
		return;
	}
	char line[512];
	long n = -1; /* the first line is a header */
	while (fgets(line, sizeof(line), f))
		if (strchr(line, '\n'))
			n++;
	fclose(f);
	r->value = n < 0 ? 0 : n;
}

int nsq_ipc_count(pid_t pid, enum nsq_ipc kind, struct nerr *e)
{
	struct reply r;
	int ret = ask_in(pid, CLONE_NEWIPC, "ipc", ask_ipc_count, kind, &r, e);
	return ret < 0 ? ret : (int)r.value;
}

static void ask_ipc_make(long kind, struct reply *r)
{
	int id;
	const char *call;
	if (kind == NSQ_SHM) {
		id = shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0600);
		call = "shmget(IPC_PRIVATE, 4096, IPC_CREAT|0600)";
	} else if (kind == NSQ_MSG) {
		id = msgget(IPC_PRIVATE, IPC_CREAT | 0600);
		call = "msgget(IPC_PRIVATE, IPC_CREAT|0600)";
	} else {
		id = semget(IPC_PRIVATE, 1, IPC_CREAT | 0600);
		call = "semget(IPC_PRIVATE, 1, IPC_CREAT|0600)";
	}
	if (id < 0) {
		r->code = errno;
		snprintf(r->what, sizeof(r->what), "%s", call);
		return;
	}
	r->value = id;
	snprintf(r->text, sizeof(r->text), "%s", call);
}

int nsq_ipc_make(pid_t pid, enum nsq_ipc kind, struct nerr *e)
{
	struct reply r;
	int ret = ask_in(pid, CLONE_NEWIPC, "ipc", ask_ipc_make, kind, &r, e);
	if (ret < 0) {
		tr_call(-1, e->code, "%s", e->what);
		return ret;
	}
	/* ask_in memset r and filled it (the analyzer does not follow that). */
	// NOLINTNEXTLINE(clang-analyzer-core.CallAndMessage)
	tr_call(0, 0, "setns(\"/proc/%d/ns/ipc\", CLONE_NEWIPC); %s = %ld", (int)pid, r.text,
		r.value);
	return (int)r.value;
}
