/* net.c - network namespaces: ip(8) run inside a namespace, and readers of
 * a namespace's interfaces. See net.h. */
#include "net.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <ifaddrs.h>
#include <linux/ethtool.h>
#include <linux/sockios.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cleanup.h"
#include "procfs.h"
#include "syscalls.h"
#include "trace.h"

const char *net_ip_path(void)
{
	static const char *const where[] = { "/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip", "/bin/ip" };
	for (size_t i = 0; i < ARRAY_SIZE(where); i++)
		if (access(where[i], X_OK) == 0)
			return where[i];
	return NULL;
}

/* The errno whose text ip printed ("RTNETLINK answers: File exists"); the
 * longest match wins, so "No such device" is not taken for a shorter text. */
static int errno_from_text(const char *msg)
{
	if (strstr(msg, "Cannot find device") || strstr(msg, "does not exist"))
		return ENODEV;
	int best = 0;
	size_t bestlen = 0;
	for (int c = 1; c < 134; c++) {
		const char *d = strerrordesc_np(c);
		if (d && strlen(d) > bestlen && strstr(msg, d)) {
			best = c;
			bestlen = strlen(d);
		}
	}
	return best ? best : EIO;
}

static int wait_status(pid_t pid)
{
	int st;
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* What a child says over its error pipe when it fails before its work. */
struct child_err {
	int code;
	char call[16];
};

/* In a child: say which call failed (errno) on @efd and leave. */
static __attribute__((noreturn)) void child_fail(int efd, const char *call)
{
	struct child_err ce = { .code = errno };
	snprintf(ce.call, sizeof(ce.call), "%s", call);
	if (write(efd, &ce, sizeof(ce)) < 0)
		_exit(127);
	_exit(127);
}

/* fork(2) a child that has joined the network namespace of @nspid (0: the
 * caller's) and dies with the shell. Both get @fds: the child the write
 * ends (fds[0] for its work or output, fds[1] for child_fail; with
 * @std_to_pipe its stdout and stderr go to fds[0] too), the parent the read
 * ends. Returns the child's pid in the parent, 0 in the child, or -errno. */
static pid_t fork_in_netns(pid_t nspid, bool std_to_pipe, int fds[2], struct nerr *e)
{
	_cleanup_close_ int nsfd = -1;
	if (nspid) {
		char path[64];
		snprintf(path, sizeof(path), "/proc/%d/ns/net", (int)nspid);
		nsfd = open(path, O_RDONLY | O_CLOEXEC);
		if (nsfd < 0)
			return nerr_set(e, errno, "open", "open(\"%s\")", path);
	}
	int p[2], ep[2];
	if (pipe2(p, O_CLOEXEC) < 0)
		return nerr_set(e, errno, "pipe2", "pipe2(O_CLOEXEC)");
	if (pipe2(ep, O_CLOEXEC) < 0) {
		int err = errno;
		close(p[0]);
		close(p[1]);
		return nerr_set(e, err, "pipe2", "pipe2(O_CLOEXEC)");
	}
	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0) {
		int err = errno;
		close(p[0]);
		close(p[1]);
		close(ep[0]);
		close(ep[1]);
		return nerr_set(e, err, "fork", "fork()");
	}
	if (pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		close(p[0]);
		close(ep[0]);
		if (std_to_pipe) {
			dup2(p[1], 1);
			dup2(p[1], 2);
		}
		if (nsfd >= 0 && setns(nsfd, CLONE_NEWNET) < 0)
			child_fail(ep[1], "setns");
		fds[0] = p[1];
		fds[1] = ep[1];
		return 0;
	}
	close(p[1]);
	close(ep[1]);
	fds[0] = p[0];
	fds[1] = ep[0];
	return pid;
}

/* Wait for a child of fork_in_netns() and read its error pipe @efd (closed
 * here). Returns 0, or the errno of the call named in @ret_ce. */
static int reap(pid_t pid, int efd, int *ret_status, struct child_err *ret_ce)
{
	*ret_status = wait_status(pid);
	ssize_t n = read(efd, ret_ce, sizeof(*ret_ce));
	close(efd);
	if (n != (ssize_t)sizeof(*ret_ce))
		ret_ce->code = 0;
	return ret_ce->code;
}

/* "nsenter -t PID -n ARGV...": the command line a learner would type. */
static void cmd_words(pid_t nspid, const char *const argv[], char *buf, size_t len)
{
	size_t off = nspid ? (size_t)snprintf(buf, len, "nsenter -t %d -n", (int)nspid) : 0;
	buf[off < len ? off : len - 1] = '\0';
	for (int i = 0; argv[i] && off < len; i++)
		off += snprintf(buf + off, len - off, "%s%s", off ? " " : "", argv[i]);
}

/* Run @path with @argv (@envp, or the shell's environment searched in PATH
 * when NULL) in @nspid's network namespace; its output is copied to @out_fd
 * when >= 0 and kept in *ret_out (at most 1 MiB). Returns 0 when it ran. */
static int run_in(pid_t nspid, const char *path, const char *const argv[], char *const envp[],
		  int out_fd, int *ret_status, char **ret_out, size_t *ret_len, const char *cmd,
		  struct nerr *e)
{
	int fds[2];
	pid_t pid = fork_in_netns(nspid, true, fds, e);
	if (pid < 0)
		return pid;
	if (pid == 0) {
		signal(SIGINT, SIG_DFL);
		signal(SIGPIPE, SIG_DFL);
		if (envp)
			execve(path, (char *const *)argv, envp);
		else
			execvp(path, (char *const *)argv);
		child_fail(fds[1], "execve");
	}
	char *buf = NULL;
	size_t len = 0, cap = 0;
	char chunk[4096];
	for (;;) {
		ssize_t r = read(fds[0], chunk, sizeof(chunk));
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		if (out_fd >= 0 && write(out_fd, chunk, r) < 0) {
			/* the terminal went away; keep the copy */
		}
		if (len + r + 1 > cap && len + r <= (1u << 20)) {
			size_t nc = cap ? cap * 2 : 8192;
			while (nc < len + r + 1)
				nc *= 2;
			char *nb = realloc(buf, nc);
			if (!nb)
				continue;
			buf = nb;
			cap = nc;
		}
		if (len + r + 1 <= cap) {
			memcpy(buf + len, chunk, r);
			len += r;
			buf[len] = '\0';
		}
	}
	close(fds[0]);
	struct child_err ce;
	if (reap(pid, fds[1], ret_status, &ce)) {
		free(buf);
		return nerr_set(e, ce.code, ce.call, "%s", cmd);
	}
	if (ret_out)
		*ret_out = buf;
	else
		free(buf);
	if (ret_len)
		*ret_len = len;
	return 0;
}

int net_ip(pid_t nspid, const char *const args[], struct nerr *e)
{
	const char *argv[32] = { "ip" };
	int n = 1;
	for (int i = 0; args[i] && n < (int)ARRAY_SIZE(argv) - 1; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	char cmd[240];
	cmd_words(nspid, argv, cmd, sizeof(cmd));
	const char *ip = net_ip_path();
	if (!ip)
		return nerr_setw(e, ENOENT, "ip", N_("iproute2's ip is missing: apt-get install iproute2"),
				 "%s", cmd);
	/* C locale: the parent reads the kernel's words back into an errno. */
	static char *const env[] = { "LC_ALL=C", "PATH=/usr/sbin:/usr/bin:/sbin:/bin", NULL };
	_cleanup_free_ char *out = NULL;
	int st;
	int r = run_in(nspid, ip, argv, env, -1, &st, &out, NULL, cmd, e);
	if (r == 0 && st == 0) {
		tr_call(0, 0, "%s", cmd);
		return 0;
	}
	if (r < 0) {
		tr_call(-1, -r, "%s", cmd);
		return r;
	}
	char msg[512];
	snprintf(msg, sizeof(msg), "%s", out ? out : "");
	msg[strcspn(msg, "\n")] = '\0';
	int code = errno_from_text(msg);
	tr_call(-1, code, "%s", cmd);
	/* "RTNETLINK answers: File exists" says no more than the errno does. */
	const char *d = strerrordesc_np(code);
	if (!msg[0] || (strstr(msg, "RTNETLINK answers: ") == msg && d && !strcmp(msg + 19, d)))
		return nerr_set(e, code, "ip", "%s", cmd);
	return nerr_set(e, code, "ip", "%s [%s]", cmd, msg);
}

int net_run(pid_t nspid, char *const argv[], int out_fd, int *ret_status, char **ret_out,
	    size_t *ret_len, struct nerr *e)
{
	char cmd[240];
	cmd_words(nspid, (const char *const *)argv, cmd, sizeof(cmd));
	int r = run_in(nspid, argv[0], (const char *const *)argv, NULL, out_fd, ret_status, ret_out,
		       ret_len, cmd, e);
	tr_call(r < 0 ? -1 : 0, -r, "%s", cmd);
	return r;
}

int net_holder_start(pid_t *ret_pid, unsigned long long *ret_start, struct nerr *e)
{
	int p[2];
	if (pipe2(p, O_CLOEXEC) < 0)
		return nerr_set(e, errno, "pipe2", "pipe2(O_CLOEXEC)");
	pid_t parent = getpid();
	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0) {
		close(p[0]);
		close(p[1]);
		return nerr_set(e, errno, "fork", "fork()");
	}
	if (pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != parent)
			_exit(1);
		int err = unshare(CLONE_NEWNET) < 0 ? errno : 0;
		if (write(p[1], &err, sizeof(err)) != sizeof(err) || err)
			_exit(1);
		prctl(PR_SET_NAME, "nslab-netns");
		int devnull = open("/dev/null", O_RDWR);
		if (devnull >= 0) {
			dup2(devnull, 0);
			dup2(devnull, 1);
			dup2(devnull, 2);
		}
		sys_close_from(3);
		sigset_t set;
		sigfillset(&set);
		sigprocmask(SIG_BLOCK, &set, NULL);
		for (;;) {
			int sig = sigwaitinfo(&set, NULL);
			if (sig == SIGTERM || sig == SIGINT || sig == SIGHUP)
				_exit(0);
		}
	}
	close(p[1]);
	int err = EPROTO;
	ssize_t n;
	while ((n = read(p[0], &err, sizeof(err))) < 0 && errno == EINTR)
		;
	close(p[0]);
	if (n != sizeof(err))
		err = EPROTO;
	tr_call(err ? -1 : pid, err, "unshare(CLONE_NEWNET) in process %d (it holds the namespace)",
		(int)pid);
	if (err) {
		wait_status(pid);
		return nerr_set(e, err, "unshare", "unshare(CLONE_NEWNET)");
	}
	*ret_pid = pid;
	*ret_start = proc_starttime(pid);
	return 0;
}

/* ---------------- reading a namespace's interfaces ---------------- */

static struct net_if *if_get(struct net_if *v, int *n, int max, const char *name)
{
	for (int i = 0; i < *n; i++)
		if (strcmp(v[i].name, name) == 0)
			return &v[i];
	if (*n >= max)
		return NULL;
	struct net_if *f = &v[(*n)++];
	memset(f, 0, sizeof(*f));
	snprintf(f->name, sizeof(f->name), "%s", name);
	return f;
}

static void if_driver(int sock, struct net_if *f)
{
	struct ethtool_drvinfo info = { .cmd = ETHTOOL_GDRVINFO };
	struct ifreq ifr = { 0 };
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", f->name);
	ifr.ifr_data = (void *)&info;
	const char *kind = "other";
	if (f->flags & IFF_LOOPBACK)
		kind = "loopback";
	else if (ioctl(sock, SIOCETHTOOL, &ifr) == 0) {
		if (strcmp(info.driver, "veth") == 0)
			kind = "veth";
		else if (strcmp(info.driver, "bridge") == 0)
			kind = "bridge";
	}
	snprintf(f->kind, sizeof(f->kind), "%s", kind);
}

/* sysfs shows the network namespace of the process that mounted it: mount a
 * fresh one in a private mount namespace (what `ip netns exec` does). */
static void if_sysfs(struct net_if *v, int n)
{
	if (unshare(CLONE_NEWNS) < 0 || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0 ||
	    mount("sysfs", "/sys", "sysfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0)
		return;
	for (int i = 0; i < n; i++) {
		char path[128], link[PATH_MAX];
		snprintf(path, sizeof(path), "/sys/class/net/%s/master", v[i].name);
		ssize_t l = readlink(path, link, sizeof(link) - 1);
		if (l > 0) {
			link[l] = '\0';
			const char *b = strrchr(link, '/');
			snprintf(v[i].master, sizeof(v[i].master), "%s", b ? b + 1 : link);
		}
		snprintf(path, sizeof(path), "/sys/class/net/%s/iflink", v[i].name);
		_cleanup_fclose_ FILE *f = fopen(path, "re");
		int peer = 0;
		if (f && fscanf(f, "%d", &peer) == 1 && peer != v[i].index &&
		    strcmp(v[i].kind, "veth") == 0)
			v[i].peer_index = peer;
	}
}

static int cmp_index(const void *a, const void *b)
{
	return ((const struct net_if *)a)->index - ((const struct net_if *)b)->index;
}

/* In a child of fork_in_netns(): the namespace's interfaces, as a count and
 * an array, on @wfd. */
static __attribute__((noreturn)) void list_child(int wfd, int efd)
{
	enum { MAX = 256 };
	static struct net_if v[MAX];
	int n = 0;
	struct ifaddrs *ifa = NULL;
	if (getifaddrs(&ifa) < 0)
		child_fail(efd, "getifaddrs");
	for (struct ifaddrs *a = ifa; a; a = a->ifa_next) {
		struct net_if *f = if_get(v, &n, MAX, a->ifa_name);
		if (!f)
			continue;
		f->flags = a->ifa_flags;
		if (a->ifa_addr && a->ifa_addr->sa_family == AF_INET && f->naddr < NET_ADDRS_MAX) {
			char ip[INET_ADDRSTRLEN] = "";
			const struct sockaddr_in *sa = (const void *)a->ifa_addr;
			inet_ntop(AF_INET, &sa->sin_addr, ip, sizeof(ip));
			int prefix = 0;
			if (a->ifa_netmask)
				prefix = __builtin_popcount(
					((const struct sockaddr_in *)(const void *)a->ifa_netmask)->sin_addr.s_addr);
			snprintf(f->addr[f->naddr++], sizeof(f->addr[0]), "%s/%d", ip, prefix);
		}
	}
	freeifaddrs(ifa);
	int sock = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	for (int i = 0; i < n; i++) {
		v[i].index = (int)if_nametoindex(v[i].name);
		if (sock >= 0)
			if_driver(sock, &v[i]);
	}
	if_sysfs(v, n);
	qsort(v, n, sizeof(v[0]), cmp_index);
	if (write(wfd, &n, sizeof(n)) != sizeof(n) ||
	    write(wfd, v, sizeof(v[0]) * n) != (ssize_t)(sizeof(v[0]) * n))
		_exit(1);
	_exit(0);
}

static int read_full(int fd, void *buf, size_t len)
{
	size_t got = 0;
	while (got < len) {
		ssize_t r = read(fd, (char *)buf + got, len - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -EPROTO;
		got += r;
	}
	return 0;
}

int net_list(pid_t nspid, struct net_if **ret, struct nerr *e)
{
	int fds[2];
	pid_t pid = fork_in_netns(nspid, false, fds, e);
	if (pid < 0)
		return pid;
	if (pid == 0)
		list_child(fds[0], fds[1]);
	int n = 0, r = read_full(fds[0], &n, sizeof(n));
	struct net_if *v = NULL;
	if (r == 0 && n > 0) {
		v = calloc(n, sizeof(*v));
		r = v ? read_full(fds[0], v, sizeof(*v) * n) : -ENOMEM;
	}
	close(fds[0]);
	struct child_err ce;
	int st;
	if (reap(pid, fds[1], &st, &ce))
		r = -ce.code;
	if (r < 0) {
		free(v);
		return nerr_set(e, -r, "setns", "setns(/proc/%d/ns/net, CLONE_NEWNET); getifaddrs()",
				(int)nspid);
	}
	*ret = v;
	return n;
}

const struct net_if *net_find(const struct net_if *v, int n, const char *name)
{
	for (int i = 0; i < n; i++)
		if (strcmp(v[i].name, name) == 0)
			return &v[i];
	return NULL;
}

int net_cidr_check(const char *cidr)
{
	char ip[INET_ADDRSTRLEN + 1], extra;
	int prefix;
	if (strlen(cidr) > 18 || sscanf(cidr, "%15[0-9.]/%d%c", ip, &prefix, &extra) != 2 ||
	    prefix < 8 || prefix > 30)
		return -EINVAL;
	struct in_addr a;
	if (inet_pton(AF_INET, ip, &a) != 1)
		return -EINVAL;
	uint32_t h = ntohl(a.s_addr);
	bool private = (h >> 24) == 10 || (h >> 20) == 0xac1 || (h >> 16) == 0xc0a8;
	return private ? 0 : -EPERM;
}

int net_tcp_parse_listening(const char *text, unsigned port)
{
	const char *line = text;
	while (line && *line) {
		unsigned lport, st;
		if (sscanf(line, " %*d: %*[0-9A-Fa-f]:%x %*[0-9A-Fa-f]:%*x %x", &lport, &st) == 2 &&
		    lport == port && st == 0x0A)
			return 1;
		line = strchr(line, '\n');
		if (line)
			line++;
	}
	return 0;
}

int net_tcp_listening(int procdir, pid_t pid, unsigned port)
{
	static const char *const files[] = { "net/tcp", "net/tcp6" };
	int found = 0, read_one = 0, err = 0;
	for (size_t i = 0; i < ARRAY_SIZE(files) && !found; i++) {
		_cleanup_free_ char *buf = NULL;
		int r = proc_read(procdir, pid, files[i], &buf, NULL, NULL);
		if (r < 0) {
			err = r;
			continue;
		}
		read_one = 1;
		found = net_tcp_parse_listening(buf, port);
	}
	return read_one ? found : err;
}
