/* draw.c - layout arithmetic and curses drawing of the pane. */
#include "draw.h"

#include <curses.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "../i18n.h"

/* ---------------- layout (pure) ---------------- */

static int clamp(int v, int lo, int hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

void ui_layout(int rows, int cols, struct ui_layout *l)
{
	memset(l, 0, sizeof(*l));
	if (rows < 1)
		rows = 1;
	if (cols < 1)
		cols = 1;
	if (cols < UI_MIN_COLS || rows < UI_MIN_ROWS) {
		l->kind = UL_OFF;
		l->notice = (struct ui_rect){ 0, 0, 1, cols };
		l->out = (struct ui_rect){ 1, 0, rows > 2 ? rows - 2 : 0, cols };
		l->prompt = (struct ui_rect){ rows - 1, 0, 1, cols };
		if (rows < 3) { /* hardly a terminal: the prompt alone */
			l->notice.h = 0;
			l->out = (struct ui_rect){ 0, 0, rows - 1, cols };
		}
		return;
	}
	if (cols >= UI_WIDE_COLS) {
		l->kind = UL_WIDE;
		int pw = clamp(cols * 2 / 5, 50, 90);
		int lw = cols - pw - 1;
		l->out = (struct ui_rect){ 0, 0, rows - 1, lw };
		l->prompt = (struct ui_rect){ rows - 1, 0, 1, lw };
		l->rule = (struct ui_rect){ 0, lw, rows, 1 };
		l->pane = (struct ui_rect){ 0, lw + 1, rows, pw };
		return;
	}
	l->kind = UL_STACKED;
	/* The namespace table needs 10 rows plus a title: 12 is the least that shows it. */
	int ph = clamp(rows * 2 / 5, 12, 20);
	l->pane = (struct ui_rect){ 0, 0, ph, cols };
	l->rule = (struct ui_rect){ ph, 0, 1, cols };
	l->out = (struct ui_rect){ ph + 1, 0, rows - ph - 2, cols };
	l->prompt = (struct ui_rect){ rows - 1, 0, 1, cols };
}

/* Share @h rows between a column's blocks: @keep rows first to the first
 * block (the tree), then the others up to what they want, then the rest to it. */
static void share(int h, int n, const int *want, const int *cap, int *got)
{
	int first = want[0] < 4 ? want[0] : 4;
	if (first > h)
		first = h;
	int left = h - first;
	for (int i = 1; i < n; i++) {
		int w = want[i] < cap[i] ? want[i] : cap[i];
		got[i] = w < left ? w : left;
		left -= got[i];
	}
	got[0] = first + left;
}

void ui_pane_layout(struct ui_rect pane, const int want[UB_COUNT], int left_w,
		    struct ui_pane_layout *pl)
{
	memset(pl, 0, sizeof(*pl));
	int top = pane.y + 1, h = pane.h - 1; /* row 0: the pane's title */
	if (h <= 0)
		return;
	if (pane.w >= 90) {
		pl->two_columns = true;
		int lw = clamp(left_w, 34, pane.w / 2);
		int rw = pane.w - lw - 1, rx = pane.x + lw + 1;
		int ns = want[UB_NS] < h ? want[UB_NS] : h;
		pl->block[UB_NS] = (struct ui_rect){ top, pane.x, ns, lw };
		bool cg_left = want[UB_CG] <= h - ns;
		if (cg_left)
			pl->block[UB_CG] = (struct ui_rect){ top + ns, pane.x, want[UB_CG], lw };
		/* Right: the tree, [cgroups,] the newest calls. */
		int w3[3] = { want[UB_TREE], cg_left ? 0 : want[UB_CG], want[UB_CALLS] };
		int cap[3] = { h, 4, 4 }, got[3] = { 0 };
		share(h, 3, w3, cap, got);
		pl->block[UB_TREE] = (struct ui_rect){ top, rx, got[0], rw };
		if (!cg_left)
			pl->block[UB_CG] = (struct ui_rect){ top + got[0], rx, got[1], rw };
		pl->block[UB_CALLS] = (struct ui_rect){ top + got[0] + got[1], rx, got[2], rw };
		return;
	}
	int ns = want[UB_NS] < h ? want[UB_NS] : h;
	int w3[3] = { want[UB_TREE], want[UB_CG], want[UB_CALLS] };
	int cap[3] = { h, 4, 5 }, got[3] = { 0 };
	share(h - ns, 3, w3, cap, got);
	int y = top;
	pl->block[UB_NS] = (struct ui_rect){ y, pane.x, ns, pane.w };
	y += ns;
	pl->block[UB_CG] = (struct ui_rect){ y, pane.x, got[1], pane.w };
	y += got[1];
	pl->block[UB_TREE] = (struct ui_rect){ y, pane.x, got[0], pane.w };
	y += got[0];
	pl->block[UB_CALLS] = (struct ui_rect){ y, pane.x, got[2], pane.w };
}

/* ---------------- themes ---------------- */

static int attrs[UR_COUNT];

void ui_draw_init(enum ui_theme theme)
{
	bool color = has_colors();
	if (color) {
		start_color();
		use_default_colors();
	}
	int bg = theme == UT_BIG ? COLOR_BLACK : -1;
	struct {
		short fg;
		int mono;    /* monochrome: what stands in for the colour */
		int extra;   /* always added */
	} map[UR_COUNT] = {
		[UR_TEXT] = { -1, A_NORMAL, A_NORMAL },
		[UR_TITLE] = { COLOR_CYAN, A_BOLD | A_UNDERLINE, A_BOLD },
		[UR_HEAD] = { COLOR_BLUE, A_BOLD, A_BOLD },
		[UR_DIFF] = { COLOR_YELLOW, A_BOLD, A_BOLD },
		[UR_FLASH] = { COLOR_BLACK, A_REVERSE, A_NORMAL },
		[UR_DIM] = { -1, A_DIM, A_NORMAL },
		[UR_MARK] = { COLOR_MAGENTA, A_BOLD, A_BOLD },
		[UR_BAD] = { COLOR_RED, A_BOLD, A_BOLD },
		[UR_OK] = { COLOR_GREEN, A_NORMAL, A_NORMAL },
	};
	if (theme == UT_BIG) {
		/* Projector: white on black, bright colours, everything bold. */
		map[UR_TEXT].fg = COLOR_WHITE;
		map[UR_DIM].fg = COLOR_WHITE;
		map[UR_HEAD].fg = COLOR_CYAN;
	}
	for (int r = 0; r < UR_COUNT; r++) {
		if (!color) {
			attrs[r] = map[r].mono;
		} else {
			short fg = map[r].fg, b = bg;
			if (r == UR_FLASH) {
				fg = COLOR_BLACK;
				b = COLOR_YELLOW;
			}
			init_pair((short)(r + 1), fg, b);
			attrs[r] = (int)COLOR_PAIR(r + 1) | map[r].extra;
			if (r == UR_DIM && theme != UT_BIG)
				attrs[r] |= A_DIM;
		}
		if (theme == UT_BIG)
			attrs[r] |= A_BOLD;
	}
}

int ui_attr(enum ui_role role)
{
	return attrs[role < UR_COUNT ? role : UR_TEXT];
}

/* ---------------- drawing ---------------- */

int ui_put(WINDOW *win, int y, int x, int cols, const char *s, enum ui_role role)
{
	wchar_t wbuf[UI_LINE_MAX];
	mbstate_t st;
	memset(&st, 0, sizeof(st));
	size_t n = 0, len = strlen(s);
	int w = 0;
	wchar_t wc;
	while (n + 1 < UI_LINE_MAX && ui_next_char(&s, &len, &st, &wc)) {
		int cw = wcwidth(wc);
		if (cw < 0) {
			wc = L'?';
			cw = 1;
		}
		if (w + cw > cols)
			break;
		wbuf[n++] = wc;
		w += cw;
	}
	wbuf[n] = L'\0';
	wattrset(win, ui_attr(role));
	mvwaddnwstr(win, y, x, wbuf, (int)n);
	wattrset(win, A_NORMAL);
	return w;
}

/* One line: runs of equal role, cut at @cols. */
static void put_line(WINDOW *win, int y, int x, int cols, const struct ui_line *l)
{
	size_t i = 0;
	int used = 0;
	while (i < l->len && used < cols) {
		size_t j = i;
		while (j < l->len && l->role[j] == l->role[i])
			j++;
		char run[UI_LINE_MAX];
		memcpy(run, l->text + i, j - i);
		run[j - i] = '\0';
		used += ui_put(win, y, x + used, cols - used, run, (enum ui_role)l->role[i]);
		i = j;
	}
}

void ui_draw_lines(WINDOW *win, struct ui_rect r, const struct ui_block *b, bool tail)
{
	if (r.h <= 0 || r.w <= 0)
		return;
	size_t show = b->n, skip = 0;
	bool more = false;
	if (show > (size_t)r.h) {
		if (tail) {
			/* Keep the title, then the newest lines. */
			skip = b->n - (size_t)r.h + 1;
			show = (size_t)r.h;
		} else {
			show = (size_t)r.h - 1;
			more = true;
		}
	}
	int y = r.y;
	for (size_t i = 0; i < show; i++) {
		size_t li = (tail && i > 0) ? i + skip : i;
		if (li >= b->n)
			break;
		wmove(win, y, r.x);
		put_line(win, y, r.x, r.w, &b->l[li]);
		y++;
	}
	if (more) {
		char buf[96];
		snprintf(buf, sizeof(buf), _("... %zu more lines"),
			 b->n - show);
		ui_put(win, y, r.x, r.w, buf, UR_DIM);
	}
}

void ui_draw_pane(WINDOW *win, const struct ui_snap *sn, const char *title)
{
	int rows, cols;
	getmaxyx(win, rows, cols);
	werase(win);
	struct ui_block b[UB_COUNT] = { 0 };
	int want[UB_COUNT];
	for (int k = 0; k < UB_COUNT; k++) {
		ui_render_block(sn, (enum ui_block_kind)k, k == UB_NS ? cols : 0, &b[k]);
		want[k] = (int)b[k].n;
	}
	/* The namespace table's width decides the left column. */
	int left_w = 0;
	for (size_t i = 0; i < b[UB_NS].n; i++)
		if (b[UB_NS].l[i].width > left_w)
			left_w = b[UB_NS].l[i].width;
	struct ui_pane_layout pl;
	ui_pane_layout((struct ui_rect){ 0, 0, rows, cols }, want, left_w + 1, &pl);
	if (pl.two_columns) {
		/* Re-render the table for the width it got. */
		ui_block_clear(&b[UB_NS]);
		ui_render_block(sn, UB_NS, pl.block[UB_NS].w, &b[UB_NS]);
	}
	/* Title bar, reversed across the width. */
	wattrset(win, A_REVERSE | (ui_attr(UR_HEAD) & A_BOLD));
	mvwhline(win, 0, 0, ' ', cols);
	wattrset(win, A_NORMAL);
	wattrset(win, A_REVERSE | A_BOLD);
	{
		char t[256];
		snprintf(t, sizeof(t), " %s ", title);
		wchar_t wt[256];
		size_t n = mbstowcs(wt, t, 255);
		if (n != (size_t)-1) {
			int w = wcswidth(wt, n);
			while (w > cols && n > 0)
				w = wcswidth(wt, --n);
			mvwaddnwstr(win, 0, 0, wt, (int)n);
		}
	}
	wattrset(win, A_NORMAL);
	for (int k = 0; k < UB_COUNT; k++)
		ui_draw_lines(win, pl.block[k], &b[k], k == UB_CALLS);
	if (pl.two_columns) {
		struct ui_rect t = pl.block[UB_TREE];
		wattrset(win, ui_attr(UR_DIM));
		mvwvline(win, 1, t.x - 1, ACS_VLINE, rows - 1);
		wattrset(win, A_NORMAL);
	}
	for (int k = 0; k < UB_COUNT; k++)
		ui_block_free(&b[k]);
	wnoutrefresh(win);
}
