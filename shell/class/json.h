/* json.h - a small JSON reader (RFC 8259) for the progress files learners
 * export: the whole text becomes a tree of nodes. Enough for nslab's own
 * files; not a general library (no streaming, depth limited to 32). */
#ifndef NSLAB_JSON_H
#define NSLAB_JSON_H

#include <stdbool.h>
#include <stddef.h>

enum json_type { JSON_NULL, JSON_BOOL, JSON_NUM, JSON_STR, JSON_ARR, JSON_OBJ };

struct json {
	enum json_type type;
	bool b;
	double num;
	char *str;          /* JSON_STR: UTF-8, NUL-terminated */
	struct json *items; /* JSON_ARR, JSON_OBJ: n children */
	char **keys;        /* JSON_OBJ: n keys */
	size_t n;
};

/* Parse @text (@len bytes). Returns 0, or -EINVAL with the byte offset of the
 * error in *ret_off. The tree is freed with json_free. */
int json_parse(const char *text, size_t len, struct json **ret, size_t *ret_off);
void json_free(struct json *j);

/* Member @key of object @j, or NULL (also when @j is not an object). */
const struct json *json_get(const struct json *j, const char *key);
/* The string, number or bool of member @key, or @def when absent or of another type. */
const char *json_str(const struct json *j, const char *key, const char *def);
double json_num(const struct json *j, const char *key, double def);
bool json_bool(const struct json *j, const char *key, bool def);

#endif
