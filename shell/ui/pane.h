/* pane.h - the live pane beside the readline prompt, and `top`'s full screen.
 *
 * curses owns the screen; readline keeps the line (history, completion,
 * editing) and is only told to draw through us: the prompt is rendered into
 * its own window from rl_line_buffer and rl_point. Command output goes to a
 * scrolling window through a FILE* (fopencookie), so ctx->out and stderr keep
 * working unchanged. Programs that need the terminal (sh) get it back
 * through ctx->term_release / ctx->term_restore. */
#ifndef NSLAB_UI_PANE_H
#define NSLAB_UI_PANE_H

#include <stdbool.h>

#include "../nslab.h"
#include "model.h"

/* Start the pane for the interactive shell: sets ctx->pane, ctx->out, the
 * hooks and readline's display functions. Returns 0, or -errno when the
 * terminal cannot host it (the shell then runs without). */
int ui_pane_start(struct nslab *ctx, bool big);
/* Give the terminal back as it was. Safe to call when the pane is off. */
void ui_pane_stop(struct nslab *ctx);

/* Switch the pane's colours: --big is bold, high contrast, for a projector. */
void ui_pane_set_big(struct nslab *ctx, bool big);

/* What a key asks of `top` (htop style: handlers say, the loop does). */
enum ui_action { UA_NONE, UA_QUIT, UA_TOGGLE_BIG, UA_REDRAW };
enum ui_action ui_top_key(int key);

/* `top` live: the pane alone, full screen, until q. */
int ui_top_run(struct nslab *ctx, const struct ui_want *w, bool big);

#endif
