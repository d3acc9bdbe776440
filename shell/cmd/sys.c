/* sys.c - cleanup: remove what nslab runs left behind. */
#include <string.h>

#include "../box/state.h"
#include "cmd.h"

static int exec_cleanup(struct nslab *ctx, int argc, char **argv)
{
	bool all = argc > 1 && strcmp(argv[1], "--all") == 0;
	if (argc > 1 && !all)
		return out_usage(ctx, cmd_find("cleanup"), _("only --all is known"));
	int items = 0;
	int n = sess_cleanup_stale(all, &items);
	/* Count what this run's start removed too: it was the same job. */
	n += ctx->stale_runs;
	items += ctx->stale_items;
	ctx->stale_runs = ctx->stale_items = 0;
	out(ctx, _("cleanup: %d earlier run(s) cleaned, %d resource(s) removed\n"), n, items);
	return CMD_OK;
}

CMD_REGISTER(cleanup_cmd) = {
	.name = "cleanup",
	.args = "[--all]",
	.summary = N_("remove every resource nslab left behind (also done at start)"),
	.help = N_("Reads the records under /run/nslab of runs whose nslab has ended, kills their "
		   "boxes, and removes their cgroups, links and directories. --all also cleans "
		   "runs that are still going."),
	.min_args = 0,
	.max_args = 1,
	.flags = CMD_TOPLEVEL | CMD_NOLOG,
	.exec = exec_cleanup,
};
