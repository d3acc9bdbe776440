/* cmd.c - the command table (gathered by the linker) and the dispatcher. */
#include "cmd.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../kernel/cleanup.h"

extern const struct cmd_entry __start_nslab_cmds[];
extern const struct cmd_entry __stop_nslab_cmds[];

static const struct cmd_entry *sorted[128];
static size_t nsorted;

static int by_name(const void *a, const void *b)
{
	return strcmp((*(const struct cmd_entry *const *)a)->name,
		      (*(const struct cmd_entry *const *)b)->name);
}

const struct cmd_entry *const *cmd_all(size_t *ret_n)
{
	if (!nsorted) {
		for (const struct cmd_entry *c = __start_nslab_cmds;
		     c < __stop_nslab_cmds && nsorted < ARRAY_SIZE(sorted); c++)
			sorted[nsorted++] = c;
		/* An array of pointers, sorted as such. */
		qsort(sorted, nsorted, sizeof(sorted[0]), by_name); // NOLINT(bugprone-sizeof-expression)
	}
	*ret_n = nsorted;
	return sorted;
}

const struct cmd_entry *cmd_find(const char *name)
{
	size_t n;
	const struct cmd_entry *const *all = cmd_all(&n);
	for (size_t i = 0; i < n; i++)
		if (strcmp(all[i]->name, name) == 0)
			return all[i];
	return NULL;
}

/* Optimal string alignment distance, capped: enough for "did you mean". */
static int distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	if (la > 32 || lb > 32)
		return 99;
	int d[33][33];
	for (size_t i = 0; i <= la; i++)
		d[i][0] = (int)i;
	for (size_t j = 0; j <= lb; j++)
		d[0][j] = (int)j;
	for (size_t i = 1; i <= la; i++) {
		for (size_t j = 1; j <= lb; j++) {
			int cost = a[i - 1] != b[j - 1];
			int v = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < v)
				v = d[i][j - 1] + 1;
			if (d[i - 1][j - 1] + cost < v)
				v = d[i - 1][j - 1] + cost;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    d[i - 2][j - 2] + 1 < v)
				v = d[i - 2][j - 2] + 1;
			d[i][j] = v;
		}
	}
	return d[la][lb];
}

const char *cmd_suggest(const char *word)
{
	size_t n;
	const struct cmd_entry *const *all = cmd_all(&n);
	const char *best = NULL;
	int bd = 3;
	for (size_t i = 0; i < n; i++) {
		if (all[i]->flags & CMD_HIDDEN)
			continue;
		int d = distance(word, all[i]->name);
		if (d < bd) {
			bd = d;
			best = all[i]->name;
		}
	}
	return best;
}

int cmd_run(struct nslab *ctx, int argc, char **argv)
{
	if (argc == 0)
		return CMD_OK;
	const struct cmd_entry *c = cmd_find(argv[0]);
	if (!c) {
		const char *s = cmd_suggest(argv[0]);
		if (s)
			out_msg(ctx, _("unknown command '%s'. Did you mean '%s'? ('help' lists all)"),
				argv[0], s);
		else
			out_msg(ctx, _("unknown command '%s' ('help' lists all)"), argv[0]);
		return CMD_USAGE;
	}
	int nargs = argc - 1;
	if (nargs < c->min_args)
		return out_usage(ctx, c, _("too few arguments"));
	if (c->max_args >= 0 && nargs > c->max_args)
		return out_usage(ctx, c, _("too many arguments"));
	if ((c->flags & CMD_ROOT) && !ctx->is_root) {
		out_msg(ctx, _("'%s' needs root: namespaces other than user, mounts and cgroups "
			       "belong to root. Run: sudo nslab"),
			c->name);
		return CMD_FAIL;
	}
	if (c->flags & CMD_NOLOG) {
		int r = c->exec(ctx, argc, argv);
		out_explain(ctx);
		return r;
	}
	/* What the command shows is kept for lab checks ("last output contains"),
	 * whatever the command: `proc 1 version` shows the kernel's version as
	 * well as `run cat /proc/version`. Commands that keep their own copy (run,
	 * cg get, net exec) set last_out themselves. */
	char *prev = ctx->last_out, *shown = NULL;
	size_t prev_len = ctx->last_out_len, shown_len = 0;
	ctx->last_out = NULL;
	ctx->last_out_len = 0;
	FILE *outer = ctx->tee;
	ctx->tee = outer ? NULL : open_memstream(&shown, &shown_len);
	int r = c->exec(ctx, argc, argv);
	out_explain(ctx);
	if (ctx->tee)
		fclose(ctx->tee);
	ctx->tee = outer;
	if (ctx->last_out) {
		free(prev);
		free(shown);
	} else if (shown && shown_len) {
		free(prev);
		ctx->last_out = shown;
		ctx->last_out_len = shown_len;
	} else {
		/* Nothing shown (use, explain on): the last output stays. */
		free(shown);
		ctx->last_out = prev;
		ctx->last_out_len = prev_len;
	}
	return r;
}

int parse_long(const char *s, long long min, long long max, long long *ret)
{
	/* strtoll would also take " 5" and "+5": a whole number is digits,
	 * with a minus sign at most. */
	if (!s || !(isdigit((unsigned char)s[0]) || (s[0] == '-' && isdigit((unsigned char)s[1]))))
		return -EINVAL;
	char *end;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	if (*end != '\0')
		return -EINVAL;
	if (errno == ERANGE || v < min || v > max)
		return -ERANGE;
	*ret = v;
	return 0;
}

bool valid_name(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > 32 || s[0] == '.' || s[0] == '-')
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '_' || c == '-' || c == '.'))
			return false;
	}
	return true;
}
