#!/usr/bin/env bats
# Bad input: one clear line, the right exit status, nothing left behind.
load helper

teardown() {
	assert_no_leftovers
}

@test "bad box names are usage errors" {
	for name in ../etc a/b -rf .x "$(printf 'x%.0s' {1..40})" "$(printf 'caf\xc3\xa9')"; do
		run nslab -c "box new '$name'"
		assert_equal "$status" 2
		assert_output --partial "is not a box name"
	done
}

@test "unknown namespace and bad maps are usage errors" {
	run nslab -c 'box new b --ns pid,bogus'
	assert_equal "$status" 2
	assert_output --partial "unknown namespace 'bogus'"
	run nslab -c 'box new b --ns user --uid-map 0:x:1'
	assert_equal "$status" 2
	assert_output --partial 'INSIDE:OUTSIDE:COUNT'
	run nslab -c 'box new b --ns user --uid-map 0:4294967295:2'
	assert_equal "$status" 2
	run nslab -c 'box new b --ns time --boottime-offset 99999999999999999999'
	assert_equal "$status" 2
	run nslab -c 'box new b --frobnicate'
	assert_equal "$status" 2
	assert_output --partial "unknown option '--frobnicate'"
}

@test "contradictions are explained" {
	run nslab -c 'box new b --ns pid --pivot'
	assert_equal "$status" 2
	assert_output --partial 'pivot_root needs a mount namespace'
	run nslab -c 'box new b --ns mnt --hostname x'
	assert_equal "$status" 2
	assert_output --partial 'would rename the host'
}

@test "a missing rootfs says how to build one, and leaves nothing" {
	need_root
	run nslab -c 'box new b --rootfs /nonexistent/rootfs'
	assert_equal "$status" 1
	assert_output --partial 'make rootfs'
}

@test "a name in use" {
	need_root
	run nslab -c 'box new b --ns pid,mnt; box new b --ns pid,mnt'
	assert_equal "$status" 1
	assert_output --partial "a box named 'b' exists already"
}

@test "unterminated quote, unknown PID, unknown proc field" {
	run nslab -c "run echo 'oops"
	assert_equal "$status" 2
	assert_output --partial 'quote is not closed'
	run nslab -c 'ns 999999999'
	assert_failure
	run nslab -c 'proc 1 nosuchfield'
	assert_equal "$status" 2
	run nslab -c 'proc notapid'
	assert_failure
	assert_output --partial 'neither a PID nor a box name'
}

@test "run and sh without a box, use of a box that is not there: bad usage (2)" {
	run nslab -c 'run true'
	assert_equal "$status" 2
	assert_output --partial 'no current box'
	run nslab -c 'use nothere'
	assert_equal "$status" 2
	assert_output --partial "no box named 'nothere'"
}

@test "a script stops at the first failing line and names it" {
	f="$BATS_TEST_TMPDIR/s.nsl"
	printf 'echo one\nbogus\necho three\n' > "$f"
	run "$NSLAB" --lang en "$f"
	assert_equal "$status" 2
	assert_output --partial 'one'
	assert_output --partial 's.nsl:2: stopped here'
	refute_output --partial 'three'
}

@test "commands on stdin" {
	run bash -c "printf 'echo hello\necho world\n' | '$NSLAB' --lang en"
	assert_success
	assert_output $'hello\nworld'
}

@test "huge and binary input does not crash the shell" {
	big=$(head -c 100000 /dev/zero | tr '\0' a)
	run nslab -c "$big"
	assert_equal "$status" 2
	run nslab -c "box new $(printf '\xff\xfe')"
	assert_equal "$status" 2
	run nslab -c "proc $(printf '1%.0s' {1..100})"
	assert_failure
}
