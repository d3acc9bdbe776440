/* Unit tests for the network, user and time namespace parsers: uid_map text,
 * /etc/subuid, addresses, /proc/PID/net/tcp (against a fixture tree),
 * timens_offsets, host-side interface names, and the plan of a rootless box. */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "../../shell/box/box.h"
#include "../../shell/box/net.h"
#include "../../shell/kernel/net.h"
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(uid_map_text),   cmocka_unit_test(subid_file),
		cmocka_unit_test(cidr),           cmocka_unit_test(tcp_listening),
		cmocka_unit_test(offsets),        cmocka_unit_test(host_side_names),
		cmocka_unit_test(plan_newidmap),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
