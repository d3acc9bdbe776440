#!/usr/bin/env bats
# Every learner-visible message exists in English and Korean.
load helper

@test "every _() and N_() message has a Korean translation with matching formats" {
	run bash "$REPO/tests/i18n-check.sh"
	assert_success
	assert_output --partial 'every message has Korean'
}

@test "--lang ko speaks Korean, --lang en English, LANG=ko_KR chooses Korean" {
	run "$NSLAB" --lang ko -c 'bogus'
	assert_output --partial '알 수 없는 명령'
	run "$NSLAB" --lang en -c 'bogus'
	assert_output --partial 'unknown command'
	LANG=ko_KR.UTF-8 LANGUAGE= LC_ALL= run "$NSLAB" -c 'bogus'
	assert_output --partial '알 수 없는 명령'
	run "$NSLAB" --lang fr -c 'true'
	assert_equal "$status" 2
}
