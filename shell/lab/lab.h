/* lab.h - guided labs: the Markdown loader, the predicates that check a step
 * against kernel state, and the per-learner progress store.
 *
 * A lab is labs/NN-slug/{en,ko}.md (format: docs-en/labs-format.md). The
 * loader turns it into a struct lab; nothing here prints (the commands in
 * shell/cmd/lab.c do). Checks never look at what was typed: each predicate
 * reads /proc, the box table or asks the kernel from inside a namespace. */
#ifndef NSLAB_LAB_H
#define NSLAB_LAB_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "../kernel/ptree.h"
#include "../nslab.h"

#define LAB_ID_MAX 48
#define LAB_MAX 100 /* lab numbers are two digits */

/* ---------------- the loaded lab ---------------- */

struct lab_pred;

struct lab_check {
	int argc;    /* words after the predicate name */
	char **argv; /* NULL-terminated */
	char *text;  /* the line as written, for messages */
	int line;
	const struct lab_pred *pred;
	/* A check on growth ("cpu.stat usage_usec +>= 2000000"): the value
	 * when the step began (lab_step_baseline). */
	long long base;
	bool have_base;
};

struct lab_step {
	char id[LAB_ID_MAX + 1];
	char *title;
	char *prose; /* prose and non-shell blocks, Markdown as written */
	char **cmds; /* lines of the nslab blocks */
	int ncmds;
	struct lab_check *checks;
	int nchecks;
	char **hints; /* one string per hint block */
	int nhints;
	int line;
};

enum lab_need {
	NEED_ROOT = 1 << 0,
	NEED_CGROUP2 = 1 << 1,
	NEED_OVERLAY = 1 << 2,
	NEED_LSM = 1 << 3,
};

enum lab_rootless { ROOTLESS_NO, ROOTLESS_YES, ROOTLESS_PARTLY };

struct lab {
	int num;
	char slug[64];
	char path[PATH_MAX];
	char lang[4];
	char *title;
	char *intro;
	unsigned needs;  /* enum lab_need */
	int needs_ns;    /* CLONE_NEW* flags of ns:TYPE */
	enum lab_rootless rootless;
	struct lab_step *steps;
	int nsteps;
	char **cleanup; /* lines of the cleanup block */
	int ncleanup;
};

struct lab_error {
	char file[PATH_MAX];
	int line;       /* 0: the file as a whole */
	char msg[512];  /* in the learner's language */
};

/* Parse lab text @text (NUL-terminated); @file names it in errors. On
 * failure, -EINVAL with err filled (file, line, what is wrong). */
int lab_parse(const char *text, const char *file, struct lab *lab, struct lab_error *err);

/* Read and parse @path. -errno when it cannot be read (err says so). */
int lab_load(const char *path, struct lab **ret, struct lab_error *err);
void lab_free(struct lab *lab);

/* One lab directory under DATADIR/labs. */
struct lab_entry {
	int num;
	char slug[64];
	char dir[PATH_MAX];
};

/* The labs under @datadir/labs, sorted by number. Returns the count or -errno. */
int lab_list(const char *datadir, struct lab_entry **ret);

/* Path of lab @num in @lang (falls back to en when @lang is missing). */
int lab_path(const char *datadir, int num, const char *lang, char *out, size_t len);

/* ---------------- checking ---------------- */

/* What a check may look at, read lazily and once per check run. */
struct lab_snap {
	struct nslab *ctx;
	int proc; /* /proc, O_PATH */
	struct ptree tree;
	bool have_tree;
	int last_status;       /* of the last command that was not CMD_NOLOG */
	bool have_status;
	struct lab_check *check; /* the check being evaluated (its baseline) */
	bool baseline;           /* lab_step_baseline: record, do not judge */
	const char *seen;        /* what the commands of this step showed, or NULL */
};

struct lab_pred {
	const char *name;
	const char *synopsis; /* untranslated: "box BOX exists|running|stopped|absent" */
	int min_words, max_words; /* words after the name; max -1 = any */
	/* At load time: return a msgid naming what is wrong with the words, or NULL. */
	const char *(*validate)(int argc, char **argv);
	/* Pass (true) or fail; in both cases write what was seen into @saw. */
	bool (*eval)(struct lab_snap *s, int argc, char **argv, char *saw, size_t len);
};

extern const struct lab_pred lab_preds[];
extern const struct lab_pred lab_preds_ns[]; /* pred_ns.c: network, user, cgroup, time */
const struct lab_pred *lab_pred_find(const char *name);

void lab_snap_init(struct lab_snap *s, struct nslab *ctx, int last_status, bool have_status);
void lab_snap_free(struct lab_snap *s);

/* Evaluate every check of @step; stops at the first that fails and returns
 * its index (saw filled), or -1 when all hold. */
int lab_check_step(struct lab_snap *s, struct lab_step *step, char *saw, size_t len);

/* The step begins: checks on growth (OP written +>=, +>...) read and keep
 * their starting value, so that they judge what happened during the step. */
void lab_step_baseline(struct lab_snap *s, struct lab_step *step);

/* Needs of @lab that this machine and run lack: a msgid-translated,
 * newline-separated list "what: how to get it" in @out. Returns how many. */
int lab_missing_needs(const struct lab *lab, bool is_root, char *out, size_t len);

/* ---------------- progress ---------------- */

struct lab_prog_step {
	char id[LAB_ID_MAX + 1];
	long long done_at; /* unix time; 0 = not done */
	int hints;         /* hints revealed */
};

struct lab_prog {
	int num;
	int at; /* current step index */
	struct lab_prog_step *steps;
	int nsteps;
};

struct lab_progress {
	struct lab_prog labs[LAB_MAX];
};

/* Load @userdir/progress as @uid:@gid (missing file: empty progress). */
int lab_progress_load(const char *userdir, uid_t uid, gid_t gid, struct lab_progress *p);
/* Merge in what is on disk (under a lock) and write it atomically, as @uid:@gid. */
int lab_progress_save(const char *userdir, uid_t uid, gid_t gid, struct lab_progress *p);
void lab_progress_free(struct lab_progress *p);
/* The record of step @id in lab @num, created when @create. */
struct lab_prog_step *lab_progress_step(struct lab_progress *p, int num, const char *id,
					bool create);
/* How many of @lab's steps are done. */
int lab_progress_done(const struct lab_progress *p, const struct lab *lab);

#endif
