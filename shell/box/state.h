/* state.h - the record of everything nslab creates, so it can all be undone.
 *
 * One session per running nslab: /run/nslab/<pid>/ ($XDG_RUNTIME_DIR/nslab
 * without root). Each resource is a line "kind value" in a `resources` file,
 * written before the resource is used; undo runs by kind priority (processes
 * first, directories last), newest first within a kind, on `box rm`, at exit,
 * on signals, and at the next start when the owner died (`nslab cleanup`).
 * Every undo is idempotent and tolerates a half-made resource. */
#ifndef NSLAB_STATE_H
#define NSLAB_STATE_H

#include <limits.h>
#include <stdbool.h>
#include <sys/types.h>

#include "../kernel/err.h"

struct session {
	char dir[PATH_MAX]; /* /run/nslab/<pid> */
	pid_t pid;
};

/* The directory all sessions live under: /run/nslab for root (NSLAB_RUNDIR, for
 * the test suite, overrides it), else under XDG_RUNTIME_DIR. */
const char *sess_rundir(void);

/* Create this process's session directory and owner record. */
int sess_open(struct session **ret, struct nerr *e);

/* Append a resource line for @box (NULL: the session itself). */
int sess_record(struct session *s, const char *box, const char *kind, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* Is "KIND VALUE" recorded for @box (NULL: the session)? */
bool sess_has(struct session *s, const char *box, const char *kind, const char *value);

/* Drop the record "KIND VALUE" (the resource was undone by hand: cg rm). */
int sess_forget(struct session *s, const char *box, const char *kind, const char *value);

/* Path of @box's directory (created on first use when @create). */
int sess_box_dir(struct session *s, const char *box, bool create, char *out, size_t len);

/* Undo every resource of @box and remove its directory. */
int sess_undo_box(struct session *s, const char *box);

/* Undo everything and remove the session; s may be NULL. */
void sess_close(struct session *s);

/* Async-signal-safe enough for a fatal signal: kill recorded processes only. */
void sess_kill_all_now(struct session *s);

/* Remove what dead sessions left (all sessions when @all, the caller's own
 * excepted). Returns how many sessions were cleaned; *ret_items counts resources. */
int sess_cleanup_stale(bool all, int *ret_items);

/* Write @data as the file @name (one word, no '/') in the session directory,
 * whole or not at all (written aside, then renamed): what the pane shows. */
int sess_publish(struct session *s, const char *name, const char *data, size_t len);

/* Remove a directory tree without following links or crossing mount points;
 * refuses any path outside sess_rundir(). */
int sess_rm_tree(const char *path);

/* Is the run dir nslab's own (its marker, our uid, no link, not writable
 * by others)? Makes it when missing and @create. 0 or -errno. */
int sess_rundir_check(bool create);

#endif
