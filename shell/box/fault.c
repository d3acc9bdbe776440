/* fault.c - NSLAB_FAULT: deterministic kills and refusals during box creation
 * (see fault.h). Only in builds with -DNSLAB_FAULTS. */
#include "fault.h"

#ifdef NSLAB_FAULTS

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../kernel/cleanup.h"
#include "box.h"

enum fault_kind { F_KILL, F_FAIL };

struct fault {
	enum fault_kind kind;
	int step;     /* 1-based, as --dry-run numbers them */
	int creation; /* the K-th box_create of this process */
	int code;     /* errno, for F_FAIL */
};

static struct fault faults[32];
static int nfaults;
static int creations; /* box creations begun so far */
static bool active;   /* inside creation number `creations` */

static __attribute__((noreturn)) void bad_spec(const char *spec, const char *why)
{
	/* Test builds only: no learner ever sees this. */
	fprintf(stderr, "nslab: NSLAB_FAULT='%s': %s\n"
			"  forms: kill@STEP[/BOX], fail@STEP:ERRNO[/BOX], comma-separated\n",
		spec, why);
	_exit(2);
}

static int errno_by_name(const char *s)
{
	char *end;
	long n = strtol(s, &end, 10);
	if (end != s && !*end)
		return n > 0 && n < 4096 ? (int)n : -1;
	for (int i = 1; i < 134; i++) {
		const char *name = strerrorname_np(i);
		if (name && strcmp(name, s) == 0)
			return i;
	}
	return -1;
}

static int positive(const char *s, char **end)
{
	if (*s < '1' || *s > '9')
		return -1;
	long n = strtol(s, end, 10);
	return n > 0 && n < 1000 ? (int)n : -1;
}

/* Read at start, before any box: a bad spec ends nslab before it acts. */
static __attribute__((constructor)) void fault_parse(void)
{
	const char *env = getenv("NSLAB_FAULT");
	if (!env || !*env)
		return;
	char buf[1024];
	if (strlen(env) >= sizeof(buf))
		bad_spec(env, "too long");
	snprintf(buf, sizeof(buf), "%s", env);
	for (char *item = buf, *next; item; item = next) {
		next = strchr(item, ',');
		if (next)
			*next++ = '\0';
		if (nfaults == (int)ARRAY_SIZE(faults))
			bad_spec(env, "too many faults");
		struct fault *f = &faults[nfaults++];
		char *p;
		if (strncmp(item, "kill@", 5) == 0) {
			f->kind = F_KILL;
			p = item + 5;
		} else if (strncmp(item, "fail@", 5) == 0) {
			f->kind = F_FAIL;
			p = item + 5;
		} else {
			bad_spec(env, "each fault starts with kill@ or fail@");
		}
		char *end;
		if ((f->step = positive(p, &end)) < 0)
			bad_spec(env, "a step is a number from 1, as box new --dry-run numbers them");
		f->creation = 1;
		char *slash = strchr(end, '/');
		if (slash) {
			char *e2;
			if ((f->creation = positive(slash + 1, &e2)) < 0 || *e2)
				bad_spec(env, "/BOX is a number from 1: the BOX-th box this nslab makes");
			*slash = '\0';
		}
		if (f->kind == F_FAIL) {
			if (*end != ':' || (f->code = errno_by_name(end + 1)) < 0)
				bad_spec(env, "fail@STEP needs :ERRNO, a name (EPERM) or a number");
		} else if (*end) {
			bad_spec(env, "kill@STEP takes no errno");
		}
	}
}

void fault_box_begin(void)
{
	creations++;
	active = true;
}

void fault_box_end(void)
{
	active = false;
}

static const struct fault *find(enum fault_kind kind, int i)
{
	if (!active)
		return NULL;
	for (int k = 0; k < nfaults; k++)
		if (faults[k].kind == kind && faults[k].step == i + 1 &&
		    faults[k].creation == creations)
			return &faults[k];
	return NULL;
}

bool fault_kill_at(int i)
{
	return find(F_KILL, i) != NULL;
}

/* The system call whose refusal a failed step reports. */
static const char *step_call(enum step_op op)
{
	switch (op) {
	case ST_MKDIR:
		return "mkdir";
	case ST_COPY:
		return "cp";
	case ST_CGROUP:
	case ST_CGJOIN:
		return "cgroup";
	case ST_CLONE:
		return "clone";
	case ST_TIMENS:
		return "unshare";
	case ST_SETID:
		return "setresuid";
	case ST_HOSTNAME:
		return "sethostname";
	case ST_PRIVATE:
	case ST_OVERLAY:
	case ST_BIND_ROOT:
	case ST_PROC:
	case ST_BIND_PROC:
	case ST_DEV:
		return "mount";
	case ST_PIVOT:
		return "pivot_root";
	case ST_UMOUNT_OLD:
		return "umount2";
	case ST_CHROOT:
		return "chroot";
	case ST_NNP:
	case ST_INIT:
		return "prctl";
	case ST_CAPS:
		return "capset";
	case ST_SECCOMP:
	case ST_SECCOMP_EXTRA:
		return "seccomp";
	default:
		return "write";
	}
}

int fault_fail_at(const struct box_plan *p, int i, struct nerr *e)
{
	const struct fault *f = find(F_FAIL, i);
	if (!f || i >= p->n)
		return 0;
	return nerr_set(e, f->code, step_call(p->steps[i].op), "%s", p->steps[i].text);
}

#endif
