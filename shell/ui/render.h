/* render.h - a snapshot as lines of text, each byte tagged with a role.
 *
 * The curses pane (draw.h) maps roles to colours or, on a monochrome
 * terminal, to bold/reverse; `nslab top --once` prints the same lines as plain
 * text. So what a test compares is exactly what the learner sees. Widths are
 * display columns (Korean letters take two), never bytes. */
#ifndef NSLAB_UI_RENDER_H
#define NSLAB_UI_RENDER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <wchar.h>

#include "model.h"

enum ui_role {
	UR_TEXT,
	UR_TITLE, /* a block's title */
	UR_HEAD,  /* column heads, box names */
	UR_DIFF,  /* a namespace id not the host's, and its '*' */
	UR_FLASH, /* changed a moment ago */
	UR_DIM,   /* hints, guide lines */
	UR_MARK,  /* namespace boundary marks in the tree */
	UR_BAD,   /* a refused system call */
	UR_OK,    /* a system call that worked */
	UR_COUNT
};

#define UI_LINE_MAX 400

struct ui_line {
	char text[UI_LINE_MAX];
	unsigned char role[UI_LINE_MAX]; /* role of each byte of text */
	size_t len;
	int width; /* display columns */
};

struct ui_block {
	struct ui_line *l;
	size_t n, cap;
};

enum ui_block_kind { UB_NS, UB_CG, UB_TREE, UB_CALLS, UB_COUNT };

/* Render one block of @sn into @b (appending), for a width of @cols display
 * columns (0: no limit; the lines are not cut, but tables choose how many
 * columns fit). */
void ui_render_block(const struct ui_snap *sn, enum ui_block_kind kind, int cols,
		     struct ui_block *b);
void ui_block_clear(struct ui_block *b);
void ui_block_free(struct ui_block *b);

/* The whole snapshot as plain text (nslab top --once): blocks in order, a
 * blank line between; the calls block only when there are calls. */
void ui_render_text(const struct ui_snap *sn, FILE *f);

/* Display columns of a UTF-8 string (wcwidth; Korean is 2 per letter). */
int ui_width(const char *s);

/* The next character of *@s (*@len bytes left) into *@ret, moving *@s and
 * *@len past it; false at the end of the text. A byte that is not valid
 * UTF-8 comes out as one '?', so text read from /proc always draws. */
bool ui_next_char(const char **s, size_t *len, mbstate_t *st, wchar_t *ret);

/* Draw guide lines and marks with ASCII only (a terminal without UTF-8). */
void ui_set_ascii(bool ascii);

/* "1.2M", "64.0M", "max", "?" */
char *ui_bytes(long long v, char *buf, size_t len);

#endif
