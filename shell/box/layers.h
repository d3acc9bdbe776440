/* layers.h - reading a box's overlay upper dir by overlayfs's rules
 * (Documentation/filesystems/overlayfs.rst): what each entry there means. */
#ifndef NSLAB_LAYERS_H
#define NSLAB_LAYERS_H

#include <sys/stat.h>

enum upper_kind {
	UP_NEW,      /* only in upper */
	UP_COPIED,   /* also in lower: the upper copy hides it (copy-up) */
	UP_DIR,      /* a directory also in lower, copied up to hold changes below */
	UP_WHITEOUT, /* char device 0:0: the lower file looks deleted */
	UP_OPAQUE,   /* directory with the opaque xattr: hides all of the lower one */
	UP_KINDS
};

/* @st is lstat of @upper_path, which is @rel under the upper dir; @lower_root
 * is the lower dir. */
enum upper_kind layers_kind(const char *lower_root, const char *rel, const struct stat *st,
			    const char *upper_path);

#endif
