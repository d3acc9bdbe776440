/* procfs.h - readers of /proc (man 5 proc). Every reader takes a directory
 * fd for /proc, so tests can point it at a fixture tree (util-linux style). */
#ifndef NSLAB_PROCFS_H
#define NSLAB_PROCFS_H

#include <stddef.h>
#include <sys/types.h>

#include "err.h"

struct proc_stat {
	pid_t pid, ppid;
	char state;
	char comm[32];
	unsigned long long starttime; /* clock ticks after boot: with pid, names one process */
	unsigned long long utime, stime; /* CPU time used, in clock ticks */
	int nthreads;
};

/* Open /proc (O_PATH|O_DIRECTORY). */
int proc_open_root(void);

/* Read the whole of @procdir/PID/NAME (or @procdir/NAME when pid == 0) into a
 * NUL-terminated malloc'd buffer. NUL bytes inside (cmdline, environ) are kept;
 * *ret_len says where the data ends. */
int proc_read(int procdir, pid_t pid, const char *name, char **ret, size_t *ret_len,
	      struct nerr *e);

/* Parse @procdir/PID/stat. The comm field may hold spaces and ')': the last ')' ends it. */
int proc_stat_read(int procdir, pid_t pid, struct proc_stat *st);

/* Parse one line "stat" text (exported for tests and fuzzing). */
int proc_stat_parse(const char *text, struct proc_stat *st);

/* The value of "Key:" in a /proc/PID/status text, trimmed, into @out. */
int proc_status_field(const char *status, const char *key, char *out, size_t len);

/* Numeric entries of @procdir, sorted ascending. */
int proc_list_pids(int procdir, pid_t **ret, size_t *ret_n);

/* starttime of @pid in /proc, or 0 when it is gone. */
unsigned long long proc_starttime(pid_t pid);

#endif
