/* fuzz_procfs.c - libFuzzer target: the /proc text parsers.
 * proc_stat_parse gets the whole input as a /proc/PID/stat line;
 * proc_status_field gets it as a /proc/PID/status text, with keys that exist
 * and do not, and output buffers of 1 byte up to a normal size. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../shell/kernel/procfs.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';

	struct proc_stat st;
	if (proc_stat_parse(text, &st) == 0 && strlen(st.comm) >= sizeof(st.comm))
		abort();

	static const char *const keys[] = { "Name", "NSpid", "Uid", "Gid", "CapEff", "Seccomp",
					    "", "X" };
	static const size_t lens[] = { 1, 2, 16, 256 };
	for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++) {
		for (size_t l = 0; l < sizeof(lens) / sizeof(lens[0]); l++) {
			char *out = malloc(lens[l]); /* exact size: ASan sees any overrun */
			if (!out)
				break;
			if (proc_status_field(text, keys[k], out, lens[l]) == 0 &&
			    strlen(out) >= lens[l])
				abort();
			free(out);
		}
	}
	free(text);
	return 0;
}
