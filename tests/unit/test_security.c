/* test_security.c - parsers of the security layer: capability sets from
 * /proc/PID/status text, capability names and lists, seccomp profiles and
 * errno names, seccomp status fields, LSM detection against a fixture tree,
 * and the order of the confinement steps. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "../../shell/box/box.h"
#include "../../shell/kernel/caps.h"
#include "../../shell/kernel/lsm.h"
#include "../../shell/kernel/seccomp.h"

static const char status_root[] =
	"Name:\tcat\n"
	"Uid:\t0\t0\t0\t0\n"
	"NoNewPrivs:\t1\n"
	"CapInh:\t0000000000000000\n"
	"CapPrm:\t00000000a80425fb\n"
	"CapEff:\t00000000a80425fb\n"
	"CapBnd:\t00000000a80425fb\n"
	"CapAmb:\t0000000000000000\n"
	"Seccomp:\t2\n"
	"Seccomp_filters:\t3\n"
	"voluntary_ctxt_switches:\t1\n";

static int cap_no(const char *name)
{
	int v = -1;
	assert_int_equal(cap_parse_name(name, &v), 0);
	return v;
}

static void test_cap_sets_parse(void **state)
{
	(void)state;
	struct cap_sets cs;
	assert_int_equal(cap_sets_parse(status_root, &cs, NULL), 0);
	assert_true(cs.set[CAPS_EFF] == 0xa80425fbULL);
	assert_true(cs.set[CAPS_BND] == 0xa80425fbULL);
	assert_true(cs.set[CAPS_INH] == 0 && cs.set[CAPS_AMB] == 0);
	/* 0xa80425fb is exactly Docker's default set. */
	assert_true(cs.set[CAPS_EFF] == cap_mask_docker());
}

static void test_cap_sets_parse_bad(void **state)
{
	(void)state;
	struct cap_sets cs;
	struct nerr e = { 0 };
	assert_int_equal(cap_sets_parse("Name:\tx\nCapInh:\t0\n", &cs, &e), -EINVAL);
	assert_string_equal(e.what, "CapBnd"); /* the first set read */
	assert_int_equal(cap_sets_parse("CapInh:\tzz\nCapPrm:\t0\nCapEff:\t0\nCapBnd:\t0\nCapAmb:\t0\n",
					&cs, &e),
			 -EINVAL);
	assert_int_equal(cap_sets_parse("CapInh:\t\nCapPrm:\t0\nCapEff:\t0\nCapBnd:\t0\nCapAmb:\t0\n",
					&cs, NULL),
			 -EINVAL);
}

static void test_cap_names(void **state)
{
	(void)state;
	int a = cap_no("CAP_SYS_ADMIN");
	assert_int_equal(cap_no("sys_admin"), a);
	assert_int_equal(cap_no("cap_sys_admin"), a);
	assert_int_equal(cap_no("Sys_Admin"), a);
	int v;
	assert_int_equal(cap_parse_name("sys_frobnicate", &v), -EINVAL);
	assert_int_equal(cap_parse_name("", &v), -EINVAL);
	assert_int_equal(cap_parse_name("21", &v), -EINVAL);
	assert_int_equal(cap_parse_name("cap_", &v), -EINVAL);
	char buf[256];
	assert_int_equal(cap_mask_str(1ULL << cap_no("chown") | 1ULL << cap_no("net_raw"), " ", buf,
				      sizeof(buf)),
			 2);
	assert_string_equal(buf, "cap_chown cap_net_raw");
	assert_int_equal(cap_mask_str(0, ",", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "");
}

static void test_cap_mask_parse(void **state)
{
	(void)state;
	uint64_t m;
	struct nerr e = { 0 };
	assert_int_equal(cap_mask_parse("docker", &m, &e), 0);
	assert_int_equal(__builtin_popcountll(m), 14);
	assert_int_equal(cap_mask_parse("none", &m, &e), 0);
	assert_true(m == 0);
	assert_int_equal(cap_mask_parse("all", &m, &e), 0);
	assert_true(m == cap_mask_all());
	assert_int_equal(cap_count(), __builtin_popcountll(cap_mask_all()));
	assert_int_equal(cap_mask_parse("CAP_NET_RAW,chown kill", &m, &e), 0);
	assert_true(m == (1ULL << cap_no("net_raw") | 1ULL << cap_no("chown") | 1ULL << cap_no("kill")));
	assert_int_equal(cap_mask_parse("chown,bogus", &m, &e), -EINVAL);
	assert_string_equal(e.what, "bogus");
}

static void test_sc_errno(void **state)
{
	(void)state;
	int v;
	assert_int_equal(sc_errno_parse("EPERM", &v), 0);
	assert_int_equal(v, EPERM);
	assert_int_equal(sc_errno_parse("enosys", &v), 0);
	assert_int_equal(v, ENOSYS);
	assert_int_equal(sc_errno_parse("13", &v), 0);
	assert_int_equal(v, 13);
	assert_int_equal(sc_errno_parse("0", &v), -EINVAL);
	assert_int_equal(sc_errno_parse("4096", &v), -EINVAL);
	assert_int_equal(sc_errno_parse("EFOO", &v), -EINVAL);
	assert_int_equal(sc_errno_parse("", &v), -EINVAL);
}

static void test_sc_profile_parse(void **state)
{
	(void)state;
	static struct sc_profile p;
	int line = -1;
	const char *text = "# a comment\n"
			   "\n"
			   "mount umount2   # trailing comment\n"
			   "kexec_load --errno ENOSYS\n"
			   "\treboot --kill\n"
			   "mount --errno EACCES\n"; /* the last rule for a call wins */
	assert_int_equal(sc_profile_parse(text, &p, &line, NULL), 0);
	assert_int_equal(line, 0);
	assert_int_equal(p.n, 4);
	assert_string_equal(p.rules[0].syscall, "mount");
	assert_int_equal(p.rules[0].act, SC_ERRNO);
	assert_int_equal(p.rules[0].err, EACCES);
	assert_string_equal(p.rules[1].syscall, "umount2");
	assert_int_equal(p.rules[1].err, EPERM);
	assert_int_equal(p.rules[2].err, ENOSYS);
	assert_int_equal(p.rules[3].act, SC_KILL);
	char buf[64];
	sc_rule_str(&p.rules[3], buf, sizeof(buf));
	assert_string_equal(buf, "reboot -> kill");
	sc_rule_str(&p.rules[2], buf, sizeof(buf));
	assert_string_equal(buf, "kexec_load -> ENOSYS");
}

static void test_sc_profile_errors(void **state)
{
	(void)state;
	static struct sc_profile p;
	int line;
	struct nerr e = { 0 };
	assert_int_equal(sc_profile_parse("mount\nnot_a_syscall\n", &p, &line, &e), -EINVAL);
	assert_int_equal(line, 2);
	assert_string_equal(e.what, "not_a_syscall");
	assert_int_equal(sc_profile_parse("mount --errno\n", &p, &line, &e), -EINVAL);
	assert_int_equal(line, 1);
	assert_int_equal(sc_profile_parse("mount --kill --errno EPERM\n", &p, &line, &e), -EINVAL);
	assert_int_equal(sc_profile_parse("--kill\n", &p, &line, &e), -EINVAL);
	assert_int_equal(sc_profile_parse("mount --frob\n", &p, &line, &e), -EINVAL);
}

static void test_sc_default_profile(void **state)
{
	(void)state;
	static struct sc_profile p;
	struct nerr e = { 0 };
	/* The shipped profile parses, and denies what the lab says it denies. */
	assert_int_equal(sc_profile_read("profiles/seccomp-default.txt", &p, &e), 0);
	assert_true(p.n > 40);
	static const char *const must[] = { "mount", "umount2", "unshare", "setns", "keyctl",
					    "add_key", "bpf", "perf_event_open", "ptrace",
					    "kexec_load", "init_module", "reboot", "swapon",
					    "clock_settime", "userfaultfd" };
	for (size_t i = 0; i < sizeof(must) / sizeof(must[0]); i++) {
		bool found = false;
		for (int j = 0; j < p.n; j++)
			found |= strcmp(p.rules[j].syscall, must[i]) == 0;
		if (!found)
			fail_msg("default profile lacks %s", must[i]);
	}
}

static void test_sc_status(void **state)
{
	(void)state;
	struct sc_status s;
	sc_status_parse(status_root, &s);
	assert_int_equal(s.mode, 2);
	assert_int_equal(s.filters, 3);
	assert_int_equal(s.nnp, 1);
	sc_status_parse("Name:\tx\n", &s);
	assert_int_equal(s.mode, -1);
	assert_int_equal(s.filters, -1);
	assert_int_equal(s.nnp, -1);
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void test_lsm_detect(void **state)
{
	(void)state;
	char root[] = "/tmp/nslab-lsm-XXXXXX";
	assert_non_null(mkdtemp(root));
	char p[512];
	struct lsm_info li;
	/* Nothing at all: no module. */
	lsm_detect(root, &li);
	assert_false(li.apparmor || li.selinux || li.securityfs);
	/* An Ubuntu-like list. */
	snprintf(p, sizeof(p), "mkdir -p %s/sys/kernel/security/apparmor %s/sys/fs/selinux", root,
		 root);
	assert_int_equal(system(p), 0);
	snprintf(p, sizeof(p), "%s/sys/kernel/security/lsm", root);
	write_file(p, "lockdown,capability,landlock,yama,apparmor");
	lsm_detect(root, &li);
	assert_true(li.securityfs && li.apparmor && li.apparmor_fs);
	assert_false(li.selinux);
	assert_int_equal(li.selinux_enforce, -1);
	/* "selinuxfoo" is not selinux; an enforce file is. */
	write_file(p, "capability,selinuxfoo");
	snprintf(p, sizeof(p), "%s/sys/fs/selinux/enforce", root);
	write_file(p, "1\n");
	lsm_detect(root, &li);
	assert_false(li.apparmor);
	assert_true(li.selinux);
	assert_int_equal(li.selinux_enforce, 1);
	snprintf(p, sizeof(p), "rm -rf %s", root);
	assert_int_equal(system(p), 0);
}

static void test_confine_order(void **state)
{
	(void)state;
	static struct box_spec spec;
	box_spec_init(&spec, "t");
	struct box_confine c;
	enum step_op ops[5];
	box_confine_of(&spec, NULL, &c);
	assert_int_equal(box_confine_order(&c, ops), 0);
	/* Without no_new_privs, seccomp must be loaded while CAP_SYS_ADMIN is still there. */
	spec.caps_set = true;
	snprintf(spec.seccomp_src, sizeof(spec.seccomp_src), "default");
	spec.seccomp.n = 1;
	box_confine_of(&spec, NULL, &c);
	assert_int_equal(box_confine_order(&c, ops), 2);
	assert_int_equal(ops[0], ST_SECCOMP);
	assert_int_equal(ops[1], ST_CAPS);
	/* With it: no_new_privs, capabilities, then seccomp last. */
	spec.nnp = true;
	box_confine_of(&spec, NULL, &c);
	assert_int_equal(box_confine_order(&c, ops), 3);
	assert_int_equal(ops[0], ST_NNP);
	assert_int_equal(ops[1], ST_CAPS);
	assert_int_equal(ops[2], ST_SECCOMP);
	/* What caps drop and seccomp deny added to a box reaches every run. */
	static struct box b;
	b.spec = spec;
	b.caps_dropped = 1ULL << cap_no("chown");
	b.sc_extra.n = 1;
	box_confine_of(&b.spec, &b, &c);
	assert_int_equal(c.nfilters, 2);
	assert_false(c.keep & (1ULL << cap_no("chown")));
	assert_int_equal(box_confine_order(&c, ops), 4);
	assert_int_equal(ops[3], ST_SECCOMP_EXTRA);
}

int main(void)
{
	/* Run from the top of the source tree (make unit, tests/run-all.sh do). */
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cap_sets_parse),	  cmocka_unit_test(test_cap_sets_parse_bad),
		cmocka_unit_test(test_cap_names),	  cmocka_unit_test(test_cap_mask_parse),
		cmocka_unit_test(test_sc_errno),	  cmocka_unit_test(test_sc_profile_parse),
		cmocka_unit_test(test_sc_profile_errors), cmocka_unit_test(test_sc_default_profile),
		cmocka_unit_test(test_sc_status),	  cmocka_unit_test(test_lsm_detect),
		cmocka_unit_test(test_confine_order),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
