#include "state.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../kernel/cgroup.h"
#include "../kernel/cleanup.h"
#include "../kernel/procfs.h"
#include "../kernel/syscalls.h"
#include "net.h"

static char rundir[PATH_MAX];

const char *sess_rundir(void)
{
	if (!rundir[0]) {
		const char *xdg = getenv("XDG_RUNTIME_DIR");
		/* Tests: a run of the suite keeps its sessions apart from any other
		 * nslab on the machine (whose start-up cleanup would otherwise see
		 * them). Root only; an absolute path naming nslab, no "..". */
		const char *over = getenv("NSLAB_RUNDIR");
		char user_run[64];
		struct stat st;
		snprintf(user_run, sizeof(user_run), "/run/user/%u", (unsigned)geteuid());
		if (geteuid() == 0 && over && over[0] == '/' && strstr(over, "/nslab") &&
		    !strstr(over, "/..") && strlen(over) < sizeof(rundir))
			snprintf(rundir, sizeof(rundir), "%s", over);
		else if (geteuid() == 0)
			snprintf(rundir, sizeof(rundir), "/run/nslab");
		else if (xdg && *xdg)
			snprintf(rundir, sizeof(rundir), "%s/nslab", xdg);
		else if (lstat(user_run, &st) == 0 && S_ISDIR(st.st_mode) && st.st_uid == geteuid())
			/* what XDG_RUNTIME_DIR would be, under su or setpriv that unset it */
			snprintf(rundir, sizeof(rundir), "%s/nslab", user_run);
		else
			/* sess_open checks that this one is ours (another user may have
			 * made it first) */
			snprintf(rundir, sizeof(rundir), "/tmp/nslab-%u", (unsigned)geteuid());
	}
	return rundir;
}

/* ---- undo, one function per kind of resource ---- */

static void wait_gone(pid_t pid, unsigned long long start, int pidfd)
{
	/* A pidfd becomes readable when the process ends: no polling loop. */
	if (pidfd >= 0) {
		struct pollfd p = { .fd = pidfd, .events = POLLIN };
		while (poll(&p, 1, 2000) < 0 && errno == EINTR)
			;
		waitpid(pid, NULL, WNOHANG); /* reap it if it was ours */
		return;
	}
	for (int i = 0; i < 400; i++) {
		if (waitpid(pid, NULL, WNOHANG) == pid || proc_starttime(pid) != start)
			return;
		struct timespec ts = { 0, 5L * 1000 * 1000 };
		nanosleep(&ts, NULL);
	}
}

static int undo_proc(const char *value)
{
	int pid;
	unsigned long long start;
	if (sscanf(value, "%d %llu", &pid, &start) != 2 || pid <= 1)
		return -EINVAL;
	/* The pidfd is taken before the starttime check, so the check is about
	 * the very process we then signal: a reused PID is never killed. */
	_cleanup_close_ int pidfd = sys_pidfd_open(pid);
	if (proc_starttime(pid) != start)
		return 0;
	int r = pidfd >= 0 ? sys_pidfd_send_signal(pidfd, SIGKILL) : kill(pid, SIGKILL) < 0 ? -errno : 0;
	if (r < 0 && r != -ESRCH)
		return r;
	wait_gone(pid, start, pidfd);
	return 0;
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	/* Keep going on errors: the caller checks whether the top is gone. */
	if (flag == FTW_DP) {
		rmdir(path);
	} else if (flag == FTW_DNR) {
		/* overlayfs leaves work/work with mode 000: root walks in anyway,
		 * a rootless run must open it first. */
		if (chmod(path, 0700) == 0)
			nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS | FTW_MOUNT);
		rmdir(path);
	} else {
		unlink(path);
	}
	return 0;
}

int sess_rm_tree(const char *path)
{
	const char *base = sess_rundir();
	size_t bl = strlen(base);
	if (strncmp(path, base, bl) != 0 || path[bl] != '/' || strstr(path, "/../"))
		return -EPERM;
	struct stat st;
	if (lstat(path, &st) < 0)
		return errno == ENOENT ? 0 : -errno;
	nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS | FTW_MOUNT);
	if (lstat(path, &st) == 0)
		return -EBUSY;
	return 0;
}

static int undo_dir(const char *value)
{
	return sess_rm_tree(value);
}

/* A cgroup under nslab/: whatever still runs in it is killed, then it goes. */
static int undo_cgroup(const char *value)
{
	return cg_remove(cg_host(), value, NULL, NULL);
}

struct kind {
	const char *name;
	int prio; /* lower runs first */
	int (*undo)(const char *value);
};

/* Processes die before their cgroups and links go; directories go last. */
static const struct kind kinds[] = {
	{ "proc", 0, undo_proc },
	{ "link", 1, box_net_undo_link },
	{ "cgroup", 1, undo_cgroup },
	{ "dir", 9, undo_dir },
};

static const struct kind *kind_by_name(const char *n)
{
	for (size_t i = 0; i < ARRAY_SIZE(kinds); i++)
		if (strcmp(kinds[i].name, n) == 0)
			return &kinds[i];
	return NULL;
}

static void resources_path(struct session *s, const char *box, char *out, size_t len)
{
	char dir[PATH_MAX];
	if (box)
		sess_box_dir(s, box, false, dir, sizeof(dir));
	else
		snprintf(dir, sizeof(dir), "%s", s->dir);
	snprintf(out, len, "%s/resources", dir);
}

bool sess_has(struct session *s, const char *box, const char *kind, const char *value)
{
	char path[PATH_MAX + 16], want[PATH_MAX + 64], buf[PATH_MAX + 64];
	resources_path(s, box, path, sizeof(path));
	snprintf(want, sizeof(want), "%s %s\n", kind, value);
	_cleanup_fclose_ FILE *f = fopen(path, "re");
	while (f && fgets(buf, sizeof(buf), f))
		if (strcmp(buf, want) == 0)
			return true;
	return false;
}

int sess_forget(struct session *s, const char *box, const char *kind, const char *value)
{
	char path[PATH_MAX + 16], tmp[PATH_MAX + 32], want[PATH_MAX + 64], buf[PATH_MAX + 64];
	resources_path(s, box, path, sizeof(path));
	snprintf(tmp, sizeof(tmp), "%s.new", path);
	snprintf(want, sizeof(want), "%s %s\n", kind, value);
	_cleanup_fclose_ FILE *in = fopen(path, "re");
	if (!in)
		return errno == ENOENT ? 0 : -errno;
	_cleanup_fclose_ FILE *out = fopen(tmp, "we");
	if (!out)
		return -errno;
	while (fgets(buf, sizeof(buf), in))
		if (strcmp(buf, want) != 0)
			fputs(buf, out);
	if (fflush(out) != 0)
		return -EIO;
	/* rename(2) is atomic: a crash leaves the old list or the new one. */
	return rename(tmp, path) < 0 ? -errno : 0;
}

/* Undo the lines of one resources file; returns how many were undone. */
static int undo_file(const char *path)
{
	_cleanup_fclose_ FILE *f = fopen(path, "re");
	if (!f)
		return 0;
	char *lines[512];
	int n = 0;
	char buf[PATH_MAX + 64];
	while (n < (int)ARRAY_SIZE(lines) && fgets(buf, sizeof(buf), f)) {
		buf[strcspn(buf, "\n")] = '\0';
		if (buf[0])
			lines[n++] = strdup(buf);
	}
	int done = 0;
	for (int prio = 0; prio <= 9; prio++) {
		for (int i = n - 1; i >= 0; i--) {
			if (!lines[i])
				continue;
			char *sp = strchr(lines[i], ' ');
			if (!sp)
				continue;
			*sp = '\0';
			const struct kind *k = kind_by_name(lines[i]);
			*sp = ' ';
			if (!k || k->prio != prio)
				continue;
			k->undo(sp + 1);
			done++;
		}
	}
	for (int i = 0; i < n; i++)
		free(lines[i]);
	return done;
}

/* ---- sessions ---- */

static int mkdir_p(const char *path, mode_t mode)
{
	char tmp[PATH_MAX];
	snprintf(tmp, sizeof(tmp), "%s", path);
	for (char *p = tmp + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(tmp, 0755) < 0 && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	if (mkdir(tmp, mode) < 0 && errno != EEXIST)
		return -errno;
	return 0;
}

int sess_open(struct session **ret, struct nerr *e)
{
	struct session *s = calloc(1, sizeof(*s));
	if (!s)
		return nerr_set(e, ENOMEM, "calloc", "session");
	s->pid = getpid();
	/* The directory of every session must be ours and no link: under /tmp
	 * another user could have made it first, to catch what we write. */
	struct stat st;
	/* 0711 like the sessions: a box's mapped root (uid 100000) must pass through. */
	if (mkdir(sess_rundir(), 0711) < 0 && errno != EEXIST && errno != ENOENT) {
		free(s);
		return nerr_set(e, errno, "mkdir", "mkdir(\"%s\")", sess_rundir());
	}
	if (lstat(sess_rundir(), &st) == 0) {
		if (!S_ISDIR(st.st_mode) || st.st_uid != geteuid()) {
			free(s);
			return nerr_setw(e, EPERM, "lstat",
					 N_("this directory belongs to another user or is a link: remove "
					    "it, or set XDG_RUNTIME_DIR to a directory of your own"),
					 "lstat(\"%s\")", sess_rundir());
		}
		if ((st.st_mode & 0111) != 0111)
			chmod(sess_rundir(), 0711);
	}
	snprintf(s->dir, sizeof(s->dir), "%s/%d", sess_rundir(), (int)s->pid);
	/* Made under a dot name and renamed once the owner record is in: a
	 * starting nslab never sees a session without its owner (and so never
	 * takes a live one for a crashed one). */
	char tmp[PATH_MAX + 32], p[PATH_MAX + 64];
	snprintf(tmp, sizeof(tmp), "%s/.new-%d", sess_rundir(), (int)s->pid);
	int r = mkdir_p(tmp, 0711); /* 0711: a mapped root (uid 100000...) must pass through */
	if (r < 0) {
		free(s);
		return nerr_set(e, r, "mkdir", "mkdir(\"%s\")", tmp);
	}
	snprintf(p, sizeof(p), "%s/owner", tmp);
	FILE *f = fopen(p, "we");
	if (f) {
		fprintf(f, "%d %llu\n", (int)s->pid, proc_starttime(s->pid));
		fclose(f);
	}
	if (rename(tmp, s->dir) < 0) {
		r = nerr_set(e, errno, "rename", "rename(\"%s\", \"%s\")", tmp, s->dir);
		sess_rm_tree(tmp);
		free(s);
		return r;
	}
	*ret = s;
	return 0;
}

int sess_box_dir(struct session *s, const char *box, bool create, char *out, size_t len)
{
	int n = snprintf(out, len, "%s/boxes/%s", s->dir, box);
	if (n < 0 || (size_t)n >= len)
		return -ENAMETOOLONG;
	return create ? mkdir_p(out, 0755) : 0;
}

int sess_record(struct session *s, const char *box, const char *kind, const char *fmt, ...)
{
	char dir[PATH_MAX], path[PATH_MAX + 16];
	if (box) {
		int r = sess_box_dir(s, box, true, dir, sizeof(dir));
		if (r < 0)
			return r;
	} else {
		snprintf(dir, sizeof(dir), "%s", s->dir);
	}
	snprintf(path, sizeof(path), "%s/resources", dir);
	_cleanup_close_ int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	if (fd < 0)
		return -errno;
	char line[PATH_MAX + 64];
	int n = snprintf(line, sizeof(line), "%s ", kind);
	va_list ap;
	va_start(ap, fmt);
	n += vsnprintf(line + n, sizeof(line) - n - 1, fmt, ap);
	va_end(ap);
	if (n >= (int)sizeof(line) - 1)
		n = sizeof(line) - 2;
	line[n++] = '\n';
	/* One write with O_APPEND: a crash leaves whole lines only. */
	return write(fd, line, n) == n ? 0 : -EIO;
}

int sess_undo_box(struct session *s, const char *box)
{
	char dir[PATH_MAX], path[PATH_MAX + 16];
	if (sess_box_dir(s, box, false, dir, sizeof(dir)) < 0)
		return -ENAMETOOLONG;
	snprintf(path, sizeof(path), "%s/resources", dir);
	undo_file(path);
	return sess_rm_tree(dir);
}

static void clean_session_dir(const char *dir, int *items)
{
	char p[PATH_MAX + 32];
	snprintf(p, sizeof(p), "%s/boxes", dir);
	_cleanup_closedir_ DIR *d = opendir(p);
	if (d) {
		struct dirent *de;
		while ((de = readdir(d))) {
			if (de->d_name[0] == '.')
				continue;
			char rp[PATH_MAX + 300];
			snprintf(rp, sizeof(rp), "%s/%s/resources", p, de->d_name);
			*items += undo_file(rp);
		}
	}
	snprintf(p, sizeof(p), "%s/resources", dir);
	*items += undo_file(p);
	sess_rm_tree(dir);
}

void sess_close(struct session *s)
{
	if (!s)
		return;
	int items = 0;
	clean_session_dir(s->dir, &items);
	rmdir(sess_rundir()); /* only succeeds when no other session is there */
	free(s);
}

void sess_kill_all_now(struct session *s)
{
	if (!s)
		return;
	char p[PATH_MAX + 32];
	snprintf(p, sizeof(p), "%s/boxes", s->dir);
	DIR *d = opendir(p);
	if (!d)
		return;
	struct dirent *de;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		char rp[PATH_MAX + 300];
		snprintf(rp, sizeof(rp), "%s/%s/pid", p, de->d_name);
		FILE *f = fopen(rp, "re");
		int pid = 0;
		unsigned long long st = 0;
		if (f && fscanf(f, "%d %llu", &pid, &st) == 2 && pid > 1 &&
		    proc_starttime(pid) == st)
			kill(pid, SIGKILL);
		if (f)
			fclose(f);
	}
	closedir(d);
}

static bool owner_alive(const char *dir)
{
	char p[PATH_MAX + 512];
	snprintf(p, sizeof(p), "%s/owner", dir);
	_cleanup_fclose_ FILE *f = fopen(p, "re");
	int pid;
	unsigned long long st;
	if (!f || fscanf(f, "%d %llu", &pid, &st) != 2)
		return false;
	return proc_starttime(pid) == st && st != 0;
}

int sess_cleanup_stale(bool all, int *ret_items)
{
	int cleaned = 0, items = 0;
	_cleanup_closedir_ DIR *d = opendir(sess_rundir());
	if (!d) {
		if (ret_items)
			*ret_items = 0;
		return 0;
	}
	struct dirent *de;
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		char dir[PATH_MAX + 300];
		snprintf(dir, sizeof(dir), "%s/%s", sess_rundir(), de->d_name);
		if (strncmp(de->d_name, ".new-", 5) == 0) {
			/* A session that died while being made: only its directory. */
			int pid = atoi(de->d_name + 5);
			if (pid != (int)getpid() && (all || kill(pid, 0) < 0))
				sess_rm_tree(dir);
			continue;
		}
		if (atoi(de->d_name) == (int)getpid())
			continue;
		if (!all && owner_alive(dir))
			continue;
		clean_session_dir(dir, &items);
		cleaned++;
	}
	if (ret_items)
		*ret_items = items;
	rmdir(sess_rundir());
	return cleaned;
}

int sess_publish(struct session *s, const char *name, const char *data, size_t len)
{
	if (!s || !name[0] || strchr(name, '/') || name[0] == '.')
		return -EINVAL;
	char path[PATH_MAX + 64], tmp[PATH_MAX + 80];
	snprintf(path, sizeof(path), "%s/%s", s->dir, name);
	snprintf(tmp, sizeof(tmp), "%s/.%s.new", s->dir, name);
	_cleanup_close_ int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0644);
	if (fd < 0)
		return -errno;
	while (len > 0) {
		ssize_t n = write(fd, data, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			unlink(tmp);
			return n < 0 ? -errno : -EIO;
		}
		data += n;
		len -= (size_t)n;
	}
	/* rename: a reader sees the old file or the new one, never half of one. */
	if (rename(tmp, path) < 0) {
		int r = -errno;
		unlink(tmp);
		return r;
	}
	return 0;
}
