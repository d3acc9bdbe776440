/* ptree.h - a snapshot of the process tree from /proc, with each process's
 * namespace ids, for `tree`, the pane and lab checks. */
#ifndef NSLAB_PTREE_H
#define NSLAB_PTREE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "ns.h"

struct pnode {
	pid_t pid, ppid;
	char comm[32];
	uint64_t ns[NS_COUNT];
	pid_t nspid; /* the innermost PID (last NSpid column); 0 if unknown */
	int nslevels; /* how many pid namespaces deep */
};

struct ptree {
	struct pnode *v; /* sorted by pid */
	size_t n;
};

/* Scan @procdir. Namespace ids and NSpid are read for every process. */
int ptree_scan(int procdir, struct ptree *t);
void ptree_free(struct ptree *t);
struct pnode *ptree_find(const struct ptree *t, pid_t pid);

#endif
