/* core.c - help, explain, exit. */
#include <stdio.h>
#include <string.h>

#include "../kernel/trace.h"
#include "cmd.h"

static int exec_help(struct nslab *ctx, int argc, char **argv)
{
	/* Hidden: the command reference for make docs (shell/cmd/docs.c). */
	if (argc > 1 && strcmp(argv[1], "--markdown") == 0)
		return cmd_help_markdown(ctx);
	if (argc > 1) {
		const struct cmd_entry *c = cmd_find(argv[1]);
		if (!c) {
			const char *s = cmd_suggest(argv[1]);
			out_msg(ctx, s ? _("no command '%s'. Did you mean '%s'?") : _("no command '%s'"),
				argv[1], s);
			return CMD_USAGE;
		}
		out(ctx, "%s %s\n  %s\n", c->name, c->args ? c->args : "", _(c->summary));
		if (c->help)
			out(ctx, "\n  %s\n", _(c->help));
		return CMD_OK;
	}
	size_t n;
	const struct cmd_entry *const *all = cmd_all(&n);
	out(ctx, _("Commands (help CMD for more):\n"));
	for (size_t i = 0; i < n; i++)
		if (!(all[i]->flags & CMD_HIDDEN))
			out(ctx, "  %-10s %s\n", all[i]->name, _(all[i]->summary));
	return CMD_OK;
}

CMD_REGISTER(help_cmd) = {
	.name = "help",
	.args = "[CMD]",
	.summary = N_("list commands, or explain one"),
	.min_args = 0,
	.max_args = 1,
	.flags = CMD_NOLOG,
	.complete = COMPLETE_CMD,
	.exec = exec_help,
};

static int exec_explain(struct nslab *ctx, int argc, char **argv)
{
	if (argc == 1) {
		out(ctx, ctx->explain ? _("explain is on\n") : _("explain is off\n"));
		return CMD_OK;
	}
	if (strcmp(argv[1], "on") == 0) {
		ctx->explain = true;
		/* Show only what happens from now on. */
		ctx->tr_seen = tr_last_seq();
	} else if (strcmp(argv[1], "off") == 0) {
		ctx->explain = false;
	} else {
		return out_usage(ctx, cmd_find("explain"), _("say on or off"));
	}
	return CMD_OK;
}

CMD_REGISTER(explain_cmd) = {
	.name = "explain",
	.args = "on|off",
	.summary = N_("print each system call as it is made, with its result"),
	.min_args = 0,
	.max_args = 1,
	.flags = CMD_NOLOG,
	.complete = COMPLETE_SUB,
	.subs = "on off",
	.exec = exec_explain,
};

static int exec_exit(struct nslab *ctx, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	ctx->quit = true;
	return ctx->last_status;
}

CMD_REGISTER(exit_cmd) = {
	.name = "exit",
	.args = "",
	.summary = N_("leave nslab (boxes are removed)"),
	.min_args = 0,
	.max_args = 0,
	.flags = CMD_NOLOG,
	.exec = exec_exit,
};

CMD_REGISTER(quit_cmd) = {
	.name = "quit",
	.args = "",
	.summary = N_("leave nslab (boxes are removed)"),
	.min_args = 0,
	.max_args = 0,
	.flags = CMD_NOLOG | CMD_HIDDEN,
	.exec = exec_exit,
};

static int exec_echo(struct nslab *ctx, int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		out(ctx, "%s%s", i > 1 ? " " : "", argv[i]);
	out(ctx, "\n");
	return CMD_OK;
}

CMD_REGISTER(echo_cmd) = {
	.name = "echo",
	.args = "[WORDS...]",
	.summary = N_("print words (for scripts and demos)"),
	.min_args = 0,
	.max_args = -1,
	.flags = CMD_NOLOG,
	.exec = exec_echo,
};
