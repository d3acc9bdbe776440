/* userfile.h - a learner's files, touched with the learner's rights.
 *
 * nslab runs as root, but everything it keeps in a learner's home (state
 * dir, history, progress, recordings, exports) is opened with the fsuid and
 * fsgid of the learner and O_NOFOLLOW on the last component: a symlink or a
 * hard link planted there gets at most what the learner could do anyway.
 * Without root (or when the learner is root) these are plain calls. */
#ifndef NSLAB_USERFILE_H
#define NSLAB_USERFILE_H

#include <stdbool.h>
#include <stdio.h>
#include <sys/types.h>

struct uf_user {
	uid_t uid;
	gid_t gid;
};

/* open(2) as @u, always with O_NOFOLLOW|O_CLOEXEC; returns fd or -errno. */
int uf_open(const struct uf_user *u, const char *path, int flags, mode_t mode);

/* fopen-like: mode "r" (read), "w" (create/truncate), "a" (append). NULL and
 * errno set on failure. */
FILE *uf_fopen(const struct uf_user *u, const char *path, const char *mode);

/* mkdir(2) as @u (EEXIST counts as success only for a real directory of
 * @u's, never a link); 0 or -errno. */
int uf_mkdir(const struct uf_user *u, const char *path, mode_t mode);

/* rename(2) and unlink(2) as @u; 0 or -errno. */
int uf_rename(const struct uf_user *u, const char *from, const char *to);
int uf_unlink(const struct uf_user *u, const char *path);

#endif
