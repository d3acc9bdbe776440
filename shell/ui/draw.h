/* draw.h - the pane on a curses WINDOW, and the screen's layout.
 *
 * Layout is pure arithmetic (tested without a terminal): which layout for
 * which size, and where each window goes. Drawing takes a WINDOW and a
 * snapshot, writes with the wide-character calls (Korean is two columns per
 * letter), and only marks windows for output (wnoutrefresh); the caller does
 * one doupdate(), so nothing flickers. */
#ifndef NSLAB_UI_DRAW_H
#define NSLAB_UI_DRAW_H

#include <stdbool.h>

#include "model.h"
#include "render.h"

#define UI_MIN_COLS 80
#define UI_MIN_ROWS 24
#define UI_WIDE_COLS 120

enum ui_layout_kind {
	UL_OFF,     /* too small: a one-line notice, output and prompt only */
	UL_STACKED, /* the pane above the output */
	UL_WIDE,    /* the pane at the right of the output */
};

struct ui_rect {
	int y, x, h, w;
};

struct ui_layout {
	enum ui_layout_kind kind;
	struct ui_rect pane;   /* h = 0 when off */
	struct ui_rect rule;   /* the line between pane and output (a column when wide) */
	struct ui_rect out;    /* command output, scrolling */
	struct ui_rect prompt; /* the readline line */
	struct ui_rect notice; /* UL_OFF: why the pane is hidden */
};

/* The shell's screen for a terminal of @rows x @cols. */
void ui_layout(int rows, int cols, struct ui_layout *l);

/* Inside the pane: blocks in one column, or two side by side (NS and CG at
 * the left, TREE and CALLS at the right) when the pane is wide enough. Each
 * block gets a rectangle (h = 0: not shown). @want[k] is how many lines block
 * k has; @left_w the width the namespace table would like. */
struct ui_pane_layout {
	bool two_columns;
	struct ui_rect block[UB_COUNT];
};
void ui_pane_layout(struct ui_rect pane, const int want[UB_COUNT], int left_w,
		    struct ui_pane_layout *pl);

/* Colour themes: normal, or --big (high contrast, everything bold). */
enum ui_theme { UT_NORMAL, UT_BIG };

/* Call once after initscr(): colour pairs (monochrome falls back to
 * bold/reverse/underline). */
void ui_draw_init(enum ui_theme theme);

struct _win_st;
/* Draw @sn into @win (its whole area). @title: the pane's top line. */
void ui_draw_pane(struct _win_st *win, const struct ui_snap *sn, const char *title);

/* Draw lines of a block into @win at @r, cut to its width; when lines do not
 * fit, the last row says how many are hidden (or, @tail, the first rows are
 * dropped instead: the newest calls stay in view). */
void ui_draw_lines(struct _win_st *win, struct ui_rect r, const struct ui_block *b, bool tail);

/* Write UTF-8 @s at (y, x) in at most @cols columns, with attributes of @role. */
int ui_put(struct _win_st *win, int y, int x, int cols, const char *s, enum ui_role role);

/* The curses attribute for @role under the current theme. */
int ui_attr(enum ui_role role);

#endif
