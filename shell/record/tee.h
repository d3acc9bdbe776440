/* tee.h - interpose on stdout and stderr: everything nslab and its children
 * write there passes through a small forked process that hands it on to the
 * original fds and also writes it to a sink, either as is (the demo keeps a
 * command's output to show it again) or as asciicast v2 events (--record).
 *
 * A terminal stays a terminal: when fd 1 or 2 is a tty it is replaced by a
 * pseudo-terminal (pty(7)), so isatty(), colours and window sizes behave as
 * before; a pipe or file is replaced by a pipe(2). The tee is a process, not a
 * thread, because unshare(CLONE_NEWUSER) and setns() into a user namespace
 * refuse a multithreaded caller. */
#ifndef NSLAB_TEE_H
#define NSLAB_TEE_H

#include <stdbool.h>
#include <sys/types.h>

#include "../kernel/err.h"

enum tee_sink { TEE_COPY, TEE_CAST };

struct tee {
	pid_t pid;    /* the tee process; 0 when not running */
	int saved[3]; /* the original fds 1 and 2 (index 1, 2), to put back */
};

/* Start the tee; @sink_fd receives the output (raw for TEE_COPY, asciicast
 * events for TEE_CAST, after a header line that tee_start writes itself).
 * Returns 0 or -errno (e says which call failed: openpt, pipe, fork). */
int tee_start(struct tee *t, enum tee_sink kind, int sink_fd, struct nerr *e);

/* --record FILE: start a TEE_CAST tee writing to @path (created, or emptied;
 * owned by @uid:@gid). */
int tee_record(struct tee *t, const char *path, uid_t uid, gid_t gid, struct nerr *e);

/* Put fds 1 and 2 back and wait until the tee has passed everything on.
 * Safe on a tee that never started. Returns the tee's exit status. */
int tee_stop(struct tee *t);

/* The asciicast v2 header for a @width x @height terminal (pure; for tests). */
int tee_cast_header(char *buf, size_t len, int width, int height, long long timestamp,
		    const char *term);

/* Append @data as a JSON string body (no quotes) to @out (cap @cap bytes),
 * UTF-8 checked: invalid bytes become U+FFFD. An incomplete sequence at the
 * end is not written; its length is returned in *ret_keep so the caller can
 * prepend it to the next chunk. Returns bytes written to @out. */
size_t tee_json_escape(const unsigned char *data, size_t n, char *out, size_t cap,
		       size_t *ret_keep);

#endif
