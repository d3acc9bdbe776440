/* box.c - box new|ls|rm, use, run, sh. */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include "../box/box.h"
#include "../box/rootfs.h"
#include "../kernel/caps.h"
#include "../kernel/cgroup.h"
#include "../kernel/cleanup.h"
#include "../kernel/lsm.h"
#include "../kernel/ns.h"
#include "../kernel/seccomp.h"
#include "../kernel/syscalls.h"
#include "../kernel/userns.h"
#include "cmd.h"
#include "security.h"

struct box *box_find(struct nslab *ctx, const char *name)
{
	for (struct box *b = ctx->boxes; b; b = b->next)
		if (strcmp(b->spec.name, name) == 0)
			return b;
	return NULL;
}

static void box_unlink(struct nslab *ctx, struct box *b)
{
	for (struct box **pp = &ctx->boxes; *pp; pp = &(*pp)->next)
		if (*pp == b) {
			*pp = b->next;
			break;
		}
	if (ctx->cur == b)
		ctx->cur = NULL;
}

void box_remove_all(struct nslab *ctx)
{
	while (ctx->boxes) {
		struct box *b = ctx->boxes;
		box_unlink(ctx, b);
		box_destroy(ctx->sess, b);
	}
}

/* "IN:OUT:LEN" */
static int parse_map(const char *s, struct idmap *m)
{
	char extra;
	/* %u would read "-1" as 4294967295: digits and colons only. */
	if (s[strspn(s, "0123456789:")] != '\0')
		return -EINVAL;
	if (sscanf(s, "%u:%u:%u%c", &m->inside, &m->outside, &m->count, &extra) != 3 ||
	    m->count == 0)
		return -EINVAL;
	if ((unsigned long long)m->inside + m->count > 4294967295ULL ||
	    (unsigned long long)m->outside + m->count > 4294967295ULL)
		return -ERANGE;
	return 0;
}

enum {
	OPT_NS = 256,
	OPT_ROOTFS,
	OPT_CHROOT,
	OPT_PIVOT,
	OPT_HOSTNAME,
	OPT_MAPROOT,
	OPT_UIDMAP,
	OPT_GIDMAP,
	OPT_SETGROUPS,
	OPT_BOOT,
	OPT_MONO,
	OPT_OVERLAY,
	OPT_COPY,
	OPT_DRYRUN,
	OPT_CAPS,
	OPT_SECCOMP,
	OPT_NNP,
	OPT_APPARMOR,
	OPT_MEMORY,
	OPT_PIDS,
	OPT_CPU,
	OPT_CGROUP,
	OPT_MASK,
};

static const struct option new_opts[] = {
	{ "ns", required_argument, NULL, OPT_NS },
	{ "rootfs", required_argument, NULL, OPT_ROOTFS },
	{ "chroot", no_argument, NULL, OPT_CHROOT },
	{ "pivot", no_argument, NULL, OPT_PIVOT },
	{ "hostname", required_argument, NULL, OPT_HOSTNAME },
	{ "map-root", no_argument, NULL, OPT_MAPROOT },
	{ "uid-map", required_argument, NULL, OPT_UIDMAP },
	{ "gid-map", required_argument, NULL, OPT_GIDMAP },
	{ "setgroups", required_argument, NULL, OPT_SETGROUPS },
	{ "boottime-offset", required_argument, NULL, OPT_BOOT },
	{ "monotonic-offset", required_argument, NULL, OPT_MONO },
	{ "overlay", no_argument, NULL, OPT_OVERLAY },
	{ "copy", no_argument, NULL, OPT_COPY },
	{ "dry-run", no_argument, NULL, OPT_DRYRUN },
	{ "caps", required_argument, NULL, OPT_CAPS },
	{ "seccomp", required_argument, NULL, OPT_SECCOMP },
	{ "nnp", no_argument, NULL, OPT_NNP },
	{ "apparmor", required_argument, NULL, OPT_APPARMOR },
	{ "memory", required_argument, NULL, OPT_MEMORY },
	{ "pids", required_argument, NULL, OPT_PIDS },
	{ "cpu", required_argument, NULL, OPT_CPU },
	{ "cgroup", no_argument, NULL, OPT_CGROUP },
	{ "mask", required_argument, NULL, OPT_MASK },
	{ NULL, 0, NULL, 0 },
};

static const struct cmd_entry box_cmd;

static int parse_new(struct nslab *ctx, int argc, char **argv, struct box_spec *spec, bool *dry)
{
	const struct cmd_entry *c = &box_cmd;
	struct nerr e = { 0 };
	long long v;
	optind = 0;
	opterr = 0;
	int o;
	while ((o = getopt_long(argc, argv, "+", new_opts, NULL)) != -1) {
		switch (o) {
		case OPT_NS:
			if (ns_parse_list(optarg, &spec->ns, &e) < 0)
				return out_usage(ctx, c, _("unknown namespace '%s' (known: %s)"), e.what,
						 "mnt,uts,ipc,pid,net,user,cgroup,time,all");
			break;
		case OPT_ROOTFS:
			if (strlen(optarg) >= sizeof(spec->rootfs))
				return out_usage(ctx, c, _("--rootfs: path too long"));
			if (!optarg[0])
				return out_usage(ctx, c, _("--rootfs: an empty path"));
			snprintf(spec->rootfs, sizeof(spec->rootfs), "%s", optarg);
			break;
		case OPT_CHROOT:
		case OPT_PIVOT:
			spec->root = o == OPT_CHROOT ? ROOT_CHROOT : ROOT_PIVOT;
			spec->root_given = true;
			break;
		case OPT_HOSTNAME:
			if (strlen(optarg) == 0 || strlen(optarg) > 64)
				return out_usage(ctx, c, _("--hostname: 1 to 64 characters"));
			snprintf(spec->hostname, sizeof(spec->hostname), "%s", optarg);
			break;
		case OPT_MAPROOT:
			spec->map_root = true;
			break;
		case OPT_UIDMAP:
		case OPT_GIDMAP: {
			bool uid = o == OPT_UIDMAP;
			int *n = uid ? &spec->nuid : &spec->ngid;
			struct idmap *m = uid ? spec->uid : spec->gid;
			if (*n >= BOX_MAPS_MAX)
				return out_usage(ctx, c, _("at most %d maps"), BOX_MAPS_MAX);
			if (parse_map(optarg, &m[*n]) < 0)
				return out_usage(ctx, c,
						 _("%s: want INSIDE:OUTSIDE:COUNT, for example 0:100000:65536"),
						 uid ? "--uid-map" : "--gid-map");
			(*n)++;
			break;
		}
		case OPT_SETGROUPS:
			if (strcmp(optarg, "allow") != 0 && strcmp(optarg, "deny") != 0)
				return out_usage(ctx, c, _("--setgroups: allow or deny"));
			spec->setgroups_allow = strcmp(optarg, "allow") == 0;
			spec->setgroups_given = true;
			break;
		case OPT_BOOT:
		case OPT_MONO:
			/* The kernel keeps offsets within about +-10 years of KTIME_MAX room. */
			if (parse_long(optarg, -315360000LL, 315360000LL, &v) < 0)
				return out_usage(ctx, c, _("%s: whole seconds between -315360000 and 315360000"),
						 o == OPT_BOOT ? "--boottime-offset" : "--monotonic-offset");
			if (o == OPT_BOOT)
				spec->boottime_off = v;
			else
				spec->monotonic_off = v;
			break;
		case OPT_OVERLAY:
			spec->fs = FS_OVERLAY;
			break;
		case OPT_COPY:
			spec->fs = FS_COPY;
			break;
		case OPT_DRYRUN:
			*dry = true;
			break;
		case OPT_CAPS:
			if (cap_mask_parse(optarg, &spec->caps_keep, &e) < 0)
				return out_usage(ctx, c,
						 _("--caps: '%s' is not a capability (docker, none, all, "
						   "or names like CAP_NET_RAW,CAP_CHOWN)"),
						 e.what);
			spec->caps_set = true;
			snprintf(spec->caps_src, sizeof(spec->caps_src), "%s", optarg);
			break;
		case OPT_SECCOMP:
			/* Read after every option: includes/excludes need the caps. */
			snprintf(spec->seccomp_src, sizeof(spec->seccomp_src), "%s", optarg);
			break;
		case OPT_MASK:
			if (strcmp(optarg, "docker") != 0)
				return out_usage(ctx, c, _("--mask: only 'docker' (Docker's masked and "
							   "read-only paths)"));
			spec->mask = true;
			break;
		case OPT_NNP:
			spec->nnp = true;
			break;
		case OPT_APPARMOR:
			if (!valid_name(optarg))
				return out_usage(ctx, c, _("--apparmor: a profile name, like nslab-box"));
			snprintf(spec->apparmor, sizeof(spec->apparmor), "%s", optarg);
			break;
		case OPT_MEMORY:
		case OPT_PIDS:
		case OPT_CPU: {
			/* The same parser as cg set: one set of forms everywhere. */
			const char *file = o == OPT_MEMORY ? "memory.max" : o == OPT_PIDS ? "pids.max" : "cpu.max";
			char *dst = o == OPT_MEMORY ? spec->cg_memory : o == OPT_PIDS ? spec->cg_pids : spec->cg_cpu;
			size_t len = o == OPT_CPU ? sizeof(spec->cg_cpu) : sizeof(spec->cg_memory);
			if (cg_value(cg_file_find(file), optarg, dst, len, &e) < 0)
				return out_usage(ctx, c, "%s: %s",
						 o == OPT_MEMORY ? "--memory" : o == OPT_PIDS ? "--pids" : "--cpu",
						 _(e.why));
			break;
		}
		case OPT_CGROUP:
			spec->cgroup = true;
			break;
		default:
			return out_usage(ctx, c, _("unknown option '%s'"), argv[optind - 1]);
		}
	}
	if (optind != argc)
		return out_usage(ctx, c, _("unexpected word '%s'"), argv[optind]);
	if (spec->seccomp_src[0] &&
	    sec_profile_load(ctx, spec->seccomp_src, spec->caps_set ? spec->caps_keep : cap_mask_all(),
			     &spec->seccomp, &e) < 0)
		return out_nerr(ctx, &e);
	return 0;
}

static bool only_own_ids(const struct box_spec *s)
{
	return s->nuid == 1 && s->uid[0].count == 1 && s->uid[0].outside == geteuid() &&
	       s->ngid == 1 && s->gid[0].count == 1 && s->gid[0].outside == getegid();
}

/* A rootless box gets the caller's subordinate ids too (1..N inside), the
 * way rootless Podman does, when /etc/subuid and /etc/subgid grant a range
 * and newuidmap is installed. */
static void add_subids(struct box_spec *spec)
{
	/* Both files name the user (or its uid), not a group. */
	struct passwd *pw = getpwuid(geteuid());
	const char *user = pw ? pw->pw_name : NULL;
	unsigned us, uc, gs, gc;
	if (!userns_newidmap_path(true) || !userns_newidmap_path(false) ||
	    userns_subid_range("/etc/subuid", user, geteuid(), &us, &uc) < 0 ||
	    userns_subid_range("/etc/subgid", user, geteuid(), &gs, &gc) < 0)
		return;
	spec->uid[1] = (struct idmap){ 1, us, uc };
	spec->gid[1] = (struct idmap){ 1, gs, gc };
	spec->nuid = spec->ngid = 2;
}

static void print_plan(struct nslab *ctx, const struct box_plan *p)
{
	static const char *where[] = { N_("shell"), N_("launcher"), N_("box") };
	/* The words after a call, in the learner's language. */
	static const char *const notes[] = {
		N_("PID 1 joins before it is let go"),
		N_("bind null zero full random urandom; mknod tty"),
		N_("reap children forever"),
	};
	for (int i = 0; i < p->n; i++) {
		char text[sizeof(p->steps[i].text) + 256];
		snprintf(text, sizeof(text), "%s", p->steps[i].text);
		for (size_t k = 0; k < ARRAY_SIZE(notes); k++) {
			size_t tl = strlen(text), nl = strlen(notes[k]);
			if (tl >= nl && strcmp(text + tl - nl, notes[k]) == 0)
				snprintf(text + tl - nl, sizeof(text) - (tl - nl), "%s", _(notes[k]));
		}
		char label[64];
		out(ctx, "%2d. [%s] %s\n", i + 1, out_pad(label, sizeof(label), _(where[p->steps[i].where]), 8),
		    text);
	}
}

static int box_new(struct nslab *ctx, int argc, char **argv)
{
	const char *name = argv[0];
	if (!valid_name(name))
		return out_usage(ctx, &box_cmd,
				 _("'%s' is not a box name: use 1-32 letters, digits, '_', '-' or '.'"),
				 name);
	if (box_find(ctx, name)) {
		out_msg(ctx, _("a box named '%s' exists already: 'box rm %s' first, or choose another name"),
			name, name);
		return CMD_FAIL;
	}
	struct box_spec spec;
	box_spec_init(&spec, name);
	spec.ns = CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWPID;
	bool dry = false;
	int r = parse_new(ctx, argc, argv, &spec, &dry);
	if (r)
		return r;
	if (!(spec.ns & CLONE_NEWNS) && !spec.root_given)
		spec.root = ROOT_CHROOT;
	if ((spec.ns & CLONE_NEWUSER) && !spec.nuid && !spec.ngid)
		spec.map_root = true;
	if (spec.map_root) {
		spec.uid[0] = (struct idmap){ 0, geteuid(), 1 };
		spec.gid[0] = (struct idmap){ 0, getegid(), 1 };
		spec.nuid = spec.ngid = 1;
		if (!ctx->is_root)
			add_subids(&spec);
	}
	if (spec.nuid && !spec.ngid) {
		/* One map said: use the same numbers for groups. */
		memcpy(spec.gid, spec.uid, sizeof(spec.uid));
		spec.ngid = spec.nuid;
	}
	/* Without root, only "0 MYUID 1" may be written directly; anything more
	 * goes through the setuid helpers, which check /etc/subuid. */
	if (!ctx->is_root && (spec.ns & CLONE_NEWUSER) && !only_own_ids(&spec)) {
		if (!userns_newidmap_path(true) || !userns_newidmap_path(false)) {
			out_msg(ctx, _("without root, mapping more than your own uid needs newuidmap "
				       "and newgidmap: apt-get install uidmap (or use --map-root)"));
			return CMD_FAIL;
		}
		spec.newidmap = true;
		/* The helper is privileged: setgroups need not be denied for it. */
		if (!spec.setgroups_given)
			spec.setgroups_allow = true;
	}
	/* A root that is not the caller needs a copy owned by other uids: only
	 * root can make one (rootless runtimes unpack images inside the namespace). */
	if (!ctx->is_root && (spec.ns & CLONE_NEWUSER) && spec.nuid &&
	    spec.uid[0].outside != geteuid()) {
		out_msg(ctx, _("without root, the box's root must be your own uid: a root file system "
			       "owned by uid %u cannot be made (copying and chown to other users need "
			       "root). Leave out --uid-map: nslab maps 0 to you and adds your "
			       "subordinate ids itself"),
			spec.uid[0].outside);
		return CMD_FAIL;
	}
	struct nerr e = { 0 };
	if (!spec.rootfs[0])
		snprintf(spec.rootfs, sizeof(spec.rootfs), "%s", ctx->rootfs);
	/* From here on the rootfs is named by its real path: what is checked is
	 * what gets mounted or copied. */
	char real[PATH_MAX];
	if (rootfs_guard(spec.rootfs, real, sizeof(real), &e) < 0) {
		if (strcmp(e.call, "--rootfs") != 0)
			return out_nerr(ctx, &e);
		/* nslab's own rule, not the kernel's: one line says which and why. */
		out_msg(ctx, _("refused: %s: %s"), e.what, _(e.why));
		return CMD_FAIL;
	}
	snprintf(spec.rootfs, sizeof(spec.rootfs), "%s", real);
	if (rootfs_check(spec.rootfs, &e) < 0)
		return out_nerr(ctx, &e);
	if (box_spec_check(&spec, &e) < 0) {
		out_msg(ctx, "%s", _(e.why));
		return CMD_USAGE;
	}
	if (spec.apparmor[0] && !dry) {
		struct lsm_info li;
		lsm_detect("", &li);
		if (!li.apparmor_fs) {
			out_msg(ctx, _("--apparmor: AppArmor is not active on this kernel, so no profile "
				       "can confine the box ('lsm' explains)"));
			return CMD_FAIL;
		}
		if (!lsm_apparmor_loaded(spec.apparmor)) {
			out_msg(ctx, _("--apparmor: profile '%s' is not loaded (for nslab-box: lsm load)"),
				spec.apparmor);
			return CMD_FAIL;
		}
	}
	if (dry) {
		struct box_plan p;
		char dir[PATH_MAX];
		if (sess_box_dir(ctx->sess, name, false, dir, sizeof(dir)) < 0 ||
		    box_plan(&spec, dir, &p, &e) < 0)
			return out_nerr(ctx, &e);
		print_plan(ctx, &p);
		return CMD_OK;
	}
	if (!ctx->is_root && (spec.ns & ~CLONE_NEWUSER) && !(spec.ns & CLONE_NEWUSER)) {
		out_msg(ctx, _("without root, a box needs a user namespace: add user to --ns "
			       "(for example --ns user,mnt,uts,pid) or run sudo nslab"));
		return CMD_FAIL;
	}
	struct box *b;
	r = box_create(ctx->sess, &spec, &b, &e);
	if (r < 0)
		return out_nerr(ctx, &e);
	b->next = ctx->boxes;
	ctx->boxes = b;
	ctx->cur = b;
	out_explain(ctx);
	char fl[200];
	out(ctx, _("box %s: pid %d (host), namespaces %s, root %s\n"), name, (int)b->pid,
	    ns_flags_str(spec.ns, fl, sizeof(fl)),
	    b->plan.fs == FS_OVERLAY ? _("overlay") : _("copy"));
	if (spec.caps_set || spec.seccomp_src[0] || spec.nnp || spec.apparmor[0]) {
		out(ctx, _("confined: capabilities %s (%d), seccomp %s (%d rules), no_new_privs %s, "
			   "AppArmor %s\n"),
		    spec.caps_set ? spec.caps_src : _("all"),
		    __builtin_popcountll(spec.caps_set ? spec.caps_keep : cap_mask_all()),
		    spec.seccomp_src[0] ? spec.seccomp_src : _("none"), spec.seccomp.n,
		    spec.nnp ? _("on") : _("off"), spec.apparmor[0] ? spec.apparmor : _("none"));
	}
	if (b->plan.cgroup[0])
		out(ctx, _("box %s: cgroup %s/%s (its PID 1 joined it before its first step; 'cg stat %s' shows it)\n"),
		    name, CG_PARENT, b->plan.cgroup, name);
	return CMD_OK;
}

static int box_ls(struct nslab *ctx)
{
	if (!ctx->boxes) {
		out(ctx, _("no boxes. Make one: box new b1 --ns all\n"));
		return CMD_OK;
	}
	out(ctx, "   ");
	out_col(ctx, _("NAME"), 15);
	out_col(ctx, _("PID"), 9);
	out_col(ctx, _("STATE"), 9);
	out(ctx, "%s\n", _("NAMESPACES"));
	for (struct box *b = ctx->boxes; b; b = b->next) {
		char fl[200] = "";
		for (int i = 0; i < NS_COUNT; i++)
			if (b->spec.ns & ns_types[i].flag)
				snprintf(fl + strlen(fl), sizeof(fl) - strlen(fl), "%s%s", fl[0] ? "," : "",
					 ns_types[i].name);
		out(ctx, "%-3s%-14s %-8d ", b == ctx->cur ? "*" : "", b->spec.name, (int)b->pid);
		out_col(ctx, box_poll_dead(b) ? _("stopped") : _("running"), 9);
		out(ctx, "%s\n", fl);
	}
	return CMD_OK;
}

static int box_rm(struct nslab *ctx, int argc, char **argv)
{
	int rc = CMD_OK;
	for (int i = 0; i < argc; i++) {
		struct box *b = box_find(ctx, argv[i]);
		if (!b) {
			out_msg(ctx, _("no box named '%s' ('box ls' lists them)"), argv[i]);
			rc = CMD_FAIL;
			continue;
		}
		box_unlink(ctx, b);
		box_destroy(ctx->sess, b);
		out(ctx, _("box %s removed\n"), argv[i]);
	}
	return rc;
}

static int exec_box(struct nslab *ctx, int argc, char **argv)
{
	if (strcmp(argv[0], "box") != 0)
		return CMD_USAGE;
	const char *sub = argc > 1 ? argv[1] : "ls";
	if (strcmp(sub, "new") == 0) {
		if (argc < 3)
			return out_usage(&*ctx, &box_cmd, _("box new needs a NAME"));
		/* getopt sees argv[2] (the name) as its program name. */
		return box_new(ctx, argc - 2, argv + 2);
	}
	if (strcmp(sub, "ls") == 0)
		return argc > 2 ? out_usage(ctx, &box_cmd, _("box ls takes no arguments")) : box_ls(ctx);
	if (strcmp(sub, "rm") == 0) {
		if (argc < 3)
			return out_usage(ctx, &box_cmd, _("box rm needs a NAME"));
		return box_rm(ctx, argc - 2, argv + 2);
	}
	return out_usage(ctx, &box_cmd, _("unknown subcommand '%s' (new, ls, rm)"), sub);
}

CMD_REGISTER(box_cmd) = {
	.name = "box",
	.args = "new NAME [--ns LIST|all] [--rootfs DIR] [--chroot|--pivot] [--hostname H] "
		"[--map-root | --uid-map IN:OUT:LEN --gid-map IN:OUT:LEN] [--setgroups allow|deny] "
		"[--boottime-offset S] [--monotonic-offset S] [--memory SIZE] [--pids N] [--cpu PCT] "
		"[--cgroup] [--caps docker|none|LIST] [--seccomp default|FILE] [--mask docker] [--nnp] "
		"[--apparmor PROFILE] [--overlay|--copy] [--dry-run] | "
		"box ls | box rm NAME...",
	.summary = N_("make, list and remove boxes (processes in new namespaces)"),
	.help = N_("box new NAME makes a process in the namespaces that --ns names (default: "
		   "mnt,uts,ipc,pid), gives it its own root file system (an overlay of the "
		   "rootfs, or a copy), switches root with pivot_root (or chroot), mounts /proc, "
		   "and keeps it alive as PID 1 so that run and sh can enter it. Limits "
		   "(--memory 64M, --pids 50, --cpu 50%) give the box a cgroup of its own "
		   "(--cgroup: one without limits); its PID 1 starts inside it, and so does "
		   "everything run starts. --caps keeps only the named capabilities (docker: "
		   "Docker's default 14), --seccomp loads a system call filter (default: "
		   "profiles/seccomp-default.json, in Docker's format; any Docker profile file works), --mask docker masks and makes read-only what Docker does in /proc and /sys, --nnp sets no_new_privs, --apparmor runs "
		   "programs under an AppArmor profile; the box's first process takes them last, "
		   "and every run and sh again. --dry-run prints the plan of system calls without "
		   "making anything."),
	.min_args = 0,
	.max_args = -1,
	.flags = 0,
	.complete = COMPLETE_SUB,
	.subs = "new ls rm",
	.exec = exec_box,
};

static struct box *need_box(struct nslab *ctx)
{
	if (!ctx->cur) {
		out_msg(ctx, _("no current box: make one with 'box new NAME' or choose one with 'use NAME'"));
		return NULL;
	}
	if (box_poll_dead(ctx->cur)) {
		out_msg(ctx, _("box %s has stopped (its PID 1 ended, and with it the pid namespace): "
			       "'box rm %s' and make a new one"),
			ctx->cur->spec.name, ctx->cur->spec.name);
		return NULL;
	}
	return ctx->cur;
}

static int exec_use(struct nslab *ctx, int argc, char **argv)
{
	(void)argc;
	if (strcmp(argv[1], "host") == 0 || strcmp(argv[1], "-") == 0) {
		ctx->cur = NULL;
		return CMD_OK;
	}
	struct box *b = box_find(ctx, argv[1]);
	if (!b) {
		out_msg(ctx, _("no box named '%s' ('box ls' lists them)"), argv[1]);
		return CMD_USAGE; /* a name that is not there: bad usage, not the kernel */
	}
	ctx->cur = b;
	return CMD_OK;
}

CMD_REGISTER(use_cmd) = {
	.name = "use",
	.args = "NAME|host",
	.summary = N_("choose the box that run, sh and the pane work on"),
	.min_args = 1,
	.max_args = 1,
	.complete = COMPLETE_BOX,
	.exec = exec_use,
};

/* Before the program's first byte: the setup calls, so explain shows them
 * in the order they were made, and the pane sees the new records. */
static void before_output(void *arg)
{
	struct nslab *ctx = arg;
	out_explain(ctx);
	fflush(ctx->out);
	if (ctx->publish)
		ctx->publish(ctx);
}

static int exec_run(struct nslab *ctx, int argc, char **argv)
{
	struct box *b = need_box(ctx);
	if (!b)
		return CMD_USAGE; /* no box to run in: bad usage */
	struct box_exec_result res;
	struct nerr e = { 0 };
	fflush(ctx->out);
	fflush(stderr);
	/* On a terminal, docker exec -it: a pty of the program's own. */
	struct box_exec_opts o = { .mode = isatty(0) ? EXEC_TTY : EXEC_CAPTURE,
				   .out_fd = fileno(ctx->out),
				   .keep = true,
				   .on_start = before_output,
				   .arg = ctx };
	int r = box_run(b, argv + 1, &o, &res, &e);
	free(ctx->last_out);
	ctx->last_out = res.out;
	ctx->last_out_len = res.len;
	if (r < 0)
		return out_nerr(ctx, &e);
	(void)argc;
	if (res.status > 128 && res.status < 128 + 65) {
		int sig = res.status - 128;
		const char *name = sigabbrev_np(sig);
		out_msg(ctx, _("%s was killed by signal SIG%s (exit status %d = 128 + %d)%s"), argv[1],
			name ? name : "?", res.status, sig,
			sig == SIGSYS ? _(": a seccomp filter's kill action") : "");
	} else if (res.status != 0) {
		out_msg(ctx, _("%s ended with exit status %d"), argv[1], res.status);
	}
	/* The program's own status is the command's: 0 passes, anything else fails. */
	return res.status == 0 ? CMD_OK : res.status;
}

CMD_REGISTER(run_cmd) = {
	.name = "run",
	.args = "CMD [ARGS...]",
	.summary = N_("run a program inside the current box"),
	.help = N_("run enters the current box's namespaces with setns(2), changes root to "
		   "the box's root, and executes CMD. On a terminal CMD gets a pty of its own "
		   "(as docker exec -it): Ctrl-C, Ctrl-\\ and Ctrl-D reach CMD only, full-screen "
		   "programs work. Its output is shown as it comes and kept for lab checks."),
	.min_args = 1,
	.max_args = -1,
	.complete = COMPLETE_FILE,
	.exec = exec_run,
};

static int exec_sh(struct nslab *ctx, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	struct box *b = need_box(ctx);
	if (!b)
		return CMD_USAGE; /* no box to run in: bad usage */
	if (!isatty(0)) {
		out_msg(ctx, _("sh needs a terminal; in scripts use 'run CMD'"));
		return CMD_USAGE;
	}
	char *sh[] = { "/bin/sh", "-i", NULL };
	struct box_exec_result res;
	struct nerr e = { 0 };
	out(ctx, _("entering box %s: type 'exit' or Ctrl-D to come back\n"), b->spec.name);
	fflush(ctx->out);
	/* docker exec -it: the box's shell gets a pty of its own and does its
	 * own job control there; nslab's terminal stays nslab's. */
	struct box_exec_opts o = { .mode = EXEC_TTY,
				   .out_fd = fileno(ctx->out),
				   .job_control = true,
				   .on_start = before_output,
				   .arg = ctx };
	int r = box_run(b, sh, &o, &res, &e);
	free(res.out);
	if (r < 0)
		return out_nerr(ctx, &e);
	return CMD_OK;
}

CMD_REGISTER(sh_cmd) = {
	.name = "sh",
	.args = "",
	.summary = N_("an interactive shell inside the current box"),
	.min_args = 0,
	.max_args = 0,
	.exec = exec_sh,
};
