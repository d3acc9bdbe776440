#!/usr/bin/env bats
# The Docker-like box (--caps docker --seccomp default --nnp --mask docker)
# against what Docker's default gives, asked of the kernel from inside the box
# by a static probe (tests/fixtures/probe.c) built here and copied into a
# throwaway copy of the rootfs.
load helper

export NSLAB_DATADIR="$REPO"

setup() {
	need_root
	[ -x "$REPO/rootfs/busybox/bin/sh" ] || skip "no rootfs: run make rootfs"
	command -v gcc >/dev/null || fail "gcc is a declared build dependency"
	ROOT="$BATS_TEST_TMPDIR/rootfs"
	cp -a "$REPO/rootfs/busybox" "$ROOT"
	gcc -static -O1 -o "$ROOT/bin/probe" "$REPO/tests/fixtures/probe.c"
}

teardown() {
	assert_no_leftovers
}

DOCKER='--ns mnt,uts,ipc,pid,net --caps docker --seccomp default --nnp --mask docker'

# What Docker's default (moby's profile, Docker's 14 capabilities, uid 0, a
# kernel >= 4.8, x86_64) answers for each probe, one "call result" a line.
# ok: the call reached the kernel (or its own error showed it did).
DOCKER_EXPECT='clone ok
clone_newuser EPERM
clone_newuser_newnet EPERM
clone_newuser_newns_newpid EPERM
clone3 ENOSYS
process_vm_readv ok
io_uring_setup EPERM
personality_addr_no_randomize EPERM
personality_query ok
socket_vsock EPERM
socket_unix ok
keyctl EPERM
fanotify_init EPERM
syslog EPERM
sethostname EPERM
mount EPERM
pidfd_getfd EPERM
name_to_handle_at ok
adjtimex ok
userfaultfd EPERM
ptrace_traceme ok
unshare_newuser EPERM'

# Where nslab is stricter than Docker, on purpose (Docker: ok for both).
NSLAB_STRICTER='tiocsti EPERM
tioclinux EPERM'

@test "docker box: every probed call is decided as Docker's default decides it" {
	[ "$(uname -m)" = x86_64 ] || skip "the expectations are x86_64's"
	run nslab -c "box new d1 --rootfs $ROOT $DOCKER; run /bin/probe"
	assert_success
	while read -r call want; do
		got=$(printf '%s\n' "$output" | awk -v c="$call" '$1 == c { print $2 }')
		[ "$got" = "$want" ] || fail "$call: got '$got', Docker's default gives '$want'"
	done <<<"$DOCKER_EXPECT
$NSLAB_STRICTER"
}

@test "docker box: without the profile the same probe gets through (the test can fail)" {
	run nslab -c "box new d1 --rootfs $ROOT --ns mnt,uts,ipc,pid,net --caps docker --nnp; run /bin/probe"
	assert_success
	assert_line 'clone_newuser ok'
	assert_line 'personality_addr_no_randomize ok'
	assert_line 'tiocsti ok'
	assert_line 'io_uring_setup ok'
}

@test "docker box: with CAP_SYS_ADMIN kept, clone may make namespaces and clone3 exists" {
	run nslab -c "box new d1 --rootfs $ROOT --ns mnt,uts,ipc,pid,net --caps CAP_CHOWN,CAP_DAC_OVERRIDE,CAP_FOWNER,CAP_FSETID,CAP_KILL,CAP_SETGID,CAP_SETUID,CAP_SETPCAP,CAP_NET_BIND_SERVICE,CAP_NET_RAW,CAP_SYS_CHROOT,CAP_MKNOD,CAP_AUDIT_WRITE,CAP_SETFCAP,CAP_SYS_ADMIN --seccomp default --nnp; run /bin/probe"
	assert_success
	assert_line 'clone_newuser_newnet ok'
	refute_line 'clone3 ENOSYS'
	assert_line 'tiocsti ok'
}

@test "--mask docker: masked paths are empty, read-only paths refuse an open for writing" {
	# Only the paths this kernel has (no CONFIG_PROC_KCORE: no /proc/kcore).
	local m n=0
	for m in /proc/keys /proc/timer_list /proc/interrupts /proc/kcore /proc/sched_debug; do
		[ -e "$m" ] || continue
		n=$((n + 1))
		[ "$(wc -c <"$m")" -gt 0 ] || [ "$m" = /proc/kcore ] || [ "$m" = /proc/keys ] || fail "$m is empty on the host too"
		run nslab -c "box new d1 $DOCKER; run wc -c $m"
		assert_success
		assert_line --regexp "^0 $m"
	done
	[ "$n" -ge 2 ] || fail "too few masked paths on this kernel to test"
	# ': >' opens for writing and writes nothing: no host file changes even
	# if the mask were missing.
	for f in /proc/sys/kernel/core_pattern /proc/sys/vm/drop_caches /proc/sysrq-trigger; do
		[ -e "$f" ] || continue
		run nslab -c "box new d1 $DOCKER; run sh -c ': > $f'"
		assert_output --partial 'Read-only file system'
	done
	run nslab -c "box new d1 $DOCKER; run grep -E ' /proc/sys ' /proc/self/mountinfo"
	assert_output --regexp ' /proc/sys ro,'
}

@test "without --mask the holes are there: /proc/sys opens for writing, /proc/keys has the host's keys" {
	run nslab -c "box new d1 --ns mnt,uts,ipc,pid,net --caps docker --seccomp default --nnp; run sh -c ': > /proc/sys/vm/drop_caches && echo opened'"
	assert_output --partial 'opened'
	run nslab -c "box new d1 --ns mnt,uts,ipc,pid,net --caps docker --nnp --mask docker --dry-run"
	assert_output --partial '/proc/kcore'
	run nslab -c 'box new d1 --ns uts --mask docker'
	assert_failure
	assert_output --partial 'mnt'
}

@test "whoami lists the masks, and its Docker comparison holds" {
	run nslab -c "box new d1 $DOCKER; whoami"
	assert_success
	assert_output --regexp 'masked +[1-9][0-9]* of Docker.s 12 paths'
	assert_output --partial '/proc/keys'
	assert_output --regexp 'read-only +[1-9] of Docker.s 5: .*/proc/sys'
	assert_output --partial 'exactly Docker'
	assert_output --regexp 'LSM .*modules: .*capability'
	run nslab -c "box new d1 --ns mnt,pid; whoami"
	assert_output --partial 'none masked'
}

@test "seccomp diff: what two profiles decide differently, names and decisions" {
	cat >"$BATS_TEST_TMPDIR/loose.json" <<'JSON'
{ "defaultAction": "SCMP_ACT_ERRNO",
  "archMap": [ { "architecture": "SCMP_ARCH_X86_64", "subArchitectures": ["SCMP_ARCH_X86"] } ],
  "syscalls": [ { "names": ["read", "write", "io_uring_setup", "unshare"], "action": "SCMP_ACT_ALLOW" } ] }
JSON
	run nslab -c "seccomp diff default $BATS_TEST_TMPDIR/loose.json"
	assert_success
	assert_output --regexp 'io_uring_setup +default: EPERM'
	assert_output --regexp "unshare +default: EPERM"
	assert_output --partial 'loose.json: allow'
	refute_output --regexp '^  read '
	assert_output --regexp '[0-9]+ system calls decided differently'
	run nslab -c 'seccomp diff default default'
	assert_output --partial '0 system calls decided differently'
	run nslab -c "seccomp diff default $BATS_TEST_TMPDIR/nope.json"
	assert_failure
}

@test "lab 17's table: each claim of the nslab column, asked of the kernel" {
	[ "$(uname -m)" = x86_64 ] || skip "the probe expectations are x86_64's"
	local box="box new c17 --rootfs $ROOT --ns all --hostname c17 --caps docker --seccomp default --nnp --mask docker"
	grep -qF -- "--ns all --hostname c17 --caps docker --seccomp default --nnp --mask docker" \
		"$REPO/labs/17-container-from-scratch/en.md" || fail "lab 17 makes another box than this test"
	run nslab -c "$box; whoami c17"
	assert_success
	assert_output --partial '8 of 8 new: mnt uts ipc pid net user cgroup time'
	assert_output --partial 'uid_map 0 0 1: root here is, on the host, uid 0'
	assert_output --partial "effective: 14, exactly Docker's default set"
	assert_output --regexp 'masked +[1-9]'
	assert_output --regexp 'read-only +[1-9].*/proc/sys'
	assert_output --partial 'no_new_privs   on'
	if ! grep -qs -e apparmor -e selinux /sys/kernel/security/lsm; then
		assert_output --partial 'no AppArmor or SELinux label'
	else
		assert_output --regexp 'LSM .*(unconfined|_t)'
	fi
	run nslab -c 'seccomp profile default'
	assert_output --partial 'default EPERM'
	# The seccomp row: the same decisions as Docker's for every probed call.
	run nslab -c "$box; run /bin/probe"
	assert_success
	while read -r call want; do
		got=$(printf '%s\n' "$output" | awk -v c="$call" '$1 == c { print $2 }')
		[ "$got" = "$want" ] || fail "$call: got '$got', want '$want'"
	done <<<"$DOCKER_EXPECT
$NSLAB_STRICTER"
}
