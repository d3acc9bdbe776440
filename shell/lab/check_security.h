/* check_security.h - lab check predicates for capabilities, seccomp,
 * no_new_privs, overlay layers and LSMs (labs 13-19). Rows of lab_preds[]
 * (pred.c); argv holds the words after the predicate's name.
 *
 *   caps BOX has|lacks CAP    has: CAP is in the effective set of a process
 *                             run in BOX; lacks: in neither its effective
 *                             nor its bounding set (gone for good)
 *   seccomp BOX mode N        /proc/self/status Seccomp (0 off, 2 filter)
 *   seccomp BOX filters OP N  Seccomp_filters compared with N
 *   nnp BOX on|off            NoNewPrivs
 *   upper BOX /PATH new|copied|whiteout|opaque|absent
 *                             what the box's overlay upper dir holds at PATH
 *   lsm BOX confined|unconfined  the LSM label of a process run in BOX
 *
 * "A process run in BOX" is a fresh process started the way `run` starts one
 * (setns, chroot, the box's confinement) reading its own /proc/self/status:
 * the kernel's word on what the learner's commands get, rather than on the
 * box's PID 1, which keeps the privileges it was made with. */
#ifndef NSLAB_LAB_CHECK_SECURITY_H
#define NSLAB_LAB_CHECK_SECURITY_H

#include <stdbool.h>
#include <stddef.h>

#include "lab.h"

const char *lab_sec_v_caps(int argc, char **argv);
bool lab_sec_p_caps(struct lab_snap *s, int argc, char **argv, char *saw, size_t len);
const char *lab_sec_v_seccomp(int argc, char **argv);
bool lab_sec_p_seccomp(struct lab_snap *s, int argc, char **argv, char *saw, size_t len);
const char *lab_sec_v_nnp(int argc, char **argv);
bool lab_sec_p_nnp(struct lab_snap *s, int argc, char **argv, char *saw, size_t len);
const char *lab_sec_v_upper(int argc, char **argv);
bool lab_sec_p_upper(struct lab_snap *s, int argc, char **argv, char *saw, size_t len);
const char *lab_sec_v_lsm(int argc, char **argv);
bool lab_sec_p_lsm(struct lab_snap *s, int argc, char **argv, char *saw, size_t len);

#define LAB_SECURITY_PREDS                                                                         \
	{ "caps", "caps BOX has|lacks CAP", 3, 3, lab_sec_v_caps, lab_sec_p_caps },                \
	{ "seccomp", "seccomp BOX mode N | seccomp BOX filters OP N", 3, 4, lab_sec_v_seccomp,    \
	  lab_sec_p_seccomp },                                                                     \
	{ "nnp", "nnp BOX on|off", 2, 2, lab_sec_v_nnp, lab_sec_p_nnp },                           \
	{ "upper", "upper BOX /PATH new|copied|whiteout|opaque|absent", 3, 3, lab_sec_v_upper,     \
	  lab_sec_p_upper },                                                                       \
	{ "lsm", "lsm BOX confined|unconfined", 2, 2, lab_sec_v_lsm, lab_sec_p_lsm },

#endif
