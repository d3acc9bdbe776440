/* check_security.h - lab check predicates for capabilities, seccomp,
 * no_new_privs, overlay layers and LSMs (labs 13-19).
 *
 * Until the lab engine's own predicate table exists, these are exported as a
 * small table of their own that the engine can walk (or copy into its table):
 * each entry is the first word of a check line and a function that gets the
 * whole line split into words (argv[0] is that first word).
 *
 * Each function returns 1 when the predicate holds, 0 when it does not, -1
 * when it cannot be evaluated (no such box, box stopped, bad words); @why gets
 * a short sentence for the learner either way.
 *
 *   caps BOX has CAP          CAP is in the effective set of a process run in BOX
 *   caps BOX lacks CAP        CAP is in neither its effective nor its bounding set
 *   seccomp BOX mode N        /proc/self/status Seccomp (0 off, 2 filter)
 *   seccomp BOX filters OP N  Seccomp_filters compared with N (== >= <= > <)
 *   nnp BOX on|off            NoNewPrivs
 *   upper BOX PATH new|copied|whiteout|opaque|absent
 *                             what the box's overlay upper dir holds at PATH
 *   lsm BOX confined|unconfined  the LSM label of a process run in BOX
 *
 * "A process run in BOX" is a fresh process started the way `run` starts one
 * (setns, chroot, the box's confinement), reading its own /proc/self/status:
 * the kernel's word on what the learner's commands get. */
#ifndef NSLAB_LAB_CHECK_SECURITY_H
#define NSLAB_LAB_CHECK_SECURITY_H

#include <stddef.h>

#include "../nslab.h"

struct lab_pred_entry {
	const char *word;     /* first word of the check line */
	const char *synopsis; /* for the loader's error messages */
	int min_words;        /* words on the line, the first included */
	int (*check)(struct nslab *ctx, int argc, char **argv, char *why, size_t len);
};

extern const struct lab_pred_entry lab_security_preds[];
extern const size_t lab_security_npreds;

/* Find the predicate for a check line's first word; NULL when not ours. */
const struct lab_pred_entry *lab_security_find(const char *word);

#endif
