#include "ns.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cleanup.h"
#include "syscalls.h"
#include "trace.h"

/* The order of the table is the order of `ns` output and of ns_enter_each()'s
 * passes (which put the user namespace where it must be). */
const struct ns_type ns_types[NS_COUNT] = {
	{ NS_MNT, "mnt", CLONE_NEWNS, "CLONE_NEWNS", N_("mount points (the file tree)") },
	{ NS_UTS, "uts", CLONE_NEWUTS, "CLONE_NEWUTS", N_("hostname and domain name") },
	{ NS_IPC, "ipc", CLONE_NEWIPC, "CLONE_NEWIPC", N_("System V IPC and POSIX message queues") },
	{ NS_PID, "pid", CLONE_NEWPID, "CLONE_NEWPID", N_("process ids") },
	{ NS_NET, "net", CLONE_NEWNET, "CLONE_NEWNET", N_("network devices, addresses, ports") },
	{ NS_USER, "user", CLONE_NEWUSER, "CLONE_NEWUSER", N_("user and group ids, capabilities") },
	{ NS_CGROUP, "cgroup", CLONE_NEWCGROUP, "CLONE_NEWCGROUP", N_("the cgroup root directory") },
	{ NS_TIME, "time", CLONE_NEWTIME, "CLONE_NEWTIME", N_("boot-time and monotonic clocks") },
};

_Static_assert(NS_ALL_FLAGS == (CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWPID |
				CLONE_NEWNET | CLONE_NEWUSER | CLONE_NEWCGROUP | CLONE_NEWTIME),
	       "NS_ALL_FLAGS");

const struct ns_type *ns_by_name(const char *name)
{
	for (int i = 0; i < NS_COUNT; i++)
		if (strcmp(ns_types[i].name, name) == 0)
			return &ns_types[i];
	return NULL;
}

int ns_parse_list(const char *list, int *ret_flags, struct nerr *e)
{
	int flags = 0;
	if (!list || !*list)
		return nerr_set(e, EINVAL, "--ns", "%s", "");
	if (strcmp(list, "all") == 0) {
		*ret_flags = NS_ALL_FLAGS;
		return 0;
	}
	if (strcmp(list, "none") == 0) {
		*ret_flags = 0;
		return 0;
	}
	_cleanup_free_ char *copy = strdup(list);
	if (!copy)
		return nerr_set(e, ENOMEM, "strdup", "--ns");
	char *save = NULL;
	int words = 0;
	for (char *w = strtok_r(copy, ",", &save); w; w = strtok_r(NULL, ",", &save), words++) {
		/* Accept the names people know from elsewhere too. */
		if (strcmp(w, "mount") == 0 || strcmp(w, "ns") == 0)
			w = "mnt";
		else if (strcmp(w, "network") == 0)
			w = "net";
		const struct ns_type *t = ns_by_name(w);
		if (!t)
			return nerr_set(e, EINVAL, "--ns", "%.60s", w);
		flags |= t->flag;
	}
	/* ",,," names nothing: that is a slip, not "none". */
	if (!words)
		return nerr_set(e, EINVAL, "--ns", "%.60s", list);
	*ret_flags = flags;
	return 0;
}

char *ns_flags_str(int flags, char *buf, size_t len)
{
	size_t off = 0;
	buf[0] = '\0';
	for (int i = 0; i < NS_COUNT; i++) {
		if (!(flags & ns_types[i].flag))
			continue;
		int n = snprintf(buf + off, len - off, "%s%s", off ? "|" : "", ns_types[i].flagname);
		if (n < 0 || (size_t)n >= len - off)
			break;
		off += n;
	}
	if (!off)
		snprintf(buf, len, "0");
	return buf;
}

int ns_read_ids(int procdir, pid_t pid, uint64_t ids[NS_COUNT])
{
	int found = 0;
	for (int i = 0; i < NS_COUNT; i++) {
		char path[64], link[64];
		ids[i] = 0;
		snprintf(path, sizeof(path), "%d/ns/%s", (int)pid, ns_types[i].name);
		ssize_t n = readlinkat(procdir, path, link, sizeof(link) - 1);
		if (n < 0) {
			if (errno == ESRCH || (errno == ENOENT && i == 0))
				return -ESRCH;
			continue;
		}
		link[n] = '\0';
		char *lb = strchr(link, '[');
		if (!lb)
			continue;
		ids[i] = strtoull(lb + 1, NULL, 10);
		found++;
	}
	return found;
}

int ns_enter_each(pid_t pid, int flags, struct nerr *e)
{
	int fds[NS_COUNT];
	for (int i = 0; i < NS_COUNT; i++)
		fds[i] = -1;
	int r = 0;
	/* Open every file first: once we enter the mount namespace, /proc may differ. */
	for (int i = 0; i < NS_COUNT; i++) {
		if (!(flags & ns_types[i].flag))
			continue;
		char path[64];
		snprintf(path, sizeof(path), "/proc/%d/ns/%s", (int)pid, ns_types[i].name);
		fds[i] = open(path, O_RDONLY | O_CLOEXEC);
		if (fds[i] < 0) {
			r = nerr_set(e, errno, "open", "open(\"%s\")", path);
			goto out;
		}
	}
	/* Three passes, as nsenter(1) does. A namespace is entered with the
	 * capabilities we have in the user namespace that owns it. Those owned by
	 * the user namespace we are in (a box's time namespace, made by unshare
	 * before the clone that made its user namespace) can only be entered
	 * before we move into the box's user namespace, where we lose our
	 * capabilities over the parent; those owned by the box's user namespace
	 * need the capabilities we get there (an unprivileged nslab has none
	 * before). So: every other namespace that lets us in now, then the user
	 * namespace, then the rest. */
	for (int pass = 0; pass < 3; pass++) {
		for (int i = 0; i < NS_COUNT; i++) {
			if (fds[i] < 0 || (pass == 1) != (i == NS_USER))
				continue;
			int s = setns(fds[i], ns_types[i].flag);
			int err = errno;
			if (s < 0 && pass == 0 && err == EPERM)
				continue; /* tried again after the user namespace */
			tr_call(s, err, "setns(/proc/%d/ns/%s, %s)", (int)pid, ns_types[i].name,
				ns_types[i].flagname);
			if (s < 0) {
				r = nerr_set(e, err, "setns", "setns(/proc/%d/ns/%s, %s)", (int)pid,
					     ns_types[i].name, ns_types[i].flagname);
				goto out;
			}
			close(fds[i]);
			fds[i] = -1;
		}
	}
out:
	for (int i = 0; i < NS_COUNT; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	return r;
}

int ns_enter(pid_t pid, int flags, struct nerr *e)
{
	if (!flags)
		return 0;
	_cleanup_close_ int pidfd = sys_pidfd_open(pid);
	if (pidfd >= 0) {
		char fl[160];
		int s = setns(pidfd, flags);
		tr_call(s, errno, "setns(pidfd_open(%d), %s)", (int)pid,
			ns_flags_str(flags, fl, sizeof(fl)));
		if (s == 0)
			return 0;
		if (errno != EINVAL) /* kernels before 5.8 say EINVAL for a pidfd */
			return nerr_set(e, errno, "setns", "setns(pidfd_open(%d), %s)", (int)pid, fl);
	}
	return ns_enter_each(pid, flags, e);
}
