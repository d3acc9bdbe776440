#include "seccomp.h"

#include <ctype.h>
#include <errno.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cleanup.h"
#include "procfs.h"
#include "trace.h"

int sc_errno_parse(const char *word, int *ret)
{
	if (!word || !*word)
		return -EINVAL;
	if (isdigit((unsigned char)word[0])) {
		char *end;
		long v = strtol(word, &end, 10);
		if (*end || v < 1 || v > 4095)
			return -EINVAL;
		*ret = (int)v;
		return 0;
	}
	/* glibc knows every errno's name: no table of our own. */
	for (int i = 1; i < 4096; i++) {
		const char *n = strerrorname_np(i);
		if (n && strcasecmp(n, word) == 0) {
			*ret = i;
			return 0;
		}
	}
	return -EINVAL;
}

bool sc_syscall_known(const char *name)
{
	return name && *name && strlen(name) < SC_NAME_MAX &&
	       seccomp_syscall_resolve_name(name) != __NR_SCMP_ERROR;
}

int sc_profile_add(struct sc_profile *p, const char *syscall, enum sc_action act, int err,
		   struct nerr *e)
{
	if (!sc_syscall_known(syscall))
		return nerr_setw(e, EINVAL, "seccomp_syscall_resolve_name",
				 N_("libseccomp knows no system call of that name: see 'man 2 syscalls'"),
				 "%s", syscall);
	struct sc_rule *r = NULL;
	for (int i = 0; i < p->n; i++)
		if (strcmp(p->rules[i].syscall, syscall) == 0)
			r = &p->rules[i];
	if (!r) {
		if (p->n >= SC_RULES_MAX)
			return nerr_set(e, ENOSPC, "seccomp", "at most %d rules", SC_RULES_MAX);
		r = &p->rules[p->n++];
	}
	snprintf(r->syscall, sizeof(r->syscall), "%s", syscall);
	r->act = act;
	r->err = act == SC_ERRNO ? err : 0;
	return 0;
}

int sc_parse_words(int argc, char *const argv[], struct sc_profile *p, struct nerr *e)
{
	enum sc_action act = SC_ERRNO;
	int err = EPERM, nsys = 0;
	bool said = false;
	for (int i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--kill") == 0) {
			if (said)
				return nerr_set(e, EINVAL, "seccomp", "--kill");
			act = SC_KILL;
			said = true;
		} else if (strcmp(argv[i], "--errno") == 0) {
			if (said || i + 1 >= argc || sc_errno_parse(argv[i + 1], &err) < 0)
				return nerr_set(e, EINVAL, "seccomp", "--errno %s",
						i + 1 < argc ? argv[i + 1] : "");
			said = true;
			i++;
		} else if (argv[i][0] == '-') {
			return nerr_set(e, EINVAL, "seccomp", "%s", argv[i]);
		} else {
			nsys++;
		}
	}
	if (nsys == 0)
		return nerr_set(e, EINVAL, "seccomp", "no system call named");
	for (int i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--errno") == 0) {
			i++;
			continue;
		}
		if (argv[i][0] == '-')
			continue;
		int r = sc_profile_add(p, argv[i], act, err, e);
		if (r < 0)
			return r;
	}
	return 0;
}

int sc_profile_parse(const char *text, struct sc_profile *p, int *ret_line, struct nerr *e)
{
	memset(p, 0, sizeof(*p));
	int lineno = 0;
	for (const char *l = text; l && *l;) {
		const char *nl = strchr(l, '\n');
		size_t n = nl ? (size_t)(nl - l) : strlen(l);
		lineno++;
		char line[1024];
		if (n >= sizeof(line)) {
			*ret_line = lineno;
			return nerr_set(e, EINVAL, "seccomp", "line %d is too long", lineno);
		}
		memcpy(line, l, n);
		line[n] = '\0';
		char *hash = strchr(line, '#');
		if (hash)
			*hash = '\0';
		char *words[64];
		int nw = 0;
		char *save = NULL;
		for (char *w = strtok_r(line, " \t\r", &save); w; w = strtok_r(NULL, " \t\r", &save)) {
			if (nw >= (int)ARRAY_SIZE(words)) {
				*ret_line = lineno;
				return nerr_set(e, EINVAL, "seccomp", "line %d: too many words", lineno);
			}
			words[nw++] = w;
		}
		if (nw) {
			int r = sc_parse_words(nw, words, p, e);
			if (r < 0) {
				*ret_line = lineno;
				return r;
			}
		}
		l = nl ? nl + 1 : NULL;
	}
	*ret_line = 0;
	return 0;
}

int sc_profile_read(const char *path, struct sc_profile *p, struct nerr *e)
{
	_cleanup_fclose_ FILE *f = fopen(path, "re");
	if (!f)
		return nerr_set(e, errno, "open", "open(\"%s\")", path);
	char buf[64 * 1024];
	size_t n = fread(buf, 1, sizeof(buf) - 1, f);
	if (ferror(f))
		return nerr_set(e, EIO, "read", "read(\"%s\")", path);
	if (!feof(f))
		return nerr_set(e, EFBIG, "read", "%s: a profile is at most 64 KiB", path);
	buf[n] = '\0';
	int line;
	int r = sc_profile_parse(buf, p, &line, e);
	if (r < 0) {
		char what[sizeof(e->what)];
		snprintf(what, sizeof(what), "%s", e->what);
		snprintf(e->what, sizeof(e->what), "%.200s:%d: %.100s", path, line, what);
	}
	return r;
}

static void release_ctx(scmp_filter_ctx *c)
{
	if (*c)
		seccomp_release(*c);
}

static int build(const struct sc_profile *p, scmp_filter_ctx *ret, struct nerr *e)
{
	scmp_filter_ctx c = seccomp_init(SCMP_ACT_ALLOW);
	if (!c)
		return nerr_set(e, ENOMEM, "seccomp_init", "seccomp_init(SCMP_ACT_ALLOW)");
	/* no_new_privs is a step of its own (--nnp), not a side effect of loading. */
	seccomp_attr_set(c, SCMP_FLTATR_CTL_NNP, 0);
	/* The kernel's own errno (EACCES without privilege), not ECANCELED. */
	seccomp_attr_set(c, SCMP_FLTATR_API_SYSRAWRC, 1);
	if (seccomp_arch_native() == SCMP_ARCH_X86_64) {
		seccomp_arch_add(c, SCMP_ARCH_X86);
		seccomp_arch_add(c, SCMP_ARCH_X32);
	}
	for (int i = 0; i < p->n; i++) {
		const struct sc_rule *r = &p->rules[i];
		int nr = seccomp_syscall_resolve_name(r->syscall);
		uint32_t act = r->act == SC_KILL ? SCMP_ACT_KILL_PROCESS : SCMP_ACT_ERRNO(r->err);
		int rc = seccomp_rule_add(c, act, nr, 0);
		/* -EACCES/-EDOM: the call does not exist on one of the ABIs; nothing to deny there. */
		if (rc < 0 && rc != -EACCES && rc != -EDOM && rc != -EOPNOTSUPP) {
			seccomp_release(c);
			return nerr_set(e, -rc, "seccomp_rule_add", "seccomp_rule_add(%s)", r->syscall);
		}
	}
	*ret = c;
	return 0;
}

void sc_rule_str(const struct sc_rule *r, char *buf, size_t len)
{
	const char *en = r->act == SC_ERRNO ? strerrorname_np(r->err) : NULL;
	if (r->act == SC_KILL)
		snprintf(buf, len, "%s -> kill", r->syscall);
	else if (en)
		snprintf(buf, len, "%s -> %s", r->syscall, en);
	else
		snprintf(buf, len, "%s -> errno %d", r->syscall, r->err);
}

int sc_load(const struct sc_profile *p, struct nerr *e)
{
	_cleanup_(release_ctx) scmp_filter_ctx c = NULL;
	int r = build(p, &c, e);
	if (r < 0)
		return r;
	char list[200] = "";
	size_t off = 0;
	for (int i = 0; i < p->n && off < sizeof(list); i++) {
		char one[64];
		sc_rule_str(&p->rules[i], one, sizeof(one));
		off += snprintf(list + off, sizeof(list) - off, "%s%s", i ? ", " : "", one);
	}
	r = seccomp_load(c);
	tr_call(r, -r, "seccomp(SECCOMP_SET_MODE_FILTER, 0, {%d rules: %s})", p->n, list);
	if (r < 0)
		return nerr_setw(e, -r, "seccomp",
				 -r == EACCES ? N_("a process without CAP_SYS_ADMIN may load a seccomp "
						   "filter only after prctl(PR_SET_NO_NEW_PRIVS): "
						   "add --nnp")
					      : NULL,
				 "seccomp(SECCOMP_SET_MODE_FILTER, {%d rules})", p->n);
	return 0;
}

int sc_export_pfc(const struct sc_profile *p, int fd, struct nerr *e)
{
	_cleanup_(release_ctx) scmp_filter_ctx c = NULL;
	int r = build(p, &c, e);
	if (r < 0)
		return r;
	r = seccomp_export_pfc(c, fd);
	return r < 0 ? nerr_set(e, -r, "seccomp_export_pfc", "seccomp_export_pfc()") : 0;
}

void sc_status_parse(const char *status, struct sc_status *ret)
{
	static const struct {
		const char *key;
		size_t off;
	} fields[] = {
		{ "Seccomp", offsetof(struct sc_status, mode) },
		{ "Seccomp_filters", offsetof(struct sc_status, filters) },
		{ "NoNewPrivs", offsetof(struct sc_status, nnp) },
	};
	for (size_t i = 0; i < ARRAY_SIZE(fields); i++) {
		char v[32], *end;
		int *dst = (int *)((char *)ret + fields[i].off);
		*dst = -1;
		if (proc_status_field(status, fields[i].key, v, sizeof(v)) == 0) {
			long n = strtol(v, &end, 10);
			if (v[0] && !*end)
				*dst = (int)n;
		}
	}
}
