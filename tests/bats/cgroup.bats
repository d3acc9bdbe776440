#!/usr/bin/env bats
# cgroups against the real kernel, on whatever layout the machine has (this
# repository's CI host is hybrid v1; tests/vm/run-v2.sh runs this file in a
# pure cgroup v2 VM). Every check reads the kernel's own files.
load helper

# The layout as the kernel shows it, independent of nslab's detection.
cg_v2() {
	[ -n "$(cat /sys/fs/cgroup/cgroup.controllers 2>/dev/null)" ]
}

# Mount point of v1 controller $1 (cpu may share one with cpuacct).
v1_mount() {
	awk -v c="$1" '{
		split($0, half, " - "); split(half[2], f, " "); split(f[3], o, ",")
		if (f[1] != "cgroup" || $4 != "/") next
		for (i in o) if (o[i] == c) { print $5; exit }
	}' /proc/self/mountinfo
}

# Directory of nslab cgroup $2 for controller $1.
cgdir() {
	if cg_v2; then echo "/sys/fs/cgroup/nslab/$2"; else echo "$(v1_mount "$1")/nslab/$2"; fi
}

# The kernel's value of v2 file $2 (v1 file $3) in cgroup $1.
kfile() {
	local ctrl=${2%%.*}
	if cg_v2; then cat "$(cgdir "$ctrl" "$1")/$2"; else cat "$(cgdir "$ctrl" "$1")/$3"; fi
}

# "KEY VALUE" lines: the value of KEY in file $1.
kv() {
	awk -v k="$2" '$1 == k { print $2 }' "$1"
}

need_cgroups() {
	need_root
	if cg_v2; then
		for c in memory pids cpu; do
			grep -qw $c /sys/fs/cgroup/cgroup.controllers || skip "cgroup v2 has no $c controller"
		done
	else
		for c in memory pids cpu; do
			[ -n "$(v1_mount $c)" ] || skip "no cgroup v1 $c hierarchy mounted"
		done
	fi
}

# No cgroup of the nslab run $1 is left in any hierarchy.
assert_no_cgroups_of() {
	local d
	for d in /sys/fs/cgroup/nslab /sys/fs/cgroup/*/nslab; do
		[ -d "$d" ] || continue
		run find "$d" -maxdepth 1 -name "$1-*"
		assert_output ""
		if [ -n "${2:-}" ]; then
			[ ! -e "$d/$2" ] || fail "cgroup $d/$2 left behind"
		fi
	done
}

setup() {
	need_cgroups
	CG="t$$x$BATS_TEST_NUMBER"
}

teardown() {
	local pid=${NS_PID:-}
	nslab_stop
	[ -z "$pid" ] || assert_no_cgroups_of "$pid" "$CG"
	assert_no_leftovers
}

@test "cg ls names the layout" {
	run nslab -c 'cg ls'
	assert_success
	if cg_v2; then
		assert_output --regexp 'cgroup v2|nslab uses cgroup v2'
	else
		assert_output --partial 'nslab uses cgroup v1'
	fi
}

@test "limits set with cg set are the limits the kernel reports" {
	nslab_start
	nslab_send "cg new $CG"
	nslab_send "cg set $CG memory.max 64M"
	nslab_send "cg set $CG pids.max 20"
	nslab_send "cg set $CG cpu.max 50%"
	assert_equal "$(kfile $CG memory.max memory.limit_in_bytes)" 67108864
	assert_equal "$(kfile $CG pids.max pids.max)" 20
	if cg_v2; then
		assert_equal "$(kfile $CG cpu.max)" "50000 100000"
	else
		assert_equal "$(cat "$(cgdir cpu $CG)/cpu.cfs_quota_us")" 50000
		assert_equal "$(cat "$(cgdir cpu $CG)/cpu.cfs_period_us")" 100000
	fi
	nslab_send "cg set $CG memory.max max"
	nslab_send "cg get $CG memory.max"
	run cat "$NS_OUT"
	assert_output --regexp "memory.max( \(v1: memory.limit_in_bytes\))? = 67108864"
	assert_output --regexp "memory.max( \(v1: memory.limit_in_bytes\))? = max"
	nslab_send "cg rm $CG"
	[ ! -d "$(cgdir memory $CG)" ]
}

@test "bad values are refused before the kernel sees them" {
	run nslab -c "cg new $CG; cg set $CG memory.max 12Q"
	assert_equal "$status" 2
	assert_output --partial "'12Q' is not a value for memory.max"
	assert_output --partial "64M, 1G, 512k"
	run nslab -c "box new b1 --memory lots"
	assert_equal "$status" 2
	run nslab -c "box new b1 --cpu 0%"
	assert_equal "$status" 2
	assert_output --partial "percentage of one CPU"
}

@test "a v2-only file: written on v2, refused with a reason on v1" {
	nslab_start
	nslab_send "cg new $CG"
	nslab_send "cg set $CG memory.oom.group 1"
	run cat "$NS_OUT"
	if cg_v2; then
		assert_equal "$(kfile $CG memory.oom.group)" 1
	else
		assert_output --partial "exists only in cgroup v2"
	fi
}

@test "box --memory --pids --cpu: PID 1 and run start inside the box's cgroup" {
	nslab_start
	nslab_send "box new b1 --memory 64M --pids 50 --cpu 50%"
	pid=$(box_pid b1)
	name="$NS_PID-b1"
	run cat /proc/$pid/cgroup
	if cg_v2; then
		assert_output "0::/nslab/$name"
	else
		assert_output --regexp "memory:/nslab/$name"
		assert_output --regexp "pids:/nslab/$name"
	fi
	assert_equal "$(kfile $name memory.max memory.limit_in_bytes)" 67108864
	assert_equal "$(kfile $name pids.max pids.max)" 50
	nslab_send "run cat /proc/self/cgroup"
	run grep -c "/nslab/$name\$" "$NS_OUT"
	[ "$output" -ge 1 ]
	nslab_send "box rm b1"
	[ ! -d "$(cgdir memory $name)" ]
	[ ! -d "$(cgdir pids $name)" ]
}

@test "an allocation past memory.max is OOM-killed and counted" {
	nslab_start
	nslab_send "box new b1 --memory 32M"
	name="$NS_PID-b1"
	# busybox sh keeps a command substitution's output in memory: 200 MB of it.
	nslab_send "run sh -c 'x=\$(head -c 200000000 /dev/zero | tr \"\\\\0\" x); echo survived'"
	run grep -c survived "$NS_OUT"
	assert_output 0
	if cg_v2; then
		[ "$(kv "$(cgdir memory $name)/memory.events" oom_kill)" -ge 1 ]
	else
		[ "$(kv "$(cgdir memory $name)/memory.oom_control" oom_kill)" -ge 1 ]
		[ "$(cat "$(cgdir memory $name)/memory.failcnt")" -ge 1 ]
	fi
	nslab_send "cg stat b1"
	run cat "$NS_OUT"
	assert_output --regexp "oom_kill [1-9]"
	# The box itself survives: only the allocating process was killed.
	nslab_send "run echo alive"
	run grep -x alive "$NS_OUT"
	assert_success
}

@test "a fork bomb stops at pids.max and the host keeps answering" {
	nslab_start
	nslab_send "box new b1 --pids 30"
	name="$NS_PID-b1"
	nslab_send "run sh -c '(b(){ b|b& }; b) >/dev/null 2>&1 &'"
	# Until the kernel has refused a fork (the bomb reached the limit): a
	# slow machine (qemu without KVM, a loaded CI host) takes seconds.
	for _ in $(seq 1 300); do
		[ "$(kv "$(cgdir pids $name)/pids.events" max)" -ge 1 ] && break
		sleep 0.1
	done
	[ "$(kv "$(cgdir pids $name)/pids.events" max)" -ge 1 ]
	# Never above the limit. (No lower bound: once forks fail, the bomb's
	# shells may exit faster than new ones start, and it can die out.)
	cur=$(kfile $name pids.current pids.current)
	[ "$cur" -le 30 ]
	# The host: a new process starts at once, and nslab still answers.
	run timeout 5 sh -c 'echo host-ok'
	assert_output host-ok
	nslab_send "cg stat b1"
	run cat "$NS_OUT"
	assert_output --regexp "forks refused \(pids.events max\) [1-9]"
	nslab_send "box rm b1"
	[ ! -d "$(cgdir pids $name)" ]
}

@test "CPU throttling under cpu.max shows in cpu.stat" {
	nslab_start
	nslab_send "box new b1 --cpu 10%"
	name="$NS_PID-b1"
	# Two seconds of a busy loop, however fast the CPU (the v2 VM is emulated).
	nslab_send "run timeout 2 sh -c 'while :; do :; done'"
	stat="$(cgdir cpu $name)/cpu.stat"
	[ "$(kv "$stat" nr_throttled)" -ge 1 ]
	if cg_v2; then
		[ "$(kv "$stat" throttled_usec)" -gt 0 ]
	else
		[ "$(kv "$stat" throttled_time)" -gt 0 ]
	fi
	nslab_send "cg stat b1"
	run cat "$NS_OUT"
	assert_output --regexp "throttled [1-9][0-9]*"
}

@test "cg add moves a box; cg rm kills what is left and removes the cgroup" {
	nslab_start
	nslab_send "box new b1"
	pid=$(box_pid b1)
	nslab_send "cg new $CG"
	nslab_send "cg add $CG b1"
	run cat /proc/$pid/cgroup
	assert_output --partial "/nslab/$CG"
	nslab_send "cg rm $CG"
	run cat "$NS_OUT"
	assert_output --partial "cgroup $CG removed (1 process(es) in it were killed first)"
	[ ! -d "$(cgdir memory $CG)" ]
	# Gone, or a zombie for the moment (it may vanish between two reads).
	[ ! -d "/proc/$pid" ] || grep -qs '^State:.*Z' /proc/$pid/status || [ ! -d "/proc/$pid" ]
}

@test "cg add refuses the host's own processes" {
	run nslab -c "cg new $CG; cg add $CG 1"
	assert_failure
	assert_output --partial "was not started by this nslab"
	run cat /proc/1/cgroup
	refute_output --partial "/nslab/"
}

@test "exit removes every cgroup the run made" {
	nslab_start
	nslab_send "box new b1 --memory 64M"
	nslab_send "box new b2 --cgroup"
	nslab_send "cg new $CG"
	[ -d "$(cgdir memory "$NS_PID-b1")" ]
	[ -d "$(cgdir memory "$CG")" ]
	# teardown checks that none of them is left
}

@test "after kill -9, the next start removes the dead run's cgroups" {
	nslab_start
	nslab_send "box new b1 --pids 20"
	nslab_send "cg new $CG"
	name="$NS_PID-b1"
	pid=$(box_pid b1)
	kill -9 "$NS_PID"
	wait "$NS_PID" 2>/dev/null || true
	exec {NS_FD}>&-
	NS_FD=
	# The dead run's cgroup is still there until a start cleans it (this
	# run's sessions are its own: NSLAB_RUNDIR).
	[ -d "$(cgdir pids "$name")" ]
	run nslab -c 'echo started'
	assert_success
	[ ! -d "$(cgdir pids "$name")" ]
	[ ! -d "$(cgdir memory "$CG")" ]
	# Gone, or a zombie for the moment (it may vanish between two reads).
	[ ! -d "/proc/$pid" ] || grep -qs '^State:.*Z' /proc/$pid/status || [ ! -d "/proc/$pid" ]
}
