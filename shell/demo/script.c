/* script.c - the demo script parser: one item per line, told apart by its
 * first character (# comment, > narration, $ command, ! note, @ directive). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../cmd/cmd.h"
#include "../kernel/cleanup.h"
#include "../repl/tokenize.h"
#include "demo.h"

void demo_free(struct demo *d)
{
	if (!d)
		return;
	for (int i = 0; i < d->n; i++)
		free(d->items[i].text);
	free(d->items);
	free(d);
}

bool demo_visible(const struct demo_item *it)
{
	return it->kind == DEMO_SAY || it->kind == DEMO_RUN || it->kind == DEMO_RUN_FAIL;
}

static int fail(struct demo_error *e, int line, const char *msg, const char *word)
{
	e->line = line;
	e->msg = msg;
	snprintf(e->word, sizeof(e->word), "%s", word ? word : "");
	return -EINVAL;
}

static int add(struct demo *d, enum demo_kind kind, int line, const char *text)
{
	struct demo_item *v = realloc(d->items, sizeof(*v) * (size_t)(d->n + 1));
	if (!v)
		return -ENOMEM;
	d->items = v;
	char *t = strdup(text);
	if (!t)
		return -ENOMEM;
	d->items[d->n++] = (struct demo_item){ .kind = kind, .line = line, .text = t };
	return 0;
}

/* "  text  " -> "text" (in place). */
static char *trim(char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	size_t n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n' || s[n - 1] == '\r'))
		s[--n] = '\0';
	return s;
}

int demo_parse(FILE *f, struct demo **ret, struct demo_error *e)
{
	struct demo *d = calloc(1, sizeof(*d));
	if (!d)
		return -ENOMEM;
	_cleanup_free_ char *buf = NULL;
	size_t cap = 0;
	int lineno = 0, r = 0;
	memset(e, 0, sizeof(*e));
	while (r == 0 && getline(&buf, &cap, f) >= 0) {
		lineno++;
		char *s = trim(buf);
		if (!*s || *s == '#')
			continue;
		char c = *s++;
		bool fails = false;
		if (c == '$' && *s == '?') {
			fails = true;
			s++;
		}
		/* The prefix is followed by a space, or ends the line (an empty '>' line). */
		if (*s && *s != ' ' && *s != '\t' && c != '@') {
			r = fail(e, lineno, N_("a line starts with #, >, $, $?, ! or @ and a space: '%s'"),
				 s - 1);
			break;
		}
		char *text = trim(s);
		switch (c) {
		case '>':
			r = add(d, DEMO_SAY, lineno, text);
			break;
		case '$':
			if (!*text)
				r = fail(e, lineno, N_("a $ line needs a command%s"), "");
			else
				r = add(d, fails ? DEMO_RUN_FAIL : DEMO_RUN, lineno, text);
			break;
		case '!':
			r = add(d, DEMO_NOTE, lineno, text);
			break;
		case '@': {
			char *arg = text + strcspn(text, " \t");
			if (*arg)
				*arg++ = '\0';
			arg = trim(arg);
			if (strcmp(text, "pause") == 0) {
				r = add(d, DEMO_PAUSE, lineno, "");
			} else if (strcmp(text, "clear") == 0) {
				r = add(d, DEMO_CLEAR, lineno, "");
			} else if (strcmp(text, "lang") == 0) {
				if (strcmp(arg, "en") != 0 && strcmp(arg, "ko") != 0)
					r = fail(e, lineno, N_("@lang: en or ko, not '%s'"), arg);
				else
					r = add(d, DEMO_LANG, lineno, arg);
			} else if (strcmp(text, "needs") == 0) {
				r = add(d, DEMO_NEEDS, lineno, arg);
			} else if (strcmp(text, "title") == 0) {
				snprintf(d->title, sizeof(d->title), "%s", arg);
			} else if (strcmp(text, "minutes") == 0) {
				long long m;
				if (parse_long(arg, 1, 600, &m) < 0)
					r = fail(e, lineno, N_("@minutes: a number of minutes, not '%s'"),
						 arg);
				else
					d->minutes = (int)m;
			} else {
				r = fail(e, lineno,
					 N_("unknown directive '@%s' (@title, @minutes, @lang, @pause, "
					    "@clear, @needs)"),
					 text);
			}
			break;
		}
		default:
			r = fail(e, lineno, N_("a line starts with #, >, $, $?, ! or @ and a space: '%s'"),
				 s - 1);
		}
	}
	if (r == 0 && !d->n)
		r = fail(e, 0, N_("the demo has nothing to show%s"), "");
	if (r < 0) {
		demo_free(d);
		return r;
	}
	*ret = d;
	return 0;
}

bool demo_item_missing(const struct demo_item *it, char *word, size_t len)
{
	if (it->kind != DEMO_RUN && it->kind != DEMO_RUN_FAIL && it->kind != DEMO_NEEDS)
		return false;
	struct tok_cmd *cmds;
	const char *err;
	int n = tok_split(it->text, &cmds, &err);
	if (n < 0)
		return false; /* the shell will say what is wrong when it runs */
	bool missing = false;
	for (int k = 0; k < n && !missing; k++) {
		/* @needs lists words; a $ line has a command word per command. */
		int words = it->kind == DEMO_NEEDS ? cmds[k].argc : cmds[k].argc > 0;
		for (int w = 0; w < words && !missing; w++)
			if (!cmd_find(cmds[k].argv[w])) {
				snprintf(word, len, "%s", cmds[k].argv[w]);
				missing = true;
			}
	}
	tok_free(cmds, n);
	return missing;
}
