#!/usr/bin/env bats
# The box engine against the real kernel: namespaces, pivot_root, cleanup.
load helper

setup() {
	need_root
	CANARY="/nslab-canary-$$-$BATS_TEST_NUMBER"
}

teardown() {
	nslab_stop
	rm -f "$CANARY"
	assert_no_leftovers
}

@test "box PID 1 is in a pid namespace other than the host's" {
	nslab_start
	nslab_send 'box new b1 --ns pid,mnt'
	pid=$(box_pid b1)
	[ -n "$pid" ]
	assert_not_equal "$(readlink /proc/$pid/ns/pid)" "$(readlink /proc/self/ns/pid)"
	assert_equal "$(readlink /proc/$pid/ns/uts)" "$(readlink /proc/self/ns/uts)"
	run awk '/^NSpid:/ { print $NF }' /proc/$pid/status
	assert_output 1
	nslab_send 'run ps'
	run cat "$NS_OUT"
	assert_output --regexp '    1 root +\{nslab-init\}'
}

@test "a box's hostname differs, the host's does not change" {
	before=$(hostname)
	nslab_start
	nslab_send 'box new b1 --ns uts,mnt,pid --hostname inside-b1'
	pid=$(box_pid b1)
	run nsenter -t "$pid" -u hostname
	assert_output inside-b1
	assert_equal "$(hostname)" "$before"
	nslab_send 'run hostname'
	run grep -x inside-b1 "$NS_OUT"
	assert_success
}

@test "after pivot_root the box cannot see a host file" {
	echo secret > "$CANARY"
	nslab_start
	nslab_send "box new b1 --ns mnt,pid"
	pid=$(box_pid b1)
	[ -f "/proc/$pid/root/etc/nslab-rootfs" ]
	[ ! -e "/proc/$pid/root$CANARY" ]
	nslab_send "run ls $CANARY"
	nslab_send "run cat /etc/nslab-rootfs"
	run cat "$NS_OUT"
	assert_output --partial "ls: $CANARY: No such file or directory"
	assert_output --partial "inside the box's root file system"
	# The old root is gone from the box's mount table.
	run grep -c oldroot "/proc/$pid/mountinfo"
	assert_output 0
}

@test "box rm leaves nothing in /run/nslab, the mount table or the process list" {
	nslab_start
	nslab_send 'box new b1 --ns all'
	pid=$(box_pid b1)
	[ -d "$NSLAB_RUNDIR/$NS_PID/boxes/b1" ]
	nslab_send 'box rm b1'
	[ ! -e "$NSLAB_RUNDIR/$NS_PID/boxes/b1" ]
	[ ! -e "/proc/$pid" ]
	run grep -c "$NSLAB_RUNDIR/$NS_PID" /proc/self/mountinfo
	assert_output 0
}

@test "kill -9 of nslab: its boxes die, and the next start removes the records" {
	nslab_start
	nslab_send 'box new b1 --ns all'
	nslab_send 'box new b2 --ns pid,mnt --chroot'
	p1=$(box_pid b1)
	p2=$(box_pid b2)
	kill -9 "$NS_PID"
	wait "$NS_PID" 2>/dev/null || true
	exec {NS_FD}>&-
	NS_FD=
	for i in $(seq 1 50); do [ -e /proc/$p1 ] || [ -e /proc/$p2 ] || break; sleep 0.05; done
	[ ! -e "/proc/$p1" ]
	[ ! -e "/proc/$p2" ]
	# (Any nslab that starts now removes the dead run's records: on a shared
	# machine that may be another one, so look only after our own start.)
	run nslab -c 'echo next start'
	assert_success
	[ ! -e "$NSLAB_RUNDIR/$NS_PID" ]
}

@test "SIGTERM: nslab cleans up before it goes" {
	nslab_start
	nslab_send 'box new b1 --ns all'
	pid=$(box_pid b1)
	kill -TERM "$NS_PID"
	nslab_stop
	[ ! -e "/proc/$pid" ]
	[ ! -e "$NSLAB_RUNDIR/$NS_PID" ]
}

@test "nslab cleanup removes what a killed run left" {
	nslab_start
	nslab_send 'box new b1 --ns mnt,pid'
	kill -9 "$NS_PID"
	nslab_stop
	run "$NSLAB" --lang en cleanup
	assert_success
	assert_output --regexp 'cleanup: [1-9][0-9]* earlier run'
	[ ! -e "$NSLAB_RUNDIR/$NS_PID" ]
}

@test "explain shows clone, pivot_root and setns with results" {
	run nslab -c 'explain on; box new b1 --ns all; run true'
	assert_success
	# No clock offsets: the shell itself clone3()s, with CLONE_NEWTIME among the flags.
	assert_output --regexp 'clone3\(\{\.flags = CLONE_NEWNS\|CLONE_NEWUTS\|CLONE_NEWIPC\|CLONE_NEWPID\|CLONE_NEWNET\|CLONE_NEWUSER\|CLONE_NEWCGROUP\|CLONE_NEWTIME, \.exit_signal = SIGCHLD\}\) = [0-9]+'
	assert_output --regexp 'pivot_root\(".*/root", ".*/root/.oldroot"\) = 0'
	assert_output --regexp 'setns\(pidfd_open\([0-9]+\), .*\) = 0'
}

@test "box new --dry-run prints the plan and makes nothing" {
	run nslab -c 'box new b1 --ns pid,mnt,uts --hostname h --dry-run; box ls'
	assert_success
	assert_output --partial 'pivot_root('
	assert_output --partial 'sethostname("h")'
	assert_output --partial 'no boxes'
}

@test "user namespace: uid 0 in the box is 100000 on the host" {
	nslab_start
	nslab_send 'box new u1 --ns user,mnt,pid --uid-map 0:100000:65536'
	pid=$(box_pid u1)
	run awk '/^Uid:/ { print $2 }' /proc/$pid/status
	assert_output 100000
	nslab_send 'run id -u'
	nslab_send 'run touch /made-by-root'
	run grep -x 0 "$NS_OUT"
	assert_success
	run stat -c %u "$NSLAB_RUNDIR/$NS_PID/boxes/u1/root/made-by-root"
	assert_output 100000
}

@test "time namespace: boottime offset shows in the box's uptime" {
	nslab_start
	nslab_send 'box new t1 --ns time,mnt,pid --boottime-offset 86400'
	nslab_send 'run cat /proc/uptime'
	host=$(cut -d. -f1 /proc/uptime)
	inside=$(grep -E '^[0-9]+\.[0-9]+ ' "$NS_OUT" | tail -1 | cut -d. -f1)
	[ "$inside" -ge $((host + 86400 - 5)) ]
}

@test "run: the program's exit status is the command's" {
	run nslab -c 'box new b1 --ns pid,mnt; run sh -c "exit 3"'
	assert_equal "$status" 3
	run nslab -c 'box new b1 --ns pid,mnt; run true'
	assert_success
}

@test "a rootfs changed after it was built is refused, with the way out" {
	d="$BATS_TEST_TMPDIR/rfs"
	cp -a "$REPO/rootfs/busybox" "$d"
	cp "$REPO/rootfs/busybox.manifest" "$d.manifest"
	cp "$REPO/rootfs/busybox.links" "$d.links"
	run nslab -c "box new b --rootfs $d"
	assert_success
	echo 'evil::0:0::/:/bin/sh' >> "$d/etc/passwd"
	run nslab -c "box new b --rootfs $d"
	assert_equal "$status" 1
	assert_output --partial 'differs from its manifest'
	assert_output --partial 'make rootfs'
	sed -i '$d' "$d/etc/passwd"
	ln -sf /etc/shadow "$d/bin/ls"
	run nslab -c "box new b --rootfs $d"
	assert_equal "$status" 1
}

@test "the rootfs check's stamp is kept while its rootfs exists and dropped after" {
	d="$BATS_TEST_TMPDIR/rfs2"
	cp -a "$REPO/rootfs/busybox" "$d"
	cp "$REPO/rootfs/busybox.manifest" "$d.manifest"
	cp "$REPO/rootfs/busybox.links" "$d.links"
	run nslab -c "box new b --rootfs $d"
	assert_success
	# The stamp beside the state directory names the rootfs it vouches for.
	run grep -lx "[0-9a-f]\{16\} $d" "$NSLAB_RUNDIR"-rootfs-*.ok
	assert_success
	stamp=$output
	run nslab -c ''
	[ -e "$stamp" ] || fail "the stamp of a rootfs that still exists was removed"
	rm -rf "$d" "$d.manifest" "$d.links"
	run nslab -c ''
	[ ! -e "$stamp" ] || fail "the stamp $stamp of a removed rootfs is still there"
}

@test "in one shell, a rootfs changed between two boxes is refused (inotify, not a walk)" {
	d="$BATS_TEST_TMPDIR/rfs"
	cp -a "$REPO/rootfs/busybox" "$d"
	cp "$REPO/rootfs/busybox.manifest" "$d.manifest"
	cp "$REPO/rootfs/busybox.links" "$d.links"
	nslab_start
	# The second check arms the watches; the third finds no event and skips the walk.
	for i in 1 2 3; do
		nslab_send "box new b$i --ns mnt,pid --rootfs $d"
	done
	echo 'evil::0:0::/:/bin/sh' >> "$d/etc/passwd"
	nslab_send "box new b4 --ns mnt,pid --rootfs $d"
	sed -i '$d' "$d/etc/passwd"
	# A change deep in the tree, and a new file in a directory.
	nslab_send "box new b5 --ns mnt,pid --rootfs $d"
	nslab_send "box new b6 --ns mnt,pid --rootfs $d"
	touch "$d/bin/extra"
	nslab_send "box new b7 --ns mnt,pid --rootfs $d"
	nslab_stop
	run cat "$NS_OUT"
	assert_output --regexp 'box b3: pid [0-9]+'
	assert_output --partial 'differs from its manifest'
	refute_output --regexp 'box b4: pid'
	assert_output --regexp 'box b6: pid [0-9]+'
	refute_output --regexp 'box b7: pid'
	refute_output --partial 'Sanitizer'
}

@test "doctor checks every namespace type and the rootfs" {
	run nslab doctor
	for ns in mnt uts ipc pid net user cgroup time; do
		assert_output --regexp "\\[ok  \\] ns $ns "
	done
	assert_output --partial 'matches its manifest'
	assert_output --regexp '[0-9]+ problem\(s\)'
}

@test "a box usage error is one line and a pointer to 'help box', not the whole synopsis" {
	for words in 'box new' 'box new b --bogus' 'box frob' 'box new b --memory lots'; do
		run nslab -c "$words"
		assert_equal "$status" 2
		assert_equal "${#lines[@]}" 2
		assert_line --index 1 "  'help box' shows how to use it"
		refute_output --partial '--monotonic-offset'
	done
}
