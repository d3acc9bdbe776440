/* Unit tests for the Korean particle helper (shell/i18n.c): the particle is
 * chosen by how the word before it is read aloud. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../shell/i18n.h"

static void check(const char *in, const char *want)
{
	char buf[256];
	snprintf(buf, sizeof(buf), "%s", in);
	i18n_particles(buf);
	if (strcmp(buf, want) != 0)
		fail_msg("'%s' became '%s', want '%s'", in, buf, want);
}

static void hangul_final_consonant(void **state)
{
	(void)state;
	check("박스(을) 지웠습니다", "박스를 지웠습니다");
	check("네임스페이스(이) 없습니다", "네임스페이스가 없습니다");
	check("실습(은) 끝났습니다", "실습은 끝났습니다");
	check("파일(으로) 씁니다", "파일로 씁니다");     /* ㄹ takes 로 */
	check("목록(으로) 봅니다", "목록으로 봅니다");
	check("호스트(과) 박스", "호스트와 박스");
	check("계층(과) 레이어", "계층과 레이어");
}

static void latin_words_as_read(void **state)
{
	(void)state;
	check("cgroup v1(을) 씁니다", "cgroup v1을 씁니다");    /* 일 */
	check("cgroup v2(을) 씁니다", "cgroup v2를 씁니다");    /* 이 */
	check("timeout(이) 지났습니다", "timeout이 지났습니다"); /* 아웃 */
	check("SIGTERM(으로) 멈춥니다", "SIGTERM으로 멈춥니다"); /* 텀 */
	check("SIGKILL(으로) 멈춥니다", "SIGKILL로 멈춥니다");   /* 킬: ㄹ */
	check("uname(이) 말합니다", "uname이 말합니다");         /* 네임 */
	check("CAP_SYS_ADMIN(은) 없습니다", "CAP_SYS_ADMIN은 없습니다");
	check("CAP_NET_RAW(을) 뺍니다", "CAP_NET_RAW를 뺍니다");
	check("PID(이) 바뀝니다", "PID가 바뀝니다");             /* 피아이디 */
	check("root(이) 아닙니다", "root가 아닙니다");           /* 루트 */
	check("박스 m10(을) 지웠습니다", "박스 m10을 지웠습니다"); /* 십 (영) */
	check("박스 web(을) 지웠습니다", "박스 web을 지웠습니다");
	check("box(으로) 들어갑니다", "box로 들어갑니다");
	check("file(으로) 씁니다", "file로 씁니다");             /* 파일 */
	check("docker(과) 비교", "docker와 비교");
	check("'help'(으로) 봅니다", "'help'로 봅니다");         /* 헬프 */
	check("'box new NAME'(으로) 만드세요", "'box new NAME'으로 만드세요"); /* 네임 */
	check("p(은) 멈춥니다", "p는 멈춥니다");                 /* 피 */
	check("r(은) 다시", "r은 다시");                         /* 알 */
	check("--check(은) 읽기만", "--check는 읽기만");         /* 체크 */
}

static void quotes_and_plain_text(void **state)
{
	(void)state;
	check("'w0'(을) 찾을 수 없습니다", "'w0'을 찾을 수 없습니다");
	check("'web1'(이)라는 박스", "'web1'이라는 박스");
	check("'web'(이)라는 박스", "'web'이라는 박스");
	check("'a'(이)라는 박스", "'a'라는 박스");
	check("\"sh\"(이) 없습니다", "\"sh\"가 없습니다");
	/* No marker: nothing changes, including brackets that are not markers. */
	check("PID 1 (init) 입니다 (을)", "PID 1 (init) 입니다 (을)");
	check("0(지연 없음)부터", "0(지연 없음)부터");
	check("", "");
}

static void final_consonant_values(void **state)
{
	(void)state;
	assert_int_equal(i18n_final("가", strlen("가")), 0);
	assert_int_equal(i18n_final("길", strlen("길")), 8);
	assert_int_equal(i18n_final("7", 1), 8);  /* 칠 */
	assert_int_equal(i18n_final("3", 1), 16); /* 삼 */
	assert_int_equal(i18n_final("9", 1), 0);  /* 구 */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(hangul_final_consonant),
		cmocka_unit_test(latin_words_as_read),
		cmocka_unit_test(quotes_and_plain_text),
		cmocka_unit_test(final_consonant_values),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
