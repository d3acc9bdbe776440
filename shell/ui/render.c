/* render.c - snapshot to tagged lines (see render.h). No curses here. */
#include "render.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "../i18n.h"

static bool ascii;

void ui_set_ascii(bool on)
{
	ascii = on;
}

bool ui_next_char(const char **s, size_t *len, mbstate_t *st, wchar_t *ret)
{
	if (!*len)
		return false;
	size_t n = mbrtowc(ret, *s, *len, st);
	if (n == (size_t)-1 || n == (size_t)-2) {
		/* Not valid UTF-8 here: take the byte as one '?' and go on. */
		memset(st, 0, sizeof(*st));
		n = 1;
		*ret = L'?';
	} else if (n == 0) {
		return false;
	}
	*s += n;
	*len -= n;
	return true;
}

int ui_width(const char *s)
{
	mbstate_t st;
	memset(&st, 0, sizeof(st));
	int w = 0;
	size_t len = strlen(s);
	wchar_t wc;
	while (ui_next_char(&s, &len, &st, &wc)) {
		int cw = wcwidth(wc);
		w += cw > 0 ? cw : 0;
	}
	return w;
}

static struct ui_line *line_new(struct ui_block *b)
{
	if (b->n == b->cap) {
		size_t nc = b->cap ? b->cap * 2 : 16;
		struct ui_line *nl = realloc(b->l, nc * sizeof(*nl));
		if (!nl)
			return NULL;
		b->l = nl;
		b->cap = nc;
	}
	struct ui_line *l = &b->l[b->n++];
	l->len = 0;
	l->width = 0;
	l->text[0] = '\0';
	return l;
}

/* Append @s (whole characters only: a line that is full stays valid UTF-8). */
static void add(struct ui_line *l, enum ui_role role, const char *s)
{
	if (!l)
		return;
	size_t n = strlen(s);
	if (l->len + n >= UI_LINE_MAX) {
		n = UI_LINE_MAX - 1 - l->len;
		while (n && ((unsigned char)s[n] & 0xC0) == 0x80)
			n--;
	}
	memcpy(l->text + l->len, s, n);
	memset(l->role + l->len, role, n);
	l->len += n;
	l->text[l->len] = '\0';
	l->width = ui_width(l->text);
}

static void addf(struct ui_line *l, enum ui_role role, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void addf(struct ui_line *l, enum ui_role role, const char *fmt, ...)
{
	char buf[UI_LINE_MAX];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	add(l, role, buf);
}

/* Spaces up to display column @col (at least one when @sep). */
static void pad(struct ui_line *l, int col, bool sep)
{
	if (!l)
		return;
	if (sep && l->width >= col)
		add(l, UR_TEXT, " ");
	while (l->width < col && l->len + 1 < UI_LINE_MAX) {
		l->text[l->len] = ' ';
		l->role[l->len++] = UR_TEXT;
		l->text[l->len] = '\0';
		l->width++;
	}
}

/* @s cut to at most @cols display columns, into @buf. */
static const char *cut(const char *s, int cols, char *buf, size_t len)
{
	mbstate_t st;
	memset(&st, 0, sizeof(st));
	size_t off = 0, sl = strlen(s);
	int w = 0;
	while (off < sl) {
		wchar_t wc;
		size_t n = mbrtowc(&wc, s + off, sl - off, &st);
		if (n == (size_t)-1 || n == (size_t)-2 || n == 0)
			break;
		int cw = wcwidth(wc);
		if (w + (cw > 0 ? cw : 0) > cols || off + n >= len)
			break;
		w += cw > 0 ? cw : 0;
		off += n;
	}
	memcpy(buf, s, off);
	buf[off] = '\0';
	return buf;
}

char *ui_bytes(long long v, char *buf, size_t len)
{
	if (v == UI_UNLIMITED)
		snprintf(buf, len, "max");
	else if (v < 0)
		snprintf(buf, len, "?");
	else if (v < 1024)
		snprintf(buf, len, "%lldB", v);
	else if (v < 1024LL * 1024)
		snprintf(buf, len, "%.1fK", v / 1024.0);
	else if (v < 1024LL * 1024 * 1024)
		snprintf(buf, len, "%.1fM", v / (1024.0 * 1024));
	else
		snprintf(buf, len, "%.1fG", v / (1024.0 * 1024 * 1024));
	return buf;
}

static char *num(long long v, char *buf, size_t len)
{
	if (v == UI_UNLIMITED)
		snprintf(buf, len, "max");
	else if (v < 0)
		snprintf(buf, len, "?");
	else
		snprintf(buf, len, "%lld", v);
	return buf;
}

/* ---------------- blocks ---------------- */

#define NS_LABEL 8  /* "cgroup" and a space or two */
#define NS_COL 13   /* a 10-digit id, " *", a space */

static void render_ns(const struct ui_snap *sn, int cols, struct ui_block *b)
{
	struct ui_line *l = line_new(b);
	add(l, UR_TITLE, _("NAMESPACES"));
	add(l, UR_DIM, " ");
	add(l, UR_DIM, _("(* = not the host's)"));
	/* Columns as wide as the longest name (up to 18), and as many as fit. */
	int colw = NS_COL;
	for (size_t i = 0; i < sn->nt; i++) {
		int w = ui_width(sn->t[i].name) + 2;
		if (w > colw)
			colw = w < 18 ? w : 18;
	}
	size_t fit = sn->nt;
	if (cols > 0) {
		int room = (cols - NS_LABEL - NS_COL) / colw;
		fit = room < 0 ? 0 : (size_t)room < sn->nt ? (size_t)room : sn->nt;
	}
	l = line_new(b);
	pad(l, NS_LABEL, false);
	char buf[64];
	add(l, UR_HEAD, cut(_("host"), NS_COL - 2, buf, sizeof(buf)));
	for (size_t i = 0; i < fit; i++) {
		pad(l, NS_LABEL + NS_COL + colw * (int)i, true);
		add(l, UR_HEAD, cut(sn->t[i].name, colw - 1, buf, sizeof(buf)));
	}
	for (int k = 0; k < NS_COUNT; k++) {
		l = line_new(b);
		add(l, UR_TEXT, ns_types[k].name);
		pad(l, NS_LABEL, true);
		addf(l, UR_TEXT, "%llu", (unsigned long long)sn->host_ns[k]);
		for (size_t i = 0; i < fit; i++) {
			const struct ui_target *t = &sn->t[i];
			pad(l, NS_LABEL + NS_COL + colw * (int)i, true);
			bool d = t->differs & (1u << k), fl = t->flash & (1u << k);
			enum ui_role r = fl ? UR_FLASH : d ? UR_DIFF : UR_TEXT;
			if (!t->ns[k])
				add(l, UR_DIM, "-");
			else
				addf(l, r, "%llu", (unsigned long long)t->ns[k]);
			if (d)
				add(l, fl ? UR_FLASH : UR_DIFF, " *");
		}
	}
	size_t hidden = sn->nt - fit + sn->more_targets;
	if (hidden) {
		l = line_new(b);
		addf(l, UR_DIM, _("+%zu more: 'use NAME' shows one box"), hidden);
	}
}

static void render_cg(const struct ui_snap *sn, int cols, struct ui_block *b)
{
	struct ui_line *l = line_new(b);
	add(l, UR_TITLE, _("CGROUPS"));
	if (!sn->nt) {
		l = line_new(b);
		add(l, UR_DIM, _("no box yet"));
	}
	for (size_t i = 0; i < sn->nt; i++) {
		const struct ui_target *t = &sn->t[i];
		char a[32], c[32];
		l = line_new(b);
		add(l, UR_HEAD, t->name);
		add(l, UR_TEXT, " ");
		if (t->other)
			addf(l, UR_DIM, _("(another nslab's, PID %d) "), (int)t->session);
		if (!t->cg.have) {
			add(l, UR_DIM, _("no cgroup information"));
			continue;
		}
		/* A path too long for the pane loses its head at a '/', never a
		 * part of a name: "…/nslab/1234-web". */
		int avail = cols - l->width;
		const char *path = t->cg.path;
		char shown[sizeof(t->cg.path) + 8];
		if (avail > 8 && (int)strlen(path) > avail) {
			const char *tail = path;
			while ((int)strlen(tail) + 1 > avail) {
				const char *next = strchr(tail + 1, '/');
				if (!next)
					break;
				tail = next;
			}
			snprintf(shown, sizeof(shown), "…%s", tail);
			path = shown;
		}
		add(l, UR_TEXT, path);
		if (t->cg.same_as_host) {
			add(l, UR_DIM, " ");
			add(l, UR_DIM, _("(nslab's own: no limits of its own)"));
		}
		if (!t->cg.version)
			continue;
		l = line_new(b);
		pad(l, 2, false);
		bool limited = t->cg.mem_max != UI_UNLIMITED && t->cg.mem_max >= 0;
		addf(l, limited ? UR_DIFF : UR_TEXT, "%s %s/%s", _("memory"),
		     ui_bytes(t->cg.mem_cur, a, sizeof(a)), ui_bytes(t->cg.mem_max, c, sizeof(c)));
		add(l, UR_TEXT, "  ");
		limited = t->cg.pids_max != UI_UNLIMITED && t->cg.pids_max >= 0;
		addf(l, limited ? UR_DIFF : UR_TEXT, "%s %s/%s", _("pids"),
		     num(t->cg.pids_cur, a, sizeof(a)), num(t->cg.pids_max, c, sizeof(c)));
		if (t->cg.cpu_usec >= 0)
			addf(l, UR_TEXT, "  %s %.2fs", _("cpu"), t->cg.cpu_usec / 1e6);
	}
}

static void proc_line(const struct ui_proc *p, struct ui_line *l)
{
	for (int d = 1; d < p->depth; d++) {
		if (d <= 64 && (p->more & (1ULL << (d - 1))))
			add(l, UR_DIM, ascii ? "|  " : "│  ");
		else
			add(l, UR_DIM, "   ");
	}
	if (p->depth > 0)
		add(l, UR_DIM, p->last ? (ascii ? "`- " : "└─ ") : (ascii ? "|- " : "├─ "));
	enum ui_role r = p->fresh ? UR_FLASH : UR_TEXT;
	add(l, r, p->p.comm);
	if (p->p.nspid && p->p.nspid != p->p.pid)
		addf(l, r, "(%d=%d)", (int)p->p.pid, (int)p->p.nspid);
	else
		addf(l, r, "(%d)", (int)p->p.pid);
	if (p->ns_new) {
		add(l, UR_MARK, ascii ? "  * " : "  ◆ ");
		bool first = true;
		for (int k = 0; k < NS_COUNT; k++)
			if (p->ns_new & (1u << k)) {
				if (!first)
					add(l, UR_MARK, " ");
				add(l, UR_MARK, ns_types[k].name);
				first = false;
			}
	}
}

static void render_tree(const struct ui_snap *sn, int cols, struct ui_block *b)
{
	struct ui_line *l = line_new(b);
	add(l, UR_TITLE, _("PROCESSES"));
	add(l, UR_DIM, " ");
	add(l, UR_DIM, _("(host PID=PID inside; ◆ new namespaces)"));
	if (!sn->nt) {
		l = line_new(b);
		add(l, UR_DIM, sn->focus ? _("the process has ended")
					 : _("no box yet: try  box new b1 --ns pid,uts"));
	}
	for (size_t i = 0; i < sn->nt; i++) {
		const struct ui_target *t = &sn->t[i];
		l = line_new(b);
		if (t->session)
			addf(l, UR_HEAD, _("box %s"), t->name);
		else
			add(l, UR_HEAD, t->name);
		if (t->other)
			addf(l, UR_DIM, _(" (another nslab's, PID %d)"), (int)t->session);
		if (t->total == 1)
			add(l, UR_DIM, _(": 1 process"));
		else
			addf(l, UR_DIM, _(": %zu processes"), t->total);
		for (size_t j = 0; j < t->count; j++)
			proc_line(&sn->procs[t->first + j], line_new(b));
		if (t->total > t->count) {
			l = line_new(b);
			addf(l, UR_DIM, _("... %zu more"), t->total - t->count);
		}
	}
	(void)cols;
}

static void render_calls(const struct ui_snap *sn, int cols, struct ui_block *b)
{
	struct ui_line *l = line_new(b);
	add(l, UR_TITLE, _("SYSTEM CALLS"));
	add(l, UR_DIM, " ");
	add(l, UR_DIM, _("(latest last; 'explain on' prints them)"));
	if (!sn->ncalls) {
		l = line_new(b);
		add(l, UR_DIM, _("none yet"));
	}
	for (size_t i = 0; i < sn->ncalls; i++) {
		const struct tr_rec *r = &sn->calls[i].r;
		bool fresh = sn->calls[i].fresh;
		l = line_new(b);
		if (r->ret < 0) {
			const char *name = strerrorname_np(r->err);
			add(l, UR_BAD, ascii ? "x " : "✗ ");
			add(l, fresh ? UR_FLASH : UR_TEXT, r->text);
			addf(l, UR_BAD, " = -1 %s", name ? name : "?");
		} else {
			add(l, UR_OK, ascii ? "+ " : "✓ ");
			add(l, fresh ? UR_FLASH : UR_TEXT, r->text);
			addf(l, UR_DIM, " = %ld", r->ret);
		}
	}
	(void)cols;
}

void ui_render_block(const struct ui_snap *sn, enum ui_block_kind kind, int cols,
		     struct ui_block *b)
{
	switch (kind) {
	case UB_NS:
		render_ns(sn, cols, b);
		break;
	case UB_CG:
		render_cg(sn, cols, b);
		break;
	case UB_TREE:
		render_tree(sn, cols, b);
		break;
	case UB_CALLS:
		render_calls(sn, cols, b);
		break;
	default:
		break;
	}
}

void ui_block_clear(struct ui_block *b)
{
	b->n = 0;
}

void ui_block_free(struct ui_block *b)
{
	free(b->l);
	b->l = NULL;
	b->n = b->cap = 0;
}

void ui_render_text(const struct ui_snap *sn, FILE *f)
{
	struct ui_block b = { 0 };
	for (int k = 0; k < UB_COUNT; k++) {
		if (k == UB_CALLS && !sn->ncalls)
			continue;
		ui_block_clear(&b);
		ui_render_block(sn, (enum ui_block_kind)k, 0, &b);
		if (k)
			fputc('\n', f);
		for (size_t i = 0; i < b.n; i++) {
			/* No trailing blanks: tests compare lines. */
			size_t n = b.l[i].len;
			while (n && b.l[i].text[n - 1] == ' ')
				n--;
			fprintf(f, "%.*s\n", (int)n, b.l[i].text);
		}
	}
	ui_block_free(&b);
}
