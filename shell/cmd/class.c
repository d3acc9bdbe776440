/* class.c - `class report DIR`: the instructor's table of who reached which
 * step, from the progress files learners exported (shell/class/report.h). */
#include <errno.h>
#include <string.h>

#include "../class/report.h"
#include "cmd.h"

static void on_skip(void *arg, const char *path, const char *why)
{
	out_msg(arg, _("skipped %s: %s"), path, why);
}

/* Every lab that at least one learner's file lists, in order. */
static int labs_seen(const struct class_report *r, int *v)
{
	int n = 0;
	for (int num = 0; num < CLASS_LABS; num++)
		for (int i = 0; i < r->n; i++)
			if (r->v[i].labs[num].seen) {
				v[n++] = num;
				break;
			}
	return n;
}

static void csv_field(struct nslab *ctx, const char *s)
{
	/* RFC 4180: quote when needed, double the quotes inside. */
	if (!strpbrk(s, ",\"\n")) {
		out(ctx, "%s", s);
		return;
	}
	out(ctx, "\"");
	for (; *s; s++)
		out(ctx, *s == '"' ? "\"\"" : "%c", *s);
	out(ctx, "\"");
}

static void print_csv(struct nslab *ctx, const struct class_report *r, const int *labs, int nl)
{
	out(ctx, "learner,who,exported,lab,title,steps_done,steps_total,next_step\n");
	for (int i = 0; i < r->n; i++) {
		const struct class_learner *l = &r->v[i];
		for (int k = 0; k < nl; k++) {
			const struct class_lab *lab = &l->labs[labs[k]];
			if (!lab->seen)
				continue;
			int total, done = class_lab_done(l, labs[k], &total);
			const char *next = "";
			for (int s = 0; s < lab->nsteps && !*next; s++)
				if (!lab->steps[s].done)
					next = lab->steps[s].id;
			csv_field(ctx, l->name);
			out(ctx, ",");
			csv_field(ctx, l->who);
			out(ctx, ",%s,%02d,", l->exported, labs[k]);
			csv_field(ctx, lab->title);
			out(ctx, ",%d,%d,%s\n", done, total, next);
		}
	}
}

static void print_table(struct nslab *ctx, const struct class_report *r, const int *labs, int nl)
{
	int w = (int)strlen(_("learner"));
	for (int i = 0; i < r->n; i++)
		if ((int)strlen(r->v[i].name) > w)
			w = (int)strlen(r->v[i].name);
	out_col(ctx, _("learner"), w + 2);
	for (int k = 0; k < nl; k++)
		out(ctx, "%-6.02d", labs[k]);
	out(ctx, "%s\n", _("reached"));
	for (int i = 0; i < r->n; i++) {
		const struct class_learner *l = &r->v[i];
		out_col(ctx, l->name, w + 2);
		for (int k = 0; k < nl; k++) {
			int total, done = class_lab_done(l, labs[k], &total);
			char cell[16];
			if (!l->labs[labs[k]].seen || done == 0)
				snprintf(cell, sizeof(cell), "-");
			else if (done == total)
				snprintf(cell, sizeof(cell), "ok");
			else
				snprintf(cell, sizeof(cell), "%d/%d", done, total);
			out(ctx, "%-6s", cell);
		}
		int step, num = class_reached(l, &step);
		if (num < 0)
			out(ctx, _("not started"));
		else if (step < 0)
			out(ctx, _("lab %02d complete"), num);
		else
			out(ctx, _("lab %02d step %d of %d (%s)"), num, step + 1, l->labs[num].nsteps,
			    l->labs[num].steps[step].id);
		out(ctx, "\n");
	}
	/* How many finished each lab: where the class stands. */
	out_col(ctx, _("finished"), w + 2);
	for (int k = 0; k < nl; k++) {
		int fin = 0;
		for (int i = 0; i < r->n; i++) {
			int total, done = class_lab_done(&r->v[i], labs[k], &total);
			fin += total > 0 && done == total;
		}
		char cell[16];
		snprintf(cell, sizeof(cell), "%d/%d", fin, r->n);
		out(ctx, "%-6s", cell);
	}
	out(ctx, "\n");
}

static int exec_class(struct nslab *ctx, int argc, char **argv)
{
	const struct cmd_entry *self = cmd_find("class");
	if (strcmp(argv[1], "report") != 0)
		return out_usage(ctx, self, _("unknown subcommand '%s' (report)"), argv[1]);
	const char *dir = NULL;
	bool csv = false;
	for (int i = 2; i < argc; i++) {
		if (strcmp(argv[i], "--csv") == 0)
			csv = true;
		else if (!dir && argv[i][0] != '-')
			dir = argv[i];
		else
			return out_usage(ctx, self, _("unknown option '%s'"), argv[i]);
	}
	if (!dir)
		return out_usage(ctx, self, _("name the directory of progress files"));
	struct class_report r = { 0 };
	int n = class_load_dir(&r, dir, on_skip, ctx);
	if (n < 0) {
		struct nerr e;
		nerr_set(&e, n, "opendir", "opendir(\"%s\")", dir);
		return out_nerr(ctx, &e);
	}
	if (n == 0) {
		out_msg(ctx, _("no progress files in %s: learners write them with "
			       "'progress --export NAME.json'"),
			dir);
		class_report_free(&r);
		return CMD_FAIL;
	}
	class_sort(&r);
	int labs[CLASS_LABS];
	int nl = labs_seen(&r, labs);
	if (csv) {
		print_csv(ctx, &r, labs, nl);
	} else {
		out(ctx, _("Class report: %d learners, %d files, from %s\n\n"), r.n, r.files, dir);
		print_table(ctx, &r, labs, nl);
	}
	class_report_free(&r);
	return CMD_OK;
}

CMD_REGISTER(class_cmd) = {
	.name = "class",
	.args = "report DIR [--csv]",
	.summary = N_("instructor: merge learners' exported progress into one table"),
	.help = N_("class report DIR reads every NAME.json in DIR (and every file in DIR/NAME/) "
		   "written by 'progress --export', merges the files of each learner, and shows "
		   "who reached which step: ok = lab done, 3/5 = steps done, - = not started. "
		   "--csv prints one line per learner and lab, for a spreadsheet."),
	.min_args = 2,
	.max_args = 3,
	.flags = CMD_TOPLEVEL | CMD_NOLOG,
	.complete = COMPLETE_SUB,
	.subs = "report",
	.exec = exec_class,
};
