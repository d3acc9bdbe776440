/* report.c - read and merge learners' progress files (see report.h). */
#include "report.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../i18n.h"
#include "../kernel/cleanup.h"
#include "json.h"

void class_report_free(struct class_report *r)
{
	for (int i = 0; i < r->n; i++)
		for (int k = 0; k < CLASS_LABS; k++)
			free(r->v[i].labs[k].steps);
	free(r->v);
	r->v = NULL;
	r->n = 0;
}

static struct class_learner *learner(struct class_report *r, const char *name)
{
	for (int i = 0; i < r->n; i++)
		if (strcmp(r->v[i].name, name) == 0)
			return &r->v[i];
	struct class_learner *v = realloc(r->v, sizeof(*v) * (size_t)(r->n + 1));
	if (!v)
		return NULL;
	r->v = v;
	struct class_learner *l = &v[r->n++];
	memset(l, 0, sizeof(*l));
	snprintf(l->name, sizeof(l->name), "%s", name);
	return l;
}

static int add_step(struct class_lab *lab, const char *id, bool done)
{
	for (int i = 0; i < lab->nsteps; i++)
		if (strcmp(lab->steps[i].id, id) == 0) {
			lab->steps[i].done |= done;
			return 0;
		}
	struct class_step *s = realloc(lab->steps, sizeof(*s) * (size_t)(lab->nsteps + 1));
	if (!s)
		return -ENOMEM;
	lab->steps = s;
	snprintf(s[lab->nsteps].id, sizeof(s->id), "%s", id);
	s[lab->nsteps++].done = done;
	return 0;
}

int class_merge(struct class_report *r, const char *name, const char *text, size_t len,
		const char **ret_why)
{
	struct json *j = NULL;
	size_t off;
	*ret_why = NULL;
	if (json_parse(text, len, &j, &off) < 0) {
		*ret_why = N_("not valid JSON");
		return -EINVAL;
	}
	int rc = -EINVAL;
	const char *fmt = json_str(j, "format", "");
	const struct json *labs = json_get(j, "labs");
	if (strncmp(fmt, "nslab-progress/1", 16) != 0 || !labs || labs->type != JSON_ARR) {
		*ret_why = N_("not an nslab progress file (format nslab-progress/1)");
		goto out;
	}
	/* Check every lab first, so a bad file changes nothing. */
	for (size_t i = 0; i < labs->n; i++) {
		double num = json_num(&labs->items[i], "number", -1);
		const struct json *steps = json_get(&labs->items[i], "steps");
		if (num < 0 || num >= CLASS_LABS || num != (int)num || !steps ||
		    steps->type != JSON_ARR) {
			*ret_why = N_("a lab without a number (0-99) or a steps list");
			goto out;
		}
		for (size_t k = 0; k < steps->n; k++)
			if (!json_str(&steps->items[k], "id", NULL)) {
				*ret_why = N_("a step without an id");
				goto out;
			}
	}
	struct class_learner *l = learner(r, name);
	if (!l) {
		rc = -ENOMEM;
		goto out;
	}
	const char *exported = json_str(j, "exported", "");
	if (strcmp(exported, l->exported) >= 0) {
		snprintf(l->exported, sizeof(l->exported), "%s", exported);
		snprintf(l->who, sizeof(l->who), "%s@%s", json_str(j, "user", "?"),
			 json_str(j, "host", "?"));
	}
	for (size_t i = 0; i < labs->n; i++) {
		const struct json *lj = &labs->items[i];
		struct class_lab *lab = &l->labs[(int)json_num(lj, "number", 0)];
		const struct json *steps = json_get(lj, "steps");
		lab->seen = true;
		if (!lab->title[0])
			snprintf(lab->title, sizeof(lab->title), "%s", json_str(lj, "title", ""));
		for (size_t k = 0; k < steps->n; k++)
			if (add_step(lab, json_str(&steps->items[k], "id", ""),
				     json_bool(&steps->items[k], "done", false)) < 0) {
				rc = -ENOMEM;
				goto out;
			}
	}
	l->files++;
	r->files++;
	rc = 0;
out:
	json_free(j);
	return rc;
}

static int read_all(const char *path, char **ret, size_t *ret_len)
{
	_cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) < 0)
		return -errno;
	if (st.st_size > (8 << 20))
		return -EFBIG;
	char *buf = malloc((size_t)st.st_size + 1);
	if (!buf)
		return -ENOMEM;
	size_t got = 0;
	while (got < (size_t)st.st_size) {
		ssize_t n = read(fd, buf + got, (size_t)st.st_size - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	buf[got] = '\0';
	*ret = buf;
	*ret_len = got;
	return 0;
}

static bool is_json(const char *name)
{
	size_t n = strlen(name);
	return n > 5 && name[0] != '.' && strcmp(name + n - 5, ".json") == 0;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* One directory: its *.json files as learner @name (NULL: each file's stem),
 * and, at the top, its subdirectories as learners. */
static int load(struct class_report *r, const char *dir, const char *name, int *merged,
		void (*skipped)(void *, const char *, const char *), void *arg)
{
	_cleanup_closedir_ DIR *d = opendir(dir);
	if (!d)
		return -errno;
	char *names[512] = { 0 };
	size_t n = 0;
	struct dirent *de;
	while ((de = readdir(d)) && n < ARRAY_SIZE(names))
		if (de->d_name[0] != '.')
			names[n++] = strdup(de->d_name);
	/* Sorted, so the report does not depend on the order of readdir. */
	qsort(names, n, sizeof(names[0]), by_name);
	for (size_t i = 0; i < n; i++) {
		if (!names[i])
			continue;
		char path[PATH_MAX];
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		struct stat st;
		if (stat(path, &st) < 0) {
			skipped(arg, path, strerror(errno));
		} else if (S_ISDIR(st.st_mode) && !name) {
			load(r, path, names[i], merged, skipped, arg);
		} else if (S_ISREG(st.st_mode) && is_json(names[i])) {
			char stem[64];
			snprintf(stem, sizeof(stem), "%.*s", (int)(strlen(names[i]) - 5), names[i]);
			_cleanup_free_ char *text = NULL;
			size_t len = 0;
			const char *why = NULL;
			int e = read_all(path, &text, &len);
			if (e < 0)
				skipped(arg, path, strerror(-e));
			else if (class_merge(r, name ? name : stem, text, len, &why) < 0)
				skipped(arg, path, why ? _(why) : strerror(ENOMEM));
			else
				(*merged)++;
		}
		free(names[i]);
	}
	return 0;
}

int class_load_dir(struct class_report *r, const char *dir,
		   void (*skipped)(void *arg, const char *path, const char *why), void *arg)
{
	int merged = 0;
	int e = load(r, dir, NULL, &merged, skipped, arg);
	return e < 0 ? e : merged;
}

static int learner_cmp(const void *a, const void *b)
{
	return strcmp(((const struct class_learner *)a)->name,
		      ((const struct class_learner *)b)->name);
}

void class_sort(struct class_report *r)
{
	if (r->n > 1)
		qsort(r->v, (size_t)r->n, sizeof(r->v[0]), learner_cmp);
}

int class_lab_done(const struct class_learner *l, int num, int *ret_total)
{
	const struct class_lab *lab = &l->labs[num];
	int done = 0;
	for (int i = 0; i < lab->nsteps; i++)
		done += lab->steps[i].done;
	*ret_total = lab->nsteps;
	return done;
}

int class_reached(const struct class_learner *l, int *ret_step)
{
	*ret_step = -1;
	for (int num = CLASS_LABS - 1; num >= 0; num--) {
		int total;
		if (class_lab_done(l, num, &total) == 0)
			continue;
		for (int i = 0; i < l->labs[num].nsteps; i++)
			if (!l->labs[num].steps[i].done) {
				*ret_step = i;
				break;
			}
		return num;
	}
	return -1;
}
