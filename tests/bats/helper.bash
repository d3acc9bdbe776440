# Shared by every bats file: load with `load helper`.
# NSLAB is the binary under test (make check sets it to the ASan+UBSan build).
bats_load_library bats-support 2>/dev/null || load /usr/lib/bats/bats-support/load
bats_load_library bats-assert 2>/dev/null || load /usr/lib/bats/bats-assert/load

REPO="$(cd "$BATS_TEST_DIRNAME/../.." && pwd)"
NSLAB="${NSLAB:-$REPO/nslab}"
export NSLAB_STATE_DIR="${BATS_TEST_TMPDIR:-/tmp}/state"
# ASan: leak checks on, and fail loudly; forked children exit with _exit.
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0:exitcode=99}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"

nslab() { "$NSLAB" --lang en "$@"; }

need_root() {
	[ "$(id -u)" = 0 ] || skip "needs root (run the suite as root)"
}

# Sessions of nslab runs started by this test must all be gone when it ends.
assert_no_leftovers() {
	run ls -A /run/nslab
	if [ "$status" -eq 0 ]; then
		# Other live nslab runs (a learner's shell) may exist; ours must not.
		for d in /run/nslab/*/; do
			[ -d "$d" ] || continue
			pid=$(basename "$d")
			if ! kill -0 "$pid" 2>/dev/null; then
				fail "leftover session $d of dead nslab $pid"
			fi
		done
	fi
	run grep -c '/run/nslab/' /proc/self/mountinfo
	assert_output 0
}
