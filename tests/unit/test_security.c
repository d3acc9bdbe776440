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
#include <sched.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "../../shell/box/box.h"
#include "../../shell/kernel/caps.h"
#include "../../shell/kernel/cleanup.h"
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

static void test_sc_words(void **state)
{
	(void)state;
	static struct sc_profile p;
	struct nerr e = { 0 };
	sc_profile_init_allow(&p);
	char *w1[] = { "mount", "umount2" }, *w2[] = { "kexec_load", "--errno", "ENOSYS" },
	     *w3[] = { "reboot", "--kill" }, *w4[] = { "mount", "--errno", "EACCES" };
	assert_int_equal(sc_parse_words(2, w1, &p, &e), 0);
	assert_int_equal(sc_parse_words(3, w2, &p, &e), 0);
	assert_int_equal(sc_parse_words(2, w3, &p, &e), 0);
	assert_int_equal(sc_parse_words(3, w4, &p, &e), 0); /* the last rule for a call wins */
	assert_int_equal(p.n, 4);
	assert_int_equal(p.def, SC_ALLOW);
	assert_int_equal(p.rules[0].err, EACCES);
	assert_int_equal(p.rules[1].err, EPERM);
	char buf[64];
	sc_rule_str(&p.rules[3], buf, sizeof(buf));
	assert_string_equal(buf, "reboot -> kill");
	sc_rule_str(&p.rules[2], buf, sizeof(buf));
	assert_string_equal(buf, "kexec_load -> ENOSYS");
	char *bad1[] = { "not_a_syscall" }, *bad2[] = { "mount", "--errno" },
	     *bad3[] = { "mount", "--kill", "--errno", "EPERM" }, *bad4[] = { "--kill" };
	assert_int_equal(sc_parse_words(1, bad1, &p, &e), -EINVAL);
	assert_string_equal(e.what, "not_a_syscall");
	assert_int_equal(sc_parse_words(2, bad2, &p, &e), -EINVAL);
	assert_int_equal(sc_parse_words(4, bad3, &p, &e), -EINVAL);
	assert_int_equal(sc_parse_words(1, bad4, &p, &e), -EINVAL);
}

/* A moby-format profile with every kind of entry the format has. */
static const char moby_profile[] =
	"{ \"defaultAction\": \"SCMP_ACT_ERRNO\", \"defaultErrnoRet\": 1,\n"
	"  \"archMap\": [ { \"architecture\": \"SCMP_ARCH_AARCH64\", \"subArchitectures\": [\"SCMP_ARCH_ARM\"] },\n"
	"               { \"architecture\": \"SCMP_ARCH_X86_64\", \"subArchitectures\": [\"SCMP_ARCH_X86\", \"SCMP_ARCH_X32\"] } ],\n"
	"  \"syscalls\": [\n"
	"    { \"names\": [\"getpid\", \"exit_group\", \"exit\", \"write\", \"sigaltstack\", \"mmap\", \"munmap\", \"madvise\", \"rt_sigprocmask\", \"rt_sigaction\", \"close\", \"no_such_call_at_all\"], \"action\": \"SCMP_ACT_ALLOW\" },\n"
	"    { \"names\": [\"ptrace\"], \"action\": \"SCMP_ACT_ALLOW\", \"includes\": { \"minKernel\": \"4.8\" } },\n"
	"    { \"names\": [\"unshare\"], \"action\": \"SCMP_ACT_ALLOW\", \"includes\": { \"caps\": [\"CAP_SYS_ADMIN\"] } },\n"
	"    { \"names\": [\"arch_prctl\"], \"action\": \"SCMP_ACT_ALLOW\", \"includes\": { \"arches\": [\"amd64\"] } },\n"
	"    { \"names\": [\"cacheflush\"], \"action\": \"SCMP_ACT_ALLOW\", \"includes\": { \"arches\": [\"arm64\"] } },\n"
	"    { \"names\": [\"clone\"], \"action\": \"SCMP_ACT_ALLOW\",\n"
	"      \"args\": [ { \"index\": 0, \"value\": 2114060288, \"op\": \"SCMP_CMP_MASKED_EQ\" } ],\n"
	"      \"excludes\": { \"caps\": [\"CAP_SYS_ADMIN\"], \"arches\": [\"s390x\"] } },\n"
	"    { \"names\": [\"clone3\"], \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 38, \"excludes\": { \"caps\": [\"CAP_SYS_ADMIN\"] } },\n"
	"    { \"name\": \"personality\", \"action\": \"SCMP_ACT_ALLOW\", \"args\": [ { \"index\": 0, \"value\": 4294967295, \"op\": \"SCMP_CMP_EQ\" } ] },\n"
	"    { \"names\": [\"uname\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": [], \"comment\": \"\", \"includes\": {}, \"excludes\": {} },\n"
	"    { \"names\": [\"ioctl\"], \"action\": \"SCMP_ACT_ALLOW\" },\n"
	"    { \"names\": [\"ioctl\"], \"action\": \"SCMP_ACT_ERRNO\", \"args\": [ { \"index\": 1, \"value\": 4294967295, \"valueTwo\": 21522, \"op\": \"SCMP_CMP_MASKED_EQ\" } ] }\n"
	"  ] }\n";

static const struct sc_rule *rule_of(const struct sc_profile *p, const char *name)
{
	for (int i = 0; i < p->n; i++)
		if (strcmp(p->rules[i].syscall, name) == 0)
			return &p->rules[i];
	return NULL;
}

static void test_sc_json(void **state)
{
	(void)state;
	static struct sc_profile p;
	struct nerr e = { 0 };
	struct sc_env docker = { .caps = cap_mask_docker(), .kernel = 6018 };
	assert_int_equal(sc_profile_json(moby_profile, &docker, &p, &e), 0);
	assert_int_equal(p.def, SC_ERRNO);
	assert_int_equal(p.def_err, EPERM);
	assert_int_equal(p.unknown, 1);
	assert_string_equal(p.unknown_names, "no_such_call_at_all");
	assert_non_null(rule_of(&p, "ptrace"));
	assert_null(rule_of(&p, "unshare"));	/* includes caps: not kept */
	assert_null(rule_of(&p, "cacheflush")); /* includes arches: another CPU */
	const struct sc_rule *c = rule_of(&p, "clone");
	assert_non_null(c);
	assert_int_equal(c->nargs, 1);
	assert_int_equal(c->args[0].op, SC_MASKED_EQ);
	assert_int_equal(c->args[0].value, 0x7E020000);
	assert_int_equal(rule_of(&p, "clone3")->err, ENOSYS);
	assert_int_equal(rule_of(&p, "personality")->args[0].value, 0xffffffffULL);
	assert_int_equal(sc_filter_count(&p), 2); /* ioctl: allow, but not TIOCSTI */
	char d[600];
	sc_decision(&p, "clone", d, sizeof(d));
	assert_string_equal(d, "allow if a0 & 0x7e020000 == 0; else EPERM");
	sc_decision(&p, "ioctl", d, sizeof(d));
	assert_string_equal(d, "allow; but EPERM if a1 & 0xffffffff == 0x5412");
	sc_decision(&p, "mount", d, sizeof(d));
	assert_string_equal(d, "EPERM");

	/* With CAP_SYS_ADMIN, on a kernel older than 4.8. */
	struct sc_env old = { .caps = cap_mask_all(), .kernel = 4007 };
	assert_int_equal(sc_profile_json(moby_profile, &old, &p, &e), 0);
	assert_null(rule_of(&p, "ptrace"));
	assert_non_null(rule_of(&p, "unshare"));
	assert_null(rule_of(&p, "clone"));
	assert_null(rule_of(&p, "clone3"));
	assert_int_equal(p.left_out, 4);
}

/* What libseccomp was given, in its own words (seccomp_export_pfc). */
static void test_sc_pfc(void **state)
{
	(void)state;
	static struct sc_profile p;
	struct nerr e = { 0 };
	struct sc_env docker = { .caps = cap_mask_docker(), .kernel = 6018 };
	assert_int_equal(sc_profile_json(moby_profile, &docker, &p, &e), 0);
	FILE *f = tmpfile();
	assert_non_null(f);
	assert_int_equal(sc_export_pfc(&p, fileno(f), &e), 0);
	static char pfc[256 * 1024];
	rewind(f);
	size_t n = fread(pfc, 1, sizeof(pfc) - 1, f);
	pfc[n] = '\0';
	fclose(f);
	static const char *const want[] = {
		"filter for arch x86_64", "filter for arch x86 ", "filter for arch x32",
		"syscall \"clone\"", "& 0x7e020000 == 0", "action ERRNO(38)",
		"syscall \"personality\"", "== 4294967295", "filter 2 of 2",
		"& 0xffffffff == 21522", "action ERRNO(1);",
	};
	for (size_t i = 0; i < ARRAY_SIZE(want); i++)
		if (!strstr(pfc, want[i]))
			fail_msg("pfc lacks '%s':\n%s", want[i], pfc);
	assert_null(strstr(pfc, "unshare"));
}

/* The filter for real, in a forked child: the kernel's answers. */
static void test_sc_load_child(void **state)
{
	(void)state;
	static struct sc_profile p;
	struct nerr e = { 0 };
	struct sc_env docker = { .caps = cap_mask_docker(), .kernel = 6018 };
	assert_int_equal(sc_profile_json(moby_profile, &docker, &p, &e), 0);
	int fd[2];
	assert_int_equal(pipe(fd), 0);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		close(fd[0]);
		if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 || sc_load(&p, NULL) < 0)
			_exit(99);
		int r[6];
		errno = 0;
		r[0] = syscall(SYS_personality, 0x0040000) < 0 ? errno : 0; /* ADDR_NO_RANDOMIZE */
		r[1] = syscall(SYS_personality, 0xffffffffUL) < 0 ? errno : 0;
		r[2] = syscall(SYS_clone3, NULL, 0) < 0 ? errno : 0;
		r[3] = syscall(SYS_unshare, CLONE_NEWUSER) < 0 ? errno : 0;
		r[4] = syscall(SYS_ioctl, 0, 0x5412UL | (1UL << 32), "x") < 0 ? errno : 0;
		r[5] = syscall(SYS_getpid) < 0 ? errno : 0;
		if (write(fd[1], r, sizeof(r)) != sizeof(r))
			_exit(98);
		_exit(0);
	}
	close(fd[1]);
	int r[6], st;
	assert_int_equal(read(fd[0], r, sizeof(r)), sizeof(r));
	close(fd[0]);
	waitpid(pid, &st, 0);
	assert_int_equal(r[0], EPERM);
	assert_int_equal(r[1], 0);
	assert_int_equal(r[2], ENOSYS);
	assert_int_equal(r[3], EPERM);
	assert_int_equal(r[4], EPERM); /* high bits set: the mask still sees TIOCSTI */
	assert_int_equal(r[5], 0);
}

static void test_sc_json_errors(void **state)
{
	(void)state;
	static struct sc_profile p;
	struct nerr e = { 0 };
	struct sc_env env = { .caps = 0, .kernel = 6018 };
	assert_int_equal(sc_profile_json("{ \"defaultAction\": \n", &env, &p, &e), -EINVAL);
	assert_string_equal(e.call, "json_loads");
	assert_int_equal(sc_profile_json("{ \"defaultAction\": \"SCMP_ACT_FROB\" }", &env, &p, &e),
			 -EINVAL);
	assert_non_null(strstr(e.what, "defaultAction"));
	assert_int_equal(sc_profile_json("{ \"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [ "
					 "{ \"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\", "
					 "\"args\": [ { \"index\": 0, \"value\": 1, \"op\": \"LT\" } ] } ] }",
					 &env, &p, &e),
			 -EINVAL);
	assert_non_null(strstr(e.what, "syscalls[0].args[0]"));
	assert_int_equal(sc_profile_json("{ \"defaultAction\": \"SCMP_ACT_NOTIFY\" }", &env, &p, &e),
			 -EINVAL);
	assert_int_equal(sc_profile_json("{ \"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [ "
					 "{ \"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\", "
					 "\"includes\": { \"caps\": [\"CAP_FROB\"] } } ] }",
					 &env, &p, &e),
			 -EINVAL);
	assert_non_null(strstr(e.what, "CAP_FROB"));
}

static void test_sc_default_profile(void **state)
{
	(void)state;
	static struct sc_profile p;
	struct nerr e = { 0 };
	struct sc_env docker = { .caps = cap_mask_docker(), .kernel = 6018 };
	assert_int_equal(sc_profile_read("profiles/seccomp-default.json", &docker, &p, &e), 0);
	static const struct {
		const char *call, *decision;
	} want[] = {
		{ "read", "allow" },
		{ "ptrace", "allow" },
		{ "process_vm_readv", "allow" },
		{ "name_to_handle_at", "allow" },
		{ "adjtimex", "allow" },
		{ "mount", "EPERM" },
		{ "unshare", "EPERM" },
		{ "setns", "EPERM" },
		{ "keyctl", "EPERM" },
		{ "io_uring_setup", "EPERM" },
		{ "fanotify_init", "EPERM" },
		{ "syslog", "EPERM" },
		{ "vhangup", "EPERM" },
		{ "pidfd_getfd", "EPERM" },
		{ "sethostname", "EPERM" },
		{ "open_by_handle_at", "EPERM" },
		{ "clone3", "ENOSYS" },
		{ "clone", "allow if a0 & 0x7e020000 == 0; else EPERM" },
		{ "socket", "allow if a0 != 0x28; else EPERM" },
		{ "ioctl", "allow; but EPERM if a1 & 0xffffffff == 0x5412; but EPERM if a1 & "
			   "0xffffffff == 0x541c" },
	};
	char d[600];
	for (size_t i = 0; i < ARRAY_SIZE(want); i++) {
		sc_decision(&p, want[i].call, d, sizeof(d));
		if (strcmp(d, want[i].decision) != 0)
			fail_msg("%s: '%s', want '%s'", want[i].call, d, want[i].decision);
	}
	/* A box that keeps every capability gets the CAP_SYS_ADMIN calls. */
	struct sc_env all = { .caps = cap_mask_all(), .kernel = 6018 };
	assert_int_equal(sc_profile_read("profiles/seccomp-default.json", &all, &p, &e), 0);
	sc_decision(&p, "unshare", d, sizeof(d));
	assert_string_equal(d, "allow");
	sc_decision(&p, "clone", d, sizeof(d));
	assert_string_equal(d, "allow");
	assert_int_equal(sc_filter_count(&p), 1);
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
		cmocka_unit_test(test_sc_errno),	  cmocka_unit_test(test_sc_words),
		cmocka_unit_test(test_sc_json), cmocka_unit_test(test_sc_pfc),
		cmocka_unit_test(test_sc_load_child), cmocka_unit_test(test_sc_json_errors),
		cmocka_unit_test(test_sc_default_profile),
		cmocka_unit_test(test_sc_status),	  cmocka_unit_test(test_lsm_detect),
		cmocka_unit_test(test_confine_order),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
