/* nsview.c - userns, timens, cgns: one namespace seen from inside and from
 * the host, side by side. */
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/syscall.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../box/box.h"
#include "../kernel/cleanup.h"
#include "../kernel/ns.h"
#include "../kernel/nsquery.h"
#include "../kernel/procfs.h"
#include "../kernel/syscalls.h"
#include "../kernel/userns.h"
#include "cmd.h"

/* The box whose PID 1 is @pid, for the heading; NULL for other processes. */
static const struct box *box_of(struct nslab *ctx, pid_t pid)
{
	for (struct box *b = ctx->boxes; b; b = b->next)
		if (b->pid == pid)
			return b;
	return NULL;
}

static void heading(struct nslab *ctx, pid_t pid)
{
	const struct box *b = box_of(ctx, pid);
	if (b)
		out(ctx, _("box %s, pid %d on the host\n"), b->spec.name, (int)pid);
	else
		out(ctx, _("pid %d\n"), (int)pid);
}

static bool same_ns(pid_t a, pid_t b, enum ns_kind k)
{
	_cleanup_close_ int proc = proc_open_root();
	uint64_t ia[NS_COUNT], ib[NS_COUNT];
	if (proc < 0 || ns_read_ids(proc, a, ia) < 0 || ns_read_ids(proc, b, ib) < 0)
		return true;
	return ia[k] == ib[k];
}

static uint64_t ns_id(pid_t pid, enum ns_kind k)
{
	_cleanup_close_ int proc = proc_open_root();
	uint64_t ids[NS_COUNT] = { 0 };
	if (proc >= 0)
		ns_read_ids(proc, pid, ids);
	return ids[k];
}

/* ---------------- userns ---------------- */

static int read_map(int proc, pid_t pid, const char *name, struct idmap *m, int max, char *text,
		    size_t len)
{
	_cleanup_free_ char *buf = NULL;
	if (proc_read(proc, pid, name, &buf, NULL, NULL) < 0)
		return -1;
	/* One line per entry, with the kernel's padding squeezed out. */
	int n = userns_parse_map(buf, m, max);
	size_t off = 0;
	text[0] = '\0';
	for (int i = 0; i < n && off < len; i++)
		off += snprintf(text + off, len - off, "%s%u %u %u", i ? "; " : "", m[i].inside,
				m[i].outside, m[i].count);
	return n;
}

/* The owner of PATH in @pid's root, as the box and as the host see it: the
 * inode stores host ids; the map translates them on the way in. */
static int file_owner(struct nslab *ctx, pid_t pid, const char *path, const struct idmap *um,
		      int nu, const struct idmap *gm, int ng)
{
	char full[PATH_MAX];
	snprintf(full, sizeof(full), "/proc/%d/root", (int)pid);
	_cleanup_close_ int rfd = open(full, O_PATH | O_DIRECTORY | O_CLOEXEC);
	snprintf(full, sizeof(full), "/proc/%d/root%s", (int)pid, path);
	/* Resolve as the box would: symlinks and .. stay inside its root. */
	struct open_how how = { .flags = O_PATH | O_NOFOLLOW | O_CLOEXEC,
				.resolve = RESOLVE_IN_ROOT };
	_cleanup_close_ int fd = rfd < 0 ? -1 : (int)syscall(SYS_openat2, rfd, path, &how, sizeof(how));
	struct stat st;
	if (fd < 0 || fstat(fd, &st) < 0) {
		struct nerr e;
		nerr_set(&e, errno, "openat2", "openat2(\"/proc/%d/root\", \"%s\", RESOLVE_IN_ROOT)",
			 (int)pid, path);
		return out_nerr(ctx, &e);
	}
	long long iu = nu > 0 ? userns_to_inside(um, nu, st.st_uid) : st.st_uid;
	long long ig = ng > 0 ? userns_to_inside(gm, ng, st.st_gid) : st.st_gid;
	char in[64];
	if (iu < 0 || ig < 0)
		snprintf(in, sizeof(in), _("unmapped, shown as 65534 (nobody)"));
	else
		snprintf(in, sizeof(in), "%lld:%lld", iu, ig);
	out(ctx, _("  %s: owner %s inside, %u:%u on the host (%s)\n"), path, in,
	    (unsigned)st.st_uid, (unsigned)st.st_gid, full);
	return CMD_OK;
}

static int exec_userns(struct nslab *ctx, int argc, char **argv)
{
	if (argc > 2 && argv[2][0] != '/')
		return out_usage(ctx, cmd_find("userns"),
				 _("PATH is absolute, as the box sees it: /tmp/file"));
	pid_t pid = resolve_pid(ctx, argc > 1 ? argv[1] : NULL);
	if (pid < 0)
		return CMD_FAIL;
	_cleanup_close_ int proc = proc_open_root();
	_cleanup_free_ char *status = NULL;
	struct nerr e = { 0 };
	if (proc_read(proc, pid, "status", &status, NULL, &e) < 0)
		return out_nerr(ctx, &e);
	char uidf[128] = "", gidf[128] = "", capf[32] = "";
	proc_status_field(status, "Uid", uidf, sizeof(uidf));
	proc_status_field(status, "Gid", gidf, sizeof(gidf));
	proc_status_field(status, "CapEff", capf, sizeof(capf));
	unsigned hu = 0, hg = 0;
	sscanf(uidf, "%*u %u", &hu); /* the effective id: what permission checks use */
	sscanf(gidf, "%*u %u", &hg);
	struct idmap um[16], gm[16];
	char ut[256], gt[256];
	int nu = read_map(proc, pid, "uid_map", um, 16, ut, sizeof(ut));
	int ng = read_map(proc, pid, "gid_map", gm, 16, gt, sizeof(gt));
	long long iu = nu > 0 ? userns_to_inside(um, nu, hu) : hu;
	long long ig = ng > 0 ? userns_to_inside(gm, ng, hg) : hg;
	bool own = !same_ns(pid, getpid(), NS_USER);

	heading(ctx, pid);
	char pad[64];
	out(ctx, "  %-12s %s %s\n", "", out_pad(pad, sizeof(pad), _("inside"), 12), _("on the host"));
	out(ctx, "  %-12s %-12lld %u\n", "uid", iu, hu);
	out(ctx, "  %-12s %-12lld %u\n", "gid", ig, hg);
	out(ctx, "  %-12s %s  %s\n", "uid_map", ut, _("(inside, host, count)"));
	out(ctx, "  %-12s %s\n", "gid_map", gt);
	_cleanup_free_ char *sg = NULL;
	if (proc_read(proc, pid, "setgroups", &sg, NULL, NULL) == 0) {
		sg[strcspn(sg, "\n")] = '\0';
		out(ctx, "  %-12s %s\n", "setgroups", sg);
	}
	unsigned long long caps = strtoull(capf, NULL, 16);
	int ncaps = __builtin_popcountll(caps);
	if (!own) {
		out(ctx, _("  the host's user namespace: ids are not translated, and CapEff %s (%d "
			   "capabilities) counts everywhere\n"),
		    capf, ncaps);
		return CMD_OK;
	}
	uid_t owner;
	if (userns_owner_uid(pid, &owner) == 0)
		out(ctx, _("  user namespace %llu, made by host uid %u (the host's is %llu)\n"),
		    (unsigned long long)ns_id(pid, NS_USER), (unsigned)owner,
		    (unsigned long long)ns_id(getpid(), NS_USER));
	out(ctx, _("  CapEff %s: %d capabilities inside, over what this user namespace owns\n"), capf,
	    ncaps);
	out(ctx, _("  on the host: none; to the host this process is uid %u without any capability\n"), hu);
	if (argc > 2)
		return file_owner(ctx, pid, argv[2], um, nu, gm, ng);
	return CMD_OK;
}

CMD_REGISTER(userns_cmd) = {
	.name = "userns",
	.args = "[PID|BOX [PATH]]",
	.summary = N_("user namespace: ids inside and on the host, maps, capabilities"),
	.help = N_("Reads /proc/PID/status (Uid, Gid, CapEff), uid_map, gid_map and setgroups. "
		   "In a user namespace a process can be uid 0 with every capability, yet to the "
		   "host it is an ordinary user: its capabilities count only over namespaces its "
		   "user namespace owns. With PATH, also the owner of a file in the box, seen "
		   "from both sides."),
	.min_args = 0,
	.max_args = 2,
	.complete = COMPLETE_BOX,
	.exec = exec_userns,
};

/* ---------------- timens ---------------- */

static void fmt_uptime(double s, char *buf, size_t len)
{
	long long t = (long long)s;
	long long d = t / 86400, h = t % 86400 / 3600, m = t % 3600 / 60;
	if (d)
		snprintf(buf, len, _("%.2f s (%lld d %02lld:%02lld)"), s, d, h, m);
	else
		snprintf(buf, len, _("%.2f s (%02lld:%02lld)"), s, h, m);
}

static int timens_set(struct nslab *ctx, pid_t pid, int argc, char **argv)
{
	/* timens BOX set monotonic|boottime SECS */
	if (argc != 5)
		return out_usage(ctx, cmd_find("timens"), _("timens BOX set monotonic|boottime SECS"));
	long long v;
	bool boot = strcmp(argv[3], "boottime") == 0;
	if ((!boot && strcmp(argv[3], "monotonic") != 0) ||
	    parse_long(argv[4], -315360000LL, 315360000LL, &v) < 0)
		return out_usage(ctx, cmd_find("timens"), _("timens BOX set monotonic|boottime SECS"));
	struct nerr e = { 0 };
	if (nsq_set_offsets(pid, boot ? 0 : v, boot ? v : 0, &e) < 0)
		return out_nerr(ctx, &e);
	out(ctx, _("offsets written: the next time namespace made by pid %d starts with them\n"),
	    (int)pid);
	return CMD_OK;
}

static int exec_timens(struct nslab *ctx, int argc, char **argv)
{
	pid_t pid = resolve_pid(ctx, argc > 1 ? argv[1] : NULL);
	if (pid < 0)
		return CMD_FAIL;
	if (argc > 2 && strcmp(argv[2], "set") == 0)
		return timens_set(ctx, pid, argc, argv);
	if (argc > 2)
		return out_usage(ctx, cmd_find("timens"), _("unexpected word '%s'"), argv[2]);
	_cleanup_close_ int proc = proc_open_root();
	_cleanup_free_ char *offs = NULL;
	long long mono = 0, boot = 0;
	if (proc_read(proc, pid, "timens_offsets", &offs, NULL, NULL) == 0)
		nsq_parse_offsets(offs, &mono, &boot);
	struct nerr e = { 0 };
	double in, host;
	if (nsq_uptime(pid, &in, &e) < 0)
		return out_nerr(ctx, &e);
	_cleanup_free_ char *hu = NULL;
	if (proc_read(proc, 0, "uptime", &hu, NULL, &e) < 0 || sscanf(hu, "%lf", &host) != 1)
		return out_nerr(ctx, &e);
	heading(ctx, pid);
	bool own = !same_ns(pid, getpid(), NS_TIME);
	if (own)
		out(ctx, _("  its own time namespace; offsets (/proc/%d/timens_offsets): monotonic "
			   "%lld s, boottime %lld s\n"),
		    (int)pid, mono, boot);
	else
		out(ctx, _("  the host's time namespace (no offsets)\n"));
	char a[80], b[80];
	fmt_uptime(in, a, sizeof(a));
	fmt_uptime(host, b, sizeof(b));
	out(ctx, _("  uptime inside:      %s\n"), a);
	out(ctx, _("  uptime on the host: %s\n"), b);
	out(ctx, _("  the wall clock (CLOCK_REALTIME, what date shows) is the same everywhere: "
		   "time namespaces shift only CLOCK_MONOTONIC and CLOCK_BOOTTIME\n"));
	return CMD_OK;
}

CMD_REGISTER(timens_cmd) = {
	.name = "timens",
	.args = "[PID|BOX] [set monotonic|boottime SECS]",
	.summary = N_("time namespace: offsets, and uptime inside beside the host's"),
	.help = N_("A time namespace (--ns time, with --boottime-offset or --monotonic-offset) "
		   "shifts CLOCK_BOOTTIME and CLOCK_MONOTONIC for the processes in it: uptime "
		   "differs, date does not. The offsets are written to /proc/PID/timens_offsets "
		   "before the first process enters; 'timens BOX set ...' tries it later, and the "
		   "kernel refuses."),
	.min_args = 0,
	.max_args = 4,
	.complete = COMPLETE_BOX,
	.exec = exec_timens,
};

/* ---------------- cgns ---------------- */

static void print_lines(struct nslab *ctx, const char *text)
{
	const char *p = text;
	while (*p) {
		size_t n = strcspn(p, "\n");
		out(ctx, "    %.*s\n", (int)n, p);
		p += n;
		if (*p)
			p++;
	}
}

static int exec_cgns(struct nslab *ctx, int argc, char **argv)
{
	pid_t pid = resolve_pid(ctx, argc > 1 ? argv[1] : NULL);
	if (pid < 0)
		return CMD_FAIL;
	_cleanup_close_ int proc = proc_open_root();
	_cleanup_free_ char *host = NULL;
	struct nerr e = { 0 };
	if (proc_read(proc, pid, "cgroup", &host, NULL, &e) < 0)
		return out_nerr(ctx, &e);
	char file[64], in[8192];
	snprintf(file, sizeof(file), "/proc/%d/cgroup", (int)pid);
	if (nsq_read_in(pid, "cgroup", file, in, sizeof(in), &e) < 0)
		return out_nerr(ctx, &e);
	heading(ctx, pid);
	out(ctx, _("  %s read on the host:\n"), file);
	print_lines(ctx, host);
	out(ctx, _("  the same file read inside its cgroup namespace:\n"));
	print_lines(ctx, in);
	if (same_ns(pid, getpid(), NS_CGROUP))
		out(ctx, _("  same cgroup namespace as the host: both views agree\n"));
	else
		out(ctx, _("  its own cgroup namespace: paths start at the cgroup it was made in, "
			   "shown as /\n"));
	return CMD_OK;
}

CMD_REGISTER(cgns_cmd) = {
	.name = "cgns",
	.args = "[PID|BOX]",
	.summary = N_("cgroup namespace: /proc/PID/cgroup read from the host and from inside"),
	.help = N_("A cgroup namespace (--ns cgroup) makes the cgroup a process was made in look "
		   "like the root: /proc/self/cgroup says 0::/ inside, and a cgroup2 mount inside "
		   "shows only that subtree. Limits still apply: it hides paths, not controls."),
	.min_args = 0,
	.max_args = 1,
	.complete = COMPLETE_BOX,
	.exec = exec_cgns,
};
