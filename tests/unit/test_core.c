/* Unit tests for the parsers under the shell: tokenizer, namespace lists,
 * /proc readers (against a fixture tree), the box plan and the command table. */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "../../shell/box/box.h"
#include "../../shell/cmd/cmd.h"
#include "../../shell/kernel/ns.h"
#include "../../shell/kernel/procfs.h"
#include "../../shell/kernel/ptree.h"
#include "../../shell/kernel/syscalls.h"
#include "../../shell/repl/tokenize.h"

static void tok_words_and_quotes(void **state)
{
	(void)state;
	struct tok_cmd *c;
	const char *err = NULL;
	int n = tok_split("box new 'a b' \"c \\\"d\\\"\" e\\ f", &c, &err);
	assert_int_equal(n, 1);
	assert_int_equal(c[0].argc, 5);
	assert_string_equal(c[0].argv[2], "a b");
	assert_string_equal(c[0].argv[3], "c \"d\"");
	assert_string_equal(c[0].argv[4], "e f");
	assert_null(c[0].argv[5]);
	tok_free(c, n);
}

static void tok_separators_and_comments(void **state)
{
	(void)state;
	struct tok_cmd *c;
	const char *err;
	int n = tok_split("ns; tree 1 # a comment; not a command\nproc 1 status;;", &c, &err);
	assert_int_equal(n, 3);
	assert_string_equal(c[0].argv[0], "ns");
	assert_int_equal(c[1].argc, 2);
	assert_string_equal(c[2].argv[2], "status");
	tok_free(c, n);
	n = tok_split("   # only a comment", &c, &err);
	assert_int_equal(n, 0);
	tok_free(c, n);
	n = tok_split("run echo ''", &c, &err);
	assert_int_equal(n, 1);
	assert_int_equal(c[0].argc, 3);
	assert_string_equal(c[0].argv[2], "");
	tok_free(c, n);
}

static void tok_unterminated(void **state)
{
	(void)state;
	struct tok_cmd *c;
	const char *err = NULL;
	assert_int_equal(tok_split("run echo 'oops", &c, &err), -EINVAL);
	assert_non_null(err);
	assert_null(c);
	assert_int_equal(tok_split("run \"x", &c, &err), -EINVAL);
}

static void ns_lists(void **state)
{
	(void)state;
	int fl;
	struct nerr e = { 0 };
	assert_int_equal(ns_parse_list("pid,uts", &fl, &e), 0);
	assert_int_equal(fl, CLONE_NEWPID | CLONE_NEWUTS);
	assert_int_equal(ns_parse_list("all", &fl, &e), 0);
	assert_int_equal(fl, NS_ALL_FLAGS);
	assert_int_equal(ns_parse_list("mount,network", &fl, &e), 0);
	assert_int_equal(fl, CLONE_NEWNS | CLONE_NEWNET);
	assert_int_equal(ns_parse_list("pid,bogus", &fl, &e), -EINVAL);
	assert_string_equal(e.what, "bogus");
	assert_int_equal(ns_parse_list("", &fl, &e), -EINVAL);
	char buf[200];
	assert_string_equal(ns_flags_str(CLONE_NEWNS | CLONE_NEWPID, buf, sizeof(buf)),
			    "CLONE_NEWNS|CLONE_NEWPID");
	assert_string_equal(ns_flags_str(0, buf, sizeof(buf)), "0");
}

static int fixture(void)
{
	return open(SRCDIR "/tests/unit/fixtures/proc", O_PATH | O_DIRECTORY);
}

static void ns_ids_from_fixture(void **state)
{
	(void)state;
	int dir = fixture();
	assert_true(dir >= 0);
	uint64_t a[NS_COUNT], b[NS_COUNT];
	assert_int_equal(ns_read_ids(dir, 1, a), NS_COUNT);
	assert_int_equal(ns_read_ids(dir, 42, b), NS_COUNT);
	assert_true(a[NS_PID] != b[NS_PID]);
	assert_true(a[NS_UTS] != b[NS_UTS]);
	assert_true(a[NS_MNT] == b[NS_MNT]);
	assert_int_equal(ns_read_ids(dir, 4242, a), -ESRCH);
	close(dir);
}

static void procfs_stat_and_status(void **state)
{
	(void)state;
	struct proc_stat st;
	assert_int_equal(proc_stat_parse("42 (a (weird) name) S 1 42 42 0 -1 4194560 1 2 3 4 5 6 7 8 "
					 "20 0 1 0 12345 170000",
					 &st),
			 0);
	assert_string_equal(st.comm, "a (weird) name");
	assert_int_equal(st.ppid, 1);
	assert_int_equal(st.state, 'S');
	assert_int_equal(st.starttime, 12345);
	assert_int_equal(proc_stat_parse("garbage", &st), -EINVAL);
	assert_int_equal(proc_stat_parse("1 (x) S 0", &st), -EINVAL);
	char v[64];
	const char *status = "Name:\tsh\nNSpid:\t4242\t1\nUid:\t0\t0\t0\t0\n";
	assert_int_equal(proc_status_field(status, "NSpid", v, sizeof(v)), 0);
	assert_string_equal(v, "4242 1");
	assert_int_equal(proc_status_field(status, "Gid", v, sizeof(v)), -ENOENT);
	assert_int_equal(proc_status_field(status, "NS", v, sizeof(v)), -ENOENT);
}

static void ptree_from_fixture(void **state)
{
	(void)state;
	int dir = fixture();
	struct ptree t;
	assert_int_equal(ptree_scan(dir, &t), 0);
	assert_int_equal(t.n, 2);
	struct pnode *p = ptree_find(&t, 42);
	assert_non_null(p);
	assert_int_equal(p->ppid, 1);
	/* its pid namespace differs from PID 1's: NSpid read, inner PID 1 */
	assert_int_equal(p->nspid, 1);
	assert_int_equal(p->nslevels, 2);
	assert_null(ptree_find(&t, 7));
	ptree_free(&t);
	close(dir);
}

static void plan_pivot_overlay(void **state)
{
	(void)state;
	struct box_spec s;
	struct box_plan p;
	struct nerr e = { 0 };
	box_spec_init(&s, "b1");
	s.ns = NS_ALL_FLAGS & ~CLONE_NEWUSER;
	snprintf(s.rootfs, sizeof(s.rootfs), "/x/rootfs");
	snprintf(s.hostname, sizeof(s.hostname), "inside");
	assert_int_equal(box_plan(&s, "/run/nslab/1/boxes/b1", &p, &e), 0);
	bool pivot = false, umount = false, hostname = false, clone3 = false;
	for (int i = 0; i < p.n; i++) {
		pivot |= p.steps[i].op == ST_PIVOT && p.steps[i].where == IN_BOX;
		umount |= p.steps[i].op == ST_UMOUNT_OLD;
		hostname |= p.steps[i].op == ST_HOSTNAME;
		/* No clock offsets: no launcher, the shell clone3()s with CLONE_NEWTIME. */
		clone3 |= p.steps[i].op == ST_CLONE && p.steps[i].where == IN_SHELL &&
			  strstr(p.steps[i].text, "clone3(") && strstr(p.steps[i].text, "CLONE_NEWTIME");
		assert_int_not_equal(p.steps[i].where, IN_LAUNCHER);
		assert_int_not_equal(p.steps[i].op, ST_TIMENS);
		assert_int_not_equal(p.steps[i].op, ST_CHROOT);
		assert_int_not_equal(p.steps[i].op, ST_UIDMAP);
	}
	assert_true(pivot && umount && hostname && clone3);
	assert_false(p.launcher);
	assert_string_equal(p.root, "/run/nslab/1/boxes/b1/root");
	assert_int_equal(p.steps[p.n - 1].op, ST_INIT);

	/* Clock offsets: a launcher unshares the time namespace, writes them,
	 * and clones the box (with CLONE_PARENT, so the shell is its parent). */
	s.boottime_off = 60;
	assert_int_equal(box_plan(&s, "/run/nslab/1/boxes/b1", &p, &e), 0);
	int timens = -1, clone = -1;
	for (int i = 0; i < p.n; i++) {
		if (p.steps[i].op == ST_TIMENS && p.steps[i].where == IN_LAUNCHER)
			timens = i;
		if (p.steps[i].op == ST_CLONE && p.steps[i].where == IN_LAUNCHER &&
		    strstr(p.steps[i].text, "CLONE_PARENT") && !strstr(p.steps[i].text, "CLONE_NEWTIME"))
			clone = i;
	}
	assert_true(p.launcher && timens >= 0 && clone > timens);
}

static void plan_rejects_contradictions(void **state)
{
	(void)state;
	struct box_spec s;
	struct box_plan p;
	struct nerr e = { 0 };
	box_spec_init(&s, "b");
	s.ns = CLONE_NEWPID;
	s.root_given = true; /* --pivot without a mount namespace */
	assert_int_equal(box_plan(&s, "/d", &p, &e), -EINVAL);
	assert_non_null(e.why);
	box_spec_init(&s, "b");
	s.ns = CLONE_NEWNS;
	snprintf(s.hostname, sizeof(s.hostname), "x"); /* would rename the host */
	assert_int_equal(box_spec_check(&s, &e), -EINVAL);
	box_spec_init(&s, "b");
	s.ns = CLONE_NEWNS;
	s.nuid = 1; /* maps without a user namespace */
	assert_int_equal(box_spec_check(&s, &e), -EINVAL);
	box_spec_init(&s, "b");
	s.ns = CLONE_NEWPID; /* no mount ns: chroot into a copy */
	s.root = ROOT_CHROOT;
	assert_int_equal(box_plan(&s, "/d", &p, &e), 0);
	assert_int_equal(p.fs, FS_COPY);
}

static void command_table(void **state)
{
	(void)state;
	size_t n;
	const struct cmd_entry *const *all = cmd_all(&n);
	assert_true(n >= 10);
	for (size_t i = 1; i < n; i++)
		assert_true(strcmp(all[i - 1]->name, all[i]->name) < 0); /* sorted, unique */
	for (size_t i = 0; i < n; i++) {
		assert_non_null(all[i]->summary);
		assert_non_null(all[i]->exec);
		assert_true(all[i]->max_args < 0 || all[i]->max_args >= all[i]->min_args);
	}
	const char *contract[] = { "help", "box", "use", "run", "sh", "ns", "tree", "proc", "explain",
				   "cleanup" };
	for (size_t i = 0; i < sizeof(contract) / sizeof(contract[0]); i++)
		assert_non_null(cmd_find(contract[i]));
	assert_string_equal(cmd_suggest("tre"), "tree");
	assert_string_equal(cmd_suggest("bxo"), "box");
	assert_null(cmd_suggest("zzzzzzzz"));
}

static void parsers(void **state)
{
	(void)state;
	long long v;
	assert_int_equal(parse_long("42", 0, 100, &v), 0);
	assert_int_equal(v, 42);
	assert_int_equal(parse_long("-1", 0, 100, &v), -ERANGE);
	assert_int_equal(parse_long("99999999999999999999999", 0, 100, &v), -ERANGE);
	assert_int_equal(parse_long("4x", 0, 100, &v), -EINVAL);
	assert_int_equal(parse_long("", 0, 100, &v), -EINVAL);
	assert_true(valid_name("b1"));
	assert_true(valid_name("web.1-a_b"));
	assert_false(valid_name(""));
	assert_false(valid_name("../etc"));
	assert_false(valid_name("a/b"));
	assert_false(valid_name("-rf"));
	assert_false(valid_name(".hidden"));
	assert_false(valid_name("abcdefghijabcdefghijabcdefghijabc")); /* 33 */
	assert_false(valid_name("caf\xc3\xa9"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(tok_words_and_quotes),
		cmocka_unit_test(tok_separators_and_comments),
		cmocka_unit_test(tok_unterminated),
		cmocka_unit_test(ns_lists),
		cmocka_unit_test(ns_ids_from_fixture),
		cmocka_unit_test(procfs_stat_and_status),
		cmocka_unit_test(ptree_from_fixture),
		cmocka_unit_test(plan_pivot_overlay),
		cmocka_unit_test(plan_rejects_contradictions),
		cmocka_unit_test(command_table),
		cmocka_unit_test(parsers),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
