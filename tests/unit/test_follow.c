/* test_follow.c - what the shell publishes for the pane, and what the pane reads back. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "../../shell/ui/pane.h"

static void test_round_trip(void **state)
{
	(void)state;
	struct ui_follow f = { .current_pid = 4242, .current_start = 99, .big = true, .ncalls = 2 };
	snprintf(f.current, sizeof(f.current), "b1");
	snprintf(f.lab, sizeof(f.lab), "lab 05 step 3/6:\ttabs\nand newlines");
	f.calls[0] = (struct tr_rec){ .seq = 7, .err = 0, .ret = 0, .pid = 10 };
	snprintf(f.calls[0].text, sizeof(f.calls[0].text), "setns(5, CLONE_NEWPID)");
	f.calls[1] = (struct tr_rec){ .seq = 8, .err = 2, .ret = -1, .pid = 11 };
	snprintf(f.calls[1].text, sizeof(f.calls[1].text), "execve(\"nope\")");
	char buf[4096];
	size_t n = ui_follow_format(&f, buf, sizeof(buf));
	assert_int_equal(n, strlen(buf));
	struct ui_follow g;
	ui_follow_parse(buf, &g);
	assert_string_equal(g.current, "b1");
	assert_int_equal(g.current_pid, 4242);
	assert_int_equal(g.current_start, 99);
	assert_true(g.big);
	assert_string_equal(g.lab, "lab 05 step 3/6: tabs and newlines");
	assert_int_equal(g.ncalls, 2);
	assert_int_equal(g.calls[1].seq, 8);
	assert_int_equal(g.calls[1].err, 2);
	assert_int_equal(g.calls[1].ret, -1);
	assert_string_equal(g.calls[1].text, "execve(\"nope\")");
}

static void test_host_and_garbage(void **state)
{
	(void)state;
	struct ui_follow f = { 0 };
	char buf[1024];
	ui_follow_format(&f, buf, sizeof(buf));
	struct ui_follow g;
	ui_follow_parse(buf, &g);
	assert_string_equal(g.current, "");
	assert_int_equal(g.current_pid, 0);
	ui_follow_parse("junk\ncall\tx\ncurrent\nbig\t1\n", &g);
	assert_int_equal(g.ncalls, 0);
	assert_true(g.big);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_host_and_garbage),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
