/* tokenize.h - split a command line into commands and words, shell-like:
 * 'single' and "double" quotes, backslash escapes, # comments, and ';' or a
 * newline between commands. No expansion: what you type is what runs. */
#ifndef NSLAB_TOKENIZE_H
#define NSLAB_TOKENIZE_H

#include <stddef.h>

struct tok_cmd {
	int argc;
	char **argv; /* NULL-terminated */
};

/* Returns the number of commands (0 for an empty line or a comment), or
 * -EINVAL with *ret_err pointing at a msgid (unterminated quote...). */
int tok_split(const char *line, struct tok_cmd **ret, const char **ret_err);
void tok_free(struct tok_cmd *cmds, int n);

#endif
