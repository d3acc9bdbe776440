/* box.h - a box: a process in new namespaces, with its own root file system,
 * kept alive so that commands can enter it.
 *
 * Plan, then act (bubblewrap's way): box_plan() turns a spec into a list of
 * setup steps, each saying where it runs (the shell, a short-lived launcher,
 * or the box's first process) and what system call it makes. box_create()
 * runs that list. The same plan feeds `box new --dry-run`, explain and tests. */
#ifndef NSLAB_BOX_H
#define NSLAB_BOX_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "../kernel/err.h"
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
};

enum step_op {
	ST_MKDIR,      /* shell: the box's state directory, upper/work or copy target */
	ST_COPY,       /* shell: cp -a of the rootfs (no mount namespace, or --copy) */
	ST_TIMENS,     /* launcher: unshare(CLONE_NEWTIME) + /proc/self/timens_offsets */
	ST_CLONE,      /* launcher: clone(flags) -> the box's first process */
	ST_SETGROUPS,  /* launcher: /proc/PID/setgroups = deny */
	ST_UIDMAP,     /* launcher: /proc/PID/uid_map */
	ST_GIDMAP,     /* launcher: /proc/PID/gid_map */
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
	ST_INIT,       /* box: become PID 1: reap children, wait */
};

enum step_where { IN_SHELL, IN_LAUNCHER, IN_BOX };

struct step {
	enum step_op op;
	enum step_where where;
	char text[256]; /* the system call in words, for --dry-run and explain */
};

struct box_plan {
	struct step steps[32];
	int n;
	char dir[PATH_MAX];   /* state directory of the box */
	char root[PATH_MAX];  /* the box's root, as the host names it before pivot */
	char upper[PATH_MAX]; /* overlay upper and work, when FS_OVERLAY */
	char work[PATH_MAX];
	enum box_fs fs; /* resolved: overlay or copy */
	bool shift;     /* copy: owners shifted by the uid/gid map */
};

struct box {
	struct box_spec spec;
	struct box_plan plan;
	pid_t pid;                /* host pid of the box's first process */
	unsigned long long start; /* its starttime, against pid reuse */
	int exit_status;          /* when it ended: wait status */
	bool dead;
	struct box *next;
};

/* Defaults: all namespaces? No: a box has what --ns says; box_spec_init sets
 * pivot, auto fs, and the name. */
void box_spec_init(struct box_spec *spec, const char *name);

/* Check a spec for contradictions (pivot without mnt ns, maps without user ns...).
 * Returns 0 or -EINVAL with a msgid in e->why. */
int box_spec_check(const struct box_spec *spec, struct nerr *e);

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
	EXEC_CAPTURE, /* stdout/stderr through a pipe: tee to @out and keep a copy */
	EXEC_TTY,     /* inherit the terminal (sh) */
};

struct box_exec_result {
	int status;  /* exit code, or 128+signal */
	char *out;   /* captured output (EXEC_CAPTURE), malloc'd */
	size_t len;
};

/* Run @argv inside @b (NULL = on the host, plain fork+exec): setns into its
 * namespaces, chroot into its root, exec. Output is written to @out_fd as it
 * comes. Returns 0 when the program ran (its status in @res), -errno when it
 * could not start (e says why: setns, chroot, execve). */
int box_exec(const struct box *b, char *const argv[], enum box_exec_mode mode, int out_fd,
	     struct box_exec_result *res, struct nerr *e);

/* From a signal handler: make box_exec stop waiting and kill what it runs. */
void box_request_stop(void);

#endif
