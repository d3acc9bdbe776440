/* i18n.h - messages in the learner's language, through GNU gettext.
 * Source strings are English; the files in po/ko/ hold the Korean. Mark a string with
 * _() where it is printed, N_() where it is only stored. */
#ifndef NSLAB_I18N_H
#define NSLAB_I18N_H

#include <libintl.h>

#define _(s) gettext(s)
#ifndef N_
#define N_(s) (s)
#endif

/* Choose the message language: "en", "ko", or NULL for LANG/LC_ALL. Returns
 * the code in use ("en" or "ko"). @localedir holds ko/LC_MESSAGES/nslab.mo. */
const char *i18n_init(const char *lang, const char *localedir);

/* "en" or "ko": the language chosen by i18n_init. */
const char *i18n_lang(void);

#endif
