/* nsquery.h - ask the kernel something from inside another process's
 * namespace: some answers depend on who asks, not on a path. uname(2) reports
 * the caller's UTS namespace, /proc/sysvipc/{shm,msg,sem} the caller's IPC
 * namespace, /proc/uptime the caller's time namespace and /proc/PID/cgroup
 * paths are relative to the reader's cgroup namespace, so a reader on the
 * host cannot see them through /proc/PID/... . A short-lived child joins the
 * namespace with setns(2) (man 2 setns), asks, and reports over a pipe; the
 * shell's own namespaces never change. */
#ifndef NSLAB_NSQUERY_H
#define NSLAB_NSQUERY_H

#include <stddef.h>
#include <sys/types.h>

#include "err.h"

/* Read @file (e.g. "/proc/uptime") from inside the namespace @nsname
 * ("time", "cgroup", ...) of @pid: setns, fork once more where the namespace
 * applies only to children (time, pid), read. Into @buf, NUL-terminated.
 * Returns the length or -errno. Teaches: the same file reads differently
 * from inside a namespace. */
int nsq_read_in(pid_t pid, const char *nsname, const char *file, char *buf, size_t len,
		struct nerr *e);

/* Seconds since boot as a process in @pid's time namespace sees them
 * (/proc/uptime read from inside: boottime plus the namespace's offset). */
int nsq_uptime(pid_t pid, double *ret, struct nerr *e);

/* Parse /proc/PID/timens_offsets text ("monotonic S NS\nboottime S NS"). */
int nsq_parse_offsets(const char *text, long long *ret_mono, long long *ret_boot);

/* Try to change the offsets of the time namespace @pid's children get
 * (write /proc/PID/timens_offsets). The kernel refuses with EACCES once a
 * process has entered that namespace: offsets are fixed before first use,
 * so clocks never jump under a running program. man 7 time_namespaces. */
int nsq_set_offsets(pid_t pid, long long mono, long long boot, struct nerr *e);

/* The hostname of @pid's UTS namespace: setns(CLONE_NEWUTS) + uname(2). */
int nsq_hostname(pid_t pid, char *buf, size_t len, struct nerr *e);

enum nsq_ipc { NSQ_SHM, NSQ_MSG, NSQ_SEM };

/* How many System V objects of @kind live in @pid's IPC namespace:
 * setns(CLONE_NEWIPC) + read /proc/sysvipc/{shm,msg,sem} (man 5 proc). */
int nsq_ipc_count(pid_t pid, enum nsq_ipc kind, struct nerr *e);

/* Make one System V object of @kind (IPC_PRIVATE, mode 0600) in @pid's IPC
 * namespace: setns(CLONE_NEWIPC) + shmget(2) / msgget(2) / semget(2).
 * Returns its id as the namespace numbers it. Teaches: IPC ids are per
 * namespace; the object lives until IPC_RMID or until the namespace dies. */
int nsq_ipc_make(pid_t pid, enum nsq_ipc kind, struct nerr *e);

#endif
