#include "caps.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>

#include "cleanup.h"
#include "procfs.h"
#include "trace.h"

/* In the order a learner should read them: bounding limits everything else. */
const struct cap_set_type cap_set_types[CAPS_COUNT] = {
	{ CAPS_BND, "CapBnd", "bounding",
	  N_("the most this process and its children can ever gain, even by executing a setuid-root program") },
	{ CAPS_PRM, "CapPrm", "permitted", N_("what the process may put into its effective set") },
	{ CAPS_EFF, "CapEff", "effective", N_("what the kernel checks right now") },
	{ CAPS_INH, "CapInh", "inheritable", N_("what may pass through execve to programs with file capabilities") },
	{ CAPS_AMB, "CapAmb", "ambient", N_("what passes through execve to any program that is not setuid") },
};

/* moby/moby oci/caps/defaults.go: what `docker run` keeps without --cap-add. */
static const char *const docker_caps[] = {
	"cap_chown",	"cap_dac_override", "cap_fsetid",	  "cap_fowner",
	"cap_mknod",	"cap_net_raw",	    "cap_setgid",	  "cap_setuid",
	"cap_setfcap",	"cap_setpcap",	    "cap_net_bind_service", "cap_sys_chroot",
	"cap_kill",	"cap_audit_write",
};

int cap_count(void)
{
	int n = (int)cap_max_bits();
	return n > 64 ? 64 : n;
}

uint64_t cap_mask_all(void)
{
	int n = cap_count();
	return n >= 64 ? ~0ULL : (1ULL << n) - 1;
}

uint64_t cap_mask_docker(void)
{
	uint64_t m = 0;
	for (size_t i = 0; i < ARRAY_SIZE(docker_caps); i++) {
		cap_value_t v;
		if (cap_from_name(docker_caps[i], &v) == 0 && v < 64)
			m |= 1ULL << v;
	}
	return m;
}

int cap_sets_parse(const char *status, struct cap_sets *ret, struct nerr *e)
{
	memset(ret, 0, sizeof(*ret));
	for (int i = 0; i < CAPS_COUNT; i++) {
		char v[64], *end;
		if (proc_status_field(status, cap_set_types[i].field, v, sizeof(v)) < 0)
			return nerr_set(e, EINVAL, "status", "%s", cap_set_types[i].field);
		errno = 0;
		unsigned long long m = strtoull(v, &end, 16);
		if (!v[0] || *end || errno)
			return nerr_set(e, EINVAL, "status", "%s", cap_set_types[i].field);
		ret->set[cap_set_types[i].kind] = m;
	}
	return 0;
}

int cap_sets_read(int procdir, pid_t pid, struct cap_sets *ret, struct nerr *e)
{
	_cleanup_free_ char *st = NULL;
	int r = proc_read(procdir, pid, "status", &st, NULL, e);
	if (r < 0)
		return r;
	return cap_sets_parse(st, ret, e);
}

int cap_parse_name(const char *word, int *ret)
{
	char name[64];
	size_t n = strlen(word);
	bool prefixed = n > 4 && strncasecmp(word, "cap_", 4) == 0;
	if (n == 0 || n + 5 > sizeof(name))
		return -EINVAL;
	snprintf(name, sizeof(name), "%s%s", prefixed ? "" : "cap_", word);
	for (char *c = name; *c; c++)
		*c = (char)tolower((unsigned char)*c);
	cap_value_t v;
	/* cap_from_name also takes plain numbers: only names are wanted here. */
	if (isdigit((unsigned char)name[4]) || cap_from_name(name, &v) < 0 || v < 0 ||
	    v >= cap_count())
		return -EINVAL;
	*ret = v;
	return 0;
}

int cap_mask_parse(const char *list, uint64_t *ret, struct nerr *e)
{
	if (strcmp(list, "docker") == 0) {
		*ret = cap_mask_docker();
		return 0;
	}
	if (strcmp(list, "none") == 0 || strcmp(list, "") == 0) {
		*ret = 0;
		return 0;
	}
	if (strcmp(list, "all") == 0) {
		*ret = cap_mask_all();
		return 0;
	}
	_cleanup_free_ char *copy = strdup(list);
	if (!copy)
		return nerr_set(e, ENOMEM, "strdup", "caps");
	uint64_t m = 0;
	char *save = NULL;
	for (char *w = strtok_r(copy, ", ", &save); w; w = strtok_r(NULL, ", ", &save)) {
		int v;
		if (cap_parse_name(w, &v) < 0)
			return nerr_set(e, EINVAL, "cap_from_name", "%s", w);
		m |= 1ULL << v;
	}
	*ret = m;
	return 0;
}

int cap_mask_str(uint64_t mask, const char *sep, char *buf, size_t len)
{
	size_t off = 0;
	int n = 0;
	if (len)
		buf[0] = '\0';
	for (int i = 0; i < 64; i++) {
		if (!(mask & (1ULL << i)))
			continue;
		char *name = cap_to_name(i);
		if (off < len)
			off += snprintf(buf + off, len - off, "%s%s", n ? sep : "",
					name ? name : "?");
		cap_free(name);
		n++;
	}
	return n;
}

static void cap_free_p(cap_t *c)
{
	if (*c)
		cap_free(*c);
}

int cap_keep_only(uint64_t keep, struct nerr *e)
{
	char names[1024], what[1100];
	uint64_t drop = cap_mask_all() & ~keep;
	cap_mask_str(drop, ",", names, sizeof(names));
	/* Say it the short way round. */
	if (__builtin_popcountll(drop) > __builtin_popcountll(keep & cap_mask_all())) {
		char kept[1024];
		cap_mask_str(keep & cap_mask_all(), ",", kept, sizeof(kept));
		snprintf(what, sizeof(what), "all but {%s}", kept);
	} else {
		snprintf(what, sizeof(what), "{%s}", names);
	}
	/* Bounding first: dropping from it needs CAP_SETPCAP in the effective
	 * set, which the capset below may remove. */
	for (int i = 0; i < cap_count(); i++) {
		if (!(drop & (1ULL << i)) || cap_get_bound(i) != 1)
			continue;
		if (cap_drop_bound(i) < 0) {
			char *name = cap_to_name(i);
			int err = errno;
			nerr_setw(e, err, "prctl",
				  N_("dropping from the bounding set needs CAP_SETPCAP"),
				  "prctl(PR_CAPBSET_DROP, %s)", name ? name : "?");
			cap_free(name);
			tr_call(-1, err, "%s", e->what);
			return -err;
		}
	}
	tr_call(0, 0, "prctl(PR_CAPBSET_DROP, CAP) for CAP in %s", what);
	/* The ambient set would carry capabilities across execve on its own. */
	cap_reset_ambient();
	_cleanup_(cap_free_p) cap_t c = cap_get_proc();
	if (!c)
		return nerr_set(e, errno, "capget", "capget(0)");
	for (int i = 0; i < cap_count(); i++) {
		if (!(drop & (1ULL << i)))
			continue;
		cap_value_t v = i;
		cap_set_flag(c, CAP_EFFECTIVE, 1, &v, CAP_CLEAR);
		cap_set_flag(c, CAP_PERMITTED, 1, &v, CAP_CLEAR);
	}
	/* Docker too leaves inheritable empty (CVE-2022-24769). */
	cap_clear_flag(c, CAP_INHERITABLE);
	int r = cap_set_proc(c);
	int err = errno;
	tr_call(r, err, "capset(): effective and permitted lose %s; inheritable = {}", what);
	if (r < 0)
		return nerr_set(e, err, "capset", "capset(...)");
	return 0;
}
