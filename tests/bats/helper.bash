# Shared by every bats file: load with `load helper`.
# NSLAB is the binary under test (make check sets it to the ASan+UBSan build).
bats_load_library bats-support 2>/dev/null || load /usr/lib/bats/bats-support/load
bats_load_library bats-assert 2>/dev/null || load /usr/lib/bats/bats-assert/load

REPO="$(cd "$BATS_TEST_DIRNAME/../.." && pwd)"
NSLAB="${NSLAB:-$REPO/nslab}"
export NSLAB_STATE_DIR="${BATS_TEST_TMPDIR:-/tmp}/state"
# This run's sessions live apart from any other nslab on the machine (a
# learner's shell, another run of the suite): setup_suite.bash sets it and
# removes it at the end.
export NSLAB_RUNDIR="${NSLAB_RUNDIR:-/run/nslab-tests/$(basename "${BATS_RUN_TMPDIR:-run-$$}")}"
# ASan: leak checks on, and fail loudly; forked children exit with _exit.
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0:exitcode=99}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"

nslab() { "$NSLAB" --lang en "$@"; }

need_root() {
	[ "$(id -u)" = 0 ] || skip "needs root (run the suite as root)"
}

# Sessions of nslab runs started by this test must all be gone when it ends.
assert_no_leftovers() {
	run ls -A "$NSLAB_RUNDIR"
	if [ "$status" -eq 0 ]; then
		# A live nslab (one still stopping) may be there; a dead one's not.
		for d in "$NSLAB_RUNDIR"/*/; do
			[ -d "$d" ] || continue
			pid=$(basename "$d")
			if ! kill -0 "$pid" 2>/dev/null; then
				fail "leftover session $d of dead nslab $pid"
			fi
		done
	fi
	run grep -c "$NSLAB_RUNDIR/" /proc/self/mountinfo
	assert_output 0
}

# A long-running nslab fed through a FIFO, so a test can look at the kernel's
# view (/proc/PID/...) while the boxes exist. nslab_send waits for the output.
nslab_start() {
	NS_IN="$BATS_TEST_TMPDIR/nslab.in"
	NS_OUT="$BATS_TEST_TMPDIR/nslab.out"
	NS_SEQ=0
	rm -f "$NS_IN"
	mkfifo "$NS_IN"
	"$NSLAB" --lang en "$@" <"$NS_IN" >"$NS_OUT" 2>&1 3>&- &
	NS_PID=$!
	exec {NS_FD}>"$NS_IN"
}

# nslab_send 'CMD' -> runs it, waits (10 s at most) until it finished.
nslab_send() {
	NS_SEQ=$((NS_SEQ + 1))
	printf '%s\necho @@done %s\n' "$1" "$NS_SEQ" >&"$NS_FD"
	local i
	for i in $(seq 1 200); do
		grep -q "^@@done $NS_SEQ\$" "$NS_OUT" 2>/dev/null && return 0
		kill -0 "$NS_PID" 2>/dev/null || break
		sleep 0.05
	done
	echo "nslab did not finish '$1'; output so far:" >&2
	cat "$NS_OUT" >&2
	return 1
}

# Host PID of box NAME in the running nslab.
box_pid() {
	cut -d' ' -f1 "$NSLAB_RUNDIR/$NS_PID/boxes/$1/pid"
}

nslab_stop() {
	[ -n "${NS_FD:-}" ] || return 0
	exec {NS_FD}>&-
	NS_FD=
	local i
	for i in $(seq 1 100); do
		kill -0 "$NS_PID" 2>/dev/null || break
		sleep 0.05
	done
	wait "$NS_PID" 2>/dev/null || true
}
