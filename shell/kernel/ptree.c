#include "ptree.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cleanup.h"
#include "procfs.h"

static void read_nspid(int procdir, struct pnode *p)
{
	_cleanup_free_ char *status = NULL;
	char v[128];
	if (proc_read(procdir, p->pid, "status", &status, NULL, NULL) < 0)
		return;
	if (proc_status_field(status, "NSpid", v, sizeof(v)) < 0)
		return;
	/* "4242 1": the last column is the PID in the innermost namespace. */
	char *save = NULL;
	p->nslevels = 0;
	for (char *w = strtok_r(v, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
		p->nspid = (pid_t)atoi(w);
		p->nslevels++;
	}
}

int ptree_scan(int procdir, struct ptree *t)
{
	pid_t *pids;
	size_t n;
	memset(t, 0, sizeof(*t));
	int r = proc_list_pids(procdir, &pids, &n);
	if (r < 0)
		return r;
	t->v = calloc(n ? n : 1, sizeof(*t->v));
	if (!t->v) {
		free(pids);
		return -ENOMEM;
	}
	for (size_t i = 0; i < n; i++) {
		struct proc_stat st;
		if (proc_stat_read(procdir, pids[i], &st) < 0)
			continue; /* it ended while we looked */
		struct pnode *p = &t->v[t->n];
		p->pid = st.pid;
		p->ppid = st.ppid;
		memcpy(p->comm, st.comm, sizeof(p->comm));
		if (ns_read_ids(procdir, p->pid, p->ns) < 0)
			continue;
		p->nspid = p->pid;
		p->nslevels = 1;
		t->n++;
	}
	free(pids);
	/* NSpid only where the pid namespace differs from PID 1's: few processes. */
	struct pnode *init = ptree_find(t, 1);
	for (size_t i = 0; i < t->n; i++)
		if (!init || t->v[i].ns[NS_PID] != init->ns[NS_PID])
			read_nspid(procdir, &t->v[i]);
	return 0;
}

void ptree_free(struct ptree *t)
{
	free(t->v);
	t->v = NULL;
	t->n = 0;
}

struct pnode *ptree_find(const struct ptree *t, pid_t pid)
{
	size_t lo = 0, hi = t->n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (t->v[mid].pid == pid)
			return &t->v[mid];
		if (t->v[mid].pid < pid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}
