/* rootfs.h - the lab root file systems built by rootfs-scripts/. */
#ifndef NSLAB_ROOTFS_H
#define NSLAB_ROOTFS_H

#include <stddef.h>

#include "../kernel/err.h"

/* Is @dir usable as a box's lower layer: a directory with bin/sh, and, when a
 * manifest (DIR.manifest, sha256sum format) sits beside it, unchanged since it
 * was built? Returns 0 or -errno with e->why saying how to build it. */
int rootfs_check(const char *dir, struct nerr *e);

/* Remove the check stamps of rootfs that no longer exist (a test's
 * temporary copy, a moved tree): the stamps outlive runs until reboot. */
void rootfs_stamps_prune(void);

/* May @dir be a box's rootfs at all? realpath(3) it into @ret_real, then
 * refuse / itself (a copy of / would copy the machine), a directory that
 * holds nslab's state directory or lies inside it (a copy would copy itself),
 * a kernel pseudo file system (statfs(2): proc, sysfs), and a path the overlay
 * mount options cannot carry (',' ':' or control characters). */
int rootfs_guard(const char *dir, char *ret_real, size_t len, struct nerr *e);

/* Bytes a copy of @dir would take (files, links and directories, not crossing
 * mount points), or -errno. */
long long rootfs_size(const char *dir);

#endif
