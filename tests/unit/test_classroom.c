/* Unit tests for the classroom parsers: the JSON reader, the progress merge,
 * the demo script parser and the asciicast string escaping. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "../../shell/class/json.h"
#include "../../shell/class/report.h"
#include "../../shell/demo/demo.h"
#include "../../shell/record/tee.h"

static struct json *parse(const char *s)
{
	struct json *j = NULL;
	size_t off;
	assert_int_equal(json_parse(s, strlen(s), &j, &off), 0);
	return j;
}

static void json_values(void **state)
{
	(void)state;
	struct json *j = parse(" {\"a\": [1, -2.5e1, true, false, null], \"s\": \"x\\\"\\n\\u00e9\\ud83d\\ude00\","
			       " \"o\": {}} ");
	const struct json *a = json_get(j, "a");
	assert_non_null(a);
	assert_int_equal(a->type, JSON_ARR);
	assert_int_equal(a->n, 5);
	assert_true(a->items[1].num == -25.0);
	assert_true(a->items[2].b);
	assert_int_equal(a->items[4].type, JSON_NULL);
	assert_string_equal(json_str(j, "s", NULL), "x\"\n\xc3\xa9\xf0\x9f\x98\x80");
	assert_int_equal(json_get(j, "o")->n, 0);
	assert_null(json_get(j, "missing"));
	assert_true(json_num(j, "s", 7) == 7); /* wrong type: the default */
	json_free(j);
}

static void json_rejects(void **state)
{
	(void)state;
	const char *bad[] = { "", "{", "[1,]", "{\"a\" 1}", "01", "1.", "+1", "\"\\x\"", "\"a",
			      "[1] 2", "\"\\ud800\"", "\"\\u0000\"", "tru", "\"\x01\"" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct json *j = NULL;
		size_t off;
		assert_int_equal(json_parse(bad[i], strlen(bad[i]), &j, &off), -EINVAL);
		assert_null(j);
	}
	/* Depth is bounded: a stack of 40 arrays is refused, not a stack overflow. */
	char deep[81];
	memset(deep, '[', 40);
	memset(deep + 40, ']', 40);
	deep[80] = '\0';
	struct json *j = NULL;
	size_t off;
	assert_int_equal(json_parse(deep, 80, &j, &off), -EINVAL);
}

static const char *prog(const char *exported, const char *steps)
{
	static char buf[1024];
	snprintf(buf, sizeof(buf),
		 "{\"format\": \"nslab-progress/1\", \"user\": \"u\", \"host\": \"h\", "
		 "\"exported\": \"%s\", \"labs\": [{\"number\": 5, \"title\": \"PID\", "
		 "\"steps\": [%s]}]}",
		 exported, steps);
	return buf;
}

static void report_merge(void **state)
{
	(void)state;
	struct class_report r = { 0 };
	const char *why;
	const char *a = prog("2026-01-01T10:00:00Z", "{\"id\": \"one\", \"done\": true}, "
						    "{\"id\": \"two\", \"done\": false}, "
						    "{\"id\": \"three\", \"done\": false}");
	assert_int_equal(class_merge(&r, "zoe", a, strlen(a), &why), 0);
	const char *b = prog("2026-01-01T12:00:00Z", "{\"id\": \"one\", \"done\": false}, "
						    "{\"id\": \"two\", \"done\": true}, "
						    "{\"id\": \"three\", \"done\": false}");
	assert_int_equal(class_merge(&r, "zoe", b, strlen(b), &why), 0);
	assert_int_equal(class_merge(&r, "amy", a, strlen(a), &why), 0);
	assert_int_equal(r.n, 2);
	assert_int_equal(r.files, 3);
	class_sort(&r);
	assert_string_equal(r.v[0].name, "amy");
	int total, step;
	/* zoe: one done in the first export, two in the second: both count. */
	assert_int_equal(class_lab_done(&r.v[1], 5, &total), 2);
	assert_int_equal(total, 3);
	assert_int_equal(class_reached(&r.v[1], &step), 5);
	assert_int_equal(step, 2);
	assert_string_equal(r.v[1].exported, "2026-01-01T12:00:00Z");
	/* A file of another format, or a lab out of range, changes nothing. */
	const char *c = "{\"format\": \"other\", \"labs\": []}";
	assert_int_equal(class_merge(&r, "bad", c, strlen(c), &why), -EINVAL);
	const char *d = "{\"format\": \"nslab-progress/1\", \"labs\": [{\"number\": 100, \"steps\": []}]}";
	assert_int_equal(class_merge(&r, "bad", d, strlen(d), &why), -EINVAL);
	assert_int_equal(r.n, 2);
	class_report_free(&r);
}

static struct demo *demo_from(const char *text, struct demo_error *e, int *ret)
{
	FILE *f = fmemopen((void *)text, strlen(text), "r");
	struct demo *d = NULL;
	*ret = demo_parse(f, &d, e);
	fclose(f);
	return d;
}

static void demo_script(void **state)
{
	(void)state;
	struct demo_error e;
	int r;
	struct demo *d = demo_from("# c\n@title T\n@minutes 3\n> hi\n>\n$ box ls\n$? run false\n"
				   "! note\n@pause\n@clear\n@lang ko\n@needs cg\n",
				   &e, &r);
	assert_int_equal(r, 0);
	assert_string_equal(d->title, "T");
	assert_int_equal(d->minutes, 3);
	assert_int_equal(d->n, 9);
	assert_int_equal(d->items[0].kind, DEMO_SAY);
	assert_string_equal(d->items[1].text, "");
	assert_int_equal(d->items[2].kind, DEMO_RUN);
	assert_int_equal(d->items[3].kind, DEMO_RUN_FAIL);
	assert_string_equal(d->items[3].text, "run false");
	assert_int_equal(d->items[3].line, 7);
	assert_int_equal(d->items[4].kind, DEMO_NOTE);
	assert_int_equal(d->items[8].kind, DEMO_NEEDS);
	assert_true(demo_visible(&d->items[0]) && !demo_visible(&d->items[4]));
	demo_free(d);

	const char *bad[] = { "> ok\nplain text\n", ">no space\n", "@lang fr\n", "@minutes x\n",
			      "@what\n", "$\n", "# only a comment\n" };
	int lines[] = { 2, 1, 1, 1, 1, 1, 0 };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		d = demo_from(bad[i], &e, &r);
		assert_int_equal(r, -EINVAL);
		assert_null(d);
		assert_int_equal(e.line, lines[i]);
		assert_non_null(e.msg);
	}
}

static void cast_escape(void **state)
{
	(void)state;
	char out[256];
	size_t keep;
	const unsigned char in[] = "a\"\\\n\t\x1b[1m\xed\x95\x9c\xff";
	size_t n = tee_json_escape(in, sizeof(in) - 1, out, sizeof(out), &keep);
	assert_int_equal(keep, 0);
	assert_string_equal(out, "a\\\"\\\\\\n\\t\\u001b[1m\xed\x95\x9c\\ufffd");
	assert_int_equal(n, strlen(out));
	/* A Korean letter cut by read(): the first two bytes wait for the third. */
	const unsigned char cut[] = "ok\xed\x95";
	tee_json_escape(cut, 4, out, sizeof(out), &keep);
	assert_string_equal(out, "ok");
	assert_int_equal(keep, 2);
	/* Surrogates and overlongs are not UTF-8. */
	const unsigned char sur[] = "\xed\xa0\x80\xc0\xaf";
	tee_json_escape(sur, 5, out, sizeof(out), &keep);
	assert_string_equal(out, "\\ufffd\\ufffd\\ufffd\\ufffd\\ufffd");
	char h[256];
	tee_cast_header(h, sizeof(h), 100, 30, 1700000000, "xterm\"x");
	assert_non_null(strstr(h, "\"version\": 2, \"width\": 100, \"height\": 30"));
	assert_non_null(strstr(h, "\"TERM\": \"xtermx\""));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(json_values),  cmocka_unit_test(json_rejects),
		cmocka_unit_test(report_merge), cmocka_unit_test(demo_script),
		cmocka_unit_test(cast_escape),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
