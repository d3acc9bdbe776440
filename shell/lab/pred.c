/* pred.c - the predicates a lab's check block may use: one table, one
 * function per predicate. Each looks at kernel state (/proc, the box table,
 * or the kernel asked from inside a namespace), never at what was typed, and
 * says what it saw, so a failed check teaches something.
 *
 * To add a predicate: write `static bool p_NAME(struct lab_snap *s, int argc,
 * char **argv, char *saw, size_t len)` (argv = the words after the name),
 * optionally a validator for load time, add one row to lab_preds[] and one
 * row to the table in docs-en/labs-format.md (and docs-ko). */
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "../box/box.h"
#include "../cmd/cmd.h"
#include "../i18n.h"
#include "../kernel/cgroup.h"
#include "../kernel/cleanup.h"
#include "../kernel/lsm.h"
#include "../kernel/ns.h"
#include "../kernel/nsquery.h"
#include "../kernel/procfs.h"
#include "../kernel/trace.h"
#include "check_security.h"
#include "lab.h"

#ifndef SYS_openat2
#define SYS_openat2 437
#endif

void lab_snap_init(struct lab_snap *s, struct nslab *ctx, int last_status, bool have_status)
{
	memset(s, 0, sizeof(*s));
	s->ctx = ctx;
	s->proc = proc_open_root();
	s->last_status = last_status;
	s->have_status = have_status;
}

void lab_snap_free(struct lab_snap *s)
{
	if (s->proc >= 0)
		close(s->proc);
	s->proc = -1;
	if (s->have_tree)
		ptree_free(&s->tree);
	s->have_tree = false;
}

static const struct ptree *snap_tree(struct lab_snap *s)
{
	if (!s->have_tree && s->proc >= 0 && ptree_scan(s->proc, &s->tree) == 0)
		s->have_tree = true;
	return s->have_tree ? &s->tree : NULL;
}

/* ---------------- shared word parsers ---------------- */

enum op { OP_EQ, OP_NE, OP_GE, OP_LE, OP_GT, OP_LT, OP_BAD };
static const char *const op_words[] = { "==", "!=", ">=", "<=", ">", "<" };

static enum op parse_op(const char *w)
{
	for (int i = 0; i < OP_BAD; i++)
		if (strcmp(w, op_words[i]) == 0)
			return (enum op)i;
	return OP_BAD;
}

static bool op_holds(enum op op, long long a, long long b)
{
	switch (op) {
	case OP_EQ: return a == b;
	case OP_NE: return a != b;
	case OP_GE: return a >= b;
	case OP_LE: return a <= b;
	case OP_GT: return a > b;
	case OP_LT: return a < b;
	default: return false;
	}
}

static bool is_number(const char *w)
{
	long long v;
	return parse_long(w, -2147483648LL, 2147483647LL, &v) == 0;
}

static bool word_in(const char *w, const char *const *set)
{
	for (int i = 0; set[i]; i++)
		if (strcmp(w, set[i]) == 0)
			return true;
	return false;
}

/* The PID that stands for BOX: its first process, or nslab itself for "host"
 * (the shell never leaves the host's namespaces). -1 with @saw filled when
 * there is no such box or it has stopped. */
static pid_t box_pid(struct lab_snap *s, const char *name, bool want_running, char *saw,
		     size_t len)
{
	if (strcmp(name, "host") == 0)
		return getpid();
	struct box *b = box_find(s->ctx, name);
	if (!b) {
		snprintf(saw, len, _("there is no box named %s"), name);
		return -1;
	}
	if (want_running && box_poll_dead(b)) {
		snprintf(saw, len, _("box %s has stopped"), name);
		return -1;
	}
	return b->pid;
}

/* ---------------- box BOX exists|running|stopped|absent ---------------- */

static const char *const box_states[] = { "exists", "running", "stopped", "absent", NULL };

static const char *v_box(int argc, char **argv)
{
	return word_in(argv[1], box_states) ? NULL : N_("the state is exists, running, stopped or absent");
}

static bool p_box(struct lab_snap *s, int argc, char **argv, char *saw, size_t len)
{
	struct box *b = box_find(s->ctx, argv[0]);
	const char *want = argv[1];
	if (!b) {
		snprintf(saw, len, _("there is no box named %s"), argv[0]);
		return strcmp(want, "absent") == 0;
	}
	/* The box table says running; /proc must agree (same PID, same start time). */
	bool dead = box_poll_dead(b) || proc_starttime(b->pid) != b->start;
	snprintf(saw, len, dead ? _("box %s exists and has stopped") : _("box %s is running (PID %d)"),
		 argv[0], (int)b->pid);
	if (!strcmp(want, "exists"))
		return true;
	if (!strcmp(want, "running"))
		return !dead;
	if (!strcmp(want, "stopped"))
		return dead;
	return false;
}

/* ---------------- ns BOX TYPE differs|same [BOX2] ---------------- */

static const char *v_ns(int argc, char **argv)
{
	if (!ns_by_name(argv[1]))
		return N_("TYPE is one of mnt, uts, ipc, pid, net, user, cgroup, time");
	if (strcmp(argv[2], "differs") && strcmp(argv[2], "same"))
		return N_("say differs or same");
	return NULL;
}

static bool p_ns(struct lab_snap *s, int argc, char **argv, char *saw, size_t len)
{
	const char *other = argc > 3 ? argv[3] : "host";
	pid_t a = box_pid(s, argv[0], true, saw, len);
	if (a < 0)
		return false;
	pid_t b = box_pid(s, other, true, saw, len);
	if (b < 0)
		return false;
	const struct ns_type *t = ns_by_name(argv[1]);
	uint64_t ia[NS_COUNT], ib[NS_COUNT];
	if (s->proc < 0 || ns_read_ids(s->proc, a, ia) < 0 || ns_read_ids(s->proc, b, ib) < 0) {
		snprintf(saw, len, _("cannot read /proc/%d/ns"), (int)a);
		return false;
	}
	bool same = ia[t->kind] == ib[t->kind];
	snprintf(saw, len,
		 same ? _("%s namespace of %s is %llu, the same as %s's")
		      : _("%s namespace of %s is %llu, %s's is %llu"),
		 t->name, argv[0], (unsigned long long)ia[t->kind], other,
		 (unsigned long long)ib[t->kind]);
	return same == (strcmp(argv[2], "same") == 0);
}

/* ---------------- file BOX PATH exists|absent ---------------- */

static const char *v_exists(int argc, char **argv)
{
	if (argv[1][0] != '/')
		return N_("PATH starts with /");
	return strcmp(argv[2], "exists") && strcmp(argv[2], "absent") ? N_("say exists or absent") : NULL;
}

/* Resolve PATH the way a process in the box would: symlinks and .. stay inside
 * its root (openat2 RESOLVE_IN_ROOT, Linux 5.6). */
static int open_in_root(pid_t pid, const char *path)
{
	char root[64];
	snprintf(root, sizeof(root), "/proc/%d/root", (int)pid);
	_cleanup_close_ int rfd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (rfd < 0)
		return -errno;
	struct open_how how = { .flags = O_PATH | O_CLOEXEC, .resolve = RESOLVE_IN_ROOT };
	long fd = syscall(SYS_openat2, rfd, path, &how, sizeof(how));
	if (fd < 0 && errno == ENOSYS) {
		/* Older kernels: resolve from the root; absolute links may point out. */
		fd = openat(rfd, path[0] == '/' ? path + 1 : path, O_PATH | O_CLOEXEC);
	}
	return fd < 0 ? -errno : (int)fd;
}

static bool p_file(struct lab_snap *s, int argc, char **argv, char *saw, size_t len)
{
	pid_t pid = box_pid(s, argv[0], true, saw, len);
	if (pid < 0)
		return false;
	int fd = open_in_root(pid, argv[1]);
	if (fd >= 0) {
		close(fd);
		snprintf(saw, len, _("%s exists in %s"), argv[1], argv[0]);
	} else {
		snprintf(saw, len, _("%s does not exist in %s (%s)"), argv[1], argv[0], strerror(-fd));
	}
	return (fd >= 0) == (strcmp(argv[2], "exists") == 0);
}

/* ---------------- hostname BOX is NAME | differs|same [BOX2] ---------------- */

static const char *v_hostname(int argc, char **argv)
{
	if (!strcmp(argv[1], "is"))
		return argc == 3 ? NULL : N_("'is' takes one NAME");
	if (!strcmp(argv[1], "differs") || !strcmp(argv[1], "same"))
		return argc <= 3 ? NULL : N_("differs and same take at most one other BOX");
	return N_("say is NAME, differs or same");
}

static int hostname_of(struct lab_snap *s, const char *box, char *out, size_t olen, char *saw,
		       size_t len)
{
	pid_t pid = box_pid(s, box, true, saw, len);
	if (pid < 0)
		return -1;
	struct nerr e = { 0 };
	if (nsq_hostname(pid, out, olen, &e) < 0) {
		snprintf(saw, len, _("cannot read the hostname of %s: %s"), box, strerror(e.code));
		return -1;
	}
	return 0;
}

static bool p_hostname(struct lab_snap *s, int argc, char **argv, char *saw, size_t len)
{
	char mine[256], theirs[256];
	if (hostname_of(s, argv[0], mine, sizeof(mine), saw, len) < 0)
		return false;
	if (!strcmp(argv[1], "is")) {
		snprintf(saw, len, _("the hostname of %s is '%s'"), argv[0], mine);
		return strcmp(mine, argv[2]) == 0;
	}
	const char *other = argc > 2 ? argv[2] : "host";
	if (hostname_of(s, other, theirs, sizeof(theirs), saw, len) < 0)
		return false;
	snprintf(saw, len, _("the hostname of %s is '%s', of %s '%s'"), argv[0], mine, other, theirs);
	return (strcmp(mine, theirs) == 0) == (strcmp(argv[1], "same") == 0);
}

/* ---------------- mount BOX PATH present|absent ---------------- */

static const char *v_mount(int argc, char **argv)
{
	if (argv[1][0] != '/')
		return N_("PATH starts with /");
	static const char *const states[] = { "present", "absent", "private", "shared", NULL };
	return word_in(argv[2], states) ? NULL : N_("say present, absent, private or shared");
}

/* mountinfo escapes space, tab, newline and backslash as \ooo. */
static void unescape(char *s)
{
	char *w = s;
	for (char *r = s; *r; r++) {
		if (r[0] == '\\' && r[1] >= '0' && r[1] <= '7' && r[2] >= '0' && r[2] <= '7' &&
		    r[3] >= '0' && r[3] <= '7') {
			*w++ = (char)((r[1] - '0') * 64 + (r[2] - '0') * 8 + (r[3] - '0'));
			r += 3;
		} else {
			*w++ = *r;
		}
	}
	*w = '\0';
}

static bool p_mount(struct lab_snap *s, int argc, char **argv, char *saw, size_t len)
{
	pid_t pid = box_pid(s, argv[0], true, saw, len);
	if (pid < 0)
		return false;
	_cleanup_free_ char *mi = NULL;
	struct nerr e = { 0 };
	if (proc_read(s->proc, pid, "mountinfo", &mi, NULL, &e) < 0) {
		snprintf(saw, len, _("cannot read /proc/%d/mountinfo"), (int)pid);
		return false;
	}
	int found = 0;
	bool shared = false;
	char fstype[64] = "";
	char *save = NULL;
	for (char *line = strtok_r(mi, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		/* id parent major:minor root MOUNTPOINT options ... - fstype source */
		char mp[PATH_MAX], fs[64];
		if (sscanf(line, "%*s %*s %*s %*s %4095s", mp) != 1)
			continue;
		unescape(mp);
		if (strcmp(mp, argv[1]) != 0)
			continue;
		found++;
		const char *dash = strstr(line, " - ");
		if (dash && sscanf(dash + 3, "%63s", fs) == 1)
			snprintf(fstype, sizeof(fstype), "%s", fs);
		/* The optional fields before " - " carry shared:N (the last mount
		 * on the path is the one a process sees). */
		const char *tag = strstr(line, " shared:");
		shared = tag && (!dash || tag < dash);
	}
	const char *want = argv[2];
	if (!found) {
		snprintf(saw, len, _("%s has no mount at %s"), argv[0], argv[1]);
		return strcmp(want, "absent") == 0;
	}
	if (!strcmp(want, "private") || !strcmp(want, "shared")) {
		snprintf(saw, len, shared ? _("the mount at %s in %s is shared (shared:N in mountinfo)")
					  : _("the mount at %s in %s is private (no shared:N in mountinfo)"),
			 argv[1], argv[0]);
		return shared == (strcmp(want, "shared") == 0);
	}
	snprintf(saw, len, _("%s has a mount at %s (%s)"), argv[0], argv[1], fstype);
	return strcmp(want, "present") == 0;
}

/* ---------------- procs BOX OP N ---------------- */

static const char *v_op_n(int argc, char **argv)
{
	if (parse_op(argv[argc - 2]) == OP_BAD)
		return N_("OP is one of == != >= <= > <");
	return is_number(argv[argc - 1]) ? NULL : N_("N is a whole number");
}

/* The processes that share @pid's pid namespace, from the snapshot. */
static int count_in_pidns(struct lab_snap *s, pid_t pid, const char *comm, pid_t parent,
			  int *ret_n)
{
	const struct ptree *t = snap_tree(s);
	const struct pnode *p = t ? ptree_find(t, pid) : NULL;
	if (!p)
		return -ESRCH;
	int n = 0;
	for (size_t i = 0; i < t->n; i++) {
		if (t->v[i].ns[NS_PID] != p->ns[NS_PID])
			continue;
		if (comm && strcmp(t->v[i].comm, comm) != 0)
			continue;
		if (parent > 0 && t->v[i].ppid != parent)
			continue;
		n++;
	}
	*ret_n = n;
	return 0;
}

static bool p_procs(struct lab_snap *s, int argc, char **argv, char *saw, size_t len)
{
	pid_t pid = box_pid(s, argv[0], true, saw, len);
	if (pid < 0)
		return false;
	int n;
	if (count_in_pidns(s, pid, NULL, 0, &n) < 0) {
		snprintf(saw, len, _("cannot scan /proc"));
		return false;
	}
	snprintf(saw, len, _("%d processes in the pid namespace of %s"), n, argv[0]);
	long long want;
	parse_long(argv[2], -2147483648LL, 2147483647LL, &want);
	return op_holds(parse_op(argv[1]), n, want);
}

/* ---------------- process BOX COMM running|absent|adopted ---------------- */

static const char *const proc_states[] = { "running", "absent", "adopted", NULL };

static const char *v_process(int argc, char **argv)
{
	if (strlen(argv[1]) > 15)
		return N_("COMM is at most 15 characters (the kernel's comm field)");
	return word_in(argv[2], proc_states) ? NULL : N_("say running, absent or adopted");
}

static bool p_process(struct lab_snap *s, int argc, char **argv, char *saw, size_t len)
{
	pid_t pid = box_pid(s, argv[0], true, saw, len);
	if (pid < 0)
		return false;
	int n, adopted;
	/* Adopted: its parent is the namespace's PID 1 (the box's first process). */
	pid_t init = strcmp(argv[0], "host") == 0 ? 1 : pid;
	if (count_in_pidns(s, pid, argv[1], 0, &n) < 0 ||
	    count_in_pidns(s, pid, argv[1], init, &adopted) < 0) {
		snprintf(saw, len, _("cannot scan /proc"));
		return false;
	}
	if (!strcmp(argv[2], "adopted")) {
		snprintf(saw, len, _("%d '%s' in %s, %d of them children of its PID 1"), n, argv[1],
			 argv[0], adopted);
		return adopted > 0;
	}
	snprintf(saw, len, _("%d processes named '%s' in %s"), n, argv[1], argv[0]);
	return (n > 0) == (strcmp(argv[2], "running") == 0);
}

/* ---------------- peer BOX COMM TYPE same|differs ---------------- */

/* A process named COMM started from BOX (its PID 1 is an ancestor) whose
 * TYPE namespace is the same as BOX's, or another: a sidecar that shares
 * the box's IPC namespace and has its own UTS and pid namespaces. */
static const char *v_peer(int argc, char **argv)
{
	if (strlen(argv[1]) > 15)
		return N_("COMM is at most 15 characters (the kernel's comm field)");
	if (!ns_by_name(argv[2]))
		return N_("TYPE is one of mnt, uts, ipc, pid, net, user, cgroup, time");
	return strcmp(argv[3], "same") && strcmp(argv[3], "differs") ? N_("say same or differs")
								     : NULL;
}

static bool p_peer(struct lab_snap *s, int argc, char **argv, char *saw, size_t len)
{
	pid_t pid = box_pid(s, argv[0], true, saw, len);
	if (pid < 0)
		return false;
	const struct ptree *t = snap_tree(s);
	const struct pnode *root = t ? ptree_find(t, pid) : NULL;
	if (!root) {
		snprintf(saw, len, _("cannot scan /proc"));
		return false;
	}
	const struct ns_type *ty = ns_by_name(argv[2]);
	bool want_same = strcmp(argv[3], "same") == 0;
	int found = 0;
	for (size_t i = 0; i < t->n; i++) {
		const struct pnode *p = &t->v[i];
		if (p->pid == pid || strcmp(p->comm, argv[1]) != 0)
			continue;
		/* Started from the box: its PID 1 is an ancestor. */
		const struct pnode *a = p;
		for (int depth = 0; a && a->ppid > 0 && a->pid != pid && depth < 64; depth++)
			a = ptree_find(t, a->ppid);
		if (!a || a->pid != pid)
			continue;
		found++;
		bool same = p->ns[ty->kind] == root->ns[ty->kind];
		if (same == want_same) {
			snprintf(saw, len, same ? _("'%s' (PID %d) from %s is in %s's %s namespace")
						: _("'%s' (PID %d) from %s has a %s namespace of its own"),
				 argv[1], (int)p->pid, argv[0], same ? argv[0] : ty->name, ty->name);
			return true;
		}
	}
	if (found)
		snprintf(saw, len, want_same ? _("no '%s' from %s shares its %s namespace")
					     : _("every '%s' from %s is in its %s namespace"),
			 argv[1], argv[0], ty->name);
	else
		snprintf(saw, len, _("no process named '%s' was started from %s"), argv[1], argv[0]);
	return false;
}

/* ---------------- last status OP N | last output contains|lacks TEXT ---------------- */

static const char *v_last(int argc, char **argv)
{
	if (!strcmp(argv[0], "status"))
		return argc == 3 ? v_op_n(argc, argv) : N_("write: last status OP N");
	if (!strcmp(argv[0], "output")) {
		if (argc < 3)
			return N_("write: last output contains TEXT");
		return strcmp(argv[1], "contains") && strcmp(argv[1], "lacks") ? N_("say contains or lacks")
									       : NULL;
	}
	return N_("say status or output");
}

static bool p_last(struct lab_snap *s, int argc, char **argv, char *saw, size_t len)
{
	if (!strcmp(argv[0], "status")) {
		if (!s->have_status) {
			snprintf(saw, len, _("no command has run yet"));
			return false;
		}
		snprintf(saw, len, _("the last command ended with status %d"), s->last_status);
		long long want;
		parse_long(argv[2], -2147483648LL, 2147483647LL, &want);
		return op_holds(parse_op(argv[1]), s->last_status, want);
	}
	/* TEXT is the rest of the line: words joined by one space. */
	char text[512] = "";
	for (int i = 2; i < argc; i++)
		snprintf(text + strlen(text), sizeof(text) - strlen(text), "%s%s", i > 2 ? " " : "",
			 argv[i]);
	const char *out = s->ctx->last_out ? s->ctx->last_out : "";
	bool has = strstr(out, text) != NULL;
	if (!s->ctx->last_out)
		snprintf(saw, len, _("no command has shown anything yet"));
	else
		snprintf(saw, len, has ? _("what the last command showed has '%s'")
				       : _("what the last command showed has no '%s'"),
			 text);
	return has == (strcmp(argv[1], "contains") == 0);
}

/* ---------------- shown contains|lacks TEXT ---------------- */

/* "You looked at X": any command of this step that showed X counts
 * (`proc 1 version` as well as `run cat /proc/version`). */
static const char *v_shown(int argc, char **argv)
{
	return strcmp(argv[0], "contains") && strcmp(argv[0], "lacks") ? N_("say contains or lacks")
								       : NULL;
}

static bool p_shown(struct lab_snap *s, int argc, char **argv, char *saw, size_t len)
{
	char text[512] = "";
	for (int i = 1; i < argc; i++)
		snprintf(text + strlen(text), sizeof(text) - strlen(text), "%s%s", i > 1 ? " " : "",
			 argv[i]);
	bool has = s->seen && strstr(s->seen, text);
	if (!s->seen)
		snprintf(saw, len, _("no command of this step has shown anything yet"));
	else
		snprintf(saw, len, has ? _("the commands of this step showed '%s'")
				       : _("no command of this step showed '%s'"),
			 text);
	return has == (strcmp(argv[0], "contains") == 0);
}

/* ---------------- content BOX PATH has|lacks TEXT ---------------- */

static const char *v_content(int argc, char **argv)
{
	if (argv[1][0] != '/')
		return N_("PATH starts with /");
	return strcmp(argv[2], "has") && strcmp(argv[2], "lacks") ? N_("say has or lacks") : NULL;
}

static bool p_content(struct lab_snap *s, int argc, char **argv, char *saw, size_t len)
{
	pid_t pid = box_pid(s, argv[0], true, saw, len);
	if (pid < 0)
		return false;
	char text[512] = "";
	for (int i = 3; i < argc; i++)
		snprintf(text + strlen(text), sizeof(text) - strlen(text), "%s%s", i > 3 ? " " : "",
			 argv[i]);
	_cleanup_close_ int path = open_in_root(pid, argv[1]);
	char proc[64], buf[65536];
	ssize_t n = -1;
	if (path >= 0) {
		/* Reopen the O_PATH descriptor for reading, without following it again. */
		snprintf(proc, sizeof(proc), "/proc/self/fd/%d", path);
		_cleanup_close_ int fd = open(proc, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
		struct stat st;
		if (fd >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode))
			n = read(fd, buf, sizeof(buf) - 1);
	}
	if (n < 0) {
		snprintf(saw, len, _("cannot read %s in %s"), argv[1], argv[0]);
		return false;
	}
	buf[n] = '\0';
	bool has = strstr(buf, text) != NULL;
	snprintf(saw, len, has ? _("%s in %s has '%s'") : _("%s in %s has no '%s'"), argv[1], argv[0],
		 text);
	return has == (strcmp(argv[2], "has") == 0);
}

/* ---------------- syscall WORD ok|ERRNO ---------------- */

/* What the kernel answered the last call of nslab's record (the one explain
 * prints) whose text has WORD: "syscall timens_offsets EACCES" holds when
 * the last write to a timens_offsets file was refused with EACCES. */
static const char *v_syscall(int argc, char **argv)
{
	if (!strcmp(argv[1], "ok"))
		return NULL;
	for (int e = 1; e < 134; e++) {
		const char *n = strerrorname_np(e);
		if (n && !strcmp(n, argv[1]))
			return NULL;
	}
	return N_("say ok or an errno name (EACCES, EPERM, EAGAIN...)");
}

static bool p_syscall(struct lab_snap *s, int argc, char **argv, char *saw, size_t len)
{
	struct tr_rec recs[TR_RING];
	size_t n = tr_since(0, recs, TR_RING);
	for (size_t i = n; i-- > 0;) {
		if (!strstr(recs[i].text, argv[0]))
			continue;
		const char *got = recs[i].ret < 0 ? strerrorname_np(recs[i].err) : "ok";
		if (!got)
			got = "?";
		snprintf(saw, len, _("the last call with '%s' was %s: %s"), argv[0], recs[i].text, got);
		return strcmp(got, argv[1]) == 0;
	}
	snprintf(saw, len, _("no system call with '%s' was made yet"), argv[0]);
	return false;
}

/* ---------------- explain on|off ---------------- */

static const char *v_onoff(int argc, char **argv)
{
	return strcmp(argv[0], "on") && strcmp(argv[0], "off") ? N_("say on or off") : NULL;
}

static bool p_explain(struct lab_snap *s, int argc, char **argv, char *saw, size_t len)
{
	snprintf(saw, len, s->ctx->explain ? _("explain is on") : _("explain is off"));
	return s->ctx->explain == (strcmp(argv[0], "on") == 0);
}

/* ---------------- ipc BOX shm|msg|sem OP N ---------------- */

static const char *const ipc_kinds[] = { "shm", "msg", "sem", NULL };

static const char *v_ipc(int argc, char **argv)
{
	if (!word_in(argv[1], ipc_kinds))
		return N_("the kind is shm, msg or sem");
	return v_op_n(argc, argv);
}

static bool p_ipc(struct lab_snap *s, int argc, char **argv, char *saw, size_t len)
{
	pid_t pid = box_pid(s, argv[0], true, saw, len);
	if (pid < 0)
		return false;
	enum nsq_ipc kind = !strcmp(argv[1], "shm") ? NSQ_SHM : !strcmp(argv[1], "msg") ? NSQ_MSG : NSQ_SEM;
	struct nerr e = { 0 };
	int n = nsq_ipc_count(pid, kind, &e);
	if (n < 0) {
		snprintf(saw, len, _("cannot count IPC objects of %s: %s"), argv[0], strerror(e.code));
		return false;
	}
	snprintf(saw, len, _("%d System V %s objects in the IPC namespace of %s"), n, argv[1], argv[0]);
	long long want;
	parse_long(argv[3], -2147483648LL, 2147483647LL, &want);
	return op_holds(parse_op(argv[2]), n, want);
}

/* ---------------- the table ---------------- */

/* ---------------- cgroup CG exists|absent | CG FILE OP VALUE | CG FILE KEY OP N ---------------- */

/* What a check may read, on v2 and v1 alike: each maps to a field that both
 * backends fill (kernel/cgroup.c does the v1 translation). */
static const struct {
	const char *file, *key; /* key NULL: a single-valued file */
	size_t off;
	bool cpu; /* VALUE is a cpu.max form (50%): compare quotas */
} cg_fields[] = {
	{ "memory.max", NULL, offsetof(struct cg_stats, mem_max), false },
	{ "memory.current", NULL, offsetof(struct cg_stats, mem_current), false },
	{ "memory.peak", NULL, offsetof(struct cg_stats, mem_peak), false },
	{ "pids.max", NULL, offsetof(struct cg_stats, pids_max), false },
	{ "pids.current", NULL, offsetof(struct cg_stats, pids_current), false },
	{ "cpu.max", NULL, offsetof(struct cg_stats, cpu_quota), true },
	{ "cgroup.procs", NULL, offsetof(struct cg_stats, nprocs), false },
	{ "memory.events", "high", offsetof(struct cg_stats, ev_high), false },
	{ "memory.events", "max", offsetof(struct cg_stats, ev_max), false },
	{ "memory.events", "oom", offsetof(struct cg_stats, ev_oom), false },
	{ "memory.events", "oom_kill", offsetof(struct cg_stats, ev_oom_kill), false },
	{ "pids.events", "max", offsetof(struct cg_stats, pids_ev_max), false },
	{ "cpu.stat", "usage_usec", offsetof(struct cg_stats, cpu_usage_usec), false },
	{ "cpu.stat", "nr_periods", offsetof(struct cg_stats, cpu_periods), false },
	{ "cpu.stat", "nr_throttled", offsetof(struct cg_stats, cpu_throttled), false },
	{ "cpu.stat", "throttled_usec", offsetof(struct cg_stats, cpu_throttled_usec), false },
};

static int cg_field(const char *file, const char *key)
{
	for (size_t i = 0; i < ARRAY_SIZE(cg_fields); i++)
		if (!strcmp(cg_fields[i].file, file) &&
		    (key ? cg_fields[i].key && !strcmp(cg_fields[i].key, key) : !cg_fields[i].key))
			return (int)i;
	return -1;
}

/* VALUE as typed in a lab: 64M, max, 50% (cpu.max), a count. */
static int cg_want(int field, const char *w, int64_t *ret)
{
	if (cg_fields[field].cpu) {
		int64_t period;
		return cg_parse_cpu(w, ret, &period);
	}
	return cg_parse_size(w, ret);
}

static const char *v_cgroup(int argc, char **argv)
{
	if (!valid_name(argv[0]))
		return N_("a cgroup or box name is 1-32 letters, digits, '_', '-' or '.'");
	if (argc == 2)
		return strcmp(argv[1], "exists") && strcmp(argv[1], "absent")
			       ? N_("say exists or absent, or FILE OP VALUE, or FILE KEY OP N")
			       : NULL;
	if (argc == 3)
		return N_("say exists or absent, or FILE OP VALUE, or FILE KEY OP N");
	const char *key = argc == 5 ? argv[2] : NULL;
	int f = cg_field(argv[1], key);
	if (f < 0)
		return N_("FILE (and KEY) is one of memory.max, memory.current, memory.peak, pids.max, "
			  "pids.current, cpu.max, cgroup.procs, memory.events high|max|oom|oom_kill, "
			  "pids.events max, cpu.stat usage_usec|nr_periods|nr_throttled|throttled_usec");
	const char *opw = argv[argc - 2];
	if (parse_op(opw[0] == '+' ? opw + 1 : opw) == OP_BAD)
		return N_("OP is one of == != >= <= > <, or +>= +> (growth during the step)");
	int64_t v;
	if (cg_want(f, argv[argc - 1], &v) < 0)
		return N_("VALUE is a number, a size (64M), max, or for cpu.max a percentage (50%)");
	return NULL;
}

static bool p_cgroup(struct lab_snap *s, int argc, char **argv, char *saw, size_t len)
{
	const struct cg_sys *cg = cg_host();
	char name[CG_NAME_MAX + 1];
	struct box *b = box_find(s->ctx, argv[0]);
	snprintf(name, sizeof(name), "%s", b && b->plan.cgroup[0] ? b->plan.cgroup : argv[0]);
	bool exists = cg_exists(cg, name);
	if (argc == 2) {
		snprintf(saw, len, exists ? _("cgroup %s exists") : _("there is no cgroup %s"), argv[0]);
		return exists == (strcmp(argv[1], "exists") == 0);
	}
	if (!exists) {
		snprintf(saw, len, _("there is no cgroup %s"), argv[0]);
		return false;
	}
	struct cg_stats st;
	if (cg_stats(cg, name, &st, NULL) < 0) {
		snprintf(saw, len, _("cannot read cgroup %s"), argv[0]);
		return false;
	}
	const char *key = argc == 5 ? argv[2] : NULL;
	int f = cg_field(argv[1], key);
	int64_t have = *(const int64_t *)((const char *)&st + cg_fields[f].off), want = 0;
	cg_want(f, argv[argc - 1], &want);
	char label[96];
	snprintf(label, sizeof(label), "%s%s%s", argv[1], key ? " " : "", key ? key : "");
	if (have == CG_UNKNOWN) {
		snprintf(saw, len, _("%s: this machine's cgroup v%d has no %s"), argv[0], cg->version,
			 label);
		return false;
	}
	const char *opw = argv[argc - 2];
	if (opw[0] == '+') {
		/* Growth during the step: from the value when the step began. */
		struct lab_check *c = s->check;
		if (s->baseline) {
			if (c && have != CG_UNLIMITED) {
				c->base = have;
				c->have_base = true;
			}
			return true;
		}
		long long from = c && c->have_base ? c->base : 0;
		long long grew = (long long)have - from;
		snprintf(saw, len, _("%s: %s grew by %lld during this step (from %lld to %lld)"),
			 argv[0], label, grew, from, (long long)have);
		return op_holds(parse_op(opw + 1), grew, want);
	}
	if (s->baseline)
		return true;
	if (have == CG_UNLIMITED)
		snprintf(saw, len, _("%s: %s is max"), argv[0], label);
	else
		snprintf(saw, len, _("%s: %s is %lld"), argv[0], label, (long long)have);
	/* "max" compares as the largest number: pids.max < max holds for any limit. */
	enum op op = parse_op(opw);
	return op_holds(op, have == CG_UNLIMITED ? LLONG_MAX : have,
			want == CG_UNLIMITED ? LLONG_MAX : want);
}

const struct lab_pred lab_preds[] = {
	{ "box", "box BOX exists|running|stopped|absent", 2, 2, v_box, p_box },
	{ "ns", "ns BOX TYPE differs|same [BOX2]", 3, 4, v_ns, p_ns },
	{ "file", "file BOX PATH exists|absent", 3, 3, v_exists, p_file },
	{ "hostname", "hostname BOX is NAME | hostname BOX differs|same [BOX2]", 2, 3, v_hostname,
	  p_hostname },
	{ "mount", "mount BOX PATH present|absent|private|shared", 3, 3, v_mount, p_mount },
	{ "procs", "procs BOX OP N", 3, 3, v_op_n, p_procs },
	{ "process", "process BOX COMM running|absent|adopted", 3, 3, v_process, p_process },
	{ "last", "last status OP N | last output contains|lacks TEXT", 3, -1, v_last, p_last },
	{ "shown", "shown contains|lacks TEXT", 2, -1, v_shown, p_shown },
	{ "peer", "peer BOX COMM TYPE same|differs", 4, 4, v_peer, p_peer },
	{ "syscall", "syscall WORD ok|ERRNO", 2, 2, v_syscall, p_syscall },
	{ "content", "content BOX PATH has|lacks TEXT", 4, -1, v_content, p_content },
	{ "explain", "explain on|off", 1, 1, v_onoff, p_explain },
	{ "ipc", "ipc BOX shm|msg|sem OP N", 4, 4, v_ipc, p_ipc },
	LAB_SECURITY_PREDS
	{ "cgroup", "cgroup CG exists|absent | cgroup CG FILE OP VALUE | cgroup CG FILE KEY OP N", 2,
	  5, v_cgroup, p_cgroup },
	{ NULL, NULL, 0, 0, NULL, NULL },
};

const struct lab_pred *lab_pred_find(const char *name)
{
	/* The namespace predicates of labs 06-09 live in pred_ns.c. */
	const struct lab_pred *const tables[] = { lab_preds, lab_preds_ns };
	for (size_t t = 0; t < ARRAY_SIZE(tables); t++)
		for (const struct lab_pred *p = tables[t]; p->name; p++)
			if (strcmp(p->name, name) == 0)
				return p;
	return NULL;
}

int lab_check_step(struct lab_snap *s, struct lab_step *step, char *saw, size_t len)
{
	/* The checker's probes (setns, chroot, execve in a box) are not the
	 * learner's calls: explain and the pane do not show them. */
	int quiet = tr_quiet(1);
	int failed = -1;
	for (int i = 0; i < step->nchecks && failed < 0; i++) {
		struct lab_check *c = &step->checks[i];
		saw[0] = '\0';
		s->check = c;
		if (!c->pred->eval(s, c->argc, c->argv, saw, len))
			failed = i;
	}
	s->check = NULL;
	tr_quiet(quiet);
	return failed;
}

void lab_step_baseline(struct lab_snap *s, struct lab_step *step)
{
	int quiet = tr_quiet(1);
	char saw[512];
	s->baseline = true;
	for (int i = 0; i < step->nchecks; i++) {
		struct lab_check *c = &step->checks[i];
		c->have_base = false;
		bool grows = false;
		for (int k = 0; k < c->argc; k++)
			grows |= c->argv[k][0] == '+' && parse_op(c->argv[k] + 1) != OP_BAD;
		if (!grows)
			continue;
		s->check = c;
		c->pred->eval(s, c->argc, c->argv, saw, sizeof(saw));
	}
	s->check = NULL;
	s->baseline = false;
	tr_quiet(quiet);
}

/* ---------------- what a lab needs ---------------- */

static bool file_has(const char *path, const char *word)
{
	_cleanup_fclose_ FILE *f = fopen(path, "re");
	char line[512];
	while (f && fgets(line, sizeof(line), f))
		if (strstr(line, word))
			return true;
	return false;
}

static void add_line(char *out, size_t len, int *n, const char *text)
{
	snprintf(out + strlen(out), len - strlen(out), "%s%s", *n ? "\n" : "", text);
	(*n)++;
}

int lab_missing_needs(const struct lab *lab, bool is_root, char *out, size_t len)
{
	int n = 0;
	out[0] = '\0';
	if ((lab->needs & NEED_ROOT) && !is_root)
		add_line(out, len, &n, _("root: this lab makes namespaces and mounts as root; run: sudo nslab"));
	for (int i = 0; i < NS_COUNT; i++) {
		if (!(lab->needs_ns & ns_types[i].flag))
			continue;
		char path[64];
		snprintf(path, sizeof(path), "/proc/self/ns/%s", ns_types[i].name);
		if (access(path, F_OK) == 0)
			continue;
		char line[256];
		snprintf(line, sizeof(line),
			 _("ns:%s: this kernel has no %s namespace (%s missing); use a newer kernel "
			   "(the classroom VM has it)"),
			 ns_types[i].name, ns_types[i].name, path);
		add_line(out, len, &n, line);
	}
	if ((lab->needs & NEED_CGROUP2) && !file_has("/proc/self/mountinfo", " - cgroup2 "))
		add_line(out, len, &n, _("cgroup2: no cgroup v2 hierarchy is mounted; boot with "
					 "systemd.unified_cgroup_hierarchy=1 or use the classroom VM"));
	if ((lab->needs & NEED_OVERLAY) && !file_has("/proc/filesystems", "\toverlay"))
		add_line(out, len, &n, _("overlay: this kernel has no overlayfs; load it: sudo modprobe overlay"));
	struct lsm_info li;
	lsm_detect("", &li);
	/* lsm_detect also reads /sys/module and /sys/fs/selinux, for hosts
	 * where securityfs is not mounted. */
	if ((lab->needs & NEED_LSM) && !li.apparmor && !li.selinux)
		add_line(out, len, &n, _("lsm: neither AppArmor nor SELinux is active; the classroom VM "
					 "(Ubuntu) has AppArmor"));
	return n;
}
