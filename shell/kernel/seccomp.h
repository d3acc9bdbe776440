/* seccomp.h - system call filters in the OCI/moby profile format, built and
 * loaded with libseccomp. man 2 seccomp, man 3 seccomp_init, man 3 seccomp_rule_add.
 *
 * A profile file is the JSON every runtime reads (moby, containerd, CRI-O,
 * podman): a defaultAction (and defaultErrnoRet), the architectures, and a
 * list of syscalls entries, each with names, an action (and errnoRet),
 * optional argument comparisons (args: index, value, valueTwo, op) and
 * includes/excludes on capabilities, architectures and minKernel. Reading a
 * profile resolves includes/excludes against an environment (the box's
 * capabilities, this kernel, this CPU), as Docker does when it starts a
 * container; what remains is a flat list of rules.
 *
 * `seccomp deny` builds a profile of its own in words: default allow, and
 * "SYSCALL... [--errno E | --kill]" rules.
 */
#ifndef NSLAB_SECCOMP_H
#define NSLAB_SECCOMP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "err.h"

#define SC_RULES_MAX 640
#define SC_NAME_MAX 40
#define SC_ARGS_MAX 6
#define SC_ARCHES_MAX 6

/* Ordered as the kernel ranks them when filters disagree: the highest wins. */
enum sc_action { SC_ALLOW, SC_LOG, SC_TRACE, SC_ERRNO, SC_TRAP, SC_KILL_THREAD, SC_KILL };

/* Numbered as libseccomp's enum scmp_compare. */
enum sc_op { SC_OP_NONE, SC_NE, SC_LT, SC_LE, SC_EQ, SC_GE, SC_GT, SC_MASKED_EQ };

struct sc_arg {
	unsigned index;  /* 0..5 */
	enum sc_op op;
	uint64_t value;  /* MASKED_EQ: the mask */
	uint64_t value2; /* MASKED_EQ: what the masked argument must equal */
};

struct sc_rule {
	char syscall[SC_NAME_MAX];
	enum sc_action act;
	int err; /* errno for SC_ERRNO, message for SC_TRACE */
	int nargs;
	struct sc_arg args[SC_ARGS_MAX]; /* all must hold (AND) */
};

struct sc_profile {
	enum sc_action def; /* defaultAction */
	int def_err;        /* defaultErrnoRet */
	int narches;        /* 0: the native one, plus x86 and x32 on x86_64 */
	uint32_t arches[SC_ARCHES_MAX];
	int n;
	struct sc_rule rules[SC_RULES_MAX];
	/* What reading left out: entries whose includes/excludes did not fit the
	 * environment, and names libseccomp does not know (runc skips them too). */
	int left_out, unknown;
	char unknown_names[256];
};

/* What includes/excludes are matched against: the capabilities the box's
 * processes keep (bounding set), the running kernel ("4.8" and up), and the
 * CPU (x86_64 is "amd64" in the format, Go's name). */
struct sc_env {
	uint64_t caps;
	int kernel; /* major * 1000 + minor */
};

/* The environment of a box that keeps @caps on this kernel (uname(2)). */
void sc_env_host(uint64_t caps, struct sc_env *ret);

/* "EPERM", "enosys" or a number in 1..4095 into an errno value. */
int sc_errno_parse(const char *word, int *ret);

/* Is @name a system call libseccomp knows (on any architecture)? */
bool sc_syscall_known(const char *name);

/* The name of system call @nr on this CPU (malloc'd), NULL when none. */
char *sc_syscall_name(int nr);

/* An empty profile with default action allow (what `seccomp deny` adds to). */
void sc_profile_init_allow(struct sc_profile *p);

/* Add or replace (same system call, no arguments: the last rule wins) one
 * unconditional rule. Unknown name: -EINVAL; full profile: -ENOSPC. */
int sc_profile_add(struct sc_profile *p, const char *syscall, enum sc_action act, int err,
		   struct nerr *e);

/* The words of one rule group: "SYSCALL... [--errno E | --kill]". */
int sc_parse_words(int argc, char *const argv[], struct sc_profile *p, struct nerr *e);

/* A profile in the moby JSON format, resolved against @env. Errors name the
 * entry ("syscalls[3].args[0].op") or, for bad JSON, the line. */
int sc_profile_json(const char *text, const struct sc_env *env, struct sc_profile *p,
		    struct nerr *e);

/* Read a profile file (at most 1 MiB) and parse it with sc_profile_json. */
int sc_profile_read(const char *path, const struct sc_env *env, struct sc_profile *p,
		    struct nerr *e);

/* How many filters loading @p makes: 1, or 2 when a rule with arguments is
 * stricter than an unconditional rule for the same call ("allow ioctl, but
 * not TIOCSTI"). libseccomp keeps only the unconditional rule of the two, so
 * the stricter ones go into a second filter with default allow; the kernel
 * runs every filter and the strictest answer wins. */
int sc_filter_count(const struct sc_profile *p);

/* Build the filter(s) and load them into the calling thread: seccomp(2)
 * SECCOMP_SET_MODE_FILTER through seccomp_load(3). Teaches: without
 * CAP_SYS_ADMIN the kernel wants no_new_privs first (EACCES), and filters
 * stack: each load adds one. */
int sc_load(const struct sc_profile *p, struct nerr *e);

/* Write libseccomp's pseudo filter code (seccomp_export_pfc(3)) of each filter to @fd. */
int sc_export_pfc(const struct sc_profile *p, int fd, struct nerr *e);

/* An action in words: "allow", "EPERM", "kill", "errno 200". */
void sc_action_str(enum sc_action act, int err, char *buf, size_t len);

/* One rule in words: "mount -> EPERM", "socket(a0 != 40) -> allow",
 * "clone(a0 & 0x7e020000 == 0) -> allow". */
void sc_rule_str(const struct sc_rule *r, char *buf, size_t len);

/* What @p decides for one system call, in words that do not depend on the
 * order of the rules: "allow", "EPERM", "allow if a0 != 40; else EPERM".
 * The same words for two profiles mean the same decision. */
void sc_decision(const struct sc_profile *p, const char *syscall, char *buf, size_t len);

/* Rules whose action is @act (counting each system call once). */
int sc_count_calls(const struct sc_profile *p, enum sc_action act);

/* Seccomp (0 off, 1 strict, 2 filter), Seccomp_filters and NoNewPrivs from a
 * /proc/PID/status text; -1 for a field the kernel does not print. */
struct sc_status {
	int mode, filters, nnp;
};
void sc_status_parse(const char *status, struct sc_status *ret);

#endif
