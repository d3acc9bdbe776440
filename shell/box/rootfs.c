/* rootfs.c - is a lab root file system usable, and unchanged since it was built? */
#include "rootfs.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <spawn.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <linux/magic.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../kernel/cleanup.h"
#include "state.h"

extern char **environ;

/* A cheap fingerprint of the tree: inode, size, mtime and ctime of every
 * entry. Hashing every file takes milliseconds; this takes microseconds, so
 * the full check runs once per boot (or after any change), not per box. */
static uint64_t fp;
static long nfiles, nlinks;

/* From the second check on, a shell that makes many boxes walks the tree
 * once more, watching every directory with inotify as it goes; later checks
 * of the same tree read the inotify queue instead of walking it: no event
 * since the last check that passed (a queue overflow is an event), no
 * change. A shell that makes one box never pays for the watches. */
static struct {
	int checks;          /* checks of @dir so far */
	int fd;              /* inotify, or -1 */
	bool armed;          /* every directory watched, and the tree was good */
	char dir[PATH_MAX];
} watch = { .fd = -1 };

#define WATCH_MASK                                                                           \
	(IN_MODIFY | IN_ATTRIB | IN_CLOSE_WRITE | IN_CREATE | IN_DELETE | IN_DELETE_SELF |   \
	 IN_MOVED_FROM | IN_MOVED_TO | IN_MOVE_SELF)

static int fp_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)flag;
	(void)ftw;
	/* Pre-order: the directory is watched before its entries are read, so a
	 * change is either in the fingerprint or in the queue. */
	if (watch.fd >= 0 && S_ISDIR(st->st_mode) &&
	    inotify_add_watch(watch.fd, path, WATCH_MASK | IN_ONLYDIR | IN_DONT_FOLLOW) < 0) {
		close(watch.fd);
		watch.fd = -1;
	}
	uint64_t v[] = { st->st_ino, (uint64_t)st->st_size, (uint64_t)st->st_mtim.tv_sec,
			 (uint64_t)st->st_mtim.tv_nsec, (uint64_t)st->st_ctim.tv_sec,
			 (uint64_t)st->st_ctim.tv_nsec, st->st_mode };
	for (size_t i = 0; i < ARRAY_SIZE(v); i++)
		fp = (fp ^ v[i]) * 1099511628211ULL; /* FNV-1a over the words */
	nfiles += S_ISREG(st->st_mode);
	nlinks += S_ISLNK(st->st_mode);
	return 0;
}

static int fingerprint(const char *dir, uint64_t *ret)
{
	fp = 14695981039346656037ULL;
	nfiles = nlinks = 0;
	if (nftw(dir, fp_one, 32, FTW_PHYS | FTW_MOUNT) != 0)
		return -EIO;
	*ret = fp;
	return 0;
}

static long count_lines(const char *path)
{
	_cleanup_fclose_ FILE *f = fopen(path, "re");
	long n = 0;
	int c;
	while (f && (c = fgetc(f)) != EOF)
		n += c == '\n';
	return f ? n : -1;
}

/* Every link in DIR.links still points where it did. */
static int check_links(const char *dir, const char *links)
{
	_cleanup_fclose_ FILE *f = fopen(links, "re");
	if (!f)
		return -ENOENT;
	char line[PATH_MAX * 2];
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		char *arrow = strstr(line, " -> ");
		if (!arrow)
			return -EINVAL;
		*arrow = '\0';
		char path[PATH_MAX * 2 + 8], target[PATH_MAX];
		snprintf(path, sizeof(path), "%s/%s", dir, line);
		ssize_t n = readlink(path, target, sizeof(target) - 1);
		if (n < 0)
			return -ENOENT;
		target[n] = '\0';
		if (strcmp(target, arrow + 4) != 0)
			return -EINVAL;
	}
	return 0;
}

/* sha256sum -c: the tool made for it. */
static int check_sums(const char *dir, const char *manifest)
{
	char *argv[] = { "sha256sum", "--quiet", "--strict", "-c", (char *)manifest, NULL };
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addchdir_np(&fa, dir);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	pid_t pid;
	int r = posix_spawnp(&pid, "sha256sum", &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (r != 0)
		return -r;
	int st;
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : -EINVAL;
}

static void stamp_path(const char *dir, char *out, size_t len)
{
	uint64_t h = 14695981039346656037ULL;
	for (const char *c = dir; *c; c++)
		h = (h ^ (unsigned char)*c) * 1099511628211ULL;
	/* Beside the sessions, not among them: it outlives every run until reboot. */
	snprintf(out, len, "%s-rootfs-%016llx.ok", sess_rundir(), (unsigned long long)h);
}

int rootfs_check(const char *dir, struct nerr *e)
{
	struct stat st;
	char sh[PATH_MAX + 16];
	if (stat(dir, &st) < 0 || !S_ISDIR(st.st_mode))
		return nerr_setw(e, ENOENT, "open",
				 N_("the root file system is not built yet: run 'make rootfs' "
				    "(offline, from the distro's static busybox), or give --rootfs DIR"),
				 "open(\"%s\")", dir);
	snprintf(sh, sizeof(sh), "%s/bin/sh", dir);
	if (lstat(sh, &st) < 0)
		return nerr_setw(e, ENOENT, "open",
				 N_("this directory has no bin/sh, so it is not a root file system: "
				    "run 'make rootfs', or give --rootfs DIR"),
				 "open(\"%s\")", sh);
	char manifest[PATH_MAX + 16], links[PATH_MAX + 16], stamp[PATH_MAX + 64];
	snprintf(manifest, sizeof(manifest), "%s.manifest", dir);
	snprintf(links, sizeof(links), "%s.links", dir);
	if (access(manifest, R_OK) < 0)
		return 0; /* a rootfs of the learner's own (--rootfs): nothing to compare */
	if (strcmp(watch.dir, dir) != 0) {
		if (watch.fd >= 0)
			close(watch.fd);
		watch.fd = -1;
		watch.armed = false;
		watch.checks = 0;
		snprintf(watch.dir, sizeof(watch.dir), "%s", dir);
	}
	if (watch.armed) {
		char ev[4096];
		ssize_t n = read(watch.fd, ev, sizeof(ev));
		if (n < 0 && errno == EAGAIN)
			return 0; /* nothing in the tree changed since it was found good */
		/* Something did: drop the watches, walk (and watch) again. */
		close(watch.fd);
		watch.fd = -1;
		watch.armed = false;
	}
	if (++watch.checks >= 2 && watch.fd < 0)
		watch.fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	uint64_t now;
	if (fingerprint(dir, &now) < 0)
		return nerr_set(e, EIO, "nftw", "nftw(\"%s\")", dir);
	stamp_path(dir, stamp, sizeof(stamp));
	unsigned long long seen = 0;
	_cleanup_fclose_ FILE *sf = fopen(stamp, "re");
	/* The path after the fingerprint is for rootfs_stamps_prune(). */
	if (sf && fscanf(sf, "%llx", &seen) == 1 && seen == now) {
		watch.armed = watch.fd >= 0;
		return 0;
	}
	const char *why = N_("the rootfs differs from its manifest (a file was changed, added or "
			     "removed): rebuild it with 'make rootfs'");
	if (count_lines(manifest) != nfiles || count_lines(links) != nlinks ||
	    check_links(dir, links) < 0 || check_sums(dir, manifest) < 0)
		return nerr_setw(e, EINVAL, "sha256sum", why, "sha256sum -c %s", manifest);
	FILE *w = fopen(stamp, "we");
	if (w) {
		/* The path too: rootfs_stamps_prune() drops stamps of rootfs that are gone. */
		fprintf(w, "%016llx %s\n", (unsigned long long)now, dir);
		fclose(w);
	}
	watch.armed = watch.fd >= 0;
	return 0;
}

void rootfs_stamps_prune(void)
{
	/* The stamps sit beside the state directory: "<rundir>-rootfs-<hash>.ok". */
	char parent[PATH_MAX], prefix[PATH_MAX];
	snprintf(parent, sizeof(parent), "%s", sess_rundir());
	char *slash = strrchr(parent, '/');
	if (!slash || slash == parent)
		return;
	*slash = '\0';
	snprintf(prefix, sizeof(prefix), "%s-rootfs-", slash + 1);
	_cleanup_closedir_ DIR *d = opendir(parent);
	if (!d)
		return;
	struct dirent *de;
	size_t plen = strlen(prefix), nlen;
	while ((de = readdir(d))) {
		nlen = strlen(de->d_name);
		if (strncmp(de->d_name, prefix, plen) != 0 || nlen < 3 ||
		    strcmp(de->d_name + nlen - 3, ".ok") != 0)
			continue;
		char path[PATH_MAX * 2], dir[PATH_MAX] = "", manifest[PATH_MAX + 16];
		unsigned long long seen;
		snprintf(path, sizeof(path), "%s/%s", parent, de->d_name);
		_cleanup_fclose_ FILE *f = fopen(path, "re");
		if (f && fscanf(f, "%llx %4095[^\n]", &seen, dir) == 2) {
			snprintf(manifest, sizeof(manifest), "%s.manifest", dir);
			if (access(manifest, F_OK) == 0)
				continue; /* its rootfs is still there */
		}
		unlinkat(dirfd(d), de->d_name, 0);
	}
}

static bool path_within(const char *path, const char *dir)
{
	size_t n = strlen(dir);
	if (strcmp(dir, "/") == 0)
		return true;
	return strncmp(path, dir, n) == 0 && (path[n] == '\0' || path[n] == '/');
}

int rootfs_guard(const char *dir, char *ret_real, size_t len, struct nerr *e)
{
	char real[PATH_MAX], run[PATH_MAX];
	if (!dir[0] || !realpath(dir, real)) {
		int code = dir[0] ? errno : ENOENT;
		return nerr_setw(e, code, "realpath",
				 code != ENOENT ? NULL :
				 N_("the root file system is not built yet: run 'make rootfs' "
				    "(offline, from the distro's static busybox), or give --rootfs DIR"),
				 "realpath(\"%s\")", dir);
	}
	if (strcmp(real, "/") == 0)
		return nerr_setw(e, EPERM, "--rootfs",
				 N_("the rootfs may not be / itself: a box gets an overlay or a copy "
				    "of its rootfs, and a copy of / would copy the whole machine. Give "
				    "a directory made for it ('make rootfs' builds one)"),
				 "--rootfs %s (%s)", dir, real);
	if (!realpath(sess_rundir(), run))
		snprintf(run, sizeof(run), "%s", sess_rundir());
	if (path_within(run, real) || path_within(real, run))
		return nerr_setw(e, EPERM, "--rootfs",
				 N_("the rootfs may not hold nslab's state directory, nor lie inside "
				    "it: a copy would copy itself. Give a directory of its own"),
				 "--rootfs %s (%s; state in %s)", dir, real, run);
	for (const char *c = real; *c; c++)
		if (*c == ',' || *c == ':' || (unsigned char)*c < 0x20 || *c == 0x7f)
			return nerr_setw(e, EINVAL, "--rootfs",
					 N_("the overlay mount cannot name a directory whose path has "
					    "',' ':' or control characters: rename it or link to it"),
					 "--rootfs %s", dir);
	struct statfs fs;
	if (statfs(real, &fs) == 0 &&
	    (fs.f_type == PROC_SUPER_MAGIC || fs.f_type == SYSFS_MAGIC ||
	     fs.f_type == CGROUP_SUPER_MAGIC || fs.f_type == CGROUP2_SUPER_MAGIC ||
	     fs.f_type == DEBUGFS_MAGIC || fs.f_type == DEVPTS_SUPER_MAGIC))
		return nerr_setw(e, EPERM, "--rootfs",
				 N_("that is a kernel pseudo file system (/proc, /sys...), not a root "
				    "file system"),
				 "--rootfs %s", dir);
	if (strlen(real) >= len)
		return nerr_set(e, ENAMETOOLONG, "realpath", "realpath(\"%s\")", dir);
	memcpy(ret_real, real, strlen(real) + 1);
	return 0;
}

static long long tree_bytes;

static int size_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)path;
	(void)flag;
	(void)ftw;
	tree_bytes += (long long)st->st_blocks * 512;
	return 0;
}

long long rootfs_size(const char *dir)
{
	tree_bytes = 0;
	if (nftw(dir, size_one, 32, FTW_PHYS | FTW_MOUNT) != 0)
		return -EIO;
	return tree_bytes;
}
