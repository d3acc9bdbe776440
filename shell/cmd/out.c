/* out.c - everything the learner reads goes through here, and every refused
 * system call is explained once: what failed, what it means, what to read. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <wchar.h>
#include <stdlib.h>

#include "../kernel/cleanup.h"
#include "../kernel/trace.h"
#include "cmd.h"

void out(struct nslab *ctx, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *text = NULL;
	int n = vasprintf(&text, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	/* Korean particles that follow a word known only now (i18n.h). */
	if (strchr(text, '(') && i18n_lang()[0] == 'k')
		i18n_particles(text);
	fputs(text, ctx->out ? ctx->out : stdout);
	if (ctx->tee)
		fputs(text, ctx->tee);
	free(text);
}

size_t out_cols(const char *s)
{
	wchar_t w[256];
	size_t n = mbstowcs(w, s, ARRAY_SIZE(w) - 1);
	int cols = n == (size_t)-1 ? (int)strlen(s) : wcswidth(w, n);
	return cols < 0 ? strlen(s) : (size_t)cols;
}

const char *out_pad(char *buf, size_t len, const char *s, int width)
{
	/* Pad by display columns, not bytes: Korean letters are two columns wide. */
	wchar_t w[256];
	size_t n = mbstowcs(w, s, ARRAY_SIZE(w) - 1);
	int cols = n == (size_t)-1 ? (int)strlen(s) : wcswidth(w, n);
	if (cols < 0)
		cols = (int)strlen(s);
	int fill = abs(width) > cols ? abs(width) - cols : 0;
	if (width < 0)
		snprintf(buf, len, "%*s%s", fill, "", s);
	else
		snprintf(buf, len, "%s%*s", s, fill, "");
	return buf;
}

int out_width(struct nslab *ctx)
{
	FILE *f = ctx && ctx->out ? ctx->out : stdout;
	struct winsize ws;
	int fd = fileno(f);
	int w = 0;
	if (fd >= 0 && ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		w = ws.ws_col;
	const char *env = getenv("COLUMNS");
	if (!w && env)
		w = atoi(env);
	if (w <= 0)
		w = 80;
	return w > 100 ? 100 : w < 20 ? 20 : w;
}

bool out_color(struct nslab *ctx)
{
	FILE *f = ctx && ctx->out ? ctx->out : stdout;
	int fd = fileno(f);
	return fd >= 0 && isatty(fd) && !getenv("NO_COLOR");
}

void out_col(struct nslab *ctx, const char *s, int width)
{
	char buf[512];
	out(ctx, "%s", out_pad(buf, sizeof(buf), s, width));
}

void out_msg(struct nslab *ctx, const char *fmt, ...)
{
	(void)ctx;
	FILE *f = stderr;
	fflush(ctx && ctx->out ? ctx->out : stdout);
	fputs("nslab: ", f);
	char *text = NULL;
	va_list ap;
	va_start(ap, fmt);
	int n = vasprintf(&text, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if (i18n_lang()[0] == 'k')
		i18n_particles(text);
	fputs(text, f);
	free(text);
	fputc('\n', f);
}

int out_usage(struct nslab *ctx, const struct cmd_entry *e, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	size_t nl = strlen(e->name);
	/* "box new needs a NAME" names its command already. */
	if (strncmp(msg, e->name, nl) == 0 && msg[nl] == ' ')
		out_msg(ctx, "%s", msg);
	else
		out_msg(ctx, "%s: %s", e->name, msg);
	/* A short synopsis fits on the line; a long one (box's) would bury the
	 * error under a screenful: point to help instead. */
	const char *args = e->args ? e->args : "";
	if (strlen(e->name) + strlen(args) <= 72)
		fprintf(stderr, _("usage: %s %s\n"), e->name, args);
	else
		fprintf(stderr, _("  'help %s' shows how to use it\n"), e->name);
	return CMD_USAGE;
}

/* Short descriptions of the errors learners meet, in both languages. */
static const struct {
	int code;
	const char *desc;
} errnos[] = {
	{ EPERM, N_("operation not permitted") },
	{ ENOENT, N_("no such file or directory") },
	{ ESRCH, N_("no such process") },
	{ EINTR, N_("interrupted") },
	{ EIO, N_("input/output error") },
	{ E2BIG, N_("argument list too long") },
	{ EBADF, N_("bad file descriptor") },
	{ ECHILD, N_("no child process") },
	{ EAGAIN, N_("resource temporarily unavailable") },
	{ ENOMEM, N_("out of memory") },
	{ EACCES, N_("permission denied") },
	{ EBUSY, N_("device or resource busy") },
	{ EEXIST, N_("already exists") },
	{ EXDEV, N_("cross-device link") },
	{ ENODEV, N_("no such device (file system type unknown to the kernel)") },
	{ ENOTDIR, N_("not a directory") },
	{ EISDIR, N_("is a directory") },
	{ EINVAL, N_("invalid argument") },
	{ ENOSPC, N_("no space left (or a namespace/cgroup limit reached)") },
	{ EROFS, N_("read-only file system") },
	{ ERANGE, N_("number out of range") },
	{ ENAMETOOLONG, N_("name too long") },
	{ ENOSYS, N_("system call not implemented by this kernel") },
	{ ELOOP, N_("too many levels of symbolic links") },
	{ EOPNOTSUPP, N_("operation not supported") },
	{ EPROTO, N_("protocol error") },
	{ EUSERS, N_("too many users (user namespace nesting limit)") },
};

/* The likely causes of one call's error, in context. */
static const struct {
	const char *call;
	int code;
	const char *why;
	const char *man;
} whys[] = {
	{ "clone", EPERM,
	  N_("creating namespaces other than user needs CAP_SYS_ADMIN; without root only "
	     "--ns user (and what it owns) works, and only if unprivileged user namespaces "
	     "are allowed (sysctl kernel.unprivileged_userns_clone, or Ubuntu 24.04's "
	     "AppArmor restriction: 'nslab doctor' checks both)"),
	  "clone(2), user_namespaces(7)" },
	{ "clone", ENOSPC,
	  N_("a namespace count limit was reached: see /proc/sys/user/max_*_namespaces"),
	  "namespaces(7)" },
	{ "clone", EINVAL,
	  N_("this combination of namespace flags is not allowed, or the kernel lacks one of "
	     "them (CONFIG_*_NS)"),
	  "clone(2)" },
	{ "unshare", EINVAL, N_("the kernel lacks this namespace type, or it cannot be unshared now"),
	  "unshare(2)" },
	{ "pivot_root", EINVAL,
	  N_("pivot_root wants the new root to be a mount point, not on the same mount as the "
	     "current root, and the current root must not be shared: bind the new root onto "
	     "itself and make / private first"),
	  "pivot_root(2)" },
	{ "pivot_root", EBUSY, N_("the new root or put_old is already in use as a root"),
	  "pivot_root(2)" },
	{ "pivot_root", EPERM, N_("pivot_root needs CAP_SYS_ADMIN in the mount namespace's user namespace"),
	  "pivot_root(2)" },
	{ "mount", EPERM,
	  N_("mount needs CAP_SYS_ADMIN over the mount namespace: the capability may be "
	     "dropped (caps), filtered (seccomp), or the mount is locked because it came "
	     "from a more privileged namespace"),
	  "mount(2), mount_namespaces(7)" },
	{ "mount", EBUSY, N_("something is already mounted there, or the target is in use"),
	  "mount(2)" },
	{ "mount", ENODEV, N_("the kernel does not know this file system type (see /proc/filesystems)"),
	  "mount(2)" },
	{ "mount", EINVAL,
	  N_("a flag or option is wrong for this file system, or the source is not a mount"),
	  "mount(2)" },
	{ "umount2", EBUSY, N_("something still uses the mount: use MNT_DETACH, or leave it first"),
	  "umount(2)" },
	{ "umount2", EINVAL, N_("the path is not a mount point"), "umount(2)" },
	{ "setns", EPERM,
	  N_("entering a namespace needs CAP_SYS_ADMIN in its user namespace (and "
	     "CAP_SYS_CHROOT for a mount namespace)"),
	  "setns(2)" },
	{ "setns", EINVAL, N_("the process is multithreaded, or the file is not a namespace"),
	  "setns(2)" },
	{ "sethostname", EPERM,
	  N_("changing the hostname needs CAP_SYS_ADMIN in the UTS namespace's user namespace"),
	  "sethostname(2), uts_namespaces(7)" },
	{ "chroot", EPERM, N_("chroot needs CAP_SYS_CHROOT"), "chroot(2)" },
	{ "execve", ENOENT,
	  N_("no such program inside the box's root file system: the box sees only its own "
	     "files. Try 'run ls /bin'"),
	  "execve(2)" },
	{ "execve", EACCES, N_("the file is not executable, or its file system is mounted noexec"),
	  "execve(2)" },
	{ "write", EPERM,
	  N_("the kernel refused the write: for uid_map and gid_map, a map is written once, "
	     "needs CAP_SETUID/CAP_SETGID over the parent user namespace, and without privilege "
	     "a gid_map needs setgroups=deny"),
	  "user_namespaces(7)" },
	{ "open", ENOENT, N_("the file does not exist: is the process gone, or the path misspelt?"),
	  "open(2)" },
	{ "open", EACCES, N_("permission denied: the file's mode does not allow it for this user"),
	  "open(2), path_resolution(7)" },
	{ "ip", ENODEV,
	  N_("no interface of that name in this network namespace: each namespace has its own "
	     "list ('net ls' shows them)"),
	  "ip-link(8), network_namespaces(7)" },
	{ "ip", EEXIST,
	  N_("that interface or address exists already in this network namespace"),
	  "ip-link(8), ip-address(8)" },
	{ "ip", EPERM, N_("changing links needs CAP_NET_ADMIN over the network namespace"),
	  "ip-link(8), capabilities(7)" },
	/* cgroups: "cgroup" is any read or write of a cgroup file. */
	{ "cgroup", EBUSY,
	  N_("cgroup v2's \"no internal processes\" rule: a cgroup that holds processes cannot "
	     "hand controllers to children (cgroup.subtree_control), and one that does cannot "
	     "take processes; keep processes in leaf cgroups. In v1, memory.limit_in_bytes "
	     "below what the cgroup uses now and cannot give back is also EBUSY"),
	  "cgroups(7)" },
	{ "cgroup", EINVAL,
	  N_("the kernel did not accept the value: check its form (64M, max, \"50000 100000\") "
	     "and range; cpu.max wants a quota of at least 1000 microseconds"),
	  "cgroups(7)" },
	{ "cgroup", ENOSPC,
	  N_("the cgroup has nowhere to run its processes (cpuset.cpus or cpuset.mems is "
	     "empty), or a limit of cgroups was reached"),
	  "cgroups(7)" },
	{ "cgroup", ENOENT,
	  N_("no such file in this cgroup: the controller is not enabled for it (v2: the "
	     "parent's cgroup.subtree_control), the kernel lacks it, or the name is the other "
	     "cgroup version's"),
	  "cgroups(7)" },
	{ "cgroup", ENODEV, N_("the controller is not available on this machine"), "cgroups(7)" },
	{ "cgroup", ESRCH, N_("the process ended before it could be moved"), "cgroups(7)" },
	{ "cgroup", EACCES,
	  N_("cgroup files belong to root: run nslab as root (sudo nslab)"), "cgroups(7)" },
	{ "cgroup", EPERM,
	  N_("moving a process needs write access to cgroup.procs of both cgroups' common "
	     "ancestor, and the right to signal the process"),
	  "cgroups(7)" },
	{ "cgroup", EOPNOTSUPP,
	  N_("this file exists only in cgroup v2; this machine's controllers are on cgroup v1"),
	  "cgroups(7)" },
	{ "cgroup", EROFS, N_("this file is read-only: the kernel reports it"), "cgroups(7)" },
	{ "fork", EAGAIN,
	  N_("no new process may start: the cgroup's pids.max is reached (cg stat shows "
	     "pids.current and pids.events), or the user's process limit (ulimit -u)"),
	  "fork(2), cgroups(7)" },
	{ "mkdir", EEXIST, N_("a directory (a cgroup, a box) of that name exists already"),
	  "mkdir(2)" },
	{ "mkdir", EACCES, N_("making a cgroup needs root: run nslab as root (sudo nslab)"),
	  "mkdir(2), cgroups(7)" },
	{ "mkdir", EAGAIN,
	  N_("cgroup.max.descendants or cgroup.max.depth of a parent cgroup was reached"),
	  "cgroups(7)" },
	{ "rmdir", EBUSY,
	  N_("a cgroup can be removed only when it has no processes and no child cgroups"),
	  "rmdir(2), cgroups(7)" },
	{ "cp", EIO, N_("copying the root file system failed: is there space in /run? (df -h /run)"),
	  "cp(1)" },
};

static const char *errno_desc(int code)
{
	for (size_t i = 0; i < ARRAY_SIZE(errnos); i++)
		if (errnos[i].code == code)
			return _(errnos[i].desc);
	return strerror(code);
}

int out_nerr(struct nslab *ctx, const struct nerr *e)
{
	/* The calls that led here first, then what went wrong. */
	out_explain(ctx);
	const char *name = strerrorname_np(e->code);
	out_msg(ctx, _("%s failed: %s (%s)"), e->what[0] ? e->what : e->call, name ? name : "?",
		errno_desc(e->code));
	const char *why = e->why, *man = NULL;
	for (size_t i = 0; i < ARRAY_SIZE(whys); i++) {
		if (whys[i].code == e->code && strcmp(whys[i].call, e->call) == 0) {
			if (!why)
				why = whys[i].why;
			man = whys[i].man;
			break;
		}
	}
	if (why)
		fprintf(stderr, _("  why:  %s\n"), _(why));
	if (man)
		fprintf(stderr, _("  read: man %s\n"), man);
	return CMD_FAIL;
}

void out_explain(struct nslab *ctx)
{
	struct tr_rec recs[TR_RING];
	size_t n = tr_since(ctx->tr_seen, recs, TR_RING);
	if (n)
		ctx->tr_seen = recs[n - 1].seq;
	if (!ctx->explain)
		return;
	bool color = isatty(fileno(ctx->out ? ctx->out : stdout));
	for (size_t i = 0; i < n; i++) {
		bool bad = recs[i].ret < 0;
		const char *on = !color ? "" : bad ? "\033[33m" : "\033[36m";
		const char *off = color ? "\033[0m" : "";
		const char *name = bad ? strerrorname_np(recs[i].err) : NULL;
		if (bad)
			out(ctx, "  %s⟶%s %s = -1 %s\n", on, off, recs[i].text, name ? name : "?");
		else
			out(ctx, "  %s⟶%s %s = %ld\n", on, off, recs[i].text, recs[i].ret);
	}
}
