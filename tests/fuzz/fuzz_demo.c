/* fuzz_demo.c - libFuzzer target: the demo script loader (demo_parse), and
 * what `demo --check` and the player ask of each item before any command
 * runs (demo_visible, demo_item_missing: the tokenizer and the command
 * table). Any text must load or be refused with a line and a message that
 * formats with its word; never crash, leak or read out of bounds. Nothing
 * here runs a command: no kernel is touched. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../shell/demo/demo.h"

static size_t count_lines(const uint8_t *data, size_t size)
{
	size_t n = 1;
	for (size_t i = 0; i < size; i++)
		n += data[i] == '\n';
	return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* A FILE over a copy, as demo reads a script with fopen. */
	char *buf = malloc(size + 1);
	if (!buf)
		return 0;
	memcpy(buf, data, size);
	buf[size] = '\0';
	FILE *f = fmemopen(buf, size ? size : 1, "r");
	if (!f) {
		free(buf);
		return 0;
	}
	struct demo *d = NULL;
	struct demo_error e;
	int r = demo_parse(f, &d, &e);
	fclose(f);
	size_t lines = count_lines(data, size);
	if (r < 0) {
		/* A refusal says what is wrong, on a line of the file (0: the
		 * whole file), and its message formats with the word, as demo
		 * prints it. */
		if (d || !e.msg || e.line < 0 || (size_t)e.line > lines ||
		    strnlen(e.word, sizeof(e.word)) >= sizeof(e.word))
			abort();
		char msg[256];
		snprintf(msg, sizeof(msg), e.msg, e.word);
	} else {
		if (!d || d->n <= 0 || d->minutes < 0 || d->minutes > 600 ||
		    strnlen(d->title, sizeof(d->title)) >= sizeof(d->title))
			abort();
		int prev = 0;
		for (int i = 0; i < d->n; i++) {
			const struct demo_item *it = &d->items[i];
			if (!it->text || it->line < prev || (size_t)it->line > lines)
				abort();
			prev = it->line;
			(void)demo_visible(it);
			char word[64];
			word[0] = '\0';
			if (demo_item_missing(it, word, sizeof(word)) &&
			    strnlen(word, sizeof(word)) >= sizeof(word))
				abort(); /* the missing word fits its buffer, cut if need be */
		}
		demo_free(d);
	}
	free(buf);
	return 0;
}
