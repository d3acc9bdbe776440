/* demo.c - `demo`: the instructor's paced playback of a demo script
 * (engine in shell/demo/, format in docs-en/demo-format.md). */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../demo/demo.h"
#include "../kernel/cleanup.h"
#include "cmd.h"

static bool is_file(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

/* FILE as given, or a name from DATADIR/demos: NAME.LANG.demo, NAME.demo. */
static bool find_demo(struct nslab *ctx, const char *name, char *buf, size_t len)
{
	if (strchr(name, '/') || is_file(name)) {
		snprintf(buf, len, "%s", name);
		return is_file(buf);
	}
	const char *fmts[] = { "%s/demos/%s.%s.demo", "%s/demos/%s.demo%.0s", "%s/demos/%s%.0s" };
	for (size_t i = 0; i < ARRAY_SIZE(fmts); i++) {
		snprintf(buf, len, fmts[i], ctx->datadir, name, i18n_lang());
		if (is_file(buf))
			return true;
	}
	return false;
}

static int list_demos(struct nslab *ctx)
{
	char dir[PATH_MAX + 8];
	snprintf(dir, sizeof(dir), "%s/demos", ctx->datadir);
	_cleanup_closedir_ DIR *d = opendir(dir);
	if (!d) {
		out_msg(ctx, _("no demos in %s"), dir);
		return CMD_FAIL;
	}
	out(ctx, _("Demos in %s (nslab demo NAME):\n"), dir);
	struct dirent *de;
	char suffix[16];
	snprintf(suffix, sizeof(suffix), ".%s.demo", i18n_lang());
	int n = 0;
	while ((de = readdir(d))) {
		size_t l = strlen(de->d_name), sl = strlen(suffix);
		if (l > sl && strcmp(de->d_name + l - sl, suffix) == 0) {
			out(ctx, "  %.*s\n", (int)(l - sl), de->d_name);
			n++;
		}
	}
	return n ? CMD_OK : CMD_FAIL;
}

static int check_demo(struct nslab *ctx, const char *path, const struct demo *d)
{
	int steps = 0, cmds = 0, missing = 0;
	for (int i = 0; i < d->n; i++) {
		steps += demo_visible(&d->items[i]);
		cmds += d->items[i].kind == DEMO_RUN || d->items[i].kind == DEMO_RUN_FAIL;
	}
	char word[64];
	for (int i = 0; i < d->n; i++)
		if (demo_item_missing(&d->items[i], word, sizeof(word))) {
			out(ctx, _("%s:%d: '%s' is not in this nslab yet (the demo will skip it)\n"),
			    path, d->items[i].line, word);
			missing++;
		}
	out(ctx, _("%s: %d steps, %d commands, %d not available yet\n"), path, steps, cmds, missing);
	return CMD_OK;
}

static int exec_demo(struct nslab *ctx, int argc, char **argv)
{
	const struct cmd_entry *self = cmd_find("demo");
	struct demo_opts o = { .speed = 1.0 };
	const char *file = NULL, *notes = NULL;
	bool check = false;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		bool more = i + 1 < argc;
		if (strcmp(a, "--keys") == 0 && more) {
			o.keys = argv[++i];
		} else if (strcmp(a, "--auto") == 0) {
			o.autoplay = true;
		} else if (strcmp(a, "--check") == 0) {
			check = true;
		} else if (strcmp(a, "--notes") == 0 && more) {
			notes = argv[++i];
		} else if (strcmp(a, "--speed") == 0 && more) {
			char *end;
			o.speed = strtod(argv[++i], &end);
			if (*end || end == argv[i] || o.speed < 0 || o.speed > 100)
				return out_usage(ctx, self, _("--speed: a number from 0 (no delays) to 100, "
							      "not '%s'"),
						 argv[i]);
		} else if (a[0] == '-' && a[1]) {
			return out_usage(ctx, self, _("unknown option '%s'"), a);
		} else if (!file) {
			file = a;
		} else {
			return out_usage(ctx, self, _("one demo at a time"));
		}
	}
	if (!file)
		return list_demos(ctx);
	char path[PATH_MAX + 64];
	if (!find_demo(ctx, file, path, sizeof(path))) {
		out_msg(ctx, _("no demo '%s' (a file, or a name that 'demo' lists)"), file);
		return CMD_USAGE;
	}
	_cleanup_fclose_ FILE *f = fopen(path, "re");
	if (!f) {
		struct nerr e;
		nerr_set(&e, errno, "open", "open(\"%s\")", path);
		return out_nerr(ctx, &e);
	}
	struct demo *d = NULL;
	struct demo_error de;
	if (demo_parse(f, &d, &de) < 0) {
		char msg[256];
		snprintf(msg, sizeof(msg), _(de.msg), de.word);
		out_msg(ctx, "%s:%d: %s", path, de.line, msg);
		return CMD_USAGE;
	}
	int r;
	if (check) {
		r = check_demo(ctx, path, d);
	} else if (!o.keys && !o.autoplay && !isatty(0)) {
		out_msg(ctx, _("demo reads keys from a terminal; without one use --keys '  q' or "
			       "--auto"));
		r = CMD_USAGE;
	} else {
		_cleanup_fclose_ FILE *nf = notes ? fopen(notes, "ae") : NULL;
		if (notes && !nf) {
			struct nerr e;
			nerr_set(&e, errno, "open", "open(\"%s\", O_APPEND)", notes);
			demo_free(d);
			return out_nerr(ctx, &e);
		}
		o.notes = nf;
		r = demo_play(ctx, d, &o);
	}
	demo_free(d);
	return r;
}

CMD_REGISTER(demo_cmd) = {
	.name = "demo",
	.args = "[FILE|NAME] [--keys KEYS] [--auto] [--speed X] [--notes FILE] [--check]",
	.summary = N_("instructor mode: play a demo script, one key press at a time"),
	.help = N_("Keys: space or enter shows the next line or types the next command; p pauses "
		   "or resumes auto-advance; s skips the next command; r shows the last command's "
		   "output again; q quits. --keys feeds keys without a terminal (tests), --auto "
		   "advances by itself, --speed 2 is twice as fast (0: no delays), --notes FILE "
		   "writes presenter notes to a file or a second terminal, --check only reads "
		   "the script. With no FILE, lists the demos."),
	.min_args = 0,
	.max_args = -1,
	.flags = CMD_TOPLEVEL,
	.complete = COMPLETE_FILE,
	.exec = exec_demo,
};
