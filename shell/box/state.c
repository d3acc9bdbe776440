#include "state.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
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
		/* Any absolute path without "..": sess_rundir_check() refuses an
		 * existing directory that nslab did not make. */
		if (geteuid() == 0 && over && over[0] == '/' && !strstr(over, "/..") &&
		    strlen(over) < sizeof(rundir))
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

/* ---- the run dir: nslab's own, or nothing is done ---- */

#define MARKER ".nslab-rundir"

static bool safe_dir(const struct stat *st)
{
	return S_ISDIR(st->st_mode) && st->st_uid == geteuid() && !(st->st_mode & 022);
}

static bool all_digits(const char *p)
{
	if (!*p)
		return false;
	for (; *p; p++)
		if (*p < '0' || *p > '9')
			return false;
	return true;
}

/* Does @fd hold nothing but what nslab puts there ("PID", ".new-PID")? */
static bool only_sessions(int fd)
{
	int dfd = fcntl(fd, F_DUPFD_CLOEXEC, 3);
	DIR *d = dfd >= 0 ? fdopendir(dfd) : NULL;
	if (!d) {
		if (dfd >= 0)
			close(dfd);
		return false;
	}
	bool ok = true;
	struct dirent *de;
	while (ok && (de = readdir(d)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, "..") && strcmp(de->d_name, MARKER) &&
		    !all_digits(de->d_name) &&
		    !(strncmp(de->d_name, ".new-", 5) == 0 && all_digits(de->d_name + 5)))
			ok = false;
	closedir(d);
	return ok;
}

/* Is there an existing run dir, made by nslab (its marker file, ours) or
 * the default one of an older nslab (ours, not writable by others)? */
static int check_existing(const char *dir, bool legacy_ok)
{
	struct stat st;
	_cleanup_close_ int fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return errno == ELOOP || errno == ENOTDIR ? -ELOOP : -errno;
	if (fstat(fd, &st) < 0 || !safe_dir(&st))
		return -EPERM;
	_cleanup_close_ int m = openat(fd, MARKER, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (m >= 0) {
		if (fstat(m, &st) < 0 || !S_ISREG(st.st_mode) || st.st_uid != geteuid())
			return -EPERM;
		return 0;
	}
	if (!legacy_ok && !only_sessions(fd))
		return -EEXIST;
	/* An older nslab's default dir, or one an nslab killed while making it
	 * left without its marker (ours, and nothing in it but session names):
	 * adopted, and marked from now on. */
	_cleanup_close_ int n = openat(fd, MARKER, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	return 0;
}

/* Make the run dir: every existing parent must be ours and not writable by
 * others (or the sticky /tmp for the rootless fallback, where mkdir itself
 * fails on a name someone else took). */
static int make_rundir(const char *dir)
{
	char tmp[PATH_MAX];
	snprintf(tmp, sizeof(tmp), "%s", dir);
	for (char *p = tmp + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		struct stat st;
		if (lstat(tmp, &st) == 0) {
			bool sticky_tmp = S_ISDIR(st.st_mode) && (st.st_mode & S_ISVTX) && st.st_uid == 0;
			if (!S_ISDIR(st.st_mode) || (!sticky_tmp && ((st.st_uid != 0 && st.st_uid != geteuid()) ||
								       (st.st_mode & 022))))
				return -EPERM;
		} else if (errno != ENOENT || mkdir(tmp, 0755) < 0) {
			return -errno;
		}
		*p = '/';
	}
	/* 0711: no one lists or writes it; a box's mapped root (uid 100000...)
	 * may pass through to its own 0710 box dir. */
	if (mkdir(dir, 0711) < 0)
		return -errno;
	_cleanup_close_ int fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	struct stat st;
	/* Gone already: the last session of another nslab took the empty dir
	 * for its own and removed it; the caller makes it again. */
	if (fd < 0 && errno == ENOENT)
		return -ENOENT;
	if (fd < 0 || fstat(fd, &st) < 0 || !safe_dir(&st))
		return -EPERM;
	fchmod(fd, 0711);
	_cleanup_close_ int m = openat(fd, MARKER, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	return m < 0 ? -errno : 0;
}

/* The run dir goes when the last session left it (only the marker there). */
static void rundir_release(void)
{
	_cleanup_close_ int fd = open(sess_rundir(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return;
	int dfd = fcntl(fd, F_DUPFD_CLOEXEC, 3);
	DIR *d = dfd >= 0 ? fdopendir(dfd) : NULL;
	if (!d) {
		if (dfd >= 0)
			close(dfd);
		return;
	}
	int others = 0;
	struct dirent *de;
	while ((de = readdir(d)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, "..") && strcmp(de->d_name, MARKER))
			others++;
	closedir(d);
	if (others)
		return;
	/* No marker: another nslab is making this dir right now; it is theirs. */
	if (unlinkat(fd, MARKER, 0) < 0)
		return;
	if (rmdir(sess_rundir()) < 0) {
		/* another nslab came in meanwhile: the dir stays nslab's */
		int m = openat(fd, MARKER, O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
		if (m >= 0)
			close(m);
	}
}

static int rundir_state = 1; /* 1: not checked yet; 0: ours; <0: refused */

int sess_rundir_check(bool create)
{
	if (rundir_state <= 0 && !(rundir_state == -ENOENT && create))
		return rundir_state;
	const char *dir = sess_rundir();
	bool legacy = geteuid() == 0 ? strcmp(dir, "/run/nslab") == 0 : strncmp(dir, "/tmp/", 5) != 0;
	int r = check_existing(dir, legacy);
	/* Several nslabs may start at once: when another made the dir between
	 * our look and our mkdir, look again (it is then nslab's, marked or
	 * still empty). */
	for (int tries = 0; r == -ENOENT && create && tries < 5; tries++) {
		r = make_rundir(dir);
		if (r == -EEXIST)
			r = check_existing(dir, legacy);
	}
	rundir_state = r;
	return r;
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

/* Tree removal below directory fds: no link is followed, no mount point
 * crossed (another st_dev), and nothing outside the run dir is reached,
 * whatever the path says. */
static void empty_dir(int fd, dev_t dev, int depth);

static void rm_entry(int dfd, const char *name, dev_t dev, int depth)
{
	struct stat st;
	if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return;
	if (!S_ISDIR(st.st_mode)) {
		unlinkat(dfd, name, 0);
		return;
	}
	if (st.st_dev != dev)
		return; /* a mount point: its own undo unmounts it */
	int fd = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 && errno == EACCES) {
		/* overlayfs leaves work/work with mode 000: root walks in anyway,
		 * a rootless run must open it first. */
		fchmodat(dfd, name, 0700, 0);
		fd = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	}
	if (fd >= 0) {
		empty_dir(fd, dev, depth + 1);
		close(fd);
	}
	unlinkat(dfd, name, AT_REMOVEDIR);
}

static void empty_dir(int fd, dev_t dev, int depth)
{
	if (depth > 512)
		return;
	int dup_fd = fcntl(fd, F_DUPFD_CLOEXEC, 3);
	DIR *d = dup_fd >= 0 ? fdopendir(dup_fd) : NULL;
	if (!d) {
		if (dup_fd >= 0)
			close(dup_fd);
		return;
	}
	struct dirent *de;
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		rm_entry(fd, de->d_name, dev, depth);
	}
	closedir(d);
}

int sess_rm_tree(const char *path)
{
	const char *base = sess_rundir();
	size_t bl = strlen(base);
	if (strncmp(path, base, bl) != 0 || path[bl] != '/')
		return -EPERM;
	int dfd = open(base, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (dfd < 0)
		return errno == ENOENT ? 0 : -errno;
	struct stat st;
	if (fstat(dfd, &st) < 0 || !safe_dir(&st)) {
		close(dfd);
		return -EPERM;
	}
	dev_t dev = st.st_dev;
	char rest[PATH_MAX];
	snprintf(rest, sizeof(rest), "%s", path + bl + 1);
	size_t rl = strlen(rest);
	while (rl > 0 && rest[rl - 1] == '/')
		rest[--rl] = '\0';
	char *save = NULL, *name = strtok_r(rest, "/", &save);
	int r = 0;
	while (name) {
		char *next = strtok_r(NULL, "/", &save);
		if (!strcmp(name, ".") || !strcmp(name, "..")) {
			r = -EPERM;
			break;
		}
		if (!next) {
			rm_entry(dfd, name, dev, 0);
			r = fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 ? -EBUSY : 0;
			break;
		}
		int nfd = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (nfd < 0) {
			r = errno == ENOENT ? 0 : -errno;
			break;
		}
		close(dfd);
		dfd = nfd;
		name = next;
	}
	if (!name && r == 0)
		r = -EPERM; /* the run dir itself is never removed this way */
	close(dfd);
	return r;
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

/* A record is trusted only when nslab (this euid) wrote it: a regular file
 * of ours, no link, writable by no one else, inside our run dir. */
static FILE *open_record(const char *path)
{
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	struct stat st;
	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_uid != geteuid() ||
	    (st.st_mode & 022) || st.st_nlink != 1) {
		close(fd);
		return NULL;
	}
	FILE *f = fdopen(fd, "r");
	if (!f)
		close(fd);
	return f;
}

/* Undo the lines of one resources file; returns how many were undone. */
static int undo_file(const char *path)
{
	_cleanup_fclose_ FILE *f = open_record(path);
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
		if (mkdir(tmp, 0711) < 0 && errno != EEXIST)
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
	/* The directory of every session must be nslab's own: made by it (its
	 * marker inside), ours, no link, writable by no one else. An existing
	 * directory nslab did not make is refused, and nothing in it touched. */
	char tmp[PATH_MAX + 32], p[PATH_MAX + 64];
	snprintf(s->dir, sizeof(s->dir), "%s/%d", sess_rundir(), (int)s->pid);
	/* Made under a dot name and renamed once the owner record is in: a
	 * starting nslab never sees a session without its owner (and so never
	 * takes a live one for a crashed one). */
	snprintf(tmp, sizeof(tmp), "%s/.new-%d", sess_rundir(), (int)s->pid);
	for (int tries = 0;; tries++) {
		int rc = sess_rundir_check(true);
		if (rc < 0) {
			free(s);
			return nerr_setw(e, -rc, "open",
					 N_("nslab did not make this directory, or another user owns it or "
					    "can write it, or it is a link: nslab keeps its records only in a "
					    "directory of its own; point NSLAB_RUNDIR (or XDG_RUNTIME_DIR) at "
					    "a path that does not exist yet"),
					 "open(\"%s\", O_DIRECTORY|O_NOFOLLOW)", sess_rundir());
		}
		/* 0711: a mapped root (uid 100000...) must pass through. */
		if (mkdir(tmp, 0711) == 0)
			break;
		if (errno != ENOENT || tries == 3) {
			int r = nerr_set(e, errno, "mkdir", "mkdir(\"%s\")", tmp);
			free(s);
			return r;
		}
		/* The last session of another nslab removed the run dir between
		 * our look and our mkdir: make it again. */
		rundir_state = 1;
	}
	snprintf(p, sizeof(p), "%s/owner", tmp);
	FILE *f = fopen(p, "we");
	if (f) {
		fprintf(f, "%d %llu\n", (int)s->pid, proc_starttime(s->pid));
		fclose(f);
	}
	if (rename(tmp, s->dir) < 0) {
		int r = nerr_set(e, errno, "rename", "rename(\"%s\", \"%s\")", tmp, s->dir);
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
	/* 0700: a box's files (its upper layer, a setuid file made in it) are
	 * reachable by root alone; box_new opens it to a user-namespace box's
	 * mapped root group (0710). */
	return create ? mkdir_p(out, 0700) : 0;
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
	struct stat st;
	/* A session dir is ours and no link, or nothing in it is trusted. */
	if (lstat(dir, &st) < 0 || !safe_dir(&st))
		return;
	snprintf(p, sizeof(p), "%s/boxes", dir);
	if (lstat(p, &st) == 0 && !safe_dir(&st))
		return;
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
	rundir_release(); /* only when no other session is there */
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
		FILE *f = open_record(rp);
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
	_cleanup_fclose_ FILE *f = open_record(p);
	int pid;
	unsigned long long st;
	if (!f || fscanf(f, "%d %llu", &pid, &st) != 2)
		return false;
	return proc_starttime(pid) == st && st != 0;
}

int sess_cleanup_stale(bool all, int *ret_items)
{
	int cleaned = 0, items = 0;
	if (ret_items)
		*ret_items = 0;
	/* Nothing is trusted before the run dir is known to be nslab's own. */
	if (sess_rundir_check(false) < 0)
		return 0;
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
	rundir_release();
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
