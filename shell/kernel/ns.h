/* ns.h - the eight namespace types, as one table, and readers of their ids.
 * man 7 namespaces. */
#ifndef NSLAB_NS_H
#define NSLAB_NS_H

#include <stdint.h>
#include <sys/types.h>

#include "err.h"

enum ns_kind { NS_MNT, NS_UTS, NS_IPC, NS_PID, NS_NET, NS_USER, NS_CGROUP, NS_TIME, NS_COUNT };

struct ns_type {
	enum ns_kind kind;
	const char *name;     /* the word used by --ns and in /proc/PID/ns: "mnt" */
	int flag;             /* CLONE_NEWNS ... */
	const char *flagname; /* "CLONE_NEWNS" */
	const char *isolates; /* msgid: what the namespace isolates */
};

extern const struct ns_type ns_types[NS_COUNT];

#define NS_ALL_FLAGS 0x7e020080 /* every CLONE_NEW* flag above, or-ed; checked in ns.c */

const struct ns_type *ns_by_name(const char *name);

/* Parse "pid,uts,mnt" or "all" into CLONE_NEW* flags. Unknown word: -EINVAL,
 * with the word in e->what. */
int ns_parse_list(const char *list, int *ret_flags, struct nerr *e);

/* "CLONE_NEWNS|CLONE_NEWPID" (or "0") into @buf; returns @buf. */
char *ns_flags_str(int flags, char *buf, size_t len);

/* The namespace ids (inode numbers) of @pid, read from @procdir/PID/ns/NAME
 * with readlinkat(2) ("uts:[4026531838]"), so tests can point @procdir at a
 * fixture. ids[k] = 0 where a type is absent. Returns how many were read, or
 * -errno when the process is gone. */
int ns_read_ids(int procdir, pid_t pid, uint64_t ids[NS_COUNT]);

/* Move the calling process into the namespaces of @pid named in @flags:
 * setns(2) on a pidfd (Linux 5.8) when the kernel has it, ns_enter_each()
 * otherwise.
 * Teaches: setns, and that pid and time namespaces apply to children only. */
int ns_enter(pid_t pid, int flags, struct nerr *e);

/* The same with one setns(2) per /proc/PID/ns file (kernels before 5.8, or
 * where pidfd_open is missing): the namespaces that let us in first, then
 * the user namespace, then the ones that need its capabilities (nsenter(1)).
 * Teaches: every namespace is owned by a user namespace, and entering one
 * takes CAP_SYS_ADMIN there. */
int ns_enter_each(pid_t pid, int flags, struct nerr *e);

#endif
