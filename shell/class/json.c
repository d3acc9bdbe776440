/* json.c - recursive descent over RFC 8259, into a tree (see json.h). */
#include "json.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

struct parser {
	const char *s;
	size_t len, pos;
	int depth;
};

static void node_free(struct json *j)
{
	free(j->str);
	for (size_t i = 0; i < j->n; i++) {
		node_free(&j->items[i]);
		if (j->keys)
			free(j->keys[i]);
	}
	free(j->items);
	free(j->keys);
}

void json_free(struct json *j)
{
	if (!j)
		return;
	node_free(j);
	free(j);
}

static void ws(struct parser *p)
{
	while (p->pos < p->len && strchr(" \t\r\n", p->s[p->pos]) && p->s[p->pos])
		p->pos++;
}

static bool lit(struct parser *p, const char *w)
{
	size_t n = strlen(w);
	if (p->len - p->pos < n || memcmp(p->s + p->pos, w, n) != 0)
		return false;
	p->pos += n;
	return true;
}

static int hex4(struct parser *p, unsigned *ret)
{
	if (p->len - p->pos < 4)
		return -EINVAL;
	unsigned v = 0;
	for (int i = 0; i < 4; i++) {
		char c = p->s[p->pos++];
		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v |= (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v |= (unsigned)(c - 'A' + 10);
		else
			return -EINVAL;
	}
	*ret = v;
	return 0;
}

static size_t put_utf8(char *o, unsigned cp)
{
	if (cp < 0x80) {
		o[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (char)(0xc0 | (cp >> 6));
		o[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		o[0] = (char)(0xe0 | (cp >> 12));
		o[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		o[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	o[0] = (char)(0xf0 | (cp >> 18));
	o[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
	o[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
	o[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

/* A string after its opening quote. Escapes never grow the text, so the
 * output fits in the input's length. */
static int string(struct parser *p, char **ret)
{
	char *o = malloc(p->len - p->pos + 1);
	size_t k = 0;
	if (!o)
		return -ENOMEM;
	while (p->pos < p->len) {
		unsigned char c = (unsigned char)p->s[p->pos++];
		if (c == '"') {
			o[k] = '\0';
			*ret = o;
			return 0;
		}
		if (c < 0x20)
			break;
		if (c != '\\') {
			o[k++] = (char)c;
			continue;
		}
		if (p->pos >= p->len)
			break;
		char e = p->s[p->pos++];
		const char *from = "\"\\/bfnrt", *to = "\"\\/\b\f\n\r\t";
		const char *m = e ? strchr(from, e) : NULL;
		if (m) {
			o[k++] = to[m - from];
			continue;
		}
		unsigned cp, lo;
		if (e != 'u' || hex4(p, &cp) < 0)
			break;
		if (cp >= 0xd800 && cp <= 0xdbff) {
			if (!lit(p, "\\u") || hex4(p, &lo) < 0 || lo < 0xdc00 || lo > 0xdfff)
				break;
			cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
		} else if (cp >= 0xdc00 && cp <= 0xdfff) {
			break;
		}
		if (cp == 0)
			break; /* a NUL inside a C string would cut it short */
		k += put_utf8(o + k, cp);
	}
	free(o);
	return -EINVAL;
}

static int value(struct parser *p, struct json *j);

static int push(struct json *j, char *key, struct json *v)
{
	struct json *items = realloc(j->items, sizeof(*items) * (j->n + 1));
	if (!items)
		return -ENOMEM;
	j->items = items;
	if (j->type == JSON_OBJ) {
		char **keys = realloc(j->keys, sizeof(*keys) * (j->n + 1));
		if (!keys)
			return -ENOMEM;
		j->keys = keys;
		keys[j->n] = key;
	}
	items[j->n++] = *v;
	return 0;
}

static int container(struct parser *p, struct json *j, char close)
{
	j->type = close == '}' ? JSON_OBJ : JSON_ARR;
	if (++p->depth > 32)
		return -EINVAL;
	ws(p);
	if (p->pos < p->len && p->s[p->pos] == close) {
		p->pos++;
		p->depth--;
		return 0;
	}
	for (;;) {
		char *key = NULL;
		struct json v = { 0 };
		ws(p);
		if (j->type == JSON_OBJ) {
			if (!lit(p, "\"") || string(p, &key) < 0)
				return -EINVAL;
			ws(p);
			if (!lit(p, ":")) {
				free(key);
				return -EINVAL;
			}
		}
		int r = value(p, &v);
		if (r == 0)
			r = push(j, key, &v);
		if (r < 0) {
			free(key);
			node_free(&v);
			return r;
		}
		ws(p);
		if (lit(p, ","))
			continue;
		char c[2] = { close, '\0' };
		if (!lit(p, c))
			return -EINVAL;
		p->depth--;
		return 0;
	}
}

static int number(struct parser *p, struct json *j)
{
	/* The grammar first (strtod alone accepts hex, inf, leading '+'). */
	size_t i = p->pos;
	if (i < p->len && p->s[i] == '-')
		i++;
	size_t d = i;
	while (i < p->len && p->s[i] >= '0' && p->s[i] <= '9')
		i++;
	if (i == d || (p->s[d] == '0' && i - d > 1))
		return -EINVAL;
	if (i < p->len && p->s[i] == '.') {
		size_t f = ++i;
		while (i < p->len && p->s[i] >= '0' && p->s[i] <= '9')
			i++;
		if (i == f)
			return -EINVAL;
	}
	if (i < p->len && (p->s[i] == 'e' || p->s[i] == 'E')) {
		i++;
		if (i < p->len && (p->s[i] == '+' || p->s[i] == '-'))
			i++;
		size_t x = i;
		while (i < p->len && p->s[i] >= '0' && p->s[i] <= '9')
			i++;
		if (i == x)
			return -EINVAL;
	}
	char buf[64];
	if (i - p->pos >= sizeof(buf))
		return -EINVAL;
	memcpy(buf, p->s + p->pos, i - p->pos);
	buf[i - p->pos] = '\0';
	j->type = JSON_NUM;
	j->num = strtod(buf, NULL);
	p->pos = i;
	return 0;
}

static int value(struct parser *p, struct json *j)
{
	ws(p);
	if (p->pos >= p->len)
		return -EINVAL;
	char c = p->s[p->pos];
	if (c == '{' || c == '[') {
		p->pos++;
		return container(p, j, c == '{' ? '}' : ']');
	}
	if (c == '"') {
		p->pos++;
		j->type = JSON_STR;
		return string(p, &j->str);
	}
	if (lit(p, "true") || lit(p, "false")) {
		j->type = JSON_BOOL;
		j->b = c == 't';
		return 0;
	}
	if (lit(p, "null")) {
		j->type = JSON_NULL;
		return 0;
	}
	return number(p, j);
}

int json_parse(const char *text, size_t len, struct json **ret, size_t *ret_off)
{
	struct parser p = { .s = text, .len = len };
	struct json *j = calloc(1, sizeof(*j));
	if (!j)
		return -ENOMEM;
	int r = value(&p, j);
	ws(&p);
	if (r == 0 && p.pos != p.len)
		r = -EINVAL; /* something after the value */
	if (r < 0) {
		if (ret_off)
			*ret_off = p.pos;
		json_free(j);
		return r;
	}
	*ret = j;
	return 0;
}

const struct json *json_get(const struct json *j, const char *key)
{
	if (!j || j->type != JSON_OBJ)
		return NULL;
	for (size_t i = 0; i < j->n; i++)
		if (strcmp(j->keys[i], key) == 0)
			return &j->items[i];
	return NULL;
}

const char *json_str(const struct json *j, const char *key, const char *def)
{
	const struct json *v = json_get(j, key);
	return v && v->type == JSON_STR ? v->str : def;
}

double json_num(const struct json *j, const char *key, double def)
{
	const struct json *v = json_get(j, key);
	return v && v->type == JSON_NUM ? v->num : def;
}

bool json_bool(const struct json *j, const char *key, bool def)
{
	const struct json *v = json_get(j, key);
	return v && v->type == JSON_BOOL ? v->b : def;
}
