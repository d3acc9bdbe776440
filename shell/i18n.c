#include "i18n.h"

#include <locale.h>
#include <stdlib.h>
#include <string.h>

static const char *current = "en";

static const char *from_env(void)
{
	const char *vars[] = { "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG" };
	for (size_t i = 0; i < sizeof(vars) / sizeof(vars[0]); i++) {
		const char *v = getenv(vars[i]);
		if (v && *v)
			return strncmp(v, "ko", 2) == 0 ? "ko" : "en";
	}
	return "en";
}

const char *i18n_init(const char *lang, const char *localedir)
{
	current = (lang && strcmp(lang, "ko") == 0) ? "ko" : lang ? "en" : from_env();
	/* gettext ignores LANGUAGE under the "C" locale, and Korean needs UTF-8:
	 * ask for a UTF-8 locale that every Debian and Ubuntu has. */
	if (!setlocale(LC_ALL, ""))
		setlocale(LC_ALL, "C.UTF-8");
	const char *ctype = setlocale(LC_CTYPE, NULL);
	if (!ctype || strcmp(ctype, "C") == 0 || strcmp(ctype, "POSIX") == 0)
		setlocale(LC_ALL, "C.UTF-8");
	const char *msgs = setlocale(LC_MESSAGES, NULL);
	if (msgs && (strcmp(msgs, "C") == 0 || strcmp(msgs, "POSIX") == 0))
		setlocale(LC_MESSAGES, "C.UTF-8");
	setenv("LANGUAGE", current, 1);
	bindtextdomain("nslab", localedir);
	bind_textdomain_codeset("nslab", "UTF-8");
	textdomain("nslab");
	return current;
}

const char *i18n_lang(void)
{
	return current;
}
