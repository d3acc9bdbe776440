/* Unit tests for the lab text renderer (shell/lab/md.c, md4c): tables
 * aligned by display width, code spans never broken in prose, no Markdown
 * marks left. */
#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include <cmocka.h>

#include "../../shell/lab/md.h"

/* Display column of each '│' on @line. */
static int seps(const char *line, int *pos, int max)
{
	int n = 0, col = 0;
	mbstate_t st;
	memset(&st, 0, sizeof(st));
	for (const char *p = line; *p && *p != '\n';) {
		wchar_t wc;
		size_t k = mbrtowc(&wc, p, strlen(p), &st);
		if (k == (size_t)-1 || k == (size_t)-2 || k == 0)
			k = 1, wc = (wchar_t)*p;
		if (wc == L'│' && n < max)
			pos[n++] = col;
		int w = wcwidth(wc);
		col += w > 0 ? w : 0;
		p += k;
	}
	return n;
}

static void table_aligned_by_display_width(void **state)
{
	(void)state;
	const char *md = "| 항목 | this box | docker |\n|---|---|---|\n"
			 "| 네임스페이스 | mnt uts | mnt uts ipc pid net |\n"
			 "| seccomp | `deny list` | allow list of **~350** calls |\n";
	char *out = lab_md_render(md, 80, false);
	assert_non_null(out);
	int first[4], cur[4];
	int n0 = -1;
	char *save = NULL;
	for (char *l = strtok_r(out, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		if (!strstr(l, "│"))
			continue;
		int n = seps(l, cur, 4);
		if (n0 < 0) {
			n0 = n;
			memcpy(first, cur, sizeof(cur));
		}
		assert_int_equal(n, n0);
		for (int i = 0; i < n; i++)
			assert_int_equal(cur[i], first[i]);
		assert_null(strstr(l, "**"));
		assert_null(strchr(l, '|'));
	}
	assert_int_equal(n0, 2);
	free(out);
}

static void prose_wraps_between_words_only(void **state)
{
	(void)state;
	const char *md = "Run `box new c17 --ns all --hostname c17` first, then read the "
			 "*output* of each step, which is long enough to wrap at least twice "
			 "when the width is forty columns wide.\n";
	char *out = lab_md_render(md, 40, false);
	assert_non_null(out);
	assert_non_null(strstr(out, "`box new c17 --ns all --hostname c17`"));
	assert_null(strchr(out, '*'));
	char *save = NULL;
	for (char *l = strtok_r(out, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		/* A line wider than 40 is only the unbreakable code span. */
		if (strlen(l) > 40)
			assert_non_null(strstr(l, "`box new"));
		assert_true(l[0] != ' ');
	}
	free(out);
}

static void lists_and_color(void **state)
{
	(void)state;
	char *out = lab_md_render("- one\n- **two**\n\n1. first\n2. `second`\n", 80, true);
	assert_non_null(out);
	assert_non_null(strstr(out, "•  one"));
	assert_non_null(strstr(out, "\033[1mtwo\033[0m"));
	assert_non_null(strstr(out, "1. first"));
	assert_non_null(strstr(out, "\033[36msecond\033[0m"));
	free(out);
}

int main(void)
{
	setlocale(LC_ALL, "C.UTF-8");
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(table_aligned_by_display_width),
		cmocka_unit_test(prose_wraps_between_words_only),
		cmocka_unit_test(lists_and_color),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
