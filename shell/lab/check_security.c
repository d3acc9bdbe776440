/* check_security.c - predicates over what a process in a box may do. */
#include "check_security.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../box/box.h"
#include "../box/layers.h"
#include "../cmd/cmd.h"
#include "../i18n.h"
#include "../kernel/caps.h"
#include "../kernel/cleanup.h"
#include "../kernel/seccomp.h"

static struct box *find_box(struct lab_snap *s, const char *name, bool running, char *saw,
			    size_t len)
{
	struct box *b = box_find(s->ctx, name);
	if (!b) {
		snprintf(saw, len, _("there is no box %s yet"), name);
		return NULL;
	}
	if (running && box_poll_dead(b)) {
		snprintf(saw, len, _("box %s has stopped"), name);
		return NULL;
	}
	return b;
}

/* The status text of a fresh process in the box (box_probe_status). */
static char *probe(struct lab_snap *s, const char *name, char *saw, size_t len)
{
	struct box *b = find_box(s, name, true, saw, len);
	if (!b)
		return NULL;
	char *st = NULL;
	struct nerr e = { 0 };
	if (box_probe_status(b, &st, &e) < 0) {
		snprintf(saw, len, _("could not start a process in box %s: %s"), name, e.what);
		return NULL;
	}
	return st;
}

static int compare(long a, const char *op, long b)
{
	if (strcmp(op, "==") == 0)
		return a == b;
	if (strcmp(op, "!=") == 0)
		return a != b;
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

static int parse_num(const char *w, long *ret)
{
	char *end;
	errno = 0;
	long v = strtol(w, &end, 10);
	if (!*w || *end || errno)
		return -1;
	*ret = v;
	return 0;
}

/* ---------------- caps BOX has|lacks CAP ---------------- */

const char *lab_sec_v_caps(int argc, char **argv)
{
	int cap;
	if (strcmp(argv[1], "has") && strcmp(argv[1], "lacks"))
		return N_("say has or lacks");
	if (cap_parse_name(argv[2], &cap) < 0)
		return N_("not a capability name (CAP_SYS_ADMIN, net_raw, ...)");
	return NULL;
}

bool lab_sec_p_caps(struct lab_snap *s, int argc, char **argv, char *saw, size_t len)
{
	int cap;
	if (cap_parse_name(argv[2], &cap) < 0)
		return false;
	_cleanup_free_ char *st = probe(s, argv[0], saw, len);
	struct cap_sets cs;
	if (!st || cap_sets_parse(st, &cs, NULL) < 0)
		return false;
	uint64_t bit = 1ULL << cap;
	bool eff = cs.set[CAPS_EFF] & bit, bnd = cs.set[CAPS_BND] & bit;
	const char *fmt = eff && bnd ? _("in box %s, %s is in the effective and the bounding set")
			  : eff	     ? _("in box %s, %s is effective, but gone from the bounding set")
			  : bnd	     ? _("in box %s, %s is not effective, but still in the bounding set")
				     : _("in box %s, %s is in neither the effective nor the bounding set");
	snprintf(saw, len, fmt, argv[0], argv[2]);
	return strcmp(argv[1], "has") == 0 ? eff : (!eff && !bnd);
}

/* ---------------- seccomp BOX mode N | filters OP N ---------------- */

const char *lab_sec_v_seccomp(int argc, char **argv)
{
	long n;
	if (argc == 3 && strcmp(argv[1], "mode") == 0 && parse_num(argv[2], &n) == 0)
		return NULL;
	if (argc == 4 && strcmp(argv[1], "filters") == 0 && compare(0, argv[2], 0) >= 0 &&
	    parse_num(argv[3], &n) == 0)
		return NULL;
	return N_("say mode N, or filters OP N");
}

bool lab_sec_p_seccomp(struct lab_snap *s, int argc, char **argv, char *saw, size_t len)
{
	long n;
	if (parse_num(argv[argc - 1], &n) < 0)
		return false;
	_cleanup_free_ char *st = probe(s, argv[0], saw, len);
	if (!st)
		return false;
	struct sc_status ss;
	sc_status_parse(st, &ss);
	snprintf(saw, len, _("in box %s, Seccomp is %d with %d filter(s)"), argv[0], ss.mode,
		 ss.filters);
	if (argc == 3)
		return ss.mode == n;
	return compare(ss.filters, argv[2], n) == 1;
}

/* ---------------- nnp BOX on|off ---------------- */

const char *lab_sec_v_nnp(int argc, char **argv)
{
	return strcmp(argv[1], "on") && strcmp(argv[1], "off") ? N_("say on or off") : NULL;
}

bool lab_sec_p_nnp(struct lab_snap *s, int argc, char **argv, char *saw, size_t len)
{
	_cleanup_free_ char *st = probe(s, argv[0], saw, len);
	if (!st)
		return false;
	struct sc_status ss;
	sc_status_parse(st, &ss);
	snprintf(saw, len, _("in box %s, NoNewPrivs is %d"), argv[0], ss.nnp);
	return ss.nnp == (strcmp(argv[1], "on") == 0 ? 1 : 0);
}

/* ---------------- upper BOX /PATH new|copied|whiteout|opaque|absent ---------------- */

static const char *const upper_words[UP_KINDS] = { "new", "copied", "copied", "whiteout",
						   "opaque" };

const char *lab_sec_v_upper(int argc, char **argv)
{
	if (argv[1][0] != '/' || strstr(argv[1], "/../") || strstr(argv[1], "/.."))
		return N_("PATH starts with / and has no ..");
	static const char *const ok[] = { "new", "copied", "whiteout", "opaque", "absent" };
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
		if (strcmp(argv[2], ok[i]) == 0)
			return NULL;
	return N_("say new, copied, whiteout, opaque or absent");
}

bool lab_sec_p_upper(struct lab_snap *s, int argc, char **argv, char *saw, size_t len)
{
	struct box *b = find_box(s, argv[0], false, saw, len);
	if (!b)
		return false;
	if (b->plan.fs != FS_OVERLAY) {
		snprintf(saw, len, _("box %s has a copy of the rootfs, not an overlay"), argv[0]);
		return false;
	}
	char path[PATH_MAX * 2];
	snprintf(path, sizeof(path), "%s%s", b->plan.upper, argv[1]);
	struct stat st;
	if (lstat(path, &st) < 0) {
		snprintf(saw, len, _("the upper dir of box %s has nothing at %s"), argv[0], argv[1]);
		return strcmp(argv[2], "absent") == 0;
	}
	enum upper_kind k = layers_kind(b->spec.rootfs, argv[1] + 1, &st, path);
	snprintf(saw, len, _("the upper dir of box %s has %s: %s"), argv[0], argv[1], upper_words[k]);
	return strcmp(argv[2], upper_words[k]) == 0;
}

/* ---------------- lsm BOX confined|unconfined ---------------- */

const char *lab_sec_v_lsm(int argc, char **argv)
{
	return strcmp(argv[1], "confined") && strcmp(argv[1], "unconfined")
		       ? N_("say confined or unconfined")
		       : NULL;
}

bool lab_sec_p_lsm(struct lab_snap *s, int argc, char **argv, char *saw, size_t len)
{
	_cleanup_free_ char *st = probe(s, argv[0], saw, len);
	if (!st)
		return false;
	/* The probe printed status, then /proc/self/attr/current when an LSM labels. */
	char *tail = strstr(st, "nonvoluntary_ctxt_switches:");
	tail = tail ? strchr(tail, '\n') : NULL;
	char label[256] = "";
	if (tail && tail[1])
		snprintf(label, sizeof(label), "%.*s", (int)strcspn(tail + 1, "\n"), tail + 1);
	bool confined = label[0] && strncmp(label, "unconfined", 10) != 0;
	snprintf(saw, len, _("in box %s, the LSM label is '%s'"), argv[0],
		 label[0] ? label : _("(none: no LSM active)"));
	return (strcmp(argv[1], "confined") == 0) == confined;
}
