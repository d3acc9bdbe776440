/* cgroup.c - the v2 and v1 backends behind one interface (see cgroup.h). */
#include "cgroup.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cleanup.h"
#include "syscalls.h"
#include "trace.h"

const char *const cg_ctrl_names[CG_NCTRL] = { "memory", "pids", "cpu", "cpuacct" };

/* The one table: a v2 file, its controller, and its v1 twin. A v1 twin of NULL
 * means cgroup v1 has nothing that behaves the same (and we say so rather than
 * guess: memory.high is not v1's soft limit, memory.swap.max is not memsw). */
const struct cg_file cg_files[] = {
	{ "memory.max", CG_MEMORY, "memory.limit_in_bytes", VK_BYTES,
	  N_("hard memory limit: above it the kernel reclaims, then the OOM killer ends a process") },
	{ "memory.current", CG_MEMORY, "memory.usage_in_bytes", VK_RO,
	  N_("memory in use by the cgroup now (page cache included)") },
	{ "memory.peak", CG_MEMORY, "memory.max_usage_in_bytes", VK_RO,
	  N_("the highest memory.current seen") },
	{ "memory.events", CG_MEMORY, "memory.oom_control", VK_RO,
	  N_("counters: max (limit hit), oom, oom_kill (processes killed); v1: memory.failcnt and "
	     "memory.oom_control") },
	{ "memory.stat", CG_MEMORY, "memory.stat", VK_RO, N_("memory use broken down by kind") },
	{ "memory.high", CG_MEMORY, NULL, VK_BYTES,
	  N_("throttle limit: above it processes are slowed and reclaimed, not killed") },
	{ "memory.low", CG_MEMORY, NULL, VK_BYTES, N_("best-effort memory protection") },
	{ "memory.min", CG_MEMORY, NULL, VK_BYTES, N_("hard memory protection") },
	{ "memory.swap.max", CG_MEMORY, NULL, VK_BYTES, N_("swap limit") },
	{ "memory.oom.group", CG_MEMORY, NULL, VK_BOOL,
	  N_("1: the OOM killer ends the whole cgroup at once, not one process") },
	{ "pids.max", CG_PIDS, "pids.max", VK_COUNT,
	  N_("most processes and threads the cgroup may hold: fork and clone fail with EAGAIN "
	     "above it") },
	{ "pids.current", CG_PIDS, "pids.current", VK_RO, N_("processes and threads in the cgroup now") },
	{ "pids.events", CG_PIDS, "pids.events", VK_RO,
	  N_("max: how many forks pids.max refused") },
	{ "cpu.max", CG_CPU, "cpu.cfs_quota_us", VK_CPUMAX,
	  N_("CPU bandwidth: QUOTA microseconds of CPU time per PERIOD (v1: cpu.cfs_quota_us and "
	     "cpu.cfs_period_us)") },
	{ "cpu.weight", CG_CPU, "cpu.shares", VK_WEIGHT,
	  N_("relative CPU share when CPUs are busy (1-10000, default 100)") },
	{ "cpu.stat", CG_CPU, "cpu.stat", VK_RO,
	  N_("CPU time used, periods, and how often and how long the cgroup was throttled") },
	{ "cgroup.procs", CG_ANY, "cgroup.procs", VK_RO, N_("the PIDs in the cgroup") },
};
const size_t cg_nfiles = ARRAY_SIZE(cg_files);

const struct cg_file *cg_file_find(const char *v2name)
{
	for (size_t i = 0; i < cg_nfiles; i++)
		if (strcmp(cg_files[i].v2, v2name) == 0)
			return &cg_files[i];
	return NULL;
}

const struct cg_file *cg_file_by_v1(const char *v1name)
{
	for (size_t i = 0; i < cg_nfiles; i++)
		if (cg_files[i].v1 && strcmp(cg_files[i].v1, v1name) == 0)
			return &cg_files[i];
	if (strcmp(v1name, "cpu.cfs_period_us") == 0 || strcmp(v1name, "memory.failcnt") == 0)
		return cg_file_find(v1name[0] == 'c' ? "cpu.max" : "memory.events");
	return NULL;
}

/* ---------------- human values ---------------- */

int cg_parse_size(const char *s, int64_t *ret)
{
	if (!s || !*s)
		return -EINVAL;
	if (strcmp(s, "max") == 0) {
		*ret = CG_UNLIMITED;
		return 0;
	}
	if (*s < '0' || *s > '9')
		return -EINVAL;
	int64_t v = 0;
	const char *p = s;
	for (; *p >= '0' && *p <= '9'; p++) {
		if (v > (INT64_MAX - (*p - '0')) / 10)
			return -ERANGE;
		v = v * 10 + (*p - '0');
	}
	int shift = 0;
	switch (*p) {
	case 'k': case 'K': shift = 10; p++; break;
	case 'm': case 'M': shift = 20; p++; break;
	case 'g': case 'G': shift = 30; p++; break;
	case 't': case 'T': shift = 40; p++; break;
	default: break;
	}
	if (shift && *p == 'i')
		p++;
	if (*p == 'B' || (*p == 'b' && shift))
		p++;
	if (*p)
		return -EINVAL;
	if (shift && v > (INT64_MAX >> shift))
		return -ERANGE;
	*ret = v << shift;
	return 0;
}

static int parse_int(const char *s, int64_t min, int64_t max, int64_t *ret)
{
	if (!s || *s < '0' || *s > '9')
		return -EINVAL;
	char *end;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	if (*end)
		return -EINVAL;
	if (errno == ERANGE || v < min || v > max)
		return -ERANGE;
	*ret = v;
	return 0;
}

#define CPU_PERIOD 100000 /* the kernel's default: 100 ms */

int cg_parse_cpu(const char *s, int64_t *ret_quota, int64_t *ret_period)
{
	if (!s || !*s)
		return -EINVAL;
	char q[32], p[32], extra;
	int n = sscanf(s, "%31s %31s %c", q, p, &extra);
	if (n < 1 || n > 2)
		return -EINVAL;
	int64_t period = CPU_PERIOD, quota;
	if (n == 2) {
		int r = parse_int(p, 1000, 1000000, &period);
		if (r < 0)
			return r;
	}
	size_t ql = strlen(q);
	if (strcmp(q, "max") == 0) {
		quota = CG_UNLIMITED;
	} else if (ql > 1 && q[ql - 1] == '%') {
		if (n == 2)
			return -EINVAL;
		q[ql - 1] = '\0';
		int64_t pct;
		/* 1% of a 100 ms period is 1 ms, the smallest quota the kernel takes. */
		int r = parse_int(q, 1, 100000, &pct);
		if (r < 0)
			return r;
		quota = pct * (period / 100);
	} else {
		int r = parse_int(q, 1000, INT64_MAX / 2, &quota);
		if (r < 0)
			return r;
	}
	*ret_quota = quota;
	*ret_period = period;
	return 0;
}

int cg_value(const struct cg_file *f, const char *h, char *out, size_t len, struct nerr *e)
{
	int64_t v, q, p;
	int r;
	switch (f->kind) {
	case VK_RO:
		return nerr_setw(e, EROFS, "cgroup",
				 N_("this file is read-only: the kernel reports it; limits are set in "
				    "files like memory.max, pids.max and cpu.max"),
				 "%s", f->v2);
	case VK_BYTES:
		r = cg_parse_size(h, &v);
		if (r < 0)
			return nerr_setw(e, -r, "value",
					 N_("a size is a whole number of bytes with an optional unit k, "
					    "M, G or T (powers of 1024), or max: 64M, 1G, 512k"),
					 "%s = '%s'", f->v2, h);
		if (v == CG_UNLIMITED)
			snprintf(out, len, "max");
		else
			snprintf(out, len, "%lld", (long long)v);
		return 0;
	case VK_COUNT:
		if (strcmp(h, "max") == 0) {
			snprintf(out, len, "max");
			return 0;
		}
		r = parse_int(h, 0, 4194304, &v);
		if (r < 0)
			return nerr_setw(e, -r, "value",
					 N_("a count is a whole number from 0 to 4194304, or max"),
					 "%s = '%s'", f->v2, h);
		snprintf(out, len, "%lld", (long long)v);
		return 0;
	case VK_CPUMAX:
		r = cg_parse_cpu(h, &q, &p);
		if (r < 0)
			return nerr_setw(e, -r, "value",
					 N_("CPU is a percentage of one CPU (50% is half a CPU, 200% two), "
					    "or QUOTA PERIOD in microseconds (50000 100000), or max"),
					 "%s = '%s'", f->v2, h);
		if (q == CG_UNLIMITED)
			snprintf(out, len, "max %lld", (long long)p);
		else
			snprintf(out, len, "%lld %lld", (long long)q, (long long)p);
		return 0;
	case VK_WEIGHT:
		r = parse_int(h, 1, 10000, &v);
		if (r < 0)
			return nerr_setw(e, -r, "value", N_("a weight is a whole number from 1 to 10000 "
							    "(100 is the default)"),
					 "%s = '%s'", f->v2, h);
		snprintf(out, len, "%lld", (long long)v);
		return 0;
	case VK_BOOL:
		if (strcmp(h, "0") && strcmp(h, "1"))
			return nerr_setw(e, EINVAL, "value", N_("this file takes 0 or 1"), "%s = '%s'",
					 f->v2, h);
		snprintf(out, len, "%s", h);
		return 0;
	}
	return nerr_set(e, EINVAL, "value", "%s", f->v2);
}

char *cg_fmt_size(int64_t v, char *buf, size_t len)
{
	static const char units[] = "kMGT";
	if (v == CG_UNLIMITED) {
		snprintf(buf, len, "max");
		return buf;
	}
	if (v < 0) {
		snprintf(buf, len, "?");
		return buf;
	}
	int u = -1;
	while (u < 3 && v >= (1LL << (10 * (u + 2))))
		u++;
	if (u < 0)
		snprintf(buf, len, "%lld", (long long)v);
	else if (v % (1LL << (10 * (u + 1))) == 0)
		snprintf(buf, len, "%lld%c", (long long)(v >> (10 * (u + 1))), units[u]);
	else
		snprintf(buf, len, "%.1f%c", (double)v / (double)(1LL << (10 * (u + 1))), units[u]);
	return buf;
}

int cg_kv(const char *text, const char *key, int64_t *ret)
{
	size_t kl = strlen(key);
	for (const char *l = text; l && *l; l = strchr(l, '\n'), l = l ? l + 1 : NULL) {
		if (strncmp(l, key, kl) != 0 || l[kl] != ' ')
			continue;
		const char *v = l + kl + 1;
		if (strncmp(v, "max", 3) == 0) {
			*ret = CG_UNLIMITED;
			return 0;
		}
		char *end;
		long long n = strtoll(v, &end, 10);
		if (end == v)
			return -EINVAL;
		*ret = n;
		return 0;
	}
	return -ENOENT;
}

/* ---------------- files ---------------- */

static int read_text(const char *path, char *buf, size_t len, struct nerr *e)
{
	_cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return nerr_set(e, errno, "cgroup", "open(\"%s\")", path);
	size_t off = 0;
	while (off + 1 < len) {
		ssize_t n = read(fd, buf + off, len - off - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return nerr_set(e, errno, "cgroup", "read(\"%s\")", path);
		if (n == 0)
			break;
		off += n;
	}
	buf[off] = '\0';
	return (int)off;
}

/* One value, one write(2): the kernel parses it and says yes or no. */
static int write_text(const char *path, const char *value, struct nerr *e)
{
	/* O_TRUNC as the shell's `echo 50 > pids.max` does (and so fixture files
	 * in unit tests end up holding exactly the value). */
	_cleanup_close_ int fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
	int r = 0;
	if (fd < 0) {
		r = -errno;
	} else {
		ssize_t len = strlen(value);
		if (write(fd, value, len) != len)
			r = errno ? -errno : -EIO;
	}
	tr_call(r, -r, "write(\"%s\", \"%s\")", path, value);
	if (r < 0)
		return nerr_set(e, r, "cgroup", "write(\"%s\", \"%s\")", path, value);
	return 0;
}

static int64_t read_num(const char *path)
{
	char buf[64];
	if (read_text(path, buf, sizeof(buf), NULL) <= 0)
		return CG_UNKNOWN;
	if (strncmp(buf, "max", 3) == 0)
		return CG_UNLIMITED;
	return strtoll(buf, NULL, 10);
}

static bool is_dir(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

static int mkdir_traced(const char *path, bool exist_ok, struct nerr *e)
{
	int r = mkdir(path, 0755) < 0 ? -errno : 0;
	if (r == -EEXIST && exist_ok)
		return 0;
	tr_call(r, -r, "mkdir(\"%s\")", path);
	if (r < 0)
		return nerr_set(e, r, "mkdir", "mkdir(\"%s\")", path);
	return 0;
}

static bool name_ok(const char *name)
{
	return name && *name && strlen(name) <= CG_NAME_MAX && !strchr(name, '/') &&
	       strcmp(name, ".") && strcmp(name, "..");
}

/* ---------------- layout ---------------- */

static void unescape(char *s)
{
	/* mountinfo writes space, tab, newline and backslash as \ooo. */
	char *w = s;
	for (char *r = s; *r; r++) {
		if (r[0] == '\\' && r[1] >= '0' && r[1] <= '3' && r[2] && r[3]) {
			*w++ = (char)((r[1] - '0') * 64 + (r[2] - '0') * 8 + (r[3] - '0'));
			r += 3;
		} else {
			*w++ = *r;
		}
	}
	*w = '\0';
}

static bool has_word(const char *list, const char *word, char sep)
{
	size_t wl = strlen(word);
	for (const char *p = list; p && *p;) {
		const char *end = strchr(p, sep);
		size_t l = end ? (size_t)(end - p) : strlen(p);
		while (l && (p[l - 1] == '\n' || p[l - 1] == ' '))
			l--;
		if (l == wl && strncmp(p, word, wl) == 0)
			return true;
		p = end ? end + 1 : NULL;
	}
	return false;
}

extern const struct cg_ops cg_v1_ops, cg_v2_ops;

int cg_detect(const char *root, struct cg_sys *s)
{
	memset(s, 0, sizeof(*s));
	char path[PATH_MAX];
	snprintf(path, sizeof(path), "%s/proc/self/mountinfo", root);
	_cleanup_fclose_ FILE *f = fopen(path, "re");
	if (!f)
		return -errno;
	char line[4096];
	bool any_v1 = false;
	while (fgets(line, sizeof(line), f)) {
		char mroot[PATH_MAX], mpoint[PATH_MAX], fstype[64], super[1024];
		char *sep = strstr(line, " - ");
		if (!sep || sscanf(line, "%*s %*s %*s %4095s %4095s", mroot, mpoint) != 2 ||
		    sscanf(sep + 3, "%63s %*s %1023s", fstype, super) != 2)
			continue;
		/* A bind of a sub-cgroup (inside a container) is not the hierarchy's root. */
		if (strcmp(mroot, "/") != 0)
			continue;
		unescape(mpoint);
		if (strcmp(fstype, "cgroup2") == 0) {
			if (!s->v2[0])
				snprintf(s->v2, sizeof(s->v2), "%s%s", root, mpoint);
		} else if (strcmp(fstype, "cgroup") == 0) {
			any_v1 = true;
			for (int c = 0; c < CG_NCTRL; c++)
				if (!s->v1[c][0] && has_word(super, cg_ctrl_names[c], ','))
					snprintf(s->v1[c], sizeof(s->v1[c]), "%s%s", root, mpoint);
		}
	}
	unsigned v2ctrls = 0;
	if (s->v2[0]) {
		char buf[512];
		snprintf(path, sizeof(path), "%s/cgroup.controllers", s->v2);
		if (read_text(path, buf, sizeof(buf), NULL) >= 0)
			for (int c = 0; c < CG_NCTRL; c++)
				if (has_word(buf, cg_ctrl_names[c], ' '))
					v2ctrls |= 1u << c;
	}
	unsigned v1ctrls = 0;
	for (int c = 0; c < CG_NCTRL; c++)
		if (s->v1[c][0])
			v1ctrls |= 1u << c;
	s->layout = s->v2[0] && any_v1 ? CG_LAYOUT_HYBRID
		    : s->v2[0]         ? CG_LAYOUT_V2
		    : any_v1           ? CG_LAYOUT_V1
				       : CG_LAYOUT_NONE;
	/* v2 first: wherever its hierarchy holds the controllers, use it. */
	const unsigned want = (1u << CG_MEMORY) | (1u << CG_PIDS) | (1u << CG_CPU);
	if (s->v2[0] && (v2ctrls & want)) {
		s->version = 2;
		s->ctrls = v2ctrls & want;
	} else if (v1ctrls & want) {
		s->version = 1;
		s->ctrls = v1ctrls;
	} else if (s->v2[0]) {
		s->version = 2; /* cgroups without controllers: grouping and cgroup.kill only */
	}
	s->ops = s->version == 2 ? &cg_v2_ops : s->version == 1 ? &cg_v1_ops : NULL;
	return 0;
}

const struct cg_sys *cg_host(void)
{
	static struct cg_sys host;
	static bool done;
	if (!done) {
		cg_detect("", &host);
		done = true;
	}
	return &host;
}

const char *cg_layout_name(enum cg_layout l)
{
	switch (l) {
	case CG_LAYOUT_V2: return "v2";
	case CG_LAYOUT_V1: return "v1";
	case CG_LAYOUT_HYBRID: return "hybrid";
	default: return "none";
	}
}

bool cg_has(const struct cg_sys *s, enum cg_ctrl c)
{
	return c < CG_NCTRL && (s->ctrls & (1u << c));
}

int cg_dir(const struct cg_sys *s, const char *name, enum cg_ctrl c, char *buf, size_t len)
{
	const char *base = s->version == 2 ? s->v2 : (c < CG_NCTRL ? s->v1[c] : "");
	if (!base[0])
		return -ENODEV;
	int n = name ? snprintf(buf, len, "%s/" CG_PARENT "/%s", base, name)
		     : snprintf(buf, len, "%s/" CG_PARENT, base);
	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

/* v1 controllers that share one mount (cpu,cpuacct) are one directory: visit
 * each mount once. */
static bool first_of_mount(const struct cg_sys *s, int c)
{
	if (!cg_has(s, c))
		return false;
	for (int k = 0; k < c; k++)
		if (cg_has(s, k) && strcmp(s->v1[k], s->v1[c]) == 0)
			return false;
	return true;
}

/* The directories of cgroup @name, one hierarchy at a time from *@c on: v2
 * has one, v1 one per mount. Fills @d and moves *@c to the hierarchy found;
 * false when there is none left. Loop: for (c = 0; next_dir(...); c++). */
static bool next_dir(const struct cg_sys *s, const char *name, int *c, char *d, size_t len)
{
	if (s->version == 2)
		return *c == 0 && cg_dir(s, name, CG_ANY, d, len) == 0;
	for (; *c < CG_NCTRL; (*c)++)
		if (first_of_mount(s, *c) && cg_dir(s, name, (enum cg_ctrl)*c, d, len) == 0)
			return true;
	return false;
}

void cg_where(const struct cg_sys *s, const char *name, char *buf, size_t len)
{
	if (s->version == 2) {
		cg_dir(s, name, CG_ANY, buf, len);
		return;
	}
	/* "/sys/fs/cgroup/{memory,pids,cpu}/nslab/NAME": the common prefix of the mounts. */
	char base[PATH_MAX] = "";
	char list[256] = "";
	for (int c = 0; c < CG_NCTRL; c++) {
		if (!first_of_mount(s, c))
			continue;
		const char *slash = strrchr(s->v1[c], '/');
		if (!slash)
			continue;
		if (!base[0])
			snprintf(base, sizeof(base), "%.*s", (int)(slash - s->v1[c]), s->v1[c]);
		snprintf(list + strlen(list), sizeof(list) - strlen(list), "%s%s", list[0] ? "," : "",
			 slash + 1);
	}
	if (!base[0]) {
		snprintf(buf, len, "(no cgroup controllers)");
		return;
	}
	snprintf(buf, len, "%s/{%s}/" CG_PARENT "/%s", base, list, name ? name : "");
}

/* ---------------- killing what is left ---------------- */

/* Is @pid in cgroup nslab/NAME (any hierarchy)? Read /proc/PID/cgroup. */
static bool pid_in(pid_t pid, const char *name)
{
	char path[64], buf[4096], want[CG_NAME_MAX + 16];
	snprintf(path, sizeof(path), "/proc/%d/cgroup", (int)pid);
	if (read_text(path, buf, sizeof(buf), NULL) < 0)
		return false;
	snprintf(want, sizeof(want), "/" CG_PARENT "/%s\n", name);
	return strstr(buf, want) != NULL;
}

/* SIGKILL through a pidfd after checking membership, so a PID that was reused
 * between reading cgroup.procs and the kill is never hit. */
static int kill_member(pid_t pid, const char *name)
{
	_cleanup_close_ int pfd = sys_pidfd_open(pid);
	if (pfd == -ESRCH)
		return 0;
	if (!pid_in(pid, name))
		return 0;
	int r = pfd >= 0 ? sys_pidfd_send_signal(pfd, SIGKILL) : (kill(pid, SIGKILL) < 0 ? -errno : 0);
	tr_call(r, -r, "kill(%d, SIGKILL)", (int)pid);
	return r == 0;
}

static int read_pids(const char *dir, pid_t **ret, size_t *ret_n, struct nerr *e)
{
	char path[PATH_MAX + 16];
	snprintf(path, sizeof(path), "%s/cgroup.procs", dir);
	_cleanup_fclose_ FILE *f = fopen(path, "re");
	if (!f)
		return nerr_set(e, errno, "cgroup", "open(\"%s\")", path);
	size_t n = 0, cap = 16;
	pid_t *v = malloc(cap * sizeof(*v));
	if (!v)
		return nerr_set(e, ENOMEM, "malloc", "pids");
	int pid;
	while (fscanf(f, "%d", &pid) == 1) {
		if (n == cap) {
			pid_t *nv = realloc(v, 2 * cap * sizeof(*v));
			if (!nv)
				break;
			v = nv;
			cap *= 2;
		}
		v[n++] = pid;
	}
	*ret = v;
	*ret_n = n;
	return 0;
}

static void nap(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
	nanosleep(&ts, NULL);
}

/* The processes one removal has killed, each counted once: a process killed
 * in the memory hierarchy may still be exiting when the pids one is drained,
 * and a PID 1 still exiting is listed again in the next round. */
struct killed_set {
	pid_t v[256];
	size_t n;
	int more; /* beyond v: counted, not remembered */
};

static void killed_add(struct killed_set *k, pid_t pid)
{
	for (size_t i = 0; i < k->n; i++)
		if (k->v[i] == pid)
			return;
	if (k->n < ARRAY_SIZE(k->v))
		k->v[k->n++] = pid;
	else
		k->more++;
}

/* Kill members until cgroup.procs is empty (a fork bomb may race: each round
 * takes the new ones). */
static void drain(const char *dir, const char *name, struct killed_set *k)
{
	for (int round = 0; round < 200; round++) {
		pid_t *pids = NULL;
		size_t n = 0;
		if (read_pids(dir, &pids, &n, NULL) < 0 || n == 0) {
			free(pids);
			break;
		}
		for (size_t i = 0; i < n; i++)
			if (kill_member(pids[i], name) > 0)
				killed_add(k, pids[i]);
		free(pids);
		nap(10);
	}
}

/* rmdir(2) of a cgroup: EBUSY until the last member has really exited. */
static int rmdir_cg(const char *dir, struct nerr *e)
{
	int r = 0;
	for (int i = 0; i < 200; i++) {
		r = rmdir(dir) < 0 ? -errno : 0;
		if (r != -EBUSY)
			break;
		nap(10);
	}
	if (r == -ENOENT)
		return 0;
	tr_call(r, -r, "rmdir(\"%s\")", dir);
	if (r < 0)
		return nerr_setw(e, r, "rmdir",
				 r == -EBUSY ? N_("a cgroup can be removed only when it has no processes "
						  "and no child cgroups")
					     : NULL,
				 "rmdir(\"%s\")", dir);
	return 0;
}

static void rmdir_parent(const struct cg_sys *s, enum cg_ctrl c)
{
	char dir[PATH_MAX];
	if (cg_dir(s, NULL, c, dir, sizeof(dir)) == 0 && rmdir(dir) == 0)
		tr_call(0, 0, "rmdir(\"%s\")", dir);
}

/* ---------------- both versions ---------------- */

static int64_t kv_in(const char *dir, const char *file, const char *key)
{
	char path[PATH_MAX + 64], buf[2048];
	int64_t v;
	snprintf(path, sizeof(path), "%s/%s", dir, file);
	if (read_text(path, buf, sizeof(buf), NULL) < 0 || cg_kv(buf, key, &v) < 0)
		return CG_UNKNOWN;
	return v;
}

static int64_t num_in(const char *dir, const char *file)
{
	char path[PATH_MAX + 64];
	snprintf(path, sizeof(path), "%s/%s", dir, file);
	return read_num(path);
}

static int64_t count_procs(const char *dir)
{
	pid_t *p = NULL;
	size_t n = 0;
	if (read_pids(dir, &p, &n, NULL) < 0)
		return CG_UNKNOWN;
	free(p);
	return (int)n;
}

static void stats_init(struct cg_stats *st)
{
	int64_t *v = (int64_t *)st;
	for (size_t i = 0; i < sizeof(*st) / sizeof(int64_t); i++)
		v[i] = CG_UNKNOWN;
}

/* @file in the directory of cgroup @name: in v2 the one directory, in v1
 * that of controller @c (refused when that controller is not mounted). */
static int file_path(const struct cg_sys *s, const char *name, enum cg_ctrl c, const char *file,
		     char *buf, size_t len, struct nerr *e)
{
	if (s->version == 1 && !cg_has(s, c))
		return nerr_setw(e, ENODEV, "cgroup",
				 N_("this cgroup v1 controller is not mounted on this machine"),
				 "%s controller (cgroup v1)", c < CG_NCTRL ? cg_ctrl_names[c] : "?");
	cg_dir(s, name, c, buf, len);
	snprintf(buf + strlen(buf), len - strlen(buf), "/%s", file);
	return 0;
}

/* v1 says "unlimited" with the largest page-aligned number. */
static bool v1_unlimited(int64_t v)
{
	return v >= (1LL << 62);
}

/* Where one statistic is read: a file in a controller's directory, and a
 * key in it (flat-keyed files such as memory.events) or its one number
 * ("cgroup.procs": how many members). @conv turns v1 values into v2 form. */
enum stat_conv {
	AS_IS,
	NS_TO_USEC,      /* v1 counts CPU time in nanoseconds */
	HUGE_IS_MAX,     /* v1 says "no limit" with the largest page-aligned number */
	NEGATIVE_IS_MAX, /* cpu.cfs_quota_us: -1 is no limit */
};

struct stat_src {
	enum cg_ctrl ctrl; /* the v1 hierarchy; CG_ANY on v2 */
	const char *file, *key;
	enum stat_conv conv;
	size_t off; /* of the field in struct cg_stats */
};

#define STAT(c, file, key, conv, field) { c, file, key, conv, offsetof(struct cg_stats, field) }

static const struct stat_src v2_stat_srcs[] = {
	STAT(CG_ANY, "cgroup.procs", NULL, AS_IS, nprocs),
	STAT(CG_ANY, "memory.max", NULL, AS_IS, mem_max),
	STAT(CG_ANY, "memory.current", NULL, AS_IS, mem_current),
	STAT(CG_ANY, "memory.peak", NULL, AS_IS, mem_peak),
	STAT(CG_ANY, "memory.events", "high", AS_IS, ev_high),
	STAT(CG_ANY, "memory.events", "max", AS_IS, ev_max),
	STAT(CG_ANY, "memory.events", "oom", AS_IS, ev_oom),
	STAT(CG_ANY, "memory.events", "oom_kill", AS_IS, ev_oom_kill),
	STAT(CG_ANY, "pids.max", NULL, AS_IS, pids_max),
	STAT(CG_ANY, "pids.current", NULL, AS_IS, pids_current),
	STAT(CG_ANY, "pids.events", "max", AS_IS, pids_ev_max),
	STAT(CG_ANY, "cpu.stat", "usage_usec", AS_IS, cpu_usage_usec),
	STAT(CG_ANY, "cpu.stat", "nr_periods", AS_IS, cpu_periods),
	STAT(CG_ANY, "cpu.stat", "nr_throttled", AS_IS, cpu_throttled),
	STAT(CG_ANY, "cpu.stat", "throttled_usec", AS_IS, cpu_throttled_usec),
};

/* v1 has no memory.events: failcnt counts hits of the limit, and
 * oom_control counts OOM kills (Linux 4.13+). */
static const struct stat_src v1_stat_srcs[] = {
	STAT(CG_MEMORY, "cgroup.procs", NULL, AS_IS, nprocs),
	STAT(CG_MEMORY, "memory.limit_in_bytes", NULL, HUGE_IS_MAX, mem_max),
	STAT(CG_MEMORY, "memory.usage_in_bytes", NULL, AS_IS, mem_current),
	STAT(CG_MEMORY, "memory.max_usage_in_bytes", NULL, AS_IS, mem_peak),
	STAT(CG_MEMORY, "memory.failcnt", NULL, AS_IS, ev_max),
	STAT(CG_MEMORY, "memory.oom_control", "oom_kill", AS_IS, ev_oom_kill),
	STAT(CG_MEMORY, "memory.oom_control", "under_oom", AS_IS, under_oom),
	STAT(CG_PIDS, "cgroup.procs", NULL, AS_IS, nprocs),
	STAT(CG_PIDS, "pids.max", NULL, AS_IS, pids_max),
	STAT(CG_PIDS, "pids.current", NULL, AS_IS, pids_current),
	STAT(CG_PIDS, "pids.events", "max", AS_IS, pids_ev_max),
	STAT(CG_CPU, "cpu.cfs_quota_us", NULL, NEGATIVE_IS_MAX, cpu_quota),
	STAT(CG_CPU, "cpu.cfs_period_us", NULL, AS_IS, cpu_period),
	STAT(CG_CPU, "cpu.stat", "nr_periods", AS_IS, cpu_periods),
	STAT(CG_CPU, "cpu.stat", "nr_throttled", AS_IS, cpu_throttled),
	STAT(CG_CPU, "cpu.stat", "throttled_time", NS_TO_USEC, cpu_throttled_usec),
	STAT(CG_CPUACCT, "cpuacct.usage", NULL, NS_TO_USEC, cpu_usage_usec),
};

/* Fill @st from the table @t (all fields start CG_UNKNOWN); a field already
 * known is kept, so the first hierarchy that has it wins. Returns the
 * controllers whose directory of @name exists, as 1 << enum cg_ctrl. */
static unsigned read_stats(const struct cg_sys *s, const char *name, const struct stat_src *t,
			   size_t n, struct cg_stats *st)
{
	unsigned found = 0;
	for (size_t i = 0; i < n; i++) {
		char d[PATH_MAX];
		if ((s->version == 1 && !cg_has(s, t[i].ctrl)) ||
		    cg_dir(s, name, t[i].ctrl, d, sizeof(d)) < 0 || !is_dir(d))
			continue;
		found |= 1u << t[i].ctrl;
		int64_t *v = (int64_t *)((char *)st + t[i].off);
		if (*v != CG_UNKNOWN)
			continue;
		if (t[i].key)
			*v = kv_in(d, t[i].file, t[i].key);
		else if (strcmp(t[i].file, "cgroup.procs") == 0)
			*v = count_procs(d);
		else
			*v = num_in(d, t[i].file);
		if (*v == CG_UNKNOWN)
			continue;
		if (t[i].conv == NS_TO_USEC)
			*v /= 1000;
		else if ((t[i].conv == HUGE_IS_MAX && v1_unlimited(*v)) ||
			 (t[i].conv == NEGATIVE_IS_MAX && *v < 0))
			*v = CG_UNLIMITED;
	}
	return found;
}

/* Write the PID to cgroup.procs once per hierarchy: in v1 a process is in
 * one cgroup per controller, in v2 in one for all. */
static int attach(const struct cg_sys *s, const char *name, pid_t pid, struct nerr *e)
{
	char path[PATH_MAX + 32], v[16];
	snprintf(v, sizeof(v), "%d", (int)pid);
	for (int c = 0; next_dir(s, name, &c, path, sizeof(path)); c++) {
		size_t l = strlen(path);
		snprintf(path + l, sizeof(path) - l, "/cgroup.procs");
		int r = write_text(path, v, e);
		if (r < 0)
			return r;
	}
	return 0;
}

/* End every member of the cgroup at @d. cgroup.kill (v2, Linux 5.14) kills
 * them all at once, forks in flight included; v1 and older kernels get the
 * one-by-one loop. */
static void empty_cg(const char *d, const char *name, struct killed_set *k)
{
	char path[PATH_MAX + 32];
	snprintf(path, sizeof(path), "%s/cgroup.kill", d);
	pid_t *pids = NULL;
	size_t n = 0;
	if (read_pids(d, &pids, &n, NULL) == 0 && n > 0 && access(path, F_OK) == 0 &&
	    write_text(path, "1", NULL) == 0) {
		for (size_t i = 0; i < n; i++)
			killed_add(k, pids[i]);
		for (int i = 0; i < 200 && count_procs(d) > 0; i++)
			nap(10);
	}
	free(pids);
	drain(d, name, k);
}

/* Empty the cgroup in every hierarchy first (a process may be in several),
 * then rmdir each, and nslab/ too when it is left empty. */
static int remove_cg(const struct cg_sys *s, const char *name, int *ret_killed, struct nerr *e)
{
	char d[PATH_MAX];
	int r = 0;
	struct killed_set ks = { .n = 0 };
	for (int c = 0; next_dir(s, name, &c, d, sizeof(d)); c++)
		if (is_dir(d))
			empty_cg(d, name, &ks);
	for (int c = 0; next_dir(s, name, &c, d, sizeof(d)); c++) {
		if (!is_dir(d))
			continue;
		int k = rmdir_cg(d, e);
		if (k < 0 && r == 0)
			r = k;
		if (k == 0)
			rmdir_parent(s, c);
	}
	if (ret_killed)
		*ret_killed = (int)ks.n + ks.more;
	return r;
}

/* ---------------- the v2 backend ---------------- */

/* Delegation: a controller works in a cgroup only when its parent lists it in
 * cgroup.subtree_control. Enable memory, pids and cpu from the root down to
 * nslab/ (only those the kernel offers, only when not on yet). */
static void v2_enable(const char *dir)
{
	char path[PATH_MAX + 32], have[512], on[512];
	snprintf(path, sizeof(path), "%s/cgroup.controllers", dir);
	if (read_text(path, have, sizeof(have), NULL) < 0)
		return;
	snprintf(path, sizeof(path), "%s/cgroup.subtree_control", dir);
	if (read_text(path, on, sizeof(on), NULL) < 0)
		return;
	for (int c = 0; c < CG_CPUACCT; c++) {
		if (!has_word(have, cg_ctrl_names[c], ' ') || has_word(on, cg_ctrl_names[c], ' '))
			continue;
		char plus[32];
		snprintf(plus, sizeof(plus), "+%s", cg_ctrl_names[c]);
		write_text(path, plus, NULL);
	}
}

static int v2_create(const struct cg_sys *s, const char *name, struct nerr *e)
{
	char parent[PATH_MAX], dir[PATH_MAX];
	cg_dir(s, NULL, CG_ANY, parent, sizeof(parent));
	cg_dir(s, name, CG_ANY, dir, sizeof(dir));
	v2_enable(s->v2);
	int r = mkdir_traced(parent, true, e);
	if (r < 0)
		return r;
	/* nslab/ holds no processes itself ("no internal processes"): only its
	 * children do, so it may hand the controllers down. */
	v2_enable(parent);
	return mkdir_traced(dir, false, e);
}

static int v2_write(const struct cg_sys *s, const char *name, const struct cg_file *f,
		    const char *value, struct nerr *e)
{
	char path[PATH_MAX + 64];
	int r = file_path(s, name, CG_ANY, f->v2, path, sizeof(path), e);
	return r < 0 ? r : write_text(path, value, e);
}

static int v2_read(const struct cg_sys *s, const char *name, const struct cg_file *f, char *buf,
		   size_t len, struct nerr *e)
{
	char path[PATH_MAX + 64];
	int r = file_path(s, name, CG_ANY, f->v2, path, sizeof(path), e);
	return r < 0 ? r : read_text(path, buf, len, e);
}

static int v2_stats(const struct cg_sys *s, const char *name, struct cg_stats *st, struct nerr *e)
{
	char d[PATH_MAX], path[PATH_MAX + 32], buf[128];
	stats_init(st);
	cg_dir(s, name, CG_ANY, d, sizeof(d));
	if (!is_dir(d))
		return nerr_set(e, ENOENT, "cgroup", "%s", d);
	read_stats(s, name, v2_stat_srcs, ARRAY_SIZE(v2_stat_srcs), st);
	/* cpu.max holds two values: "QUOTA PERIOD" or "max PERIOD". */
	snprintf(path, sizeof(path), "%s/cpu.max", d);
	if (read_text(path, buf, sizeof(buf), NULL) > 0) {
		long long p = 0;
		if (strncmp(buf, "max", 3) == 0 && sscanf(buf + 3, "%lld", &p) == 1) {
			st->cpu_quota = CG_UNLIMITED;
			st->cpu_period = p;
		} else {
			long long q;
			if (sscanf(buf, "%lld %lld", &q, &p) == 2) {
				st->cpu_quota = q;
				st->cpu_period = p;
			}
		}
	}
	return 0;
}

const struct cg_ops cg_v2_ops = {
	.name = "v2",
	.create = v2_create,
	.write = v2_write,
	.read = v2_read,
	.stats = v2_stats,
};

/* ---------------- the v1 backend ---------------- */

static int v1_create(const struct cg_sys *s, const char *name, struct nerr *e)
{
	char dir[PATH_MAX];
	int made = -1;
	for (int c = 0; c < CG_NCTRL; c++) {
		if (!first_of_mount(s, c))
			continue;
		cg_dir(s, NULL, c, dir, sizeof(dir));
		int r = mkdir_traced(dir, true, e);
		if (r == 0) {
			cg_dir(s, name, c, dir, sizeof(dir));
			r = mkdir_traced(dir, false, e);
		}
		if (r < 0) {
			/* No half-made cgroup: undo the hierarchies done so far. */
			for (int k = 0; k <= made; k++)
				if (first_of_mount(s, k) && cg_dir(s, name, k, dir, sizeof(dir)) == 0)
					rmdir(dir);
			return r;
		}
		made = c;
	}
	return made < 0 ? nerr_set(e, ENODEV, "cgroup", "no cgroup v1 controllers") : 0;
}

/* cpu.weight (1..10000, default 100) <-> cpu.shares (2..262144, default 1024),
 * the conversion runc and crun use. */
static int64_t weight_to_shares(int64_t w)
{
	return 2 + ((w - 1) * 262142) / 9999;
}

static int64_t shares_to_weight(int64_t sh)
{
	return 1 + ((sh - 2) * 9999) / 262142;
}

static int v1_write(const struct cg_sys *s, const char *name, const struct cg_file *f,
		    const char *value, struct nerr *e)
{
	char path[PATH_MAX + 64], v[64];
	if (!f->v1)
		return nerr_setw(e, EOPNOTSUPP, "cgroup",
				 N_("this file exists only in cgroup v2; this machine's controllers are "
				    "on cgroup v1, which has no file that works the same way"),
				 "%s", f->v2);
	enum cg_ctrl c = f->ctrl == CG_ANY ? CG_MEMORY : f->ctrl;
	int r;
	switch (f->kind) {
	case VK_BYTES:
		r = file_path(s, name, c, f->v1, path, sizeof(path), e);
		return r < 0 ? r : write_text(path, strcmp(value, "max") ? value : "-1", e);
	case VK_CPUMAX: {
		char q[32];
		long long p;
		if (sscanf(value, "%31s %lld", q, &p) != 2)
			return nerr_set(e, EINVAL, "value", "cpu.max = '%s'", value);
		/* Two files in v1: the period first, so the quota is read against it. */
		snprintf(v, sizeof(v), "%lld", p);
		r = file_path(s, name, c, "cpu.cfs_period_us", path, sizeof(path), e);
		if (r == 0)
			r = write_text(path, v, e);
		if (r == 0)
			r = file_path(s, name, c, "cpu.cfs_quota_us", path, sizeof(path), e);
		return r < 0 ? r : write_text(path, strcmp(q, "max") ? q : "-1", e);
	}
	case VK_WEIGHT:
		snprintf(v, sizeof(v), "%lld", (long long)weight_to_shares(strtoll(value, NULL, 10)));
		r = file_path(s, name, c, f->v1, path, sizeof(path), e);
		return r < 0 ? r : write_text(path, v, e);
	default:
		r = file_path(s, name, c, f->v1, path, sizeof(path), e);
		return r < 0 ? r : write_text(path, value, e);
	}
}

/* Read in v2 form, so commands and labs see one language. */
static int v1_read(const struct cg_sys *s, const char *name, const struct cg_file *f, char *buf,
		   size_t len, struct nerr *e)
{
	char path[PATH_MAX + 64];
	if (!f->v1)
		return nerr_setw(e, EOPNOTSUPP, "cgroup",
				 N_("this file exists only in cgroup v2; this machine's controllers are "
				    "on cgroup v1, which has no file that works the same way"),
				 "%s", f->v2);
	enum cg_ctrl c = f->ctrl == CG_ANY ? (cg_has(s, CG_MEMORY) ? CG_MEMORY : CG_PIDS) : f->ctrl;
	int r = file_path(s, name, c, f->v1, path, sizeof(path), e);
	if (r < 0)
		return r;
	if (f->kind == VK_BYTES || (f->kind == VK_RO && strstr(f->v1, "_in_bytes"))) {
		int64_t v = read_num(path);
		if (v == CG_UNKNOWN)
			return read_text(path, buf, len, e);
		if (v1_unlimited(v))
			return snprintf(buf, len, "max\n");
		return snprintf(buf, len, "%lld\n", (long long)v);
	}
	if (f->kind == VK_CPUMAX) {
		int64_t q = read_num(path);
		file_path(s, name, c, "cpu.cfs_period_us", path, sizeof(path), e);
		int64_t p = read_num(path);
		if (q == CG_UNKNOWN || p == CG_UNKNOWN)
			return nerr_set(e, ENOENT, "cgroup", "%s", path);
		if (q < 0)
			return snprintf(buf, len, "max %lld\n", (long long)p);
		return snprintf(buf, len, "%lld %lld\n", (long long)q, (long long)p);
	}
	if (f->kind == VK_WEIGHT) {
		int64_t sh = read_num(path);
		if (sh == CG_UNKNOWN)
			return read_text(path, buf, len, e);
		return snprintf(buf, len, "%lld\n", (long long)shares_to_weight(sh));
	}
	if (strcmp(f->v2, "memory.events") == 0) {
		/* v1 has no memory.events: failcnt counts hits of the limit, and
		 * oom_control counts OOM kills (Linux 4.13+). */
		char d[PATH_MAX];
		cg_dir(s, name, CG_MEMORY, d, sizeof(d));
		int64_t fc = num_in(d, "memory.failcnt");
		int64_t k = kv_in(d, "memory.oom_control", "oom_kill");
		int64_t u = kv_in(d, "memory.oom_control", "under_oom");
		if (fc == CG_UNKNOWN)
			return nerr_set(e, ENOENT, "cgroup", "%s/memory.failcnt", d);
		return snprintf(buf, len, "max %lld\noom_kill %lld\nunder_oom %lld\n", (long long)fc,
				(long long)k, (long long)u);
	}
	return read_text(path, buf, len, e);
}

static int v1_stats(const struct cg_sys *s, const char *name, struct cg_stats *st, struct nerr *e)
{
	stats_init(st);
	unsigned found = read_stats(s, name, v1_stat_srcs, ARRAY_SIZE(v1_stat_srcs), st);
	/* cpuacct only adds the usage: alone it does not make the cgroup exist. */
	if (!(found & ~(1u << CG_CPUACCT)))
		return nerr_set(e, ENOENT, "cgroup", "nslab/%s", name);
	return 0;
}

const struct cg_ops cg_v1_ops = {
	.name = "v1",
	.create = v1_create,
	.write = v1_write,
	.read = v1_read,
	.stats = v1_stats,
};

/* ---------------- the interface ---------------- */

static int need_backend(const struct cg_sys *s, const char *name, struct nerr *e)
{
	if (!s->ops)
		return nerr_setw(e, ENODEV, "cgroup",
				 N_("no cgroup file system is mounted: mount cgroup2 on /sys/fs/cgroup"),
				 "cgroup");
	if (name && !name_ok(name))
		return nerr_set(e, EINVAL, "cgroup", "cgroup name '%s'", name);
	return 0;
}

bool cg_exists(const struct cg_sys *s, const char *name)
{
	char d[PATH_MAX];
	if (!s->ops || !name_ok(name))
		return false;
	for (int c = 0; next_dir(s, name, &c, d, sizeof(d)); c++)
		if (is_dir(d))
			return true;
	return false;
}

int cg_create(const struct cg_sys *s, const char *name, struct nerr *e)
{
	int r = need_backend(s, name, e);
	if (r < 0)
		return r;
	r = s->ops->create(s, name, e);
	if (r == -EEXIST && e)
		e->why = N_("a cgroup of that name exists: choose another name, or cg rm it");
	return r;
}

/* A file the table does not know: v2 writes it as named; v1 takes it as a v1
 * file of the controller its prefix names. */
static struct cg_file raw_file(const struct cg_sys *s, const char *file)
{
	struct cg_file f = { file, CG_ANY, file, VK_BYTES, NULL };
	for (int c = 0; c < CG_NCTRL; c++) {
		size_t l = strlen(cg_ctrl_names[c]);
		if (strncmp(file, cg_ctrl_names[c], l) == 0 && file[l] == '.')
			f.ctrl = (enum cg_ctrl)c;
	}
	(void)s;
	return f;
}

static int check_file_name(const char *file, struct nerr *e)
{
	if (!file[0] || strchr(file, '/') || file[0] == '.' || strlen(file) > 64)
		return nerr_set(e, EINVAL, "cgroup", "file name '%s'", file);
	return 0;
}

int cg_set(const struct cg_sys *s, const char *name, const char *file, const char *human,
	   struct nerr *e)
{
	int r = need_backend(s, name, e);
	if (r == 0)
		r = check_file_name(file, e);
	if (r < 0)
		return r;
	const struct cg_file *f = cg_file_find(file);
	char v[96];
	if (f) {
		r = cg_value(f, human, v, sizeof(v), e);
		if (r < 0)
			return r;
		return s->ops->write(s, name, f, v, e);
	}
	/* Unknown to the table: the kernel is the judge of the value. */
	struct cg_file raw = raw_file(s, file);
	if (s->version == 1 && raw.ctrl == CG_ANY)
		return nerr_setw(e, ENOENT, "cgroup",
				 N_("on cgroup v1 a file belongs to a controller: its name starts "
				    "with memory., pids. or cpu."),
				 "%s", file);
	char path[PATH_MAX + 64];
	r = file_path(s, name, raw.ctrl, file, path, sizeof(path), e);
	return r < 0 ? r : write_text(path, human, e);
}

int cg_get(const struct cg_sys *s, const char *name, const char *file, char *buf, size_t len,
	   struct nerr *e)
{
	int r = need_backend(s, name, e);
	if (r == 0)
		r = check_file_name(file, e);
	if (r < 0)
		return r;
	const struct cg_file *f = cg_file_find(file);
	if (f)
		return s->ops->read(s, name, f, buf, len, e);
	struct cg_file raw = raw_file(s, file);
	char path[PATH_MAX + 64];
	/* v1: a cgroup.* file is in every hierarchy; read memory's. */
	r = file_path(s, name, raw.ctrl == CG_ANY ? CG_MEMORY : raw.ctrl, file, path, sizeof(path), e);
	return r < 0 ? r : read_text(path, buf, len, e);
}

int cg_attach(const struct cg_sys *s, const char *name, pid_t pid, struct nerr *e)
{
	int r = need_backend(s, name, e);
	return r < 0 ? r : attach(s, name, pid, e);
}

int cg_stats(const struct cg_sys *s, const char *name, struct cg_stats *st, struct nerr *e)
{
	int r = need_backend(s, name, e);
	return r < 0 ? r : s->ops->stats(s, name, st, e);
}

int cg_procs(const struct cg_sys *s, const char *name, pid_t **ret, size_t *ret_n, struct nerr *e)
{
	int r = need_backend(s, name, e);
	if (r < 0)
		return r;
	char d[PATH_MAX];
	for (int c = 0; next_dir(s, name, &c, d, sizeof(d)); c++)
		if (is_dir(d))
			return read_pids(d, ret, ret_n, e);
	return nerr_set(e, ENOENT, "cgroup", "nslab/%s", name);
}

int cg_remove(const struct cg_sys *s, const char *name, int *ret_killed, struct nerr *e)
{
	if (ret_killed)
		*ret_killed = 0;
	int r = need_backend(s, name, e);
	return r < 0 ? r : remove_cg(s, name, ret_killed, e);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int cg_list(const struct cg_sys *s, char ***ret, size_t *ret_n)
{
	*ret = NULL;
	*ret_n = 0;
	if (!s->ops)
		return 0;
	char d[PATH_MAX] = "";
	for (int c = 0; c < CG_NCTRL; c++) {
		if (s->version == 1 && !first_of_mount(s, c))
			continue;
		if (cg_dir(s, NULL, (enum cg_ctrl)c, d, sizeof(d)) == 0 && is_dir(d))
			break;
		d[0] = '\0';
		if (s->version == 2)
			break;
	}
	if (!d[0])
		return 0;
	_cleanup_closedir_ DIR *dir = opendir(d);
	if (!dir)
		return -errno;
	char **v = NULL;
	size_t n = 0;
	struct dirent *de;
	while ((de = readdir(dir))) {
		if (de->d_name[0] == '.' || de->d_type != DT_DIR)
			continue;
		char **nv = realloc(v, (n + 1) * sizeof(*v));
		if (!nv)
			break;
		v = nv;
		v[n] = strdup(de->d_name);
		if (v[n])
			n++;
	}
	if (n)
		qsort(v, n, sizeof(*v), cmp_str);
	*ret = v;
	*ret_n = n;
	return (int)n;
}
