#!/usr/bin/env bats
# The shell itself: modes, usage errors, exit statuses.
load helper

@test "--version prints the version" {
	run nslab --version
	assert_success
	assert_output --regexp '^nslab [0-9]+\.[0-9]+\.[0-9]+$'
}

@test "unknown command: exit 2 and a suggestion" {
	run nslab -c 'tre'
	assert_equal "$status" 2
	assert_output --partial "Did you mean 'tree'"
}

@test "Korean messages with --lang ko" {
	run "$NSLAB" --lang ko -c 'box ls'
	assert_success
	assert_output --partial '박스가 없습니다'
}
