/* trace.h - the record of system calls made on the learner's behalf.
 *
 * Kernel-layer functions call tr_call() after each system call that teaches
 * something; `explain on` prints the records and the pane shows the last few.
 * In a cloned child the records go down a pipe to the shell (tr_set_fd), so
 * calls made inside a new namespace are explained too. This module keeps the
 * one piece of process-wide state the kernel layer has: the ring of records.
 */
#ifndef NSLAB_TRACE_H
#define NSLAB_TRACE_H

#include <stddef.h>
#include <stdint.h>

#define TR_RING 64

struct tr_rec {
	uint32_t seq;
	int err;        /* positive errno, 0 on success */
	long ret;       /* the call's return value */
	int32_t pid;    /* who made the call (host pid when known) */
	char text[480]; /* the call with its arguments in words; a pipe write of a record stays atomic (< PIPE_BUF) */
};

/* Record one system call. @ret < 0 means it failed with errno @err. */
void tr_call(long ret, int err, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* In a child: send records to @fd instead of the ring (-1 to stop). */
void tr_set_fd(int fd);

/* In the parent: add a record that arrived over a pipe. */
void tr_push(const struct tr_rec *r);

/* Records with seq > @after, oldest first; returns how many were copied. */
size_t tr_since(uint32_t after, struct tr_rec *out, size_t max);

uint32_t tr_last_seq(void);

/* While quiet, calls are not recorded (a lab check's own probes are not the
 * learner's: explain and the pane must not show them). Returns the old state;
 * children forked while quiet stay quiet. */
int tr_quiet(int on);

#endif
