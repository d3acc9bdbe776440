/* pred_ns.c - lab predicates for network, user, cgroup and time namespaces
 * (labs 06-09). Same contract as pred.c: each looks at kernel state, never at
 * what was typed, and says what it saw. The rows are in lab_preds_ns[], which
 * lab_pred_find() searches after lab_preds[].
 *
 * "host" in link/addr/listen means nslab's host-side network namespace (where
 * net veth and net bridge put their ends), not the machine's own. */
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "../box/box.h"
#include "../box/net.h"
#include "../cmd/cmd.h"
#include "../i18n.h"
#include "../kernel/cleanup.h"
#include "../kernel/net.h"
#include "../kernel/nsquery.h"
#include "../kernel/procfs.h"
#include "../kernel/syscalls.h"
#include "../kernel/userns.h"
#include "lab.h"

static const char *const ops[] = { "==", "!=", ">=", "<=", ">", "<", NULL };

static int op_index(const char *w)
{
	for (int i = 0; ops[i]; i++)
		if (strcmp(w, ops[i]) == 0)
			return i;
	return -1;
}

static bool op_holds(int op, double a, double b)
{
	switch (op) {
	case 0: return a == b;
	case 1: return a != b;
	case 2: return a >= b;
	case 3: return a <= b;
	case 4: return a > b;
	case 5: return a < b;
	default: return false;
	}
}

static bool one_of(const char *w, const char *a, const char *b)
{
	return strcmp(w, a) == 0 || strcmp(w, b) == 0;
}

/* A running box's PID 1; for @host_ok, "host" is nslab's host-side netns. */
static pid_t pid_of(struct lab_snap *s, const char *name, bool host_ok, char *saw, size_t len)
{
	if (host_ok && strcmp(name, "host") == 0) {
		pid_t p;
		if (box_net_host(s->ctx->sess, false, &p, NULL) == 0)
			return p;
		snprintf(saw, len, _("the host side has no links yet"));
		return -1;
	}
	struct box *b = box_find(s->ctx, name);
	if (!b) {
		snprintf(saw, len, _("there is no box named %s"), name);
		return -1;
	}
	if (box_poll_dead(b)) {
		snprintf(saw, len, _("box %s has stopped"), name);
		return -1;
	}
	return b->pid;
}

/* ---------------- link BOX|host IFNAME up|down|present|absent ---------------- */

static const char *v_link(int argc, char **argv)
{
	static const char *const st[] = { "up", "down", "present", "absent", NULL };
	for (int i = 0; st[i]; i++)
		if (!strcmp(argv[2], st[i]))
			return strlen(argv[1]) <= NET_IFNAME_MAX ? NULL
								 : N_("an interface name has at most 15 characters");
	return N_("say up, down, present or absent");
}

static bool p_link(struct lab_snap *s, int argc, char **argv, char *saw, size_t len)
{
	pid_t pid = pid_of(s, argv[0], true, saw, len);
	if (pid < 0)
		return false;
	_cleanup_free_ struct net_if *v = NULL;
	int n = net_list(pid, &v, NULL);
	const struct net_if *f = n > 0 ? net_find(v, n, argv[1]) : NULL;
	const char *want = argv[2];
	if (!f) {
		snprintf(saw, len, _("%s has no interface %s"), argv[0], argv[1]);
		return strcmp(want, "absent") == 0;
	}
	bool up = f->flags & IFF_UP;
	snprintf(saw, len, up ? _("%s of %s is up") : _("%s of %s is down"), argv[1], argv[0]);
	if (!strcmp(want, "present"))
		return true;
	if (!strcmp(want, "up"))
		return up;
	if (!strcmp(want, "down"))
		return !up;
	return false;
}

/* ---------------- addr BOX|host A.B.C.D/N present|absent ---------------- */

static const char *v_addr(int argc, char **argv)
{
	if (net_cidr_check(argv[1]) == -EINVAL)
		return N_("write the address with its prefix: 10.200.0.2/24");
	return one_of(argv[2], "present", "absent") ? NULL : N_("say present or absent");
}

static bool p_addr(struct lab_snap *s, int argc, char **argv, char *saw, size_t len)
{
	pid_t pid = pid_of(s, argv[0], true, saw, len);
	if (pid < 0)
		return false;
	_cleanup_free_ struct net_if *v = NULL;
	int n = net_list(pid, &v, NULL);
	for (int i = 0; i < n; i++)
		for (int a = 0; a < v[i].naddr; a++)
			if (strcmp(v[i].addr[a], argv[1]) == 0) {
				snprintf(saw, len, _("%s has %s on %s"), argv[0], argv[1], v[i].name);
				return strcmp(argv[2], "present") == 0;
			}
	snprintf(saw, len, _("no interface of %s has %s"), argv[0], argv[1]);
	return strcmp(argv[2], "absent") == 0;
}

/* ---------------- ping BOX A.B.C.D ok|fails ---------------- */

static const char *v_ping(int argc, char **argv)
{
	char probe[40];
	snprintf(probe, sizeof(probe), "%s/24", argv[1]);
	if (net_cidr_check(probe) == -EINVAL)
		return N_("write an IPv4 address: 10.200.0.2");
	return one_of(argv[2], "ok", "fails") ? NULL : N_("say ok or fails");
}

static bool p_ping(struct lab_snap *s, int argc, char **argv, char *saw, size_t len)
{
	struct box *b = box_find(s->ctx, argv[0]);
	if (!b || box_poll_dead(b)) {
		snprintf(saw, len, _("box %s is not running"), argv[0]);
		return false;
	}
	/* One echo request, one second: a real packet through the namespaces. */
	char *cmd[] = { "ping", "-c", "1", "-W", "1", argv[1], NULL };
	struct box_exec_result res;
	struct nerr e = { 0 };
	int r = box_exec(b, cmd, EXEC_CAPTURE, -1, &res, &e);
	free(res.out);
	bool ok = r == 0 && res.status == 0;
	snprintf(saw, len, ok ? _("%s answers ping from %s") : _("%s does not answer ping from %s"),
		 argv[1], argv[0]);
	return ok == (strcmp(argv[2], "ok") == 0);
}

/* ---------------- listen BOX PORT yes|no ---------------- */

static const char *v_listen(int argc, char **argv)
{
	long long v;
	if (parse_long(argv[1], 1, 65535, &v) < 0)
		return N_("PORT is a number from 1 to 65535");
	return one_of(argv[2], "yes", "no") ? NULL : N_("say yes or no");
}

static bool p_listen(struct lab_snap *s, int argc, char **argv, char *saw, size_t len)
{
	pid_t pid = pid_of(s, argv[0], true, saw, len);
	if (pid < 0)
		return false;
	long long port;
	parse_long(argv[1], 1, 65535, &port);
	/* /proc/PID/net/tcp lists the sockets of PID's network namespace. */
	int r = net_tcp_listening(s->proc, pid, (unsigned)port);
	if (r < 0) {
		snprintf(saw, len, _("cannot read /proc/%d/net/tcp"), (int)pid);
		return false;
	}
	snprintf(saw, len, r ? _("a socket listens on TCP port %lld in %s")
			     : _("nothing listens on TCP port %lld in %s"),
		 port, argv[0]);
	return (r == 1) == (strcmp(argv[2], "yes") == 0);
}

/* ---------------- uid|gid BOX N maps-to M ---------------- */

static const char *v_idmap(int argc, char **argv)
{
	long long v;
	if (parse_long(argv[1], 0, 4294967294LL, &v) < 0 ||
	    parse_long(argv[3], -1, 4294967294LL, &v) < 0)
		return N_("ids are numbers (-1: not mapped)");
	return strcmp(argv[2], "maps-to") ? N_("write: uid BOX N maps-to M") : NULL;
}

static bool p_idmap(struct lab_snap *s, const char *file, int argc, char **argv, char *saw,
		    size_t len)
{
	pid_t pid = pid_of(s, argv[0], false, saw, len);
	if (pid < 0)
		return false;
	_cleanup_free_ char *text = NULL;
	if (proc_read(s->proc, pid, file, &text, NULL, NULL) < 0) {
		snprintf(saw, len, _("cannot read /proc/%d/%s"), (int)pid, file);
		return false;
	}
	struct idmap m[16];
	int n = userns_parse_map(text, m, 16);
	long long in, want;
	parse_long(argv[1], 0, 4294967294LL, &in);
	parse_long(argv[3], -1, 4294967294LL, &want);
	long long got = n > 0 ? userns_to_outside(m, n, (unsigned)in) : -1;
	if (got < 0)
		snprintf(saw, len, _("%s %lld of %s is not mapped to the host"), file, in, argv[0]);
	else
		snprintf(saw, len, _("%s: %lld in %s is %lld on the host"), file, in, argv[0], got);
	return got == want;
}

static bool p_uid(struct lab_snap *s, int argc, char **argv, char *saw, size_t len)
{
	return p_idmap(s, "uid_map", argc, argv, saw, len);
}

static bool p_gid(struct lab_snap *s, int argc, char **argv, char *saw, size_t len)
{
	return p_idmap(s, "gid_map", argc, argv, saw, len);
}

/* ---------------- owner BOX PATH is UID ---------------- */

static const char *v_owner(int argc, char **argv)
{
	long long v;
	if (argv[1][0] != '/')
		return N_("PATH starts with /");
	if (strcmp(argv[2], "is"))
		return N_("write: owner BOX PATH is UID");
	return parse_long(argv[3], 0, 4294967294LL, &v) < 0 ? N_("UID is a number") : NULL;
}

/* The uid the inode holds, which is the host's view: a box's root writes
 * files that belong to 100000 when its map says 0 -> 100000. */
static bool p_owner(struct lab_snap *s, int argc, char **argv, char *saw, size_t len)
{
	pid_t pid = pid_of(s, argv[0], false, saw, len);
	if (pid < 0)
		return false;
	char root[64];
	snprintf(root, sizeof(root), "/proc/%d/root", (int)pid);
	_cleanup_close_ int rfd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
	struct open_how how = { .flags = O_PATH | O_NOFOLLOW | O_CLOEXEC,
				.resolve = RESOLVE_IN_ROOT };
	_cleanup_close_ int fd =
		rfd < 0 ? -1 : (int)syscall(SYS_openat2, rfd, argv[1], &how, sizeof(how));
	struct stat st;
	if (fd < 0 || fstat(fd, &st) < 0) {
		snprintf(saw, len, _("%s does not exist in %s (%s)"), argv[1], argv[0], strerror(errno));
		return false;
	}
	long long want;
	parse_long(argv[3], 0, 4294967294LL, &want);
	snprintf(saw, len, _("%s in %s belongs to host uid %u"), argv[1], argv[0],
		 (unsigned)st.st_uid);
	return st.st_uid == (uid_t)want;
}

/* ---------------- setgroups BOX allow|deny ---------------- */

static const char *v_setgroups(int argc, char **argv)
{
	return one_of(argv[1], "allow", "deny") ? NULL : N_("say allow or deny");
}

static bool p_setgroups(struct lab_snap *s, int argc, char **argv, char *saw, size_t len)
{
	pid_t pid = pid_of(s, argv[0], false, saw, len);
	if (pid < 0)
		return false;
	_cleanup_free_ char *text = NULL;
	if (proc_read(s->proc, pid, "setgroups", &text, NULL, NULL) < 0) {
		snprintf(saw, len, _("cannot read /proc/%d/setgroups"), (int)pid);
		return false;
	}
	text[strcspn(text, "\n")] = '\0';
	snprintf(saw, len, _("/proc/%d/setgroups says %s"), (int)pid, text);
	return strcmp(text, argv[1]) == 0;
}

/* ---------------- rootless-box running|absent ---------------- */

static const char *v_rootless(int argc, char **argv)
{
	return one_of(argv[0], "running", "absent") ? NULL : N_("say running or absent");
}

/* Any box (a process named nslab-init) on this machine whose user namespace
 * a non-root user made: it may belong to another nslab, in another terminal. */
static bool p_rootless(struct lab_snap *s, int argc, char **argv, char *saw, size_t len)
{
	_cleanup_free_ pid_t *pids = NULL;
	size_t n = 0;
	int found = 0;
	uid_t who = 0;
	if (s->proc >= 0 && proc_list_pids(s->proc, &pids, &n) == 0) {
		for (size_t i = 0; i < n && !found; i++) {
			struct proc_stat st;
			uid_t owner;
			if (proc_stat_read(s->proc, pids[i], &st) == 0 &&
			    strcmp(st.comm, "nslab-init") == 0 &&
			    userns_owner_uid(pids[i], &owner) == 0 && owner != 0) {
				found = (int)pids[i];
				who = owner;
			}
		}
	}
	if (found)
		snprintf(saw, len, _("box process %d runs in a user namespace made by uid %u"), found,
			 (unsigned)who);
	else
		snprintf(saw, len, _("no box made by a non-root user runs on this machine"));
	return (found != 0) == (strcmp(argv[0], "running") == 0);
}

/* ---------------- uptime BOX OP SECS ---------------- */

static const char *v_uptime(int argc, char **argv)
{
	long long v;
	if (op_index(argv[1]) < 0)
		return N_("OP is one of == != >= <= > <");
	return parse_long(argv[2], 0, 1LL << 40, &v) < 0 ? N_("SECS is a whole number") : NULL;
}

static bool p_uptime(struct lab_snap *s, int argc, char **argv, char *saw, size_t len)
{
	pid_t pid = pid_of(s, argv[0], false, saw, len);
	if (pid < 0)
		return false;
	double up;
	struct nerr e = { 0 };
	if (nsq_uptime(pid, &up, &e) < 0) {
		snprintf(saw, len, _("cannot read the uptime inside %s: %s"), argv[0], strerror(e.code));
		return false;
	}
	long long want;
	parse_long(argv[2], 0, 1LL << 40, &want);
	snprintf(saw, len, _("uptime inside %s is %.0f s"), argv[0], up);
	return op_holds(op_index(argv[1]), up, (double)want);
}

/* ---------------- cgroup-path BOX inside|host is|isnot PATH ---------------- */

static const char *v_cgpath(int argc, char **argv)
{
	if (!one_of(argv[1], "inside", "host"))
		return N_("say inside or host");
	if (!one_of(argv[2], "is", "isnot"))
		return N_("say is or isnot");
	return argv[3][0] == '/' ? NULL : N_("PATH starts with /");
}

/* The cgroup v2 line ("0::PATH") of a /proc/PID/cgroup text. */
static bool v2_path(const char *text, char *out, size_t len)
{
	const char *p = strstr(text, "0::");
	while (p && p != text && p[-1] != '\n')
		p = strstr(p + 1, "0::");
	if (!p)
		return false;
	snprintf(out, len, "%.*s", (int)strcspn(p + 3, "\n"), p + 3);
	return true;
}

static bool p_cgpath(struct lab_snap *s, int argc, char **argv, char *saw, size_t len)
{
	pid_t pid = pid_of(s, argv[0], false, saw, len);
	if (pid < 0)
		return false;
	char text[8192], path[PATH_MAX];
	struct nerr e = { 0 };
	bool inside = strcmp(argv[1], "inside") == 0;
	if (inside) {
		char file[64];
		snprintf(file, sizeof(file), "/proc/%d/cgroup", (int)pid);
		if (nsq_read_in(pid, "cgroup", file, text, sizeof(text), &e) < 0) {
			snprintf(saw, len, _("cannot read %s inside %s: %s"), file, argv[0],
				 strerror(e.code));
			return false;
		}
	} else {
		_cleanup_free_ char *t = NULL;
		if (proc_read(s->proc, pid, "cgroup", &t, NULL, NULL) < 0) {
			snprintf(saw, len, _("cannot read /proc/%d/cgroup"), (int)pid);
			return false;
		}
		snprintf(text, sizeof(text), "%s", t);
	}
	if (!v2_path(text, path, sizeof(path))) {
		snprintf(saw, len, _("/proc/%d/cgroup has no cgroup v2 line (0::)"), (int)pid);
		return false;
	}
	snprintf(saw, len, inside ? _("seen from inside %s, its cgroup is %s")
				  : _("seen from the host, the cgroup of %s is %s"),
		 argv[0], path);
	return (strcmp(path, argv[3]) == 0) == (strcmp(argv[2], "is") == 0);
}

/* ---------------- the table ---------------- */

const struct lab_pred lab_preds_ns[] = {
	{ "link", "link BOX|host IFNAME up|down|present|absent", 3, 3, v_link, p_link },
	{ "addr", "addr BOX|host A.B.C.D/N present|absent", 3, 3, v_addr, p_addr },
	{ "ping", "ping BOX A.B.C.D ok|fails", 3, 3, v_ping, p_ping },
	{ "listen", "listen BOX|host PORT yes|no", 3, 3, v_listen, p_listen },
	{ "uid", "uid BOX N maps-to M", 4, 4, v_idmap, p_uid },
	{ "gid", "gid BOX N maps-to M", 4, 4, v_idmap, p_gid },
	{ "owner", "owner BOX PATH is UID", 4, 4, v_owner, p_owner },
	{ "setgroups", "setgroups BOX allow|deny", 2, 2, v_setgroups, p_setgroups },
	{ "rootless-box", "rootless-box running|absent", 1, 1, v_rootless, p_rootless },
	{ "uptime", "uptime BOX OP SECS", 3, 3, v_uptime, p_uptime },
	{ "cgroup-path", "cgroup-path BOX inside|host is|isnot PATH", 4, 4, v_cgpath, p_cgpath },
	{ NULL, NULL, 0, 0, NULL, NULL },
};
