#!/usr/bin/env bats
# Crash safety: nslab is SIGKILLed at random points while it makes boxes of
# every kind; whatever it was doing, its boxes die and the next start removes
# every record. NSLAB_KILLS sets how many kills (default 40).
load helper

setup() {
	need_root
}

teardown() {
	assert_no_leftovers
}

# Every box kind, so kills land in the copy, the shift of owners, the
# launcher's maps and time offsets, and the box's own mounts.
KINDS=(
	"--ns pid,mnt"
	"--ns all"
	"--ns user,mnt,pid --uid-map 0:100000:65536"
	"--ns time,mnt,pid --boottime-offset 86400"
	"--ns pid --chroot"
	"--ns mnt,uts,pid --copy --hostname k"
	"--ns net,ipc,mnt,pid"
)

@test "SIGKILL at random points of box new: the next start removes everything" {
	kills=${NSLAB_KILLS:-40}
	pids=()
	for i in $(seq 1 "$kills"); do
		k=${KINDS[$((i % ${#KINDS[@]}))]}
		"$NSLAB" --lang en -c "box new k1 $k; box new k2 $k; box new k3 $k" >/dev/null 2>&1 &
		p=$!
		pids+=("$p")
		# 0..399 ms: box new takes 50..400 ms here, so kills spread over every step.
		sleep "0.$(printf '%03d' $((RANDOM % 400)))"
		kill -9 "$p" 2>/dev/null || true
		wait "$p" 2>/dev/null || true
	done
	echo "# $kills kills injected" >&3
	# The boxes die with their nslab (PR_SET_PDEATHSIG) or are found by
	# their records at the next start.
	run nslab -c 'echo next start'
	assert_success
	for p in "${pids[@]}"; do
		[ ! -e "$NSLAB_RUNDIR/$p" ] || fail "session $NSLAB_RUNDIR/$p of killed nslab $p is still there"
		run grep -c "$NSLAB_RUNDIR/$p/" /proc/self/mountinfo
		assert_output 0
	done
	# No box outlived its nslab: an nslab-init whose parent is not an nslab.
	for i in $(seq 1 40); do
		orphans=""
		for b in $(pgrep -x nslab-init); do
			pp=$(awk '/^PPid:/ {print $2}' "/proc/$b/status" 2>/dev/null) || continue
			[ "$(cat "/proc/$pp/comm" 2>/dev/null)" = nslab ] || orphans+=" $b"
		done
		[ -z "$orphans" ] && break
		sleep 0.05
	done
	[ -z "$orphans" ] || fail "box processes outlived their nslab:$orphans"
	# Nor did a cp -a keep writing after its nslab died.
	run pgrep -f "^cp -a .*$NSLAB_RUNDIR/"
	assert_failure
}
