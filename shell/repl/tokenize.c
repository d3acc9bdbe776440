#include "tokenize.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "../kernel/err.h"

#define TOK_MAX_WORDS 4096

struct builder {
	struct tok_cmd *cmds;
	int ncmd, capcmd;
	char **words;
	int nwords, capwords;
	char *word;
	size_t wlen, wcap;
	bool inword;
};

static int push_char(struct builder *b, char c)
{
	if (b->wlen + 2 > b->wcap) {
		size_t nc = b->wcap ? b->wcap * 2 : 32;
		char *nw = realloc(b->word, nc);
		if (!nw)
			return -ENOMEM;
		b->word = nw;
		b->wcap = nc;
	}
	b->word[b->wlen++] = c;
	b->inword = true;
	return 0;
}

static int end_word(struct builder *b)
{
	if (!b->inword)
		return 0;
	if (b->nwords >= TOK_MAX_WORDS)
		return -E2BIG;
	if (b->nwords + 2 > b->capwords) {
		int nc = b->capwords ? b->capwords * 2 : 8;
		char **nw = realloc(b->words, nc * sizeof(*nw));
		if (!nw)
			return -ENOMEM;
		b->words = nw;
		b->capwords = nc;
	}
	char *w = malloc(b->wlen + 1);
	if (!w)
		return -ENOMEM;
	memcpy(w, b->word ? b->word : "", b->wlen);
	w[b->wlen] = '\0';
	b->words[b->nwords++] = w;
	b->words[b->nwords] = NULL;
	b->wlen = 0;
	b->inword = false;
	return 0;
}

static int end_cmd(struct builder *b)
{
	int r = end_word(b);
	if (r < 0 || b->nwords == 0)
		return r;
	if (b->ncmd + 1 > b->capcmd) {
		int nc = b->capcmd ? b->capcmd * 2 : 4;
		struct tok_cmd *n = realloc(b->cmds, nc * sizeof(*n));
		if (!n)
			return -ENOMEM;
		b->cmds = n;
		b->capcmd = nc;
	}
	b->cmds[b->ncmd].argc = b->nwords;
	b->cmds[b->ncmd].argv = b->words;
	b->ncmd++;
	b->words = NULL;
	b->nwords = b->capwords = 0;
	return 0;
}

void tok_free(struct tok_cmd *cmds, int n)
{
	for (int i = 0; i < n; i++) {
		for (int j = 0; j < cmds[i].argc; j++)
			free(cmds[i].argv[j]);
		free(cmds[i].argv);
	}
	free(cmds);
}

int tok_split(const char *line, struct tok_cmd **ret, const char **ret_err)
{
	struct builder b = { 0 };
	const char *err = NULL;
	int r = 0;
	enum { PLAIN, SINGLE, DOUBLE } st = PLAIN;
	for (const char *p = line; *p && r == 0; p++) {
		char c = *p;
		switch (st) {
		case PLAIN:
			if (c == ' ' || c == '\t' || c == '\r')
				r = end_word(&b);
			else if (c == ';' || c == '\n')
				r = end_cmd(&b);
			else if (c == '#' && !b.inword)
				while (p[1] && p[1] != '\n')
					p++;
			else if (c == '\'')
				st = SINGLE, b.inword = true;
			else if (c == '"')
				st = DOUBLE, b.inword = true;
			else if (c == '\\' && p[1] == '\n')
				p++; /* line continuation */
			else if (c == '\\' && p[1])
				r = push_char(&b, *++p);
			else
				r = push_char(&b, c);
			break;
		case SINGLE:
			if (c == '\'')
				st = PLAIN;
			else
				r = push_char(&b, c);
			break;
		case DOUBLE:
			if (c == '"')
				st = PLAIN;
			else if (c == '\\' && (p[1] == '"' || p[1] == '\\' || p[1] == '$'))
				r = push_char(&b, *++p);
			else
				r = push_char(&b, c);
			break;
		}
	}
	if (r == 0 && st != PLAIN) {
		r = -EINVAL;
		err = st == SINGLE ? N_("a ' quote is not closed") : N_("a \" quote is not closed");
	}
	if (r == 0)
		r = end_cmd(&b);
	if (r == -E2BIG)
		err = N_("too many words on one line");
	free(b.word);
	if (r < 0) {
		if (b.words) {
			for (int i = 0; i < b.nwords; i++)
				free(b.words[i]);
			free(b.words);
		}
		tok_free(b.cmds, b.ncmd);
		if (ret_err)
			*ret_err = err ? err : N_("out of memory");
		*ret = NULL;
		return r;
	}
	*ret = b.cmds;
	return b.ncmd;
}
