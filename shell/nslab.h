/* nslab.h - the one context struct that the shell's state lives in. */
#ifndef NSLAB_NSLAB_H
#define NSLAB_NSLAB_H

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#define NSLAB_VERSION "0.1.0"

struct box;
struct session;
struct lab_state;
struct ui_pane;

struct nslab {
	bool explain;     /* print each system call as it is made */
	bool interactive; /* a person at a readline prompt */
	bool is_root;     /* euid 0 */
	FILE *out;        /* where commands print (the pane may swap it) */
	uint32_t tr_seen; /* last trace record printed by explain */

	struct session *sess; /* /run/nslab/<pid>: what this run created */
	struct box *boxes;    /* the box table, newest first */
	struct box *cur;      /* `use NAME`; NULL = the host */

	char datadir[PATH_MAX];  /* labs/, demos/, rootfs/, locale/ */
	char userdir[PATH_MAX];  /* per-user state: history, progress */
	uid_t user_uid;          /* the real user (SUDO_USER under sudo): owns userdir */
	gid_t user_gid;
	char rootfs[PATH_MAX];   /* default rootfs for box new */

	/* What the start-up cleanup removed (runs that crashed before). */
	int stale_runs, stale_items;

	/* What the last command did: labs check exit status and output. */
	int last_status;
	char *last_out;
	size_t last_out_len;
	FILE *tee; /* while a command runs: a copy of what out() prints (cmd_run) */

	struct lab_state *lab; /* the lab in progress (shell/lab) */
	struct ui_pane *pane;  /* the live pane, when on (shell/ui) */
	bool quit;

	/* Hooks other modules set; each may be NULL. */
	/* After every command line's command (labs re-check the current step). */
	void (*after_cmd)(struct nslab *ctx, int argc, char **argv, int status);
	/* The prompt's extra part, e.g. "lab 05 step 3" (written into buf). */
	void (*prompt_extra)(struct nslab *ctx, char *buf, size_t len);
	/* Called about 4 times a second while the prompt waits (the pane redraws). */
	void (*on_idle)(struct nslab *ctx);
	/* Write what the pane shows into the session directory (shell/ui/publish.c). */
	void (*publish)(struct nslab *ctx);
};

#endif
