#!/usr/bin/env bats
# The interactive prompt, driven through tmux like a person at a terminal:
# editing, Ctrl-C, completion, history across runs, Ctrl-D.
load helper

setup() {
	command -v tmux >/dev/null || skip "tmux is not installed"
	SOCK="$BATS_TEST_TMPDIR/tmux.sock"
	T="tmux -S $SOCK"
}

teardown() {
	$T kill-server 2>/dev/null || true
}

start_shell() {
	$T new-session -d -x 100 -y 30 "env NSLAB_STATE_DIR=$NSLAB_STATE_DIR ASAN_OPTIONS=$ASAN_OPTIONS $NSLAB --lang en --no-pane $*"
	wait_screen 'nslab\[host\]'
}

screen() {
	$T capture-pane -p
}

# wait_screen REGEX: until the screen shows it (5 s at most).
wait_screen() {
	local i
	for i in $(seq 1 100); do
		screen | grep -qE "$1" && return 0
		sleep 0.05
	done
	echo "screen never showed /$1/:" >&2
	screen >&2
	return 1
}

@test "a command runs at the prompt, and the prompt shows the current box" {
	need_root
	start_shell
	$T send-keys 'box new web --ns pid,mnt' Enter
	wait_screen 'nslab\[web\]#'
	$T send-keys 'run echo hi-from-inside' Enter
	wait_screen '^hi-from-inside'
}

@test "editing keys work: Ctrl-A, Left, insert" {
	start_shell
	$T send-keys 'cho edited' C-a 'e' Enter
	wait_screen '^edited$'
}

@test "Ctrl-C drops the line, not the shell" {
	start_shell
	$T send-keys 'this will be dropped'
	$T send-keys C-c
	$T send-keys 'echo still-here' Enter
	wait_screen '^still-here$'
	run screen
	refute_output --partial 'unknown command'
}

@test "tab completes commands and subcommands" {
	start_shell
	$T send-keys 'expl' Tab 'of' Tab
	wait_screen 'explain off$'
	$T send-keys C-u 'bo' Tab 'l' Tab
	wait_screen 'box ls$'
	$T send-keys Enter
	wait_screen '^no boxes'
}

@test "history persists across runs; Ctrl-D leaves cleanly" {
	start_shell
	$T send-keys 'echo remembered-line' Enter
	wait_screen '^remembered-line$'
	$T send-keys C-d
	for i in $(seq 1 50); do $T has-session 2>/dev/null || break; sleep 0.05; done
	run $T has-session
	assert_failure
	grep -q 'echo remembered-line' "$NSLAB_STATE_DIR/history"
	start_shell
	$T send-keys Up
	wait_screen 'echo remembered-line'
}

@test "sh: an interactive shell inside the box, and back" {
	need_root
	start_shell
	$T send-keys 'box new b1 --ns pid,mnt,uts --hostname in-b1' Enter
	wait_screen 'nslab\[b1\]#'
	$T send-keys 'sh' Enter
	wait_screen 'entering box b1'
	$T send-keys 'hostname; echo $$' Enter
	wait_screen '^in-b1$'
	$T send-keys 'exit' Enter
	$T send-keys 'echo back-in-nslab' Enter
	wait_screen '^back-in-nslab$'
}

@test "Ctrl-C at the prompt does not reach the current box" {
	need_root
	start_shell
	$T send-keys 'box new keep --ns pid,mnt' Enter
	wait_screen 'nslab\[keep\]#'
	$T send-keys C-c
	$T send-keys 'box ls' Enter
	wait_screen 'keep +[0-9]+ +running'
}

@test "tab completes options, lab numbers and file paths (the box's own inside run)" {
	need_root
	export NSLAB_DATADIR="$REPO"
	start_shell
	$T send-keys 'box new tc --host' Tab
	wait_screen 'box new tc --hostname$'
	$T send-keys C-u 'lab 1' Tab Tab
	wait_screen '^10 +11 +12'
	$T send-keys C-u 'box new tc' Enter
	wait_screen 'nslab\[tc\]#'
	# A file only the box's root has: resolved inside the box.
	$T send-keys 'run cat /etc/nslab-roo' Tab
	wait_screen 'run cat /etc/nslab-rootfs$'
	$T send-keys Enter
	wait_screen "^This file is inside the box's root file system"
	# A host path for an option that takes one.
	$T send-keys C-u "box new td --rootfs $REPO/rootfs-scr" Tab
	wait_screen "rootfs $REPO/rootfs-scripts/\$"
	$T send-keys C-u 'box rm tc' Enter
}
