/* main.c - flags and modes: interactive, -c, script, stdin, and the
 * top-level commands (nslab cleanup, nslab doctor, ...). */
#include <errno.h>
#include <getopt.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "box/box.h"
#include "box/rootfs.h"
#include "box/state.h"
#include "cmd/cmd.h"
#include "kernel/cleanup.h"
#include "kernel/syscalls.h"
#include "kernel/userfile.h"
#include "nslab.h"
#include "record/tee.h"
#include "repl/repl.h"
#include "repl/panectl.h"

#ifndef NSLAB_DATADIR
#define NSLAB_DATADIR "/usr/local/share/nslab"
#endif
#ifndef NSLAB_LOCALEDIR
#define NSLAB_LOCALEDIR "/usr/local/share/locale"
#endif

static bool is_dir(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

/* Run from the source tree (./nslab) or installed (PREFIX/bin/nslab). */
static void find_datadir(struct nslab *ctx, char *localedir, size_t ll)
{
	const char *env = getenv("NSLAB_DATADIR");
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	ctx->datadir[0] = '\0';
	if (env && *env) {
		snprintf(ctx->datadir, sizeof(ctx->datadir), "%s", env);
	} else if (n > 0) {
		exe[n] = '\0';
		/* ./nslab or build/asan/nslab in a source tree: look up to two levels up. */
		for (int up = 0; up < 3 && !ctx->datadir[0]; up++) {
			char *slash = strrchr(exe, '/');
			if (!slash || slash == exe)
				break;
			*slash = '\0';
			char probe[PATH_MAX + 32];
			snprintf(probe, sizeof(probe), "%s/rootfs-scripts", exe);
			if (is_dir(probe))
				snprintf(ctx->datadir, sizeof(ctx->datadir), "%s", exe);
		}
	}
	if (!ctx->datadir[0])
		snprintf(ctx->datadir, sizeof(ctx->datadir), "%s", NSLAB_DATADIR);
	snprintf(localedir, ll, "%s/build/locale", ctx->datadir);
	if (!is_dir(localedir))
		snprintf(localedir, ll, "%s", NSLAB_LOCALEDIR);
	const char *rootfs = getenv("NSLAB_ROOTFS");
	if (rootfs && *rootfs)
		snprintf(ctx->rootfs, sizeof(ctx->rootfs), "%s", rootfs);
	else
		snprintf(ctx->rootfs, sizeof(ctx->rootfs), "%s/rootfs/busybox", ctx->datadir);
}

/* Made as the learner (fsuid), never through a link: a planted
 * `~/.local/state -> /run` makes nothing anywhere the learner could not. */
static void mkdir_owned(const char *path, uid_t uid, gid_t gid)
{
	struct uf_user u = { uid, gid };
	uf_mkdir(&u, path, 0755);
}

/* The learner's own state dir, even under sudo (the real user's home). */
static void find_userdir(struct nslab *ctx)
{
	const char *env = getenv("NSLAB_STATE_DIR");
	struct passwd *pw = NULL;
	const char *sudo_user = getenv("SUDO_USER");
	if (geteuid() == 0 && sudo_user && *sudo_user)
		pw = getpwnam(sudo_user);
	if (!pw)
		pw = getpwuid(getuid());
	ctx->user_uid = pw ? pw->pw_uid : getuid();
	ctx->user_gid = pw ? pw->pw_gid : getgid();
	if (env && *env) {
		snprintf(ctx->userdir, sizeof(ctx->userdir), "%s", env);
		mkdir_owned(ctx->userdir, ctx->user_uid, ctx->user_gid);
		return;
	}
	const char *home = pw ? pw->pw_dir : getenv("HOME");
	const char *xdg = getenv("XDG_STATE_HOME");
	char base[PATH_MAX];
	if (xdg && *xdg && !sudo_user) {
		snprintf(base, sizeof(base), "%s", xdg);
	} else {
		snprintf(base, sizeof(base), "%s/.local", home ? home : "/tmp");
		mkdir_owned(base, ctx->user_uid, ctx->user_gid);
		snprintf(base, sizeof(base), "%s/.local/state", home ? home : "/tmp");
	}
	mkdir_owned(base, ctx->user_uid, ctx->user_gid);
	snprintf(ctx->userdir, sizeof(ctx->userdir), "%s/nslab", base);
	mkdir_owned(ctx->userdir, ctx->user_uid, ctx->user_gid);
}

static void usage(FILE *f)
{
	fprintf(f, _("Usage: nslab [OPTIONS] [FILE.nsl]\n"
		     "       nslab -c 'CMD; CMD'\n"
		     "       nslab cleanup | doctor | top [--once] [PID] | demo FILE.demo\n"
		     "\n"
		     "Learn how containers work: every command makes real system calls.\n"
		     "\n"
		     "  -c CMDS          run commands, print, exit with the last status\n"
		     "  --lang en|ko     language of messages and labs (default: from LANG)\n"
		     "  --no-pane        no live pane beside the prompt\n"
		     "  --explain        start with 'explain on'\n"
		     "  --record FILE    record the session as an asciicast v2 file (asciinema play)\n"
		     "  --version        print the version\n"
		     "  --help           this help\n"
		     "\n"
		     "Inside, type 'help'. Exit status: 0 ok, 1 the kernel refused, 2 bad usage.\n"));
}

int main(int argc, char **argv)
{
	/* Descriptors inherited from whoever started us (`exec 9</` in the
	 * learner's shell, a terminal emulator's, a test harness's) are closed
	 * before anything else: no box program may reach the host through one
	 * (the runc CVE-2024-21626 pattern). */
	sys_close_from(3);
	umask(022); /* records and box dirs: writable by nslab alone */
	struct nslab ctx = { .out = stdout };
	char localedir[PATH_MAX + 32];
	const char *lang = NULL, *cmds = NULL, *record = NULL;
	bool no_pane = false, explain = false;
	/* --lang must be known before the first message. */
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--lang") == 0 && i + 1 < argc)
			lang = argv[i + 1];
		else if (strncmp(argv[i], "--lang=", 7) == 0)
			lang = argv[i] + 7;
		else if (strcmp(argv[i], "--") == 0 || argv[i][0] != '-')
			break;
	}
	find_datadir(&ctx, localedir, sizeof(localedir));
	if (lang && strcmp(lang, "en") != 0 && strcmp(lang, "ko") != 0) {
		i18n_init(NULL, localedir);
		char msg[256];
		snprintf(msg, sizeof(msg), _("nslab: --lang: en or ko, not '%s'\n"), lang);
		i18n_particles(msg);
		fputs(msg, stderr);
		return CMD_USAGE;
	}
	i18n_init(lang, localedir);

	static const struct option opts[] = {
		{ "lang", required_argument, NULL, 'L' }, { "no-pane", no_argument, NULL, 'P' },
		{ "explain", no_argument, NULL, 'E' },    { "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },       { "record", required_argument, NULL, 'R' },
		{ NULL, 0, NULL, 0 },
	};
	int o;
	opterr = 0;
	while ((o = getopt_long(argc, argv, "+c:h", opts, NULL)) != -1) {
		switch (o) {
		case 'L':
			break;
		case 'P':
			no_pane = true;
			break;
		case 'E':
			explain = true;
			break;
		case 'R':
			record = optarg;
			break;
		case 'c':
			cmds = optarg;
			break;
		case 'V':
			printf("nslab %s\n", NSLAB_VERSION);
			return 0;
		case 'h':
			usage(stdout);
			return 0;
		default:
			fprintf(stderr, _("nslab: unknown option '%s'\n"), argv[optind - 1]);
			usage(stderr);
			return CMD_USAGE;
		}
	}
	ctx.is_root = geteuid() == 0;
	ctx.explain = explain;
	find_userdir(&ctx);
	/* --record: from here on, fds 1 and 2 (ours and every child's) pass
	 * through a tee process that also writes the asciicast file. */
	struct tee rec = { 0 };
	struct nerr re = { 0 };
	if (record && tee_record(&rec, record, ctx.user_uid, ctx.user_gid, &re) < 0) {
		out_nerr(&ctx, &re);
		return CMD_FAIL;
	}
	sig_install();

	/* What a crashed nslab left behind goes first. */
	ctx.stale_runs = sess_cleanup_stale(false, &ctx.stale_items);
	rootfs_stamps_prune();
	if (ctx.stale_runs > 0 && isatty(2))
		fprintf(stderr, _("nslab: removed what %d earlier run(s) left behind (%d resources)\n"),
			ctx.stale_runs, ctx.stale_items);

	struct nerr e = { 0 };
	if (sess_open(&ctx.sess, &e) < 0) {
		out_nerr(&ctx, &e);
		fprintf(stderr, _("  nslab keeps its records in %s: run as root (sudo nslab), or set "
				  "XDG_RUNTIME_DIR\n"),
			sess_rundir());
		tee_stop(&rec);
		return CMD_FAIL;
	}

	int st;
	const struct cmd_entry *top = optind < argc ? cmd_find(argv[optind]) : NULL;
	if (cmds) {
		st = repl_run_line(&ctx, cmds);
	} else if (top && (top->flags & CMD_TOPLEVEL)) {
		st = cmd_run(&ctx, argc - optind, argv + optind);
	} else if (optind < argc) {
		const char *path = argv[optind];
		_cleanup_fclose_ FILE *f = strcmp(path, "-") == 0 ? NULL : fopen(path, "re");
		if (!f && strcmp(path, "-") != 0) {
			char msg[PATH_MAX + 256];
			snprintf(msg, sizeof(msg), _("nslab: cannot open script '%s': %s\n"), path,
				 strerror(errno));
			i18n_particles(msg);
			fputs(msg, stderr);
			st = CMD_USAGE;
		} else {
			st = repl_batch(&ctx, f ? f : stdin, path, true);
		}
	} else if (isatty(0) && isatty(1)) {
		ctx.interactive = true;
		/* The pane takes the screen, or says nothing and the shell runs without. */
		ctx.publish = pane_publish;
		pane_publish(&ctx);
		if (!no_pane)
			pane_open(&ctx);
		fprintf(ctx.out, _("nslab %s: learn containers with real system calls. 'help' lists "
			 "commands, 'labs' the labs. Ctrl-D leaves.\n"),
		       NSLAB_VERSION);
		if (!ctx.is_root)
			fprintf(ctx.out, _("You are not root: only user-namespace boxes work (box new b --ns "
				 "user,uts,pid,mnt). For everything: sudo nslab\n"));
		st = repl_interactive(&ctx);
		pane_close(&ctx);
	} else {
		st = repl_batch(&ctx, stdin, "stdin", false);
	}
	fflush(stdout);
	box_remove_all(&ctx);
	lab_state_free(&ctx);
	sess_close(ctx.sess);
	free(ctx.last_out);
	tee_stop(&rec);
	int sig = sig_pending();
	if (sig) {
		/* Leave the way the signal asked, now that everything is cleaned. */
		signal(sig, SIG_DFL);
		raise(sig);
	}
	return st;
}
