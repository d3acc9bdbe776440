#include "err.h"

#include <stdio.h>
#include <string.h>

static int vset(struct nerr *e, int code, const char *call, const char *why, const char *fmt,
		va_list ap)
{
	if (code < 0)
		code = -code;
	if (!e)
		return -code;
	e->code = code;
	snprintf(e->call, sizeof(e->call), "%s", call ? call : "");
	vsnprintf(e->what, sizeof(e->what), fmt ? fmt : "", ap);
	e->why = why;
	return -code;
}

int nerr_set(struct nerr *e, int code, const char *call, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int r = vset(e, code, call, NULL, fmt, ap);
	va_end(ap);
	return r;
}

int nerr_setw(struct nerr *e, int code, const char *call, const char *why, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int r = vset(e, code, call, why, fmt, ap);
	va_end(ap);
	return r;
}

void nerr_clear(struct nerr *e)
{
	if (e)
		memset(e, 0, sizeof(*e));
}
