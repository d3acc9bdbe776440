/* repl.h - the prompt (GNU readline, callback interface) and batch mode. */
#ifndef NSLAB_REPL_H
#define NSLAB_REPL_H

#include <stdio.h>

#include "../nslab.h"

/* Split and run one line of commands; returns the last command's status
 * (2 for a line that does not parse). */
int repl_run_line(struct nslab *ctx, const char *line);

/* Read commands from @f (a script or stdin) until EOF or exit. Stops at the
 * first failing command when @stop_on_error. Returns the last status. */
int repl_batch(struct nslab *ctx, FILE *f, const char *name, bool stop_on_error);

/* The interactive prompt; returns the status to exit with. */
int repl_interactive(struct nslab *ctx);

/* Signal handling shared by every mode: TERM, HUP (and INT outside the
 * prompt) ask the shell to stop and clean up. */
void sig_install(void);
/* The terminating signal received, or 0. */
int sig_pending(void);

#endif
