#!/usr/bin/env bats
# nslab as a user without root: the shell works, rootless boxes work where
# the kernel allows unprivileged user namespaces, everything else is refused
# with the reason; its records go to a directory of its own.
load helper

setup() {
	need_root
	# Both are installed by setup.sh (passwd, util-linux): missing is a failure.
	command -v useradd >/dev/null && command -v setpriv >/dev/null ||
		fail "useradd and setpriv are missing: sudo ./setup.sh deps"
	U="nslabu$$"
	useradd -M -d /nonexistent -s /usr/sbin/nologin "$U"
	UID_U=$(id -u "$U")
	# The binary must be reachable by that user.
	runu test -x "$NSLAB" || skip "$NSLAB is not reachable by a plain user"
}

teardown() {
	[ -n "${U:-}" ] || return 0
	local p
	for p in $(pgrep -U "$UID_U"); do kill -KILL "$p" 2>/dev/null || true; done
	userdel "$U" 2>/dev/null || true
	rm -rf "/tmp/nslab-$UID_U" /tmp/nslab-"$UID_U"-rootfs-*.ok
}

# runu CMD...: run as the throwaway user, with a clean environment (no
# XDG_RUNTIME_DIR, as under su or a service).
runu() {
	setpriv --reuid="$U" --regid="$U" --init-groups --inh-caps=-all \
		env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 HOME=/nonexistent \
		ASAN_OPTIONS="$ASAN_OPTIONS" UBSAN_OPTIONS="$UBSAN_OPTIONS" "$@"
}

userns_allowed() {
	local f=/proc/sys/kernel/unprivileged_userns_clone
	[ ! -e "$f" ] || [ "$(cat "$f")" = 1 ] || return 1
	[ "$(cat /proc/sys/user/max_user_namespaces)" != 0 ]
}

@test "without root: help, box ls and doctor work" {
	run runu "$NSLAB" --lang en -c 'help'
	assert_success
	assert_output --partial 'box'
	run runu "$NSLAB" --lang en -c 'box ls'
	assert_success
	assert_output --partial 'no boxes'
	run runu "$NSLAB" --lang en doctor
	assert_output --regexp '[0-9]+ problem\(s\)'
	refute_output --partial 'Sanitizer'
}

@test "without root: the records go to a directory of the user's own, and are removed" {
	nslab_dir="/tmp/nslab-$UID_U"
	run runu "$NSLAB" --lang en -c 'echo hi'
	assert_success
	[ ! -e "$nslab_dir" ] || [ -z "$(ls -A "$nslab_dir")" ]
	# Made first by someone else: refused, never used.
	mkdir -m 777 "$nslab_dir"
	run runu "$NSLAB" --lang en -c 'echo hi'
	assert_failure
	assert_output --partial 'nslab did not make this directory'
	rmdir "$nslab_dir"
}

@test "without root: a rootless box (user,mnt,pid,uts) works and leaves nothing" {
	userns_allowed || skip "unprivileged user namespaces are off here (kernel.unprivileged_userns_clone)"
	before=$(hostname)
	run runu "$NSLAB" --lang en -c 'box new r --ns user,mnt,pid,uts --hostname rootless; run id -u; run hostname; box ls'
	assert_success
	assert_output --partial 'root overlay'
	assert_output --regexp '(^|'$'\n'')0('$'\n''|$)'
	assert_output --partial 'rootless'
	assert_equal "$(hostname)" "$before"
	run pgrep -U "$UID_U"
	assert_failure
	[ ! -e "/tmp/nslab-$UID_U" ] || [ -z "$(ls -A "/tmp/nslab-$UID_U")" ]
}

@test "without root: what needs root says so, in one line, with status 1" {
	run runu "$NSLAB" --lang en -c 'box new b --ns pid'
	assert_equal "$status" 1
	assert_output --partial 'needs a user namespace'
	assert_output --partial 'sudo nslab'
	userns_allowed || return 0
	run runu "$NSLAB" --lang en -c 'box new t --ns user,time,mnt,pid --boottime-offset 5'
	assert_equal "$status" 1
	assert_output --partial 'unshare(CLONE_NEWTIME)'
	assert_output --partial 'sudo nslab'
	run runu "$NSLAB" --lang en -c 'box new u --ns user,mnt,pid --uid-map 0:100000:65536'
	assert_equal "$status" 1
	assert_output --partial 'without root'
	refute_output --partial 'Sanitizer'
}

@test "the state directory lets a box's mapped root (uid 100000) pass through" {
	nslab_start
	nslab_send 'box new m --ns user,mnt,pid --uid-map 0:100000:65536'
	nslab_send 'run echo mapped-root-ran'
	run grep -x mapped-root-ran "$NS_OUT"
	assert_success
	# While the session is there: every directory down to it lets others pass.
	local d mode
	for d in "$NSLAB_RUNDIR" "$(dirname "$NSLAB_RUNDIR")"; do
		mode=$(stat -c %a "$d")
		[ $((8#$mode & 8#111)) -eq $((8#111)) ] || fail "$d is mode $mode: a mapped root cannot reach its box"
	done
	nslab_stop
}
