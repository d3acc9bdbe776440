#!/usr/bin/env bats
# Issue 16, done for real: an ordinary user on the same machine (made and
# removed by each test) and a program in a confined box try to use nslab
# (root) against the host. One test per numbered item of the issue; each
# asserts that nothing outside nslab's own tree changed.

load helper

setup() {
	need_root
	ATK=nsatk$$
	# The user's home must be reachable by the user: not under bats' 0700 tmp.
	ATK_HOME=$(mktemp -d /tmp/nsatk-home.XXXXXX)
	chmod 0755 "$ATK_HOME"
	useradd -M -d "$ATK_HOME" -s /bin/sh "$ATK"
	chown "$ATK:" "$ATK_HOME"
	ATK_UID=$(id -u "$ATK")
	ATK_GID=$(id -g "$ATK")
	# Root's own things the attacks aim at: a 0700 dir and a root process.
	VICTIM="$BATS_TEST_TMPDIR/rootonly"
	mkdir -m 0700 "$VICTIM"
	echo keep >"$VICTIM/file"
}

teardown() {
	nslab_stop 2>/dev/null || true
	[ -n "${SLEEP_PID:-}" ] && kill "$SLEEP_PID" 2>/dev/null
	[ -n "${ATK:-}" ] && userdel "$ATK" 2>/dev/null
	[ -n "${ATK_UID:-}" ] && rm -rf "/tmp/nslab-$ATK_UID"
	rm -rf "${SCRATCH_RUN:-/nonexistent}"
	[ -n "${ATK_HOME:-}" ] && rm -rf "$ATK_HOME"
	true
}

as_atk() {
	setpriv --reuid="$ATK_UID" --regid="$ATK_GID" --clear-groups -- "$@"
}

start_time() { cut -d' ' -f22 "/proc/$1/stat"; }

@test "attack 1: a state dir linked into /run and planted records are not followed" {
	# ~/.local/state -> a root-only dir: nslab under sudo makes nothing there.
	as_atk mkdir -p "$ATK_HOME/.local"
	as_atk ln -s "$VICTIM" "$ATK_HOME/.local/state"
	run env -u NSLAB_STATE_DIR SUDO_USER="$ATK" "$NSLAB" --lang en -c 'echo ok'
	assert_success
	run ls -A "$VICTIM"
	assert_output file
	# A run dir the user made, with a record asking root to delete a
	# root-only dir and kill a root process: refused, nothing touched.
	sleep 300 &
	SLEEP_PID=$!
	local base
	base=$(mktemp -d /tmp/nsatk-run.XXXXXX)
	chown "$ATK:" "$base"
	SCRATCH_RUN="$base"
	as_atk mkdir -p "$base/nslab/99999"
	as_atk sh -c "echo '99999 1' >$base/nslab/99999/owner; printf 'proc %s %s\ndir %s\n' $SLEEP_PID $(start_time $SLEEP_PID) $VICTIM >$base/nslab/99999/resources"
	run env NSLAB_RUNDIR="$base/nslab" "$NSLAB" --lang en -c 'echo ran'
	assert_failure 1
	refute_output --partial ran
	[ "$(echo "$output" | grep -c .)" -le 3 ]
	kill -0 "$SLEEP_PID"
	[ -f "$VICTIM/file" ]
	[ -f "$base/nslab/99999/resources" ]
}

@test "attack 1: tree removal walks with dirfds: a link or '..' in a recorded path leaves the run dir never" {
	# Even a record root wrote (a box's name turned into a path) cannot
	# lead the removal out: a link in the middle and a trailing /.. .
	nslab_start # keeps the run dir (nslab's own) there
	nslab_send 'echo up'
	local s="$NSLAB_RUNDIR/99998"
	mkdir -p "$s/boxes/x"
	echo '99998 1' >"$s/owner"
	ln -s "$VICTIM" "$s/boxes/link"
	printf 'dir %s\ndir %s\n' "$s/boxes/link/file" "$s/boxes/x/../../../.." >"$s/resources"
	run "$NSLAB" --lang en -c 'echo ok'
	[ -f "$VICTIM/file" ]
	[ ! -e "$s" ]
	[ -d "$NSLAB_RUNDIR/$NS_PID" ]
	nslab_stop
	assert_no_leftovers
}

@test "attack 2: history and export through a planted link write nothing as root" {
	local st="$ATK_HOME/state"
	as_atk mkdir -p "$st"
	as_atk ln -s "$VICTIM/history" "$st/history"
	as_atk ln -s "$VICTIM/file" "$ATK_HOME/export.json"
	printf 'echo hi\nexit\n' | NSLAB_STATE_DIR="$st" SUDO_USER="$ATK" \
		timeout 30 script -qec "$NSLAB --lang en --no-pane" /dev/null >/dev/null 2>&1 || true
	[ ! -e "$VICTIM/history" ]
	run env NSLAB_STATE_DIR="$st" SUDO_USER="$ATK" "$NSLAB" --lang en -c "progress --export $ATK_HOME/export.json"
	assert_failure 1
	assert_output --partial ELOOP
	run cat "$VICTIM/file"
	assert_output keep
	# Not even through a link in the middle: the learner's rights only.
	as_atk ln -s "$VICTIM" "$ATK_HOME/dirlink"
	run env NSLAB_STATE_DIR="$st" SUDO_USER="$ATK" "$NSLAB" --lang en -c "progress --export $ATK_HOME/dirlink/new.json"
	assert_failure 1
	assert_output --partial EACCES
	[ ! -e "$VICTIM/new.json" ]
}

@test "attack 3: a setuid file made in a confined box cannot be reached or run by a host user" {
	nslab_start
	nslab_send 'box new b --ns all --caps none --seccomp default --nnp --overlay'
	nslab_send 'run cp /bin/nslab-suid /tmp/s'
	nslab_send 'run chmod 4755 /tmp/s'
	local f
	f=$(find "$NSLAB_RUNDIR/$NS_PID/boxes/b" -name s -path '*/tmp/*' | head -1)
	[ -n "$f" ] || { cat "$NS_OUT"; false; }
	[ -u "$f" ] # root sees the setuid bit: the attack is set up for real
	run as_atk sh -c '"$0" --as 0; echo "euid $(id -u)"' "$f"
	refute_output --partial 'now uid 0'
	assert_output --partial 'Permission denied'
	assert_output --partial "euid $ATK_UID"
	run as_atk sh -c 'ls "$0"' "$NSLAB_RUNDIR/$NS_PID/boxes/b/upper"
	assert_failure
	run stat -c %a "$NSLAB_RUNDIR/$NS_PID/boxes/b"
	assert_output --regexp '^7[01]0$'
	nslab_stop
	assert_no_leftovers
}

@test "attack 4: an fd nslab inherited (exec 9</dir) reaches no box program" {
	mkdir "$BATS_TEST_TMPDIR/hostdir"
	touch "$BATS_TEST_TMPDIR/hostdir/host-only-marker"
	exec 9<"$BATS_TEST_TMPDIR/hostdir"
	run "$NSLAB" --lang en -c 'box new b --ns all; run ls /proc/self/fd/9/; run ls /proc/self/fd'
	exec 9<&-
	refute_output --partial host-only-marker
	# ls of /proc/self/fd in the box: 0, 1, 2 and ls's own dir fd (3) only
	refute_output --regexp '(^|[[:space:]])(9|1[0-9]|2[0-9][0-9])([[:space:]]|$)'
	assert_no_leftovers
}

@test "attack 6: a planted /tmp/nslab-UID (records or a link to ~/projects) is refused before anything is done" {
	# The victim is the test user, running nslab without root and without
	# XDG_RUNTIME_DIR; the attacker (root here stands for any other user)
	# plants the rootless fallback first.
	local run="/tmp/nslab-$ATK_UID"
	rm -rf "$run"
	as_atk sleep 300 &
	SLEEP_PID=$!
	sleep 0.2
	mkdir -p "$run/99997"
	echo '99997 1' >"$run/99997/owner"
	printf 'proc %s %s\n' "$SLEEP_PID" "$(start_time "$SLEEP_PID")" >"$run/99997/resources"
	run as_atk env -u XDG_RUNTIME_DIR HOME="$ATK_HOME" "$NSLAB" --lang en -c 'echo ran'
	assert_failure 1
	refute_output --partial ran
	kill -0 "$SLEEP_PID"
	rm -rf "$run"
	# A link to the victim's projects: nothing in them removed.
	as_atk mkdir -p "$ATK_HOME/projects/p"
	as_atk touch "$ATK_HOME/projects/p/work.c" "$ATK_HOME/projects/1234"
	ln -s "$ATK_HOME/projects" "$run"
	run as_atk env -u XDG_RUNTIME_DIR HOME="$ATK_HOME" "$NSLAB" --lang en -c 'echo ran'
	assert_failure 1
	[ -f "$ATK_HOME/projects/p/work.c" ]
	[ -f "$ATK_HOME/projects/1234" ]
	rm -f "$run"
}

@test "attack 7: NSLAB_RUNDIR on an existing directory nslab did not make: one line, exit 1, nothing removed" {
	SCRATCH_RUN="$BATS_TEST_TMPDIR/checkout"
	mkdir -p "$SCRATCH_RUN/nslab/src" "$SCRATCH_RUN/nslab/123"
	echo code >"$SCRATCH_RUN/nslab/src/main.c"
	echo '123 1' >"$SCRATCH_RUN/nslab/123/owner"
	local before
	before=$(find "$SCRATCH_RUN" | sort | md5sum)
	run env NSLAB_RUNDIR="$SCRATCH_RUN/nslab" "$NSLAB" --lang en -c 'echo ran'
	assert_failure 1
	refute_output --partial ran
	assert_output --partial "$SCRATCH_RUN/nslab"
	[ "$(find "$SCRATCH_RUN" | sort | md5sum)" = "$before" ]
	# The suite's own kind: a path that does not exist yet, under a parent
	# of root's, is made by nslab (marked) and accepted again next time.
	run env NSLAB_RUNDIR="$BATS_TEST_TMPDIR/fresh/nslab" "$NSLAB" --lang en -c 'echo ran'
	assert_success
	assert_output ran
}
