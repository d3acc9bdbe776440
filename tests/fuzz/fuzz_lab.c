/* fuzz_lab.c - libFuzzer target: the lab Markdown loader (lab_parse), with its
 * fenced blocks (lab, nslab, check, hint, cleanup) and predicate lines. Any
 * text must load or be refused with a file:line message; never crash, leak
 * or read out of bounds. The parser only reads memory: no kernel is touched. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../shell/lab/lab.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	struct lab *lab = calloc(1, sizeof(*lab));
	struct lab_error err;
	memset(&err, 0, sizeof(err));
	if (lab) {
		int r = lab_parse(text, "fuzz.md", lab, &err);
		if (r < 0 && !err.msg[0])
			abort(); /* a refusal always says what is wrong */
		if (r == 0)
			for (int i = 0; i < lab->nsteps; i++)
				if (strlen(lab->steps[i].id) > LAB_ID_MAX)
					abort();
		lab_free(lab);
	}
	free(text);
	return 0;
}
