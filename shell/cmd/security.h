/* security.h - shared by the security commands (caps, seccomp, whoami, lsm,
 * layers), box new's confinement options, and the lab checks. */
#ifndef NSLAB_CMD_SECURITY_H
#define NSLAB_CMD_SECURITY_H

#include <stddef.h>
#include <sys/types.h>

#include "../kernel/caps.h"
#include "../kernel/seccomp.h"
#include "cmd.h"

/* "default" -> DATADIR/profiles/seccomp-default.txt; anything else is a file. */
int sec_profile_load(struct nslab *ctx, const char *word, uint64_t caps, struct sc_profile *p,
		     struct nerr *e);

/* What a command is asked about: a box (as run gets it) or one process. */
struct sec_target {
	struct box *box; /* NULL: a plain PID */
	pid_t pid;       /* the box's PID 1, or the PID */
	char *status;    /* /proc/PID/status text (for a box: of a fresh process in it) */
	char label[256]; /* LSM label, "" when none */
};

/* @word: a PID, a box name, or NULL (the current box, else nslab itself).
 * Prints the error and returns -1 when it names nothing usable. */
int sec_target_get(struct nslab *ctx, const char *word, struct sec_target *t);
void sec_target_free(struct sec_target *t);

#endif
