/* model.h - what the pane shows, gathered from /proc into plain structs.
 *
 * htop's split: the model scans, the drawing (draw.h, render.h) only reads a
 * snapshot. Nothing here changes the system: the model opens, reads and
 * closes files under /proc, the nslab run directory and the cgroup tree.
 *
 * A scan is cheap on purpose: namespace ids and NSpid of a process are read
 * once and kept (keyed by pid + starttime, so a reused pid is a new process);
 * only the subtree of each box is walked (/proc/PID/task/TID/children), never
 * the whole of /proc, unless the kernel lacks the children files. */
#ifndef NSLAB_UI_MODEL_H
#define NSLAB_UI_MODEL_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "../kernel/ns.h"
#include "../kernel/ptree.h"
#include "../kernel/trace.h"

#define UI_FLASH_MS 3000 /* how long a change stays highlighted */
#define UI_TARGETS_MAX 16
#define UI_CALLS 6
#define UI_UNKNOWN (-1LL)
#define UI_UNLIMITED LLONG_MAX

/* The figures of one cgroup. ui_cg_read() fills it; any field may be UI_UNKNOWN. */
struct ui_cg {
	bool have;       /* the process's cgroup was found */
	bool same_as_host; /* the box shares nslab's own cgroup: no limits of its own */
	int version;     /* 2, 1, or 0 when no figures could be read */
	char path[256];  /* the cgroup path from /proc/PID/cgroup */
	long long mem_cur, mem_max; /* bytes */
	long long pids_cur, pids_max;
	long long cpu_usec;
};

struct ui_proc {
	struct pnode p;          /* pid, ppid, comm, ns ids, nspid, nslevels */
	unsigned long long start;
	int depth;               /* 0 for the target's own process */
	uint64_t more;           /* bit d: the ancestor at depth d+1 has later siblings */
	bool last;               /* the last child of its parent */
	unsigned ns_new;         /* bit k: namespace kind k differs from the parent's */
	bool fresh;              /* appeared less than UI_FLASH_MS ago */
};

/* One thing the pane looks at: a box (its PID 1) or any process (`top PID`). */
struct ui_target {
	char name[48];           /* box name, or "PID 1234" */
	pid_t session;           /* the nslab run that owns the box; 0 for a plain PID */
	pid_t pid;
	unsigned long long start;
	bool current;            /* the shell's current box (`use NAME`) */
	bool other;              /* a box of another nslab run (not this session's) */
	uint64_t ns[NS_COUNT];
	unsigned differs;        /* bit k: ns[k] differs from the host's */
	unsigned flash;          /* bit k: ns[k] changed less than UI_FLASH_MS ago */
	struct ui_cg cg;
	size_t first, count;     /* its processes: snap.procs[first .. first+count) */
	size_t total;            /* processes in its subtree (count may be capped) */
};

struct ui_call {
	struct tr_rec r;
	bool fresh;
};

struct ui_snap {
	uint64_t now_ms;
	uint64_t host_ns[NS_COUNT];
	bool focus;              /* one target asked for (current box, `top PID`) */
	struct ui_target t[UI_TARGETS_MAX];
	size_t nt;
	size_t more_targets;     /* live boxes beyond UI_TARGETS_MAX */
	struct ui_proc *procs;
	size_t nprocs;
	struct ui_call calls[UI_CALLS];
	size_t ncalls;
	bool full_scan;          /* no children files: /proc was read whole */
	long scan_us;            /* what the last scan took (wall clock) */
	long scan_cpu_us;        /* and the CPU it used: what the refresh rate is held to */
	unsigned version;        /* bumps whenever something shown changed */
};

/* Cached facts about one process (pid + starttime). */
struct ui_cached;
/* What is remembered about a target between scans, to time its changes. */
struct ui_seen;

struct ui_model {
	int procdir;             /* /proc, or a fixture tree */
	char rundir[PATH_MAX];   /* nslab sessions: RUNDIR/<session>/boxes/<name>/pid; "" = none */
	char cgroot[PATH_MAX];   /* /sys/fs/cgroup, or a fixture */
	const struct cg_sys *cgsys; /* kernel/cgroup's view (cg_host(), or a fixture's) */
	pid_t host_pid;          /* whose namespaces are "the host's" (nslab itself) */
	pid_t self_session;      /* this nslab run, for ordering its own boxes first */
	size_t proc_cap;         /* most processes kept per target (the rest only counted) */

	struct ui_cached *cache; /* sorted by pid */
	size_t ncache;
	size_t revalidate;       /* round-robin cursor: re-read a few cached ids each scan */
	struct ui_seen *seen;
	size_t nseen;
	uint64_t call_seen_ms[TR_RING];
	uint32_t call_seq[TR_RING];
	int children_files;      /* 1 yes, 0 no, -1 not known yet */
	unsigned long long self_cpu; /* utime+stime at the last scan, for the bench */
	struct ui_snap snap;
	uint64_t sig;            /* digest of what was shown, to bump version */
};

/* What to look at. */
struct ui_want {
	pid_t pid;               /* 0: every live nslab box; else this process */
	const char *name;        /* its label (a box name); NULL: "PID N" */
	pid_t session;           /* the nslab run that owns that box, or 0 */
	const char *current;     /* the current box's name, marked; may be NULL */
	bool calls;              /* show this process's trace records */
};

/* @procdir is borrowed (the caller closes it). @rundir and @cgroot may be NULL. */
int ui_model_init(struct ui_model *m, int procdir, const char *rundir, const char *cgroot,
		  pid_t host_pid);
void ui_model_free(struct ui_model *m);

/* Rescan. @now_ms is a monotonic clock (tests pass their own). Returns 0, or
 * -errno when not even the host's namespaces could be read. */
int ui_model_scan(struct ui_model *m, const struct ui_want *w, uint64_t now_ms);

struct cg_sys;

/* Read the figures of @pid's cgroup. /proc/PID/cgroup names it; a cgroup
 * nslab made (nslab/NAME, a box with --memory, --pids or --cpu) is read
 * through kernel/cgroup's cg_stats() on @sys (v2 or v1, whichever the
 * machine has); any other cgroup (a box that shares nslab's own) from the
 * controller files beneath @cgroot directly. @sys may be NULL. */
void ui_cg_read(int procdir, const char *cgroot, const struct cg_sys *sys, pid_t pid,
		struct ui_cg *cg);

/* A box recorded by any nslab run: RUNDIR/<session>/boxes/<name>/pid. */
struct ui_boxrec {
	char name[33];
	pid_t session, pid;
	unsigned long long start;
};
/* The live boxes under @rundir (the pid's starttime still matches), own
 * session (@self) first, then by session and name. Returns how many (at most @max). */
size_t ui_boxes_list(int procdir, const char *rundir, pid_t self, struct ui_boxrec *out,
		     size_t max);

/* Monotonic milliseconds. */
uint64_t ui_now_ms(void);

#endif
