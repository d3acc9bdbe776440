#!/usr/bin/env bats
# The pane's model as `nslab top --once` prints it, checked against /proc.
load helper

# A box kept alive by a background nslab: `run sleep` holds it open.
start_box() {
	B="pt$$r$RANDOM"
	"$NSLAB" --lang en -c "box new $B --ns ${1:-pid,uts} ${2:-}; run sleep 60" >/dev/null 2>&1 3>&- &
	BG=$!
	for _ in $(seq 100); do
		if [ -r "$NSLAB_RUNDIR/$BG/boxes/$B/pid" ] && [ -n "$(sleep_pid)" ]; then
			BOXPID=$(cut -d' ' -f1 "$NSLAB_RUNDIR/$BG/boxes/$B/pid")
			return 0
		fi
		sleep 0.1
	done
	fail "box $B did not start"
}

# The host PID of `sleep 60` that `run` started inside the box.
sleep_pid() {
	local p pp
	for p in $(pgrep -x sleep); do
		# A child of the shell (no pid namespace) or of its setns helper.
		pp=$(ps -o ppid= -p "$p" | tr -d ' ')
		[ "$pp" = "$BG" ] || [ "$(ps -o ppid= -p "$pp" | tr -d ' ')" = "$BG" ] || continue
		echo "$p"
		return
	done
}

nsid() { readlink "/proc/$1/ns/$2" | tr -dc 0-9; }

teardown() {
	if [ -n "${TMUXSOCK:-}" ]; then
		tmux -L "$TMUXSOCK" kill-server 2>/dev/null || true
		# The shell cleans up on SIGHUP; give it a moment.
		for _ in $(seq 50); do
			[ -n "${SHPID:-}" ] && kill -0 "$SHPID" 2>/dev/null || break
			sleep 0.1
		done
	fi
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
	assert_line "$(cat /proc/$BOXPID/comm)($BOXPID=1)  ◆${marks}"
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
	assert_line --partial "$(cat /proc/$BOXPID/comm)($BOXPID)"
}

@test "top --once BOX: the limits of the box's cgroup, as the kernel holds them" {
	need_root
	start_box pid,uts "--memory 64M --pids 20"
	if [ -e /sys/fs/cgroup/cgroup.controllers ]; then
		mem=$(cat "/sys/fs/cgroup/nslab/$BG-$B/memory.max")
		pids=$(cat "/sys/fs/cgroup/nslab/$BG-$B/pids.max")
	else
		mem=$(cat "/sys/fs/cgroup/memory/nslab/$BG-$B/memory.limit_in_bytes")
		pids=$(cat "/sys/fs/cgroup/pids/nslab/$BG-$B/pids.max")
	fi
	assert_equal "$mem" 67108864
	assert_equal "$pids" 20
	run nslab top --once "$B"
	assert_success
	assert_line "$B /nslab/$BG-$B"
	assert_line --regexp "^  memory [0-9.]+[BKM]/64\.0M  pids [0-9]+/20  cpu [0-9.]+s\$"
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

# ---------------- the live pane, driven through tmux ----------------

screen() { tmux -L "$TMUXSOCK" capture-pane -p -t pane "$@"; }

# Wait until the screen matches an extended regexp.
wait_screen() {
	# Up to 20 s: an ASan build on a busy machine starts a box slowly.
	for _ in $(seq 200); do
		screen | grep -qE "$1" && return 0
		sleep 0.1
	done
	screen >&2
	fail "the screen never showed /$1/"
}

# The interactive shell in a private tmux server, @1 x @2; the pane stays
# open after nslab ends, with its exit status, so a failure shows why.
start_tmux() {
	tmux -L "$TMUXSOCK" new-session -d -s pane -x "$1" -y "$2" \
		"env NSLAB_STATE_DIR='$NSLAB_STATE_DIR' ASAN_OPTIONS='$ASAN_OPTIONS' \
		UBSAN_OPTIONS='$UBSAN_OPTIONS' '$NSLAB' --lang en ${3:-}; echo nslab-exit=\$?; sleep 60"
}

# The nslab process under the pane's sh.
nslab_in_tmux() {
	local sh
	sh=$(tmux -L "$TMUXSOCK" list-panes -t pane -F '#{pane_pid}')
	for _ in $(seq 50); do
		pgrep -P "$sh" -x nslab && return 0
		sleep 0.1
	done
	screen >&2
	fail "nslab did not start under tmux"
}

cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }

# Every pane of the session, with its history.
all_panes() {
	local p
	for p in $(tmux -L "$TMUXSOCK" list-panes -s -t pane -F '#{pane_id}'); do
		tmux -L "$TMUXSOCK" capture-pane -p -S - -t "$p"
	done
}

@test "pane: its own process in a tmux split, live while run is in the foreground" {
	need_root
	command -v tmux >/dev/null || skip "tmux is not installed (apt-get install tmux)"
	TMUXSOCK="nslab-test-$$"
	start_tmux 160 45
	SHPID=$(nslab_in_tmux)
	for _ in $(seq 100); do
		all_panes | grep -q 'nslab pane: the host and' && break
		sleep 0.1
	done
	all_panes | grep -q 'nslab pane: the host and' || { all_panes >&2; fail "no pane"; }
	tmux -L "$TMUXSOCK" send-keys -t pane.0 'box new b1 --ns pid,uts,mnt --pids 20' Enter
	tmux -L "$TMUXSOCK" send-keys -t pane.0 "run sh -c 'sleep 1; sleep 8 & sleep 8 & sleep 8 & sleep 8'" Enter
	# The shell waits for run; the pane still follows the kernel.
	for _ in $(seq 100); do
		all_panes | grep -qE 'nslab pane: box b1' && all_panes | grep -qE 'pids +[5-9]/20' && break
		sleep 0.1
	done
	run all_panes
	assert_output --partial 'nslab pane: box b1'
	assert_output --regexp 'pids +[5-9]/20'
	tmux -L "$TMUXSOCK" send-keys -t pane.0 C-c
	tmux -L "$TMUXSOCK" send-keys -t pane.0 C-d
}

@test "--no-pane and a pipe never touch curses" {
	need_root
	command -v tmux >/dev/null || skip "tmux is not installed (apt-get install tmux)"
	TMUXSOCK="nslab-test-$$"
	start_tmux 100 30 --no-pane
	SHPID=$(nslab_in_tmux)
	wait_screen '^nslab\[host\]# ?$'
	run screen
	refute_output --partial "nslab pane"
	tmux -L "$TMUXSOCK" send-keys -t pane C-d
	run bash -c "echo 'box ls' | '$NSLAB' --lang en"
	assert_success
	refute_output --regexp $'\e\\['
}

@test "top: a box without a cgroup of its own gets no figures; another nslab's box is marked" {
	need_root
	nslab_start --no-pane
	nslab_send 'box new other1'
	run nslab -c 'box new mine1; top --once'
	assert_success
	# mine1 shares nslab's cgroup: none of its figures (they would be the
	# whole machine's, or "?/?" where the files are missing).
	refute_output --partial 'pids ?/?'
	refute_line --regexp '^  memory .* pids .*'
	assert_line --partial 'no limits of its own'
	assert_line --regexp '^box other1 \(another nslab.s, PID [0-9]+\)'
	refute_line --regexp '^box mine1 \(another'
	nslab_stop
}
