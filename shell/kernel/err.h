/* err.h - one error object for the whole kernel layer.
 *
 * Every fallible kernel-layer function returns 0 (or a count) on success and
 * -errno on failure, and fills a struct nerr with what was asked of the kernel.
 * It never prints: the command layer explains the error once, in the
 * learner's language (out_nerr in shell/cmd/out.c, with its table of likely
 * causes per system call and errno).
 */
#ifndef NSLAB_ERR_H
#define NSLAB_ERR_H

#include <stdarg.h>

struct nerr {
	int code;        /* positive errno, 0 when no error */
	char call[32];   /* the system call or file that failed: "pivot_root", "write" */
	char what[320];  /* the call with its arguments in words */
	const char *why; /* optional msgid (English, N_()-marked) with a context hint */
};

/* Fill @e (may be NULL) and return -code. @fmt describes the call and its arguments. */
int nerr_set(struct nerr *e, int code, const char *call, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* Same as nerr_set, with a context hint (a msgid marked with N_()). */
int nerr_setw(struct nerr *e, int code, const char *call, const char *why, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

void nerr_clear(struct nerr *e);

/* Marks a string for translation without translating it (xgettext keyword). */
#ifndef N_
#define N_(s) (s)
#endif

#endif
