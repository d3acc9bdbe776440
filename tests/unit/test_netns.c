/* Unit tests for the network, user and time namespace parsers: uid_map text,
 * /etc/subuid, addresses, /proc/PID/net/tcp (against a fixture tree),
 * timens_offsets, host-side interface names, the plan of a rootless box; and,
 * as root, entering a box's namespaces one setns(2) at a time. */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "../../shell/box/box.h"
#include "../../shell/box/net.h"
#include "../../shell/kernel/net.h"
#include "../../shell/kernel/ns.h"
#include "../../shell/kernel/nsquery.h"
#include "../../shell/kernel/syscalls.h"
#include "../../shell/kernel/userns.h"

#define FIX SRCDIR "/tests/unit/fixtures/netns"

static void uid_map_text(void **state)
{
	(void)state;
	struct idmap m[4];
	int n = userns_parse_map("         0     100000      65536\n", m, 4);
	assert_int_equal(n, 1);
	assert_int_equal(m[0].inside, 0);
	assert_int_equal(m[0].outside, 100000);
	assert_int_equal(m[0].count, 65536);
	assert_int_equal(userns_to_outside(m, n, 0), 100000);
	assert_int_equal(userns_to_outside(m, n, 65535), 165535);
	assert_int_equal(userns_to_outside(m, n, 65536), -1);
	assert_int_equal(userns_to_inside(m, n, 100001), 1);
	assert_int_equal(userns_to_inside(m, n, 0), -1); /* host root is not mapped */

	n = userns_parse_map("0 1000 1\n1 100000 65536\n", m, 4);
	assert_int_equal(n, 2);
	assert_int_equal(userns_to_outside(m, n, 0), 1000);
	assert_int_equal(userns_to_outside(m, n, 1), 100000);
	assert_int_equal(userns_to_inside(m, n, 1000), 0);

	assert_int_equal(userns_parse_map("", m, 4), 0);
	assert_int_equal(userns_parse_map("0 1 x\n", m, 4), -EINVAL);
	assert_int_equal(userns_parse_map("0 1 0\n", m, 4), -EINVAL);
	assert_int_equal(userns_parse_map("0 1 1\n1 2 1\n", m, 1), -EINVAL);
}

static void subid_file(void **state)
{
	(void)state;
	unsigned s, c;
	assert_int_equal(userns_subid_range(FIX "/subuid", "alice", 1000, &s, &c), 0);
	assert_int_equal(s, 100000);
	assert_int_equal(c, 65536);
	/* A line may name the uid instead of the user. */
	assert_int_equal(userns_subid_range(FIX "/subuid", "carol", 1234, &s, &c), 0);
	assert_int_equal(s, 300000);
	/* A range of 0 ids grants nothing. */
	assert_int_equal(userns_subid_range(FIX "/subuid", "bob", 1001, &s, &c), -ENOENT);
	assert_int_equal(userns_subid_range(FIX "/subuid", "nobody", 65534, &s, &c), -ENOENT);
	assert_int_equal(userns_subid_range(FIX "/missing", "alice", 1000, &s, &c), -ENOENT);
}

static void cidr(void **state)
{
	(void)state;
	assert_int_equal(net_cidr_check("10.200.0.2/24"), 0);
	assert_int_equal(net_cidr_check("172.16.5.1/16"), 0);
	assert_int_equal(net_cidr_check("192.168.1.1/30"), 0);
	assert_int_equal(net_cidr_check("8.8.8.8/24"), -EPERM);
	assert_int_equal(net_cidr_check("172.32.0.1/24"), -EPERM);
	assert_int_equal(net_cidr_check("10.200.0.2"), -EINVAL);
	assert_int_equal(net_cidr_check("10.200.0.300/24"), -EINVAL);
	assert_int_equal(net_cidr_check("10.200.0.2/31"), -EINVAL);
	assert_int_equal(net_cidr_check("10.200.0.2/24x"), -EINVAL);
	assert_int_equal(net_cidr_check(""), -EINVAL);
}

static void tcp_listening(void **state)
{
	(void)state;
	int proc = open(FIX "/proc", O_PATH | O_DIRECTORY | O_CLOEXEC);
	assert_true(proc >= 0);
	assert_int_equal(net_tcp_listening(proc, 7, 22), 1);
	/* 8080 is there, but as an established connection, not LISTEN. */
	assert_int_equal(net_tcp_listening(proc, 7, 8080), 0);
	assert_int_equal(net_tcp_listening(proc, 7, 8081), 1); /* in tcp6 */
	assert_true(net_tcp_listening(proc, 8, 22) < 0);
	close(proc);
	assert_int_equal(net_tcp_parse_listening("", 22), 0);
	assert_int_equal(net_tcp_parse_listening("garbage\n\n", 22), 0);
}

static void offsets(void **state)
{
	(void)state;
	long long mono = -1, boot = -1;
	assert_int_equal(nsq_parse_offsets("monotonic           0         0\n"
					   "boottime        86400         0\n",
					   &mono, &boot),
			 0);
	assert_int_equal(mono, 0);
	assert_int_equal(boot, 86400);
	assert_int_equal(nsq_parse_offsets("monotonic -5 0\n", &mono, &boot), -EINVAL);
}

static void host_side_names(void **state)
{
	(void)state;
	char n[32], m[32];
	box_net_veth_name("b1", 0, n, sizeof(n));
	assert_string_equal(n, "nsl-b1");
	box_net_veth_name("b1", 2, n, sizeof(n));
	assert_string_equal(n, "nsl-b1-2");
	/* Long names are hashed, stay within IFNAMSIZ - 1, and differ. */
	box_net_veth_name("averyverylongboxname1", 0, n, sizeof(n));
	box_net_veth_name("averyverylongboxname2", 0, m, sizeof(m));
	assert_true(strlen(n) <= 15 && strlen(m) <= 15);
	assert_string_not_equal(n, m);
	assert_memory_equal(n, "nsl", 3);
	box_net_veth_name("averyverylongboxname1", 3, n, sizeof(n));
	assert_true(strlen(n) <= 15);
	assert_int_equal(box_net_bridge_name("lan", n, sizeof(n)), 0);
	assert_string_equal(n, "nslbr-lan");
	assert_int_equal(box_net_bridge_name("toolongname", n, sizeof(n)), -ENAMETOOLONG);
	/* The link undo never touches a name nslab did not make. */
	assert_int_equal(box_net_undo_link("0 0 eth0"), -EPERM);
	assert_int_equal(box_net_undo_link("garbage"), -EINVAL);
}

static void plan_newidmap(void **state)
{
	(void)state;
	struct box_spec s;
	box_spec_init(&s, "r1");
	s.ns = CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWPID;
	snprintf(s.rootfs, sizeof(s.rootfs), "/nonexistent");
	s.uid[0] = (struct idmap){ 0, geteuid(), 1 };
	s.uid[1] = (struct idmap){ 1, 100000, 65536 };
	memcpy(s.gid, s.uid, sizeof(s.uid));
	s.nuid = s.ngid = 2;
	s.newidmap = true;
	s.setgroups_allow = true;
	struct box_plan p;
	struct nerr e = { 0 };
	assert_int_equal(box_plan(&s, "/run/nslab/1/boxes/r1", &p, &e), 0);
	bool uid = false, gid = false, setgroups = false;
	char want[64];
	snprintf(want, sizeof(want), "newuidmap PID 0 %u 1 1 100000 65536", (unsigned)geteuid());
	for (int i = 0; i < p.n; i++) {
		if (p.steps[i].op == ST_UIDMAP) {
			assert_string_equal(p.steps[i].text, want);
			uid = true;
		}
		gid |= p.steps[i].op == ST_GIDMAP;
		setgroups |= p.steps[i].op == ST_SETGROUPS;
	}
	assert_true(uid && gid);
	assert_false(setgroups); /* allow: nothing written to /proc/PID/setgroups */
}

static bool same_ns(const char *a, const char *b)
{
	char la[64] = "", lb[64] = "";
	ssize_t na = readlink(a, la, sizeof(la) - 1), nb = readlink(b, lb, sizeof(lb) - 1);
	return na > 0 && nb > 0 && strcmp(la, lb) == 0;
}

/* A box like `box new --ns user,uts,time`: its time namespace is made by
 * unshare before the clone that makes its user namespace, so the host's user
 * namespace owns it. Found by the soak under valgrind (no pidfd_open there):
 * entering the user namespace first, the time namespace then said EPERM. */
static void enter_each_owned_by_parent(void **state)
{
	(void)state;
	if (geteuid() != 0)
		skip();
	int ready[2];
	assert_int_equal(pipe(ready), 0);
	pid_t launcher = fork();
	assert_true(launcher >= 0);
	if (launcher == 0) {
		if (unshare(CLONE_NEWTIME) < 0)
			_exit(77);
		pid_t box = fork(); /* a time namespace applies to children */
		if (box == 0) {
			if (unshare(CLONE_NEWUSER | CLONE_NEWUTS) < 0)
				_exit(1);
			char c = 'r';
			if (write(ready[1], &c, 1) != 1)
				_exit(1);
			pause();
			_exit(0);
		}
		int st;
		waitpid(box, &st, 0);
		_exit(0);
	}
	close(ready[1]);
	char c;
	ssize_t n = read(ready[0], &c, 1);
	close(ready[0]);
	if (n != 1) {
		int st;
		waitpid(launcher, &st, 0);
		if (WIFEXITED(st) && WEXITSTATUS(st) == 77)
			skip(); /* no time namespaces in this kernel */
		fail_msg("the box did not start");
	}
	/* The box is the launcher's only child: find it in /proc/LAUNCHER/task/.../children. */
	char path[64], buf[32] = "";
	snprintf(path, sizeof(path), "/proc/%d/task/%d/children", (int)launcher, (int)launcher);
	FILE *f = fopen(path, "re");
	assert_non_null(f);
	assert_non_null(fgets(buf, sizeof(buf), f));
	fclose(f);
	pid_t box = (pid_t)atoi(buf);
	assert_true(box > 0);
	char want_time[64], want_uts[64];
	snprintf(want_time, sizeof(want_time), "/proc/%d/ns/time", (int)box);
	snprintf(want_uts, sizeof(want_uts), "/proc/%d/ns/uts", (int)box);

	pid_t t = fork();
	assert_true(t >= 0);
	if (t == 0) {
		struct nerr e = { 0 };
		if (ns_enter_each(box, CLONE_NEWUSER | CLONE_NEWUTS | CLONE_NEWTIME, &e) < 0)
			_exit(2);
		/* A time namespace applies to the children of whoever enters it. */
		_exit(same_ns("/proc/self/ns/time_for_children", want_time) &&
			      same_ns("/proc/self/ns/uts", want_uts)
		      ? 0
		      : 3);
	}
	int st;
	assert_int_equal(waitpid(t, &st, 0), t);
	kill(box, SIGKILL);
	int lst;
	waitpid(launcher, &lst, 0);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(uid_map_text),   cmocka_unit_test(subid_file),
		cmocka_unit_test(cidr),           cmocka_unit_test(tcp_listening),
		cmocka_unit_test(offsets),        cmocka_unit_test(host_side_names),
		cmocka_unit_test(plan_newidmap), cmocka_unit_test(enter_each_owned_by_parent),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
