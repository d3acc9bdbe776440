/* plan.c - turn a box spec into the list of setup steps (no side effects). */
#include <errno.h>
#include <stddef.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "../kernel/cgroup.h"
#include "../kernel/cleanup.h"
#include "../kernel/ns.h"
#include "../kernel/syscalls.h"
#include "box.h"

const char *const box_masked_paths[] = {
	"/proc/acpi",	     "/proc/asound",	"/proc/interrupts", "/proc/kcore",
	"/proc/keys",	     "/proc/latency_stats", "/proc/sched_debug", "/proc/scsi",
	"/proc/timer_list", "/proc/timer_stats", "/sys/firmware",	 "/sys/devices/virtual/powercap",
	NULL,
};
const char *const box_readonly_paths[] = {
	"/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger", NULL,
};

void box_spec_init(struct box_spec *spec, const char *name)
{
	memset(spec, 0, sizeof(*spec));
	snprintf(spec->name, sizeof(spec->name), "%s", name);
	spec->root = ROOT_PIVOT;
	spec->fs = FS_AUTO;
}

int box_spec_check(const struct box_spec *spec, struct nerr *e)
{
	bool mnt = spec->ns & CLONE_NEWNS, user = spec->ns & CLONE_NEWUSER;
	if (spec->root == ROOT_PIVOT && !mnt && spec->root_given)
		return nerr_setw(e, EINVAL, "--pivot",
				 N_("pivot_root needs a mount namespace: add mnt to --ns, or use --chroot"),
				 "--pivot without --ns mnt");
	if ((spec->map_root || spec->nuid || spec->ngid) && !user)
		return nerr_setw(e, EINVAL, "--map-root",
				 N_("uid and gid maps belong to a user namespace: add user to --ns"),
				 "maps without --ns user");
	if (spec->hostname[0] && !(spec->ns & CLONE_NEWUTS))
		return nerr_setw(e, EINVAL, "--hostname",
				 N_("setting a hostname without a UTS namespace would rename the host: add uts to --ns"),
				 "--hostname without --ns uts");
	if ((spec->boottime_off || spec->monotonic_off) && !(spec->ns & CLONE_NEWTIME))
		return nerr_setw(e, EINVAL, "--boottime-offset",
				 N_("clock offsets belong to a time namespace: add time to --ns"),
				 "offsets without --ns time");
	if (spec->mask && !mnt)
		return nerr_setw(e, EINVAL, "--mask",
				 N_("masking paths means mounting over them: add mnt to --ns, or the "
				    "mounts would cover the host's own /proc"),
				 "--mask without --ns mnt");
	if (spec->fs == FS_OVERLAY && !mnt)
		return nerr_setw(e, EINVAL, "--overlay",
				 N_("an overlay mount needs a mount namespace of its own: add mnt to --ns"),
				 "--overlay without --ns mnt");
	return 0;
}

bool box_wants_cgroup(const struct box_spec *spec)
{
	return spec->cgroup || spec->cg_memory[0] || spec->cg_pids[0] || spec->cg_cpu[0];
}

static bool have_overlayfs(void)
{
	/* Once there, overlayfs stays for the life of this shell: remember a yes.
	 * A no is read again, so a learner's 'modprobe overlay' takes effect. */
	static bool seen;
	if (seen)
		return true;
	_cleanup_fclose_ FILE *f = fopen("/proc/filesystems", "re");
	char line[128];
	while (f && fgets(line, sizeof(line), f))
		if (strstr(line, "\toverlay\n"))
			return seen = true;
	return false;
}

static void add(struct box_plan *p, enum step_op op, enum step_where where, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void add(struct box_plan *p, enum step_op op, enum step_where where, const char *fmt, ...)
{
	if (p->n >= (int)ARRAY_SIZE(p->steps))
		return;
	struct step *s = &p->steps[p->n++];
	s->op = op;
	s->where = where;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(s->text, sizeof(s->text), fmt, ap);
	va_end(ap);
}

static void maps_text(const struct idmap *m, int n, char *buf, size_t len)
{
	size_t off = 0;
	buf[0] = '\0';
	for (int i = 0; i < n && off < len; i++)
		off += snprintf(buf + off, len - off, "%s%u %u %u", i ? "\\n" : "", m[i].inside,
				m[i].outside, m[i].count);
}

/* "0 1000 1 1 100000 65536": the words newuidmap takes after the PID. */
static void words_text(const struct idmap *m, int n, char *buf, size_t len)
{
	size_t off = 0;
	buf[0] = '\0';
	for (int i = 0; i < n && off < len; i++)
		off += snprintf(buf + off, len - off, "%s%u %u %u", i ? " " : "", m[i].inside,
				m[i].outside, m[i].count);
}

int box_plan(const struct box_spec *spec, const char *dir, struct box_plan *p, struct nerr *e)
{
	int r = box_spec_check(spec, e);
	if (r < 0)
		return r;
	memset(p, 0, sizeof(*p));
	bool mnt = spec->ns & CLONE_NEWNS, user = spec->ns & CLONE_NEWUSER;
	snprintf(p->dir, sizeof(p->dir), "%s", dir);
	snprintf(p->root, sizeof(p->root), "%s/root", dir);
	snprintf(p->upper, sizeof(p->upper), "%s/upper", dir);
	snprintf(p->work, sizeof(p->work), "%s/work", dir);

	p->fs = spec->fs;
	/* A box whose root is another host uid (--uid-map 0:100000:...) gets a
	 * copy with shifted owners: this kernel family refuses overlay mounts
	 * from such a user namespace on a host file system (EACCES). */
	p->shift = user && spec->nuid && spec->uid[0].outside != (unsigned)geteuid();
	if (p->fs == FS_AUTO)
		p->fs = (mnt && have_overlayfs() && !p->shift) ? FS_OVERLAY : FS_COPY;
	if (p->fs == FS_OVERLAY && !have_overlayfs())
		return nerr_setw(e, ENODEV, "mount",
				 N_("this kernel has no overlayfs: use --copy, or load it with modprobe overlay"),
				 "mount(\"overlay\")");

	if (p->fs == FS_OVERLAY)
		add(p, ST_MKDIR, IN_SHELL, "mkdir(\"%s\", \"%s\", \"%s\")", p->root, p->upper,
		    p->work);
	else
		add(p, ST_MKDIR, IN_SHELL, "mkdir(\"%s\")", dir);
	if (p->fs == FS_COPY)
		add(p, ST_COPY, IN_SHELL, "cp -a %s/. %s%s", spec->rootfs, p->root,
		    p->shift ? "; lchown every file by the uid/gid map" : "");
	if (box_wants_cgroup(spec)) {
		const struct cg_sys *cg = cg_host();
		static const struct {
			enum cg_ctrl c;
			size_t off;
		} need[] = { { CG_MEMORY, offsetof(struct box_spec, cg_memory) },
			     { CG_PIDS, offsetof(struct box_spec, cg_pids) },
			     { CG_CPU, offsetof(struct box_spec, cg_cpu) } };
		if (!cg->ops)
			return nerr_setw(e, ENODEV, "cgroup",
					 N_("no cgroup file system is mounted: mount cgroup2 on /sys/fs/cgroup"),
					 "--memory/--pids/--cpu");
		for (size_t i = 0; i < ARRAY_SIZE(need); i++)
			if (((const char *)spec + need[i].off)[0] && !cg_has(cg, need[i].c))
				return nerr_setw(e, ENODEV, "cgroup",
						 N_("this kernel offers no such cgroup controller here "
						    "(see /sys/fs/cgroup/cgroup.controllers)"),
						 "%s controller", cg_ctrl_names[need[i].c]);
		/* The session is the shell's own PID: box cgroups of two nslab
		 * runs never collide, and cleanup knows whose they are. */
		snprintf(p->cgroup, sizeof(p->cgroup), "%d-%s", (int)getpid(), spec->name);
		char where[PATH_MAX], lim[200] = "";
		cg_where(cg, p->cgroup, where, sizeof(where));
		if (spec->cg_memory[0])
			snprintf(lim + strlen(lim), sizeof(lim) - strlen(lim), "; memory.max = %s",
				 spec->cg_memory);
		if (spec->cg_pids[0])
			snprintf(lim + strlen(lim), sizeof(lim) - strlen(lim), "; pids.max = %s",
				 spec->cg_pids);
		if (spec->cg_cpu[0])
			snprintf(lim + strlen(lim), sizeof(lim) - strlen(lim), "; cpu.max = %s",
				 spec->cg_cpu);
		add(p, ST_CGROUP, IN_SHELL, "mkdir(\"%s\") (cgroup %s)%s", where,
		    cg->version == 2 ? "v2" : "v1", lim);
	}
	/* Clock offsets can only be written between unshare(CLONE_NEWTIME) and
	 * the first process entering the namespace, and the shell must stay in
	 * the host's: a short-lived launcher does that and clones the box. With
	 * no offsets, clone3() makes the time namespace like any other, and the
	 * shell clones the box itself (one process fewer per box). */
	p->launcher = (spec->ns & CLONE_NEWTIME) && (spec->boottime_off || spec->monotonic_off);
	enum step_where pre = p->launcher ? IN_LAUNCHER : IN_SHELL;
	char fl[200];
	if (p->launcher) {
		add(p, ST_TIMENS, IN_LAUNCHER,
		    "unshare(CLONE_NEWTIME); write /proc/self/timens_offsets: monotonic %lld, boottime %lld",
		    spec->monotonic_off, spec->boottime_off);
		add(p, ST_CLONE, IN_LAUNCHER, "clone(%s|CLONE_PARENT|SIGCHLD)",
		    ns_flags_str(spec->ns & ~CLONE_NEWTIME, fl, sizeof(fl)));
	} else if (spec->ns & CLONE_NEWTIME) {
		/* clone(2) has no room for CLONE_NEWTIME (it is CSIGNAL's bits). */
		add(p, ST_CLONE, IN_SHELL, "clone3({.flags = %s, .exit_signal = SIGCHLD})",
		    ns_flags_str(spec->ns, fl, sizeof(fl)));
	} else {
		add(p, ST_CLONE, IN_SHELL, "clone(%s|SIGCHLD)", ns_flags_str(spec->ns, fl, sizeof(fl)));
	}
	if (user) {
		char m[128];
		bool deny = !spec->setgroups_allow;
		if (deny)
			add(p, ST_SETGROUPS, pre, "write /proc/PID/setgroups: deny");
		if (spec->newidmap) {
			words_text(spec->uid, spec->nuid, m, sizeof(m));
			add(p, ST_UIDMAP, pre, "newuidmap PID %s", m);
			words_text(spec->gid, spec->ngid, m, sizeof(m));
			add(p, ST_GIDMAP, pre, "newgidmap PID %s", m);
		} else {
			maps_text(spec->uid, spec->nuid, m, sizeof(m));
			add(p, ST_UIDMAP, pre, "write /proc/PID/uid_map: %s", m);
			maps_text(spec->gid, spec->ngid, m, sizeof(m));
			add(p, ST_GIDMAP, pre, "write /proc/PID/gid_map: %s", m);
		}
	}
	if (p->cgroup[0]) {
		char where[PATH_MAX];
		cg_where(cg_host(), p->cgroup, where, sizeof(where));
		/* The box's PID 1 waits on a pipe until the shell lets it go: it
		 * runs no step of its own before it is inside its limits. */
		add(p, ST_CGJOIN, IN_SHELL,
		    "write(\"%s/cgroup.procs\", PID): PID 1 joins before it is let go", where);
	}
	if (user)
		add(p, ST_SETID, IN_BOX, "setresgid(0, 0, 0); setresuid(0, 0, 0)");
	if (spec->hostname[0])
		add(p, ST_HOSTNAME, IN_BOX, "sethostname(\"%s\")", spec->hostname);
	if (mnt) {
		add(p, ST_PRIVATE, IN_BOX, "mount(NULL, \"/\", NULL, MS_REC|MS_PRIVATE)");
		if (p->fs == FS_OVERLAY)
			add(p, ST_OVERLAY, IN_BOX,
			    "mount(\"overlay\", \"%s\", \"overlay\", \"lowerdir=%s,upperdir=%s,workdir=%s\")",
			    p->root, spec->rootfs, p->upper, p->work);
		else
			add(p, ST_BIND_ROOT, IN_BOX, "mount(\"%s\", \"%s\", MS_BIND|MS_REC)", p->root,
			    p->root);
		if ((spec->ns & CLONE_NEWPID) || !user)
			add(p, ST_PROC, IN_BOX, "mount(\"proc\", \"%s/proc\", \"proc\", MS_NOSUID|MS_NODEV|MS_NOEXEC)",
			    p->root);
		else
			add(p, ST_BIND_PROC, IN_BOX, "mount(\"/proc\", \"%s/proc\", MS_BIND|MS_REC)",
			    p->root);
		add(p, ST_DEV, IN_BOX,
		    "mount(\"tmpfs\", \"%s/dev\", \"tmpfs\"); bind null zero full random urandom; mknod tty",
		    p->root);
	}
	if (spec->root == ROOT_PIVOT && mnt) {
		add(p, ST_PIVOT, IN_BOX, "pivot_root(\"%s\", \"%s/.oldroot\")", p->root, p->root);
		add(p, ST_UMOUNT_OLD, IN_BOX, "umount2(\"/.oldroot\", MNT_DETACH)");
	} else {
		add(p, ST_CHROOT, IN_BOX, "chroot(\"%s\")", p->root);
	}
	if (spec->mask) {
		add(p, ST_MASK, IN_BOX,
		    "mount(\"/dev/null\", FILE, MS_BIND) or mount(\"tmpfs\", DIR, MS_RDONLY) over "
		    "/proc/kcore /proc/keys /proc/timer_list... (%d paths, as Docker)",
		    (int)(sizeof(box_masked_paths) / sizeof(box_masked_paths[0]) - 1));
		add(p, ST_READONLY, IN_BOX,
		    "mount(PATH, PATH, MS_BIND) + mount(MS_REMOUNT|MS_BIND|MS_RDONLY): /proc/sys "
		    "/proc/sysrq-trigger /proc/bus /proc/fs /proc/irq read-only");
	}
	/* Confinement last: every setup call above needs the privileges it takes away. */
	struct box_confine c;
	enum step_op ops[5];
	box_confine_of(spec, NULL, &c);
	int nops = box_confine_order(&c, ops);
	for (int i = 0; i < nops; i++) {
		char text[256];
		box_confine_text(ops[i], &c, text, sizeof(text));
		add(p, ops[i], IN_BOX, "%s", text);
	}
	add(p, ST_INIT, IN_BOX, "prctl(PR_SET_NAME, \"nslab-init\"); reap children forever");
	return 0;
}
