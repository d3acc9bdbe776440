/* userns.h - user namespaces: uid/gid maps, subordinate ids, newuidmap.
 * man 7 user_namespaces, man 5 subuid, man 1 newuidmap. */
#ifndef NSLAB_USERNS_H
#define NSLAB_USERNS_H

#include <stdbool.h>
#include <sys/types.h>

#include "err.h"

/* One line of /proc/PID/uid_map: ids inside..inside+count-1 are
 * outside..outside+count-1 in the namespace of whoever reads the file. */
struct idmap {
	unsigned inside, outside, count;
};

/* Parse uid_map/gid_map text into at most @max entries; count or -EINVAL. */
int userns_parse_map(const char *text, struct idmap *m, int max);

/* Translate through a map: outside -> inside (or back). -1 when unmapped
 * (the kernel shows such ids as the overflow id, 65534, "nobody"). */
long long userns_to_inside(const struct idmap *m, int n, unsigned outside);
long long userns_to_outside(const struct idmap *m, int n, unsigned inside);

/* The first subordinate range of @user (or of @uid, written as a number) in
 * @file (/etc/subuid or /etc/subgid). 0, or -ENOENT when there is none. */
int userns_subid_range(const char *file, const char *user, unsigned uid, unsigned *ret_start,
		       unsigned *ret_count);

/* Where newuidmap (@uid) or newgidmap lives, or NULL (package uidmap). */
const char *userns_newidmap_path(bool uid);

/* Write @pid's uid_map (@uid) or gid_map through the setuid helper
 * newuidmap/newgidmap, which checks the ranges against /etc/subuid and
 * /etc/subgid: how an unprivileged user gets more than its own one id.
 * fork + execve. Teaches: only a privileged writer may map other ids. */
int userns_newidmap(bool uid, pid_t pid, const struct idmap *m, int n, struct nerr *e);

/* The uid that created @pid's user namespace (ioctl NS_GET_OWNER_UID on
 * /proc/PID/ns/user, ioctl_ns(2)), as the caller's namespace sees it. */
int userns_owner_uid(pid_t pid, uid_t *ret);

#endif
