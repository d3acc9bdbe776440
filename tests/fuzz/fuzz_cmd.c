/* fuzz_cmd.c - libFuzzer target: the dispatcher and every command's argument
 * parsing, on a context that cannot reach the kernel.
 *
 * The input is a command line. It is split with tok_split and each command
 * goes through cmd_run, with three fences so that no input can make a
 * namespace, a mount or a process:
 *   1. only commands that read (help, echo, explain, box, use, run, sh, ns,
 *      proc, exit, quit) and unknown words (the "did you mean" path) run;
 *      any other registered command (cleanup, doctor, and whatever is added
 *      later: cg, lab...) is skipped; tree is left out for speed (it reads all
 *      of /proc, and its parser is fuzz_procfs's);
 *   2. `box new NAME ...` gets --dry-run inserted right after NAME, where
 *      getopt reads it first, so it prints a plan and stops;
 *   3. the context is not root and its session lives under /proc, where
 *      mkdir always fails, so even a box_create reached by mistake stops
 *      before it forks.
 * No box ever exists, so run and sh stop at "no current box". */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../shell/box/state.h"
#include "../../shell/cmd/cmd.h"
#include "../../shell/repl/tokenize.h"

static const char *const allowed[] = { "help", "echo", "explain", "box",  "use", "run",
				       "sh",   "ns",   "proc",    "exit", "quit" };

static FILE *devnull;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	devnull = fopen("/dev/null", "w");
	/* The commands' messages go nowhere; sanitizer reports still reach fd 2. */
	stderr = devnull;
	return 0;
}

static bool may_run(const char *word)
{
	if (!cmd_find(word))
		return true;
	for (size_t i = 0; i < sizeof(allowed) / sizeof(allowed[0]); i++)
		if (strcmp(word, allowed[i]) == 0)
			return true;
	return false;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 4096)
		return 0;
	char *line = malloc(size + 1);
	if (!line)
		return 0;
	memcpy(line, data, size);
	line[size] = '\0';
	struct tok_cmd *cmds;
	const char *err;
	int n = tok_split(line, &cmds, &err);
	free(line);
	if (n <= 0)
		return 0;

	struct session sess = { .dir = "/proc/nslab-fuzz-no-such-dir", .pid = 0 };
	struct nslab ctx = { .out = devnull, .sess = &sess, .is_root = false };
	snprintf(ctx.rootfs, sizeof(ctx.rootfs), "%s/tests/fuzz/fixture-rootfs", SRCDIR);
	for (int i = 0; i < n && i < 16 && !ctx.quit; i++) {
		int argc = cmds[i].argc;
		char **argv = cmds[i].argv;
		if (!may_run(argv[0]))
			continue;
		char **av = argv;
		if (strcmp(argv[0], "box") == 0 && argc >= 3 && strcmp(argv[1], "new") == 0) {
			av = calloc(argc + 2, sizeof(*av));
			if (!av)
				break;
			memcpy(av, argv, 3 * sizeof(*av));
			av[3] = "--dry-run";
			memcpy(av + 4, argv + 3, (argc - 3) * sizeof(*av));
			argc++;
		}
		int st = cmd_run(&ctx, argc, av);
		if (av != argv)
			free(av);
		if (ctx.boxes)
			abort(); /* a fence failed: a box was made */
		if (st < 0 || st > 255)
			abort();
	}
	free(ctx.last_out);
	tok_free(cmds, n);
	return 0;
}
