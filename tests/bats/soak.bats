#!/usr/bin/env bats
# A short soak inside make check: every kind of box, a few cycles, one nslab
# (the ASan build: a leak at exit fails it). `make soak` runs 1000 cycles.
load helper

@test "soak: every kind of box, ${SOAK_CHECK:-5} cycles through one nslab, nothing left" {
	need_root
	# ASan keeps freed memory in quarantine, so RSS is not the measure here.
	SOAK_RSS_SLACK_KB=65536 run bash "$REPO/tests/soak.sh" "${SOAK_CHECK:-5}"
	echo "$output"
	assert_success
	assert_output --partial 'soak: PASS: nothing left behind'
}
