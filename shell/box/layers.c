#include "layers.h"

#include <limits.h>
#include <stdio.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>

enum upper_kind layers_kind(const char *lower_root, const char *rel, const struct stat *st,
			    const char *upper_path)
{
	if (S_ISCHR(st->st_mode) && major(st->st_rdev) == 0 && minor(st->st_rdev) == 0)
		return UP_WHITEOUT;
	char v[8];
	/* trusted.* for a root-made overlay, user.* for one made in a user namespace. */
	if (S_ISDIR(st->st_mode) &&
	    (getxattr(upper_path, "trusted.overlay.opaque", v, sizeof(v)) == 1 ||
	     getxattr(upper_path, "user.overlay.opaque", v, sizeof(v)) == 1) &&
	    v[0] == 'y')
		return UP_OPAQUE;
	char lower[PATH_MAX * 2];
	struct stat lst;
	snprintf(lower, sizeof(lower), "%s/%s", lower_root, rel);
	if (lstat(lower, &lst) < 0)
		return UP_NEW;
	return S_ISDIR(st->st_mode) ? UP_DIR : UP_COPIED;
}
