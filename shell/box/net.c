/* net.c - nslab's host-side network namespace and interface names. */
#include "net.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "../kernel/cleanup.h"
#include "../kernel/net.h"
#include "../kernel/procfs.h"

static void holder_path(struct session *s, char *out, size_t len)
{
	snprintf(out, len, "%s/netns-host", s->dir);
}

int box_net_host(struct session *s, bool create, pid_t *ret, struct nerr *e)
{
	char path[PATH_MAX + 16];
	holder_path(s, path, sizeof(path));
	int pid = 0;
	unsigned long long start = 0;
	{
		_cleanup_fclose_ FILE *f = fopen(path, "re");
		if (f && fscanf(f, "%d %llu", &pid, &start) == 2 && pid > 1 &&
		    proc_starttime(pid) == start) {
			*ret = pid;
			return 0;
		}
	}
	if (!create)
		return nerr_set(e, ENOENT, "open", "%s", path);
	pid_t np;
	int r = net_holder_start(&np, &start, e);
	if (r < 0)
		return r;
	sess_record(s, NULL, "proc", "%d %llu", (int)np, start);
	_cleanup_fclose_ FILE *f = fopen(path, "we");
	if (f)
		fprintf(f, "%d %llu\n", (int)np, start);
	/* A new network namespace has only lo, and it is down. */
	const char *const up[] = { "link", "set", "lo", "up", NULL };
	r = net_ip(np, up, e);
	if (r < 0)
		return r;
	*ret = np;
	return 0;
}

void box_net_veth_name(const char *box, int idx, char *out, size_t len)
{
	char name[64];
	if (idx)
		snprintf(name, sizeof(name), "nsl-%s-%d", box, idx);
	else
		snprintf(name, sizeof(name), "nsl-%s", box);
	if (strlen(name) <= 15) {
		snprintf(out, len, "%s", name);
		return;
	}
	/* FNV-1a: short, stable, and different for boxes that share a prefix. */
	unsigned h = 2166136261u;
	for (const char *p = box; *p; p++)
		h = (h ^ (unsigned char)*p) * 16777619u;
	if (idx)
		snprintf(out, len, "nsl%08x-%d", h, idx % 100);
	else
		snprintf(out, len, "nsl%08x", h);
}

int box_net_bridge_name(const char *name, char *out, size_t len)
{
	if (strlen(name) > 9)
		return -ENAMETOOLONG;
	snprintf(out, len, "nslbr-%s", name);
	return 0;
}

int box_net_undo_link(const char *value)
{
	int pid;
	unsigned long long start;
	char ifname[32];
	if (sscanf(value, "%d %llu %31s", &pid, &start, ifname) != 3 || pid < 0)
		return -EINVAL;
	if (strncmp(ifname, "nsl", 3) != 0)
		return -EPERM; /* never anything nslab did not name */
	if (pid > 0 && proc_starttime(pid) != start)
		return 0;
	struct net_if *v = NULL;
	int n = net_list(pid, &v, NULL);
	bool there = n > 0 && net_find(v, n, ifname);
	free(v);
	if (!there)
		return 0;
	const char *const del[] = { "link", "del", ifname, NULL };
	return net_ip(pid, del, NULL);
}
