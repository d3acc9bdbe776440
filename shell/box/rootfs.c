#include "rootfs.h"

#include <errno.h>
#include <stdio.h>
#include <sys/stat.h>

int rootfs_check(const char *dir, struct nerr *e)
{
	struct stat st;
	char sh[4200];
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
	return 0;
}
