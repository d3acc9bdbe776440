/* md.c - lab text (Markdown) rendered for a terminal, parsed with md4c.
 *
 * Paragraphs and list items are wrapped at the width by display columns
 * (Korean letters are two wide), only at spaces: a `code span` is never
 * broken, so a command in it can be copied. Tables are laid out as aligned
 * columns, each as wide as its widest cell (cells wrap when the table would
 * not fit). Emphasis and code are shown with terminal attributes when
 * @color, else as plain text (code keeps its backticks). Nothing here prints:
 * the caller writes the string. */
#include "md.h"

#include <md4c.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#define NBSP '\x01' /* a space that must not break (inside code) */

struct buf {
	char *s;
	size_t len, cap;
};

static void put(struct buf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 256;
		while (cap < b->len + n + 1)
			cap *= 2;
		char *ns = realloc(b->s, cap);
		if (!ns)
			return;
		b->s = ns;
		b->cap = cap;
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

static void puts_(struct buf *b, const char *s)
{
	put(b, s, strlen(s));
}

/* Display columns of @s[0..n): escape sequences count 0, NBSP 1. */
static int cols(const char *s, size_t n)
{
	int w = 0;
	mbstate_t st;
	memset(&st, 0, sizeof(st));
	for (size_t i = 0; i < n;) {
		if (s[i] == '\033') {
			while (i < n && s[i] != 'm')
				i++;
			i++;
			continue;
		}
		if (s[i] == NBSP) {
			w++;
			i++;
			continue;
		}
		wchar_t wc;
		size_t k = mbrtowc(&wc, s + i, n - i, &st);
		if (k == (size_t)-1 || k == (size_t)-2 || k == 0) {
			w++;
			i++;
			memset(&st, 0, sizeof(st));
			continue;
		}
		int cw = wcwidth(wc);
		w += cw > 0 ? cw : 0;
		i += k;
	}
	return w;
}

/* Append @text wrapped at @width: @first before the first line, @rest
 * before the others. Breaks only at spaces; '\n' is a hard break. NBSP
 * becomes a space again. */
static void wrap_(struct buf *out, const char *text, int width, const char *first, const char *rest,
		  bool hard);

static void wrap(struct buf *out, const char *text, int width, const char *first, const char *rest)
{
	wrap_(out, text, width, first, rest, false);
}

/* Bytes of @s[0..n) that fit in @width columns (at least one character). */
static size_t fit(const char *s, size_t n, int width)
{
	size_t i = 0;
	mbstate_t st;
	memset(&st, 0, sizeof(st));
	while (i < n) {
		size_t k = 1;
		if (s[i] == '\033') {
			while (i + k < n && s[i + k - 1] != 'm')
				k++;
		} else if ((unsigned char)s[i] >= 0x80) {
			wchar_t wc;
			k = mbrtowc(&wc, s + i, n - i, &st);
			if (k == (size_t)-1 || k == (size_t)-2 || k == 0)
				k = 1;
		}
		if (i > 0 && cols(s, i + k) > width)
			break;
		i += k;
	}
	return i;
}

static void wrap_(struct buf *out, const char *text, int width, const char *first, const char *rest,
		  bool hard)
{
	const char *pre = first;
	int used = -1; /* -1: nothing on this line yet */
	int pw = cols(pre, strlen(pre));
	const char *split_end = NULL; /* a code span too wide for a line breaks at its spaces */
	int rw = cols(rest, strlen(rest));
	for (const char *p = text; *p;) {
		if (*p == ' ' || (*p == NBSP && p < split_end)) {
			p++;
			continue;
		}
		if (!hard && p >= split_end) {
			size_t whole = strcspn(p, " \n");
			if (cols(p, whole) > width - rw && memchr(p, NBSP, whole))
				split_end = p + whole;
		}
		if (*p == '\n') {
			if (used >= 0)
				puts_(out, "\n");
			else {
				puts_(out, pre);
				puts_(out, "\n");
			}
			pre = rest;
			pw = cols(pre, strlen(pre));
			used = -1;
			p++;
			continue;
		}
		size_t n = strcspn(p, p < split_end ? " \n\x01" : " \n");
		int w = cols(p, n);
		if (hard && w > width - pw) {
			/* A table cell narrower than this word: break it. */
			if (used >= 0) {
				puts_(out, "\n");
				pre = rest;
				pw = cols(pre, strlen(pre));
				used = -1;
			}
			size_t k = fit(p, n, width - pw);
			puts_(out, pre);
			for (size_t i = 0; i < k; i++)
				put(out, p[i] == NBSP ? " " : p + i, 1);
			puts_(out, "\n");
			pre = rest;
			p += k;
			continue;
		}
		if (used >= 0 && pw + used + 1 + w > width) {
			puts_(out, "\n");
			pre = rest;
			pw = cols(pre, strlen(pre));
			used = -1;
		}
		if (used < 0) {
			puts_(out, pre);
			used = 0;
		} else {
			puts_(out, " ");
			used++;
		}
		for (size_t i = 0; i < n; i++)
			put(out, p[i] == NBSP ? " " : p + i, 1);
		used += w;
		p += n;
	}
	if (used >= 0)
		puts_(out, "\n");
}

struct cell {
	char *text;
};

struct table {
	struct cell *cells;
	int ncells, cap;
	int ncols;
	int nrows;
	MD_ALIGN *align;
};

struct list {
	bool ordered;
	unsigned next;
};

struct md {
	struct buf out;
	struct buf para; /* the inline text of the block being read */
	int width;
	bool color;
	int depth;              /* list nesting */
	struct list lists[8];
	char item_mark[16];     /* the mark of the list item whose text comes next */
	bool in_code_block;
	bool in_table;
	struct table t;
	int code_span;
	bool blank_before;      /* a blank line goes before the next block */
};

static void indent(struct md *m, char *buf, size_t len, bool first)
{
	int n = m->depth > 0 ? (m->depth - 1) * 3 : 0;
	if (first && m->item_mark[0])
		snprintf(buf, len, "%*s%s", n, "", m->item_mark);
	else
		snprintf(buf, len, "%*s%s", n, "", m->depth ? "   " : "");
}

static void flush_para(struct md *m)
{
	if (!m->para.len)
		return;
	char first[64], rest[64];
	indent(m, first, sizeof(first), true);
	indent(m, rest, sizeof(rest), false);
	wrap(&m->out, m->para.s, m->width, first, rest);
	m->item_mark[0] = '\0';
	m->para.len = 0;
	m->para.s[0] = '\0';
}

static void blank(struct md *m)
{
	if (m->blank_before && m->out.len)
		puts_(&m->out, "\n");
	m->blank_before = false;
}

/* ---------------- tables ---------------- */

static void table_free(struct table *t)
{
	for (int i = 0; i < t->ncells; i++)
		free(t->cells[i].text);
	free(t->cells);
	free(t->align);
	memset(t, 0, sizeof(*t));
}

/* One line of a wrapped cell: the @k-th line of @text at width @w, in @line. */
static void cell_lines(const char *text, int w, struct buf *ret)
{
	wrap_(ret, text, w, "", "", true);
}

static const char *nth_line(const char *s, int k, size_t *ret_n)
{
	for (; k > 0 && s; k--) {
		s = strchr(s, '\n');
		if (s)
			s++;
	}
	if (!s || !*s) {
		*ret_n = 0;
		return "";
	}
	const char *e = strchr(s, '\n');
	*ret_n = e ? (size_t)(e - s) : strlen(s);
	return s;
}

static void table_draw(struct md *m)
{
	struct table *t = &m->t;
	int nc = t->ncols;
	if (nc <= 0 || !t->ncells)
		return;
	int *w = calloc((size_t)nc, sizeof(int));
	int *minw = calloc((size_t)nc, sizeof(int));
	struct buf *wrapped = calloc((size_t)t->ncells, sizeof(struct buf));
	if (!w || !wrapped || !minw) {
		free(w);
		free(minw);
		free(wrapped);
		return;
	}
	for (int i = 0; i < t->ncells; i++) {
		int c = i % nc;
		const char *s = t->cells[i].text ? t->cells[i].text : "";
		int cw = cols(s, strlen(s));
		if (cw > w[c])
			w[c] = cw;
		/* A column is never narrower than its longest word (code spans
		 * are one word): cells wrap between words only. */
		for (const char *p = s; *p;) {
			size_t n = strcspn(p, " \n");
			int ww = cols(p, n);
			if (ww > minw[c])
				minw[c] = ww;
			p += n;
			while (*p == ' ' || *p == '\n')
				p++;
		}
	}
	/* Fit: separators take 3 columns between cells; shrink the widest. */
	int pad = m->depth * 3;
	int avail = m->width - pad - 3 * (nc - 1);
	for (;;) {
		int sum = 0, wi = -1;
		for (int c = 0; c < nc; c++) {
			sum += w[c];
			if (w[c] > minw[c] && w[c] > 6 && (wi < 0 || w[c] > w[wi]))
				wi = c;
		}
		if (sum <= avail)
			break;
		if (wi < 0) {
			/* Words too long to fit whole: cells may break inside them. */
			for (int c = 0; c < nc; c++)
				if (w[c] > 8 && (wi < 0 || w[c] > w[wi]))
					wi = c;
			if (wi < 0)
				break;
		}
		w[wi]--;
	}
	for (int i = 0; i < t->ncells; i++)
		cell_lines(t->cells[i].text ? t->cells[i].text : "", w[i % nc], &wrapped[i]);
	blank(m);
	for (int r = 0; r * nc < t->ncells; r++) {
		int h = 1;
		for (int c = 0; c < nc && r * nc + c < t->ncells; c++) {
			const char *s = wrapped[r * nc + c].s ? wrapped[r * nc + c].s : "";
			int lines = 0;
			for (const char *p = s; *p; p++)
				lines += *p == '\n';
			if (lines > h)
				h = lines;
		}
		for (int k = 0; k < h; k++) {
			struct buf line = { 0 };
			char sp[64];
			snprintf(sp, sizeof(sp), "%*s", pad, "");
			puts_(&line, sp);
			for (int c = 0; c < nc; c++) {
				int idx = r * nc + c;
				size_t n = 0;
				const char *s = idx < t->ncells && wrapped[idx].s ? nth_line(wrapped[idx].s, k, &n) : "";
				int cw = cols(s, n);
				int fill = w[c] - cw > 0 ? w[c] - cw : 0;
				bool right = t->align && t->align[c] == MD_ALIGN_RIGHT;
				if (c)
					puts_(&line, " │ ");
				if (right)
					for (int f = 0; f < fill; f++)
						puts_(&line, " ");
				if (m->color && r == 0)
					puts_(&line, "\033[1m");
				put(&line, s, n);
				if (m->color && r == 0)
					puts_(&line, "\033[0m");
				if (!right && c + 1 < nc)
					for (int f = 0; f < fill; f++)
						puts_(&line, " ");
			}
			/* No trailing blanks. */
			while (line.len && line.s[line.len - 1] == ' ')
				line.s[--line.len] = '\0';
			puts_(&m->out, line.s ? line.s : "");
			puts_(&m->out, "\n");
			free(line.s);
		}
		if (r == 0) {
			char sp[64];
			snprintf(sp, sizeof(sp), "%*s", pad, "");
			puts_(&m->out, sp);
			for (int c = 0; c < nc; c++) {
				if (c)
					puts_(&m->out, "─┼─");
				for (int f = 0; f < w[c]; f++)
					puts_(&m->out, "─");
			}
			puts_(&m->out, "\n");
		}
	}
	for (int i = 0; i < t->ncells; i++)
		free(wrapped[i].s);
	free(wrapped);
	free(w);
	free(minw);
	m->blank_before = true;
}

/* ---------------- md4c callbacks ---------------- */

static int enter_block(MD_BLOCKTYPE type, void *detail, void *ud)
{
	struct md *m = ud;
	switch (type) {
	case MD_BLOCK_UL:
	case MD_BLOCK_OL:
		flush_para(m);
		if (m->depth < 8) {
			m->lists[m->depth].ordered = type == MD_BLOCK_OL;
			m->lists[m->depth].next =
				type == MD_BLOCK_OL ? ((MD_BLOCK_OL_DETAIL *)detail)->start : 0;
		}
		if (!m->depth)
			blank(m);
		m->depth++;
		break;
	case MD_BLOCK_LI: {
		flush_para(m);
		struct list *l = &m->lists[m->depth > 0 && m->depth <= 8 ? m->depth - 1 : 0];
		if (l->ordered)
			snprintf(m->item_mark, sizeof(m->item_mark), "%-3s", "");
		if (l->ordered) {
			char num[12];
			snprintf(num, sizeof(num), "%u.", l->next++);
			snprintf(m->item_mark, sizeof(m->item_mark), "%-3s", num);
		} else {
			snprintf(m->item_mark, sizeof(m->item_mark), "•  ");
		}
		break;
	}
	case MD_BLOCK_P:
	case MD_BLOCK_H:
		flush_para(m);
		if (!m->depth)
			blank(m);
		if (type == MD_BLOCK_H && m->color)
			puts_(&m->para, "\033[1m");
		break;
	case MD_BLOCK_CODE:
		flush_para(m);
		blank(m);
		m->in_code_block = true;
		break;
	case MD_BLOCK_TABLE:
		flush_para(m);
		m->in_table = true;
		m->t.ncols = (int)((MD_BLOCK_TABLE_DETAIL *)detail)->col_count;
		m->t.align = calloc((size_t)(m->t.ncols > 0 ? m->t.ncols : 1), sizeof(MD_ALIGN));
		break;
	case MD_BLOCK_TH:
	case MD_BLOCK_TD:
		m->para.len = 0;
		if (m->para.s)
			m->para.s[0] = '\0';
		if (m->t.align && m->t.ncells < m->t.ncols)
			m->t.align[m->t.ncells] = ((MD_BLOCK_TD_DETAIL *)detail)->align;
		break;
	case MD_BLOCK_HR:
		flush_para(m);
		blank(m);
		for (int i = 0; i < (m->width < 40 ? m->width : 40); i++)
			puts_(&m->out, "─");
		puts_(&m->out, "\n");
		m->blank_before = true;
		break;
	default:
		break;
	}
	return 0;
}

static int leave_block(MD_BLOCKTYPE type, void *detail, void *ud)
{
	struct md *m = ud;
	(void)detail;
	switch (type) {
	case MD_BLOCK_UL:
	case MD_BLOCK_OL:
		flush_para(m);
		m->depth--;
		if (!m->depth)
			m->blank_before = true;
		break;
	case MD_BLOCK_LI:
		flush_para(m);
		break;
	case MD_BLOCK_P:
	case MD_BLOCK_H:
		if (type == MD_BLOCK_H && m->color)
			puts_(&m->para, "\033[0m");
		flush_para(m);
		if (!m->depth)
			m->blank_before = true;
		break;
	case MD_BLOCK_CODE:
		m->in_code_block = false;
		m->blank_before = true;
		break;
	case MD_BLOCK_TH:
	case MD_BLOCK_TD: {
		struct table *t = &m->t;
		if (t->ncells == t->cap) {
			int cap = t->cap ? t->cap * 2 : 16;
			struct cell *nc = realloc(t->cells, (size_t)cap * sizeof(*nc));
			if (!nc)
				break;
			t->cells = nc;
			t->cap = cap;
		}
		t->cells[t->ncells++].text = strdup(m->para.s ? m->para.s : "");
		m->para.len = 0;
		if (m->para.s)
			m->para.s[0] = '\0';
		break;
	}
	case MD_BLOCK_TABLE:
		table_draw(m);
		table_free(&m->t);
		m->in_table = false;
		break;
	default:
		break;
	}
	return 0;
}

static int enter_span(MD_SPANTYPE type, void *detail, void *ud)
{
	struct md *m = ud;
	(void)detail;
	switch (type) {
	case MD_SPAN_STRONG:
		if (m->color)
			puts_(&m->para, "\033[1m");
		break;
	case MD_SPAN_EM:
		if (m->color)
			puts_(&m->para, "\033[3m");
		break;
	case MD_SPAN_CODE:
		m->code_span++;
		puts_(&m->para, m->color ? "\033[36m" : "`");
		break;
	default:
		break;
	}
	return 0;
}

static int leave_span(MD_SPANTYPE type, void *detail, void *ud)
{
	struct md *m = ud;
	(void)detail;
	switch (type) {
	case MD_SPAN_STRONG:
	case MD_SPAN_EM:
		if (m->color)
			puts_(&m->para, "\033[0m");
		break;
	case MD_SPAN_CODE:
		m->code_span--;
		puts_(&m->para, m->color ? "\033[0m" : "`");
		break;
	default:
		break;
	}
	return 0;
}

static int text(MD_TEXTTYPE type, const MD_CHAR *s, MD_SIZE n, void *ud)
{
	struct md *m = ud;
	if (m->in_code_block) {
		/* Verbatim, indented by four, never wrapped. */
		const char *p = s, *end = s + n;
		while (p < end) {
			const char *nl = memchr(p, '\n', (size_t)(end - p));
			size_t k = nl ? (size_t)(nl - p) : (size_t)(end - p);
			puts_(&m->out, "    ");
			put(&m->out, p, k);
			puts_(&m->out, "\n");
			p += k + (nl ? 1 : 0);
		}
		return 0;
	}
	switch (type) {
	case MD_TEXT_SOFTBR:
		puts_(&m->para, " ");
		break;
	case MD_TEXT_BR:
		puts_(&m->para, "\n");
		break;
	case MD_TEXT_NULLCHAR:
		break;
	case MD_TEXT_ENTITY:
		if (n == 5 && !memcmp(s, "&amp;", 5))
			puts_(&m->para, "&");
		else if (n == 4 && !memcmp(s, "&lt;", 4))
			puts_(&m->para, "<");
		else if (n == 4 && !memcmp(s, "&gt;", 4))
			puts_(&m->para, ">");
		else if (n == 6 && !memcmp(s, "&nbsp;", 6))
			put(&m->para, (const char[]){ NBSP }, 1);
		else
			put(&m->para, s, n);
		break;
	default:
		for (MD_SIZE i = 0; i < n; i++) {
			char c = s[i];
			/* Inside code, and in a table cell, a space does not break. */
			if (c == ' ' && m->code_span)
				c = NBSP;
			if (c == '\n')
				c = ' ';
			put(&m->para, &c, 1);
		}
		break;
	}
	return 0;
}

char *lab_md_render(const char *md, int width, bool color)
{
	struct md m = { .width = width < 20 ? 20 : width, .color = color };
	MD_PARSER p = {
		.abi_version = 0,
		.flags = MD_FLAG_TABLES | MD_FLAG_STRIKETHROUGH | MD_FLAG_NOHTML |
			 MD_FLAG_COLLAPSEWHITESPACE,
		.enter_block = enter_block,
		.leave_block = leave_block,
		.enter_span = enter_span,
		.leave_span = leave_span,
		.text = text,
	};
	int r = md_parse(md, (MD_SIZE)strlen(md), &p, &m);
	flush_para(&m);
	table_free(&m.t);
	free(m.para.s);
	if (r != 0) {
		free(m.out.s);
		return strdup(md);
	}
	if (!m.out.s)
		return strdup("");
	/* No trailing blank lines: the caller frames the text. */
	while (m.out.len && m.out.s[m.out.len - 1] == '\n')
		m.out.s[--m.out.len] = '\0';
	return m.out.s;
}
