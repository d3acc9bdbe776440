#!/usr/bin/env bats
# A short soak inside make check: every kind of box (19 of them), a warm-up
# cycle and two more, one nslab (the ASan build: a leak at exit fails it), so
# every per-kind check runs once with boxes made before it. `make soak` runs
# 1000 cycles of each.
load helper

@test "soak: every kind of box, ${SOAK_CHECK:-2} cycles through one nslab, nothing left" {
	need_root
	# ASan keeps freed memory in quarantine, so RSS is not the measure here.
	SOAK_RSS_SLACK_KB=65536 run bash "$REPO/tests/soak.sh" "${SOAK_CHECK:-2}"
	echo "$output"
	assert_success
	assert_output --partial 'soak: PASS: nothing left behind'
}
