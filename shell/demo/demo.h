/* demo.h - instructor mode: a demo script of narration and commands, played
 * one key press at a time (docs-en/demo-format.md describes the format). */
#ifndef NSLAB_DEMO_H
#define NSLAB_DEMO_H

#include <stdbool.h>
#include <stdio.h>

#include "../nslab.h"

enum demo_kind {
	DEMO_SAY,      /* > narration, shown */
	DEMO_RUN,      /* $ command, typed and run; should succeed */
	DEMO_RUN_FAIL, /* $? command that fails on purpose */
	DEMO_NOTE,     /* ! presenter note: only to --notes */
	DEMO_PAUSE,    /* @pause: auto-advance stops here */
	DEMO_CLEAR,    /* @clear: clear the screen */
	DEMO_LANG,     /* @lang en|ko: messages in the demo's language */
	DEMO_NEEDS,    /* @needs CMD...: the lines up to the next @needs need these commands */
};

struct demo_item {
	enum demo_kind kind;
	int line; /* in the script, for messages */
	char *text;
};

struct demo {
	char title[128]; /* @title */
	int minutes;     /* @minutes: planned length, shown at the start */
	struct demo_item *items;
	int n;
};

struct demo_error {
	int line;        /* 0: not about one line */
	const char *msg; /* msgid (N_()) with one %s for the offending word */
	char word[64];
};

/* Parse a demo script from @f. Returns 0, or -EINVAL with @e filled (line, message). */
int demo_parse(FILE *f, struct demo **ret, struct demo_error *e);
void demo_free(struct demo *d);

/* Is this item something the audience sees (a step that waits for a key)? */
bool demo_visible(const struct demo_item *it);

struct demo_opts {
	const char *keys;  /* key feed instead of the terminal (tests, CI); NULL: the terminal */
	bool autoplay;     /* advance by itself; a key still advances at once */
	double speed;      /* timing multiplier: 2 = twice as fast, 0 = no delays */
	FILE *notes;       /* presenter notes go here (a file or a second terminal), or NULL */
};

/* Play @d. Returns 0 when every command did what the script expected (or the
 * presenter quit), 1 when a command's result surprised. */
int demo_play(struct nslab *ctx, const struct demo *d, const struct demo_opts *o);

/* Does item @it name a command this nslab lacks ($ and $? lines: any command
 * on the line; @needs: any word)? Writes the first such word to @word. */
bool demo_item_missing(const struct demo_item *it, char *word, size_t len);

#endif
