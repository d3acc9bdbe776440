/* pane.c - curses screen, readline redirection, the live loop.
 *
 * One process, one terminal: curses owns the screen; readline still reads
 * the keys (rl_callback_read_char from repl.c's select loop) and keeps the
 * line, history and completion, but draws through pane_redisplay() into the
 * prompt window. Its own terminal setup is switched off (curses did it), and
 * what it would print goes to /dev/null. Command output reaches a scrolling
 * window through FILE*s made with fopencookie(3): ctx->out and stderr.
 *
 * Nothing here changes the system: the model reads /proc, this file draws. */
#include "pane.h"

#include <curses.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/select.h>
#include <unistd.h>
#include <wchar.h>

#include <readline/history.h>
#include <readline/readline.h>

#include "../box/box.h"
#include "../box/state.h"
#include "../i18n.h"
#include "../kernel/cleanup.h"
#include "../kernel/procfs.h"
#include "../repl/repl.h"
#include "draw.h"

#define OUT_LINES 1000    /* scrollback kept, to redraw after a resize */
#define OUT_LINE_MAX 1024 /* longer lines are split */
#define SCAN_MS 1000      /* rescan at most once a second when nothing happens */

/* How long to wait between scans: a second, or 200 times what the last scan
 * cost in CPU, so that scanning never takes more than 0.5% of a core (a box
 * with thousands of processes refreshes less often rather than costing more). */
static uint64_t scan_every(const struct ui_snap *sn)
{
	uint64_t ms = (uint64_t)(sn->scan_cpu_us > 0 ? sn->scan_cpu_us : 0) / 5;
	return ms > SCAN_MS ? ms : SCAN_MS;
}

struct ui_pane {
	struct nslab *ctx;
	SCREEN *scr;
	bool active; /* curses owns the terminal now */
	bool big;
	int rows, cols;
	struct ui_layout lay;
	WINDOW *wpane, *wout, *wprompt, *wrule;

	int procdir;
	struct ui_model model;
	bool model_ok;
	uint64_t last_scan;
	unsigned drawn_version;
	bool need_draw;
	uint32_t tr_seen;
	pid_t cur_pid;
	bool out_written; /* a command printed since the last scan */

	char *lines[OUT_LINES]; /* ring of finished lines */
	size_t first, n;
	char cur[OUT_LINE_MAX]; /* the line being written */
	size_t curlen;
	int esc; /* inside an escape sequence: 1 after ESC, 2 inside CSI */

	FILE *outf, *errf, *saved_out, *saved_err, *rl_null;
};

static struct ui_pane *P; /* readline's hooks take no argument */

/* ---------------- size ---------------- */

static void term_size(int *rows, int *cols)
{
	struct winsize ws;
	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row && ws.ws_col) {
		*rows = ws.ws_row;
		*cols = ws.ws_col;
	} else {
		*rows = LINES;
		*cols = COLS;
	}
}

/* A window at @r; under --big its background takes the theme's text colour
 * (the big theme paints every cell, not only the ones written). */
static WINDOW *mkwin(struct ui_rect r, bool big)
{
	if (r.h <= 0 || r.w <= 0)
		return NULL;
	WINDOW *w = newwin(r.h, r.w, r.y, r.x);
	if (w && big)
		wbkgd(w, (chtype)ui_attr(UR_TEXT));
	return w;
}

static void free_wins(struct ui_pane *p)
{
	WINDOW **ws[] = { &p->wpane, &p->wout, &p->wprompt, &p->wrule };
	for (size_t i = 0; i < ARRAY_SIZE(ws); i++)
		if (*ws[i]) {
			delwin(*ws[i]);
			*ws[i] = NULL;
		}
}

/* ---------------- the output window ---------------- */

static void out_push_line(struct ui_pane *p)
{
	char *s = strndup(p->cur, p->curlen);
	if (!s)
		return;
	if (p->n == OUT_LINES) {
		free(p->lines[p->first]);
		p->lines[p->first] = s;
		p->first = (p->first + 1) % OUT_LINES;
	} else {
		p->lines[(p->first + p->n++) % OUT_LINES] = s;
	}
	p->curlen = 0;
}

/* Keep text, tabs (as spaces) and newlines; drop terminal escape sequences. */
static void out_feed(struct ui_pane *p, const char *buf, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)buf[i];
		if (p->esc == 1) {
			p->esc = c == '[' ? 2 : 0;
			continue;
		}
		if (p->esc == 2) {
			if (c >= 0x40 && c <= 0x7e)
				p->esc = 0;
			continue;
		}
		if (c == 033) {
			p->esc = 1;
		} else if (c == '\n') {
			out_push_line(p);
		} else if (c == '\t') {
			do
				p->cur[p->curlen++] = ' ';
			while (p->curlen % 8 && p->curlen < OUT_LINE_MAX - 8);
		} else if (c >= 0x20 || c >= 0x80) {
			/* Split long lines at a character boundary. */
			if (p->curlen >= OUT_LINE_MAX - 8 && (c & 0xC0) != 0x80)
				out_push_line(p);
			p->cur[p->curlen++] = (char)c;
		}
	}
}

/* @s as rows of at most @cols columns: returns the rows, draws them from @y when @w. */
static int wrap_draw(WINDOW *w, int y, int cols, const char *s, size_t len)
{
	wchar_t row[OUT_LINE_MAX];
	size_t rn = 0;
	int rw = 0, rows = 0;
	mbstate_t st;
	memset(&st, 0, sizeof(st));
	wchar_t wc;
	while (ui_next_char(&s, &len, &st, &wc)) {
		int cw = wcwidth(wc);
		if (cw < 0)
			continue;
		if (rw + cw > cols) {
			if (w)
				mvwaddnwstr(w, y + rows, 0, row, (int)rn);
			rows++;
			rn = 0;
			rw = 0;
		}
		row[rn++] = wc;
		rw += cw;
	}
	if (w && rn)
		mvwaddnwstr(w, y + rows, 0, row, (int)rn);
	return rows + 1;
}

static void paint_out(struct ui_pane *p)
{
	if (!p->wout)
		return;
	int h, w;
	getmaxyx(p->wout, h, w);
	werase(p->wout);
	/* Bottom up: the partial line last, then as many lines as fit. */
	size_t total = p->n + (p->curlen ? 1 : 0);
	int used = 0;
	size_t from = total;
	while (from > 0) {
		size_t i = from - 1;
		const char *s = i < p->n ? p->lines[(p->first + i) % OUT_LINES] : p->cur;
		size_t len = i < p->n ? strlen(s) : p->curlen;
		int r = wrap_draw(NULL, 0, w, s, len);
		if (used + r > h)
			break;
		used += r;
		from = i;
	}
	int y = h - used;
	for (size_t i = from; i < total; i++) {
		const char *s = i < p->n ? p->lines[(p->first + i) % OUT_LINES] : p->cur;
		size_t len = i < p->n ? strlen(s) : p->curlen;
		y += wrap_draw(p->wout, y, w, s, len);
	}
	wnoutrefresh(p->wout);
}

static ssize_t cookie_write(void *cookie, const char *buf, size_t len)
{
	struct ui_pane *p = cookie;
	out_feed(p, buf, len);
	p->out_written = true;
	if (p->active) {
		paint_out(p);
		if (p->wprompt)
			wnoutrefresh(p->wprompt);
		doupdate();
	}
	return (ssize_t)len;
}

/* ---------------- the prompt window ---------------- */

struct cell {
	wchar_t wc;
	signed char w;
	bool prompt;
};

static size_t to_cells(const char *s, size_t len, bool prompt, struct cell *c, size_t max)
{
	mbstate_t st;
	memset(&st, 0, sizeof(st));
	size_t n = 0;
	wchar_t wc;
	while (n < max && ui_next_char(&s, &len, &st, &wc)) {
		/* Readline's invisible-prompt markers. */
		if (wc != RL_PROMPT_START_IGNORE && wc != RL_PROMPT_END_IGNORE) {
			int w = wcwidth(wc);
			if (w < 0) {
				wc = L'?';
				w = 1;
			}
			c[n++] = (struct cell){ wc, (signed char)w, prompt };
		}
	}
	return n;
}

static void pane_redisplay(void)
{
	struct ui_pane *p = P;
	if (!p || !p->active || !p->wprompt)
		return;
	static struct cell cells[4096 + 512];
	const char *prompt = rl_display_prompt ? rl_display_prompt : "";
	size_t np = to_cells(prompt, strlen(prompt), true, cells, 512);
	size_t point = (size_t)(rl_point > 0 ? rl_point : 0);
	size_t nb = to_cells(rl_line_buffer, point, false, cells + np, 4096);
	size_t cursor = np + nb;
	size_t n = cursor + to_cells(rl_line_buffer + point, strlen(rl_line_buffer + point), false,
				     cells + cursor, 4096 - nb);
	int cols = getmaxx(p->wprompt);
	/* Scroll sideways so the cursor stays in view. */
	size_t start = 0;
	int w = 0;
	for (size_t i = cursor; i > 0; i--) {
		if (w + cells[i - 1].w > cols - 1) {
			start = i;
			break;
		}
		w += cells[i - 1].w;
	}
	werase(p->wprompt);
	int x = 0, cx = 0;
	for (size_t i = start; i < n; i++) {
		if (i == cursor)
			cx = x;
		if (x + cells[i].w > cols)
			break;
		wattrset(p->wprompt, cells[i].prompt ? ui_attr(UR_HEAD) : ui_attr(UR_TEXT));
		mvwaddnwstr(p->wprompt, 0, x, &cells[i].wc, 1);
		x += cells[i].w;
	}
	if (cursor >= n)
		cx = x;
	wattrset(p->wprompt, A_NORMAL);
	wmove(p->wprompt, 0, cx < cols ? cx : cols - 1);
	wnoutrefresh(p->wprompt);
	doupdate();
}

/* The terminal is curses's: readline must not set it up or reset it. */
static void no_prep(int meta)
{
	(void)meta;
}

static void no_deprep(void)
{
}

/* Enter: show the line in the output, as a terminal would keep it. */
static int pane_accept(int count, int key)
{
	if (P && P->outf) {
		const char *prompt = rl_prompt ? rl_prompt : "";
		fprintf(P->outf, "%s%s\n", prompt, rl_line_buffer);
		fflush(P->outf);
	}
	return rl_newline(count, key);
}

static void relayout(struct ui_pane *p);

/* Ctrl-L: readline's clear goes to /dev/null; repaint the whole screen instead. */
static int pane_clear(int count, int key)
{
	(void)count;
	(void)key;
	if (P && P->active)
		relayout(P);
	return 0;
}

static void show_matches(char **matches, int num, int max_length)
{
	struct ui_pane *p = P;
	if (!p || !p->outf)
		return;
	int cols = p->wout ? getmaxx(p->wout) : 80;
	int colw = max_length + 2;
	int per = cols / colw > 0 ? cols / colw : 1;
	fprintf(p->outf, "%s%s\n", rl_prompt ? rl_prompt : "", rl_line_buffer);
	for (int i = 1; i <= num; i++) {
		int pad = colw - ui_width(matches[i]);
		fprintf(p->outf, "%s%*s", matches[i], i % per && i < num ? pad : 0, "");
		if (i % per == 0 || i == num)
			fputc('\n', p->outf);
	}
	fflush(p->outf);
	rl_forced_update_display();
}

/* ---------------- the pane ---------------- */

static void pane_want(struct ui_pane *p, struct ui_want *w)
{
	struct nslab *ctx = p->ctx;
	memset(w, 0, sizeof(*w));
	w->calls = true;
	if (ctx->cur && !ctx->cur->dead) {
		w->pid = ctx->cur->pid;
		w->name = ctx->cur->spec.name;
		w->session = getpid();
		w->current = ctx->cur->spec.name;
	}
}

static void pane_title(struct ui_pane *p, char *buf, size_t len)
{
	const struct ui_snap *sn = &p->model.snap;
	if (sn->focus && sn->nt)
		snprintf(buf, len, _("nslab pane: box %s (pid %d)"), sn->t[0].name, (int)sn->t[0].pid);
	else if (sn->focus)
		snprintf(buf, len, "%s", _("nslab pane: the box has stopped"));
	else
		snprintf(buf, len, _("nslab pane: the host and %zu box(es)"),
			 sn->nt + sn->more_targets);
}

static void draw_frame(struct ui_pane *p)
{
	if (p->wrule) {
		werase(p->wrule);
		wattrset(p->wrule, ui_attr(UR_DIM));
		if (p->lay.kind == UL_WIDE)
			mvwvline(p->wrule, 0, 0, ACS_VLINE, p->lay.rule.h);
		else
			mvwhline(p->wrule, 0, 0, ACS_HLINE, p->lay.rule.w);
		if (p->lay.kind == UL_OFF) {
			char msg[200];
			snprintf(msg, sizeof(msg),
				 _("pane hidden: the terminal is %dx%d, it needs %dx%d (or nslab --no-pane)"),
				 p->cols, p->rows, UI_MIN_COLS, UI_MIN_ROWS);
			werase(p->wrule);
			ui_put(p->wrule, 0, 0, p->lay.notice.w, msg, UR_DIM);
		}
		wattrset(p->wrule, A_NORMAL);
		wnoutrefresh(p->wrule);
	}
}

static void draw_pane(struct ui_pane *p)
{
	if (!p->wpane || !p->model_ok)
		return;
	char title[160];
	pane_title(p, title, sizeof(title));
	ui_draw_pane(p->wpane, &p->model.snap, title);
	p->drawn_version = p->model.snap.version;
}

/* (Re)make the windows for the terminal's size and draw everything. */
static void relayout(struct ui_pane *p)
{
	term_size(&p->rows, &p->cols);
	resizeterm(p->rows, p->cols);
	free_wins(p);
	ui_layout(p->rows, p->cols, &p->lay);
	p->wpane = mkwin(p->lay.pane, p->big);
	p->wout = mkwin(p->lay.out, p->big);
	p->wprompt = mkwin(p->lay.prompt, p->big);
	p->wrule = mkwin(p->lay.kind == UL_OFF ? p->lay.notice : p->lay.rule, p->big);
	if (p->wprompt)
		keypad(p->wprompt, FALSE);
	clearok(curscr, TRUE);
	wnoutrefresh(stdscr);
	draw_frame(p);
	draw_pane(p);
	paint_out(p);
	pane_redisplay(); /* last: the cursor ends in the prompt */
}

static void scan(struct ui_pane *p, uint64_t now)
{
	struct ui_want w;
	pane_want(p, &w);
	p->model_ok = ui_model_scan(&p->model, &w, now) == 0;
	p->last_scan = now;
	p->tr_seen = tr_last_seq();
	p->cur_pid = w.pid;
	p->out_written = false;
}

static void on_idle(struct nslab *ctx)
{
	struct ui_pane *p = ctx->pane;
	if (!p || !p->active)
		return;
	int rows, cols;
	term_size(&rows, &cols);
	bool resized = rows != p->rows || cols != p->cols;
	uint64_t now = ui_now_ms();
	pid_t cur = ctx->cur && !ctx->cur->dead ? ctx->cur->pid : 0;
	/* Rescan at once when a command did something; otherwise as scan_every() says. */
	uint64_t every = scan_every(&p->model.snap);
	if (p->out_written || cur != p->cur_pid || tr_last_seq() != p->tr_seen ||
	    now - p->last_scan >= every)
		scan(p, now);
	if (resized) {
		relayout(p);
		return;
	}
	if (p->model_ok && p->model.snap.version != p->drawn_version) {
		draw_pane(p);
		if (p->wprompt)
			wnoutrefresh(p->wprompt);
		doupdate();
	}
}

static void release(struct nslab *ctx)
{
	struct ui_pane *p = ctx->pane;
	if (!p || !p->active)
		return;
	fflush(p->outf);
	fflush(p->errf);
	def_prog_mode();
	endwin();
	p->active = false;
	ctx->out = p->saved_out;
	stderr = p->saved_err;
}

static void restore(struct nslab *ctx)
{
	struct ui_pane *p = ctx->pane;
	if (!p || p->active)
		return;
	fflush(stdout);
	fflush(stderr);
	reset_prog_mode();
	p->active = true;
	ctx->out = p->outf;
	stderr = p->errf;
	relayout(p);
}

int ui_pane_start(struct nslab *ctx, bool big)
{
	const char *term = getenv("TERM");
	if (!term || !*term || strcmp(term, "dumb") == 0)
		return -ENOTTY;
	struct ui_pane *p = calloc(1, sizeof(*p));
	if (!p)
		return -ENOMEM;
	p->ctx = ctx;
	p->big = big;
	p->procdir = proc_open_root();
	if (p->procdir < 0 ||
	    ui_model_init(&p->model, p->procdir, sess_rundir(), "/sys/fs/cgroup", getpid()) < 0)
		goto fail;
	p->scr = newterm(NULL, stdout, stdin);
	if (!p->scr)
		goto fail;
	set_term(p->scr);
	cbreak();
	noecho();
	nonl();
	ui_draw_init(big ? UT_BIG : UT_NORMAL);
	ui_set_ascii(MB_CUR_MAX == 1);
	static const cookie_io_functions_t io = { .write = cookie_write };
	p->outf = fopencookie(p, "w", io);
	p->errf = fopencookie(p, "w", io);
	p->rl_null = fopen("/dev/null", "we");
	if (!p->outf || !p->errf || !p->rl_null) {
		endwin();
		goto fail;
	}
	setvbuf(p->outf, NULL, _IOLBF, 0);
	setvbuf(p->errf, NULL, _IOLBF, 0);
	P = p;
	ctx->pane = (struct ui_pane *)p;
	p->saved_out = ctx->out;
	p->saved_err = stderr;
	ctx->out = p->outf;
	/* out_msg() and out_nerr() print to stderr: it must land in the window too. */
	stderr = p->errf;
	ctx->on_idle = on_idle;
	ctx->term_release = release;
	ctx->term_restore = restore;

	/* Readline: keys and line as ever, drawing through us. */
	rl_change_environment = 0; /* no LINES/COLUMNS: curses reads the size itself */
	rl_readline_name = "nslab";
	rl_initialize();
	rl_redisplay_function = pane_redisplay;
	rl_prep_term_function = no_prep;
	rl_deprep_term_function = no_deprep;
	rl_outstream = p->rl_null;
	rl_completion_display_matches_hook = show_matches;
	rl_bind_key('\r', pane_accept);
	rl_bind_key('\n', pane_accept);
	rl_bind_key(12, pane_clear);

	p->active = true;
	scan(p, ui_now_ms());
	relayout(p);
	return 0;
fail:
	if (p->outf)
		fclose(p->outf);
	if (p->errf)
		fclose(p->errf);
	if (p->rl_null)
		fclose(p->rl_null);
	if (p->procdir >= 0)
		close(p->procdir);
	ui_model_free(&p->model);
	free(p);
	return -ENOTTY;
}

void ui_pane_stop(struct nslab *ctx)
{
	struct ui_pane *p = ctx->pane;
	if (!p)
		return;
	fflush(p->outf);
	fflush(p->errf);
	if (p->active)
		endwin();
	p->active = false;
	free_wins(p);
	delscreen(p->scr);
	ctx->out = p->saved_out;
	stderr = p->saved_err;
	ctx->on_idle = NULL;
	ctx->term_release = NULL;
	ctx->term_restore = NULL;
	ctx->pane = NULL;
	rl_redisplay_function = rl_redisplay;
	rl_prep_term_function = rl_prep_terminal;
	rl_deprep_term_function = rl_deprep_terminal;
	rl_outstream = stdout;
	rl_completion_display_matches_hook = NULL;
	rl_bind_key('\r', rl_newline);
	rl_bind_key('\n', rl_newline);
	rl_bind_key(12, rl_clear_screen);
	P = NULL;
	fclose(p->outf);
	fclose(p->errf);
	fclose(p->rl_null);
	for (size_t i = 0; i < p->n; i++)
		free(p->lines[(p->first + i) % OUT_LINES]);
	ui_model_free(&p->model);
	close(p->procdir);
	free(p);
}

void ui_pane_set_big(struct nslab *ctx, bool big)
{
	struct ui_pane *p = ctx->pane;
	if (!p)
		return;
	p->big = big;
	ui_draw_init(big ? UT_BIG : UT_NORMAL);
	if (p->active) {
		p->drawn_version = 0;
		relayout(p);
	}
}

/* ---------------- top: the pane alone ---------------- */

enum ui_action ui_top_key(int key)
{
	switch (key) {
	case 'q':
	case 'Q':
	case 3:   /* Ctrl-C: in raw mode a key, not a signal */
	case 4:   /* Ctrl-D */
	case 033: /* Esc */
		return UA_QUIT;
	case 'b':
	case 'B':
		return UA_TOGGLE_BIG;
	case 12: /* Ctrl-L */
		return UA_REDRAW;
	default:
		return UA_NONE;
	}
}

int ui_top_run(struct nslab *ctx, const struct ui_want *want, bool big)
{
	struct ui_pane *pane = ctx->pane;
	bool own = !pane || !pane->active;
	SCREEN *scr = NULL;
	const char *term = getenv("TERM");
	if (own) {
		if (!term || !*term || strcmp(term, "dumb") == 0)
			return -ENOTTY;
		fflush(stdout);
		scr = newterm(NULL, stdout, stdin);
		if (!scr)
			return -ENOTTY;
		set_term(scr);
		noecho();
		nonl();
	}
	raw(); /* Ctrl-C is a key here: it leaves top, not the shell */
	curs_set(0);
	ui_draw_init(big ? UT_BIG : UT_NORMAL);
	ui_set_ascii(MB_CUR_MAX == 1);
	_cleanup_close_ int proc = proc_open_root();
	struct ui_model m;
	if (proc < 0 || ui_model_init(&m, proc, sess_rundir(), "/sys/fs/cgroup", getpid()) < 0)
		goto out;
	WINDOW *win = NULL, *status = NULL;
	int rows = 0, cols = 0;
	uint64_t last = 0;
	unsigned drawn = 0;
	uint64_t drawn_at = 0;
	bool quit = false;
	while (!quit && !sig_pending()) {
		int r, c;
		term_size(&r, &c);
		bool resized = r != rows || c != cols;
		uint64_t now = ui_now_ms();
		uint64_t every = scan_every(&m.snap);
		if (!last || now - last >= every) {
			ui_model_scan(&m, want, now);
			last = now;
		}
		if (resized) {
			rows = r;
			cols = c;
			resizeterm(rows, cols);
			if (win)
				delwin(win);
			if (status)
				delwin(status);
			win = mkwin((struct ui_rect){ 0, 0, rows > 1 ? rows - 1 : 1, cols }, big);
			status = mkwin((struct ui_rect){ rows > 1 ? rows - 1 : 0, 0, 1, cols }, false);
			clearok(curscr, TRUE);
			wnoutrefresh(stdscr);
			drawn = 0;
		}
		/* Every scan redraws here: the status line shows what the scan cost. */
		if (win && status && (m.snap.version != drawn || drawn_at != last)) {
			drawn_at = last;
			char title[160];
			if (m.snap.focus && m.snap.nt)
				snprintf(title, sizeof(title), _("nslab top: %s (pid %d)"), m.snap.t[0].name,
					 (int)m.snap.t[0].pid);
			else
				snprintf(title, sizeof(title), _("nslab top: the host and %zu box(es)"),
					 m.snap.nt + m.snap.more_targets);
			ui_draw_pane(win, &m.snap, title);
			werase(status);
			char help[160];
			snprintf(help, sizeof(help), _("q quit   b big/normal colours   scan %.1f ms CPU"),
				 m.snap.scan_cpu_us / 1000.0);
			ui_put(status, 0, 0, cols, help, UR_DIM);
			wnoutrefresh(status);
			doupdate();
			drawn = m.snap.version;
		}
		fd_set fds;
		FD_ZERO(&fds);
		FD_SET(STDIN_FILENO, &fds);
		struct timeval tv = { 0, 250000 };
		if (select(STDIN_FILENO + 1, &fds, NULL, NULL, &tv) > 0) {
			unsigned char key;
			if (read(STDIN_FILENO, &key, 1) != 1)
				break;
			switch (ui_top_key(key)) {
			case UA_QUIT:
				quit = true;
				break;
			case UA_TOGGLE_BIG:
				big = !big;
				ui_draw_init(big ? UT_BIG : UT_NORMAL);
				if (win)
					wbkgd(win, big ? (chtype)ui_attr(UR_TEXT) : (chtype)A_NORMAL);
				drawn = 0;
				break;
			case UA_REDRAW:
				clearok(curscr, TRUE);
				drawn = 0;
				break;
			case UA_NONE:
				break;
			}
		}
	}
	if (win)
		delwin(win);
	if (status)
		delwin(status);
	ui_model_free(&m);
out:
	curs_set(1);
	if (own) {
		endwin();
		delscreen(scr);
		if (pane)
			set_term(pane->scr);
	} else {
		noraw();
		cbreak();
		ui_draw_init(pane->big ? UT_BIG : UT_NORMAL);
		relayout(pane);
	}
	return 0;
}
