/* seccomp.h - deny-list system call filters, built and loaded with libseccomp.
 * man 2 seccomp, man 3 seccomp_init.
 *
 * A profile is a list of rules "this system call fails with this errno" or
 * "this system call kills the process". The text form, read from a profile
 * file, is one rule group per line, in the same words as the shell's
 * `seccomp deny` command:
 *
 *     # comment
 *     mount umount2                  (fails with EPERM)
 *     kexec_load --errno ENOSYS
 *     reboot --kill
 */
#ifndef NSLAB_SECCOMP_H
#define NSLAB_SECCOMP_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "err.h"

#define SC_RULES_MAX 128
#define SC_NAME_MAX 40

enum sc_action { SC_ERRNO, SC_KILL };

struct sc_rule {
	char syscall[SC_NAME_MAX];
	enum sc_action act;
	int err; /* errno for SC_ERRNO */
};

struct sc_profile {
	struct sc_rule rules[SC_RULES_MAX];
	int n;
};

/* "EPERM", "enosys" or a number in 1..4095 into an errno value. */
int sc_errno_parse(const char *word, int *ret);

/* Is @name a system call libseccomp knows (on any architecture)? */
bool sc_syscall_known(const char *name);

/* Add or replace (same system call: the last rule wins) one rule.
 * Unknown name: -EINVAL; full profile: -ENOSPC. */
int sc_profile_add(struct sc_profile *p, const char *syscall, enum sc_action act, int err,
		   struct nerr *e);

/* The words of one rule group: "SYSCALL... [--errno E | --kill]". */
int sc_parse_words(int argc, char *const argv[], struct sc_profile *p, struct nerr *e);

/* A whole profile text. On error *ret_line is the 1-based line. */
int sc_profile_parse(const char *text, struct sc_profile *p, int *ret_line, struct nerr *e);

/* Read and parse a profile file. */
int sc_profile_read(const char *path, struct sc_profile *p, struct nerr *e);

/* Build the filter and load it into the calling thread: seccomp(2)
 * SECCOMP_SET_MODE_FILTER through seccomp_load(3). The default action is
 * allow; each rule denies one call on the native architecture and on the
 * 32-bit ABIs the CPU also runs (x86, x32), or a deny list is escaped with
 * `int 0x80`. Teaches: without CAP_SYS_ADMIN the kernel wants no_new_privs
 * first (EACCES), and filters stack: each load adds one. */
int sc_load(const struct sc_profile *p, struct nerr *e);

/* Write libseccomp's pseudo filter code (seccomp_export_pfc(3)) to @fd. */
int sc_export_pfc(const struct sc_profile *p, int fd, struct nerr *e);

/* One rule in words: "mount -> EPERM", "reboot -> kill". */
void sc_rule_str(const struct sc_rule *r, char *buf, size_t len);

/* Seccomp (0 off, 1 strict, 2 filter), Seccomp_filters and NoNewPrivs from a
 * /proc/PID/status text; -1 for a field the kernel does not print. */
struct sc_status {
	int mode, filters, nnp;
};
void sc_status_parse(const char *status, struct sc_status *ret);

#endif
