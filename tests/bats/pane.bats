#!/usr/bin/env bats
# The pane's model as `nslab top --once` prints it, checked against /proc.
load helper

# A box kept alive by a background nslab: `run sleep` holds it open.
start_box() {
	B="pt$$r$RANDOM"
	"$NSLAB" --lang en -c "box new $B --ns ${1:-pid,uts}; run sleep 60" >/dev/null 2>&1 3>&- &
	BG=$!
	for _ in $(seq 100); do
		if [ -r "/run/nslab/$BG/boxes/$B/pid" ] && [ -n "$(sleep_pid)" ]; then
			BOXPID=$(cut -d' ' -f1 "/run/nslab/$BG/boxes/$B/pid")
			return 0
		fi
		sleep 0.1
	done
	fail "box $B did not start"
}

# The host PID of `sleep 60` that `run` started inside the box.
sleep_pid() {
	local p
	for p in $(pgrep -x sleep); do
		grep -qs "^NSpid:.*[[:space:]]" "/proc/$p/status" || continue
		[ "$(ps -o ppid= -p "$(ps -o ppid= -p "$p" | tr -d ' ')" | tr -d ' ')" = "$BG" ] || continue
		echo "$p"
		return
	done
}

nsid() { readlink "/proc/$1/ns/$2" | tr -dc 0-9; }

teardown() {
	if [ -n "${BG:-}" ]; then
		kill "$BG" 2>/dev/null || true
		wait "$BG" 2>/dev/null || true
	fi
	assert_no_leftovers
}

@test "top --once BOX: namespace ids, marked different exactly where /proc says" {
	need_root
	start_box pid,uts
	run nslab top --once "$B"
	assert_success
	differ=0
	for ns in mnt uts ipc pid net user cgroup time; do
		h=$(nsid $$ $ns)
		b=$(nsid "$BOXPID" $ns)
		if [ "$h" != "$b" ]; then
			differ=$((differ + 1))
			assert_line --regexp "^$ns +$h +$b \\*\$"
		else
			assert_line --regexp "^$ns +$h +$b\$"
		fi
	done
	# pid and uts were asked for; the kernel agrees.
	[ "$(nsid $$ pid)" != "$(nsid "$BOXPID" pid)" ]
	[ "$(nsid $$ uts)" != "$(nsid "$BOXPID" uts)" ]
	[ "$(echo "$output" | grep -cE '^[a-z]+ +[0-9]+ +[0-9]+ \*$')" -eq "$differ" ]
}

@test "top --once BOX: processes with both PIDs (host=inside) and namespace marks" {
	need_root
	start_box pid,uts
	run nslab top --once "$B"
	assert_success
	sp=$(sleep_pid)
	inner=$(awk '/^NSpid:/{print $NF}' "/proc/$sp/status")
	[ "$inner" != "$sp" ]
	assert_line --regexp "^box $B: [0-9]+ processes\$"
	# The box's PID 1 is 1 inside; marks name what differs from the host.
	marks=""
	for ns in mnt uts ipc pid net user cgroup time; do
		[ "$(nsid $$ $ns)" = "$(nsid "$BOXPID" $ns)" ] || marks="$marks $ns"
	done
	assert_line "nslab-init($BOXPID=1)  ◆${marks}"
	# run's program: its host PID and the PID it has inside the box's pid namespace.
	assert_line --regexp "^(│  |   )*(└─ |├─ )sleep\\($sp=$inner\\)"
}

@test "top --once: every live box, also those of another nslab session" {
	need_root
	start_box uts
	run nslab top --once
	assert_success
	assert_line --regexp "^ +host +.*$B"
	assert_line --regexp "^box $B: [0-9]+ process"
	assert_line --partial "nslab-init($BOXPID)"
}

@test "top --once PID: any process, and the errors" {
	run nslab top --once $$
	assert_success
	assert_line --regexp "^PID $$: [0-9]+ process"
	run nslab top --once no-such-box
	assert_equal "$status" 2
	assert_output --partial "neither a PID nor a box name"
	run nslab top --once 4000000
	assert_equal "$status" 1
	run nslab top --bogus
	assert_equal "$status" 2
}

@test "top without a terminal says to use --once" {
	run nslab top </dev/null
	assert_equal "$status" 2
	assert_output --partial "top --once"
}

@test "top --once in Korean lines up" {
	need_root
	start_box uts
	run "$NSLAB" --lang ko top --once "$B"
	assert_success
	assert_output --partial "네임스페이스"
	assert_output --partial "프로세스"
}
