/* i18n.h - messages in the learner's language, through GNU gettext.
 * Source strings are English; the files in po/ko/ hold the Korean. Mark a string with
 * _() where it is printed, N_() where it is only stored. */
#ifndef NSLAB_I18N_H
#define NSLAB_I18N_H

#include <libintl.h>
#include <stddef.h>

#define _(s) gettext(s)
#ifndef N_
#define N_(s) (s)
/* Korean particles that depend on the word before them. A Korean message
 * writes a marker right after a word known only at run time:
 *   %s(을)  -> 을 after a final consonant, 를 after a vowel   (object)
 *   %s(이)  -> 이 / 가                                         (subject)
 *   %s(은)  -> 은 / 는                                         (topic)
 *   %s(으로) -> 으로 / 로 (로 also after a final ㄹ)            (means, direction)
 *   %s(과)  -> 과 / 와                                         (and, with)
 *   %s(이)라 -> 이라 / 라 ("'%s'(이)라는 박스": 'web1'이라는, 'web'이라는, 'a'라는)
 * i18n_particles() rewrites the markers in @s in place (the text only shrinks),
 * choosing from the last syllable before the marker: Hangul by its final
 * consonant, digits and Latin letters as they are read aloud (v1 "브이일",
 * SIGTERM "시그텀", uname "유네임"). Quotes and brackets right before the
 * marker are skipped. Text without markers is left as it is. */
void i18n_particles(char *s);

/* The final consonant of the syllable that ends @word as read aloud:
 * 0 none, 8 ㄹ, any other value another final consonant (Hangul jongseong
 * index, 1..27). Exported for the unit test. */
int i18n_final(const char *word, size_t len);

#endif

/* Choose the message language: "en", "ko", or NULL for LANG/LC_ALL. Returns
 * the code in use ("en" or "ko"). @localedir holds ko/LC_MESSAGES/nslab.mo. */
const char *i18n_init(const char *lang, const char *localedir);

/* "en" or "ko": the language chosen by i18n_init. */
const char *i18n_lang(void);

/* Korean particles that depend on the word before them. A Korean message
 * writes a marker right after a word known only at run time:
 *   %s(을)  -> 을 after a final consonant, 를 after a vowel   (object)
 *   %s(이)  -> 이 / 가                                         (subject)
 *   %s(은)  -> 은 / 는                                         (topic)
 *   %s(으로) -> 으로 / 로 (로 also after a final ㄹ)            (means, direction)
 *   %s(과)  -> 과 / 와                                         (and, with)
 *   %s(이)라 -> 이라 / 라 ("'%s'(이)라는 박스": 'web1'이라는, 'web'이라는, 'a'라는)
 * i18n_particles() rewrites the markers in @s in place (the text only shrinks),
 * choosing from the last syllable before the marker: Hangul by its final
 * consonant, digits and Latin letters as they are read aloud (v1 "브이일",
 * SIGTERM "시그텀", uname "유네임"). Quotes and brackets right before the
 * marker are skipped. Text without markers is left as it is. */
void i18n_particles(char *s);

/* The final consonant of the syllable that ends @word as read aloud:
 * 0 none, 8 ㄹ, any other value another final consonant (Hangul jongseong
 * index, 1..27). Exported for the unit test. */
int i18n_final(const char *word, size_t len);

#endif
