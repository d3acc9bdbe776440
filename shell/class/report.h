/* report.h - the instructor's view of a class: progress files that learners
 * exported with `progress --export FILE` (format nslab-progress/1, see
 * docs-en/instructor-guide.md), merged per learner.
 *
 * A learner is named by the file: DIR/alice.json is "alice"; every file in a
 * subdirectory DIR/alice/ is also "alice". Several files of one learner are
 * merged: a step done in any of them is done. */
#ifndef NSLAB_REPORT_H
#define NSLAB_REPORT_H

#include <stdbool.h>
#include <stddef.h>

#define CLASS_LABS 100

struct class_step {
	char id[49];
	bool done;
};

struct class_lab {
	bool seen;
	char title[128];
	struct class_step *steps;
	int nsteps;
};

struct class_learner {
	char name[64];
	char who[128];      /* user@host from the newest file */
	char exported[32];  /* newest export time (ISO 8601, sorts as text) */
	int files;
	struct class_lab labs[CLASS_LABS];
};

struct class_report {
	struct class_learner *v;
	int n;
	int files; /* files merged */
};

/* Merge one progress file's text into @r as learner @name. Returns 0, or
 * -EINVAL with a msgid in *ret_why (not JSON, not a progress file...). */
int class_merge(struct class_report *r, const char *name, const char *text, size_t len,
		const char **ret_why);

/* Merge every *.json in @dir (and in its subdirectories, one level). For each
 * file that cannot be used, @skipped is called with its path and why (msgid or
 * strerror text). Returns the number of files merged, or -errno for @dir. */
int class_load_dir(struct class_report *r, const char *dir,
		   void (*skipped)(void *arg, const char *path, const char *why), void *arg);

/* Learners sorted by name. */
void class_sort(struct class_report *r);
void class_report_free(struct class_report *r);

/* Steps done in lab @num; *ret_total gets its step count. */
int class_lab_done(const struct class_learner *l, int num, int *ret_total);
/* The furthest point reached: the highest lab with a done step (-1 if none),
 * and in it the first step not done (index in *ret_step, -1 when complete). */
int class_reached(const struct class_learner *l, int *ret_step);

#endif
