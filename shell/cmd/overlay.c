/* overlay.c - layers: the overlay under a box's root, and what its upper
 * layer holds (copied-up files, new files, whiteouts). How image layers work:
 * Docker's image layers are overlay lower dirs; the container's writes land
 * in one upper dir. */
#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../box/box.h"
#include "../box/layers.h"
#include "../kernel/cleanup.h"
#include "../kernel/procfs.h"
#include "security.h"

static const char *const kind_text[] = {
	[UP_NEW] = N_("new: only in upper"),
	[UP_COPIED] = N_("copied up: upper hides the lower file"),
	[UP_DIR] = N_("directory copied up to hold what changed below"),
	[UP_WHITEOUT] = N_("whiteout (char device 0:0): hides the lower file, it looks deleted"),
	[UP_OPAQUE] = N_("opaque directory: hides everything the lower one held"),
};

struct walk {
	struct nslab *ctx;
	const char *lower;
	size_t upper_len;
	int shown, count[UP_KINDS];
};

static struct walk *walk_now; /* nftw passes no user pointer */

static int visit(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)flag;
	struct walk *w = walk_now;
	if (ftw->level == 0)
		return 0;
	const char *rel = path + w->upper_len + 1;
	enum upper_kind k = layers_kind(w->lower, rel, st, path);
	w->count[k]++;
	if (k == UP_DIR)
		return 0;
	if (w->shown++ < 200)
		out(w->ctx, "  /%-30s %s\n", rel, _(kind_text[k]));
	return 0;
}

/* The overlay's options as the kernel reports them in the box's mountinfo. */
static void print_mount(struct nslab *ctx, pid_t pid)
{
	_cleanup_close_ int proc = proc_open_root();
	_cleanup_free_ char *mi = NULL;
	struct nerr e;
	if (proc < 0 || proc_read(proc, pid, "mountinfo", &mi, NULL, &e) < 0)
		return;
	for (char *l = strtok(mi, "\n"); l; l = strtok(NULL, "\n")) {
		char *sep = strstr(l, " - overlay ");
		char mp[PATH_MAX];
		if (!sep || sscanf(l, "%*s %*s %*s %*s %4095s", mp) != 1 || strcmp(mp, "/") != 0)
			continue;
		out(ctx, _("mountinfo of the box's / (the kernel's word):\n"));
		char *opts = strrchr(sep, ' ');
		for (char *o = strtok(opts ? opts + 1 : sep, ","); o; o = strtok(NULL, ","))
			if (strncmp(o, "lowerdir=", 9) == 0 || strncmp(o, "upperdir=", 9) == 0 ||
			    strncmp(o, "workdir=", 8) == 0)
				out(ctx, "  %s\n", o);
		return;
	}
}

static int exec_layers(struct nslab *ctx, int argc, char **argv)
{
	struct box *b = argc > 1 ? box_find(ctx, argv[1]) : ctx->cur;
	if (!b) {
		if (argc > 1)
			out_msg(ctx, _("no box named '%s' ('box ls' lists them)"), argv[1]);
		else
			out_msg(ctx, _("no current box: make one with 'box new NAME' or choose one with 'use NAME'"));
		return CMD_FAIL;
	}
	if (b->plan.fs != FS_OVERLAY) {
		out(ctx, _("box %s has a full copy of the root file system, not an overlay (--copy, "
			   "no mount namespace, or a shifted uid map): every byte was copied up front\n"),
		    b->spec.name);
		return CMD_OK;
	}
	out(ctx, _("box %s: root is an overlay mount\n"), b->spec.name);
	out(ctx, "  %-7s %s  %s\n", "lower", b->spec.rootfs, _("(read-only: the image; never written)"));
	out(ctx, "  %-7s %s  %s\n", "upper", b->plan.upper, _("(every write of the box lands here)"));
	out(ctx, "  %-7s %s  %s\n", "work", b->plan.work, _("(overlayfs's scratch space for atomic copy-up)"));
	if (!box_poll_dead(b))
		print_mount(ctx, b->pid);
	out(ctx, _("what the upper layer holds:\n"));
	struct walk w = { .ctx = ctx, .lower = b->spec.rootfs, .upper_len = strlen(b->plan.upper) };
	walk_now = &w;
	nftw(b->plan.upper, visit, 16, FTW_PHYS | FTW_MOUNT);
	walk_now = NULL;
	if (w.shown == 0)
		out(ctx, _("  (nothing yet: the box has written nothing. Try: run sh -c 'echo hi > /etc/motd; rm /etc/hostname')\n"));
	else if (w.shown > 200)
		out(ctx, _("  ... and %d more\n"), w.shown - 200);
	out(ctx, _("%d new, %d copied up, %d whiteouts, %d opaque directories\n"), w.count[UP_NEW],
	    w.count[UP_COPIED], w.count[UP_WHITEOUT], w.count[UP_OPAQUE]);
	return CMD_OK;
}

CMD_REGISTER(layers_cmd) = {
	.name = "layers",
	.args = "[BOX]",
	.summary = N_("overlayfs: a box's lower, upper and work dirs, and what the upper holds"),
	.help = N_("A box's root is an overlay: the rootfs is the read-only lower layer (like "
		   "Docker's image layers), and every write goes to the upper dir. Changing a "
		   "file copies it up first; deleting a lower file leaves a whiteout, a 0:0 "
		   "character device that hides it. layers lists the layers and the upper "
		   "dir's entries, each with what it means."),
	.min_args = 0,
	.max_args = 1,
	.flags = CMD_ROOT,
	.complete = COMPLETE_BOX,
	.exec = exec_layers,
};
