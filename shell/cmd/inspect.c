/* inspect.c - ns, proc, tree: what the kernel says about processes. */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../box/box.h"
#include "../kernel/cleanup.h"
#include "../kernel/ns.h"
#include "../kernel/procfs.h"
#include "../kernel/ptree.h"
#include "cmd.h"

pid_t resolve_pid(struct nslab *ctx, const char *word)
{
	if (!word) {
		if (ctx->cur && !box_poll_dead(ctx->cur))
			return ctx->cur->pid;
		return getpid();
	}
	struct box *b = box_find(ctx, word);
	if (b)
		return b->pid;
	if (strcmp(word, "self") == 0)
		return getpid();
	long long v;
	if (parse_long(word, 1, 4194304, &v) < 0) {
		out_msg(ctx, _("'%s' is neither a PID nor a box name"), word);
		return -1;
	}
	char path[32];
	snprintf(path, sizeof(path), "/proc/%lld", v);
	if (access(path, F_OK) < 0) {
		out_msg(ctx, _("no process %lld (it may have ended; 'tree' shows what runs)"), v);
		return -1;
	}
	return (pid_t)v;
}

/* ---------------- ns ---------------- */

static int exec_ns(struct nslab *ctx, int argc, char **argv)
{
	pid_t pid = resolve_pid(ctx, argc > 1 ? argv[1] : NULL);
	if (pid < 0)
		return CMD_FAIL;
	_cleanup_close_ int proc = proc_open_root();
	uint64_t host[NS_COUNT], them[NS_COUNT];
	if (proc < 0 || ns_read_ids(proc, getpid(), host) < 0 || ns_read_ids(proc, pid, them) < 0) {
		struct nerr e;
		nerr_set(&e, ESRCH, "open", "open(\"/proc/%d/ns\")", (int)pid);
		return out_nerr(ctx, &e);
	}
	char head[64];
	snprintf(head, sizeof(head), "PID %d", (int)pid);
	out_col(ctx, _("NS"), 8);
	out_col(ctx, _("HOST"), 13);
	out(ctx, "%s\n", head);
	int differ = 0;
	for (int i = 0; i < NS_COUNT; i++) {
		bool d = host[i] != them[i];
		differ += d;
		out(ctx, "%-7s %-12llu %-12llu %s\n", ns_types[i].name, (unsigned long long)host[i],
		    (unsigned long long)them[i], d ? _("* differs") : "");
	}
	out(ctx, _("%d of %d namespaces differ from the host's\n"), differ, NS_COUNT);
	return CMD_OK;
}

CMD_REGISTER(ns_cmd) = {
	.name = "ns",
	.args = "[PID|BOX]",
	.summary = N_("namespace ids of a process beside the host's"),
	.help = N_("Reads /proc/PID/ns/*: each link names a namespace by its inode number. Two "
		   "processes share a namespace exactly when the numbers are equal."),
	.min_args = 0,
	.max_args = 1,
	.complete = COMPLETE_BOX,
	.exec = exec_ns,
};

/* ---------------- proc ---------------- */

static void print_nul_separated(struct nslab *ctx, const char *buf, size_t len, char sep)
{
	for (size_t i = 0; i < len; i++)
		out(ctx, "%c", buf[i] ? buf[i] : sep);
	if (len && buf[len - 1] != '\n')
		out(ctx, "\n");
}

static int print_link(struct nslab *ctx, pid_t pid, const char *name)
{
	char path[PATH_MAX], target[PATH_MAX];
	snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, name);
	ssize_t n = readlink(path, target, sizeof(target) - 1);
	if (n < 0) {
		struct nerr e;
		nerr_set(&e, errno, "readlink", "readlink(\"%s\")", path);
		return out_nerr(ctx, &e);
	}
	target[n] = '\0';
	out(ctx, "%s -> %s\n", name, target);
	return CMD_OK;
}

static int print_dir_links(struct nslab *ctx, pid_t pid, const char *dir)
{
	char path[PATH_MAX];
	snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, dir);
	_cleanup_closedir_ DIR *d = opendir(path);
	if (!d) {
		struct nerr e;
		nerr_set(&e, errno, "open", "opendir(\"%s\")", path);
		return out_nerr(ctx, &e);
	}
	struct dirent *de;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		char rel[PATH_MAX];
		snprintf(rel, sizeof(rel), "%s/%.200s", dir, de->d_name);
		print_link(ctx, pid, rel);
	}
	return CMD_OK;
}

static int print_file(struct nslab *ctx, pid_t pid, const char *name, char nulsep)
{
	_cleanup_close_ int proc = proc_open_root();
	_cleanup_free_ char *buf = NULL;
	size_t len;
	struct nerr e = { 0 };
	if (proc_read(proc, pid, name, &buf, &len, &e) < 0)
		return out_nerr(ctx, &e);
	print_nul_separated(ctx, buf, len, nulsep);
	return CMD_OK;
}

static int proc_summary(struct nslab *ctx, pid_t pid)
{
	_cleanup_close_ int proc = proc_open_root();
	_cleanup_free_ char *status = NULL;
	struct nerr e = { 0 };
	if (proc_read(proc, pid, "status", &status, NULL, &e) < 0)
		return out_nerr(ctx, &e);
	static const char *const keys[] = { "Name", "State", "PPid", "NSpid", "Uid", "Gid", "Threads",
					    "CapEff", "NoNewPrivs", "Seccomp" };
	for (size_t i = 0; i < ARRAY_SIZE(keys); i++) {
		char v[256];
		if (proc_status_field(status, keys[i], v, sizeof(v)) == 0)
			out(ctx, "%-11s %s\n", keys[i], v);
	}
	_cleanup_free_ char *cmd = NULL;
	size_t len;
	if (proc_read(proc, pid, "cmdline", &cmd, &len, NULL) == 0) {
		out(ctx, "%-11s ", "cmdline");
		print_nul_separated(ctx, cmd, len, ' ');
		if (!len)
			out(ctx, "\n");
	}
	print_link(ctx, pid, "cwd");
	print_link(ctx, pid, "exe");
	print_link(ctx, pid, "root");
	return CMD_OK;
}

/* Host-wide files a learner reads in lab 00. */
static const char *const host_files[] = { "cpuinfo", "meminfo", "uptime", "loadavg", "version",
					  "filesystems", "partitions", "mounts", "stat",
					  "cgroups", "swaps", NULL };

static int exec_proc(struct nslab *ctx, int argc, char **argv)
{
	for (int i = 0; host_files[i]; i++)
		if (argc == 2 && strcmp(argv[1], host_files[i]) == 0)
			return print_file(ctx, 0, host_files[i], '\n');
	pid_t pid = resolve_pid(ctx, argv[1]);
	if (pid < 0)
		return CMD_FAIL;
	if (argc == 2)
		return proc_summary(ctx, pid);
	const char *f = argv[2];
	if (!strcmp(f, "cmdline"))
		return print_file(ctx, pid, f, ' ');
	if (!strcmp(f, "environ"))
		return print_file(ctx, pid, f, '\n');
	if (!strcmp(f, "cwd") || !strcmp(f, "exe") || !strcmp(f, "root"))
		return print_link(ctx, pid, f);
	if (!strcmp(f, "fd") || !strcmp(f, "ns"))
		return print_dir_links(ctx, pid, f);
	static const char *const text[] = { "status", "maps", "cgroup", "stat", "mountinfo",
					    "uid_map", "gid_map", "setgroups", "limits",
					    "timens_offsets", "mounts", "oom_score", "comm", NULL };
	for (int i = 0; text[i]; i++)
		if (!strcmp(f, text[i]))
			return print_file(ctx, pid, f, '\n');
	out_msg(ctx, _("proc: unknown field '%s'"), f);
	out_msg(ctx, _("fields: status cmdline cwd exe root environ fd maps ns cgroup stat mountinfo "
		       "uid_map gid_map setgroups limits timens_offsets; host files: cpuinfo meminfo "
		       "uptime loadavg version filesystems partitions mounts"));
	return CMD_USAGE;
}

CMD_REGISTER(proc_cmd) = {
	.name = "proc",
	.args = "PID|BOX [FIELD] | FILE",
	.summary = N_("read /proc: a process's files, or a host file like cpuinfo"),
	.help = N_("proc PID shows a summary from /proc/PID/status; proc PID FIELD shows one "
		   "file (status cmdline cwd exe root environ fd maps ns cgroup stat mountinfo "
		   "uid_map gid_map ...); proc cpuinfo (meminfo uptime loadavg version "
		   "filesystems partitions) reads the host's."),
	.min_args = 1,
	.max_args = 2,
	.complete = COMPLETE_BOX,
	.exec = exec_proc,
};

/* ---------------- tree ---------------- */

struct tree_ctx {
	struct nslab *ctx;
	const struct ptree *t;
	pid_t *kids; /* children of each node: index into t->v, grouped by parent */
	size_t *first, *count;
	char prefix[512];
};

static void tree_print(struct tree_ctx *tc, size_t idx, const struct pnode *parent, bool last,
		       bool top)
{
	const struct pnode *p = &tc->t->v[idx];
	char mark[160] = "";
	bool unread = true;
	for (int i = 0; i < NS_COUNT; i++)
		unread &= p->ns[i] == 0;
	if (unread) {
		/* /proc/PID/ns could not be read (PID 1's, even by root, on some
		 * hosts): its namespaces are unknown, and so is what its children
		 * have that is new. */
		snprintf(mark, sizeof(mark), "  ? %s", _("namespaces unknown (/proc/PID/ns cannot be read)"));
	} else if (parent) {
		size_t off = 0;
		for (int i = 0; i < NS_COUNT; i++)
			if (p->ns[i] && parent->ns[i] && p->ns[i] != parent->ns[i])
				off += snprintf(mark + off, sizeof(mark) - off, "%s%s", off ? " " : "",
						ns_types[i].name);
		if (off) {
			char tmp[200];
			snprintf(tmp, sizeof(tmp), "  ◆ %s: %s", _("new ns"), mark);
			snprintf(mark, sizeof(mark), "%s", tmp);
		}
	}
	char ids[48];
	if (p->nspid && p->nspid != p->pid)
		snprintf(ids, sizeof(ids), "%d=%d", (int)p->pid, (int)p->nspid);
	else
		snprintf(ids, sizeof(ids), "%d", (int)p->pid);
	out(tc->ctx, "%s%s%s(%s)%s\n", tc->prefix, top ? "" : (last ? "└─ " : "├─ "), p->comm, ids,
	    mark);
	size_t plen = strlen(tc->prefix);
	if (!top && plen + 8 < sizeof(tc->prefix))
		snprintf(tc->prefix + plen, sizeof(tc->prefix) - plen, "%s", last ? "   " : "│  ");
	for (size_t k = 0; k < tc->count[idx]; k++)
		tree_print(tc, (size_t)tc->kids[tc->first[idx] + k], p, k + 1 == tc->count[idx], false);
	tc->prefix[plen] = '\0';
}

static int exec_tree(struct nslab *ctx, int argc, char **argv)
{
	pid_t root;
	if (argc > 1)
		root = resolve_pid(ctx, argv[1]);
	else
		root = (ctx->cur && !box_poll_dead(ctx->cur)) ? ctx->cur->pid : 1;
	if (root < 0)
		return CMD_FAIL;
	_cleanup_close_ int proc = proc_open_root();
	struct ptree t;
	if (proc < 0 || ptree_scan(proc, &t) < 0) {
		struct nerr e;
		nerr_set(&e, EIO, "open", "open(\"/proc\")");
		return out_nerr(ctx, &e);
	}
	size_t n = t.n;
	_cleanup_free_ pid_t *kids = calloc(n ? n : 1, sizeof(pid_t));
	_cleanup_free_ size_t *first = calloc(n ? n : 1, sizeof(size_t));
	_cleanup_free_ size_t *count = calloc(n ? n : 1, sizeof(size_t));
	if (!kids || !first || !count) {
		ptree_free(&t);
		return CMD_FAIL;
	}
	/* Counting sort of children by parent index (processes are sorted by pid). */
	for (size_t i = 0; i < n; i++) {
		struct pnode *par = ptree_find(&t, t.v[i].ppid);
		if (par)
			count[par - t.v]++;
	}
	for (size_t i = 1; i < n; i++)
		first[i] = first[i - 1] + count[i - 1];
	_cleanup_free_ size_t *fill = calloc(n ? n : 1, sizeof(size_t));
	for (size_t i = 0; fill && i < n; i++) {
		struct pnode *par = ptree_find(&t, t.v[i].ppid);
		if (par) {
			size_t pi = par - t.v;
			kids[first[pi] + fill[pi]++] = (pid_t)i;
		}
	}
	struct pnode *r = ptree_find(&t, root);
	if (!r) {
		ptree_free(&t);
		out_msg(ctx, _("no process %d"), (int)root);
		return CMD_FAIL;
	}
	struct tree_ctx tc = { .ctx = ctx, .t = &t, .kids = kids, .first = first, .count = count };
	tree_print(&tc, (size_t)(r - t.v), ptree_find(&t, r->ppid), true, true);
	ptree_free(&t);
	return CMD_OK;
}

CMD_REGISTER(tree_cmd) = {
	.name = "tree",
	.args = "[PID|BOX]",
	.summary = N_("process tree (pstree-like) with namespace boundaries marked"),
	.help = N_("Each line is comm(host PID) or comm(host PID=PID inside its pid namespace); "
		   "'◆ new ns' marks where a process's namespaces differ from its parent's."),
	.min_args = 0,
	.max_args = 1,
	.complete = COMPLETE_BOX,
	.exec = exec_tree,
};
