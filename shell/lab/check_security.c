/* check_security.c - predicates over what a process in a box may do. */
#include "check_security.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../box/box.h"
#include "../box/layers.h"
#include "../i18n.h"
#include "../kernel/caps.h"
#include "../kernel/cleanup.h"
#include "../kernel/procfs.h"
#include "../kernel/seccomp.h"

static struct box *find_live(struct nslab *ctx, const char *name, char *why, size_t len)
{
	for (struct box *b = ctx->boxes; b; b = b->next) {
		if (strcmp(b->spec.name, name) != 0)
			continue;
		if (box_poll_dead(b)) {
			snprintf(why, len, _("box %s has stopped"), name);
			return NULL;
		}
		return b;
	}
	snprintf(why, len, _("there is no box %s yet"), name);
	return NULL;
}

/* The status text of a fresh process in the box (see box_probe_status). */
static char *probe(struct nslab *ctx, const char *name, char *why, size_t len)
{
	struct box *b = find_live(ctx, name, why, len);
	if (!b)
		return NULL;
	char *st = NULL;
	struct nerr e = { 0 };
	if (box_probe_status(b, &st, &e) < 0) {
		snprintf(why, len, _("could not start a process in box %s: %s"), name, e.what);
		return NULL;
	}
	return st;
}

static int compare(long a, const char *op, long b)
{
	if (strcmp(op, "==") == 0)
		return a == b;
	if (strcmp(op, ">=") == 0)
		return a >= b;
	if (strcmp(op, "<=") == 0)
		return a <= b;
	if (strcmp(op, ">") == 0)
		return a > b;
	if (strcmp(op, "<") == 0)
		return a < b;
	return -1;
}

static int parse_num(const char *s, long *ret)
{
	char *end;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (!*s || *end || errno)
		return -1;
	*ret = v;
	return 0;
}

/* caps BOX has|lacks CAP */
static int check_caps(struct nslab *ctx, int argc, char **argv, char *why, size_t len)
{
	int cap;
	bool has = argc > 2 && strcmp(argv[2], "has") == 0;
	if (argc != 4 || (!has && strcmp(argv[2], "lacks") != 0) || cap_parse_name(argv[3], &cap) < 0) {
		snprintf(why, len, "caps BOX has|lacks CAP");
		return -1;
	}
	_cleanup_free_ char *st = probe(ctx, argv[1], why, len);
	struct cap_sets cs;
	if (!st || cap_sets_parse(st, &cs, NULL) < 0)
		return -1;
	uint64_t bit = 1ULL << cap;
	bool eff = cs.set[CAPS_EFF] & bit, bnd = cs.set[CAPS_BND] & bit;
	const char *fmt = eff && bnd  ? _("in box %s, %s is in the effective and the bounding set")
			  : eff	       ? _("in box %s, %s is effective, but gone from the bounding set")
			  : bnd	       ? _("in box %s, %s is not effective, but still in the bounding set")
				       : _("in box %s, %s is in neither the effective nor the bounding set");
	snprintf(why, len, fmt, argv[1], argv[3]);
	return has ? eff : (!eff && !bnd);
}

/* seccomp BOX mode N | seccomp BOX filters OP N */
static int check_seccomp(struct nslab *ctx, int argc, char **argv, char *why, size_t len)
{
	long n;
	bool mode = argc == 4 && strcmp(argv[2], "mode") == 0;
	bool filters = argc == 5 && strcmp(argv[2], "filters") == 0;
	if ((!mode && !filters) || parse_num(argv[argc - 1], &n) < 0 ||
	    (filters && compare(0, argv[3], 0) < 0)) {
		snprintf(why, len, "seccomp BOX mode N | seccomp BOX filters OP N");
		return -1;
	}
	_cleanup_free_ char *st = probe(ctx, argv[1], why, len);
	if (!st)
		return -1;
	struct sc_status s;
	sc_status_parse(st, &s);
	snprintf(why, len, _("in box %s, Seccomp is %d with %d filter(s)"), argv[1], s.mode,
		 s.filters);
	return mode ? s.mode == n : compare(s.filters, argv[3], n);
}

/* nnp BOX on|off */
static int check_nnp(struct nslab *ctx, int argc, char **argv, char *why, size_t len)
{
	bool on = argc > 2 && strcmp(argv[2], "on") == 0;
	if (argc != 3 || (!on && strcmp(argv[2], "off") != 0)) {
		snprintf(why, len, "nnp BOX on|off");
		return -1;
	}
	_cleanup_free_ char *st = probe(ctx, argv[1], why, len);
	if (!st)
		return -1;
	struct sc_status s;
	sc_status_parse(st, &s);
	snprintf(why, len, _("in box %s, NoNewPrivs is %d"), argv[1], s.nnp);
	return on ? s.nnp == 1 : s.nnp == 0;
}

/* upper BOX PATH new|copied|whiteout|opaque|absent */
static int check_upper(struct nslab *ctx, int argc, char **argv, char *why, size_t len)
{
	static const char *const words[UP_KINDS] = { "new", "copied", "copied", "whiteout",
						     "opaque" };
	if (argc != 4 || argv[2][0] != '/' || strstr(argv[2], "/../")) {
		snprintf(why, len, "upper BOX /PATH new|copied|whiteout|opaque|absent");
		return -1;
	}
	struct box *b = NULL;
	for (struct box *i = ctx->boxes; i; i = i->next)
		if (strcmp(i->spec.name, argv[1]) == 0)
			b = i;
	if (!b) {
		snprintf(why, len, _("there is no box %s yet"), argv[1]);
		return -1;
	}
	if (b->plan.fs != FS_OVERLAY) {
		snprintf(why, len, _("box %s has a copy of the rootfs, not an overlay"), argv[1]);
		return 0;
	}
	char path[PATH_MAX * 2];
	snprintf(path, sizeof(path), "%s%s", b->plan.upper, argv[2]);
	struct stat st;
	if (lstat(path, &st) < 0) {
		snprintf(why, len, _("the upper dir of box %s has nothing at %s"), argv[1], argv[2]);
		return strcmp(argv[3], "absent") == 0;
	}
	enum upper_kind k = layers_kind(b->spec.rootfs, argv[2] + 1, &st, path);
	snprintf(why, len, _("the upper dir of box %s has %s: %s"), argv[1], argv[2], words[k]);
	return strcmp(argv[3], words[k]) == 0;
}

/* lsm BOX confined|unconfined */
static int check_lsm(struct nslab *ctx, int argc, char **argv, char *why, size_t len)
{
	bool want = argc > 2 && strcmp(argv[2], "confined") == 0;
	if (argc != 3 || (!want && strcmp(argv[2], "unconfined") != 0)) {
		snprintf(why, len, "lsm BOX confined|unconfined");
		return -1;
	}
	_cleanup_free_ char *st = probe(ctx, argv[1], why, len);
	if (!st)
		return -1;
	/* The probe printed status, then /proc/self/attr/current when an LSM labels. */
	char *tail = strstr(st, "nonvoluntary_ctxt_switches:");
	tail = tail ? strchr(tail, '\n') : NULL;
	char label[256] = "";
	if (tail && tail[1])
		snprintf(label, sizeof(label), "%.*s", (int)strcspn(tail + 1, "\n"), tail + 1);
	bool confined = label[0] && strncmp(label, "unconfined", 10) != 0;
	snprintf(why, len, _("in box %s, the LSM label is '%s'"), argv[1],
		 label[0] ? label : _("(none: no LSM active)"));
	return want ? confined : !confined;
}

const struct lab_pred_entry lab_security_preds[] = {
	{ "caps", "caps BOX has|lacks CAP", 4, check_caps },
	{ "seccomp", "seccomp BOX mode N | seccomp BOX filters OP N", 4, check_seccomp },
	{ "nnp", "nnp BOX on|off", 3, check_nnp },
	{ "upper", "upper BOX /PATH new|copied|whiteout|opaque|absent", 4, check_upper },
	{ "lsm", "lsm BOX confined|unconfined", 3, check_lsm },
};
const size_t lab_security_npreds = sizeof(lab_security_preds) / sizeof(lab_security_preds[0]);

const struct lab_pred_entry *lab_security_find(const char *word)
{
	for (size_t i = 0; i < lab_security_npreds; i++)
		if (strcmp(lab_security_preds[i].word, word) == 0)
			return &lab_security_preds[i];
	return NULL;
}
