/* cgroup.h - control groups, v2 first, v1 too (man 7 cgroups).
 *
 * The layout is detected once (cg_host): pure v2 (Ubuntu 22.04+), pure v1, or
 * hybrid (v1 controllers plus an empty cgroup2 mount, as on Debian 11/12 with
 * systemd's hybrid mode). One interface over both: a table of backend
 * functions chosen once (crun's cgroup-v1/v2 split), and ONE table of files
 * that maps each v2 name to its v1 controller and file. Commands speak v2
 * names; on v1 the backend translates and says so when there is no v1 twin.
 *
 * Every nslab cgroup lives under a parent named "nslab":
 *   v2: /sys/fs/cgroup/nslab/NAME        v1: /sys/fs/cgroup/CTRL/nslab/NAME
 * Nothing outside it is ever written, except enabling controllers for it in
 * the v2 root's cgroup.subtree_control (delegation).
 *
 * Readers take a root directory (struct cg_sys holds full paths), so unit
 * tests point them at fixture trees under tests/unit/fixtures/cgroup/.
 */
#ifndef NSLAB_CGROUP_H
#define NSLAB_CGROUP_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "err.h"

#define CG_PARENT "nslab"
#define CG_NAME_MAX 48

enum cg_ctrl { CG_MEMORY, CG_PIDS, CG_CPU, CG_CPUACCT, CG_NCTRL, CG_ANY = CG_NCTRL };

enum cg_layout { CG_LAYOUT_NONE, CG_LAYOUT_V1, CG_LAYOUT_V2, CG_LAYOUT_HYBRID };

/* How a file's value is written (the parser for human forms). */
enum cg_vkind {
	VK_RO,     /* read-only */
	VK_BYTES,  /* 64M, 1G, 512k, max */
	VK_COUNT,  /* 50, max */
	VK_CPUMAX, /* 50% (of one CPU), "50000 100000", max */
	VK_WEIGHT, /* 1..10000 (v1: cpu.shares 2..262144) */
	VK_BOOL,   /* 0 or 1 */
};

/* One row of the v2 -> v1 table. */
struct cg_file {
	const char *v2;    /* "memory.max" */
	enum cg_ctrl ctrl; /* the controller it belongs to; CG_ANY for cgroup.* files */
	const char *v1;    /* "memory.limit_in_bytes"; NULL when v2 only */
	enum cg_vkind kind;
	const char *about; /* msgid: what the file is, for `cg get` and help */
};

extern const struct cg_file cg_files[];
extern const size_t cg_nfiles;
extern const char *const cg_ctrl_names[CG_NCTRL]; /* "memory", "pids", "cpu", "cpuacct" */

struct cg_ops;

/* The cgroup file systems of one machine (or of a fixture tree). */
struct cg_sys {
	enum cg_layout layout;
	int version;                  /* the backend in use: 2, 1, or 0 when none */
	const struct cg_ops *ops;     /* NULL when version is 0 */
	char v2[PATH_MAX];            /* cgroup2 mount point ("" when none) */
	char v1[CG_NCTRL][PATH_MAX];  /* v1 mount point of each controller ("" when absent) */
	unsigned ctrls;               /* 1 << enum cg_ctrl: controllers the backend can use */
};

/* Values read back; CG_UNKNOWN where the layout has no such file. */
#define CG_UNKNOWN INT64_MIN
#define CG_UNLIMITED INT64_MAX

struct cg_stats {
	int64_t nprocs;
	int64_t mem_max, mem_current, mem_peak;
	int64_t ev_high, ev_max, ev_oom, ev_oom_kill; /* memory.events (v1: failcnt, oom_control) */
	int64_t under_oom;                            /* v1 only */
	int64_t pids_max, pids_current, pids_ev_max;
	int64_t cpu_quota, cpu_period; /* cpu.max: quota CG_UNLIMITED = max (microseconds) */
	int64_t cpu_usage_usec, cpu_periods, cpu_throttled, cpu_throttled_usec;
};

/* The backend: what differs between cgroup versions, one implementation each
 * (cgroup.c). Attaching and removing are the same walk over the cgroup's
 * directories in both, so they are not here. */
struct cg_ops {
	const char *name;
	int (*create)(const struct cg_sys *s, const char *name, struct nerr *e);
	int (*write)(const struct cg_sys *s, const char *name, const struct cg_file *f,
		     const char *v2value, struct nerr *e);
	int (*read)(const struct cg_sys *s, const char *name, const struct cg_file *f, char *buf,
		    size_t len, struct nerr *e);
	int (*stats)(const struct cg_sys *s, const char *name, struct cg_stats *st, struct nerr *e);
};

/* ---- layout ---- */

/* Detect the layout under @root ("" for the real machine, else a fixture
 * tree that holds proc/self/mountinfo and the mount points): reads
 * mountinfo (man 5 proc) and the v2 root's cgroup.controllers.
 * Teaches: v1 mounts one hierarchy per controller, v2 one for all. */
int cg_detect(const char *root, struct cg_sys *s);

/* The real machine's layout, detected on first use and kept. */
const struct cg_sys *cg_host(void);

/* "v2", "v1 (hybrid: cgroup2 has no controllers here)"... untranslated words. */
const char *cg_layout_name(enum cg_layout l);

bool cg_has(const struct cg_sys *s, enum cg_ctrl c);

/* Where cgroup NAME lives, for messages: "/sys/fs/cgroup/nslab/demo" or
 * "/sys/fs/cgroup/{memory,pids,cpu}/nslab/demo". */
void cg_where(const struct cg_sys *s, const char *name, char *buf, size_t len);

/* The directory of NAME for one controller (v2 ignores @c). */
int cg_dir(const struct cg_sys *s, const char *name, enum cg_ctrl c, char *buf, size_t len);

/* ---- the file table and human values ---- */

const struct cg_file *cg_file_find(const char *v2name);
/* The row whose v1 name is @v1name (so a v1 learner may type v1 names). */
const struct cg_file *cg_file_by_v1(const char *v1name);

/* "64M" -> 67108864, "max" -> CG_UNLIMITED. k/K, M, G, T are powers of 1024; an
 * optional "i"/"iB"/"B" is allowed. -EINVAL (not a size) or -ERANGE. */
int cg_parse_size(const char *s, int64_t *ret);

/* "50%" -> quota 50000, period 100000; "150%" -> two CPUs' worth; "max";
 * "QUOTA PERIOD" and "QUOTA" as the kernel writes them. -EINVAL / -ERANGE. */
int cg_parse_cpu(const char *s, int64_t *ret_quota, int64_t *ret_period);

/* A learner's value for @f in the form cgroup v2 wants, into @out. Bad input:
 * -EINVAL / -ERANGE, with e->why saying what the forms are. */
int cg_value(const struct cg_file *f, const char *human, char *out, size_t len, struct nerr *e);

/* 67108864 -> "64M", 1500000 -> "1.4M", CG_UNLIMITED -> "max". Returns @buf. */
char *cg_fmt_size(int64_t v, char *buf, size_t len);

/* The value of "KEY VALUE" in a flat-keyed file (memory.events, cpu.stat,
 * memory.oom_control); "max" reads as CG_UNLIMITED. -ENOENT when absent. */
int cg_kv(const char *text, const char *key, int64_t *ret);

/* ---- operations (the backend's, with checks common to both) ---- */

/* mkdir(2) of nslab/NAME in every controller (v2: after enabling the
 * controllers in the parents' cgroup.subtree_control). -EEXIST when present. */
int cg_create(const struct cg_sys *s, const char *name, struct nerr *e);

bool cg_exists(const struct cg_sys *s, const char *name);

/* Write @human (parsed by cg_value) to v2 file @file, or its v1 twin.
 * Teaches: a limit is a write(2) to a file; the kernel checks the value. */
int cg_set(const struct cg_sys *s, const char *name, const char *file, const char *human,
	   struct nerr *e);

/* Read @file (v2 name) in its v2 form: on v1, "memory.max" reads
 * memory.limit_in_bytes and says "max" for the unlimited number. */
int cg_get(const struct cg_sys *s, const char *name, const char *file, char *buf, size_t len,
	   struct nerr *e);

/* Move @pid (its whole thread group) into NAME: write(2) to cgroup.procs. */
int cg_attach(const struct cg_sys *s, const char *name, pid_t pid, struct nerr *e);

int cg_stats(const struct cg_sys *s, const char *name, struct cg_stats *st, struct nerr *e);

/* PIDs in NAME (its cgroup.procs; v1: the first controller's). */
int cg_procs(const struct cg_sys *s, const char *name, pid_t **ret, size_t *ret_n,
	     struct nerr *e);

/* Kill what is left (v2: cgroup.kill, Linux 5.14; v1: SIGKILL to each PID in
 * cgroup.procs), then rmdir(2). Idempotent: a missing cgroup is success.
 * The parent "nslab" goes too when it is empty. */
int cg_remove(const struct cg_sys *s, const char *name, int *ret_killed, struct nerr *e);

/* Names of the cgroups under nslab/, sorted; free each and the array. */
int cg_list(const struct cg_sys *s, char ***ret, size_t *ret_n);

#endif
