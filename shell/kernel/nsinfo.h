/* nsinfo.h - what a process sees from inside its namespaces, read by a
 * short-lived child that joins them (setns(2)) and reports over a pipe.
 * The shell itself never changes namespace. */
#ifndef NSLAB_NSINFO_H
#define NSLAB_NSINFO_H

#include <stddef.h>
#include <sys/types.h>

#include "err.h"

/* Read @file (e.g. "/proc/uptime") from inside the namespace @nsname
 * ("time", "cgroup", ...) of @pid: setns, fork once more (time and pid
 * namespaces apply to children), read. Into @buf, NUL-terminated. Returns
 * the length or -errno. Teaches: the same file reads differently from
 * inside a namespace. */
int nsinfo_read_in(pid_t pid, const char *nsname, const char *file, char *buf, size_t len,
		   struct nerr *e);

/* Seconds since boot as a process in @pid's time namespace sees them
 * (/proc/uptime read from inside: boottime plus the namespace's offset). */
int nsinfo_uptime(pid_t pid, double *ret, struct nerr *e);

/* Parse /proc/PID/timens_offsets text ("monotonic S NS\nboottime S NS"). */
int nsinfo_parse_offsets(const char *text, long long *ret_mono, long long *ret_boot);

/* Try to change the offsets of the time namespace @pid's children get
 * (write /proc/PID/timens_offsets). The kernel refuses with EACCES once a
 * process has entered that namespace: offsets are fixed before first use,
 * so clocks never jump under a running program. man 7 time_namespaces. */
int nsinfo_set_offsets(pid_t pid, long long mono, long long boot, struct nerr *e);

#endif
