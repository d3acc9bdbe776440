/* tee.c - a forked tee on fds 1 and 2 (see tee.h). */
#include "tee.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "../kernel/cleanup.h"
#include "../kernel/userfile.h"

int tee_cast_header(char *buf, size_t len, int width, int height, long long timestamp,
		    const char *term)
{
	char t[64];
	size_t k = 0;
	/* TERM is a name, but escape it anyway: the header must stay valid JSON. */
	for (const char *p = term ? term : "xterm-256color"; *p && k < sizeof(t) - 1; p++)
		if (*p != '"' && *p != '\\' && (unsigned char)*p >= 0x20)
			t[k++] = *p;
	t[k] = '\0';
	return snprintf(buf, len,
			"{\"version\": 2, \"width\": %d, \"height\": %d, \"timestamp\": %lld, "
			"\"title\": \"nslab\", \"env\": {\"TERM\": \"%s\", \"SHELL\": \"nslab\"}}\n",
			width, height, timestamp, t);
}

/* Length of the UTF-8 sequence at p (n bytes available): >0 valid, 0 need
 * more bytes, -1 invalid. Follows RFC 3629 (no overlongs, no surrogates). */
static int utf8_len(const unsigned char *p, size_t n)
{
	unsigned char c = p[0];
	int len;
	unsigned char lo = 0x80, hi = 0xbf;
	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		len = 2;
	else if (c >= 0xe0 && c <= 0xef)
		len = 3;
	else if (c >= 0xf0 && c <= 0xf4)
		len = 4;
	else
		return -1;
	if (c == 0xe0)
		lo = 0xa0;
	else if (c == 0xed)
		hi = 0x9f;
	else if (c == 0xf0)
		lo = 0x90;
	else if (c == 0xf4)
		hi = 0x8f;
	for (int i = 1; i < len; i++) {
		if ((size_t)i >= n)
			return 0;
		unsigned char b = p[i];
		if (i == 1 ? (b < lo || b > hi) : (b < 0x80 || b > 0xbf))
			return -1;
	}
	return len;
}

size_t tee_json_escape(const unsigned char *data, size_t n, char *out, size_t cap,
		       size_t *ret_keep)
{
	size_t o = 0, i = 0;
	*ret_keep = 0;
	while (i < n && o + 7 < cap) {
		unsigned char c = data[i];
		int l = utf8_len(data + i, n - i);
		if (l == 0) {
			*ret_keep = n - i;
			break;
		}
		if (l < 0) {
			o += (size_t)snprintf(out + o, cap - o, "\\ufffd");
			i++;
		} else if (l > 1) {
			memcpy(out + o, data + i, (size_t)l);
			o += (size_t)l;
			i += (size_t)l;
		} else if (c == '"' || c == '\\') {
			out[o++] = '\\';
			out[o++] = (char)c;
			i++;
		} else if (c == '\n' || c == '\r' || c == '\t') {
			out[o++] = '\\';
			out[o++] = c == '\n' ? 'n' : c == '\r' ? 'r' : 't';
			i++;
		} else if (c < 0x20 || c == 0x7f) {
			o += (size_t)snprintf(out + o, cap - o, "\\u%04x", c);
			i++;
		} else {
			out[o++] = (char)c;
			i++;
		}
	}
	out[o < cap ? o : cap - 1] = '\0';
	return o;
}

static void write_all(int fd, const void *buf, size_t n)
{
	const char *p = buf;
	while (n > 0) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return; /* the reader is gone: nothing to do but drop it */
		p += w;
		n -= (size_t)w;
	}
}

static double since(const struct timespec *t0)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - t0->tv_sec) + (double)(now.tv_nsec - t0->tv_nsec) / 1e9;
}

static volatile sig_atomic_t winched;

static void on_winch(int sig)
{
	(void)sig;
	winched = 1;
}

struct src {
	int fd;   /* pty master or pipe read end */
	int dst;  /* the original fd 1 or 2 */
	bool pty;
	struct termios seen; /* the slave's modes as last mirrored */
	unsigned char carry[4]; /* an incomplete UTF-8 character (casts only) */
	size_t ncarry;
};

/* A curses pane sets raw modes on its output fd, which is now the pty: give
 * the same modes to the real terminal, which is where the keys come from. */
static void mirror_modes(struct src *s)
{
	struct termios now, real;
	/* On a pty master, tcgetattr() reads the slave's termios. */
	if (tcgetattr(s->fd, &now) < 0)
		return;
	if (now.c_iflag == s->seen.c_iflag && now.c_lflag == s->seen.c_lflag &&
	    memcmp(now.c_cc, s->seen.c_cc, sizeof(now.c_cc)) == 0)
		return;
	s->seen = now;
	if (tcgetattr(s->dst, &real) < 0)
		return;
	real.c_iflag = now.c_iflag;
	real.c_lflag = now.c_lflag;
	memcpy(real.c_cc, now.c_cc, sizeof(real.c_cc));
	tcsetattr(s->dst, TCSANOW, &real);
}

static void tee_loop(struct src *s, int ns, enum tee_sink kind, int sink, const struct timespec *t0)
{
	static unsigned char buf[65536 + 4];
	static char esc[(65536 + 4) * 6 + 64];
	while (ns > 0) {
		struct pollfd p[2];
		for (int i = 0; i < ns; i++)
			p[i] = (struct pollfd){ .fd = s[i].fd, .events = POLLIN };
		int r = poll(p, (nfds_t)ns, 200);
		if (winched) {
			winched = 0;
			struct winsize ws;
			for (int i = 0; i < ns; i++)
				if (s[i].pty && ioctl(s[i].dst, TIOCGWINSZ, &ws) == 0)
					ioctl(s[i].fd, TIOCSWINSZ, &ws);
		}
		for (int i = 0; i < ns; i++)
			if (s[i].pty)
				mirror_modes(&s[i]);
		if (r <= 0)
			continue;
		for (int i = 0; i < ns; i++) {
			if (!p[i].revents)
				continue;
			size_t ncarry = s[i].ncarry;
			memcpy(buf, s[i].carry, ncarry);
			ssize_t n = read(s[i].fd, buf + ncarry, 65536);
			if (n < 0 && (errno == EINTR || errno == EAGAIN))
				continue;
			if (n <= 0) {
				/* EOF, or EIO from a pty master whose slave is closed everywhere. */
				close(s[i].fd);
				s[i] = s[--ns];
				break;
			}
			write_all(s[i].dst, buf + ncarry, (size_t)n);
			if (kind == TEE_COPY) {
				write_all(sink, buf + ncarry, (size_t)n);
				continue;
			}
			size_t keep, total = s[i].ncarry + (size_t)n;
			int h = snprintf(esc, sizeof(esc), "[%.6f, \"o\", \"", since(t0));
			size_t o = tee_json_escape(buf, total, esc + h, sizeof(esc) - (size_t)h - 4, &keep);
			/* A character cut in two by read(): its first bytes wait for the rest. */
			memcpy(s[i].carry, buf + total - keep, keep);
			s[i].ncarry = keep;
			if (o == 0)
				continue;
			/* The closing bytes of the JSON array; no NUL: write_all has the length. */
			esc[h + o] = '"';
			esc[h + o + 1] = ']';
			esc[h + o + 2] = '\n';
			write_all(sink, esc, (size_t)h + o + 3);
		}
	}
}

static int open_pty(int like, int *ret_master, int *ret_slave, struct nerr *e)
{
	_cleanup_close_ int m = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (m < 0 || grantpt(m) < 0 || unlockpt(m) < 0)
		return nerr_set(e, errno, "posix_openpt", "posix_openpt(O_RDWR)");
	char name[64];
	if (ptsname_r(m, name, sizeof(name)) != 0)
		return nerr_set(e, errno, "ptsname", "ptsname_r()");
	int s = open(name, O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (s < 0)
		return nerr_set(e, errno, "open", "open(\"%s\")", name);
	struct termios tio;
	struct winsize ws;
	/* The same modes and size as the terminal it stands in for. */
	if (tcgetattr(like, &tio) == 0)
		tcsetattr(s, TCSANOW, &tio);
	if (ioctl(like, TIOCGWINSZ, &ws) == 0)
		ioctl(m, TIOCSWINSZ, &ws);
	*ret_master = TAKE_FD(m);
	*ret_slave = s;
	return 0;
}

static void term_size(int *w, int *h)
{
	struct winsize ws;
	*w = 80;
	*h = 24;
	for (int fd = 1; fd <= 2; fd++)
		if (isatty(fd) && ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_col && ws.ws_row) {
			*w = ws.ws_col;
			*h = ws.ws_row;
			return;
		}
	const char *c = getenv("COLUMNS"), *l = getenv("LINES");
	if (c && atoi(c) > 0)
		*w = atoi(c);
	if (l && atoi(l) > 0)
		*h = atoi(l);
}

int tee_start(struct tee *t, enum tee_sink kind, int sink_fd, struct nerr *e)
{
	int rd[3] = { -1, -1, -1 }, wr[3] = { -1, -1, -1 };
	bool pty[3] = { false, false, false };
	struct stat s1, s2;
	int r = 0;
	t->pid = 0;
	t->saved[0] = t->saved[1] = t->saved[2] = -1;
	fflush(stdout);
	fflush(stderr);
	/* One pty when both are the same terminal, so their order is kept. */
	bool same = isatty(1) && isatty(2) && fstat(1, &s1) == 0 && fstat(2, &s2) == 0 &&
		    s1.st_rdev == s2.st_rdev;
	for (int fd = 1; fd <= 2 && r == 0; fd++) {
		if (fd == 2 && same)
			break;
		if (isatty(fd)) {
			r = open_pty(fd, &rd[fd], &wr[fd], e);
			pty[fd] = true;
		} else {
			int p[2];
			if (pipe2(p, O_CLOEXEC) < 0) {
				r = nerr_set(e, errno, "pipe2", "pipe2(O_CLOEXEC)");
			} else {
				rd[fd] = p[0];
				wr[fd] = p[1];
			}
		}
	}
	for (int fd = 1; fd <= 2 && r == 0; fd++) {
		t->saved[fd] = fcntl(fd, F_DUPFD_CLOEXEC, 3);
		if (t->saved[fd] < 0)
			r = nerr_set(e, errno, "fcntl", "fcntl(%d, F_DUPFD_CLOEXEC)", fd);
	}
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (r == 0 && kind == TEE_CAST) {
		char hdr[256];
		int w, h;
		term_size(&w, &h);
		int n = tee_cast_header(hdr, sizeof(hdr), w, h, (long long)time(NULL), getenv("TERM"));
		write_all(sink_fd, hdr, (size_t)n);
	}
	pid_t parent = getpid();
	pid_t pid = r == 0 ? fork() : -1;
	if (r == 0 && pid < 0)
		r = nerr_set(e, errno, "fork", "fork()");
	if (pid == 0) {
		struct src s[2];
		int ns = 0;
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != parent)
			_exit(0);
		/* Keep only what the tee needs: a copy of a box's pipe or pidfd here
		 * would keep the box alive after nslab dies. */
		for (int fd = 3; fd < 1024; fd++)
			if (fd != rd[1] && fd != rd[2] && fd != t->saved[1] && fd != t->saved[2] &&
			    fd != sink_fd)
				close(fd);
		for (int fd = 1; fd <= 2; fd++)
			if (rd[fd] >= 0) {
				s[ns] = (struct src){ .fd = rd[fd], .dst = t->saved[fd], .pty = pty[fd] };
				if (pty[fd])
					tcgetattr(rd[fd], &s[ns].seen);
				ns++;
			}
		/* Ctrl-C and kill are for nslab; the tee ends when nslab closes its end. */
		signal(SIGINT, SIG_IGN);
		signal(SIGQUIT, SIG_IGN);
		signal(SIGTERM, SIG_IGN);
		signal(SIGHUP, SIG_IGN);
		signal(SIGPIPE, SIG_IGN);
		signal(SIGTSTP, SIG_IGN);
		struct sigaction sa = { .sa_handler = on_winch };
		sigemptyset(&sa.sa_mask);
		sigaction(SIGWINCH, &sa, NULL);
		tee_loop(s, ns, kind, sink_fd, &t0);
		_exit(0);
	}
	for (int fd = 1; fd <= 2; fd++)
		if (rd[fd] >= 0)
			close(rd[fd]);
	if (r == 0) {
		dup2(wr[1], 1);
		dup2(same ? wr[1] : wr[2], 2);
		t->pid = pid;
	} else {
		for (int fd = 1; fd <= 2; fd++)
			if (t->saved[fd] >= 0) {
				close(t->saved[fd]);
				t->saved[fd] = -1;
			}
	}
	for (int fd = 1; fd <= 2; fd++)
		if (wr[fd] >= 0)
			close(wr[fd]);
	return r;
}

int tee_stop(struct tee *t)
{
	if (!t || t->pid <= 0)
		return 0;
	fflush(stdout);
	fflush(stderr);
	/* Replacing fds 1 and 2 closes our ends: the tee reads to the end and exits. */
	for (int fd = 1; fd <= 2; fd++) {
		if (t->saved[fd] >= 0) {
			dup2(t->saved[fd], fd);
			close(t->saved[fd]);
			t->saved[fd] = -1;
		}
	}
	int st = 0;
	while (waitpid(t->pid, &st, 0) < 0 && errno == EINTR)
		;
	t->pid = 0;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

int tee_record(struct tee *t, const char *path, uid_t uid, gid_t gid, struct nerr *e)
{
	t->pid = 0;
	/* Under sudo the recording is the learner's: opened with the learner's
	 * rights (fsuid) and O_NOFOLLOW, so a planted link reaches nothing more. */
	struct uf_user u = { uid, gid };
	_cleanup_close_ int fd = uf_open(&u, path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		return nerr_set(e, -fd, "open", "open(\"%s\", O_WRONLY|O_CREAT|O_NOFOLLOW) as uid %u",
				path, (unsigned)uid);
	return tee_start(t, TEE_CAST, fd, e);
}
