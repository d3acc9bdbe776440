/* Unit tests for kernel/cgroup: human values, the v2 -> v1 table, layout
 * detection and the readers/writers of both backends, against fixture trees
 * (tests/unit/fixtures/cgroup/{v2,hybrid,v1}). Writes go to a copy in /tmp. */
#include <errno.h>
#include <fcntl.h>
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
#include "../../shell/kernel/cgroup.h"
#include "../../shell/kernel/syscalls.h"

#ifndef SRCDIR
#define SRCDIR "."
#endif
#define FIX SRCDIR "/tests/unit/fixtures/cgroup"

static void sizes(void **state)
{
	(void)state;
	int64_t v;
	assert_int_equal(cg_parse_size("64M", &v), 0);
	assert_int_equal(v, 67108864);
	assert_int_equal(cg_parse_size("1G", &v), 0);
	assert_int_equal(v, 1073741824);
	assert_int_equal(cg_parse_size("512k", &v), 0);
	assert_int_equal(v, 524288);
	assert_int_equal(cg_parse_size("512K", &v), 0);
	assert_int_equal(v, 524288);
	assert_int_equal(cg_parse_size("64MiB", &v), 0);
	assert_int_equal(v, 67108864);
	assert_int_equal(cg_parse_size("2T", &v), 0);
	assert_int_equal(v, 2LL << 40);
	assert_int_equal(cg_parse_size("4096", &v), 0);
	assert_int_equal(v, 4096);
	assert_int_equal(cg_parse_size("max", &v), 0);
	assert_true(v == CG_UNLIMITED);
	assert_int_equal(cg_parse_size("", &v), -EINVAL);
	assert_int_equal(cg_parse_size("-1", &v), -EINVAL);
	assert_int_equal(cg_parse_size("1.5G", &v), -EINVAL);
	assert_int_equal(cg_parse_size("12Q", &v), -EINVAL);
	assert_int_equal(cg_parse_size("M", &v), -EINVAL);
	assert_int_equal(cg_parse_size("64 M", &v), -EINVAL);
	assert_int_equal(cg_parse_size("99999999999999999999", &v), -ERANGE);
	assert_int_equal(cg_parse_size("9999999999T", &v), -ERANGE);
}

static void cpu_forms(void **state)
{
	(void)state;
	int64_t q, p;
	assert_int_equal(cg_parse_cpu("50%", &q, &p), 0);
	assert_int_equal(q, 50000);
	assert_int_equal(p, 100000);
	assert_int_equal(cg_parse_cpu("150%", &q, &p), 0);
	assert_int_equal(q, 150000);
	assert_int_equal(cg_parse_cpu("1%", &q, &p), 0);
	assert_int_equal(q, 1000);
	assert_int_equal(cg_parse_cpu("max", &q, &p), 0);
	assert_true(q == CG_UNLIMITED);
	assert_int_equal(cg_parse_cpu("25000 50000", &q, &p), 0);
	assert_int_equal(q, 25000);
	assert_int_equal(p, 50000);
	assert_int_equal(cg_parse_cpu("max 50000", &q, &p), 0);
	assert_true(q == CG_UNLIMITED);
	assert_int_equal(p, 50000);
	assert_int_equal(cg_parse_cpu("20000", &q, &p), 0);
	assert_int_equal(p, 100000);
	assert_int_equal(cg_parse_cpu("0%", &q, &p), -ERANGE);
	assert_int_equal(cg_parse_cpu("%", &q, &p), -EINVAL);
	assert_int_equal(cg_parse_cpu("fast", &q, &p), -EINVAL);
	assert_int_equal(cg_parse_cpu("500", &q, &p), -ERANGE); /* below 1 ms */
	assert_int_equal(cg_parse_cpu("50% 100000", &q, &p), -EINVAL);
	assert_int_equal(cg_parse_cpu("1000 10", &q, &p), -ERANGE);
	assert_int_equal(cg_parse_cpu("1 2 3", &q, &p), -EINVAL);
}

static void values_by_file(void **state)
{
	(void)state;
	char out[64];
	struct nerr e = { 0 };
	assert_int_equal(cg_value(cg_file_find("memory.max"), "64M", out, sizeof(out), &e), 0);
	assert_string_equal(out, "67108864");
	assert_int_equal(cg_value(cg_file_find("memory.max"), "max", out, sizeof(out), &e), 0);
	assert_string_equal(out, "max");
	assert_int_equal(cg_value(cg_file_find("cpu.max"), "50%", out, sizeof(out), &e), 0);
	assert_string_equal(out, "50000 100000");
	assert_int_equal(cg_value(cg_file_find("cpu.max"), "max", out, sizeof(out), &e), 0);
	assert_string_equal(out, "max 100000");
	assert_int_equal(cg_value(cg_file_find("pids.max"), "50", out, sizeof(out), &e), 0);
	assert_string_equal(out, "50");
	assert_int_equal(cg_value(cg_file_find("pids.max"), "lots", out, sizeof(out), &e), -EINVAL);
	assert_non_null(e.why);
	assert_string_equal(e.call, "value");
	assert_int_equal(cg_value(cg_file_find("memory.oom.group"), "2", out, sizeof(out), &e),
			 -EINVAL);
	assert_int_equal(cg_value(cg_file_find("cpu.weight"), "0", out, sizeof(out), &e), -ERANGE);
	assert_int_equal(cg_value(cg_file_find("memory.current"), "1", out, sizeof(out), &e), -EROFS);
}

static void fmt_sizes(void **state)
{
	(void)state;
	char b[32];
	assert_string_equal(cg_fmt_size(67108864, b, sizeof(b)), "64M");
	assert_string_equal(cg_fmt_size(1073741824, b, sizeof(b)), "1G");
	assert_string_equal(cg_fmt_size(524288, b, sizeof(b)), "512k");
	assert_string_equal(cg_fmt_size(1500000, b, sizeof(b)), "1.4M");
	assert_string_equal(cg_fmt_size(100, b, sizeof(b)), "100");
	assert_string_equal(cg_fmt_size(CG_UNLIMITED, b, sizeof(b)), "max");
	assert_string_equal(cg_fmt_size(CG_UNKNOWN, b, sizeof(b)), "?");
}

static void keyed_files(void **state)
{
	(void)state;
	int64_t v;
	const char *ev = "low 0\nhigh 0\nmax 12\noom 1\noom_kill 3\n";
	assert_int_equal(cg_kv(ev, "max", &v), 0);
	assert_int_equal(v, 12);
	assert_int_equal(cg_kv(ev, "oom", &v), 0);
	assert_int_equal(v, 1);
	assert_int_equal(cg_kv(ev, "oom_kill", &v), 0);
	assert_int_equal(v, 3);
	assert_int_equal(cg_kv(ev, "oom_group_kill", &v), -ENOENT);
	assert_int_equal(cg_kv("max max\n", "max", &v), 0);
	assert_true(v == CG_UNLIMITED);
}

/* The table: every row sound, v1 names unique, the v2-only rows as documented. */
static void file_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < cg_nfiles; i++) {
		const struct cg_file *f = &cg_files[i];
		assert_non_null(f->about);
		assert_true(f->ctrl <= CG_ANY);
		assert_ptr_equal(cg_file_find(f->v2), f);
		if (f->v1)
			assert_ptr_equal(cg_file_by_v1(f->v1), f);
		if (f->ctrl < CG_NCTRL)
			assert_memory_equal(f->v2, cg_ctrl_names[f->ctrl], strlen(cg_ctrl_names[f->ctrl]));
	}
	assert_string_equal(cg_file_find("memory.max")->v1, "memory.limit_in_bytes");
	assert_string_equal(cg_file_find("memory.current")->v1, "memory.usage_in_bytes");
	assert_string_equal(cg_file_find("cpu.max")->v1, "cpu.cfs_quota_us");
	assert_string_equal(cg_file_find("pids.max")->v1, "pids.max");
	assert_null(cg_file_find("memory.oom.group")->v1);
	assert_null(cg_file_find("memory.high")->v1);
	assert_ptr_equal(cg_file_by_v1("cpu.cfs_period_us"), cg_file_find("cpu.max"));
	assert_ptr_equal(cg_file_by_v1("memory.failcnt"), cg_file_find("memory.events"));
	assert_null(cg_file_find("memory.limit_in_bytes"));
}

static void detect_v2(void **state)
{
	(void)state;
	struct cg_sys s;
	assert_int_equal(cg_detect(FIX "/v2", &s), 0);
	assert_int_equal(s.layout, CG_LAYOUT_V2);
	assert_int_equal(s.version, 2);
	assert_true(cg_has(&s, CG_MEMORY) && cg_has(&s, CG_PIDS) && cg_has(&s, CG_CPU));
	assert_false(cg_has(&s, CG_CPUACCT));
	assert_string_equal(s.v2, FIX "/v2/sys/fs/cgroup");
	char w[PATH_MAX];
	cg_where(&s, "demo", w, sizeof(w));
	assert_string_equal(w, FIX "/v2/sys/fs/cgroup/nslab/demo");
}

static void detect_hybrid(void **state)
{
	(void)state;
	struct cg_sys s;
	assert_int_equal(cg_detect(FIX "/hybrid", &s), 0);
	assert_int_equal(s.layout, CG_LAYOUT_HYBRID);
	/* cgroup2 is there but holds no controllers: v1 does the work. */
	assert_int_equal(s.version, 1);
	assert_string_equal(s.v1[CG_MEMORY], FIX "/hybrid/sys/fs/cgroup/memory");
	/* cpu and cpuacct share one mount. */
	assert_string_equal(s.v1[CG_CPU], FIX "/hybrid/sys/fs/cgroup/cpu,cpuacct");
	assert_string_equal(s.v1[CG_CPU], s.v1[CG_CPUACCT]);
	char w[PATH_MAX];
	cg_where(&s, "demo", w, sizeof(w));
	assert_string_equal(w, FIX "/hybrid/sys/fs/cgroup/{memory,pids,cpu,cpuacct}/nslab/demo");
	assert_true(cg_exists(&s, "demo"));
	assert_false(cg_exists(&s, "nope"));
	assert_false(cg_exists(&s, "../demo"));
}

static void detect_v1_and_none(void **state)
{
	(void)state;
	struct cg_sys s;
	assert_int_equal(cg_detect(FIX "/v1", &s), 0);
	assert_int_equal(s.layout, CG_LAYOUT_V1);
	assert_int_equal(s.version, 1);
	assert_false(cg_has(&s, CG_CPUACCT));
	assert_int_equal(cg_detect(FIX "/missing", &s), -ENOENT);
	assert_null(s.ops);
	struct nerr e = { 0 };
	assert_int_equal(cg_create(&s, "x", &e), -ENODEV);
}

static void stats_v2(void **state)
{
	(void)state;
	struct cg_sys s;
	struct cg_stats st;
	struct nerr e = { 0 };
	cg_detect(FIX "/v2", &s);
	assert_int_equal(cg_stats(&s, "demo", &st, &e), 0);
	assert_int_equal(st.nprocs, 3);
	assert_int_equal(st.mem_max, 67108864);
	assert_int_equal(st.mem_current, 1048576);
	assert_int_equal(st.ev_max, 12);
	assert_int_equal(st.ev_oom, 1);
	assert_int_equal(st.ev_oom_kill, 1);
	assert_int_equal(st.pids_max, 50);
	assert_int_equal(st.pids_current, 3);
	assert_int_equal(st.pids_ev_max, 7);
	assert_int_equal(st.cpu_quota, 50000);
	assert_int_equal(st.cpu_period, 100000);
	assert_int_equal(st.cpu_usage_usec, 1500000);
	assert_int_equal(st.cpu_throttled, 60);
	assert_int_equal(st.cpu_throttled_usec, 1200000);
	assert_int_equal(cg_stats(&s, "nope", &st, &e), -ENOENT);
}

/* The same numbers, read from v1's files: the mapping is the test. */
static void stats_v1(void **state)
{
	(void)state;
	struct cg_sys s;
	struct cg_stats st;
	struct nerr e = { 0 };
	cg_detect(FIX "/hybrid", &s);
	assert_int_equal(cg_stats(&s, "demo", &st, &e), 0);
	assert_int_equal(st.nprocs, 2);
	assert_int_equal(st.mem_max, 67108864);
	assert_int_equal(st.mem_current, 2097152);
	assert_int_equal(st.ev_max, 12);        /* memory.failcnt */
	assert_int_equal(st.ev_oom_kill, 1);    /* memory.oom_control */
	assert_true(st.ev_oom == CG_UNKNOWN);   /* v1 has no such count */
	assert_int_equal(st.pids_ev_max, 7);
	assert_int_equal(st.cpu_quota, 50000);
	assert_int_equal(st.cpu_period, 100000);
	assert_int_equal(st.cpu_throttled, 60);
	assert_int_equal(st.cpu_throttled_usec, 1200000); /* throttled_time is in ns */
	assert_int_equal(st.cpu_usage_usec, 1500000);     /* cpuacct.usage */

	cg_detect(FIX "/v1", &s);
	assert_int_equal(cg_stats(&s, "free", &st, &e), 0);
	assert_true(st.mem_max == CG_UNLIMITED); /* 9223372036854771712 */
	assert_true(st.pids_max == CG_UNLIMITED);
	assert_true(st.cpu_quota == CG_UNLIMITED); /* -1 */
}

static void get_in_v2_form(void **state)
{
	(void)state;
	struct cg_sys s;
	char buf[256];
	struct nerr e = { 0 };
	cg_detect(FIX "/hybrid", &s);
	assert_true(cg_get(&s, "demo", "memory.max", buf, sizeof(buf), &e) > 0);
	assert_string_equal(buf, "67108864\n");
	assert_true(cg_get(&s, "demo", "cpu.max", buf, sizeof(buf), &e) > 0);
	assert_string_equal(buf, "50000 100000\n");
	assert_true(cg_get(&s, "demo", "memory.events", buf, sizeof(buf), &e) > 0);
	assert_non_null(strstr(buf, "max 12\n"));
	assert_non_null(strstr(buf, "oom_kill 1\n"));
	assert_true(cg_get(&s, "demo", "cpu.weight", buf, sizeof(buf), &e) > 0);
	assert_string_equal(buf, "39\n"); /* shares 1024 */
	assert_int_equal(cg_get(&s, "demo", "memory.oom.group", buf, sizeof(buf), &e), -EOPNOTSUPP);
	assert_non_null(e.why);
	cg_detect(FIX "/v1", &s);
	assert_true(cg_get(&s, "free", "memory.max", buf, sizeof(buf), &e) > 0);
	assert_string_equal(buf, "max\n");
	assert_true(cg_get(&s, "free", "cpu.max", buf, sizeof(buf), &e) > 0);
	assert_string_equal(buf, "max 100000\n");
	cg_detect(FIX "/v2", &s);
	assert_true(cg_get(&s, "demo", "memory.oom.group", buf, sizeof(buf), &e) > 0);
	assert_string_equal(buf, "0\n");
}

/* A scratch copy of a fixture tree, removed at teardown. */
static char scratch[64];

static int copy_tree(void **state)
{
	(void)state;
	snprintf(scratch, sizeof(scratch), "/tmp/nslab-cgtest-XXXXXX");
	if (!mkdtemp(scratch))
		return -1;
	char cmd[PATH_MAX + 128];
	snprintf(cmd, sizeof(cmd), "cp -a '%s/v2' '%s/hybrid' '%s/'", FIX, FIX, scratch);
	return system(cmd) == 0 ? 0 : -1;
}

static int rm_tree(void **state)
{
	(void)state;
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", scratch);
	return system(cmd) == 0 ? 0 : -1;
}

static void slurp(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "re");
	assert_non_null(f);
	size_t n = fread(buf, 1, len - 1, f);
	buf[n] = '\0';
	fclose(f);
}

static void set_v1_maps_files(void **state)
{
	(void)state;
	char root[PATH_MAX], p[PATH_MAX + 128], buf[128];
	struct cg_sys s;
	struct nerr e = { 0 };
	snprintf(root, sizeof(root), "%s/hybrid", scratch);
	assert_int_equal(cg_detect(root, &s), 0);
	assert_int_equal(cg_set(&s, "demo", "memory.max", "32M", &e), 0);
	snprintf(p, sizeof(p), "%s/sys/fs/cgroup/memory/nslab/demo/memory.limit_in_bytes", root);
	slurp(p, buf, sizeof(buf));
	assert_string_equal(buf, "33554432");
	assert_int_equal(cg_set(&s, "demo", "memory.max", "max", &e), 0);
	slurp(p, buf, sizeof(buf));
	assert_string_equal(buf, "-1");
	assert_int_equal(cg_set(&s, "demo", "cpu.max", "25%", &e), 0);
	snprintf(p, sizeof(p), "%s/sys/fs/cgroup/cpu,cpuacct/nslab/demo/cpu.cfs_quota_us", root);
	slurp(p, buf, sizeof(buf));
	assert_string_equal(buf, "25000");
	snprintf(p, sizeof(p), "%s/sys/fs/cgroup/cpu,cpuacct/nslab/demo/cpu.cfs_period_us", root);
	slurp(p, buf, sizeof(buf));
	assert_string_equal(buf, "100000");
	assert_int_equal(cg_set(&s, "demo", "cpu.weight", "100", &e), 0);
	snprintf(p, sizeof(p), "%s/sys/fs/cgroup/cpu,cpuacct/nslab/demo/cpu.shares", root);
	slurp(p, buf, sizeof(buf));
	assert_string_equal(buf, "2597"); /* runc and crun map the whole range, not the defaults */
	/* v2 only: said, not guessed. */
	assert_int_equal(cg_set(&s, "demo", "memory.oom.group", "1", &e), -EOPNOTSUPP);
	assert_string_equal(e.call, "cgroup");
	assert_non_null(e.why);
	/* Bad values never reach the kernel. */
	assert_int_equal(cg_set(&s, "demo", "memory.max", "lots", &e), -EINVAL);
	assert_string_equal(e.call, "value");
	/* A write the kernel (here: the file system) refuses names the file. */
	assert_int_equal(cg_set(&s, "demo", "pids.max", "5", &e), 0);
	assert_int_equal(cg_set(&s, "gone", "pids.max", "5", &e), -ENOENT);
	assert_non_null(strstr(e.what, "nslab/gone/pids.max"));
}

static void set_v2_and_create(void **state)
{
	(void)state;
	char root[PATH_MAX], p[PATH_MAX + 128], buf[128];
	struct cg_sys s;
	struct nerr e = { 0 };
	snprintf(root, sizeof(root), "%s/v2", scratch);
	assert_int_equal(cg_detect(root, &s), 0);
	assert_int_equal(cg_set(&s, "demo", "cpu.max", "50%", &e), 0);
	snprintf(p, sizeof(p), "%s/sys/fs/cgroup/nslab/demo/cpu.max", root);
	slurp(p, buf, sizeof(buf));
	assert_string_equal(buf, "50000 100000");
	assert_int_equal(cg_set(&s, "demo", "memory.oom.group", "1", &e), 0);
	/* Names stay under nslab/. */
	assert_int_equal(cg_set(&s, "../x", "pids.max", "5", &e), -EINVAL);
	assert_int_equal(cg_set(&s, "demo", "../../x", "5", &e), -EINVAL);
	assert_int_equal(cg_create(&s, "demo", &e), -EEXIST);
	assert_int_equal(cg_create(&s, "fresh", &e), 0);
	assert_true(cg_exists(&s, "fresh"));
	char **names;
	size_t n;
	assert_int_equal(cg_list(&s, &names, &n), 2);
	assert_string_equal(names[0], "demo");
	assert_string_equal(names[1], "fresh");
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	int killed = -1;
	assert_int_equal(cg_remove(&s, "fresh", &killed, &e), 0);
	assert_int_equal(killed, 0);
	assert_false(cg_exists(&s, "fresh"));
	assert_int_equal(cg_remove(&s, "fresh", &killed, &e), 0); /* idempotent */
}

static void create_v1_every_hierarchy(void **state)
{
	(void)state;
	char root[PATH_MAX], p[PATH_MAX + 128];
	struct cg_sys s;
	struct nerr e = { 0 };
	snprintf(root, sizeof(root), "%s/hybrid", scratch);
	cg_detect(root, &s);
	assert_int_equal(cg_create(&s, "made", &e), 0);
	static const char *const h[] = { "memory", "pids", "cpu,cpuacct" };
	struct stat st;
	for (size_t i = 0; i < 3; i++) {
		snprintf(p, sizeof(p), "%s/sys/fs/cgroup/%s/nslab/made", root, h[i]);
		assert_int_equal(stat(p, &st), 0);
	}
	assert_int_equal(cg_remove(&s, "made", NULL, &e), 0);
	for (size_t i = 0; i < 3; i++) {
		snprintf(p, sizeof(p), "%s/sys/fs/cgroup/%s/nslab/made", root, h[i]);
		assert_int_equal(stat(p, &st), -1);
	}
}

/* The plan: the shell makes the cgroup, clones the box, and moves its PID 1
 * in before letting it go on. */
static void plan_joins_before_box_steps(void **state)
{
	(void)state;
	struct box_spec spec;
	struct box_plan p;
	struct nerr e = { 0 };
	box_spec_init(&spec, "b1");
	spec.ns = CLONE_NEWNS | CLONE_NEWPID;
	snprintf(spec.rootfs, sizeof(spec.rootfs), "/nonexistent");
	assert_int_equal(box_plan(&spec, "/run/nslab/1/boxes/b1", &p, &e), 0);
	assert_string_equal(p.cgroup, "");
	snprintf(spec.cg_memory, sizeof(spec.cg_memory), "67108864");
	int r = box_plan(&spec, "/run/nslab/1/boxes/b1", &p, &e);
	if (!cg_has(cg_host(), CG_MEMORY)) {
		/* No memory controller here: the plan says so instead of failing later. */
		assert_int_equal(r, -ENODEV);
		return;
	}
	assert_int_equal(r, 0);
	char want[64];
	snprintf(want, sizeof(want), "%d-b1", (int)getpid());
	assert_string_equal(p.cgroup, want);
	int make = -1, join = -1, clone = -1;
	for (int i = 0; i < p.n; i++) {
		if (p.steps[i].op == ST_CGROUP)
			make = i;
		if (p.steps[i].op == ST_CGJOIN)
			join = i;
		if (p.steps[i].op == ST_CLONE)
			clone = i;
	}
	assert_true(make >= 0 && clone > make && join > clone);
	assert_int_equal(p.steps[make].where, IN_SHELL);
	assert_int_equal(p.steps[join].where, IN_SHELL);
	/* Before any step of the box itself. */
	for (int i = 0; i < join; i++)
		assert_int_not_equal(p.steps[i].where, IN_BOX);
	assert_non_null(strstr(p.steps[make].text, "memory.max = 67108864"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(sizes),
		cmocka_unit_test(cpu_forms),
		cmocka_unit_test(values_by_file),
		cmocka_unit_test(fmt_sizes),
		cmocka_unit_test(keyed_files),
		cmocka_unit_test(file_table),
		cmocka_unit_test(detect_v2),
		cmocka_unit_test(detect_hybrid),
		cmocka_unit_test(detect_v1_and_none),
		cmocka_unit_test(stats_v2),
		cmocka_unit_test(stats_v1),
		cmocka_unit_test(get_in_v2_form),
		cmocka_unit_test_setup_teardown(set_v1_maps_files, copy_tree, rm_tree),
		cmocka_unit_test_setup_teardown(set_v2_and_create, copy_tree, rm_tree),
		cmocka_unit_test_setup_teardown(create_v1_every_hierarchy, copy_tree, rm_tree),
		cmocka_unit_test(plan_joins_before_box_steps),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
