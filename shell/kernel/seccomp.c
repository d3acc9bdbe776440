#include "seccomp.h"

#include <ctype.h>
#include <errno.h>
#include <jansson.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#include "cleanup.h"
#include "caps.h"
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

char *sc_syscall_name(int nr)
{
	return seccomp_syscall_resolve_num_arch(SCMP_ARCH_NATIVE, nr);
}

void sc_env_host(uint64_t caps, struct sc_env *ret)
{
	struct utsname u;
	int maj = 0, min = 0;
	if (uname(&u) == 0)
		sscanf(u.release, "%d.%d", &maj, &min);
	ret->caps = caps;
	ret->kernel = maj * 1000 + min;
}

void sc_profile_init_allow(struct sc_profile *p)
{
	memset(p, 0, sizeof(*p));
	p->def = SC_ALLOW;
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
		if (p->rules[i].nargs == 0 && strcmp(p->rules[i].syscall, syscall) == 0)
			r = &p->rules[i];
	if (!r) {
		if (p->n >= SC_RULES_MAX)
			return nerr_set(e, ENOSPC, "seccomp", "at most %d rules", SC_RULES_MAX);
		r = &p->rules[p->n++];
	}
	memset(r, 0, sizeof(*r));
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

/* ---------------- the moby/OCI JSON format ---------------- */

static const struct {
	const char *name;
	enum sc_action act;
} actions[] = {
	{ "SCMP_ACT_ALLOW", SC_ALLOW },
	{ "SCMP_ACT_ERRNO", SC_ERRNO },
	/* In libseccomp (and so in runc) SCMP_ACT_KILL kills the thread. */
	{ "SCMP_ACT_KILL", SC_KILL_THREAD },
	{ "SCMP_ACT_KILL_THREAD", SC_KILL_THREAD },
	{ "SCMP_ACT_KILL_PROCESS", SC_KILL },
	{ "SCMP_ACT_TRAP", SC_TRAP },
	{ "SCMP_ACT_TRACE", SC_TRACE },
	{ "SCMP_ACT_LOG", SC_LOG },
};

static const char *const op_names[] = {
	[SC_NE] = "SCMP_CMP_NE", [SC_LT] = "SCMP_CMP_LT",	  [SC_LE] = "SCMP_CMP_LE",
	[SC_EQ] = "SCMP_CMP_EQ", [SC_GE] = "SCMP_CMP_GE",	  [SC_GT] = "SCMP_CMP_GT",
	[SC_MASKED_EQ] = "SCMP_CMP_MASKED_EQ",
};

/* The format names CPUs as Go does in includes/excludes ("amd64"), and as
 * libseccomp does in architectures ("SCMP_ARCH_X86_64"). */
static const struct {
	uint32_t token;
	const char *go;
} go_arches[] = {
	{ SCMP_ARCH_X86_64, "amd64" },	   { SCMP_ARCH_X86, "x86" },
	{ SCMP_ARCH_X32, "x32" },	   { SCMP_ARCH_AARCH64, "arm64" },
	{ SCMP_ARCH_ARM, "arm" },	   { SCMP_ARCH_PPC64LE, "ppc64le" },
	{ SCMP_ARCH_S390X, "s390x" },	   { SCMP_ARCH_S390, "s390" },
	{ SCMP_ARCH_RISCV64, "riscv64" }, { SCMP_ARCH_MIPS64, "mips64" },
};

static const char *native_go_arch(void)
{
	uint32_t n = seccomp_arch_native();
	for (size_t i = 0; i < ARRAY_SIZE(go_arches); i++)
		if (go_arches[i].token == n)
			return go_arches[i].go;
	return "";
}

/* "SCMP_ARCH_X86_64" (or "x86_64") to libseccomp's token; 0 when unknown. */
static uint32_t arch_token(const char *name)
{
	char low[32];
	if (strncmp(name, "SCMP_ARCH_", 10) == 0)
		name += 10;
	snprintf(low, sizeof(low), "%s", name);
	for (char *c = low; *c; c++)
		*c = (char)tolower((unsigned char)*c);
	return seccomp_arch_resolve_name(low);
}

struct jctx {
	const struct sc_env *env;
	struct sc_profile *p;
	struct nerr *e;
	char where[96];
};

static int bad(struct jctx *j, const char *fmt, const char *word)
{
	char msg[200];
	snprintf(msg, sizeof(msg), fmt, word ? word : "");
	return nerr_set(j->e, EINVAL, "seccomp profile", "%s: %s", j->where, msg);
}

static int parse_action(struct jctx *j, json_t *v, enum sc_action *ret)
{
	const char *s = json_string_value(v);
	if (!s)
		return bad(j, "wants an action name like SCMP_ACT_ALLOW%s", NULL);
	for (size_t i = 0; i < ARRAY_SIZE(actions); i++)
		if (strcmp(actions[i].name, s) == 0) {
			*ret = actions[i].act;
			return 0;
		}
	if (strcmp(s, "SCMP_ACT_NOTIFY") == 0)
		return bad(j, "%s needs a listener process (a seccomp agent): nslab has none",
			   s);
	return bad(j, "'%s' is not an action (SCMP_ACT_ALLOW, _ERRNO, _KILL_PROCESS, _TRAP, _LOG...)",
		   s);
}

/* errnoRet / defaultErrnoRet: absent means EPERM, as in runc. */
static int parse_errno(struct jctx *j, json_t *v, int *ret)
{
	*ret = EPERM;
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_integer(v) || json_integer_value(v) < 0 || json_integer_value(v) > 4095)
		return bad(j, "errnoRet wants an errno number (1 EPERM, 38 ENOSYS)%s", NULL);
	*ret = (int)json_integer_value(v);
	return 0;
}

static bool str_in(json_t *arr, const char *s)
{
	size_t i;
	json_t *v;
	json_array_foreach(arr, i, v)
		if (json_string_value(v) && strcasecmp(json_string_value(v), s) == 0)
			return true;
	return false;
}

/* Does the box keep any (@all: every) capability named in @arr? */
static int caps_match(struct jctx *j, json_t *arr, bool all, bool *ret)
{
	size_t i;
	json_t *v;
	int n = 0, have = 0;
	json_array_foreach(arr, i, v) {
		int c;
		if (!json_string_value(v) || cap_parse_name(json_string_value(v), &c) < 0)
			return bad(j, "'%s' is not a capability name",
				   json_string_value(v) ? json_string_value(v) : "?");
		n++;
		have += (j->env->caps >> c) & 1;
	}
	*ret = all ? have == n : have > 0;
	return 0;
}

static int kernel_ver(struct jctx *j, json_t *v, int *ret)
{
	int maj, min;
	const char *s = json_string_value(v);
	if (!s || sscanf(s, "%d.%d", &maj, &min) != 2)
		return bad(j, "minKernel wants a version like \"4.8\"%s", NULL);
	*ret = maj * 1000 + min;
	return 0;
}

/* includes: every condition must hold; excludes: any one that holds leaves
 * the entry out. That is how moby reads them. */
static int entry_applies(struct jctx *j, json_t *ent, bool *ret)
{
	json_t *inc = json_object_get(ent, "includes"), *exc = json_object_get(ent, "excludes");
	const char *arch = native_go_arch();
	json_t *a;
	bool m = false;
	int k = 0, r;
	*ret = false;
	if (json_is_object(exc)) {
		if (json_array_size(a = json_object_get(exc, "arches")) && str_in(a, arch))
			return 0;
		if (json_array_size(a = json_object_get(exc, "caps"))) {
			if ((r = caps_match(j, a, false, &m)) < 0)
				return r;
			if (m)
				return 0;
		}
		if ((a = json_object_get(exc, "minKernel")) && !json_is_null(a)) {
			if ((r = kernel_ver(j, a, &k)) < 0)
				return r;
			if (j->env->kernel >= k)
				return 0;
		}
	}
	if (json_is_object(inc)) {
		if (json_array_size(a = json_object_get(inc, "arches")) && !str_in(a, arch))
			return 0;
		if (json_array_size(a = json_object_get(inc, "caps"))) {
			if ((r = caps_match(j, a, true, &m)) < 0)
				return r;
			if (!m)
				return 0;
		}
		if ((a = json_object_get(inc, "minKernel")) && !json_is_null(a)) {
			if ((r = kernel_ver(j, a, &k)) < 0)
				return r;
			if (j->env->kernel < k)
				return 0;
		}
	}
	*ret = true;
	return 0;
}

static int parse_args(struct jctx *j, json_t *arr, struct sc_arg *args, int *ret_n)
{
	size_t i;
	json_t *v;
	*ret_n = 0;
	if (!arr || json_is_null(arr))
		return 0;
	if (!json_is_array(arr))
		return bad(j, "args wants a list%s", NULL);
	if (json_array_size(arr) > SC_ARGS_MAX)
		return bad(j, "at most 6 args%s", NULL);
	size_t len = strlen(j->where);
	json_array_foreach(arr, i, v) {
		snprintf(j->where + len, sizeof(j->where) - len, ".args[%zu]", i);
		json_t *idx = json_object_get(v, "index"), *val = json_object_get(v, "value"),
		       *two = json_object_get(v, "valueTwo");
		const char *op = json_string_value(json_object_get(v, "op"));
		struct sc_arg *a = &args[i];
		if (!json_is_integer(idx) || json_integer_value(idx) < 0 || json_integer_value(idx) > 5)
			return bad(j, "index wants 0..5 (the system call's argument)%s", NULL);
		if ((val && !json_is_integer(val)) || (two && !json_is_integer(two)))
			return bad(j, "value and valueTwo want numbers%s", NULL);
		a->index = (unsigned)json_integer_value(idx);
		a->value = val ? (uint64_t)json_integer_value(val) : 0;
		a->value2 = two ? (uint64_t)json_integer_value(two) : 0;
		a->op = SC_OP_NONE;
		for (int o = SC_NE; o <= SC_MASKED_EQ; o++)
			if (op && strcmp(op, op_names[o]) == 0)
				a->op = (enum sc_op)o;
		if (a->op == SC_OP_NONE)
			return bad(j, "'%s' is not a comparison (SCMP_CMP_EQ, _NE, _LT, _LE, _GT, _GE, "
				      "_MASKED_EQ)", op ? op : "?");
	}
	j->where[len] = '\0';
	*ret_n = (int)json_array_size(arr);
	return 0;
}

static int add_rule(struct jctx *j, const char *name, enum sc_action act, int err,
		    const struct sc_arg *args, int nargs)
{
	struct sc_profile *p = j->p;
	if (act != SC_ERRNO && act != SC_TRACE)
		err = 0;
	/* An unconditional rule that says what the default says makes no filter
	 * code (runc skips it too). With arguments it may narrow an allow. */
	if (!nargs && act == p->def && err == (p->def == SC_ERRNO ? p->def_err : 0))
		return 0;
	if (!sc_syscall_known(name)) {
		p->unknown++;
		size_t l = strlen(p->unknown_names);
		if (l + strlen(name) + 2 < sizeof(p->unknown_names) && !strstr(p->unknown_names, name))
			snprintf(p->unknown_names + l, sizeof(p->unknown_names) - l, "%s%s", l ? " " : "",
				 name);
		return 0;
	}
	if (p->n >= SC_RULES_MAX)
		return bad(j, "more rules than nslab keeps%s", NULL);
	struct sc_rule *r = &p->rules[p->n++];
	memset(r, 0, sizeof(*r));
	snprintf(r->syscall, sizeof(r->syscall), "%s", name);
	r->act = act;
	r->err = err;
	r->nargs = nargs;
	memcpy(r->args, args, sizeof(*args) * (size_t)nargs);
	return 0;
}

static int parse_entry(struct jctx *j, json_t *ent)
{
	if (!json_is_object(ent))
		return bad(j, "wants an object with names and action%s", NULL);
	bool applies;
	int r = entry_applies(j, ent, &applies);
	if (r < 0)
		return r;
	if (!applies) {
		j->p->left_out++;
		return 0;
	}
	enum sc_action act = SC_ALLOW;
	int err = 0;
	struct sc_arg args[SC_ARGS_MAX] = { 0 };
	int nargs = 0;
	if ((r = parse_action(j, json_object_get(ent, "action"), &act)) < 0 ||
	    (r = parse_errno(j, json_object_get(ent, "errnoRet"), &err)) < 0 ||
	    (r = parse_args(j, json_object_get(ent, "args"), args, &nargs)) < 0)
		return r;
	/* Two comparisons of the same argument cannot be one libseccomp rule:
	 * runc makes each comparison a rule of its own (they are OR'ed). */
	bool split = false;
	for (int a = 0; a < nargs; a++)
		for (int b = a + 1; b < nargs; b++)
			split |= args[a].index == args[b].index;
	json_t *names = json_object_get(ent, "names"), *one = json_object_get(ent, "name");
	json_t *list = json_array();
	if (json_is_array(names))
		json_array_extend(list, names);
	if (json_is_string(one))
		json_array_append(list, one);
	if (json_array_size(list) == 0) {
		json_decref(list);
		return bad(j, "names wants a list of system calls%s", NULL);
	}
	size_t i;
	json_t *v;
	json_array_foreach(list, i, v) {
		const char *name = json_string_value(v);
		if (!name) {
			r = bad(j, "names wants strings%s", NULL);
			break;
		}
		if (split) {
			for (int a = 0; a < nargs && r == 0; a++)
				r = add_rule(j, name, act, err, &args[a], 1);
		} else {
			r = add_rule(j, name, act, err, args, nargs);
		}
		if (r < 0)
			break;
	}
	json_decref(list);
	return r;
}

static int parse_arches(struct jctx *j, json_t *root)
{
	struct sc_profile *p = j->p;
	json_t *list = json_object_get(root, "architectures"), *map = json_object_get(root, "archMap");
	json_t *v;
	size_t i;
	uint32_t native = seccomp_arch_native();
	/* archMap: the entry of this CPU, and the ABIs it also runs. */
	if (json_array_size(map) && !json_array_size(list)) {
		json_array_foreach(map, i, v) {
			const char *a = json_string_value(json_object_get(v, "architecture"));
			if (!a || arch_token(a) != native)
				continue;
			list = json_object_get(v, "subArchitectures");
			p->arches[p->narches++] = native;
			break;
		}
	}
	json_array_foreach(list, i, v) {
		const char *a = json_string_value(v);
		if (!a) {
			snprintf(j->where, sizeof(j->where), "architectures[%zu]", i);
			return bad(j, "wants names like SCMP_ARCH_X86_64%s", NULL);
		}
		uint32_t t = arch_token(a);
		bool dup = false;
		for (int k = 0; k < p->narches; k++)
			dup |= p->arches[k] == t;
		/* An ABI this libseccomp does not know cannot be filtered: left out. */
		if (t && !dup && p->narches < SC_ARCHES_MAX)
			p->arches[p->narches++] = t;
	}
	return 0;
}

int sc_profile_json(const char *text, const struct sc_env *env, struct sc_profile *p,
		    struct nerr *e)
{
	struct jctx j = { .env = env, .p = p, .e = e };
	json_error_t jerr;
	memset(p, 0, sizeof(*p));
	json_t *root = json_loads(text, 0, &jerr);
	if (!root)
		return nerr_setw(e, EINVAL, "json_loads",
				 N_("the file is not JSON: a profile is a JSON object in the "
				    "moby format (see profiles/seccomp-default.json)"),
				 "line %d: %s", jerr.line, jerr.text);
	int r = 0;
	if (!json_is_object(root)) {
		snprintf(j.where, sizeof(j.where), "the profile");
		r = bad(&j, "wants a JSON object with defaultAction and syscalls%s", NULL);
		goto out;
	}
	snprintf(j.where, sizeof(j.where), "defaultAction");
	if ((r = parse_action(&j, json_object_get(root, "defaultAction"), &p->def)) < 0)
		goto out;
	snprintf(j.where, sizeof(j.where), "defaultErrnoRet");
	if ((r = parse_errno(&j, json_object_get(root, "defaultErrnoRet"), &p->def_err)) < 0)
		goto out;
	if (p->def != SC_ERRNO)
		p->def_err = 0;
	if ((r = parse_arches(&j, root)) < 0)
		goto out;
	json_t *calls = json_object_get(root, "syscalls"), *ent;
	if (calls && !json_is_array(calls) && !json_is_null(calls)) {
		snprintf(j.where, sizeof(j.where), "syscalls");
		r = bad(&j, "wants a list%s", NULL);
		goto out;
	}
	size_t i;
	json_array_foreach(calls, i, ent) {
		snprintf(j.where, sizeof(j.where), "syscalls[%zu]", i);
		if ((r = parse_entry(&j, ent)) < 0)
			goto out;
	}
out:
	json_decref(root);
	return r;
}

int sc_profile_read(const char *path, const struct sc_env *env, struct sc_profile *p,
		    struct nerr *e)
{
	_cleanup_fclose_ FILE *f = fopen(path, "re");
	if (!f)
		return nerr_set(e, errno, "open", "open(\"%s\")", path);
	enum { MAX = 1 << 20 };
	char *buf = malloc(MAX);
	if (!buf)
		return nerr_set(e, ENOMEM, "malloc", "%s", path);
	size_t n = fread(buf, 1, MAX - 1, f);
	int r = ferror(f) ? nerr_set(e, EIO, "read", "read(\"%s\")", path)
		: !feof(f) ? nerr_set(e, EFBIG, "read", "%s: a profile is at most 1 MiB", path)
			   : 0;
	if (r < 0) {
		free(buf);
		return r;
	}
	buf[n] = '\0';
	r = sc_profile_json(buf, env, p, e);
	free(buf);
	if (r < 0 && e) {
		char what[sizeof(e->what)];
		snprintf(what, sizeof(what), "%s", e->what);
		snprintf(e->what, sizeof(e->what), "%.150s: %.160s", path, what);
	}
	return r;
}

/* ---------------- building filters ---------------- */

/* Does rule @i belong to the second filter? It has arguments, and the same
 * call has an unconditional rule that is less strict (libseccomp would drop it). */
static bool narrowing(const struct sc_profile *p, int i)
{
	const struct sc_rule *r = &p->rules[i];
	if (!r->nargs)
		return false;
	for (int k = 0; k < p->n; k++)
		if (!p->rules[k].nargs && strcmp(p->rules[k].syscall, r->syscall) == 0 &&
		    p->rules[k].act < r->act)
			return true;
	return false;
}

int sc_filter_count(const struct sc_profile *p)
{
	for (int i = 0; i < p->n; i++)
		if (narrowing(p, i))
			return 2;
	return 1;
}

static void release_ctx(scmp_filter_ctx *c)
{
	if (*c)
		seccomp_release(*c);
}

static uint32_t scmp_act(enum sc_action act, int err)
{
	switch (act) {
	case SC_ALLOW:
		return SCMP_ACT_ALLOW;
	case SC_LOG:
		return SCMP_ACT_LOG;
	case SC_TRACE:
		return SCMP_ACT_TRACE(err);
	case SC_ERRNO:
		return SCMP_ACT_ERRNO(err);
	case SC_TRAP:
		return SCMP_ACT_TRAP;
	case SC_KILL_THREAD:
		return SCMP_ACT_KILL;
	case SC_KILL:
	default:
		return SCMP_ACT_KILL_PROCESS;
	}
}

/* Filter @which (0: the profile, 1: the narrowing rules on default allow). */
static int build(const struct sc_profile *p, int which, scmp_filter_ctx *ret, struct nerr *e)
{
	uint32_t def = which ? SCMP_ACT_ALLOW : scmp_act(p->def, p->def_err);
	_cleanup_(release_ctx) scmp_filter_ctx c = seccomp_init(def);
	if (!c)
		return nerr_set(e, ENOMEM, "seccomp_init", "seccomp_init()");
	/* no_new_privs is a step of its own (--nnp), not a side effect of loading. */
	seccomp_attr_set(c, SCMP_FLTATR_CTL_NNP, 0);
	/* The kernel's own errno (EACCES without privilege), not ECANCELED. */
	seccomp_attr_set(c, SCMP_FLTATR_API_SYSRAWRC, 1);
	uint32_t native = seccomp_arch_native();
	if (p->narches == 0 && native == SCMP_ARCH_X86_64) {
		/* No architectures named: the 32-bit ABIs too, or `int 0x80`
		 * walks around a deny list. */
		seccomp_arch_add(c, SCMP_ARCH_X86);
		seccomp_arch_add(c, SCMP_ARCH_X32);
	}
	for (int i = 0; i < p->narches; i++)
		if (p->arches[i] != native)
			seccomp_arch_add(c, p->arches[i]);
	for (int i = 0; i < p->n; i++) {
		const struct sc_rule *r = &p->rules[i];
		if (narrowing(p, i) != (which == 1))
			continue;
		struct scmp_arg_cmp cmp[SC_ARGS_MAX];
		for (int a = 0; a < r->nargs; a++)
			cmp[a] = (struct scmp_arg_cmp){ .arg = r->args[a].index,
							.op = (enum scmp_compare)r->args[a].op,
							.datum_a = r->args[a].value,
							.datum_b = r->args[a].value2 };
		int nr = seccomp_syscall_resolve_name(r->syscall);
		int rc = seccomp_rule_add_array(c, scmp_act(r->act, r->err), nr, (unsigned)r->nargs,
						cmp);
		/* -EACCES/-EDOM/-EOPNOTSUPP: the call does not exist on one of the
		 * ABIs (or is what the default does); nothing to add there. */
		if (rc < 0 && rc != -EACCES && rc != -EDOM && rc != -EOPNOTSUPP) {
			char one[160];
			sc_rule_str(r, one, sizeof(one));
			return nerr_set(e, -rc, "seccomp_rule_add", "seccomp_rule_add(%s)", one);
		}
	}
	*ret = TAKE_PTR(c);
	return 0;
}

void sc_action_str(enum sc_action act, int err, char *buf, size_t len)
{
	const char *en = strerrorname_np(err);
	switch (act) {
	case SC_ALLOW:
		snprintf(buf, len, "allow");
		break;
	case SC_LOG:
		snprintf(buf, len, "log");
		break;
	case SC_TRACE:
		snprintf(buf, len, "trace");
		break;
	case SC_TRAP:
		snprintf(buf, len, "SIGSYS");
		break;
	case SC_KILL_THREAD:
		snprintf(buf, len, "kill thread");
		break;
	case SC_KILL:
		snprintf(buf, len, "kill");
		break;
	case SC_ERRNO:
	default:
		if (en)
			snprintf(buf, len, "%s", en);
		else
			snprintf(buf, len, "errno %d", err);
	}
}

static void args_str(const struct sc_rule *r, char *buf, size_t len)
{
	static const char *const sym[] = { [SC_NE] = "!=", [SC_LT] = "<",  [SC_LE] = "<=",
					   [SC_EQ] = "==", [SC_GE] = ">=", [SC_GT] = ">" };
	size_t off = 0;
	buf[0] = '\0';
	for (int a = 0; a < r->nargs && off < len; a++) {
		const struct sc_arg *x = &r->args[a];
		const char *and = a ? " && " : "";
		if (x->op == SC_MASKED_EQ)
			off += snprintf(buf + off, len - off, "%sa%u & %#llx == %#llx", and, x->index,
					(unsigned long long)x->value, (unsigned long long)x->value2);
		else
			off += snprintf(buf + off, len - off, "%sa%u %s %#llx", and, x->index,
					sym[x->op], (unsigned long long)x->value);
	}
}

void sc_rule_str(const struct sc_rule *r, char *buf, size_t len)
{
	char act[32], args[200];
	sc_action_str(r->act, r->err, act, sizeof(act));
	args_str(r, args, sizeof(args));
	if (r->nargs)
		snprintf(buf, len, "%s(%s) -> %s", r->syscall, args, act);
	else
		snprintf(buf, len, "%s -> %s", r->syscall, act);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void sc_decision(const struct sc_profile *p, const char *syscall, char *buf, size_t len)
{
	char def[32];
	sc_action_str(p->def, p->def_err, def, sizeof(def));
	const struct sc_rule *uncond = NULL;
	char *conds[64] = { 0 }, *narrow[64] = { 0 };
	int nc = 0, nn = 0;
	for (int i = 0; i < p->n; i++) {
		const struct sc_rule *r = &p->rules[i];
		if (strcmp(r->syscall, syscall) != 0)
			continue;
		if (!r->nargs) {
			uncond = r;
			continue;
		}
		char act[32], args[200], one[260];
		sc_action_str(r->act, r->err, act, sizeof(act));
		args_str(r, args, sizeof(args));
		snprintf(one, sizeof(one), "%s if %s", act, args);
		if (narrowing(p, i) && nn < 64)
			narrow[nn++] = strdup(one);
		else if (!narrowing(p, i) && nc < 64)
			conds[nc++] = strdup(one);
	}
	size_t off = 0;
	if (uncond) {
		/* libseccomp keeps only the unconditional rule of one filter. */
		sc_action_str(uncond->act, uncond->err, buf, len);
		off = strlen(buf);
	} else if (nc) {
		qsort(conds, (size_t)nc, sizeof(conds[0]), cmp_str);
		for (int i = 0; i < nc && off < len; i++)
			off += snprintf(buf + off, len - off, "%s; ", conds[i]);
		if (off < len)
			off += snprintf(buf + off, len - off, "else %s", def);
	} else {
		snprintf(buf, len, "%s", def);
		off = strlen(buf);
	}
	qsort(narrow, (size_t)nn, sizeof(narrow[0]), cmp_str);
	for (int i = 0; i < nn && off < len; i++)
		off += snprintf(buf + off, len - off, "; but %s", narrow[i]);
	for (int i = 0; i < nc; i++)
		free(conds[i]);
	for (int i = 0; i < nn; i++)
		free(narrow[i]);
}

int sc_count_calls(const struct sc_profile *p, enum sc_action act)
{
	int n = 0;
	for (int i = 0; i < p->n; i++) {
		if (p->rules[i].act != act)
			continue;
		bool seen = false;
		for (int k = 0; k < i && !seen; k++)
			seen = p->rules[k].act == act && strcmp(p->rules[k].syscall, p->rules[i].syscall) == 0;
		n += !seen;
	}
	return n;
}

int sc_load(const struct sc_profile *p, struct nerr *e)
{
	int nf = sc_filter_count(p);
	char def[32];
	sc_action_str(p->def, p->def_err, def, sizeof(def));
	/* The narrowing filter first: it allows by default, so it never stands
	 * in the way of loading the profile's own filter after it. */
	for (int which = nf - 1; which >= 0; which--) {
		_cleanup_(release_ctx) scmp_filter_ctx c = NULL;
		int r = build(p, which, &c, e);
		if (r < 0)
			return r;
		int nr = 0;
		for (int i = 0; i < p->n; i++)
			nr += narrowing(p, i) == (which == 1);
		r = seccomp_load(c);
		tr_call(r, -r, "seccomp(SECCOMP_SET_MODE_FILTER, 0, {default %s, %d rules%s})",
			which ? "allow" : def, nr, which ? ", the narrowing rules" : "");
		if (r < 0)
			return nerr_setw(e, -r, "seccomp",
					 -r == EACCES ? N_("a process without CAP_SYS_ADMIN may load a seccomp "
							   "filter only after prctl(PR_SET_NO_NEW_PRIVS): "
							   "add --nnp")
						      : NULL,
					 "seccomp(SECCOMP_SET_MODE_FILTER, {%d rules})", nr);
	}
	return 0;
}

int sc_export_pfc(const struct sc_profile *p, int fd, struct nerr *e)
{
	int nf = sc_filter_count(p);
	for (int which = 0; which < nf; which++) {
		_cleanup_(release_ctx) scmp_filter_ctx c = NULL;
		int r = build(p, which, &c, e);
		if (r < 0)
			return r;
		if (nf > 1) {
			char head[80];
			int n = snprintf(head, sizeof(head), "#\n# filter %d of %d%s\n", which + 1, nf,
					 which ? ": the narrowing rules, default allow" : "");
			if (write(fd, head, (size_t)n) < 0)
				return nerr_set(e, errno, "write", "write()");
		}
		r = seccomp_export_pfc(c, fd);
		if (r < 0)
			return nerr_set(e, -r, "seccomp_export_pfc", "seccomp_export_pfc()");
	}
	return 0;
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
