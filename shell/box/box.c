/* box.c - carry out a box plan: the shell, a short-lived launcher, and the
 * box's first process, talking over CLOEXEC pipes. */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <poll.h>
#include <pty.h>
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "../kernel/cgroup.h"
#include "../kernel/cleanup.h"
#include "../kernel/ns.h"
#include "../kernel/procfs.h"
#include "../kernel/syscalls.h"
#include "../kernel/trace.h"
#include "box.h"
#include "fault.h"
#include "rootfs.h"

extern char **environ;

static volatile sig_atomic_t stop_requested;

void box_request_stop(void)
{
	stop_requested = 1;
}

/* What the launcher and the box tell the shell, one fixed-size message per
 * write (well below PIPE_BUF, so writes never interleave). */
enum msg_type { MSG_PID = 1, MSG_FAIL, MSG_READY, MSG_DIE };

struct msg {
	int type;
	int step; /* index in the plan, for MSG_FAIL */
	pid_t pid;
	unsigned long long start;
	struct nerr err;
};

static void send_msg(int fd, const struct msg *m)
{
	ssize_t n = write(fd, m, sizeof(*m));
	(void)n;
}

static void send_fail(int fd, int step, const struct nerr *e)
{
	struct msg m = { .type = MSG_FAIL, .step = step, .err = *e };
	send_msg(fd, &m);
}

/* NSLAB_FAULT=kill@N (test builds, fault.h): the shell dies right before
 * step @i. A launcher or box step asks the shell over the report pipe (a box
 * in its own PID namespace cannot name the shell's PID) and then waits for
 * its own PR_SET_PDEATHSIG, as it would if the shell had died by itself. */
static void fault_die_before(const struct box_plan *p, int i, int repfd)
{
	if (!fault_kill_at(i))
		return;
	if (p->steps[i].where == IN_SHELL)
		kill(getpid(), SIGKILL);
	struct msg m = { .type = MSG_DIE, .step = i };
	send_msg(repfd, &m);
	for (;;)
		pause();
}

static int plan_index(const struct box_plan *p, enum step_op op)
{
	for (int i = 0; i < p->n; i++)
		if (p->steps[i].op == op)
			return i;
	return -1;
}

static int write_file(const char *path, const char *text, struct nerr *e)
{
	_cleanup_close_ int fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return nerr_set(e, errno, "open", "open(\"%s\", O_WRONLY)", path);
	ssize_t len = strlen(text);
	if (write(fd, text, len) != len)
		return nerr_set(e, errno ? errno : EIO, "write", "write(\"%s\", \"%s\")", path, text);
	return 0;
}

static void maps_file_text(const struct idmap *m, int n, char *buf, size_t len)
{
	size_t off = 0;
	buf[0] = '\0';
	for (int i = 0; i < n && off < len; i++)
		off += snprintf(buf + off, len - off, "%u %u %u\n", m[i].inside, m[i].outside,
				m[i].count);
}

/* ---------------- steps that run in the box's first process ---------------- */

static int mount_traced(const char *src, const char *dst, const char *type, unsigned long fl,
			const char *data, const char *text, struct nerr *e)
{
	int r = mount(src, dst, type, fl, data);
	tr_call(r, errno, "%s", text);
	if (r < 0)
		return nerr_set(e, errno, "mount", "%s", text);
	return 0;
}

static int setup_dev(const char *root, struct nerr *e)
{
	char dev[PATH_MAX + 8];
	snprintf(dev, sizeof(dev), "%s/dev", root);
	mkdir(dev, 0755);
	char text[PATH_MAX + 64];
	snprintf(text, sizeof(text),
		 "mount(\"tmpfs\", \"%s\", \"tmpfs\", MS_NOSUID|MS_NOEXEC, \"mode=755,size=64k\")", dev);
	int r = mount_traced("tmpfs", dev, "tmpfs", MS_NOSUID | MS_NOEXEC, "mode=755,size=64k", text,
			     e);
	if (r < 0)
		return r;
	static const char *const nodes[] = { "null", "zero", "full", "random", "urandom" };
	for (size_t i = 0; i < ARRAY_SIZE(nodes); i++) {
		char src[64], dst[PATH_MAX + 32];
		snprintf(src, sizeof(src), "/dev/%s", nodes[i]);
		snprintf(dst, sizeof(dst), "%s/%s", dev, nodes[i]);
		int fd = open(dst, O_CREAT | O_WRONLY | O_CLOEXEC, 0666);
		if (fd >= 0)
			close(fd);
		/* A bind mount, not mknod: it also works inside a user namespace. */
		int br = mount(src, dst, NULL, MS_BIND, NULL), berr = errno;
		tr_call(br, berr, "mount(\"%s\", \"%s\", NULL, MS_BIND)", src, dst);
		if (br < 0)
			return nerr_set(e, berr, "mount", "mount(\"%s\", \"/dev/%s\", MS_BIND)", src,
					nodes[i]);
	}
	/* /dev/tty is not the host's node: a fresh one on the box's tmpfs (it
	 * means "my controlling terminal", which in a box is the box's own pty).
	 * In a user namespace mknod is refused: then there is none. */
	char tty[PATH_MAX + 16];
	snprintf(tty, sizeof(tty), "%s/tty", dev);
	if (mknod(tty, S_IFCHR | 0666, makedev(5, 0)) == 0)
		chmod(tty, 0666);
	static const char *const links[][2] = { { "/proc/self/fd", "fd" },
						{ "/proc/self/fd/0", "stdin" },
						{ "/proc/self/fd/1", "stdout" },
						{ "/proc/self/fd/2", "stderr" } };
	for (size_t i = 0; i < ARRAY_SIZE(links); i++) {
		char dst[PATH_MAX + 32];
		snprintf(dst, sizeof(dst), "%s/%s", dev, links[i][1]);
		if (symlink(links[i][0], dst) < 0 && errno != EEXIST)
			return nerr_set(e, errno, "symlink", "symlink(\"%s\", \"/dev/%s\")",
					links[i][0], links[i][1]);
	}
	return 0;
}

static int do_pivot(const char *root, struct nerr *e)
{
	char old[PATH_MAX + 16];
	snprintf(old, sizeof(old), "%s/.oldroot", root);
	if (mkdir(old, 0700) < 0 && errno != EEXIST)
		return nerr_set(e, errno, "mkdir", "mkdir(\"%s\")", old);
	int r = sys_pivot_root(root, old);
	tr_call(r, -r, "pivot_root(\"%s\", \"%s\")", root, old);
	if (r < 0)
		return nerr_setw(e, -r, "pivot_root",
				 N_("pivot_root wants the new root to be a mount point, in a mount "
				    "namespace whose / is not shared"),
				 "pivot_root(\"%s\", \"%s\")", root, old);
	if (chdir("/") < 0)
		return nerr_set(e, errno, "chdir", "chdir(\"/\")");
	return 0;
}

static int do_umount_old(struct nerr *e)
{
	int r = umount2("/.oldroot", MNT_DETACH);
	tr_call(r, errno, "umount2(\"/.oldroot\", MNT_DETACH)");
	if (r < 0)
		return nerr_set(e, errno, "umount2", "umount2(\"/.oldroot\", MNT_DETACH)");
	rmdir("/.oldroot");
	return 0;
}

static int do_chroot(const char *root, struct nerr *e)
{
	if (chdir(root) < 0)
		return nerr_set(e, errno, "chdir", "chdir(\"%s\")", root);
	int r = chroot(".");
	tr_call(r, errno, "chroot(\"%s\")", root);
	if (r < 0)
		return nerr_set(e, errno, "chroot", "chroot(\"%s\")", root);
	if (chdir("/") < 0)
		return nerr_set(e, errno, "chdir", "chdir(\"/\")");
	return 0;
}

/* --mask docker (ST_MASK, ST_READONLY), after the root switch: the paths
 * are the box's own. A path the kernel does not have is left alone, as runc
 * does. A masked file gets /dev/null bound over it, a directory an empty
 * read-only tmpfs; a read-only path is bound onto itself and remounted
 * read-only, keeping the flags it has (in a user namespace they are locked). */
static int mask_docker(enum step_op op, struct nerr *e)
{
	const char *const *list = op == ST_MASK ? box_masked_paths : box_readonly_paths;
	char text[PATH_MAX + 96];
	for (int i = 0; list[i]; i++) {
		struct stat st;
		struct statvfs sv;
		int r;
		if (lstat(list[i], &st) < 0)
			continue;
		if (op == ST_MASK && S_ISDIR(st.st_mode)) {
			snprintf(text, sizeof(text), "mount(\"tmpfs\", \"%s\", \"tmpfs\", MS_RDONLY)", list[i]);
			r = mount_traced("tmpfs", list[i], "tmpfs", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC,
					 "size=0,mode=555", text, e);
		} else if (op == ST_MASK) {
			snprintf(text, sizeof(text), "mount(\"/dev/null\", \"%s\", MS_BIND)", list[i]);
			r = mount_traced("/dev/null", list[i], NULL, MS_BIND, NULL, text, e);
		} else {
			snprintf(text, sizeof(text), "mount(\"%s\", \"%s\", MS_BIND|MS_REC)", list[i], list[i]);
			r = mount_traced(list[i], list[i], NULL, MS_BIND | MS_REC, NULL, text, e);
			unsigned long keep = 0;
			if (r == 0 && statvfs(list[i], &sv) == 0)
				keep = sv.f_flag & (ST_NOSUID | ST_NODEV | ST_NOEXEC | ST_NOATIME |
						    ST_NODIRATIME | ST_RELATIME);
			snprintf(text, sizeof(text), "mount(\"%s\", MS_REMOUNT|MS_BIND|MS_RDONLY)", list[i]);
			if (r == 0)
				r = mount_traced(NULL, list[i], NULL,
						 MS_REMOUNT | MS_BIND | MS_RDONLY | keep, NULL, text, e);
		}
		if (r < 0)
			return r;
	}
	return 0;
}

static int run_box_step(const struct box_spec *spec, const struct box_plan *p,
			const struct step *s, struct nerr *e)
{
	char buf[PATH_MAX * 4];
	switch (s->op) {
	case ST_SETID: {
		/* Writing the maps does not change our credentials: we are still
		 * the host's uid until we switch to the namespace's root. */
		int r = setresgid(0, 0, 0);
		if (r == 0)
			r = setresuid(0, 0, 0);
		tr_call(r, errno, "%s", s->text);
		return r < 0 ? nerr_set(e, errno, "setresuid", "%s", s->text) : 0;
	}
	case ST_HOSTNAME: {
		int r = sethostname(spec->hostname, strlen(spec->hostname));
		tr_call(r, errno, "%s", s->text);
		return r < 0 ? nerr_set(e, errno, "sethostname", "%s", s->text) : 0;
	}
	case ST_PRIVATE:
		/* Without this, mounts below would propagate back to the host
		 * (systemd makes / shared). */
		return mount_traced(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL, s->text, e);
	case ST_OVERLAY:
		snprintf(buf, sizeof(buf), "lowerdir=%s,upperdir=%s,workdir=%s", spec->rootfs,
			 p->upper, p->work);
		return mount_traced("overlay", p->root, "overlay", 0, buf, s->text, e);
	case ST_BIND_ROOT:
		return mount_traced(p->root, p->root, NULL, MS_BIND | MS_REC, NULL, s->text, e);
	case ST_PROC:
		snprintf(buf, sizeof(buf), "%s/proc", p->root);
		mkdir(buf, 0555);
		return mount_traced("proc", buf, "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL,
				    s->text, e);
	case ST_BIND_PROC:
		snprintf(buf, sizeof(buf), "%s/proc", p->root);
		mkdir(buf, 0555);
		return mount_traced("/proc", buf, NULL, MS_BIND | MS_REC, NULL, s->text, e);
	case ST_DEV:
		return setup_dev(p->root, e);
	case ST_PIVOT:
		return do_pivot(p->root, e);
	case ST_UMOUNT_OLD:
		return do_umount_old(e);
	case ST_CHROOT:
		return do_chroot(p->root, e);
	case ST_MASK:
	case ST_READONLY:
		return mask_docker(s->op, e);
	case ST_NNP:
	case ST_CAPS:
	case ST_SECCOMP: {
		struct box_confine c;
		box_confine_of(spec, NULL, &c);
		return box_confine_run(s->op, &c, e);
	}
	default:
		return 0;
	}
}

/* PID 1 of the box: reap whatever is re-parented to us, leave on TERM. */
static __attribute__((noreturn)) void box_init_loop(void)
{
	prctl(PR_SET_NAME, "nslab-init");
	sigset_t set;
	sigfillset(&set);
	sigprocmask(SIG_BLOCK, &set, NULL);
	for (;;) {
		siginfo_t si;
		int sig = sigwaitinfo(&set, &si);
		if (sig == SIGCHLD) {
			while (waitpid(-1, NULL, WNOHANG) > 0)
				;
		} else if (sig == SIGTERM) {
			_exit(0);
		}
	}
}

/* A box with a cgroup joins it after clone (the shell moves PID 1 in before
 * the go byte): its cgroup namespace is then made by PID 1 itself. */
static bool cg_ns_late(const struct box_spec *spec, const struct box_plan *p)
{
	return (spec->ns & CLONE_NEWCGROUP) && p->cgroup[0];
}

static unsigned long clone_flags(const struct box_spec *spec, const struct box_plan *p)
{
	return cg_ns_late(spec, p) ? spec->ns & ~CLONE_NEWCGROUP : spec->ns;
}

static __attribute__((noreturn)) void box_child(const struct box_spec *spec,
						  const struct box_plan *p, int syncfd, int gofd,
						  int repfd, int trfd)
{
	struct nerr e = { 0 };
	/* Die with the shell: a box never outlives the nslab that made it. */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	/* A process group of its own: Ctrl-C at the prompt is not for the box. */
	setpgid(0, 0);
	tr_set_fd(trfd);
	char c;
	/* Wait until the launcher has written our uid/gid maps (none: the
	 * shell cloned us and writes them before the go byte). */
	if (syncfd >= 0) {
		if (read(syncfd, &c, 1) != 1)
			_exit(1);
		close(syncfd);
	}
	/* And until the shell has recorded us (and moved us into our cgroup):
	 * if it died before that, nothing would ever find and kill this box, so
	 * it must not go on (EOF here). */
	if (read(gofd, &c, 1) != 1)
		_exit(1);
	close(gofd);
	/* A cgroup namespace's root is the cgroup its maker is in when it is
	 * made: made at clone, it would be the shell's, and the box's own
	 * cgroup would show as a path below it. So it is made here, now that we
	 * are inside our cgroup (see clone_flags). */
	if (cg_ns_late(spec, p)) {
		int r = unshare(CLONE_NEWCGROUP);
		tr_call(r, errno, "unshare(CLONE_NEWCGROUP): the box's cgroup is its root");
		if (r < 0) {
			nerr_set(&e, errno, "unshare", "unshare(CLONE_NEWCGROUP)");
			send_fail(repfd, plan_index(p, ST_CGJOIN), &e);
			_exit(1);
		}
	}
	int devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
	for (int i = 0; i < p->n; i++) {
		if (p->steps[i].where != IN_BOX || p->steps[i].op == ST_INIT)
			continue;
		fault_die_before(p, i, repfd);
		if (run_box_step(spec, p, &p->steps[i], &e) < 0 || fault_fail_at(p, i, &e) < 0) {
			send_fail(repfd, i, &e);
			_exit(1);
		}
	}
	int init = plan_index(p, ST_INIT);
	fault_die_before(p, init, repfd);
	if (fault_fail_at(p, init, &e) < 0) {
		send_fail(repfd, init, &e);
		_exit(1);
	}
	struct msg m = { .type = MSG_READY };
	tr_set_fd(-1);
	close(trfd);
	send_msg(repfd, &m);
	close(repfd);
	if (devnull >= 0) {
		dup2(devnull, 0);
		dup2(devnull, 1);
		dup2(devnull, 2);
	}
	sys_close_from(3);
	box_init_loop();
}

/* ---------------- after clone: setgroups and maps, by whoever cloned ---------------- */

/* Write setgroups and the uid/gid maps of the box's PID 1 (the steps
 * ST_SETGROUPS, ST_UIDMAP, ST_GIDMAP). On failure *failed is the step.
 * @repfd: the report pipe, in the launcher (for NSLAB_FAULT only). */
static int write_maps(const struct box_spec *spec, const struct box_plan *p, pid_t pid,
		      int repfd, int *failed, struct nerr *e)
{
	char buf[512];
	for (int i = 0; i < p->n; i++) {
		const struct step *s = &p->steps[i];
		char path[64];
		int r = 0;
		*failed = i;
		if (s->op == ST_SETGROUPS || s->op == ST_UIDMAP || s->op == ST_GIDMAP)
			fault_die_before(p, i, repfd);
		if (s->op == ST_SETGROUPS) {
			snprintf(path, sizeof(path), "/proc/%d/setgroups", (int)pid);
			r = write_file(path, "deny", e);
		} else if ((s->op == ST_UIDMAP || s->op == ST_GIDMAP) && spec->newidmap) {
			/* The setuid helpers check /etc/subuid and trace themselves. */
			bool uid = s->op == ST_UIDMAP;
			r = userns_newidmap(uid, pid, uid ? spec->uid : spec->gid,
					    uid ? spec->nuid : spec->ngid, e);
			if (r == 0)
				r = fault_fail_at(p, i, e);
			if (r < 0)
				return r;
			continue;
		} else if (s->op == ST_UIDMAP || s->op == ST_GIDMAP) {
			bool uid = s->op == ST_UIDMAP;
			snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, uid ? "uid_map" : "gid_map");
			maps_file_text(uid ? spec->uid : spec->gid, uid ? spec->nuid : spec->ngid, buf,
				       sizeof(buf));
			r = write_file(path, buf, e);
			if (r < 0)
				e->why = N_("a map is written once, by a process with CAP_SETUID/CAP_SETGID "
					    "over the parent user namespace, and ids must exist outside");
		} else {
			continue;
		}
		tr_call(r, -r, "write(\"%s\", \"%s\")", path,
			s->op == ST_SETGROUPS ? "deny" : strtok(buf, "\n"));
		if (r == 0)
			r = fault_fail_at(p, i, e);
		if (r < 0)
			return r;
	}
	return 0;
}

/* ---------------- the launcher: time ns with offsets, clone, maps ---------------- */

static __attribute__((noreturn)) void launcher(const struct box_spec *spec,
						 const struct box_plan *p, pid_t shell, int gofd,
						 int repfd, int trfd)
{
	struct nerr e = { 0 };
	char buf[512];
	/* Die with the shell; it may have died already, before the prctl. */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != shell)
		_exit(1);
	tr_set_fd(trfd);
	for (int i = 0; i < p->n; i++) {
		if (p->steps[i].op != ST_TIMENS)
			continue;
		fault_die_before(p, i, repfd);
		int r = unshare(CLONE_NEWTIME);
		tr_call(r, errno, "unshare(CLONE_NEWTIME)");
		if (r < 0) {
			nerr_set(&e, errno, "unshare", "unshare(CLONE_NEWTIME)");
			if (e.code == EPERM && geteuid() != 0)
				e.why = N_("a time namespace is made before the box's user namespace, "
					   "so it needs CAP_SYS_ADMIN on the host: run sudo nslab for "
					   "time namespaces");
			send_fail(repfd, i, &e);
			_exit(1);
		}
		snprintf(buf, sizeof(buf), "monotonic %lld 0\nboottime %lld 0\n",
			 spec->monotonic_off, spec->boottime_off);
		if (write_file("/proc/self/timens_offsets", buf, &e) < 0) {
			e.why = N_("offsets can only be set before the first process enters the time namespace");
			send_fail(repfd, i, &e);
			_exit(1);
		}
		tr_call(0, 0, "write(\"/proc/self/timens_offsets\", \"monotonic %lld 0, boottime %lld 0\")",
			spec->monotonic_off, spec->boottime_off);
		if (fault_fail_at(p, i, &e) < 0) {
			send_fail(repfd, i, &e);
			_exit(1);
		}
	}
	int sync[2];
	if (pipe2(sync, O_CLOEXEC) < 0)
		_exit(1);
	int clone_step = 0;
	for (int i = 0; i < p->n; i++)
		if (p->steps[i].op == ST_CLONE)
			clone_step = i;
	/* A refused clone makes no process: fail@ here fails instead of cloning. */
	fault_die_before(p, clone_step, repfd);
	if (fault_fail_at(p, clone_step, &e) < 0) {
		send_fail(repfd, clone_step, &e);
		_exit(1);
	}
	/* CLONE_PARENT: the box becomes the shell's child, not ours, so we can
	 * exit now and the shell can wait for it. */
	unsigned long flags = (clone_flags(spec, p) & ~CLONE_NEWTIME) | CLONE_PARENT;
	long pid = sys_clone_fork(flags);
	if (pid == 0) {
		close(sync[1]);
		box_child(spec, p, sync[0], gofd, repfd, trfd);
	}
	char fl[200];
	tr_call(pid, (int)-pid, "clone(%s|CLONE_PARENT|SIGCHLD)",
		ns_flags_str(spec->ns & ~CLONE_NEWTIME, fl, sizeof(fl)));
	if (pid < 0) {
		nerr_set(&e, (int)-pid, "clone", "clone(%s)", fl);
		send_fail(repfd, clone_step, &e);
		_exit(1);
	}
	close(sync[0]);
	close(gofd);
	struct msg m = { .type = MSG_PID, .pid = (pid_t)pid, .start = proc_starttime(pid) };
	send_msg(repfd, &m);
	int failed;
	if (write_maps(spec, p, (pid_t)pid, repfd, &failed, &e) < 0) {
		send_fail(repfd, failed, &e);
		kill((pid_t)pid, SIGKILL);
		_exit(1);
	}
	/* Release the box. */
	if (write(sync[1], "x", 1) != 1)
		_exit(1);
	_exit(0);
}

/* ---------------- the shell's side ---------------- */

static int outside_root(const struct idmap *m, int n)
{
	for (int i = 0; i < n; i++)
		if (m[i].inside == 0)
			return (int)m[i].outside;
	return -1;
}

static int copy_rootfs(const char *src, const char *dst, struct nerr *e)
{
	/* cp -a keeps modes, owners, links and setuid bits; no need to write our own. */
	char from[PATH_MAX + 4];
	snprintf(from, sizeof(from), "%s/.", src);
	char *argv[] = { "cp", "-a", from, (char *)dst, NULL };
	pid_t shell = getpid();
	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0)
		return nerr_set(e, errno, "fork", "cp -a %s %s", from, dst);
	if (pid == 0) {
		/* A copy must not go on writing into the state directory after the
		 * shell died: the next start is removing it. */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != shell)
			_exit(127);
		execve("/bin/cp", argv, environ);
		_exit(127);
	}
	int st;
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	tr_call(WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : -1, EIO, "cp -a %s %s", from, dst);
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
		return nerr_set(e, EIO, "cp", "cp -a %s %s", from, dst);
	return 0;
}

static unsigned map_id(const struct idmap *m, int n, unsigned id)
{
	for (int i = 0; i < n; i++)
		if (id >= m[i].inside && id - m[i].inside < m[i].count)
			return m[i].outside + (id - m[i].inside);
	return id;
}

static const struct box_spec *shift_spec;

static int shift_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)flag;
	(void)ftw;
	const struct box_spec *s = shift_spec;
	if (lchown(path, map_id(s->uid, s->nuid, st->st_uid), map_id(s->gid, s->ngid, st->st_gid)) < 0)
		return -errno;
	/* chown clears setuid bits: put them back, the nnp lab needs them. */
	if (!S_ISLNK(st->st_mode) && (st->st_mode & (S_ISUID | S_ISGID)))
		chmod(path, st->st_mode & 07777);
	return 0;
}

/* What a user namespace's root sees as its own files must be owned, on the
 * host, by the ids its map names (rootless runtimes do the same without
 * idmapped mounts). */
static int shift_owners(const struct box_spec *spec, const char *root, struct nerr *e)
{
	shift_spec = spec;
	int r = nftw(root, shift_one, 32, FTW_PHYS | FTW_MOUNT);
	tr_call(r, -r, "lchown -R %s (ids shifted by the map: 0 -> %u)", root,
		map_id(spec->uid, spec->nuid, 0));
	if (r != 0)
		return nerr_set(e, r < 0 ? -r : EIO, "lchown", "lchown(\"%s\", ...)", root);
	return 0;
}

static int prepare_dirs(const struct box_spec *spec, const struct box_plan *p, struct nerr *e)
{
	const char *dirs[] = { p->root, p->upper, p->work };
	int n = p->fs == FS_OVERLAY ? 3 : 0;
	int owner = (spec->ns & CLONE_NEWUSER) ? outside_root(spec->uid, spec->nuid) : -1;
	int gowner = (spec->ns & CLONE_NEWUSER) ? outside_root(spec->gid, spec->ngid) : -1;
	/* The box dir is root's, 0700: no host user reaches its layers (nor a
	 * setuid file made in it). A user-namespace box's mapped root passes
	 * through by group: root:GID 0710. */
	if (geteuid() != 0) {
		if (chmod(p->dir, 0700) < 0) /* rootless: the box's root is the user */
			return nerr_set(e, errno, "chmod", "chmod(\"%s\", 0700)", p->dir);
	} else if (chown(p->dir, 0, gowner > 0 ? gowner : 0) < 0 ||
		   chmod(p->dir, gowner > 0 ? 0710 : 0700) < 0)
		return nerr_set(e, errno, "chmod", "chmod(\"%s\", 0700)", p->dir);
	for (int i = 0; i < n; i++) {
		if (mkdir(dirs[i], 0755) < 0 && errno != EEXIST)
			return nerr_set(e, errno, "mkdir", "mkdir(\"%s\")", dirs[i]);
		/* The box's root must own its writable layer, seen from the host. */
		if (owner > 0 && chown(dirs[i], owner, gowner > 0 ? gowner : owner) < 0)
			return nerr_set(e, errno, "chown", "chown(\"%s\", %d)", dirs[i], owner);
	}
	int r = fault_fail_at(p, plan_index(p, ST_MKDIR), e);
	if (r < 0)
		return r;
	if (p->fs == FS_COPY) {
		/* A copy lands in the state directory (tmpfs on /run: memory). Refuse
		 * one that would fill more than half of what is free there. */
		struct statvfs vfs;
		long long need = rootfs_size(spec->rootfs);
		if (need >= 0 && statvfs(p->dir, &vfs) == 0 &&
		    need > (long long)(vfs.f_bavail / 2) * (long long)vfs.f_frsize)
			return nerr_setw(e, ENOSPC, "cp",
					 N_("a copy of this rootfs would take more than half of the free "
					    "space where nslab keeps boxes: use a smaller rootfs, or "
					    "--overlay with a mount namespace"),
					 "cp -a %s (%lld MiB; %llu MiB free)", spec->rootfs, need >> 20,
					 (unsigned long long)(vfs.f_bavail * vfs.f_frsize) >> 20);
		int copy = plan_index(p, ST_COPY);
		fault_die_before(p, copy, -1);
		r = copy_rootfs(spec->rootfs, p->root, e);
		if (r == 0 && p->shift)
			r = shift_owners(spec, p->root, e);
		if (r == 0)
			r = fault_fail_at(p, copy, e);
		if (r < 0)
			return r;
	}
	return 0;
}

/* The box's cgroup: recorded first (so any failure from here on is undone),
 * then made and limited. */
static int make_cgroup(struct session *s, const struct box_spec *spec, const struct box_plan *p,
		       struct nerr *e)
{
	const struct cg_sys *cg = cg_host();
	sess_record(s, spec->name, "cgroup", "%s", p->cgroup);
	int r = cg_create(cg, p->cgroup, e);
	if (r == -EEXIST) {
		/* Ours by name (this session's PID): a leftover of a box of the same name. */
		cg_remove(cg, p->cgroup, NULL, NULL);
		r = cg_create(cg, p->cgroup, e);
	}
	if (r == 0 && spec->cg_memory[0])
		r = cg_set(cg, p->cgroup, "memory.max", spec->cg_memory, e);
	if (r == 0 && spec->cg_pids[0])
		r = cg_set(cg, p->cgroup, "pids.max", spec->cg_pids, e);
	if (r == 0 && spec->cg_cpu[0])
		r = cg_set(cg, p->cgroup, "cpu.max", spec->cg_cpu, e);
	return r;
}

static int write_box_record(const struct box *b)
{
	char path[PATH_MAX + 16];
	snprintf(path, sizeof(path), "%s/pid", b->plan.dir);
	_cleanup_fclose_ FILE *f = fopen(path, "we");
	if (!f)
		return -errno;
	fprintf(f, "%d %llu\n", (int)b->pid, b->start);
	return 0;
}

/* Read until one message arrives or the writers are gone (returns 0 then). */
static int read_msg(int fd, struct msg *m)
{
	for (;;) {
		ssize_t n = read(fd, m, sizeof(*m));
		if (n < 0 && errno == EINTR)
			continue;
		return n == (ssize_t)sizeof(*m) ? 1 : 0;
	}
}

static void drain_trace(int fd)
{
	struct tr_rec r;
	for (;;) {
		ssize_t n = read(fd, &r, sizeof(r));
		if (n < 0 && errno == EINTR)
			continue;
		if (n != (ssize_t)sizeof(r))
			break;
		tr_push(&r);
	}
}

/* The box's PID 1 is known: record it before it may do anything, so that a
 * crash from here on kills it at the next start. */
static void record_box(struct session *s, struct box *b)
{
	sess_record(s, b->spec.name, "proc", "%d %llu", (int)b->pid, b->start);
	write_box_record(b);
}

/* Move the recorded PID 1 into its cgroup and let it go on (see box_child). */
static int let_go(struct box *b, int gofd, struct nerr *e)
{
	int r = 0;
	if (b->plan.cgroup[0]) {
		int cg = plan_index(&b->plan, ST_CGJOIN);
		fault_die_before(&b->plan, cg, -1);
		r = cg_attach(cg_host(), b->plan.cgroup, b->pid, e);
		if (r == 0)
			r = fault_fail_at(&b->plan, cg, e);
	}
	if (r == 0 && write(gofd, "x", 1) != 1)
		r = nerr_set(e, errno, "write", "write(go pipe)");
	return r;
}

/* No clock offsets: the shell clones the box's PID 1 itself (no launcher),
 * writes its maps, and lets it go. The child holds the write ends of @rep
 * and @trp; the caller closes the shell's copies. */
static int clone_box(struct session *s, struct box *b, int gop[2], int rep[2], int trp[2],
		     struct nerr *e)
{
	const struct box_spec *spec = &b->spec;
	const struct box_plan *p = &b->plan;
	int clone_step = 0;
	for (int i = 0; i < p->n; i++)
		if (p->steps[i].op == ST_CLONE)
			clone_step = i;
	/* A refused clone makes no process: fail@ here fails instead of cloning. */
	fault_die_before(p, clone_step, -1);
	int r = fault_fail_at(p, clone_step, e);
	if (r < 0)
		return r;
	/* clone3 for a time namespace (clone(2) cannot say CLONE_NEWTIME). */
	long pid = (spec->ns & CLONE_NEWTIME) ? sys_clone3_fork(clone_flags(spec, p))
					      : sys_clone_fork(clone_flags(spec, p));
	if (pid == 0) {
		close(rep[0]);
		close(trp[0]);
		close(gop[1]);
		box_child(spec, p, -1, gop[0], rep[1], trp[1]);
	}
	tr_call(pid, (int)-pid, "%s", p->steps[clone_step].text);
	if (pid < 0)
		return nerr_set(e, (int)-pid, "clone", "%s", p->steps[clone_step].text);
	b->pid = (pid_t)pid;
	b->start = proc_starttime(b->pid);
	/* Recorded before the maps: if a map cannot be written, the undo of the
	 * box kills this process (it never got its go byte). */
	record_box(s, b);
	int failed;
	r = write_maps(spec, p, b->pid, -1, &failed, e);
	return r < 0 ? r : let_go(b, gop[1], e);
}

static int create(struct session *s, const struct box_spec *spec, struct box **ret, struct nerr *e)
{
	char dir[PATH_MAX], real[PATH_MAX];
	/* The engine itself refuses a rootfs that is /, holds the state directory
	 * or is a pseudo file system, whoever calls it. */
	int r = rootfs_guard(spec->rootfs, real, sizeof(real), e);
	if (r < 0)
		return r;
	r = sess_box_dir(s, spec->name, false, dir, sizeof(dir));
	if (r < 0)
		return nerr_set(e, r, "mkdir", "%s", spec->name);
	struct box *b = calloc(1, sizeof(*b));
	if (!b)
		return nerr_set(e, ENOMEM, "calloc", "box");
	b->spec = *spec;
	r = box_plan(spec, dir, &b->plan, e);
	if (r < 0) {
		free(b);
		return r;
	}
	struct stat st;
	if (stat(dir, &st) == 0) {
		free(b);
		return nerr_setw(e, EEXIST, "mkdir", N_("a box of that name exists: box rm it or choose another name"),
				 "mkdir(\"%s\")", dir);
	}
	/* Record the directory before anything goes in it: a crash from here on
	 * is cleaned at the next start. */
	fault_die_before(&b->plan, plan_index(&b->plan, ST_MKDIR), -1);
	r = sess_box_dir(s, spec->name, true, dir, sizeof(dir));
	if (r < 0) {
		free(b);
		return nerr_set(e, r, "mkdir", "mkdir(\"%s\")", dir);
	}
	sess_record(s, spec->name, "dir", "%s", dir);
	tr_call(0, 0, "%s", b->plan.steps[0].text);
	r = prepare_dirs(spec, &b->plan, e);
	if (r < 0)
		goto fail;
	if (b->plan.cgroup[0]) {
		int cg = plan_index(&b->plan, ST_CGROUP);
		fault_die_before(&b->plan, cg, -1);
		r = make_cgroup(s, spec, &b->plan, e);
		if (r == 0)
			r = fault_fail_at(&b->plan, cg, e);
		if (r < 0)
			goto fail;
	}

	int rep[2] = { -1, -1 }, trp[2] = { -1, -1 }, gop[2] = { -1, -1 };
	if (pipe2(rep, O_CLOEXEC) < 0 || pipe2(trp, O_CLOEXEC) < 0 || pipe2(gop, O_CLOEXEC) < 0) {
		r = nerr_set(e, errno, "pipe2", "pipe2(O_CLOEXEC)");
		goto fail_pipes;
	}
	fflush(NULL);
	pid_t lpid = -1;
	r = 0;
	if (b->plan.launcher) {
		pid_t shell = getpid();
		lpid = fork();
		if (lpid < 0) {
			r = nerr_set(e, errno, "fork", "fork()");
			goto fail_pipes;
		}
		if (lpid == 0) {
			close(rep[0]);
			close(trp[0]);
			close(gop[1]);
			launcher(spec, &b->plan, shell, gop[0], rep[1], trp[1]);
		}
	} else {
		r = clone_box(s, b, gop, rep, trp, e);
	}
	close(rep[1]);
	close(trp[1]);
	close(gop[0]);
	rep[1] = trp[1] = gop[0] = -1;

	struct msg m;
	bool ready = false;
	while (r == 0 && !ready && read_msg(rep[0], &m)) {
		if (m.type == MSG_PID) {
			b->pid = m.pid;
			b->start = m.start;
			record_box(s, b);
			r = let_go(b, gop[1], e);
			/* The launcher reports a refused map before it kills the box.
			 * When let_go failed because the box was gone (ESRCH, EPIPE),
			 * that report is in the pipe already: it says what went wrong. */
			struct pollfd pf = { .fd = rep[0], .events = POLLIN };
			struct msg f;
			if (r < 0 && poll(&pf, 1, 0) == 1 && read_msg(rep[0], &f) &&
			    f.type == MSG_FAIL) {
				*e = f.err;
				r = -f.err.code;
			}
		} else if (m.type == MSG_FAIL) {
			*e = m.err;
			r = -m.err.code;
		} else if (m.type == MSG_READY) {
			ready = true;
#ifdef NSLAB_FAULTS
		} else if (m.type == MSG_DIE) {
			/* NSLAB_FAULT=kill@N at a step of the launcher or the box. */
			kill(getpid(), SIGKILL);
#endif
		}
	}
	/* A box refused before its go byte (a map, its cgroup) still waits for
	 * it and holds the trace pipe open: it must die before we drain that
	 * pipe, or the shell waits for ever. It is our unreaped child, so its
	 * PID is still its own; the undo below reaps it. */
	if (r < 0 && b->pid > 0)
		kill(b->pid, SIGKILL);
	if (lpid > 0) {
		int lst;
		while (waitpid(lpid, &lst, 0) < 0 && errno == EINTR)
			;
	}
	drain_trace(trp[0]);
	if (!ready && r == 0)
		r = nerr_set(e, EPROTO, "clone", "the box's first process ended during setup");
fail_pipes:
	for (int i = 0; i < 2; i++) {
		if (rep[i] >= 0)
			close(rep[i]);
		if (trp[i] >= 0)
			close(trp[i]);
		if (gop[i] >= 0)
			close(gop[i]);
	}
	if (r < 0)
		goto fail;
	*ret = b;
	return 0;
fail:
	/* No half-made box: kill what was started, remove what was made. */
	sess_undo_box(s, spec->name);
	free(b);
	return r;
}

int box_create(struct session *s, const struct box_spec *spec, struct box **ret, struct nerr *e)
{
	fault_box_begin();
	int r = create(s, spec, ret, e);
	fault_box_end();
	return r;
}

void box_destroy(struct session *s, struct box *b)
{
	if (!b)
		return;
	sess_undo_box(s, b->spec.name);
	free(b);
}

bool box_poll_dead(struct box *b)
{
	if (b->dead)
		return true;
	int st;
	pid_t r = waitpid(b->pid, &st, WNOHANG);
	if (r == b->pid || (r < 0 && errno == ECHILD && proc_starttime(b->pid) != b->start)) {
		b->dead = true;
		b->exit_status = st;
	}
	return b->dead;
}

/* ---------------- running a program inside ---------------- */

/* The program in the foreground (run, sh), for a SIGINT that nslab itself
 * receives: with no terminal, the program's process group; on a terminal,
 * the master side of its pty (whose foreground group the kernel knows).
 * Set around the wait only; read by signal handlers. */
static volatile sig_atomic_t fg_pgid;
static volatile sig_atomic_t fg_master = -1;
static volatile sig_atomic_t relay_winch;

bool box_fg_signal(int sig)
{
	int saved = errno;
	bool r = false;
	if (fg_master >= 0) {
		pid_t pg;
		if (ioctl(fg_master, TIOCGPGRP, &pg) == 0 && pg > 0)
			kill(-pg, sig);
		r = true;
	} else if (fg_pgid > 0) {
		kill(-(pid_t)fg_pgid, sig);
		r = true;
	}
	errno = saved;
	return r;
}

static __attribute__((noreturn)) void exec_child(const struct box *b, char *const argv[],
						   int errfd, int trfd, bool tty)
{
	struct nerr e = { 0 };
	tr_set_fd(trfd);
	_cleanup_close_ int rootfd = -1;
	/* Into the box's cgroup first, while we still see the host's /sys/fs/cgroup:
	 * what run starts counts against the box's limits. */
	if (b && b->plan.cgroup[0] && cg_attach(cg_host(), b->plan.cgroup, getpid(), &e) < 0)
		goto fail;
	if (b) {
		char path[64];
		snprintf(path, sizeof(path), "/proc/%d/root", (int)b->pid);
		rootfd = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (rootfd < 0) {
			nerr_set(&e, errno, "open", "open(\"%s\")", path);
			goto fail;
		}
		if (ns_enter(b->pid, b->spec.ns, &e) < 0)
			goto fail;
		/* pid and time namespaces take effect for children: fork once more
		 * (only then: a fork costs a millisecond on some VMs). */
		pid_t pid = (b->spec.ns & (CLONE_NEWPID | CLONE_NEWTIME)) ? fork() : 0;
		if (pid < 0) {
			nerr_set(&e, errno, "fork", "fork()");
			goto fail;
		}
		if (pid > 0) {
			close(errfd);
			close(trfd);
			/* This one only waits: the keyboard's signals are the program's. */
			signal(SIGINT, SIG_IGN);
			signal(SIGQUIT, SIG_IGN);
			signal(SIGTSTP, SIG_IGN);
			signal(SIGTTIN, SIG_IGN);
			signal(SIGTTOU, SIG_IGN);
			int st;
			for (;;) {
				pid_t w = waitpid(pid, &st, WUNTRACED);
				if (w < 0 && errno == EINTR)
					continue;
				if (w < 0)
					_exit(127);
				/* run has no job control to bring a stopped program
				 * back: resume it rather than leave the learner stuck. */
				if (WIFSTOPPED(st)) {
					kill(pid, SIGCONT);
					continue;
				}
				break;
			}
			_exit(WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st));
		}
		/* setns does not change credentials: become the namespace's root. */
		if ((b->spec.ns & CLONE_NEWUSER) && (setresgid(0, 0, 0) < 0 || setresuid(0, 0, 0) < 0)) {
			nerr_set(&e, errno, "setresuid", "setresuid(0, 0, 0) in the box's user namespace");
			goto fail;
		}
		if (fchdir(rootfd) < 0 || chroot(".") < 0 || chdir("/") < 0) {
			nerr_set(&e, errno, "chroot", "chroot(\"/proc/%d/root\")", (int)b->pid);
			goto fail;
		}
		tr_call(0, 0, "chroot(\"/proc/%d/root\")", (int)b->pid);
	}
	if (tty) {
		/* A session of its own, with the box's pty as its controlling
		 * terminal: Ctrl-C, Ctrl-\ and job control act on it alone, and
		 * TIOCSTI or /dev/tty reach that pty, never nslab's terminal. */
		int r = setsid() < 0 ? -1 : ioctl(0, TIOCSCTTY, 0);
		tr_call(r, errno, "setsid(); ioctl(0, TIOCSCTTY, 0): the box's own pty");
		if (r < 0) {
			nerr_set(&e, errno, "ioctl", "setsid(); ioctl(0, TIOCSCTTY, 0)");
			goto fail;
		}
	}
	/* Die with the shell: nothing nslab ran outlives it. */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	static const int dfl[] = { SIGINT,  SIGTERM, SIGHUP,  SIGQUIT,  SIGPIPE,
				   SIGTSTP, SIGTTIN, SIGTTOU, SIGWINCH, SIGCHLD };
	for (size_t i = 0; i < ARRAY_SIZE(dfl); i++)
		signal(dfl[i], SIG_DFL);
	/* When the program on the pty ends, the kernel hangs up its session:
	 * SIGHUP would kill what it left running in the background (lab 06's
	 * `run sh -c 'nc -l ... &'`, a sidecar), which without a terminal
	 * lives on. Ignored, and so inherited through execve, as nohup does:
	 * background programs stay until the box goes, on a terminal or not. */
	if (tty)
		signal(SIGHUP, SIG_IGN);
	sigset_t none;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	if (b) {
		static char *const env[] = { "PATH=/bin:/sbin:/usr/bin:/usr/sbin", "HOME=/root",
					     "TERM=xterm-256color", "PS1=\\u@\\h:\\w\\$ ", NULL };
		/* execvp searches the PATH of environ: make it the box's. */
		environ = (char **)env;
		/* Last, right before execve: the box's confinement plus whatever
		 * caps drop and seccomp deny added since. */
		struct box_confine c;
		enum step_op ops[5];
		box_confine_of(&b->spec, b, &c);
		int nops = box_confine_order(&c, ops);
		for (int i = 0; i < nops; i++)
			if (box_confine_run(ops[i], &c, &e) < 0)
				goto fail;
	}
	if (b)
		tr_call(0, 0, "execve(\"%s\")", argv[0]);
	tr_set_fd(-1);
	close(trfd);
	execvp(argv[0], argv);
	nerr_set(&e, errno, "execve", "execve(\"%s\")", argv[0]);
fail:
	if (write(errfd, &e, sizeof(e)) < 0)
		_exit(127);
	_exit(127);
}

static void write_all(int fd, const char *buf, size_t n)
{
	while (n > 0 && fd >= 0) {
		ssize_t k = write(fd, buf, n);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return; /* the learner's terminal went away; keep the copy */
		buf += k;
		n -= (size_t)k;
	}
}

/* Keep at most 1 MiB of output for lab checks; the rest is shown, not kept.
 * From a pty, drop the carriage returns its line discipline adds. */
static void keep_copy(struct box_exec_result *res, size_t *cap, const char *buf, size_t n,
		      bool drop_cr)
{
	if (res->len + n > (1u << 20))
		return;
	if (res->len + n + 1 > *cap) {
		size_t nc = *cap ? *cap * 2 : 8192;
		while (nc < res->len + n + 1)
			nc *= 2;
		char *nb = realloc(res->out, nc);
		if (!nb)
			return;
		res->out = nb;
		*cap = nc;
	}
	for (size_t i = 0; i < n; i++)
		if (!drop_cr || buf[i] != '\r')
			res->out[res->len++] = buf[i];
	res->out[res->len] = '\0';
}

static void on_relay_winch(int sig)
{
	(void)sig;
	relay_winch = 1;
}

static void on_relay_chld(int sig)
{
	(void)sig;
}

/* docker exec -it: nslab's terminal in raw mode, bytes both ways between it
 * and the program's pty, the window size kept in step, until the program
 * ends. Returns its wait status. */
static int relay(int master, pid_t pid, int out_fd, bool keep, struct box_exec_result *res)
{
	struct termios saved, raw;
	bool have = tcgetattr(0, &saved) == 0;
	if (have) {
		raw = saved;
		cfmakeraw(&raw);
		tcsetattr(0, TCSADRAIN, &raw);
	}
	sigset_t block, old;
	sigemptyset(&block);
	sigaddset(&block, SIGWINCH);
	sigaddset(&block, SIGCHLD);
	sigprocmask(SIG_BLOCK, &block, &old);
	struct sigaction sa = { 0 }, owinch, ochld;
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = on_relay_winch;
	sigaction(SIGWINCH, &sa, &owinch);
	sa.sa_handler = on_relay_chld;
	sigaction(SIGCHLD, &sa, &ochld);
	relay_winch = 0;
	bool resized = false, in_open = true, out_open = true;
	size_t cap = 0;
	char buf[8192];
	int st = 0;
	for (;;) {
		pid_t w = waitpid(pid, &st, WNOHANG | WUNTRACED);
		if (w == pid && WIFSTOPPED(st)) {
			kill(pid, SIGCONT); /* no job control here: see exec_child */
			continue;
		}
		if (w == pid || (w < 0 && errno == ECHILD))
			break;
		if (stop_requested) {
			kill(pid, SIGKILL);
			while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
				;
			break;
		}
		if (relay_winch) {
			relay_winch = 0;
			resized = true;
			struct winsize ws;
			/* TIOCSWINSZ on the master: the kernel sends SIGWINCH to
			 * the pty's foreground process group. */
			if (ioctl(0, TIOCGWINSZ, &ws) == 0)
				ioctl(master, TIOCSWINSZ, &ws);
		}
		struct pollfd pf[2] = { { out_open ? master : -1, POLLIN, 0 },
					{ in_open ? 0 : -1, POLLIN, 0 } };
		int n = ppoll(pf, 2, NULL, &old);
		if (n < 0)
			continue; /* EINTR: a child ended, or a resize */
		if (pf[0].revents) {
			ssize_t k = read(master, buf, sizeof(buf));
			if (k > 0) {
				write_all(out_fd, buf, (size_t)k);
				if (keep)
					keep_copy(res, &cap, buf, (size_t)k, true);
			} else if (k == 0 || errno != EINTR) {
				out_open = false; /* EIO: no one holds the pty's other side */
			}
		}
		if (pf[1].revents) {
			ssize_t k = read(0, buf, sizeof(buf));
			if (k > 0)
				write_all(master, buf, (size_t)k);
			else if (k == 0 || (errno != EINTR && errno != EAGAIN))
				in_open = false;
		}
	}
	/* What the program wrote before it ended is still in the pty. A process
	 * it left in the background may keep the pty open: do not wait for it. */
	fcntl(master, F_SETFL, fcntl(master, F_GETFL) | O_NONBLOCK);
	for (;;) {
		ssize_t k = read(master, buf, sizeof(buf));
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			break;
		write_all(out_fd, buf, (size_t)k);
		if (keep)
			keep_copy(res, &cap, buf, (size_t)k, true);
	}
	if (have)
		tcsetattr(0, TCSADRAIN, &saved);
	sigaction(SIGWINCH, &owinch, NULL);
	sigaction(SIGCHLD, &ochld, NULL);
	sigprocmask(SIG_SETMASK, &old, NULL);
	/* The prompt's own handler must hear of a resize too. */
	if (resized || relay_winch)
		raise(SIGWINCH);
	return st;
}

static void close_pair(int p[2])
{
	for (int i = 0; i < 2; i++)
		if (p[i] >= 0) {
			close(p[i]);
			p[i] = -1;
		}
}

int box_run(const struct box *b, char *const argv[], const struct box_exec_opts *o,
	    struct box_exec_result *res, struct nerr *e)
{
	memset(res, 0, sizeof(*res));
	bool tty = o->mode == EXEC_TTY;
	int errp[2] = { -1, -1 }, outp[2] = { -1, -1 }, trp[2] = { -1, -1 };
	int pty[2] = { -1, -1 }; /* master, slave */
	if (tty) {
		struct termios t;
		struct winsize ws;
		bool have_t = tcgetattr(0, &t) == 0;
		bool have_ws = ioctl(0, TIOCGWINSZ, &ws) == 0;
		/* The learner's settings (erase key, ...). Without a shell to
		 * resume it, a program stopped by Ctrl-Z would leave the learner
		 * stuck: for run, Ctrl-Z is a plain key for the program. */
		if (have_t && !o->job_control)
			t.c_cc[VSUSP] = _POSIX_VDISABLE;
		if (openpty(&pty[0], &pty[1], NULL, have_t ? &t : NULL, have_ws ? &ws : NULL) < 0)
			return nerr_set(e, errno, "openpty", "openpty()");
		fcntl(pty[0], F_SETFD, FD_CLOEXEC);
		fcntl(pty[1], F_SETFD, FD_CLOEXEC);
	}
	if (pipe2(errp, O_CLOEXEC) < 0 || pipe2(trp, O_CLOEXEC) < 0 ||
	    (!tty && pipe2(outp, O_CLOEXEC) < 0)) {
		int r = nerr_set(e, errno, "pipe2", "pipe2(O_CLOEXEC)");
		close_pair(errp);
		close_pair(trp);
		close_pair(outp);
		close_pair(pty);
		return r;
	}
	fflush(NULL);
	pid_t pid = fork();
	if (pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (tty) {
			dup2(pty[1], 0);
			dup2(pty[1], 1);
			dup2(pty[1], 2);
		} else {
			/* A process group of its own: nslab passes a SIGINT on to it. */
			setpgid(0, 0);
			dup2(outp[1], 1);
			dup2(outp[1], 2);
			/* Nothing in a box holds nslab's terminal (a lab check
			 * while the prompt waits). */
			if (isatty(0)) {
				int nul = open("/dev/null", O_RDONLY | O_CLOEXEC);
				if (nul >= 0)
					dup2(nul, 0);
			}
		}
		/* Only 0-2 and the two report pipes (as 3 and 4) go on. */
		int efd = fcntl(errp[1], F_DUPFD_CLOEXEC, 10);
		int tfd = fcntl(trp[1], F_DUPFD_CLOEXEC, 10);
		if (efd < 0 || tfd < 0 || dup3(efd, 3, O_CLOEXEC) < 0 || dup3(tfd, 4, O_CLOEXEC) < 0)
			_exit(127);
		close_range(5, ~0U, 0);
		exec_child(b, argv, 3, 4, tty);
	}
	close(errp[1]);
	close(trp[1]);
	errp[1] = trp[1] = -1;
	if (outp[1] >= 0)
		close(outp[1]);
	outp[1] = -1;
	if (pty[1] >= 0)
		close(pty[1]);
	pty[1] = -1;
	if (pid < 0) {
		int r = nerr_set(e, errno, "fork", "fork()");
		close_pair(errp);
		close_pair(trp);
		close_pair(outp);
		close_pair(pty);
		return r;
	}
	if (!tty) {
		setpgid(pid, pid); /* also here: whichever runs first */
		fg_pgid = pid;
	}
	/* The setup calls come first, so explain prints them before the output. */
	drain_trace(trp[0]);
	close_pair(trp);
	if (o->on_start)
		o->on_start(o->arg);
	int st = 0;
	if (tty) {
		fg_master = pty[0];
		st = relay(pty[0], pid, o->out_fd, o->keep, res);
		fg_master = -1;
	} else {
		size_t cap = 0;
		char buf[4096];
		for (;;) {
			ssize_t n = read(outp[0], buf, sizeof(buf));
			if (n < 0 && errno == EINTR) {
				/* A background process in the box may hold the pipe
				 * open for ever: on a stop request, stop reading. */
				if (stop_requested) {
					kill(-pid, SIGKILL);
					kill(pid, SIGKILL);
					break;
				}
				continue;
			}
			if (n <= 0)
				break;
			write_all(o->out_fd, buf, (size_t)n);
			if (o->keep)
				keep_copy(res, &cap, buf, (size_t)n, false);
		}
		while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
			if (stop_requested)
				kill(pid, SIGKILL);
		fg_pgid = 0;
	}
	close_pair(outp);
	close_pair(pty);
	res->status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	struct nerr ce;
	ssize_t n = read(errp[0], &ce, sizeof(ce));
	close_pair(errp);
	if (n == (ssize_t)sizeof(ce)) {
		*e = ce;
		return -ce.code;
	}
	return 0;
}

int box_exec(const struct box *b, char *const argv[], enum box_exec_mode mode, int out_fd,
	     struct box_exec_result *res, struct nerr *e)
{
	struct box_exec_opts o = { .mode = mode, .out_fd = out_fd, .keep = mode == EXEC_CAPTURE };
	return box_run(b, argv, &o, res, e);
}

int box_probe_status(const struct box *b, char **ret, struct nerr *e)
{
	char *argv[] = { "cat", "/proc/self/status", NULL };
	struct box_exec_result res;
	int r = box_exec(b, argv, EXEC_CAPTURE, -1, &res, e);
	if (r < 0) {
		free(res.out);
		return r;
	}
	if (res.status != 0 || !res.out || !strstr(res.out, "CapBnd:")) {
		free(res.out);
		return nerr_setw(e, EIO, "cat",
				 N_("a process in the box could not read its own /proc/self/status "
				    "(no cat in the rootfs, no /proc, or a filter denies it)"),
				 "run cat /proc/self/status (exit %d)", res.status);
	}
	*ret = res.out;
	return 0;
}
