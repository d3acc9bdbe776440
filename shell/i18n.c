#include "i18n.h"

#include <locale.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <stddef.h>
#include <stdint.h>

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

/* ---------------- Korean particles ---------------- */

/* Decode the UTF-8 character that ends at @end (exclusive) in @s. */
static uint32_t last_char(const char *s, size_t end, size_t *ret_start)
{
	size_t i = end;
	while (i > 0 && ((unsigned char)s[i - 1] & 0xC0) == 0x80)
		i--;
	if (i > 0)
		i--;
	*ret_start = i;
	const unsigned char *p = (const unsigned char *)s + i;
	if (p[0] < 0x80)
		return p[0];
	if ((p[0] & 0xE0) == 0xC0 && end - i >= 2)
		return (uint32_t)(p[0] & 0x1F) << 6 | (p[1] & 0x3F);
	if ((p[0] & 0xF0) == 0xE0 && end - i >= 3)
		return (uint32_t)(p[0] & 0x0F) << 12 | (uint32_t)(p[1] & 0x3F) << 6 | (p[2] & 0x3F);
	return 0xFFFD;
}

static bool is_lower(int c) { return c >= 'a' && c <= 'z'; }
static bool is_upper(int c) { return c >= 'A' && c <= 'Z'; }
static bool is_vowel(int c) { return c && strchr("aeiouy", c) != NULL; }

/* Final consonant of the digit @d read in Sino-Korean: 영 일 이 삼 사 오 육 칠 팔 구. */
static int digit_final(int d)
{
	static const int fin[10] = { 21, 8, 0, 16, 0, 0, 1, 8, 8, 0 };
	return fin[d - '0'];
}

/* An English word ending in @w[0..n): how its last syllable is read. Letters
 * spoken as a word: "cgroup" 그룹, "timeout" 아웃, "uname" 네임, "file" 파일,
 * "shell" 셸, "box" 박스, "memory" 메모리; capitals as below. */
static int latin_final(const char *w, size_t n)
{
	int c = (unsigned char)w[n - 1];
	/* A word in capitals is spelled out when it is short or has no vowel
	 * (PID 피아이디, IPC, MNT), else read as a word (SIGTERM, NAME, ADMIN);
	 * one letter is always spelled (p 피, r 알). */
	bool spelled = n == 1;
	if (is_upper(c) && !spelled) {
		bool vowel = false;
		for (size_t i = 0; i < n; i++)
			vowel |= is_vowel(w[i] | 0x20) && (w[i] | 0x20) != 'y';
		spelled = n <= 3 || !vowel;
	}
	c |= 0x20;
	if (spelled) {
		/* Letter names: L 엘, M 엠, N 엔, R 알 end in a consonant. */
		return c == 'l' || c == 'r' ? 8 : c == 'm' ? 16 : c == 'n' ? 4 : 0;
	}
	if (n == 5 && strncasecmp(w, "check", 5) == 0)
		return 0; /* 체크 */
	char prev = n >= 2 ? (char)(w[n - 2] | 0x20) : 0;
	switch (c) {
	case 'l': return 8;
	case 'm': return 16;
	case 'n': return 4;
	case 'g': return prev == 'n' ? 21 : 0;
	case 'b': case 'p': return is_vowel(prev) ? 17 : 0; /* cgroup 그룹, help 헬프 */
	case 'k': case 'c': return prev == 'c' || is_vowel(prev) ? 1 : 0;
	case 't':
		/* net 넷, timeout 아웃; root 루트, boot 부트. */
		return is_vowel(prev) && !(n >= 3 && prev == 'o' && (w[n - 3] | 0x20) == 'o') ? 19 : 0;
	case 'e':
		/* A silent e: name 네임, time 타임, type 타입, file 파일; else 에 or 으. */
		if (n >= 3 && is_vowel(w[n - 3] | 0x20) && !is_vowel(prev)) {
			if (prev == 'm') return 16;
			if (prev == 'n') return 4;
			if (prev == 'l') return 8;
			if (prev == 'p') return 17;
		}
		return 0;
	default: return 0;
	}
}

int i18n_final(const char *word, size_t len)
{
	size_t end = len;
	/* Skip what is not read: quotes, brackets, dots, spaces. */
	while (end > 0 && strchr("'\"`)]}>. ", word[end - 1]))
		end--;
	if (end == 0)
		return 0;
	size_t start;
	uint32_t c = last_char(word, end, &start);
	if (c >= 0xAC00 && c <= 0xD7A3)
		return (int)((c - 0xAC00) % 28);
	if (c >= '0' && c <= '9')
		return digit_final((int)c);
	if (is_lower((int)c) || is_upper((int)c)) {
		size_t b = end;
		while (b > 0 && (is_lower(word[b - 1]) || is_upper(word[b - 1])))
			b--;
		return latin_final(word + b, end - b);
	}
	/* Signs read as words: % 퍼센트, ~ 물결; others as nothing. */
	return 0;
}

void i18n_particles(char *s)
{
	static const struct {
		const char *mark, *after_consonant, *after_vowel;
		bool rieul_as_vowel; /* 으로: after ㄹ, 로 */
	} marks[] = {
		{ "(을)", "을", "를", false }, { "(이)라", "이라", "라", false },
		{ "(이)", "이", "가", false },
		{ "(은)", "은", "는", false }, { "(으로)", "으로", "로", true },
		{ "(과)", "과", "와", false },
	};
	if (!s || !strchr(s, '('))
		return;
	char *w = s;
	for (const char *r = s; *r;) {
		size_t i = 0;
		for (; i < sizeof(marks) / sizeof(marks[0]); i++)
			if (r > s && r[-1] != ' ' && strncmp(r, marks[i].mark, strlen(marks[i].mark)) == 0)
				break;
		if (i == sizeof(marks) / sizeof(marks[0])) {
			*w++ = *r++;
			continue;
		}
		int fin = i18n_final(s, (size_t)(w - s));
		bool consonant = fin != 0 && !(marks[i].rieul_as_vowel && fin == 8);
		const char *p = consonant ? marks[i].after_consonant : marks[i].after_vowel;
		size_t n = strlen(p);
		memmove(w, p, n);
		w += n;
		r += strlen(marks[i].mark);
	}
	*w = '\0';
}
