#!/usr/bin/env bats
# run and sh on a terminal, driven in tmux on a private socket (issue 15).
load helper

setup() {
	need_root
	command -v tmux >/dev/null || fail "tmux is a declared dependency (setup.sh)"
	T="nslabtest-$$"
	tmux -L "$T" -f /dev/null new-session -d -x 120 -y 30 \
		"env NSLAB_RUNDIR='$NSLAB_RUNDIR' NSLAB_STATE_DIR='$NSLAB_STATE_DIR' '$NSLAB' --lang en --no-pane"
	wait_for 'nslab\[host\]#'
	keys 'box new b --ns all' Enter
	wait_for 'nslab\[b\]#'
}

teardown() {
	tmux -L "$T" kill-server 2>/dev/null || true
	sleep 0.5
}

keys() { tmux -L "$T" send-keys "$@"; }
screen() { tmux -L "$T" capture-pane -p -S -; }
# wait_for REGEX [N]: until the screen has at least N lines matching (10 s).
wait_for() {
	local i
	for i in $(seq 1 100); do
		[ "$(screen | grep -cE "$1")" -ge "${2:-1}" ] && return 0
		sleep 0.1
	done
	screen >&2
	return 1
}

@test "terminal: Ctrl-C during run sleep 30 ends sleep, not nslab; the box lives" {
	keys 'run sleep 30' Enter
	sleep 1
	keys C-c
	wait_for 'killed by signal SIGINT'
	wait_for 'nslab\[b\]#' 2
	keys 'run echo alive' Enter
	wait_for '^alive'
}

@test "terminal: what run leaves in the background outlives the pty's hang-up" {
	# Lab 06 starts its listener this way; the pty's hang-up must not kill it.
	keys "run sh -c 'sleep 300 &'" Enter
	wait_for 'nslab\[b\]#' 2
	keys 'run ps' Enter
	wait_for 'sleep 300'
	# The test can fail: the same program in the foreground ends with run.
	keys 'run sleep 301' Enter
	sleep 0.5
	keys C-c
	wait_for 'nslab\[b\]#' 4
	keys 'run ps' Enter
	wait_for 'sleep 300' 2
	run bash -c "tmux -L '$T' capture-pane -p -S - | grep -c 'sleep 301\$'"
	assert_output 1
}

@test "terminal: run cat echoes a typed line and ends on Ctrl-D" {
	keys 'run cat' Enter
	sleep 0.5
	keys 'hello pty' Enter
	wait_for '^hello pty' 2
	keys C-d
	wait_for 'nslab\[b\]#' 2
}

@test "terminal: the first of two lines is on screen before the second" {
	keys "run sh -c 'echo first; sleep 3; echo second'" Enter
	wait_for '^first'
	run bash -c "tmux -L '$T' capture-pane -p -S - | grep -c '^second'"
	assert_output 0
	wait_for '^second'
}

@test "terminal: a resize reaches the program (stty size)" {
	# The program looks until the size changes (10 s), so a slow tmux on a
	# busy machine cannot resize after it has looked.
	keys "run sh -c 'for i in \$(seq 1 20); do s=\$(stty size); [ \"\$s\" = \"30 120\" ] || break; sleep 0.5; done; echo size \$s'" Enter
	sleep 0.5
	tmux -L "$T" set -g window-size manual
	tmux -L "$T" resize-window -x 100 -y 25
	wait_for '^size 25 100'
}

@test "terminal: line 1 of run seq 1 300 stays in the scrollback" {
	keys 'run seq 1 300' Enter
	wait_for '^300'
	wait_for '^1$'
}

@test "terminal: TIOCSTI from a box's sh types into the box's pty, not nslab's" {
	command -v gcc >/dev/null || skip "needs gcc"
	proof="$BATS_TEST_TMPDIR/proof"
	cat >"$BATS_TEST_TMPDIR/inj.c" <<C
#include <sys/ioctl.h>
#include <string.h>
int main(void){const char *s="exit\nnet exec touch $proof\n";for(size_t i=0;i<strlen(s);i++)ioctl(0,TIOCSTI,s+i);return 0;}
C
	gcc -static -o "$BATS_TEST_TMPDIR/inj" "$BATS_TEST_TMPDIR/inj.c"
	pid=$(cut -d' ' -f1 "$NSLAB_RUNDIR"/*/boxes/b/pid | head -1)
	cp "$BATS_TEST_TMPDIR/inj" "/proc/$pid/root/inj"
	keys 'sh' Enter
	sleep 1
	keys '/inj' Enter
	sleep 2
	keys 'exit' Enter
	sleep 1
	[ ! -e "$proof" ] || fail "TIOCSTI from the box ran a command on the host"
}

@test "non-tty: SIGINT to nslab -c ends run's program, nslab cleans up" {
	"$NSLAB" --lang en -c 'box new b2 --ns all; run sleep 30; run echo next' >"$BATS_TEST_TMPDIR/out" 2>&1 &
	p=$!
	sleep 2
	kill -INT "$p"
	wait "$p" || true
	run cat "$BATS_TEST_TMPDIR/out"
	assert_output --partial 'SIGINT'
	assert_output --partial 'next'
	[ ! -d "$NSLAB_RUNDIR/$p" ]
}

@test "terminal: vi in a box opens full screen and quits" {
	keys 'run vi /tmp/nslab-vi-test' Enter
	wait_for '^~' 5
	keys Escape
	sleep 1
	keys ':q!' Enter
	wait_for 'nslab\[b\]#' 2
	keys 'run echo back' Enter
	wait_for '^back'
}
