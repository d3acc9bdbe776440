/* box.h - a box: a process in new namespaces, with its own root file system,
 * kept alive so that commands can enter it.
 *
 * Plan, then act (bubblewrap's way): box_plan() turns a spec into a list of
 * setup steps, each saying where it runs (the shell, a short-lived launcher
 * when the box has clock offsets, or the box's first process) and what system call it makes. box_create()
 * runs that list. The same plan feeds `box new --dry-run`, explain and tests. */
#ifndef NSLAB_BOX_H
#define NSLAB_BOX_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include <stdint.h>

#include "../kernel/err.h"
#include "../kernel/seccomp.h"
#include "../kernel/userns.h"
#include "state.h"

#define BOX_NAME_MAX 32
#define BOX_MAPS_MAX 5

enum box_root { ROOT_PIVOT, ROOT_CHROOT };
enum box_fs { FS_AUTO, FS_OVERLAY, FS_COPY };


struct box_spec {
	char name[BOX_NAME_MAX + 1];
	int ns;                /* CLONE_NEW* flags */
	char rootfs[PATH_MAX]; /* read-only source tree; never written */
	enum box_root root;
	bool root_given; /* --pivot or --chroot was said */
	enum box_fs fs;
	char hostname[65];
	bool map_root;
	struct idmap uid[BOX_MAPS_MAX], gid[BOX_MAPS_MAX];
	int nuid, ngid;
	bool setgroups_allow; /* default is "deny" in a user namespace without --gid-map */
	bool setgroups_given; /* --setgroups was said */
	bool newidmap;        /* maps written by newuidmap/newgidmap (rootless, subordinate ids) */
	long long boottime_off, monotonic_off;

	/* Confinement: applied last in the box's first process, and again in
	 * every process that run and sh start (setns'd processes inherit none
	 * of the first process's filters or dropped capabilities). */
	bool caps_set;              /* --caps given */
	uint64_t caps_keep;         /* what stays in bounding, permitted, effective */
	char caps_src[64];          /* the --caps words, for display: "docker" */
	bool nnp;                   /* --nnp: prctl(PR_SET_NO_NEW_PRIVS) */
	bool mask;                  /* --mask docker: Docker's masked and read-only paths */
	char seccomp_src[PATH_MAX]; /* "" none, "default" or the profile file */
	struct sc_profile seccomp;  /* parsed from seccomp_src before the box is made */
	char apparmor[64];          /* --apparmor PROFILE for every execve, "" none */
	/* Its own cgroup (nslab/<session pid>-<name>) when any of these is set:
	 * values in cgroup v2 form ("67108864", "50", "50000 100000"); "" = unset. */
	bool cgroup; /* --cgroup: a cgroup even without limits */
	char cg_memory[32], cg_pids[32], cg_cpu[48];
};

enum step_op {
	ST_MKDIR,      /* shell: the box's state directory, upper/work or copy target */
	ST_COPY,       /* shell: cp -a of the rootfs (no mount namespace, or --copy) */
	ST_CGROUP,     /* shell: mkdir the box's cgroup, write its limits */
	ST_CGJOIN,     /* shell: move the box's PID 1 into the cgroup before letting it go */
	ST_TIMENS,     /* launcher: unshare(CLONE_NEWTIME) + /proc/self/timens_offsets */
	ST_CLONE,      /* shell (launcher with clock offsets): clone/clone3 -> the box's PID 1 */
	ST_SETGROUPS,  /* shell or launcher: /proc/PID/setgroups = deny */
	ST_UIDMAP,     /* shell or launcher: /proc/PID/uid_map */
	ST_GIDMAP,     /* shell or launcher: /proc/PID/gid_map */
	ST_SETID,      /* box: setresgid/setresuid(0): become the namespace's root */
	ST_HOSTNAME,   /* box: sethostname */
	ST_PRIVATE,    /* box: mount --make-rprivate / */
	ST_OVERLAY,    /* box: mount overlay lower=rootfs upper work */
	ST_BIND_ROOT,  /* box: bind the root onto itself so it is a mount point */
	ST_PROC,       /* box: mount proc */
	ST_BIND_PROC,  /* box: rbind the host's /proc (user ns without pid ns) */
	ST_DEV,        /* box: tmpfs /dev with null, zero, full, random, urandom, tty */
	ST_PIVOT,      /* box: pivot_root(root, root/.oldroot) */
	ST_UMOUNT_OLD, /* box: umount2(/.oldroot, MNT_DETACH) */
	ST_CHROOT,     /* box: chroot(root) */
	ST_MASK,       /* box: /dev/null or an empty tmpfs over Docker's masked paths */
	ST_READONLY,   /* box: bind + remount read-only Docker's read-only paths */
	ST_APPARMOR,   /* box: ask AppArmor for a profile at the next execve (run/sh only) */
	ST_NNP,        /* box: prctl(PR_SET_NO_NEW_PRIVS, 1) */
	ST_CAPS,       /* box: drop capabilities from bounding, permitted, effective, inheritable */
	ST_SECCOMP,    /* box: seccomp(SECCOMP_SET_MODE_FILTER) with the profile */
	ST_SECCOMP_EXTRA, /* run/sh: a second filter with the rules `seccomp deny` added */
	ST_INIT,       /* box: become PID 1: reap children, wait */
};

enum step_where { IN_SHELL, IN_LAUNCHER, IN_BOX };

struct step {
	enum step_op op;
	enum step_where where;
	char text[256]; /* the system call in words, for --dry-run and explain */
};

struct box_plan {
	struct step steps[40];
	int n;
	char dir[PATH_MAX];   /* state directory of the box */
	char root[PATH_MAX];  /* the box's root, as the host names it before pivot */
	char upper[PATH_MAX]; /* overlay upper and work, when FS_OVERLAY */
	char work[PATH_MAX];
	char cgroup[64]; /* the box's cgroup under nslab/ ("" when none) */
	enum box_fs fs; /* resolved: overlay or copy */
	bool shift;     /* copy: owners shifted by the uid/gid map */
	bool launcher;  /* clock offsets: a launcher makes the time ns and clones */
};

struct box {
	struct box_spec spec;
	struct box_plan plan;
	pid_t pid;                /* host pid of the box's first process */
	unsigned long long start; /* its starttime, against pid reuse */
	int exit_status;          /* when it ended: wait status */
	bool dead;
	/* Added after the box was made, applied in every later run and sh. */
	uint64_t caps_dropped;      /* caps drop */
	struct sc_profile sc_extra; /* seccomp deny */
	struct box *next;
};

/* What a process in a box gets before it executes anything, in the order
 * the steps must run (box_confine_order). */
struct box_confine {
	bool caps;
	uint64_t keep;
	bool nnp;
	const struct sc_profile *filter[2];
	int nfilters;
	const char *apparmor;
};

/* The confinement of the box's first process (@b NULL) or of a process that
 * run/sh starts in @b (the spec plus what caps drop / seccomp deny added). */
void box_confine_of(const struct box_spec *spec, const struct box *b, struct box_confine *ret);

/* The confinement steps in order: no_new_privs first; without it, seccomp
 * must come before the capabilities are dropped (loading a filter needs
 * CAP_SYS_ADMIN or no_new_privs); with it, seccomp comes last so that the
 * filter sees as little of the setup as possible (runc's order). Returns n. */
int box_confine_order(const struct box_confine *c, enum step_op ops[5]);

/* The step in words, for the plan. */
void box_confine_text(enum step_op op, const struct box_confine *c, char *buf, size_t len);

/* Carry out one step in the calling process (tr_call explains it). */
int box_confine_run(enum step_op op, const struct box_confine *c, struct nerr *e);

/* A fresh process in @b, as run gets it, reads its own /proc/self/status
 * (cat, inside the box): the kernel's word on what run and sh get. */
int box_probe_status(const struct box *b, char **ret, struct nerr *e);

/* What --mask docker hides (an empty file or directory mounted over it) and
 * makes read-only, as Docker's default (moby's oci defaults), NULL-ended. */
extern const char *const box_masked_paths[];
extern const char *const box_readonly_paths[];

/* Defaults: all namespaces? No: a box has what --ns says; box_spec_init sets
 * pivot, auto fs, and the name. */
void box_spec_init(struct box_spec *spec, const char *name);

/* Check a spec for contradictions (pivot without mnt ns, maps without user ns...).
 * Returns 0 or -EINVAL with a msgid in e->why. */
int box_spec_check(const struct box_spec *spec, struct nerr *e);

/* Does the spec ask for a cgroup of the box's own? */
bool box_wants_cgroup(const struct box_spec *spec);

/* Build the plan. @dir is the box's state directory. Pure: no system calls
 * except reading /proc/filesystems to see whether overlayfs exists. */
int box_plan(const struct box_spec *spec, const char *dir, struct box_plan *plan, struct nerr *e);

/* Carry the plan out. On failure everything made so far is undone (no
 * half-made box) and e says which step failed. */
int box_create(struct session *s, const struct box_spec *spec, struct box **ret, struct nerr *e);

/* Kill the box's processes and undo its resources. Accepts a dead box. */
void box_destroy(struct session *s, struct box *b);

/* Reap the box's first process if it exited; true when it is gone. */
bool box_poll_dead(struct box *b);

enum box_exec_mode {
	EXEC_CAPTURE, /* no terminal: its own process group, stdout/stderr through a pipe,
		       * tee'd to out_fd (stdin is nslab's, or /dev/null when that is a tty) */
	EXEC_TTY,     /* docker exec -it: a pty of its own (own session, controlling
		       * terminal, window size), relayed to nslab's terminal in raw mode */
};

struct box_exec_result {
	int status;  /* exit code, or 128+signal */
	char *out;   /* captured output (when kept), malloc'd */
	size_t len;
};

struct box_exec_opts {
	enum box_exec_mode mode;
	int out_fd;       /* where the output is shown as it comes (-1: nowhere) */
	bool keep;        /* keep a copy in res->out (labs check it) */
	bool job_control; /* EXEC_TTY: Ctrl-Z stops (the box's own shell resumes);
			   * otherwise the pty has no suspend key: nothing is left stopped */
	/* After the setup calls came back, before any output: explain prints them. */
	void (*on_start)(void *arg);
	void *arg;
};

/* Run @argv inside @b (NULL = on the host, plain fork+exec): setns into its
 * namespaces, chroot into its root, exec. Every child closes all fds from 3
 * up (close_range) and never holds nslab's terminal. Returns 0 when the
 * program ran (its status in @res), -errno when it could not start (e says
 * why: openpty, setns, chroot, execve). */
int box_run(const struct box *b, char *const argv[], const struct box_exec_opts *o,
	    struct box_exec_result *res, struct nerr *e);

/* box_run with the output shown on @out_fd; kept under EXEC_CAPTURE. */
int box_exec(const struct box *b, char *const argv[], enum box_exec_mode mode, int out_fd,
	     struct box_exec_result *res, struct nerr *e);

/* From a signal handler: pass @sig on to the program in the foreground (its
 * process group, or the foreground group of its pty). False when none runs. */
bool box_fg_signal(int sig);

/* From a signal handler: make box_exec stop waiting and kill what it runs. */
void box_request_stop(void);

#endif
