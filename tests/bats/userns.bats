#!/usr/bin/env bats
# User, cgroup and time namespaces, checked against what the kernel reports
# in /proc; and a rootless box made by a throwaway non-root user.
load helper

setup() {
	need_root
	TESTUSER=
	USERTMP=
}

teardown() {
	nslab_stop
	if [ -n "${RL_PID:-}" ]; then
		kill "$RL_PID" 2>/dev/null || true
		wait "$RL_PID" 2>/dev/null || true
	fi
	if [ -n "$TESTUSER" ]; then
		pkill_user_procs
		userdel "$TESTUSER" 2>/dev/null || true
	fi
	[ -z "$USERTMP" ] || rm -rf "$USERTMP"
	assert_no_leftovers
}

# Only processes of the throwaway user this test made (by uid, never by name).
pkill_user_procs() {
	local uid
	uid=$(id -u "$TESTUSER" 2>/dev/null) || return 0
	for p in $(ps -o pid= -u "$uid" 2>/dev/null); do
		kill -9 "$p" 2>/dev/null || true
	done
}

@test "uid 0 in the box is uid 100000 on the host" {
	nslab_start
	nslab_send 'box new u1 --ns user,mnt,pid --uid-map 0:100000:65536'
	pid=$(box_pid u1)
	run awk '/^Uid:/ { print $2, $3 }' /proc/$pid/status
	assert_output '100000 100000'
	run awk '{ print $1, $2, $3 }' /proc/$pid/uid_map
	assert_output '0 100000 65536'
	nslab_send 'run id -u'
	run grep -x 0 "$NS_OUT"
	assert_success
	nslab_send 'userns u1'
	run grep -E '^  uid +0 +100000$' "$NS_OUT"
	assert_success
	run grep -E 'CapEff 000001ffffffffff|CapEff 0000003fffffffff' "$NS_OUT"
	assert_success
}

@test "a file made by the box's root belongs to uid 100000 on the host" {
	nslab_start
	nslab_send 'box new u1 --ns user,mnt,pid --uid-map 0:100000:65536'
	pid=$(box_pid u1)
	nslab_send 'run touch /tmp/made-inside'
	run stat -c '%u %g' "/proc/$pid/root/tmp/made-inside"
	assert_output '100000 100000'
	# And the copy's files, root's inside, are shifted on the host too.
	run stat -c '%u' "/proc/$pid/root/bin/busybox"
	assert_output 100000
}

@test "setgroups is deny by default, allow on request" {
	nslab_start
	nslab_send 'box new u1 --ns user,mnt,pid --uid-map 0:100000:65536'
	nslab_send 'box new u2 --ns user,mnt,pid --uid-map 0:100000:65536 --setgroups allow'
	run cat "/proc/$(box_pid u1)/setgroups"
	assert_output deny
	run cat "/proc/$(box_pid u2)/setgroups"
	assert_output allow
	# deny: even the namespace's root cannot drop or add supplementary groups.
	nslab_send 'use u1'
	nslab_send 'run su -s /bin/sh learner -c true'
	run grep -ci 'setgroups\|operation not permitted\|permission denied' "$NS_OUT"
	refute_output 0
}

@test "root in a user namespace cannot change what the host's namespaces own" {
	nslab_start
	# No UTS namespace of its own: the hostname belongs to the host's user namespace.
	nslab_send 'box new u1 --ns user,mnt,pid'
	nslab_send 'run hostname not-allowed'
	run grep -ci 'operation not permitted\|permission denied' "$NS_OUT"
	refute_output 0
	[ "$(hostname)" != not-allowed ]
}

@test "the time offset shows in the box's /proc/uptime" {
	nslab_start
	nslab_send 'box new t1 --ns time,mnt,pid --boottime-offset 86400'
	pid=$(box_pid t1)
	run cat /proc/$pid/timens_offsets
	assert_output --regexp 'boottime +86400 +0'
	nslab_send 'run cat /proc/uptime'
	inside=$(grep -E '^[0-9]+\.[0-9]+ [0-9]+\.[0-9]+$' "$NS_OUT" | tail -1 | cut -d' ' -f1)
	host=$(cut -d' ' -f1 /proc/uptime)
	diff=$(awk -v a="$inside" -v b="$host" 'BEGIN { printf "%d", a - b }')
	[ "$diff" -ge 86390 ] && [ "$diff" -le 86401 ]
	# Offsets are fixed once a process is inside: the kernel says EACCES.
	nslab_send 'timens t1 set boottime 5'
	run grep -c 'EACCES' "$NS_OUT"
	assert_output 1
	run grep -c 'make a new box with --boottime-offset' "$NS_OUT"
	assert_output 1
}

@test "offsets without a time namespace are a usage error" {
	run nslab -c 'box new t1 --ns mnt,pid --boottime-offset 5'
	assert_failure 2
	assert_output --partial 'add time to --ns'
}

@test "a cgroup namespace shows the box's cgroup as /" {
	nslab_start
	nslab_send 'box new c1 --ns cgroup,mnt,pid'
	pid=$(box_pid c1)
	assert_not_equal "$(readlink /proc/$pid/ns/cgroup)" "$(readlink /proc/self/ns/cgroup)"
	nslab_send 'run cat /proc/self/cgroup'
	run grep -x '0::/' "$NS_OUT"
	assert_success
	# cgroup2 mounted inside shows the namespace's root, not the host's.
	nslab_send 'run mkdir -p /sys/fs/cgroup'
	nslab_send 'run mount -t cgroup2 none /sys/fs/cgroup'
	run grep -E ' /sys/fs/cgroup .* - cgroup2 ' /proc/$pid/mountinfo
	assert_success
	nslab_send 'cgns c1'
	run grep -c 'its own cgroup namespace' "$NS_OUT"
	assert_output 1
}

@test "a rootless box made by a throwaway non-root user" {
	TESTUSER="nslabtest$$"
	useradd -M -s /bin/sh "$TESTUSER" || fail "useradd $TESTUSER failed"
	uid=$(id -u "$TESTUSER")
	if ! runuser -u "$TESTUSER" -- unshare -U true 2>/dev/null; then
		skip "the kernel does not allow unprivileged user namespaces (sysctl or AppArmor)"
	fi
	USERTMP=$(mktemp -d /tmp/nslab-rootless.XXXXXX)
	chmod 755 "$USERTMP"
	chown "$TESTUSER" "$USERTMP"
	# The binary and the rootfs must be readable by that user.
	runuser -u "$TESTUSER" -- test -x "$NSLAB" || skip "$NSLAB is not reachable by a non-root user"
	RL_IN="$USERTMP/in" RL_OUT="$USERTMP/out"
	mkfifo "$RL_IN"
	chown "$TESTUSER" "$RL_IN"
	runuser -u "$TESTUSER" -- env XDG_RUNTIME_DIR="$USERTMP" NSLAB_STATE_DIR="$USERTMP/state" \
		ASAN_OPTIONS="$ASAN_OPTIONS" "$NSLAB" --lang en <"$RL_IN" >"$RL_OUT" 2>&1 3>&- &
	RL_PID=$!
	exec {RL_FD}>"$RL_IN"
	printf '%s\n' 'box new r1 --ns user,mnt,uts,pid --hostname rootless' 'run id -u' \
		'userns r1' 'echo @@done' >&"$RL_FD"
	for i in $(seq 1 200); do
		grep -q '^@@done$' "$RL_OUT" && break
		sleep 0.05
	done
	run cat "$RL_OUT"
	assert_output --partial 'box r1: pid'
	pid=$(cut -d' ' -f1 "$USERTMP"/nslab/*/boxes/r1/pid)
	# The kernel's view: the box runs as the user, is root in its own namespace.
	run awk '/^Uid:/ { print $3 }' /proc/$pid/status
	assert_output "$uid"
	run awk '$1 == 0 { print $2, $3 }' /proc/$pid/uid_map
	assert_output "$uid 1"
	run grep -x 0 "$RL_OUT"
	assert_success
	run grep -E "made by host uid $uid " "$RL_OUT"
	assert_success
	# With subordinate ids and newuidmap, ids 1..65536 are mapped too.
	if command -v newuidmap >/dev/null && grep -q "^$TESTUSER:" /etc/subuid; then
		run wc -l </proc/$pid/uid_map
		assert_output 2
	fi
	exec {RL_FD}>&-
	wait "$RL_PID" || true
	RL_PID=
	# The box died with its nslab.
	run kill -0 "$pid"
	assert_failure
}

@test "userns, timens and cgns speak Korean" {
	run "$NSLAB" --lang ko -c 'box new t1 --ns time,mnt,pid --boottime-offset 60; timens t1'
	assert_success
	assert_output --partial '가동 시간'
}
