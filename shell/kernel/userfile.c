#include "userfile.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <string.h>
#include <sys/fsuid.h>
#include <sys/stat.h>
#include <unistd.h>

/* The window in which this process acts as the learner on the file system.
 * setfsuid(2) from 0 to another uid also drops CAP_DAC_OVERRIDE, CAP_FOWNER
 * and the other file capabilities from the effective set; root's own
 * supplementary groups are dropped too, so group root grants nothing. Both
 * come back in as_root(). nslab is single-threaded where this is used. */
struct saved {
	bool active;
	int ngroups;
	gid_t groups[64];
};

static void as_user(const struct uf_user *u, struct saved *s)
{
	s->active = false;
	if (!u || geteuid() != 0 || u->uid == 0)
		return;
	s->ngroups = getgroups(64, s->groups);
	if (s->ngroups < 0)
		s->ngroups = 0;
	if (setgroups(0, NULL) < 0)
		s->ngroups = -1;
	setfsgid(u->gid);
	setfsuid(u->uid);
	s->active = true;
}

static void as_root(struct saved *s)
{
	if (!s->active)
		return;
	int e = errno;
	setfsuid(0);
	setfsgid(0);
	if (s->ngroups >= 0)
		setgroups((size_t)s->ngroups, s->groups);
	errno = e;
}

int uf_open(const struct uf_user *u, const char *path, int flags, mode_t mode)
{
	struct saved s;
	as_user(u, &s);
	int fd = open(path, flags | O_NOFOLLOW | O_CLOEXEC, mode);
	int r = fd < 0 ? -errno : fd;
	as_root(&s);
	if (r >= 0 && !(flags & O_DIRECTORY)) {
		/* O_NOFOLLOW stops a link; a FIFO or device planted under the
		 * name is refused here. */
		struct stat st;
		if (fstat(r, &st) < 0 || !S_ISREG(st.st_mode)) {
			close(r);
			return -EINVAL;
		}
	}
	return r;
}

FILE *uf_fopen(const struct uf_user *u, const char *path, const char *mode)
{
	int flags = mode[0] == 'r'   ? O_RDONLY
		    : mode[0] == 'a' ? O_WRONLY | O_CREAT | O_APPEND
				     : O_WRONLY | O_CREAT | O_TRUNC;
	/* A FIFO planted under the name must not block the open. */
	int fd = uf_open(u, path, flags | O_NONBLOCK, 0644);
	if (fd < 0) {
		errno = -fd;
		return NULL;
	}
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
	FILE *f = fdopen(fd, mode[0] == 'r' ? "r" : mode[0] == 'a' ? "a" : "w");
	if (!f) {
		int e = errno;
		close(fd);
		errno = e;
	}
	return f;
}

int uf_mkdir(const struct uf_user *u, const char *path, mode_t mode)
{
	struct saved s;
	as_user(u, &s);
	int r = mkdir(path, mode) < 0 ? -errno : 0;
	struct stat st;
	if (r == -EEXIST) {
		if (lstat(path, &st) < 0)
			r = -errno;
		else if (!S_ISDIR(st.st_mode))
			r = -ENOTDIR;
		else if (u && st.st_uid != u->uid && st.st_uid != geteuid())
			r = -EPERM;
		else
			r = 0;
	}
	as_root(&s);
	return r;
}

int uf_rename(const struct uf_user *u, const char *from, const char *to)
{
	struct saved s;
	as_user(u, &s);
	int r = rename(from, to) < 0 ? -errno : 0;
	as_root(&s);
	return r;
}

int uf_unlink(const struct uf_user *u, const char *path)
{
	struct saved s;
	as_user(u, &s);
	int r = unlink(path) < 0 ? -errno : 0;
	as_root(&s);
	return r;
}
