/* Unit tests for the lab loader: a good lab, every malformed case (with the
 * line it is reported on), the predicate table, the progress store, and every
 * lab shipped in labs/: both languages load and have the same step ids. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "../../shell/lab/lab.h"
#include "../../shell/kernel/cleanup.h"
#include "../../shell/kernel/syscalls.h"

#ifndef SRCDIR
#define SRCDIR "."
#endif

static const char good[] =
	"# 05 · PID namespace\n"
	"\n"
	"```lab\n"
	"needs: root ns:pid ns:mnt\n"
	"rootless: no\n"
	"```\n"
	"\n"
	"Intro prose.\n"
	"\n"
	"## Make a box {#make-box}\n"
	"\n"
	"Some prose.\n"
	"\n"
	"```nslab\n"
	"box new b1 --ns pid,mnt\n"
	"run ps\n"
	"```\n"
	"\n"
	"```check\n"
	"# a comment\n"
	"box b1 running\n"
	"ns b1 pid differs\n"
	"last output contains \"PID  USER\"\n"
	"```\n"
	"\n"
	"```hint\n"
	"First hint.\n"
	"```\n"
	"\n"
	"```hint\n"
	"Second hint,\n"
	"two lines.\n"
	"```\n"
	"\n"
	"```text\n"
	"## not a step {#nope}\n"
	"```\n"
	"\n"
	"## Recap {#recap}\n"
	"\n"
	"Done.\n"
	"\n"
	"```cleanup\n"
	"echo bye\n"
	"```\n";

static struct lab *parse(const char *text, struct lab_error *err, int *ret)
{
	struct lab *l = calloc(1, sizeof(*l));
	assert_non_null(l);
	*ret = lab_parse(text, "x.md", l, err);
	if (*ret < 0) {
		lab_free(l);
		return NULL;
	}
	return l;
}

static void good_lab(void **state)
{
	(void)state;
	struct lab_error err;
	int r;
	struct lab *l = parse(good, &err, &r);
	assert_int_equal(r, 0);
	assert_string_equal(l->title, "05 · PID namespace");
	assert_string_equal(l->intro, "Intro prose.");
	assert_int_equal(l->needs, NEED_ROOT);
	assert_int_equal(l->needs_ns, CLONE_NEWPID | CLONE_NEWNS);
	assert_int_equal(l->rootless, ROOTLESS_NO);
	assert_int_equal(l->nsteps, 2);
	struct lab_step *s = &l->steps[0];
	assert_string_equal(s->id, "make-box");
	assert_string_equal(s->title, "Make a box");
	assert_int_equal(s->line, 10);
	assert_int_equal(s->ncmds, 2);
	assert_string_equal(s->cmds[1], "run ps");
	assert_int_equal(s->nchecks, 3);
	assert_string_equal(s->checks[0].pred->name, "box");
	assert_int_equal(s->checks[0].line, 21);
	assert_int_equal(s->checks[2].argc, 3);
	assert_string_equal(s->checks[2].argv[2], "PID  USER");
	assert_int_equal(s->nhints, 2);
	assert_string_equal(s->hints[1], "Second hint,\ntwo lines.");
	/* A ## inside a text block is prose, not a step. */
	assert_non_null(strstr(s->prose, "## not a step"));
	assert_string_equal(l->steps[1].id, "recap");
	assert_int_equal(l->steps[1].nchecks, 0);
	assert_int_equal(l->ncleanup, 1);
	lab_free(l);
}

/* Replace the first occurrence of @from in the good lab by @to. */
static char *mutate(const char *from, const char *to)
{
	const char *at = strstr(good, from);
	assert_non_null(at);
	size_t n = strlen(good) - strlen(from) + strlen(to) + 1;
	char *s = malloc(n);
	snprintf(s, n, "%.*s%s%s", (int)(at - good), good, to, at + strlen(from));
	return s;
}

struct bad {
	const char *from, *to;
	int line;
	const char *says;
};

static const struct bad bads[] = {
	{ "# 05 · PID namespace\n", "", 9, "a step before the title" },
	{ "Intro prose.\n", "# Again\n", 8, "second title" },
	{ "# 05 · PID namespace\n", "## Early {#early}\n# 05\n", 1, "before the title" },
	{ "## Make a box {#make-box}", "## Make a box", 10, "has no id" },
	{ "{#make-box}", "{#Make_Box}", 10, "is not valid" },
	{ "{#recap}", "{#make-box}", 39, "used twice (first on line 10)" },
	{ "```lab\nneeds: root ns:pid ns:mnt\nrootless: no\n```\n", "", 1, "no lab block" },
	{ "Intro prose.\n", "```lab\n```\n", 8, "second lab block" },
	{ "needs: root", "needs: root ns:bogus", 4, "unknown need 'ns:bogus'" },
	{ "needs: root", "needs: root wings", 4, "unknown need 'wings'" },
	{ "rootless: no", "rootless: maybe", 5, "yes, no or partly" },
	{ "rootless: no", "color: blue", 5, "unknown key 'color'" },
	{ "Intro prose.\n", "```hint\nearly\n```\n", 8, "outside a step" },
	{ "Some prose.\n", "```lab\n```\n", 12, "before the first step" },
	{ "```check\n# a comment", "```chek\n# a comment", 19, "unknown block type 'chek'" },
	{ "box b1 running", "boxes b1 running", 21, "unknown predicate 'boxes'" },
	{ "box b1 running", "box b1", 21, "wrong number of words" },
	{ "box b1 running", "box b1 sleeping", 21, "exists, running, stopped or absent" },
	{ "ns b1 pid differs", "ns b1 pod differs", 22, "TYPE is one of" },
	{ "ns b1 pid differs", "procs b1 ~ 3", 22, "OP is one of" },
	{ "ns b1 pid differs", "procs b1 >= many", 22, "whole number" },
	{ "ns b1 pid differs", "file b1 etc/x exists", 22, "starts with /" },
	{ "ns b1 pid differs", "box b1 running; box b2 running", 22, "one predicate per line" },
	{ "ns b1 pid differs", "last output contains 'unclosed", 22, "check:" },
	{ "echo bye\n```\n", "echo bye\n```\n```cleanup\n```\n", 46, "second cleanup" },
	{ "```cleanup\necho bye\n```\n", "```cleanup\necho bye\n", 43, "never closed" },
};

static void malformed_labs(void **state)
{
	(void)state;
	int wrong = 0;
	for (size_t i = 0; i < ARRAY_SIZE(bads); i++) {
		char *text = mutate(bads[i].from, bads[i].to);
		struct lab_error err;
		int r;
		struct lab *l = parse(text, &err, &r);
		free(text);
		lab_free(l);
		if (r != -EINVAL || !strstr(err.msg, bads[i].says) || err.line != bads[i].line ||
		    strcmp(err.file, "x.md") != 0) {
			print_error("case %zu: r=%d line %d (want %d): %s (want '%s')\n", i, r, err.line,
				    bads[i].line, err.msg, bads[i].says);
			wrong++;
		}
	}
	assert_int_equal(wrong, 0);
}

static void no_steps_no_title(void **state)
{
	(void)state;
	struct lab_error err;
	int r;
	struct lab *l = parse("# 01 · t\n```lab\nneeds: root\n```\nprose\n", &err, &r);
	assert_null(l);
	assert_int_equal(r, -EINVAL);
	assert_non_null(strstr(err.msg, "no steps"));
	l = parse("```lab\nneeds: root\n```\nprose\n", &err, &r);
	assert_null(l);
	assert_int_equal(err.line, 1);
	assert_non_null(strstr(err.msg, "no title"));
}

static void predicate_table(void **state)
{
	(void)state;
	const char *names[] = { "box", "ns", "file", "hostname", "mount", "procs", "process",
				"last", "explain", "ipc" };
	for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
		const struct lab_pred *p = lab_pred_find(names[i]);
		assert_non_null(p);
		assert_non_null(p->eval);
		assert_non_null(p->synopsis);
		assert_true(strncmp(p->synopsis, names[i], strlen(names[i])) == 0);
	}
	assert_null(lab_pred_find("nonesuch"));
}

static void progress_roundtrip(void **state)
{
	(void)state;
	char dir[] = "/tmp/nslab-unit-XXXXXX";
	assert_non_null(mkdtemp(dir));
	struct lab_progress p;
	assert_int_equal(lab_progress_load(dir, getuid(), getgid(), &p), 0);
	struct lab_prog_step *s = lab_progress_step(&p, 5, "make-box", true);
	s->done_at = 1700000000;
	s->hints = 2;
	p.labs[5].at = 3;
	assert_int_equal(lab_progress_save(dir, getuid(), getgid(), &p), 0);
	lab_progress_free(&p);
	struct lab_progress q;
	assert_int_equal(lab_progress_load(dir, getuid(), getgid(), &q), 0);
	assert_int_equal(q.labs[5].at, 3);
	s = lab_progress_step(&q, 5, "make-box", false);
	assert_non_null(s);
	assert_int_equal(s->done_at, 1700000000);
	assert_int_equal(s->hints, 2);
	assert_null(lab_progress_step(&q, 5, "other", false));
	lab_progress_free(&q);
	char path[64];
	snprintf(path, sizeof(path), "%s/progress", dir);
	unlink(path);
	rmdir(dir);
}

/* Every shipped lab: both languages load, with the same step ids in order. */
static void shipped_labs(void **state)
{
	(void)state;
	_cleanup_free_ struct lab_entry *v = NULL;
	int n = lab_list(SRCDIR, &v);
	assert_true(n >= 6);
	for (int i = 0; i < n; i++) {
		char en[PATH_MAX + 8], ko[PATH_MAX + 8];
		snprintf(en, sizeof(en), "%s/en.md", v[i].dir);
		snprintf(ko, sizeof(ko), "%s/ko.md", v[i].dir);
		struct lab *le = NULL, *lk = NULL;
		struct lab_error e;
		if (lab_load(en, &le, &e) < 0 || lab_load(ko, &lk, &e) < 0) {
			print_error("%s:%d: %s\n", e.file, e.line, e.msg);
			lab_free(le);
			fail();
		}
		assert_int_equal(le->num, v[i].num);
		if (le->nsteps != lk->nsteps) {
			print_error("lab %02d: %d steps in en, %d in ko\n", le->num, le->nsteps, lk->nsteps);
			fail();
		}
		for (int k = 0; k < le->nsteps; k++) {
			if (strcmp(le->steps[k].id, lk->steps[k].id) != 0) {
				print_error("lab %02d step %d: '%s' in en, '%s' in ko\n", le->num, k + 1,
					    le->steps[k].id, lk->steps[k].id);
				fail();
			}
			/* The same checks, so both languages pass and fail alike. */
			assert_int_equal(le->steps[k].nchecks, lk->steps[k].nchecks);
			for (int c = 0; c < le->steps[k].nchecks; c++)
				assert_string_equal(le->steps[k].checks[c].text, lk->steps[k].checks[c].text);
		}
		assert_int_equal(le->needs, lk->needs);
		assert_int_equal(le->needs_ns, lk->needs_ns);
		lab_free(le);
		lab_free(lk);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(good_lab),         cmocka_unit_test(malformed_labs),
		cmocka_unit_test(no_steps_no_title),         cmocka_unit_test(predicate_table),
		cmocka_unit_test(progress_roundtrip), cmocka_unit_test(shipped_labs),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
