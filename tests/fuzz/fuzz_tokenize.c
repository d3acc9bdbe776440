/* fuzz_tokenize.c - libFuzzer target: the command-line tokenizer (tok_split).
 * Any byte string must split or be refused with a message; never crash or leak.
 * The words of every command must be NUL-terminated and argv NULL-terminated. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../shell/repl/tokenize.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *line = malloc(size + 1);
	if (!line)
		return 0;
	memcpy(line, data, size);
	line[size] = '\0';
	struct tok_cmd *cmds;
	const char *err = NULL;
	int n = tok_split(line, &cmds, &err);
	if (n < 0) {
		if (!err || cmds)
			abort(); /* a refusal always names its reason and hands back nothing */
	} else {
		for (int i = 0; i < n; i++) {
			if (cmds[i].argc <= 0 || cmds[i].argv[cmds[i].argc] != NULL)
				abort();
			for (int j = 0; j < cmds[i].argc; j++)
				if (strlen(cmds[i].argv[j]) > size)
					abort();
		}
		tok_free(cmds, n);
	}
	free(line);
	return 0;
}
