/* caps.h - the five capability sets of a process, read and dropped with libcap.
 * man 7 capabilities.
 *
 * A set is kept as a 64-bit mask (bit N = capability N, as the kernel prints
 * it in /proc/PID/status); names come from libcap (cap_to_name, cap_from_name),
 * never from a table of our own, so a newer kernel's capabilities show up by
 * name as soon as libcap knows them. */
#ifndef NSLAB_CAPS_H
#define NSLAB_CAPS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "err.h"

enum cap_set_kind { CAPS_BND, CAPS_PRM, CAPS_EFF, CAPS_INH, CAPS_AMB, CAPS_COUNT };

struct cap_set_type {
	enum cap_set_kind kind;
	const char *field;   /* the /proc/PID/status key: "CapBnd" */
	const char *name;    /* "bounding" */
	const char *teaches; /* msgid: what the set means */
};

extern const struct cap_set_type cap_set_types[CAPS_COUNT];

struct cap_sets {
	uint64_t set[CAPS_COUNT];
};

/* Number of capabilities the running kernel knows (cap_max_bits(3)). */
int cap_count(void);

/* Every capability the kernel knows, as a mask. */
uint64_t cap_mask_all(void);

/* Docker's default set (moby's oci/caps/defaults.go), built from names. */
uint64_t cap_mask_docker(void);

/* Parse the Cap* fields of a /proc/PID/status text. -EINVAL when one is
 * missing or is not hex (e->what names it). */
int cap_sets_parse(const char *status, struct cap_sets *ret, struct nerr *e);

/* Read @procdir/PID/status and parse it. */
int cap_sets_read(int procdir, pid_t pid, struct cap_sets *ret, struct nerr *e);

/* One capability name ("CAP_SYS_ADMIN", "sys_admin", "cap_net_raw", any case)
 * to its number, through cap_from_name(3). -EINVAL when unknown. */
int cap_parse_name(const char *word, int *ret);

/* "docker", "none", "all", or names separated by commas or spaces into a mask.
 * Unknown name: -EINVAL with the word in e->what. */
int cap_mask_parse(const char *list, uint64_t *ret, struct nerr *e);

/* The names in @mask, lower case as libcap prints them, separated by @sep,
 * into @buf ("" for an empty mask). Returns the number of capabilities. */
int cap_mask_str(uint64_t mask, const char *sep, char *buf, size_t len);

/* Keep only @keep: drop the others from the bounding set (prctl
 * PR_CAPBSET_DROP, via cap_drop_bound(3)), clear the ambient set, and cut the
 * effective, permitted and inheritable sets with capset(2) (cap_set_proc(3)).
 * The bounding set is what matters for root: execve(2) by uid 0 grants every
 * capability left in it. Needs CAP_SETPCAP for the bounding set. */
int cap_keep_only(uint64_t keep, struct nerr *e);

#endif
