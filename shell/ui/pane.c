/* pane.c - curses screen, readline redirection, the live loop. */
#include "pane.h"

#include <errno.h>

int ui_top_run(struct nslab *ctx, const struct ui_want *w, bool big)
{
	(void)ctx;
	(void)w;
	(void)big;
	return -ENOSYS;
}
