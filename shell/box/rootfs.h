/* rootfs.h - the lab root file systems built by rootfs-scripts/. */
#ifndef NSLAB_ROOTFS_H
#define NSLAB_ROOTFS_H

#include <stddef.h>

#include "../kernel/err.h"

/* Is @dir usable as a box's lower layer: a directory with bin/sh, and, when a
 * manifest (DIR.manifest, sha256sum format) sits beside it, unchanged since it
 * was built? Returns 0 or -errno with e->why saying how to build it. */
int rootfs_check(const char *dir, struct nerr *e);

#endif
