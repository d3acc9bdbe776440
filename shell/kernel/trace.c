#include "trace.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static struct {
	struct tr_rec ring[TR_RING];
	uint32_t seq;
	int fd;
	int quiet;
} tr = { .fd = -1 };

void tr_push(const struct tr_rec *r)
{
	struct tr_rec *slot = &tr.ring[tr.seq % TR_RING];
	*slot = *r;
	slot->seq = ++tr.seq;
}

void tr_call(long ret, int err, const char *fmt, ...)
{
	if (tr.quiet)
		return;
	int saved = errno;
	struct tr_rec r = { .ret = ret, .err = ret < 0 ? err : 0, .pid = getpid() };
	va_list ap;
	va_start(ap, fmt);
	int full = vsnprintf(r.text, sizeof(r.text), fmt, ap);
	va_end(ap);
	if (full >= (int)sizeof(r.text)) {
		/* Too long for a record: cut after the last whole argument, never
		 * inside a word, and say so. */
		size_t keep = sizeof(r.text) - 5;
		while (keep > 0 && !strchr(" ,|(", r.text[keep - 1]))
			keep--;
		if (keep == 0)
			keep = sizeof(r.text) - 5;
		memcpy(r.text + keep, "…", sizeof("…"));
	}
	if (tr.fd >= 0) {
		/* One record is far below PIPE_BUF, so the write is atomic. */
		ssize_t n = write(tr.fd, &r, sizeof(r));
		(void)n;
	} else {
		tr_push(&r);
	}
	errno = saved;
}

void tr_set_fd(int fd)
{
	tr.fd = fd;
}

size_t tr_since(uint32_t after, struct tr_rec *out, size_t max)
{
	uint32_t first = tr.seq > TR_RING ? tr.seq - TR_RING + 1 : 1;
	if (after + 1 > first)
		first = after + 1;
	size_t n = 0;
	for (uint32_t s = first; s <= tr.seq && n < max; s++)
		out[n++] = tr.ring[(s - 1) % TR_RING];
	return n;
}

int tr_quiet(int on)
{
	int old = tr.quiet;
	tr.quiet = on;
	return old;
}

uint32_t tr_last_seq(void)
{
	return tr.seq;
}
