/* pane.h - the pane's drawing loop: `nslab top` full screen, and the live
 * pane, which is the same loop in its own process (`nslab top --follow
 * SESSION`) in a tmux split beside the shell's prompt.
 *
 * The shell never draws: it publishes what the pane shows (current box, lab
 * step, recent system calls, the colours) in a file of its session directory
 * (ui_follow_format), and the follower reads it (inotify), reads the kernel,
 * and draws a snapshot. Nothing here changes the system. */
#ifndef NSLAB_UI_PANE_H
#define NSLAB_UI_PANE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "../kernel/trace.h"
#include "../nslab.h"
#include "model.h"

/* The file in the session directory that the follower reads. */
#define UI_FOLLOW_FILE "pane"

/* What the shell publishes for the pane. */
struct ui_follow {
	char current[48];  /* the current box's name, "" = the host */
	pid_t current_pid; /* its PID 1 (0 = none) */
	unsigned long long current_start;
	char lab[128];     /* "lab 05 step 3/6: title", "" = none */
	bool big;          /* projector colours */
	struct tr_rec calls[UI_CALLS]; /* the shell's last system calls, oldest first */
	size_t ncalls;
};

/* The published text for @f (pure; for tests). Returns its length. */
size_t ui_follow_format(const struct ui_follow *f, char *buf, size_t len);
/* Parse what ui_follow_format wrote; unknown lines are skipped. */
void ui_follow_parse(const char *text, struct ui_follow *f);

/* What a key asks of `top` (htop style: handlers say, the loop does). */
enum ui_action { UA_NONE, UA_QUIT, UA_TOGGLE_BIG, UA_REDRAW };
enum ui_action ui_top_key(int key);

/* `top` live: the pane alone, full screen, until q. With @follow (a shell's
 * session pid), follow that shell's published state until it ends. */
int ui_top_run(struct nslab *ctx, const struct ui_want *w, bool big, pid_t follow);

#endif
