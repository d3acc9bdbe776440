/* nsquery.h - ask the kernel something from inside another process's
 * namespace: some answers depend on who asks, not on a path. uname(2) reports
 * the caller's UTS namespace and /proc/sysvipc/{shm,msg,sem} the caller's IPC
 * namespace, so a reader on the host cannot see a box's hostname or shared
 * memory segments through /proc/PID/... . A short-lived child joins the
 * namespace with setns(2) (man 2 setns), asks, and reports over a pipe; the
 * shell's own namespaces never change. */
#ifndef NSLAB_NSQUERY_H
#define NSLAB_NSQUERY_H

#include <stddef.h>
#include <sys/types.h>

#include "err.h"

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
