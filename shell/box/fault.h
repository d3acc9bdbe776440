/* fault.h - deterministic fault injection into box creation, for tests.
 *
 * Compiled in only with -DNSLAB_FAULTS (the sanitizer build that `make check`
 * tests, build/asan/nslab); the release binary has none of it. The variable
 * NSLAB_FAULT holds a comma-separated list of faults, each tied to one step of
 * the plan (numbered as `box new --dry-run` prints it) of the K-th box this
 * nslab creates (K = 1 when "/K" is left out):
 *
 *   kill@N[/K]        nslab is SIGKILLed right before step N. A step of the
 *                     launcher or the box tells the shell over the report
 *                     pipe, the shell kills itself, and the step's process
 *                     waits for its own PR_SET_PDEATHSIG: the crash of a shell
 *                     while step N is about to run, every time.
 *   fail@N:ERRNO[/K]  step N runs, then reports ERRNO (a name such as EPERM,
 *                     or a number) as if its last system call had been
 *                     refused: what the step made is there and must be
 *                     undone. A refused clone makes no process: that step
 *                     fails instead of running.
 *
 * A malformed NSLAB_FAULT stops nslab at start (status 2), so that a test
 * never passes because its fault was silently ignored. */
#ifndef NSLAB_FAULT_H
#define NSLAB_FAULT_H

#include <stdbool.h>

#include "../kernel/err.h"

struct box_plan;

#ifdef NSLAB_FAULTS
/* A box creation starts (in the shell): arms the faults meant for it. */
void fault_box_begin(void);
/* The creation ended (in the shell): nothing fires until the next one. */
void fault_box_end(void);
/* Is nslab to be killed right before step @i (0-based) of this creation? */
bool fault_kill_at(int i);
/* After step @i (0-based) has run: 0, or fills @e as the step's refusal and
 * returns -errno. */
int fault_fail_at(const struct box_plan *p, int i, struct nerr *e);
#else
static inline void fault_box_begin(void)
{
}
static inline void fault_box_end(void)
{
}
static inline bool fault_kill_at(int i)
{
	(void)i;
	return false;
}
static inline int fault_fail_at(const struct box_plan *p, int i, struct nerr *e)
{
	(void)p;
	(void)i;
	(void)e;
	return 0;
}
#endif

#endif
