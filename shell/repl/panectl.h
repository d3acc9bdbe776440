/* panectl.h - the live pane as its own process: `nslab top --follow PID`
 * in a tmux split beside the prompt; the shell publishes what it shows. */
#ifndef NSLAB_PANECTL_H
#define NSLAB_PANECTL_H

#include <stdbool.h>

#include "../nslab.h"

/* Open the pane (inside tmux: a split of the current window). Returns 0, or
 * -errno with a one-line hint printed (no tmux: run `nslab top` elsewhere). */
int pane_open(struct nslab *ctx);
void pane_close(struct nslab *ctx);
void pane_set_big(struct nslab *ctx, bool big);
/* Write the pane's file in the session directory (ctx->publish). */
void pane_publish(struct nslab *ctx);

#endif
