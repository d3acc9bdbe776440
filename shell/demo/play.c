/* play.c - paced playback of a demo script.
 *
 * Between steps the player waits for one key with the terminal in raw mode
 * (termios: no line editing, no echo, no signals, so Ctrl-C is just a key that
 * quits). While a command runs the terminal is back in its normal mode, so a
 * program in a box behaves as at the prompt. The mode is restored on every
 * way out: the end, q, a terminating signal (the wait returns EINTR and the
 * shell's handler has recorded it), and exit() through atexit. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "../box/box.h"
#include "../cmd/cmd.h"
#include "../kernel/cleanup.h"
#include "../record/tee.h"
#include "../repl/repl.h"
#include "demo.h"

/* ---------------- the terminal ---------------- */

static struct termios saved_tio;
static bool raw_on, atexit_done;

static void term_cooked(void)
{
	if (raw_on) {
		tcsetattr(0, TCSAFLUSH, &saved_tio);
		raw_on = false;
	}
}

static void term_raw(void)
{
	if (raw_on || !isatty(0) || tcgetattr(0, &saved_tio) < 0)
		return;
	if (!atexit_done) {
		atexit(term_cooked);
		atexit_done = true;
	}
	struct termios t = saved_tio;
	t.c_lflag &= ~(tcflag_t)(ICANON | ECHO | ISIG | IEXTEN);
	t.c_iflag &= ~(tcflag_t)(IXON | ICRNL);
	t.c_cc[VMIN] = 1;
	t.c_cc[VTIME] = 0;
	if (tcsetattr(0, TCSAFLUSH, &t) == 0)
		raw_on = true;
}

struct player {
	struct nslab *ctx;
	const struct demo *d;
	const struct demo_opts *o;
	const char *feed; /* what is left of --keys */
	bool use_tty;
	bool autoplay;
	bool skip_next;
	bool skip_section; /* an @needs named a command this nslab lacks */
	bool tty_out;
	char *last_out; /* what the last command printed, for 'r' */
	size_t last_len;
	int ran, surprises, skipped;
};

static long ms(const struct player *p, double base)
{
	return p->o->speed <= 0 ? 0 : (long)(base / p->o->speed);
}

static void sleep_ms(long n)
{
	if (n <= 0)
		return;
	struct timespec ts = { n / 1000, (n % 1000) * 1000000L };
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR && !sig_pending())
		;
}

/* The next key, or 0 when @timeout_ms (-1: none) passed without one. EOF and a
 * terminating signal read as 'q'. */
static int next_key(struct player *p, long timeout_ms)
{
	if (sig_pending())
		return 'q';
	if (!p->use_tty) {
		if (p->feed && *p->feed)
			return (unsigned char)*p->feed++;
		if (!p->autoplay)
			return 'q'; /* the feed is used up */
		sleep_ms(timeout_ms);
		return sig_pending() ? 'q' : 0;
	}
	fflush(stdout);
	term_raw();
	struct pollfd pf = { .fd = 0, .events = POLLIN };
	int r = poll(&pf, 1, timeout_ms < 0 ? -1 : (int)timeout_ms);
	int key = 0;
	if (r < 0) {
		key = errno == EINTR && !sig_pending() ? 0 : 'q';
	} else if (r > 0) {
		unsigned char buf[8];
		ssize_t n = read(0, buf, sizeof(buf));
		/* An escape sequence (arrow keys) counts as one "next". */
		key = n <= 0 ? 'q' : buf[0] == 27 ? ' ' : buf[0];
		if (key == 3 || key == 4)
			key = 'q'; /* Ctrl-C, Ctrl-D */
	}
	term_cooked();
	return key;
}

/* ---------------- what the audience sees ---------------- */

static void style(struct player *p, const char *sgr)
{
	if (p->tty_out)
		out(p->ctx, "\033[%sm", sgr);
}

static void say(struct player *p, const char *text)
{
	style(p, "1;36");
	out(p->ctx, "%s%s", *text ? "  | " : "", text);
	style(p, "0");
	out(p->ctx, "\n");
}

static void status_line(struct player *p, const char *msg)
{
	style(p, "2");
	out(p->ctx, "  (%s)", msg);
	style(p, "0");
	out(p->ctx, "\n");
}

/* Type the command the way a person would, one character (not byte) at a time. */
static void type_cmd(struct player *p, const char *cmd)
{
	const char *box = p->ctx->cur ? p->ctx->cur->spec.name : "host";
	style(p, "1;32");
	out(p->ctx, "nslab[%s]%s ", box, p->ctx->is_root ? "#" : "$");
	style(p, "0");
	long per = ms(p, 45);
	for (const char *c = cmd; *c;) {
		int len = mblen(c, MB_CUR_MAX);
		if (len < 1)
			len = 1;
		out(p->ctx, "%.*s", len, c);
		c += len;
		if (per) {
			fflush(p->ctx->out);
			sleep_ms(per);
			if (sig_pending())
				break;
		}
	}
	out(p->ctx, "\n");
	fflush(p->ctx->out);
}

/* Run one line through the shell, keeping a copy of what it printed for 'r'. */
static int run_cmd(struct player *p, const char *line)
{
	struct tee t = { 0 };
	struct nerr e = { 0 };
	_cleanup_close_ int mem = memfd_create("nslab-demo-out", MFD_CLOEXEC);
	bool teed = mem >= 0 && tee_start(&t, TEE_COPY, mem, &e) == 0;
	int st = repl_run_line(p->ctx, line);
	if (!teed)
		return st;
	tee_stop(&t);
	off_t len = lseek(mem, 0, SEEK_END);
	if (len < 0)
		return st;
	if (len > (1 << 20))
		len = 1 << 20; /* enough to show again */
	char *buf = malloc((size_t)len + 1);
	if (buf && pread(mem, buf, (size_t)len, 0) == len) {
		free(p->last_out);
		p->last_out = buf;
		p->last_len = (size_t)len;
	} else {
		free(buf);
	}
	return st;
}

/* Presenter notes: never on the projector, only in --notes FILE. */
static void note(struct player *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void note(struct player *p, const char *fmt, ...)
{
	if (!p->o->notes)
		return;
	va_list ap;
	va_start(ap, fmt);
	vfprintf(p->o->notes, fmt, ap);
	va_end(ap);
	fflush(p->o->notes);
}

/* Show item @i: narration, or a command typed and run. */
static void show(struct player *p, int i)
{
	const struct demo_item *it = &p->d->items[i];
	if (it->kind == DEMO_SAY) {
		say(p, it->text);
		return;
	}
	char word[64];
	if (p->skip_next) {
		p->skip_next = false;
		p->skipped++;
		style(p, "2;9");
		out(p->ctx, "nslab[...] %s", it->text);
		style(p, "0");
		out(p->ctx, "\n");
		status_line(p, _("skipped"));
		return;
	}
	type_cmd(p, it->text);
	if (demo_item_missing(it, word, sizeof(word))) {
		char msg[256];
		snprintf(msg, sizeof(msg), _("'%s' is not in this nslab yet: skipped"), word);
		status_line(p, msg);
		p->skipped++;
		return;
	}
	int st = run_cmd(p, it->text);
	p->ran++;
	bool expect_fail = it->kind == DEMO_RUN_FAIL;
	if ((st != 0) != expect_fail) {
		p->surprises++;
		char msg[256];
		snprintf(msg, sizeof(msg),
			 expect_fail ? _("line %d: expected to fail, but succeeded")
				     : _("line %d: failed with status %d"),
			 it->line, st);
		status_line(p, msg);
		note(p, _("!! line %d: unexpected result (status %d)\n"), it->line, st);
	}
}

/* Notes, @clear, @pause and @lang up to the next visible item. */
static int pass_hidden(struct player *p, int i)
{
	for (; i < p->d->n && (p->skip_section || !demo_visible(&p->d->items[i])); i++) {
		const struct demo_item *it = &p->d->items[i];
		char word[64];
		if (p->skip_section && demo_visible(it)) {
			p->skipped += it->kind != DEMO_SAY;
			continue;
		}
		switch (it->kind) {
		case DEMO_NEEDS:
			p->skip_section = demo_item_missing(it, word, sizeof(word));
			if (p->skip_section) {
				char msg[256];
				snprintf(msg, sizeof(msg),
					 _("the next part needs '%s', which this nslab does not have "
					   "yet: skipped"),
					 word);
				status_line(p, msg);
			}
			break;
		case DEMO_NOTE:
			note(p, "%s\n", it->text);
			break;
		case DEMO_CLEAR:
			if (p->tty_out)
				out(p->ctx, "\033[H\033[2J");
			break;
		case DEMO_PAUSE:
			if (p->autoplay) {
				p->autoplay = !p->use_tty && !p->feed;
				if (!p->autoplay)
					status_line(p, _("paused: p goes on by itself, space shows the next line"));
			}
			break;
		case DEMO_LANG:
			/* NULL keeps the catalogue directory main chose. */
			i18n_init(it->text, NULL);
			break;
		default:
			break;
		}
	}
	if (i < p->d->n)
		note(p, _("--- next (line %d): %s %s\n"), p->d->items[i].line,
		     p->d->items[i].kind == DEMO_SAY ? ">" : "$", p->d->items[i].text);
	return i;
}

int demo_play(struct nslab *ctx, const struct demo *d, const struct demo_opts *o)
{
	struct player p = {
		.ctx = ctx,
		.d = d,
		.o = o,
		.feed = o->keys,
		.use_tty = !o->keys && isatty(0),
		.autoplay = o->autoplay,
		.tty_out = isatty(fileno(ctx->out)),
	};
	bool quit = false;
	if (d->title[0]) {
		style(&p, "1");
		if (d->minutes)
			out(ctx, _("%s (about %d min)"), d->title, d->minutes);
		else
			out(ctx, "%s", d->title);
		style(&p, "0");
		out(ctx, "\n");
	}
	if (p.use_tty)
		status_line(&p, _("space or enter: next   p: pause/auto   s: skip a command   "
				  "r: repeat output   q: quit"));
	note(&p, _("=== %s: presenter notes ===\n"), d->title[0] ? d->title : "demo");
	int i = pass_hidden(&p, 0);
	while (i < d->n && !quit) {
		const struct demo_item *it = &d->items[i];
		long wait = -1;
		if (p.autoplay)
			wait = ms(&p, it->kind == DEMO_SAY ? 800 + 30.0 * (double)strlen(it->text)
							   : 1200);
		int key = next_key(&p, wait);
		switch (key) {
		case 'q':
		case 'Q':
			quit = true;
			break;
		case 'p':
		case 'P':
			p.autoplay = !p.autoplay;
			status_line(&p, p.autoplay ? _("auto: on") : _("auto: paused"));
			break;
		case 'r':
		case 'R':
			if (p.last_out) {
				status_line(&p, _("the last command's output again:"));
				fwrite(p.last_out, 1, p.last_len, ctx->out);
				fflush(ctx->out);
			} else {
				status_line(&p, _("no command has run yet"));
			}
			break;
		case 's':
		case 'S':
			p.skip_next = true;
			/* skipping is also a step forward */
			__attribute__((fallthrough));
		case 0:
		case ' ':
		case '\n':
		case '\r':
		case 'n':
		case 'j':
			show(&p, i);
			i = pass_hidden(&p, i + 1);
			break;
		default:
			break;
		}
		if (sig_pending())
			quit = true;
	}
	term_cooked();
	if (!quit || i >= d->n) {
		char msg[256];
		snprintf(msg, sizeof(msg), _("end of demo: %d commands run, %d skipped, %d unexpected"),
			 p.ran, p.skipped, p.surprises);
		status_line(&p, msg);
	}
	note(&p, _("=== end: %d commands run, %d unexpected ===\n"), p.ran, p.surprises);
	free(p.last_out);
	fflush(ctx->out);
	return p.surprises ? CMD_FAIL : CMD_OK;
}
