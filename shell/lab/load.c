/* load.c - the lab loader: Markdown in, struct lab out (docs-en/labs-format.md).
 *
 * One pass over the lines. Headings and fenced blocks carry the structure;
 * everything else is prose, kept as written. Every mistake is reported with
 * the file, the line and what is wrong, so a lab author fixes it in one go. */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../i18n.h"
#include "../kernel/cleanup.h"
#include "../kernel/ns.h"
#include "../repl/tokenize.h"
#include "lab.h"

/* A growable string. */
struct sbuf {
	char *s;
	size_t len, cap;
};

static int sb_add(struct sbuf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		size_t nc = b->cap ? b->cap * 2 : 256;
		while (nc < b->len + n + 1)
			nc *= 2;
		char *p = realloc(b->s, nc);
		if (!p)
			return -ENOMEM;
		b->s = p;
		b->cap = nc;
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
	return 0;
}

/* Trailing blank lines of prose are noise when shown. */
static char *sb_take_trimmed(struct sbuf *b)
{
	if (!b->s)
		return strdup("");
	while (b->len && (b->s[b->len - 1] == '\n' || b->s[b->len - 1] == ' '))
		b->s[--b->len] = '\0';
	char *s = b->s;
	size_t lead = 0;
	while (s[lead] == '\n')
		lead++;
	memmove(s, s + lead, b->len - lead + 1);
	b->s = NULL;
	b->len = b->cap = 0;
	return s;
}

static int push_str(char ***v, int *n, const char *s)
{
	char **nv = realloc(*v, sizeof(char *) * (*n + 2));
	if (!nv)
		return -ENOMEM;
	*v = nv;
	if (!(nv[*n] = strdup(s)))
		return -ENOMEM;
	(*n)++;
	nv[*n] = NULL;
	return 0;
}

static void free_strv(char **v, int n)
{
	for (int i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void lab_free(struct lab *lab)
{
	if (!lab)
		return;
	for (int i = 0; i < lab->nsteps; i++) {
		struct lab_step *s = &lab->steps[i];
		free(s->title);
		free(s->prose);
		free_strv(s->cmds, s->ncmds);
		free_strv(s->hints, s->nhints);
		for (int k = 0; k < s->nchecks; k++) {
			free_strv(s->checks[k].argv, s->checks[k].argc);
			free(s->checks[k].text);
		}
		free(s->checks);
	}
	free(lab->steps);
	free(lab->title);
	free(lab->intro);
	free_strv(lab->cleanup, lab->ncleanup);
	free(lab);
}

/* ---------------- parser state ---------------- */

enum block { B_NONE, B_LAB, B_NSLAB, B_CHECK, B_HINT, B_CLEANUP, B_PROSE };

struct parser {
	struct lab *lab;
	struct lab_error *err;
	const char *file;
	int line;
	struct lab_step *step; /* NULL before the first ## */
	struct sbuf prose;     /* of the intro or the current step */
	struct sbuf hint;
	enum block block;
	int fence_len, fence_line;
	bool seen_lab, seen_cleanup;
};

static int fail(struct parser *p, int line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int fail(struct parser *p, int line, const char *fmt, ...)
{
	snprintf(p->err->file, sizeof(p->err->file), "%s", p->file);
	p->err->line = line;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(p->err->msg, sizeof(p->err->msg), fmt, ap);
	va_end(ap);
	return -EINVAL;
}

static int oom(struct parser *p)
{
	fail(p, p->line, "%s", strerror(ENOMEM));
	return -ENOMEM;
}

/* Blocks a lab may show as plain prose. */
static const char *const prose_langs[] = { "", "text", "sh", "console", "c", "json", "markdown",
					   "diff", NULL };

static bool is_prose_lang(const char *info)
{
	for (int i = 0; prose_langs[i]; i++)
		if (strcmp(info, prose_langs[i]) == 0)
			return true;
	return false;
}

static bool valid_id(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > LAB_ID_MAX)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!(islower((unsigned char)s[i]) || isdigit((unsigned char)s[i]) || s[i] == '-'))
			return false;
	return true;
}

/* The prose collected so far belongs to the intro or the current step. */
static int flush_prose(struct parser *p)
{
	char *text = sb_take_trimmed(&p->prose);
	if (!text)
		return oom(p);
	if (p->step)
		p->step->prose = text;
	else {
		free(p->lab->intro);
		p->lab->intro = text;
	}
	return 0;
}

/* "## Title {#id}" */
static int start_step(struct parser *p, const char *text)
{
	int r = flush_prose(p);
	if (r < 0)
		return r;
	char buf[512];
	snprintf(buf, sizeof(buf), "%s", text);
	size_t n = strlen(buf);
	while (n && isspace((unsigned char)buf[n - 1]))
		buf[--n] = '\0';
	char *open = strrchr(buf, '{');
	if (!open || n < 4 || buf[n - 1] != '}' || open[1] != '#')
		return fail(p, p->line, _("step heading '## %s' has no id: end it with {#some-id}"),
			    buf);
	buf[n - 1] = '\0';
	const char *id = open + 2;
	if (!valid_id(id))
		return fail(p, p->line,
			    _("step id '%s' is not valid: use lowercase letters, digits and '-' "
			      "(at most %d)"),
			    id, LAB_ID_MAX);
	for (int i = 0; i < p->lab->nsteps; i++)
		if (strcmp(p->lab->steps[i].id, id) == 0)
			return fail(p, p->line, _("step id '%s' is used twice (first on line %d)"), id,
				    p->lab->steps[i].line);
	*open = '\0';
	n = strlen(buf);
	while (n && isspace((unsigned char)buf[n - 1]))
		buf[--n] = '\0';
	if (!n)
		return fail(p, p->line, _("step '%s' has no title"), id);
	struct lab_step *ns = realloc(p->lab->steps, sizeof(*ns) * (p->lab->nsteps + 1));
	if (!ns)
		return oom(p);
	p->lab->steps = ns;
	p->step = &ns[p->lab->nsteps++];
	memset(p->step, 0, sizeof(*p->step));
	snprintf(p->step->id, sizeof(p->step->id), "%s", id);
	p->step->line = p->line;
	if (!(p->step->title = strdup(buf)))
		return oom(p);
	return 0;
}

static int lab_block_line(struct parser *p, char *line)
{
	char *colon = strchr(line, ':');
	if (!colon)
		return fail(p, p->line, _("in the lab block, write 'needs: ...' or 'rootless: ...'"));
	*colon = '\0';
	char *key = line, *val = colon + 1;
	while (isspace((unsigned char)*key))
		key++;
	size_t kl = strlen(key);
	while (kl && isspace((unsigned char)key[kl - 1]))
		key[--kl] = '\0';
	if (strcmp(key, "rootless") == 0) {
		char w[16] = "";
		if (sscanf(val, " %15s", w) != 1)
			w[0] = '\0';
		if (!strcmp(w, "yes"))
			p->lab->rootless = ROOTLESS_YES;
		else if (!strcmp(w, "no"))
			p->lab->rootless = ROOTLESS_NO;
		else if (!strcmp(w, "partly"))
			p->lab->rootless = ROOTLESS_PARTLY;
		else
			return fail(p, p->line, _("rootless: say yes, no or partly, not '%s'"), w);
		return 0;
	}
	if (strcmp(key, "needs") != 0)
		return fail(p, p->line, _("unknown key '%s' in the lab block (known: needs, rootless)"),
			    key);
	char *save = NULL;
	for (char *w = strtok_r(val, " \t", &save); w; w = strtok_r(NULL, " \t", &save)) {
		if (!strcmp(w, "root"))
			p->lab->needs |= NEED_ROOT;
		else if (!strcmp(w, "cgroup2"))
			p->lab->needs |= NEED_CGROUP2;
		else if (!strcmp(w, "overlay"))
			p->lab->needs |= NEED_OVERLAY;
		else if (!strcmp(w, "lsm"))
			p->lab->needs |= NEED_LSM;
		else if (!strncmp(w, "ns:", 3) && ns_by_name(w + 3))
			p->lab->needs_ns |= ns_by_name(w + 3)->flag;
		else
			return fail(p, p->line,
				    _("unknown need '%s' (known: root, ns:TYPE, cgroup2, overlay, lsm)"),
				    w);
	}
	return 0;
}

static int check_line(struct parser *p, const char *line)
{
	struct tok_cmd *cmds = NULL;
	const char *terr = NULL;
	int n = tok_split(line, &cmds, &terr);
	if (n < 0)
		return fail(p, p->line, _("check: %s"), _(terr));
	if (n == 0)
		return 0; /* blank or a # comment */
	int r = 0;
	if (n > 1) {
		r = fail(p, p->line, _("one predicate per line in a check block (found ';')"));
		goto out;
	}
	const struct lab_pred *pr = lab_pred_find(cmds[0].argv[0]);
	if (!pr) {
		r = fail(p, p->line, _("unknown predicate '%s' (see docs-en/labs-format.md)"),
			 cmds[0].argv[0]);
		goto out;
	}
	int argc = cmds[0].argc - 1;
	char **argv = cmds[0].argv + 1;
	if (argc < pr->min_words || (pr->max_words >= 0 && argc > pr->max_words)) {
		r = fail(p, p->line, _("'%s': wrong number of words; write: %s"), line, pr->synopsis);
		goto out;
	}
	const char *why = pr->validate ? pr->validate(argc, argv) : NULL;
	if (why) {
		r = fail(p, p->line, _("'%s': %s; write: %s"), line, _(why), pr->synopsis);
		goto out;
	}
	struct lab_step *s = p->step;
	struct lab_check *nc = realloc(s->checks, sizeof(*nc) * (s->nchecks + 1));
	if (!nc) {
		r = oom(p);
		goto out;
	}
	s->checks = nc;
	struct lab_check *c = &nc[s->nchecks];
	memset(c, 0, sizeof(*c));
	c->pred = pr;
	c->line = p->line;
	c->text = strdup(line);
	c->argv = calloc(argc + 1, sizeof(char *));
	if (!c->text || !c->argv) {
		free(c->text);
		free(c->argv);
		r = oom(p);
		goto out;
	}
	for (int i = 0; i < argc; i++)
		c->argv[i] = strdup(argv[i]);
	c->argc = argc;
	s->nchecks++;
out:
	tok_free(cmds, n);
	return r;
}

static int open_block(struct parser *p, const char *info, int fence)
{
	p->fence_len = fence;
	p->fence_line = p->line;
	if (!strcmp(info, "lab")) {
		if (p->step)
			return fail(p, p->line, _("the lab block belongs before the first step (## ...)"));
		if (p->seen_lab)
			return fail(p, p->line, _("a second lab block: a lab has one, before its first step"));
		p->seen_lab = true;
		p->block = B_LAB;
	} else if (!strcmp(info, "nslab") || !strcmp(info, "check") || !strcmp(info, "hint")) {
		if (!p->step)
			return fail(p, p->line, _("a %s block outside a step: put it under a '## Title {#id}'"),
				    info);
		p->block = !strcmp(info, "nslab") ? B_NSLAB : !strcmp(info, "check") ? B_CHECK : B_HINT;
	} else if (!strcmp(info, "cleanup")) {
		if (p->seen_cleanup)
			return fail(p, p->line, _("a second cleanup block: a lab has at most one"));
		p->seen_cleanup = true;
		p->block = B_CLEANUP;
	} else if (is_prose_lang(info)) {
		p->block = B_PROSE;
	} else {
		return fail(p, p->line,
			    _("unknown block type '%s' (the shell reads lab, nslab, check, hint, "
			      "cleanup; shown as text: text, sh, console, c, json)"),
			    info);
	}
	return 0;
}

static int close_block(struct parser *p)
{
	if (p->block == B_HINT) {
		char *h = sb_take_trimmed(&p->hint);
		if (!h)
			return oom(p);
		char **nv = realloc(p->step->hints, sizeof(char *) * (p->step->nhints + 2));
		if (!nv) {
			free(h);
			return oom(p);
		}
		p->step->hints = nv;
		nv[p->step->nhints++] = h;
		nv[p->step->nhints] = NULL;
	}
	p->block = B_NONE;
	return 0;
}

static int block_line(struct parser *p, const char *raw)
{
	char line[1024];
	snprintf(line, sizeof(line), "%s", raw);
	char *s = line;
	while (isspace((unsigned char)*s))
		s++;
	size_t n = strlen(s);
	while (n && isspace((unsigned char)s[n - 1]))
		s[--n] = '\0';
	switch (p->block) {
	case B_LAB:
		return n && s[0] != '#' ? lab_block_line(p, s) : 0;
	case B_CHECK:
		return check_line(p, s);
	case B_NSLAB:
		if (!n || s[0] == '#')
			return 0;
		return push_str(&p->step->cmds, &p->step->ncmds, s) < 0 ? oom(p) : 0;
	case B_CLEANUP:
		if (!n || s[0] == '#')
			return 0;
		return push_str(&p->lab->cleanup, &p->lab->ncleanup, s) < 0 ? oom(p) : 0;
	case B_HINT:
		if (sb_add(&p->hint, raw, strlen(raw)) < 0 || sb_add(&p->hint, "\n", 1) < 0)
			return oom(p);
		return 0;
	default:
		return 0;
	}
}

/* ``` or more; returns the count, 0 when the line is no fence. */
static int fence_of(const char *line)
{
	int n = 0;
	while (line[n] == '`')
		n++;
	return n >= 3 ? n : 0;
}

int lab_parse(const char *text, const char *file, struct lab *lab, struct lab_error *err)
{
	struct parser p = { .lab = lab, .err = err, .file = file };
	memset(err, 0, sizeof(*err));
	const char *cur = text;
	int r = 0;
	while (*cur) {
		const char *nl = strchr(cur, '\n');
		size_t len = nl ? (size_t)(nl - cur) : strlen(cur);
		_cleanup_free_ char *line = strndup(cur, len);
		cur += len + (nl ? 1 : 0);
		if (!line)
			return oom(&p);
		if (len && line[len - 1] == '\r')
			line[--len] = '\0';
		p.line++;
		int f = fence_of(line);
		if (p.block != B_NONE) {
			bool closing = f >= p.fence_len && line[strspn(line, "`")] == '\0';
			if (closing) {
				if (p.block == B_PROSE && sb_add(&p.prose, line, len) == 0)
					sb_add(&p.prose, "\n", 1);
				r = close_block(&p);
			} else if (p.block == B_PROSE) {
				if (sb_add(&p.prose, line, len) < 0 || sb_add(&p.prose, "\n", 1) < 0)
					r = oom(&p);
			} else {
				r = block_line(&p, line);
			}
			if (r < 0)
				goto fail;
			continue;
		}
		if (f) {
			char info[64];
			snprintf(info, sizeof(info), "%s", line + f);
			char *i = info;
			while (isspace((unsigned char)*i))
				i++;
			size_t il = strlen(i);
			while (il && isspace((unsigned char)i[il - 1]))
				i[--il] = '\0';
			if ((r = open_block(&p, i, f)) < 0)
				goto fail;
			if (p.block == B_PROSE && (sb_add(&p.prose, line, len) < 0 || sb_add(&p.prose, "\n", 1) < 0)) {
				r = oom(&p);
				goto fail;
			}
			continue;
		}
		if (!strncmp(line, "# ", 2)) {
			if (lab->title) {
				r = fail(&p, p.line, _("a second title ('# ...'): a lab has one"));
				goto fail;
			}
			const char *t = line + 2;
			while (*t == ' ')
				t++;
			if (!(lab->title = strdup(t))) {
				r = oom(&p);
				goto fail;
			}
			continue;
		}
		if (!strncmp(line, "## ", 3)) {
			if (!lab->title) {
				r = fail(&p, p.line, _("a step before the title: start the file with '# NN · Title'"));
				goto fail;
			}
			if ((r = start_step(&p, line + 3)) < 0)
				goto fail;
			continue;
		}
		if (sb_add(&p.prose, line, len) < 0 || sb_add(&p.prose, "\n", 1) < 0) {
			r = oom(&p);
			goto fail;
		}
	}
	if (p.block != B_NONE) {
		r = fail(&p, p.fence_line, _("this block is never closed (a line of ``` is missing)"));
		goto fail;
	}
	if ((r = flush_prose(&p)) < 0)
		goto fail;
	if (!lab->title) {
		r = fail(&p, 1, _("no title: the file must start with '# NN · Title'"));
		goto fail;
	}
	if (!p.seen_lab) {
		r = fail(&p, 1, _("no lab block: say what the lab needs in a ```lab block after the title"));
		goto fail;
	}
	if (!lab->nsteps) {
		r = fail(&p, p.line, _("no steps: a step is a '## Title {#id}' heading"));
		goto fail;
	}
	free(p.hint.s);
	return 0;
fail:
	free(p.prose.s);
	free(p.hint.s);
	return r;
}

int lab_load(const char *path, struct lab **ret, struct lab_error *err)
{
	memset(err, 0, sizeof(*err));
	snprintf(err->file, sizeof(err->file), "%s", path);
	_cleanup_fclose_ FILE *f = fopen(path, "re");
	if (!f) {
		int e = errno;
		snprintf(err->msg, sizeof(err->msg), _("cannot read: %s"), strerror(e));
		return -e;
	}
	_cleanup_free_ char *text = NULL;
	size_t cap = 0;
	ssize_t n = getdelim(&text, &cap, '\0', f);
	if (n < 0) {
		snprintf(err->msg, sizeof(err->msg), _("cannot read: %s"), _("empty file"));
		return -EINVAL;
	}
	if ((size_t)n != strlen(text)) {
		snprintf(err->msg, sizeof(err->msg), _("the file holds a NUL byte: is it text?"));
		return -EINVAL;
	}
	struct lab *lab = calloc(1, sizeof(*lab));
	if (!lab)
		return -ENOMEM;
	snprintf(lab->path, sizeof(lab->path), "%s", path);
	/* .../labs/NN-slug/LANG.md names the number, slug and language. */
	const char *base = strrchr(path, '/');
	snprintf(lab->lang, sizeof(lab->lang), "%.2s", base ? base + 1 : path);
	if (base) {
		const char *d = base;
		while (d > path && d[-1] != '/')
			d--;
		int num;
		if (sscanf(d, "%2d-", &num) == 1 && isdigit((unsigned char)d[0]) &&
		    isdigit((unsigned char)d[1])) {
			lab->num = num;
			snprintf(lab->slug, sizeof(lab->slug), "%.*s", (int)(base - d - 3), d + 3);
		}
	}
	int r = lab_parse(text, path, lab, err);
	if (r < 0) {
		lab_free(lab);
		return r;
	}
	*ret = lab;
	return 0;
}

static int by_num(const void *a, const void *b)
{
	return ((const struct lab_entry *)a)->num - ((const struct lab_entry *)b)->num;
}

int lab_list(const char *datadir, struct lab_entry **ret)
{
	char dir[PATH_MAX];
	snprintf(dir, sizeof(dir), "%s/labs", datadir);
	_cleanup_closedir_ DIR *d = opendir(dir);
	*ret = NULL;
	if (!d)
		return -errno;
	struct lab_entry *v = NULL;
	int n = 0;
	struct dirent *de;
	while ((de = readdir(d))) {
		const char *nm = de->d_name;
		if (!isdigit((unsigned char)nm[0]) || !isdigit((unsigned char)nm[1]) || nm[2] != '-' ||
		    !nm[3])
			continue;
		struct lab_entry *nv = realloc(v, sizeof(*v) * (n + 1));
		if (!nv) {
			free(v);
			return -ENOMEM;
		}
		v = nv;
		v[n].num = (nm[0] - '0') * 10 + (nm[1] - '0');
		snprintf(v[n].slug, sizeof(v[n].slug), "%s", nm + 3);
		snprintf(v[n].dir, sizeof(v[n].dir), "%s/%s", dir, nm);
		n++;
	}
	if (n)
		qsort(v, n, sizeof(*v), by_num);
	*ret = v;
	return n;
}

int lab_path(const char *datadir, int num, const char *lang, char *out, size_t len)
{
	_cleanup_free_ struct lab_entry *v = NULL;
	int n = lab_list(datadir, &v);
	if (n < 0)
		return n;
	for (int i = 0; i < n; i++) {
		/* n > 0 means lab_list set v (the analyzer does not follow that). */
		// NOLINTNEXTLINE(clang-analyzer-core.NullDereference)
		if (v[i].num != num)
			continue;
		snprintf(out, len, "%s/%s.md", v[i].dir, lang);
		if (access(out, R_OK) == 0)
			return 0;
		snprintf(out, len, "%s/en.md", v[i].dir);
		return access(out, R_OK) == 0 ? 0 : -ENOENT;
	}
	return -ENOENT;
}
