/* cmd.h - shell commands. Each command group lives in one file and registers
 * its entries with CMD_REGISTER; the entries land in one linker section, so the
 * command table is built by the linker (the way the Linux kernel gathers its
 * initcalls) and a new command touches no central file. The dispatcher checks
 * argument counts from the table, once for every command (redis-cli style). */
#ifndef NSLAB_CMD_H
#define NSLAB_CMD_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "../i18n.h"
#include "../kernel/err.h"
#include "../nslab.h"

enum { CMD_OK = 0, CMD_FAIL = 1, CMD_USAGE = 2 };

enum cmd_flags {
	CMD_ROOT = 1 << 0,   /* needs root (or a user namespace) */
	CMD_NOLOG = 1 << 1,  /* not a learner action: lab auto-check skips it */
	CMD_HIDDEN = 1 << 2, /* not listed in help */
	CMD_TOPLEVEL = 1 << 3, /* also a mode: `nslab NAME ARGS` (cleanup, doctor, top, demo) */
};

/* What completion offers after the command word. */
enum cmd_complete { COMPLETE_NONE, COMPLETE_FILE, COMPLETE_BOX, COMPLETE_SUB, COMPLETE_CMD };

struct cmd_entry {
	const char *name;
	const char *args;    /* synopsis after the name, untranslated: "NAME [--ns LIST|all]" */
	const char *summary; /* msgid: one line for `help` */
	const char *help;    /* msgid or NULL: longer text for `help NAME` */
	int min_args, max_args; /* words after the name; max -1 = any */
	unsigned flags;
	enum cmd_complete complete;
	const char *subs; /* space-separated subcommands for completion: "new ls rm" */
	int (*exec)(struct nslab *ctx, int argc, char **argv); /* argv[0] is the name */
};

#define CMD_REGISTER(var)                                                                          \
	static const struct cmd_entry var                                                          \
		__attribute__((used, section("nslab_cmds"), aligned(sizeof(void *))))

/* The table, sorted by name. */
const struct cmd_entry *const *cmd_all(size_t *ret_n);
const struct cmd_entry *cmd_find(const char *name);

/* Run one command line (already split into words). Returns the exit status. */
int cmd_run(struct nslab *ctx, int argc, char **argv);

/* The command reference in Markdown (help --markdown, for make docs). */
int cmd_help_markdown(struct nslab *ctx);

/* The closest command name to @word (Damerau-Levenshtein <= 2), or NULL. */
const char *cmd_suggest(const char *word);

/* --- output, in the learner's language; only the command layer prints --- */
void out(struct nslab *ctx, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* @s padded to @width display columns (wide characters count double). */
void out_col(struct nslab *ctx, const char *s, int width);
/* Display columns of @s (a Korean letter takes two). */
size_t out_cols(const char *s);
/* Columns to wrap text at: the terminal's (at most 100), $COLUMNS, else 80. */
int out_width(struct nslab *ctx);
/* Whether what is printed goes to a terminal (attributes allowed). */
bool out_color(struct nslab *ctx);
/* The same into @buf (a negative @width pads on the left, like "%6s"), for a
 * "%s" among other fields, or a msgid's "%-9s" (already wide enough); returns @buf. */
const char *out_pad(char *buf, size_t len, const char *s, int width);
/* "nslab: " + message on stderr. */
void out_msg(struct nslab *ctx, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A usage error for @e (prints the synopsis); returns CMD_USAGE. */
int out_usage(struct nslab *ctx, const struct cmd_entry *e, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* A refused system call: what failed, errno, what it means, what to do. Returns CMD_FAIL. */
int out_nerr(struct nslab *ctx, const struct nerr *e);
/* Print the trace records that `explain on` has not shown yet. */
void out_explain(struct nslab *ctx);

/* --- small parsers shared by commands --- */
/* Whole decimal number in [min, max]; -EINVAL / -ERANGE otherwise. */
int parse_long(const char *s, long long min, long long max, long long *ret);
/* A name for a box or cgroup: 1-32 of [A-Za-z0-9_.-], not starting with '.' or '-'. */
bool valid_name(const char *s);

/* --- boxes, for every command that takes a PID --- */
struct box *box_find(struct nslab *ctx, const char *name);
void box_remove_all(struct nslab *ctx);
/* The lab in progress, if any (shell/cmd/lab.c); accepts none. */
void lab_state_free(struct nslab *ctx);
/* A PID, a box name (its PID 1), or NULL for the current box (or nslab itself
 * when there is none). Prints the error and returns -1 when it names nothing. */
pid_t resolve_pid(struct nslab *ctx, const char *word);

#endif
