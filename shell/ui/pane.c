/* pane.c - the drawing loop of `nslab top`, also the live pane beside the
 * shell (`nslab top --follow SESSION`, in a tmux split).
 *
 * The follower reads what the shell published in its session directory
 * (UI_FOLLOW_FILE), waking on inotify when it changes, and scans the kernel
 * itself: it keeps drawing while the shell waits for a program. Nothing here
 * changes the system: the model reads /proc, this file draws. */
#include "pane.h"

#include <curses.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/ioctl.h>
#include <sys/select.h>
#include <unistd.h>

#include "../box/state.h"
#include "../i18n.h"
#include "../kernel/cleanup.h"
#include "../kernel/procfs.h"
#include "../repl/repl.h"
#include "draw.h"

#define SCAN_MS 1000 /* rescan at most once a second when nothing happens */

/* How long to wait between scans: a second, or 200 times what the last scan
 * cost in CPU, so that scanning never takes more than 0.5% of a core (a box
 * with thousands of processes refreshes less often rather than costing more). */
static uint64_t scan_every(const struct ui_snap *sn)
{
	uint64_t ms = (uint64_t)(sn->scan_cpu_us > 0 ? sn->scan_cpu_us : 0) / 5;
	return ms > SCAN_MS ? ms : SCAN_MS;
}

/* ---------------- what the shell publishes ---------------- */

/* One line of text: no newline or tab inside a field. */
static void flat(char *dst, size_t len, const char *src)
{
	size_t i = 0;
	for (; src[i] && i + 1 < len; i++)
		dst[i] = src[i] == '\n' || src[i] == '\t' || src[i] == '\r' ? ' ' : src[i];
	dst[i] = '\0';
}

size_t ui_follow_format(const struct ui_follow *f, char *buf, size_t len)
{
	size_t off = 0;
	char t[256];
#define PUT(...)                                                                                   \
	do {                                                                                       \
		int k_ = snprintf(buf + off, off < len ? len - off : 0, __VA_ARGS__);              \
		if (k_ > 0)                                                                        \
			off += (size_t)k_;                                                         \
	} while (0)
	flat(t, sizeof(t), f->current);
	PUT("current\t%s\t%d\t%llu\n", t, (int)f->current_pid, f->current_start);
	flat(t, sizeof(t), f->lab);
	PUT("lab\t%s\n", t);
	PUT("big\t%d\n", f->big ? 1 : 0);
	for (size_t i = 0; i < f->ncalls && i < UI_CALLS; i++) {
		const struct tr_rec *r = &f->calls[i];
		flat(t, sizeof(t), r->text);
		PUT("call\t%u\t%d\t%ld\t%d\t%s\n", r->seq, r->err, r->ret, (int)r->pid, t);
	}
#undef PUT
	return off < len ? off : (len ? len - 1 : 0);
}

void ui_follow_parse(const char *text, struct ui_follow *f)
{
	memset(f, 0, sizeof(*f));
	const char *p = text;
	while (p && *p) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		char line[512];
		snprintf(line, sizeof(line), "%.*s", (int)(n < sizeof(line) - 1 ? n : sizeof(line) - 1),
			 p);
		p = nl ? nl + 1 : NULL;
		char *save = NULL;
		char *key = strtok_r(line, "\t", &save);
		if (!key)
			continue;
		if (strcmp(key, "current") == 0) {
			/* An empty name leaves two tabs side by side. */
			char *rest = save;
			char *tab = rest ? strchr(rest, '\t') : NULL;
			if (!tab)
				continue;
			*tab = '\0';
			snprintf(f->current, sizeof(f->current), "%s", rest);
			int pid = 0;
			unsigned long long st = 0;
			if (sscanf(tab + 1, "%d\t%llu", &pid, &st) == 2 && pid > 0) {
				f->current_pid = pid;
				f->current_start = st;
			}
		} else if (strcmp(key, "lab") == 0) {
			snprintf(f->lab, sizeof(f->lab), "%s", save ? save : "");
		} else if (strcmp(key, "big") == 0) {
			f->big = save && save[0] == '1';
		} else if (strcmp(key, "call") == 0 && f->ncalls < UI_CALLS) {
			struct tr_rec *r = &f->calls[f->ncalls];
			memset(r, 0, sizeof(*r));
			unsigned seq;
			int err, pid, used = 0;
			long ret;
			if (!save || sscanf(save, "%u\t%d\t%ld\t%d\t%n", &seq, &err, &ret, &pid, &used) < 4 ||
			    !used)
				continue;
			r->seq = seq;
			r->err = err;
			r->ret = ret;
			r->pid = pid;
			snprintf(r->text, sizeof(r->text), "%s", save + used);
			f->ncalls++;
		}
	}
}

/* ---------------- drawing ---------------- */

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

/* The follower's view of its shell. */
struct follow {
	pid_t session;
	char dir[PATH_MAX];
	int ifd;                /* inotify on the session directory */
	bool boxes_watched;     /* and on its boxes/ once that exists */
	struct ui_follow f;
	uint32_t pushed;        /* the shell's last call already in our ring */
	bool changed;
};

static void follow_watch(struct follow *fw)
{
	if (fw->ifd < 0)
		return;
	if (!fw->boxes_watched) {
		char b[PATH_MAX + 8];
		snprintf(b, sizeof(b), "%s/boxes", fw->dir);
		fw->boxes_watched = inotify_add_watch(fw->ifd, b,
						      IN_CREATE | IN_DELETE | IN_MOVED_TO) >= 0;
	}
}

static void follow_read(struct follow *fw)
{
	char path[PATH_MAX + 16], buf[8192];
	snprintf(path, sizeof(path), "%s/%s", fw->dir, UI_FOLLOW_FILE);
	_cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return;
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	if (n < 0)
		return;
	buf[n] = '\0';
	ui_follow_parse(buf, &fw->f);
	/* The shell's records into our own ring: the model shows it as the calls. */
	for (size_t i = 0; i < fw->f.ncalls; i++)
		if (fw->f.calls[i].seq > fw->pushed) {
			tr_push(&fw->f.calls[i]);
			fw->pushed = fw->f.calls[i].seq;
		}
	follow_watch(fw);
	fw->changed = true;
}

static void follow_drain(struct follow *fw)
{
	char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
	while (fw->ifd >= 0 && read(fw->ifd, buf, sizeof(buf)) > 0)
		fw->changed = true;
}

static bool session_alive(pid_t pid)
{
	return kill(pid, 0) == 0 || errno == EPERM;
}

int ui_top_run(struct nslab *ctx, const struct ui_want *want, bool big, pid_t follow)
{
	(void)ctx;
	const char *term = getenv("TERM");
	if (!term || !*term || strcmp(term, "dumb") == 0)
		return -ENOTTY;
	fflush(stdout);
	SCREEN *scr = newterm(NULL, stdout, stdin);
	if (!scr)
		return -ENOTTY;
	set_term(scr);
	noecho();
	nonl();
	raw(); /* Ctrl-C is a key here: it leaves top, not the shell */
	curs_set(0);
	struct follow fw = { .session = follow, .ifd = -1 };
	struct ui_want w = *want;
	if (follow) {
		snprintf(fw.dir, sizeof(fw.dir), "%s/%d", sess_rundir(), (int)follow);
		fw.ifd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
		if (fw.ifd >= 0)
			inotify_add_watch(fw.ifd, fw.dir,
					  IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE | IN_DELETE_SELF);
		follow_read(&fw);
		big = fw.f.big;
	}
	ui_draw_init(big ? UT_BIG : UT_NORMAL);
	ui_set_ascii(MB_CUR_MAX == 1);
	_cleanup_close_ int proc = proc_open_root();
	struct ui_model m;
	if (proc < 0 ||
	    ui_model_init(&m, proc, sess_rundir(), "/sys/fs/cgroup", follow ? follow : getpid()) < 0)
		goto out;
	WINDOW *win = NULL, *status = NULL;
	int rows = 0, cols = 0;
	uint64_t last = 0;
	unsigned drawn = 0;
	uint64_t drawn_at = 0;
	bool quit = false;
	while (!quit && !sig_pending()) {
		if (follow) {
			if (!session_alive(follow))
				break; /* the shell has gone: so does its pane */
			if (fw.changed) {
				follow_read(&fw);
				fw.changed = false;
				memset(&w, 0, sizeof(w));
				w.calls = true;
				w.session = follow;
				if (fw.f.current[0] && fw.f.current_pid > 0) {
					w.pid = fw.f.current_pid;
					w.name = fw.f.current;
					w.current = fw.f.current;
				}
				if (fw.f.big != big) {
					big = fw.f.big;
					ui_draw_init(big ? UT_BIG : UT_NORMAL);
					rows = 0; /* remake the windows with the new background */
				}
				last = 0; /* rescan now */
			}
		}
		int r, c;
		term_size(&r, &c);
		bool resized = r != rows || c != cols;
		uint64_t now = ui_now_ms();
		uint64_t every = scan_every(&m.snap);
		if (!last || now - last >= every) {
			ui_model_scan(&m, &w, now);
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
			char title[200], help[200];
			if (follow) {
				if (m.snap.focus && m.snap.nt)
					snprintf(title, sizeof(title), _("nslab pane: box %s (pid %d)"),
						 m.snap.t[0].name, (int)m.snap.t[0].pid);
				else if (m.snap.focus)
					snprintf(title, sizeof(title), "%s",
						 _("nslab pane: the box has stopped"));
				else
					snprintf(title, sizeof(title),
						 _("nslab pane: the host and %zu box(es)"),
						 m.snap.nt + m.snap.more_targets);
				if (fw.f.lab[0])
					snprintf(help, sizeof(help), "%s", fw.f.lab);
				else
					snprintf(help, sizeof(help), "%s",
						 _("q closes the pane ('pane on' brings it back)"));
			} else {
				if (m.snap.focus && m.snap.nt)
					snprintf(title, sizeof(title), _("nslab top: %s (pid %d)"),
						 m.snap.t[0].name, (int)m.snap.t[0].pid);
				else
					snprintf(title, sizeof(title),
						 _("nslab top: the host and %zu box(es)"),
						 m.snap.nt + m.snap.more_targets);
				snprintf(help, sizeof(help),
					 _("q quit   b big/normal colours   scan %.1f ms CPU"),
					 m.snap.scan_cpu_us / 1000.0);
			}
			ui_draw_pane(win, &m.snap, title);
			werase(status);
			ui_put(status, 0, 0, cols, help, UR_DIM);
			wnoutrefresh(status);
			doupdate();
			drawn = m.snap.version;
		}
		fd_set fds;
		FD_ZERO(&fds);
		FD_SET(STDIN_FILENO, &fds);
		int maxfd = STDIN_FILENO;
		if (fw.ifd >= 0) {
			FD_SET(fw.ifd, &fds);
			maxfd = fw.ifd > maxfd ? fw.ifd : maxfd;
		}
		struct timeval tv = { 0, 250000 };
		if (select(maxfd + 1, &fds, NULL, NULL, &tv) <= 0)
			continue;
		if (fw.ifd >= 0 && FD_ISSET(fw.ifd, &fds))
			follow_drain(&fw);
		if (FD_ISSET(STDIN_FILENO, &fds)) {
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
				rows = 0;
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
	if (fw.ifd >= 0)
		close(fw.ifd);
	curs_set(1);
	endwin();
	delscreen(scr);
	return 0;
}
