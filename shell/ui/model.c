/* model.c - the pane's snapshot: namespaces, cgroups, process trees, calls. */
#include "model.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../kernel/cgroup.h"
#include "../kernel/cleanup.h"
#include "../kernel/procfs.h"

#define REVALIDATE_PER_SCAN 8 /* cached ids re-read per scan: setns/unshare without exec */
#define SEEN_MAX 64

struct ui_cached {
	pid_t pid;
	unsigned long long start;
	char comm[32];
	uint64_t ns[NS_COUNT];
	pid_t nspid;
	int nslevels;
	uint64_t first_ms;
};

struct ui_seen {
	pid_t pid;
	unsigned long long start;
	uint64_t ns[NS_COUNT];
	uint64_t changed_ms[NS_COUNT];
	uint64_t last_ms;
};

uint64_t ui_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

int ui_model_init(struct ui_model *m, int procdir, const char *rundir, const char *cgroot,
		  pid_t host_pid)
{
	memset(m, 0, sizeof(*m));
	m->procdir = procdir;
	snprintf(m->rundir, sizeof(m->rundir), "%s", rundir ? rundir : "");
	snprintf(m->cgroot, sizeof(m->cgroot), "%s", cgroot ? cgroot : "");
	m->host_pid = host_pid;
	m->self_session = host_pid;
	m->proc_cap = 4096;
	m->children_files = -1;
	/* The real cgroup tree: kernel/cgroup knows its layout. Fixtures set cgsys. */
	if (cgroot && strcmp(cgroot, "/sys/fs/cgroup") == 0)
		m->cgsys = cg_host();
	m->seen = calloc(SEEN_MAX, sizeof(*m->seen));
	return m->seen ? 0 : -ENOMEM;
}

void ui_model_free(struct ui_model *m)
{
	free(m->cache);
	free(m->seen);
	free(m->snap.procs);
	m->cache = NULL;
	m->seen = NULL;
	m->snap.procs = NULL;
}

/* ---------------- small readers ---------------- */

/* A whole small file under @dirfd into @buf; -errno when absent. */
static int read_small(int dirfd, const char *path, char *buf, size_t len)
{
	_cleanup_close_ int fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	size_t off = 0;
	while (off + 1 < len) {
		ssize_t n = read(fd, buf + off, len - off - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		off += n;
	}
	buf[off] = '\0';
	return (int)off;
}

/* "12345\n" or "max\n" */
static long long read_num(const char *dir, const char *file)
{
	char path[PATH_MAX + 64], buf[64];
	snprintf(path, sizeof(path), "%s/%s", dir, file);
	if (read_small(AT_FDCWD, path, buf, sizeof(buf)) <= 0)
		return UI_UNKNOWN;
	if (strncmp(buf, "max", 3) == 0)
		return UI_UNLIMITED;
	char *end;
	long long v = strtoll(buf, &end, 10);
	if (end == buf)
		return UI_UNKNOWN;
	/* cgroup v1 says "no limit" with a huge page-rounded number. */
	if (v >= (1LL << 62))
		return UI_UNLIMITED;
	return v;
}

static bool is_dir(const char *p)
{
	_cleanup_close_ int fd = open(p, O_PATH | O_DIRECTORY | O_CLOEXEC);
	return fd >= 0;
}

/* ---------------- cgroups ---------------- */

static void cg_path_of(int procdir, pid_t pid, char *v2, size_t v2len, char *mem, char *pids,
		       char *cpu, size_t len)
{
	char buf[4096];
	v2[0] = mem[0] = pids[0] = cpu[0] = '\0';
	char rel[32];
	snprintf(rel, sizeof(rel), "%d/cgroup", (int)pid);
	if (read_small(procdir, rel, buf, sizeof(buf)) <= 0)
		return;
	char *save = NULL;
	for (char *l = strtok_r(buf, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		/* "hierarchy-ID:controller-list:path" (man 7 cgroups) */
		char *c1 = strchr(l, ':');
		char *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
		if (!c2)
			continue;
		*c1 = *c2 = '\0';
		const char *ctl = c1 + 1, *path = c2 + 1;
		if (strcmp(l, "0") == 0 && !*ctl) {
			snprintf(v2, v2len, "%s", path);
			continue;
		}
		char ctls[256];
		snprintf(ctls, sizeof(ctls), ",%s,", ctl);
		if (strstr(ctls, ",memory,"))
			snprintf(mem, len, "%s", path);
		if (strstr(ctls, ",pids,"))
			snprintf(pids, len, "%s", path);
		if (strstr(ctls, ",cpuacct,"))
			snprintf(cpu, len, "%s", path);
	}
}

/* "/nslab/NAME" (or deeper): NAME into @name. */
static bool nslab_cgroup(const char *path, char *name, size_t len)
{
	static const char prefix[] = "/" CG_PARENT "/";
	if (strncmp(path, prefix, sizeof(prefix) - 1) != 0)
		return false;
	const char *n = path + sizeof(prefix) - 1;
	size_t l = strcspn(n, "/");
	if (!l || l >= len)
		return false;
	memcpy(name, n, l);
	name[l] = '\0';
	return true;
}

static long long from_cg(int64_t v)
{
	if (v == CG_UNKNOWN)
		return UI_UNKNOWN;
	return v == CG_UNLIMITED ? UI_UNLIMITED : (long long)v;
}

void ui_cg_read(int procdir, const char *cgroot, const struct cg_sys *sys, pid_t pid,
		struct ui_cg *cg)
{
	memset(cg, 0, sizeof(*cg));
	cg->mem_cur = cg->mem_max = cg->pids_cur = cg->pids_max = cg->cpu_usec = UI_UNKNOWN;
	char v2[256], mem[256], pids[256], cpu[256];
	cg_path_of(procdir, pid, v2, sizeof(v2), mem, pids, cpu, sizeof(mem));
	if (!v2[0] && !mem[0] && !pids[0])
		return;
	cg->have = true;
	snprintf(cg->path, sizeof(cg->path), "%s", mem[0] ? mem : pids[0] ? pids : v2);
	/* A cgroup nslab made: kernel/cgroup reads it, on v2 or v1 alike. */
	char name[CG_NAME_MAX + 1];
	const char *own = sys && sys->version == 2 ? v2 : cg->path;
	struct cg_stats st;
	if (sys && sys->version && nslab_cgroup(own, name, sizeof(name)) &&
	    cg_stats(sys, name, &st, NULL) == 0) {
		if (own != cg->path)
			snprintf(cg->path, sizeof(cg->path), "%s", own);
		cg->version = sys->version;
		cg->mem_cur = from_cg(st.mem_current);
		cg->mem_max = from_cg(st.mem_max);
		cg->pids_cur = from_cg(st.pids_current);
		cg->pids_max = from_cg(st.pids_max);
		cg->cpu_usec = from_cg(st.cpu_usage_usec);
		return;
	}
	if (!cgroot || !*cgroot)
		return;
	char dir[PATH_MAX + 300], probe[PATH_MAX + 32];
	/* Pure v2 mounts it at the root; hybrid hosts at unified/, usually without controllers. */
	snprintf(probe, sizeof(probe), "%s/cgroup.controllers", cgroot);
	bool v2root = access(probe, F_OK) == 0;
	if (v2[0] && v2root) {
		snprintf(cg->path, sizeof(cg->path), "%s", v2);
		snprintf(dir, sizeof(dir), "%s%s", cgroot, v2);
		cg->version = 2;
		cg->mem_cur = read_num(dir, "memory.current");
		cg->mem_max = read_num(dir, "memory.max");
		cg->pids_cur = read_num(dir, "pids.current");
		cg->pids_max = read_num(dir, "pids.max");
		char stat[1024];
		snprintf(probe, sizeof(probe), "%s/cpu.stat", dir);
		if (read_small(AT_FDCWD, probe, stat, sizeof(stat)) > 0) {
			const char *u = strstr(stat, "usage_usec ");
			if (u)
				cg->cpu_usec = strtoll(u + 11, NULL, 10);
		}
		return;
	}
	if (mem[0]) {
		snprintf(dir, sizeof(dir), "%s/memory%s", cgroot, mem);
		cg->mem_cur = read_num(dir, "memory.usage_in_bytes");
		cg->mem_max = read_num(dir, "memory.limit_in_bytes");
	}
	if (pids[0]) {
		snprintf(dir, sizeof(dir), "%s/pids%s", cgroot, pids);
		cg->pids_cur = read_num(dir, "pids.current");
		cg->pids_max = read_num(dir, "pids.max");
	}
	if (cpu[0]) {
		snprintf(dir, sizeof(dir), "%s/cpuacct%s", cgroot, cpu);
		if (!is_dir(dir))
			snprintf(dir, sizeof(dir), "%s/cpu,cpuacct%s", cgroot, cpu);
		long long ns = read_num(dir, "cpuacct.usage");
		cg->cpu_usec = ns >= 0 ? ns / 1000 : UI_UNKNOWN;
	}
	if (cg->mem_cur != UI_UNKNOWN || cg->pids_cur != UI_UNKNOWN)
		cg->version = 1;
}

/* ---------------- the boxes of every nslab run ---------------- */

static int cmp_box(const void *a, const void *b, void *self)
{
	const struct ui_boxrec *x = a, *y = b;
	pid_t s = *(pid_t *)self;
	if ((x->session == s) != (y->session == s))
		return x->session == s ? -1 : 1;
	if (x->session != y->session)
		return x->session < y->session ? -1 : 1;
	return strcmp(x->name, y->name);
}

size_t ui_boxes_list(int procdir, const char *rundir, pid_t self, struct ui_boxrec *out,
		     size_t max)
{
	size_t n = 0;
	if (!rundir || !*rundir)
		return 0;
	_cleanup_closedir_ DIR *d = opendir(rundir);
	if (!d)
		return 0;
	struct dirent *de;
	while ((de = readdir(d)) && n < max) {
		if (!isdigit((unsigned char)de->d_name[0]))
			continue;
		char bdir[PATH_MAX + 300];
		snprintf(bdir, sizeof(bdir), "%s/%s/boxes", rundir, de->d_name);
		_cleanup_closedir_ DIR *bd = opendir(bdir);
		if (!bd)
			continue;
		struct dirent *be;
		while ((be = readdir(bd)) && n < max) {
			if (be->d_name[0] == '.' || strlen(be->d_name) > 32)
				continue;
			char path[PATH_MAX + 600], buf[64];
			snprintf(path, sizeof(path), "%s/%s/pid", bdir, be->d_name);
			int pid;
			unsigned long long start;
			if (read_small(AT_FDCWD, path, buf, sizeof(buf)) <= 0 ||
			    sscanf(buf, "%d %llu", &pid, &start) != 2 || pid <= 0)
				continue;
			struct proc_stat st;
			if (proc_stat_read(procdir, pid, &st) < 0 || st.starttime != start)
				continue; /* gone, or the pid was reused */
			struct ui_boxrec *r = &out[n++];
			snprintf(r->name, sizeof(r->name), "%s", be->d_name);
			r->session = (pid_t)atoi(de->d_name);
			r->pid = pid;
			r->start = start;
		}
	}
	qsort_r(out, n, sizeof(*out), cmp_box, &self);
	return n;
}

/* ---------------- processes ---------------- */

struct node {
	struct proc_stat st;
	size_t cache;  /* index into the new cache, or (size_t)-1 */
	size_t parent; /* index of the node whose children file named it */
	size_t kids_first, kids_n; /* into the sorted child index */
};

struct vec {
	struct node *v;
	size_t n, cap;
};

static struct node *vec_push(struct vec *v)
{
	if (v->n == v->cap) {
		size_t nc = v->cap ? v->cap * 2 : 64;
		struct node *nv = realloc(v->v, nc * sizeof(*nv));
		if (!nv)
			return NULL;
		v->v = nv;
		v->cap = nc;
	}
	memset(&v->v[v->n], 0, sizeof(v->v[0]));
	return &v->v[v->n++];
}

struct pids {
	pid_t *v;
	size_t n, cap;
};

static int pids_push(struct pids *p, pid_t pid)
{
	if (p->n == p->cap) {
		size_t nc = p->cap ? p->cap * 2 : 64;
		pid_t *nv = realloc(p->v, nc * sizeof(*nv));
		if (!nv)
			return -ENOMEM;
		p->v = nv;
		p->cap = nc;
	}
	p->v[p->n++] = pid;
	return 0;
}

static void parse_pid_list(const char *s, struct pids *out)
{
	while (*s) {
		while (*s == ' ' || *s == '\n')
			s++;
		if (!isdigit((unsigned char)*s))
			break;
		pids_push(out, (pid_t)strtol(s, (char **)&s, 10));
	}
}

/* The children of @pid: /proc/PID/task/TID/children (Linux 3.5, CONFIG_PROC_CHILDREN),
 * one file per thread. Returns -ENOENT when the kernel has no such files. */
static int read_children(int procdir, pid_t pid, int nthreads, struct pids *out)
{
	char rel[64];
	snprintf(rel, sizeof(rel), "task/%d/children", (int)pid);
	/* A shell with 2,000 children writes 10 kB here: read it whole. */
	_cleanup_free_ char *list = NULL;
	int r = proc_read(procdir, pid, rel, &list, NULL, NULL);
	if (r == -ENOENT) {
		snprintf(rel, sizeof(rel), "%d/task", (int)pid);
		_cleanup_close_ int fd = openat(procdir, rel, O_PATH | O_DIRECTORY | O_CLOEXEC);
		return fd >= 0 ? -ENOENT : -ESRCH; /* no children file, or no process */
	}
	if (r < 0)
		return r;
	parse_pid_list(list, out);
	if (nthreads <= 1)
		return 0;
	/* A thread other than the main one may have forked too. */
	snprintf(rel, sizeof(rel), "%d/task", (int)pid);
	int fd = openat(procdir, rel, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	_cleanup_closedir_ DIR *d = fdopendir(fd);
	if (!d) {
		close(fd);
		return 0;
	}
	struct dirent *de;
	while ((de = readdir(d))) {
		if (!isdigit((unsigned char)de->d_name[0]) || atoi(de->d_name) == (int)pid)
			continue;
		snprintf(rel, sizeof(rel), "task/%.16s/children", de->d_name);
		_cleanup_free_ char *more = NULL;
		if (proc_read(procdir, pid, rel, &more, NULL, NULL) == 0)
			parse_pid_list(more, out);
	}
	return 0;
}

static int cmp_cached(const void *a, const void *b)
{
	const struct ui_cached *x = a, *y = b;
	return (x->pid > y->pid) - (x->pid < y->pid);
}

static struct ui_cached *cache_find(struct ui_cached *c, size_t n, pid_t pid)
{
	struct ui_cached key = { .pid = pid };
	if (!n)
		return NULL;
	return bsearch(&key, c, n, sizeof(*c), cmp_cached);
}

static void read_nspid(int procdir, struct ui_cached *c)
{
	_cleanup_free_ char *status = NULL;
	char v[128];
	c->nspid = c->pid;
	c->nslevels = 1;
	if (proc_read(procdir, c->pid, "status", &status, NULL, NULL) < 0 ||
	    proc_status_field(status, "NSpid", v, sizeof(v)) < 0)
		return;
	/* "4242 1": the last column is the PID in the innermost namespace. */
	char *save = NULL;
	c->nslevels = 0;
	for (char *w = strtok_r(v, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
		c->nspid = (pid_t)atoi(w);
		c->nslevels++;
	}
}

struct scan {
	struct ui_model *m;
	uint64_t now;
	struct ui_cached *ncache; /* this scan's cache, unsorted until the end */
	size_t nn, ncap;
	size_t reval_left;
	struct vec all; /* the whole of /proc, when there are no children files */
};

/* Facts about one process, from the cache when it is known. */
static long cached_facts(struct scan *s, const struct proc_stat *st)
{
	struct ui_model *m = s->m;
	if (s->nn == s->ncap) {
		size_t nc = s->ncap ? s->ncap * 2 : 128;
		struct ui_cached *nv = realloc(s->ncache, nc * sizeof(*nv));
		if (!nv)
			return -ENOMEM;
		s->ncache = nv;
		s->ncap = nc;
	}
	struct ui_cached *old = cache_find(m->cache, m->ncache, st->pid);
	struct ui_cached *c = &s->ncache[s->nn];
	if (old && old->start == st->starttime) {
		*c = *old;
		/* An exec after unshare(1) or nsenter(1) changes the name: read again then,
		 * and a few others each scan, so setns without exec is seen too. */
		bool again = strcmp(old->comm, st->comm) != 0;
		if (!again && s->reval_left && (size_t)(old - m->cache) % 64 == m->revalidate % 64) {
			again = true;
			s->reval_left--;
		}
		uint64_t ids[NS_COUNT];
		if (again && ns_read_ids(m->procdir, st->pid, ids) > 0) {
			memcpy(c->ns, ids, sizeof(ids));
			read_nspid(m->procdir, c);
		}
	} else {
		memset(c, 0, sizeof(*c));
		c->pid = st->pid;
		c->start = st->starttime;
		/* What the first scan finds was there before: not news. */
		c->first_ms = m->snap.version ? s->now : 0;
		if (ns_read_ids(m->procdir, st->pid, c->ns) < 0)
			return -ESRCH;
		read_nspid(m->procdir, c);
	}
	memcpy(c->comm, st->comm, sizeof(c->comm));
	return (long)s->nn++;
}

static int cmp_node_pid(const void *a, const void *b)
{
	const struct node *x = a, *y = b;
	return (x->st.pid > y->st.pid) - (x->st.pid < y->st.pid);
}

/* Read the whole of /proc once (only when the kernel has no children files). */
static int load_all(struct scan *s)
{
	pid_t *pids;
	size_t n;
	int r = proc_list_pids(s->m->procdir, &pids, &n);
	if (r < 0)
		return r;
	for (size_t i = 0; i < n; i++) {
		struct proc_stat st;
		if (proc_stat_read(s->m->procdir, pids[i], &st) < 0)
			continue;
		struct node *nd = vec_push(&s->all);
		if (!nd)
			break;
		nd->st = st;
	}
	free(pids);
	return 0;
}

static void kids_from_all(struct scan *s, pid_t pid, struct pids *out)
{
	for (size_t i = 0; i < s->all.n; i++)
		if (s->all.v[i].st.ppid == pid && s->all.v[i].st.pid != pid)
			pids_push(out, s->all.v[i].st.pid);
}

static int stat_of(struct scan *s, pid_t pid, struct proc_stat *st)
{
	if (s->m->children_files == 0) {
		struct node key = { .st.pid = pid };
		if (!s->all.n)
			return -ESRCH;
		struct node *nd = bsearch(&key, s->all.v, s->all.n, sizeof(key), cmp_node_pid);
		if (!nd)
			return -ESRCH;
		*st = nd->st;
		return 0;
	}
	return proc_stat_read(s->m->procdir, pid, st);
}

static const struct node *sort_nodes;

static int cmp_child(const void *a, const void *b)
{
	const struct node *x = &sort_nodes[*(const size_t *)a], *y = &sort_nodes[*(const size_t *)b];
	if (x->parent != y->parent)
		return x->parent < y->parent ? -1 : 1;
	return (x->st.pid > y->st.pid) - (x->st.pid < y->st.pid);
}

static struct ui_proc *snap_push(struct ui_snap *sn)
{
	if (sn->nprocs % 256 == 0) {
		struct ui_proc *np = realloc(sn->procs, (sn->nprocs + 256) * sizeof(*sn->procs));
		if (!np)
			return NULL;
		sn->procs = np;
	}
	struct ui_proc *p = &sn->procs[sn->nprocs++];
	memset(p, 0, sizeof(*p));
	return p;
}

static void emit(struct scan *s, const struct node *nd, int depth, uint64_t more, bool last,
		 const uint64_t *ref)
{
	struct ui_snap *sn = &s->m->snap;
	if (nd->cache == (size_t)-1)
		return;
	struct ui_proc *p = snap_push(sn);
	if (!p)
		return;
	const struct ui_cached *c = &s->ncache[nd->cache];
	p->p.pid = nd->st.pid;
	p->p.ppid = nd->st.ppid;
	memcpy(p->p.comm, nd->st.comm, sizeof(p->p.comm));
	memcpy(p->p.ns, c->ns, sizeof(c->ns));
	p->p.nspid = c->nspid;
	p->p.nslevels = c->nslevels;
	p->start = nd->st.starttime;
	p->depth = depth;
	p->more = more;
	p->last = last;
	/* The first scan shows what is there; only later arrivals are news. */
	p->fresh = c->first_ms && s->now - c->first_ms < UI_FLASH_MS;
	for (int k = 0; k < NS_COUNT; k++)
		if (p->p.ns[k] && ref[k] && p->p.ns[k] != ref[k])
			p->ns_new |= 1u << k;
}

struct walk {
	struct vec nodes;   /* nodes[0] is the root */
	struct pids kids;   /* children, grouped by parent, in pid order after walk_done */
	size_t *idx;        /* nodes 1.. sorted by (parent, pid) */
	size_t found;       /* processes seen, also those past the cap */
};

static void walk_free(struct walk *wk)
{
	free(wk->nodes.v);
	free(wk->kids.v);
	free(wk->idx);
}

/* Breadth first from @pid (its starttime must be @start, when not 0), over
 * the children files; @skip and its subtree are left out. */
static int walk(struct scan *s, pid_t pid, unsigned long long start, pid_t skip,
		struct walk *wk)
{
	struct ui_model *m = s->m;
	memset(wk, 0, sizeof(*wk));
	if (m->children_files == 0 && !s->all.n && load_all(s) == 0 && s->all.n)
		qsort(s->all.v, s->all.n, sizeof(s->all.v[0]), cmp_node_pid);
	struct node *root = vec_push(&wk->nodes);
	if (!root)
		return -ENOMEM;
	if (stat_of(s, pid, &root->st) < 0 || (start && root->st.starttime != start))
		return -ESRCH;
	wk->found = 1;
	for (size_t i = 0; i < wk->nodes.n; i++) {
		wk->kids.n = 0;
		if (m->children_files != 0) {
			int cr = read_children(m->procdir, wk->nodes.v[i].st.pid,
					       wk->nodes.v[i].st.nthreads, &wk->kids);
			if (cr == -ENOENT && m->children_files == -1)
				m->children_files = 0; /* this kernel has none: read /proc whole */
			else if (cr == 0)
				m->children_files = 1;
		}
		if (m->children_files == 0) {
			if (!s->all.n && load_all(s) == 0 && s->all.n)
				qsort(s->all.v, s->all.n, sizeof(s->all.v[0]), cmp_node_pid);
			kids_from_all(s, wk->nodes.v[i].st.pid, &wk->kids);
		}
		for (size_t k = 0; k < wk->kids.n; k++) {
			if (wk->kids.v[k] == skip)
				continue;
			wk->found++;
			if (wk->nodes.n >= m->proc_cap)
				continue;
			struct node *nd = vec_push(&wk->nodes);
			if (!nd)
				break;
			if (stat_of(s, wk->kids.v[k], &nd->st) < 0) {
				wk->nodes.n--; /* it ended while we looked */
				wk->found--;
				continue;
			}
			nd->parent = i;
		}
	}
	for (size_t i = 0; i < wk->nodes.n; i++) {
		long c = cached_facts(s, &wk->nodes.v[i].st);
		wk->nodes.v[i].cache = c < 0 ? (size_t)-1 : (size_t)c;
	}
	/* Children of each node, in pid order. */
	wk->idx = malloc((wk->nodes.n ? wk->nodes.n : 1) * sizeof(*wk->idx));
	if (!wk->idx)
		return -ENOMEM;
	size_t nk = 0;
	for (size_t i = 1; i < wk->nodes.n; i++)
		wk->idx[nk++] = i;
	sort_nodes = wk->nodes.v;
	qsort(wk->idx, nk, sizeof(*wk->idx), cmp_child);
	for (size_t j = 0; j < nk; j++) {
		struct node *par = &wk->nodes.v[wk->nodes.v[wk->idx[j]].parent];
		if (!par->kids_n)
			par->kids_first = j;
		par->kids_n++;
	}
	return 0;
}

static const uint64_t *ns_of(const struct scan *s, const struct node *nd)
{
	return nd->cache != (size_t)-1 ? s->ncache[nd->cache].ns : NULL;
}

/* Lay out the subtree of node @top depth first, as pstree does. */
static int layout(struct scan *s, const struct walk *wk, size_t top, const uint64_t *ref)
{
	struct frame {
		size_t node, k;
		int depth;
	};
	_cleanup_free_ struct frame *stack = malloc((wk->nodes.n + 1) * sizeof(*stack));
	if (!stack)
		return -ENOMEM;
	emit(s, &wk->nodes.v[top], 0, 0, true, ref);
	size_t sp = 0;
	uint64_t more = 0;
	stack[sp++] = (struct frame){ top, 0, 0 };
	while (sp) {
		struct frame *f = &stack[sp - 1];
		const struct node *nd = &wk->nodes.v[f->node];
		if (f->k == nd->kids_n) {
			sp--;
			continue;
		}
		size_t child = wk->idx[nd->kids_first + f->k++];
		bool last = f->k == nd->kids_n;
		int depth = f->depth + 1;
		/* bit d-1 of "more": the level-d guide line goes on below. */
		uint64_t above = depth > 1 && depth <= 64 ? more & ((1ULL << (depth - 1)) - 1) : 0;
		if (depth <= 64) {
			if (last)
				more &= ~(1ULL << (depth - 1));
			else
				more |= 1ULL << (depth - 1);
		}
		const uint64_t *pref = ns_of(s, nd);
		emit(s, &wk->nodes.v[child], depth, above, last, pref ? pref : ref);
		stack[sp++] = (struct frame){ child, 0, depth };
	}
	return 0;
}

/* Does a process with @ns share one of the namespaces that make @t a box? */
static bool joined(const struct ui_target *t, const uint64_t *ns)
{
	for (int k = 0; ns && k < NS_COUNT; k++)
		if ((t->differs & (1u << k)) && ns[k] == t->ns[k])
			return true;
	return false;
}

/* The target's processes: its own subtree, then (for a box) the processes
 * of its nslab session that entered its namespaces with setns (run, sh):
 * they descend from the shell, not from the box's PID 1. */
static int scan_tree(struct scan *s, struct ui_target *t, const struct ui_target *host)
{
	struct ui_snap *sn = &s->m->snap;
	struct walk wk;
	t->first = sn->nprocs;
	int r = walk(s, t->pid, t->start, 0, &wk);
	if (r == 0)
		r = layout(s, &wk, 0, host->ns);
	t->total = wk.found;
	walk_free(&wk);
	if (r < 0 || t->session <= 0 || !t->differs)
		goto out;
	if (walk(s, t->session, 0, t->pid, &wk) == 0) {
		for (size_t i = 1; i < wk.nodes.n; i++) {
			const struct node *nd = &wk.nodes.v[i];
			if (!joined(t, ns_of(s, nd)) || joined(t, ns_of(s, &wk.nodes.v[nd->parent])))
				continue;
			size_t before = sn->nprocs;
			layout(s, &wk, i, host->ns);
			t->total += sn->nprocs - before;
		}
	}
	walk_free(&wk);
out:
	t->count = sn->nprocs - t->first;
	return r;
}

static struct ui_seen *seen_for(struct ui_model *m, const struct ui_target *t, bool *isnew)
{
	struct ui_seen *free_slot = NULL, *oldest = &m->seen[0];
	for (size_t i = 0; i < SEEN_MAX; i++) {
		struct ui_seen *x = &m->seen[i];
		if (x->pid == t->pid && x->start == t->start) {
			*isnew = false;
			return x;
		}
		if (!x->pid && !free_slot)
			free_slot = x;
		if (x->last_ms < oldest->last_ms)
			oldest = x;
	}
	struct ui_seen *x = free_slot ? free_slot : oldest;
	memset(x, 0, sizeof(*x));
	x->pid = t->pid;
	x->start = t->start;
	*isnew = true;
	return x;
}

static void fill_target(struct scan *s, struct ui_target *t, const struct ui_target *host)
{
	struct ui_model *m = s->m;
	ns_read_ids(m->procdir, t->pid, t->ns);
	bool isnew;
	struct ui_seen *seen = seen_for(m, t, &isnew);
	for (int k = 0; k < NS_COUNT; k++) {
		if (t->ns[k] != host->ns[k])
			t->differs |= 1u << k;
		/* Changed since the last look; or a box that just appeared: its new namespaces. */
		if ((!isnew && seen->ns[k] != t->ns[k]) ||
		    (isnew && m->snap.version != 0 && (t->differs & (1u << k))))
			seen->changed_ms[k] = s->now;
		if (seen->changed_ms[k] && s->now - seen->changed_ms[k] < UI_FLASH_MS)
			t->flash |= 1u << k;
	}
	memcpy(seen->ns, t->ns, sizeof(t->ns));
	seen->last_ms = s->now;
	ui_cg_read(m->procdir, m->cgroot, m->cgsys, t->pid, &t->cg);
	if (t->cg.have && host->cg.have && strcmp(t->cg.path, host->cg.path) == 0) {
		/* No cgroup of its own: the figures of nslab's cgroup (on a v1
		 * host often the root: the whole machine's CPU, no pids files)
		 * would be shown as the box's. Show none. */
		t->cg.same_as_host = true;
		t->cg.version = 0;
		t->cg.mem_cur = t->cg.mem_max = t->cg.pids_cur = t->cg.pids_max = t->cg.cpu_usec =
			UI_UNKNOWN;
	}

	scan_tree(s, t, host);
}

static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
	const unsigned char *c = p;
	for (size_t i = 0; i < n; i++)
		h = (h ^ c[i]) * 1099511628211ULL;
	return h;
}

static uint64_t digest(const struct ui_snap *sn)
{
	uint64_t h = 1469598103934665603ULL;
	h = fnv(h, sn->host_ns, sizeof(sn->host_ns));
	h = fnv(h, &sn->nt, sizeof(sn->nt));
	for (size_t i = 0; i < sn->nt; i++) {
		const struct ui_target *t = &sn->t[i];
		h = fnv(h, t->name, strlen(t->name));
		h = fnv(h, t->ns, sizeof(t->ns));
		h = fnv(h, &t->flash, sizeof(t->flash));
		h = fnv(h, &t->current, sizeof(t->current));
		h = fnv(h, &t->total, sizeof(t->total));
		const long long cg[] = { t->cg.mem_cur, t->cg.mem_max, t->cg.pids_cur, t->cg.pids_max,
					 t->cg.cpu_usec };
		h = fnv(h, cg, sizeof(cg));
	}
	for (size_t i = 0; i < sn->nprocs; i++) {
		const struct ui_proc *p = &sn->procs[i];
		h = fnv(h, &p->p.pid, sizeof(p->p.pid));
		h = fnv(h, &p->p.nspid, sizeof(p->p.nspid));
		h = fnv(h, p->p.comm, strlen(p->p.comm));
		h = fnv(h, &p->fresh, sizeof(p->fresh));
		h = fnv(h, &p->ns_new, sizeof(p->ns_new));
	}
	for (size_t i = 0; i < sn->ncalls; i++) {
		h = fnv(h, &sn->calls[i].r.seq, sizeof(uint32_t));
		h = fnv(h, &sn->calls[i].fresh, sizeof(bool));
	}
	return h;
}

static void scan_calls(struct ui_model *m, uint64_t now)
{
	struct ui_snap *sn = &m->snap;
	uint32_t last = tr_last_seq();
	struct tr_rec recs[UI_CALLS];
	size_t n = tr_since(last > UI_CALLS ? last - UI_CALLS : 0, recs, UI_CALLS);
	sn->ncalls = n;
	for (size_t i = 0; i < n; i++) {
		size_t slot = recs[i].seq % TR_RING;
		if (m->call_seq[slot] != recs[i].seq) {
			m->call_seq[slot] = recs[i].seq;
			m->call_seen_ms[slot] = now;
		}
		sn->calls[i].r = recs[i];
		sn->calls[i].fresh = now - m->call_seen_ms[slot] < UI_FLASH_MS;
	}
}

int ui_model_scan(struct ui_model *m, const struct ui_want *w, uint64_t now_ms)
{
	struct ui_snap *sn = &m->snap;
	struct timespec c0, u0;
	clock_gettime(CLOCK_MONOTONIC, &c0);
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &u0);
	struct scan s = { .m = m, .now = now_ms, .reval_left = REVALIDATE_PER_SCAN };
	sn->now_ms = now_ms;
	sn->nt = 0;
	sn->nprocs = 0;
	sn->more_targets = 0;
	sn->ncalls = 0;
	sn->focus = w->pid > 0;
	int r = ns_read_ids(m->procdir, m->host_pid, sn->host_ns);
	if (r < 0)
		return r;
	struct ui_target host = { .pid = m->host_pid };
	memcpy(host.ns, sn->host_ns, sizeof(host.ns));
	ui_cg_read(m->procdir, m->cgroot, m->cgsys, m->host_pid, &host.cg);

	if (w->pid > 0) {
		struct proc_stat st;
		if (proc_stat_read(m->procdir, w->pid, &st) == 0) {
			struct ui_target *t = &sn->t[sn->nt++];
			memset(t, 0, sizeof(*t));
			if (w->name)
				snprintf(t->name, sizeof(t->name), "%s", w->name);
			else
				snprintf(t->name, sizeof(t->name), "PID %d", (int)w->pid);
			t->pid = w->pid;
			t->session = w->session;
			t->start = st.starttime;
			t->current = w->current && w->name && strcmp(w->current, w->name) == 0;
		}
	} else {
		struct ui_boxrec recs[UI_TARGETS_MAX + 16];
		size_t n = ui_boxes_list(m->procdir, m->rundir, m->self_session, recs,
					 ARRAY_SIZE(recs));
		for (size_t i = 0; i < n; i++) {
			if (sn->nt == UI_TARGETS_MAX) {
				sn->more_targets++;
				continue;
			}
			struct ui_target *t = &sn->t[sn->nt++];
			memset(t, 0, sizeof(*t));
			snprintf(t->name, sizeof(t->name), "%s", recs[i].name);
			t->session = recs[i].session;
			t->pid = recs[i].pid;
			t->start = recs[i].start;
			t->current = w->current && recs[i].session == m->self_session &&
				     strcmp(w->current, recs[i].name) == 0;
		}
	}
	m->revalidate++;
	for (size_t i = 0; i < sn->nt; i++)
		fill_target(&s, &sn->t[i], &host);
	/* Boxes of another nslab run are marked, when this run has boxes of its
	 * own to tell them from (a lone `nslab top` owns none). */
	bool own = false;
	for (size_t i = 0; i < sn->nt; i++)
		own |= sn->t[i].session > 0 && sn->t[i].session == m->self_session;
	for (size_t i = 0; i < sn->nt; i++)
		sn->t[i].other = own && sn->t[i].session > 0 && sn->t[i].session != m->self_session;
	if (w->calls)
		scan_calls(m, now_ms);
	sn->full_scan = m->children_files == 0;

	/* This scan's cache replaces the last one. */
	if (s.nn)
		qsort(s.ncache, s.nn, sizeof(*s.ncache), cmp_cached);
	size_t u = 0;
	for (size_t i = 0; i < s.nn; i++)
		if (!u || s.ncache[u - 1].pid != s.ncache[i].pid)
			s.ncache[u++] = s.ncache[i];
	free(m->cache);
	m->cache = s.ncache;
	m->ncache = u;
	free(s.all.v);

	uint64_t h = digest(sn);
	if (h != m->sig || sn->version == 0) {
		m->sig = h;
		sn->version++;
	}
	struct timespec c1, u1;
	clock_gettime(CLOCK_MONOTONIC, &c1);
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &u1);
	sn->scan_us = (c1.tv_sec - c0.tv_sec) * 1000000L + (c1.tv_nsec - c0.tv_nsec) / 1000;
	sn->scan_cpu_us = (u1.tv_sec - u0.tv_sec) * 1000000L + (u1.tv_nsec - u0.tv_nsec) / 1000;
	return 0;
}
