/* test_ui_model.c - the pane's model against a fixture /proc tree, its text
 * rendering, and the layout arithmetic. */
#include <fcntl.h>
#include <limits.h>
#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "../../shell/kernel/cgroup.h"
#include "../../shell/kernel/trace.h"
#include "../../shell/ui/draw.h"
#include "../../shell/ui/model.h"
#include "../../shell/ui/pane.h"
#include "../../shell/ui/render.h"

static char root[PATH_MAX]; /* the fixture: root/proc, root/run, root/cg */

static void wfile(const char *rel, const char *fmt, ...)
{
	char path[PATH_MAX + 64];
	snprintf(path, sizeof(path), "%s/%s", root, rel);
	/* mkdir -p the parent */
	for (char *s = path + strlen(root) + 1; (s = strchr(s, '/')); s++) {
		*s = '\0';
		mkdir(path, 0755);
		*s = '/';
	}
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	va_list ap;
	va_start(ap, fmt);
	vfprintf(f, fmt, ap);
	va_end(ap);
	fclose(f);
}

static const char *const nsnames[] = { "mnt", "uts", "ipc", "pid", "net", "user", "cgroup", "time" };
#define HOSTID(k) (4026531830ULL + (k))

/* ns ids: the host's, except where @ids gives one (0 = host's). */
static void set_ns(int pid, const unsigned long long ids[8])
{
	char dir[PATH_MAX + 64];
	snprintf(dir, sizeof(dir), "%s/proc/%d/ns", root, pid);
	mkdir(dir, 0755);
	for (int k = 0; k < 8; k++) {
		char link[PATH_MAX + 80], target[64];
		snprintf(link, sizeof(link), "%s/%s", dir, nsnames[k]);
		snprintf(target, sizeof(target), "%s:[%llu]", nsnames[k],
			 ids && ids[k] ? ids[k] : HOSTID(k));
		unlink(link);
		assert_int_equal(symlink(target, link), 0);
	}
}

static void add_proc(int pid, int ppid, const char *comm, unsigned long long start,
		     const char *nspid, const char *children, const unsigned long long ids[8])
{
	char rel[128];
	snprintf(rel, sizeof(rel), "proc/%d/stat", pid);
	/* pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt
	 * utime stime cutime cstime priority nice num_threads itrealvalue starttime ... */
	wfile(rel, "%d (%s) S %d 1 1 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 %llu 100 0\n", pid, comm,
	      ppid, start);
	snprintf(rel, sizeof(rel), "proc/%d/status", pid);
	wfile(rel, "Name:\t%s\nState:\tS (sleeping)\nNSpid:\t%s\nPPid:\t%d\n", comm, nspid, ppid);
	snprintf(rel, sizeof(rel), "proc/%d/task/%d/children", pid, pid);
	wfile(rel, "%s", children);
	snprintf(rel, sizeof(rel), "proc/%d/cgroup", pid);
	wfile(rel, "0::%s\n", pid >= 100 ? "/nslab/b1" : "/user.slice");
	set_ns(pid, ids);
}

static const unsigned long long box_ids[8] = { 4026532290ULL, 4026532291ULL, 0, 4026532292ULL,
						0, 0, 0, 0 };
static const unsigned long long net_ids[8] = { 4026532290ULL, 4026532291ULL, 0, 4026532292ULL,
						4026532299ULL, 0, 0, 0 };

static const unsigned long long run_ids[8] = { 4026532290ULL, 4026532291ULL, 0, 0, 0, 0, 0, 0 };

/* host PID 1; box b1: 100 (=1) -> 101 sh (=2) -> 103 ls (=4); 100 -> 102 sleep (=3, new net). */
static int setup(void **state)
{
	(void)state;
	snprintf(root, sizeof(root), "/tmp/nslab-ui-test.XXXXXX");
	assert_non_null(mkdtemp(root));
	add_proc(1, 0, "init", 10, "1", "42 ", NULL);
	/* The nslab shell (session 42): the box is its child (CLONE_PARENT), and so is
	 * the helper of `run`, which entered mnt and uts with setns, then forked into
	 * the box's pid namespace. */
	add_proc(42, 1, "nslab", 4000, "42", "100 200 ", NULL);
	add_proc(200, 42, "nslab", 6000, "200", "201 ", run_ids);
	add_proc(201, 200, "hostname", 6001, "201\t5", "", box_ids);
	add_proc(100, 42, "nslab-init", 5000, "100\t1", "102 101 ", box_ids);
	add_proc(101, 100, "sh", 5001, "101\t2", "103 ", box_ids);
	add_proc(102, 100, "sleep", 5002, "102\t3", "", net_ids);
	add_proc(103, 101, "ls", 5003, "103\t4", "", box_ids);
	wfile("run/42/boxes/b1/pid", "100 5000\n");
	wfile("run/43/boxes/stale/pid", "101 777\n"); /* pid reused: starttime differs */
	wfile("cg/cgroup.controllers", "memory pids\n");
	wfile("cg/nslab/b1/memory.current", "1258291\n");
	wfile("cg/nslab/b1/memory.max", "67108864\n");
	wfile("cg/nslab/b1/pids.current", "4\n");
	wfile("cg/nslab/b1/pids.max", "max\n");
	wfile("cg/nslab/b1/cpu.stat", "usage_usec 30000\nuser_usec 20000\n");
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	char cmd[PATH_MAX + 16];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	return system(cmd);
}

static int open_fixture(struct ui_model *m)
{
	char p[PATH_MAX + 16], run[PATH_MAX + 16], cg[PATH_MAX + 16];
	snprintf(p, sizeof(p), "%s/proc", root);
	snprintf(run, sizeof(run), "%s/run", root);
	snprintf(cg, sizeof(cg), "%s/cg", root);
	int fd = open(p, O_PATH | O_DIRECTORY);
	assert_true(fd >= 0);
	assert_int_equal(ui_model_init(m, fd, run, cg, 1), 0);
	m->self_session = 42;
	return fd;
}

static void test_focus_box(void **state)
{
	(void)state;
	struct ui_model m;
	int fd = open_fixture(&m);
	struct ui_want w = { .pid = 100, .name = "b1", .session = 42, .current = "b1" };
	assert_int_equal(ui_model_scan(&m, &w, 1000), 0);
	struct ui_snap *sn = &m.snap;
	assert_int_equal(sn->nt, 1);
	const struct ui_target *t = &sn->t[0];
	assert_string_equal(t->name, "b1");
	assert_true(t->current);
	/* Different exactly in mnt, uts, pid: what the fixture's links say. */
	assert_int_equal(t->differs, (1u << NS_MNT) | (1u << NS_UTS) | (1u << NS_PID));
	assert_int_equal(t->flash, 0); /* the first look is not a change */
	assert_int_equal(t->total, 6);
	assert_int_equal(t->count, 6);
	/* pstree order: children by pid, depth first. */
	const struct ui_proc *p = &sn->procs[t->first];
	assert_int_equal(p[0].p.pid, 100);
	assert_int_equal(p[0].p.nspid, 1);
	assert_int_equal(p[0].depth, 0);
	assert_int_equal(p[0].ns_new, t->differs);
	assert_int_equal(p[1].p.pid, 101);
	assert_int_equal(p[1].p.nspid, 2);
	assert_int_equal(p[1].depth, 1);
	assert_false(p[1].last);
	assert_int_equal(p[1].ns_new, 0);
	assert_int_equal(p[2].p.pid, 103);
	assert_int_equal(p[2].depth, 2);
	assert_true(p[2].last);
	assert_int_equal(p[2].more, 1); /* the guide line of level 1 goes on (102 follows) */
	assert_int_equal(p[3].p.pid, 102);
	assert_true(p[3].last);
	assert_int_equal(p[3].ns_new, 1u << NS_NET);
	/* run's helper joined mnt and uts (setns); its child is inside the pid namespace. */
	assert_int_equal(p[4].p.pid, 200);
	assert_int_equal(p[4].depth, 0);
	assert_int_equal(p[4].ns_new, (1u << NS_MNT) | (1u << NS_UTS));
	assert_int_equal(p[5].p.pid, 201);
	assert_int_equal(p[5].p.nspid, 5);
	assert_int_equal(p[5].depth, 1);
	assert_int_equal(p[5].ns_new, 1u << NS_PID);
	/* cgroup v2 figures from the fixture's files */
	assert_true(t->cg.have);
	assert_int_equal(t->cg.version, 2);
	assert_string_equal(t->cg.path, "/nslab/b1");
	assert_int_equal(t->cg.mem_cur, 1258291);
	assert_int_equal(t->cg.mem_max, 67108864);
	assert_int_equal(t->cg.pids_cur, 4);
	assert_true(t->cg.pids_max == UI_UNLIMITED);
	assert_int_equal(t->cg.cpu_usec, 30000);
	assert_false(t->cg.same_as_host);
	ui_model_free(&m);
	close(fd);
}

#ifndef SRCDIR
#define SRCDIR "."
#endif

/* A box in a cgroup nslab made: the figures come through kernel/cgroup
 * (cg_stats), here on the v2 fixture tree of test_cgroup. */
static void test_nslab_cgroup(void **state)
{
	(void)state;
	struct ui_model m;
	int fd = open_fixture(&m);
	struct cg_sys sys;
	assert_int_equal(cg_detect(SRCDIR "/tests/unit/fixtures/cgroup/v2", &sys), 0);
	m.cgsys = &sys;
	wfile("proc/100/cgroup", "0::/nslab/demo\n");
	struct ui_want w = { .pid = 100, .name = "b1" };
	assert_int_equal(ui_model_scan(&m, &w, 1000), 0);
	const struct ui_cg *cg = &m.snap.t[0].cg;
	assert_int_equal(cg->version, 2);
	assert_string_equal(cg->path, "/nslab/demo");
	assert_int_equal(cg->mem_cur, 1048576);
	assert_int_equal(cg->mem_max, 67108864);
	assert_int_equal(cg->pids_cur, 3);
	assert_int_equal(cg->pids_max, 50);
	assert_int_equal(cg->cpu_usec, 1500000);
	ui_model_free(&m);
	close(fd);
}

static void test_all_boxes(void **state)
{
	(void)state;
	struct ui_model m;
	int fd = open_fixture(&m);
	struct ui_want w = { 0 };
	assert_int_equal(ui_model_scan(&m, &w, 1000), 0);
	/* b1 is live; "stale" names pid 101 with another starttime: not a box. */
	assert_int_equal(m.snap.nt, 1);
	assert_string_equal(m.snap.t[0].name, "b1");
	assert_int_equal(m.snap.t[0].session, 42);
	assert_false(m.snap.focus);
	ui_model_free(&m);
	close(fd);
}

static void test_no_boxes(void **state)
{
	(void)state;
	struct ui_model m;
	int fd = open_fixture(&m);
	char cmd[PATH_MAX + 32];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s/run'", root);
	assert_int_equal(system(cmd), 0);
	struct ui_want w = { .calls = true };
	assert_int_equal(ui_model_scan(&m, &w, 1000), 0);
	assert_int_equal(m.snap.nt, 0);
	assert_int_equal(m.snap.nprocs, 0);
	assert_int_equal(ui_model_scan(&m, &w, 2000), 0);
	size_t len;
	char *buf = NULL;
	FILE *f = open_memstream(&buf, &len);
	ui_render_text(&m.snap, f);
	fclose(f);
	assert_non_null(strstr(buf, "\nmnt     4026531830\n"));
	assert_non_null(strstr(buf, "no box yet: try  box new b1 --ns pid,uts"));
	free(buf);
	ui_model_free(&m);
	close(fd);
}

static void test_changes_flash(void **state)
{
	(void)state;
	struct ui_model m;
	int fd = open_fixture(&m);
	struct ui_want w = { .pid = 100, .name = "b1" };
	assert_int_equal(ui_model_scan(&m, &w, 1000), 0);
	unsigned v1 = m.snap.version;
	/* Same state: nothing changed, the version stays. */
	assert_int_equal(ui_model_scan(&m, &w, 1500), 0);
	assert_int_equal(m.snap.version, v1);
	/* PID 1 of the box moves to another ipc namespace (setns). */
	unsigned long long ids[8];
	memcpy(ids, box_ids, sizeof(ids));
	ids[NS_IPC] = 4026532300ULL;
	set_ns(100, ids);
	assert_int_equal(ui_model_scan(&m, &w, 2000), 0);
	assert_true(m.snap.t[0].differs & (1u << NS_IPC));
	assert_int_equal(m.snap.t[0].flash, 1u << NS_IPC);
	assert_true(m.snap.version > v1);
	/* A new process appears: it is fresh for a moment. */
	add_proc(104, 101, "cat", 5004, "104\t5", "", box_ids);
	wfile("proc/101/task/101/children", "103 104 ");
	assert_int_equal(ui_model_scan(&m, &w, 2100), 0);
	const struct ui_proc *p = &m.snap.procs[m.snap.t[0].first];
	assert_int_equal(m.snap.t[0].count, 5);
	assert_int_equal(p[3].p.pid, 104);
	assert_true(p[3].fresh);
	assert_false(p[2].fresh);
	/* ... and the highlights go after UI_FLASH_MS. */
	assert_int_equal(ui_model_scan(&m, &w, 2100 + UI_FLASH_MS), 0);
	assert_int_equal(m.snap.t[0].flash, 0);
	p = &m.snap.procs[m.snap.t[0].first];
	assert_false(p[3].fresh);
	ui_model_free(&m);
	close(fd);
}

static void test_cache_keyed_by_start(void **state)
{
	(void)state;
	struct ui_model m;
	int fd = open_fixture(&m);
	struct ui_want w = { .pid = 100, .name = "b1" };
	assert_int_equal(ui_model_scan(&m, &w, 1000), 0);
	/* Known process, same starttime: its ids come from the cache, /proc/102/ns is not read again. */
	char dir[PATH_MAX + 32];
	snprintf(dir, sizeof(dir), "rm -rf '%s/proc/102/ns' '%s/proc/102/status'", root, root);
	assert_int_equal(system(dir), 0);
	assert_int_equal(ui_model_scan(&m, &w, 1200), 0);
	const struct ui_proc *p = &m.snap.procs[m.snap.t[0].first];
	assert_int_equal(p[3].p.pid, 102);
	assert_int_equal(p[3].p.ns[NS_NET], 4026532299ULL);
	assert_int_equal(p[3].p.nspid, 3);
	/* The pid is reused (new starttime): everything is read afresh. */
	add_proc(102, 100, "sleep", 9999, "102\t7", "", box_ids);
	assert_int_equal(ui_model_scan(&m, &w, 1400), 0);
	p = &m.snap.procs[m.snap.t[0].first];
	assert_int_equal(p[3].p.nspid, 7);
	assert_int_equal(p[3].p.ns[NS_NET], HOSTID(NS_NET));
	assert_int_equal(p[3].ns_new, 0);
	ui_model_free(&m);
	close(fd);
}

static char *render(struct ui_snap *sn, size_t *len)
{
	char *buf = NULL;
	FILE *f = open_memstream(&buf, len);
	ui_render_text(sn, f);
	fclose(f);
	return buf;
}

static void test_render_text(void **state)
{
	(void)state;
	struct ui_model m;
	int fd = open_fixture(&m);
	struct ui_want w = { .pid = 100, .name = "b1", .session = 42 };
	assert_int_equal(ui_model_scan(&m, &w, 1000), 0);
	size_t len;
	char *txt = render(&m.snap, &len);
	assert_non_null(strstr(txt, "\nmnt     4026531830   4026532290 *\n"));
	assert_non_null(strstr(txt, "\nipc     4026531832   4026531832\n"));
	assert_non_null(strstr(txt, "\npid     4026531833   4026532292 *\n"));
	assert_non_null(strstr(txt, "box b1: 6 processes\n"));
	assert_non_null(strstr(txt, "\nnslab(200)  ◆ mnt uts\n└─ hostname(201=5)  ◆ pid\n"));
	assert_non_null(strstr(txt, "nslab-init(100=1)  ◆ mnt uts pid\n"));
	assert_non_null(strstr(txt, "├─ sh(101=2)\n"));
	assert_non_null(strstr(txt, "│  └─ ls(103=4)\n"));
	assert_non_null(strstr(txt, "└─ sleep(102=3)  ◆ net\n"));
	assert_non_null(strstr(txt, "memory 1.2M/64.0M  pids 4/max  cpu 0.03s"));
	free(txt);
	ui_model_free(&m);
	close(fd);
}

/* A cgroup path too long for the pane loses its head at a '/', never the
 * middle of a name; a box without a cgroup of its own shows no figures. */
static void test_cg_path_cut(void **state)
{
	(void)state;
	struct ui_snap sn;
	memset(&sn, 0, sizeof(sn));
	sn.nt = 1;
	struct ui_target *t = &sn.t[0];
	snprintf(t->name, sizeof(t->name), "web");
	t->cg.have = true;
	t->cg.version = 1;
	snprintf(t->cg.path, sizeof(t->cg.path), "/user.slice/user-1000.slice/session-12.scope/nslab/4321-web");
	struct ui_block b = { 0 };
	ui_render_block(&sn, UB_CG, 40, &b);
	assert_true(b.n >= 2);
	const char *line = b.l[1].text;
	/* The head goes at a '/': "…/session-12.scope/nslab/4321-web". */
	assert_non_null(strstr(line, "…/"));
	assert_non_null(strstr(line, "/nslab/4321-web"));
	assert_null(strstr(line, "1000"));
	assert_true(b.l[1].width <= 40);
	ui_block_free(&b);
}

static void test_calls(void **state)
{
	(void)state;
	struct ui_model m;
	int fd = open_fixture(&m);
	tr_call(100, 0, "clone(CLONE_NEWPID)");
	tr_call(-1, 1, "setns(pidfd_open(100), CLONE_NEWNET)");
	struct ui_want w = { .pid = 100, .calls = true };
	assert_int_equal(ui_model_scan(&m, &w, 1000), 0);
	assert_true(m.snap.ncalls >= 2);
	size_t n = m.snap.ncalls;
	assert_string_equal(m.snap.calls[n - 1].r.text, "setns(pidfd_open(100), CLONE_NEWNET)");
	size_t len;
	char *txt = render(&m.snap, &len);
	assert_non_null(strstr(txt, "✗ setns(pidfd_open(100), CLONE_NEWNET) = -1 EPERM\n"));
	assert_non_null(strstr(txt, "✓ clone(CLONE_NEWPID) = 100\n"));
	free(txt);
	ui_model_free(&m);
	close(fd);
}

static void test_width(void **state)
{
	(void)state;
	assert_int_equal(ui_width("abc"), 3);
	assert_int_equal(ui_width("네임스페이스"), 12);
	assert_int_equal(ui_width("└─ sh"), 5);
}

static void test_layout(void **state)
{
	(void)state;
	struct ui_layout l;
	ui_layout(30, 100, &l); /* the tmux test's size */
	assert_int_equal(l.kind, UL_STACKED);
	assert_int_equal(l.pane.y, 0);
	assert_int_equal(l.pane.w, 100);
	assert_true(l.pane.h >= 12);
	assert_int_equal(l.prompt.y, 29);
	assert_int_equal(l.out.y + l.out.h, 29);
	assert_int_equal(l.rule.y, l.pane.h);

	ui_layout(40, 160, &l);
	assert_int_equal(l.kind, UL_WIDE);
	assert_int_equal(l.pane.x + l.pane.w, 160);
	assert_int_equal(l.pane.h, 40);
	assert_int_equal(l.out.w + 1 + l.pane.w, 160);
	assert_int_equal(l.prompt.w, l.out.w);

	ui_layout(24, 120, &l);
	assert_int_equal(l.kind, UL_WIDE);
	ui_layout(24, 119, &l);
	assert_int_equal(l.kind, UL_STACKED);
	ui_layout(23, 200, &l);
	assert_int_equal(l.kind, UL_OFF);
	assert_int_equal(l.notice.h, 1);
	assert_int_equal(l.pane.h, 0);
	ui_layout(24, 79, &l);
	assert_int_equal(l.kind, UL_OFF);
	assert_int_equal(l.prompt.y, 23);
	ui_layout(1, 10, &l);
	assert_int_equal(l.kind, UL_OFF);
	assert_int_equal(l.prompt.y, 0);

	/* Inside the pane: two columns when 90 wide or more. */
	int want[UB_COUNT] = { 10, 3, 8, 4 };
	struct ui_pane_layout pl;
	/* 100x12 (stacked, 30 rows): the table fills the left, cgroups go right. */
	ui_pane_layout((struct ui_rect){ 0, 0, 12, 100 }, want, 36, &pl);
	assert_true(pl.two_columns);
	assert_int_equal(pl.block[UB_NS].h, 10);
	assert_int_equal(pl.block[UB_NS].w, 36);
	assert_int_equal(pl.block[UB_TREE].x, 37);
	assert_int_equal(pl.block[UB_CG].x, 37);
	assert_int_equal(pl.block[UB_TREE].h, 4);
	assert_int_equal(pl.block[UB_CG].h, 3);
	assert_int_equal(pl.block[UB_CALLS].h, 4);
	assert_int_equal(pl.block[UB_CALLS].y + pl.block[UB_CALLS].h, 12);
	/* Taller: cgroups fit under the table. */
	ui_pane_layout((struct ui_rect){ 0, 0, 20, 100 }, want, 36, &pl);
	assert_int_equal(pl.block[UB_CG].x, 0);
	assert_int_equal(pl.block[UB_CG].y, 11);
	assert_int_equal(pl.block[UB_TREE].h, 8 + 4 + 3);
	/* One column (the wide layout's pane): table, cgroups, tree, calls. */
	ui_pane_layout((struct ui_rect){ 0, 0, 40, 64 }, want, 36, &pl);
	assert_false(pl.two_columns);
	assert_int_equal(pl.block[UB_NS].y, 1);
	assert_int_equal(pl.block[UB_CG].y, 11);
	assert_int_equal(pl.block[UB_TREE].y, 14);
	assert_int_equal(pl.block[UB_CALLS].h, 4);
	assert_int_equal(pl.block[UB_CALLS].y + 4, 40);
	/* Short pane: the tree keeps 4 rows before the others get any. */
	ui_pane_layout((struct ui_rect){ 0, 0, 16, 64 }, want, 36, &pl);
	assert_int_equal(pl.block[UB_TREE].h, 4);
	assert_int_equal(pl.block[UB_CG].h, 1);
	assert_int_equal(pl.block[UB_CALLS].h, 0);
}

static void test_top_keys(void **state)
{
	(void)state;
	assert_int_equal(ui_top_key('q'), UA_QUIT);
	assert_int_equal(ui_top_key(3), UA_QUIT); /* Ctrl-C leaves top, not the shell */
	assert_int_equal(ui_top_key(033), UA_QUIT);
	assert_int_equal(ui_top_key('b'), UA_TOGGLE_BIG);
	assert_int_equal(ui_top_key(12), UA_REDRAW);
	assert_int_equal(ui_top_key('x'), UA_NONE);
}

int main(void)
{
	setlocale(LC_ALL, "C.UTF-8");
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_focus_box, setup, teardown),
		cmocka_unit_test_setup_teardown(test_nslab_cgroup, setup, teardown),
		cmocka_unit_test_setup_teardown(test_all_boxes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_boxes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_changes_flash, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cache_keyed_by_start, setup, teardown),
		cmocka_unit_test_setup_teardown(test_render_text, setup, teardown),
		cmocka_unit_test_setup_teardown(test_calls, setup, teardown),
		cmocka_unit_test(test_cg_path_cut),
		cmocka_unit_test(test_width),
		cmocka_unit_test(test_layout),
		cmocka_unit_test(test_top_keys),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
