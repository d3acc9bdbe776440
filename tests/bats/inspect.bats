#!/usr/bin/env bats
# ns, proc, tree, use: what they print is what /proc says.
load helper

setup() {
	need_root
}

teardown() {
	nslab_stop
	assert_no_leftovers
}

@test "ns marks exactly the namespaces /proc says differ" {
	nslab_start
	nslab_send 'box new b1 --ns pid,uts,mnt'
	nslab_send 'ns b1'
	pid=$(box_pid b1)
	for t in mnt uts ipc pid net user cgroup time; do
		mine=$(readlink /proc/self/ns/$t | tr -dc 0-9)
		theirs=$(readlink /proc/$pid/ns/$t | tr -dc 0-9)
		line=$(grep -E "^$t " "$NS_OUT")
		if [ "$mine" != "$theirs" ]; then
			[[ "$line" == *"$theirs"*"* differs"* ]] || fail "$t should be marked: $line"
		else
			[[ "$line" != *differs* ]] || fail "$t should not be marked: $line"
		fi
	done
	run grep -c 'differs$' "$NS_OUT"
	assert_output 3
}

@test "tree shows both PIDs and the namespace boundary" {
	nslab_start
	nslab_send 'box new b1 --ns pid,mnt'
	pid=$(box_pid b1)
	nslab_send 'tree'
	run grep -E "^nslab-init\\($pid=1\\)  ◆ new ns: mnt pid$" "$NS_OUT"
	assert_success
	nslab_send 'tree 1'
	run grep -E "nslab-init\\($pid=1\\)" "$NS_OUT"
	assert_success
}

@test "proc reads the box's files and the host's" {
	nslab_start
	nslab_send 'box new b1 --ns pid,mnt,uts --hostname pb'
	pid=$(box_pid b1)
	nslab_send 'proc b1'
	nslab_send 'proc b1 root'
	nslab_send 'proc b1 ns'
	nslab_send 'proc loadavg'
	run cat "$NS_OUT"
	assert_output --regexp "NSpid +$pid 1"
	assert_output --partial "Name        nslab-init"
	assert_output --partial "root -> /"
	assert_output --partial "ns/pid -> pid:["
	run grep -cE '^[0-9]+\.[0-9]+ [0-9]+\.[0-9]+ [0-9]+\.[0-9]+ [0-9]+/[0-9]+ [0-9]+$' "$NS_OUT"
	assert_output 1
}

@test "use switches the current box; run follows it" {
	nslab_start
	nslab_send 'box new a --ns uts,mnt,pid --hostname host-a'
	nslab_send 'box new b --ns uts,mnt,pid --hostname host-b'
	nslab_send 'run hostname'
	nslab_send 'use a'
	nslab_send 'run hostname'
	nslab_send 'box ls'
	run cat "$NS_OUT"
	assert_output --partial $'host-b\n'
	assert_output --partial $'host-a\n'
	assert_output --regexp '\*  a '
}

@test "tree says unknown, never new, where /proc/PID/ns cannot be read" {
	need_root
	if readlink /proc/1/ns/mnt >/dev/null 2>&1; then
		skip "/proc/1/ns is readable here: nothing is unknown"
	fi
	run nslab -c 'tree'
	assert_success
	assert_line --partial "namespaces unknown"
	# The children of PID 1 (one level down) are not marked as new.
	run grep -E '^(├|└)─ .*new ns' <<<"$output"
	assert_failure
}
