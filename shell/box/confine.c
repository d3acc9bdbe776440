/* confine.c - the last steps before a box process runs anything: AppArmor,
 * no_new_privs, capabilities, seccomp. The box's first process takes them at
 * the end of setup; every process that run and sh start takes them again
 * right before execve, because setns(2) moves a process into namespaces but
 * hands it none of the first process's credentials or filters. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>

#include "../kernel/caps.h"
#include "../kernel/cleanup.h"
#include "../kernel/lsm.h"
#include "../kernel/seccomp.h"
#include "../kernel/trace.h"
#include "box.h"

void box_confine_of(const struct box_spec *spec, const struct box *b, struct box_confine *c)
{
	memset(c, 0, sizeof(*c));
	c->caps = spec->caps_set || (b && b->caps_dropped);
	c->keep = spec->caps_set ? spec->caps_keep : cap_mask_all();
	if (b)
		c->keep &= ~b->caps_dropped;
	c->nnp = spec->nnp;
	if (spec->seccomp_src[0])
		c->filter[c->nfilters++] = &spec->seccomp;
	if (b && b->sc_extra.n)
		c->filter[c->nfilters++] = &b->sc_extra;
	c->apparmor = spec->apparmor[0] ? spec->apparmor : NULL;
}

int box_confine_order(const struct box_confine *c, enum step_op ops[5])
{
	int n = 0;
	if (c->apparmor)
		ops[n++] = ST_APPARMOR;
	if (c->nnp)
		ops[n++] = ST_NNP;
	if (c->nfilters && !c->nnp) {
		ops[n++] = ST_SECCOMP;
		if (c->nfilters > 1)
			ops[n++] = ST_SECCOMP_EXTRA;
	}
	if (c->caps)
		ops[n++] = ST_CAPS;
	if (c->nfilters && c->nnp) {
		ops[n++] = ST_SECCOMP;
		if (c->nfilters > 1)
			ops[n++] = ST_SECCOMP_EXTRA;
	}
	return n;
}

static const struct sc_profile *filter_of(enum step_op op, const struct box_confine *c)
{
	int i = op == ST_SECCOMP_EXTRA ? 1 : 0;
	return i < c->nfilters ? c->filter[i] : NULL;
}

void box_confine_text(enum step_op op, const struct box_confine *c, char *buf, size_t len)
{
	char names[600];
	const struct sc_profile *f;
	switch (op) {
	case ST_APPARMOR:
		snprintf(buf, len, "write(\"/proc/self/attr/apparmor/exec\", \"exec %s\") before each execve",
			 c->apparmor);
		break;
	case ST_NNP:
		snprintf(buf, len, "prctl(PR_SET_NO_NEW_PRIVS, 1): execve never grants privilege again");
		break;
	case ST_CAPS:
		cap_mask_str(c->keep, ",", names, sizeof(names));
		snprintf(buf, len, "prctl(PR_CAPBSET_DROP) + capset(): keep only {%s}", names);
		break;
	case ST_SECCOMP:
	case ST_SECCOMP_EXTRA:
		f = filter_of(op, c);
		if (!f) {
			buf[0] = '\0';
			break;
		}
		sc_action_str(f->def, f->def_err, names, sizeof(names));
		snprintf(buf, len,
			 "seccomp(SECCOMP_SET_MODE_FILTER)%s: default %s, %d rules (%d calls allowed, "
			 "%d denied)%s",
			 sc_filter_count(f) > 1 ? " x2" : "", names, f->n, sc_count_calls(f, SC_ALLOW),
			 sc_count_calls(f, SC_ERRNO) + sc_count_calls(f, SC_KILL),
			 op == ST_SECCOMP_EXTRA ? " (seccomp deny)" : "");
		break;
	default:
		buf[0] = '\0';
	}
}

int box_confine_run(enum step_op op, const struct box_confine *c, struct nerr *e)
{
	switch (op) {
	case ST_APPARMOR:
		return lsm_apparmor_onexec(c->apparmor, e);
	case ST_NNP: {
		int r = prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
		tr_call(r, errno, "prctl(PR_SET_NO_NEW_PRIVS, 1)");
		return r < 0 ? nerr_set(e, errno, "prctl", "prctl(PR_SET_NO_NEW_PRIVS, 1)") : 0;
	}
	case ST_CAPS:
		return cap_keep_only(c->keep, e);
	case ST_SECCOMP:
	case ST_SECCOMP_EXTRA: {
		const struct sc_profile *f = filter_of(op, c);
		return f ? sc_load(f, e) : 0;
	}
	default:
		return 0;
	}
}
