#!/usr/bin/env bats
# Capabilities, seccomp, no_new_privs, overlay layers, lab 18's confined
# attacks, LSM: each test asks the kernel (through a box) what happened.
load helper

# The ASan binary lives in build/asan: point it at the source tree's profiles.
export NSLAB_DATADIR="$REPO"

setup() {
	need_root
	[ -x "$REPO/rootfs/busybox/bin/sh" ] || fail "no rootfs: make check builds it (make rootfs)"
}

teardown() {
	assert_no_leftovers
}

@test "caps: a box with --caps docker has Docker's 14, and whoami says so" {
	run nslab -c 'box new b1 --caps docker; caps; whoami'
	assert_success
	assert_output --partial 'effective    14'
	assert_output --partial 'exactly Docker'
	refute_output --partial 'cap_sys_admin cap'
	# The kernel's own word, from a process in the box.
	run nslab -c 'box new b1 --caps docker; run grep CapBnd /proc/self/status'
	assert_output --partial '00000000a80425fb'
}

@test "caps drop CAP_SYS_ADMIN: a mount in the box then fails with EPERM" {
	run nslab -c 'box new b1; run mount -t tmpfs x /mnt'
	assert_success
	run nslab -c 'box new b1; caps drop CAP_SYS_ADMIN; run mount -t tmpfs x /mnt'
	assert_failure
	# busybox mount reports EPERM as "permission denied".
	assert_output --partial 'mount: permission denied'
	run nslab -c 'box new b1; caps drop sys_admin; pred caps b1 lacks CAP_SYS_ADMIN; pred caps b1 has CAP_CHOWN'
	assert_success
}

@test "caps: unknown capability is a usage error" {
	# Words are checked before the current box is looked for.
	run nslab -c 'caps drop CAP_FROBNICATE'
	assert_equal "$status" 2
	run nslab -c 'seccomp deny not_a_syscall'
	assert_equal "$status" 2
	assert_output --partial "'not_a_syscall' is not a system call"
	run nslab -c 'box new b1 --caps chown,bogus'
	assert_equal "$status" 2
	assert_output --partial "'bogus' is not a capability"
}

@test "seccomp deny: the denied call fails with the chosen errno" {
	run nslab -c 'box new b1 --ns mnt,uts,pid; seccomp deny sethostname; run hostname x1'
	assert_failure
	assert_output --partial 'Operation not permitted'
	run nslab -c 'box new b1 --ns mnt,uts,pid; seccomp deny sethostname --errno ENOSYS; run hostname x1'
	assert_failure
	assert_output --partial 'Function not implemented'
	run nslab -c 'box new b1 --ns mnt,uts,pid; seccomp deny sethostname --errno EACCES; run hostname x1'
	assert_output --partial 'Permission denied'
	# A call not denied still works: the filter's default is allow.
	run nslab -c 'box new b1 --ns mnt,uts,pid; seccomp deny sethostname; run uname -s'
	assert_success
	assert_output --partial 'Linux'
}

@test "seccomp deny --kill: the process dies of SIGSYS" {
	run nslab -c 'box new b1; seccomp deny uname --kill; run uname'
	assert_equal "$status" 159
	assert_output --partial 'SIGSYS'
	run nslab -c 'box new b1; seccomp deny uname --kill; seccomp b1'
	assert_output --partial 'Seccomp          2'
	assert_output --partial 'uname -> kill'
}

@test "seccomp default profile: unshare fails without CAP_SYS_ADMIN, filter mode 2, filters stack" {
	run nslab -c 'box new b1 --caps docker --seccomp default; run unshare -U true'
	assert_failure
	assert_output --partial 'Operation not permitted'
	# As in Docker, a box that keeps CAP_SYS_ADMIN gets unshare back.
	run nslab -c 'box new b1 --seccomp default; run unshare -U true'
	assert_success
	# Docker's caps: the profile's filter and the TIOCSTI one; seccomp deny stacks a third.
	run nslab -c 'box new b1 --caps docker --seccomp default; pred seccomp b1 mode 2; pred seccomp b1 filters == 2; seccomp deny uname; pred seccomp b1 filters == 3'
	assert_success
	run nslab -c 'box new b1 --seccomp default; pred seccomp b1 filters == 1'
	assert_success
	run nslab -c 'box new b1 --seccomp /nonexistent/profile'
	assert_failure
	run nslab -c 'seccomp profile default'
	assert_success
	assert_output --partial 'default EPERM'
	assert_output --partial 'clone3 -> ENOSYS'
	assert_output --partial 'socket(a0 != 0x28) -> allow'
	# Any moby-format file: errors name the entry.
	printf '{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["uname"],"action":"SCMP_ACT_BOGUS"}]}' >"$BATS_TEST_TMPDIR/bad.json"
	run nslab -c "box new b1 --seccomp $BATS_TEST_TMPDIR/bad.json"
	assert_failure
	assert_output --partial 'syscalls[0]'
	printf '{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["sethostname"],"action":"SCMP_ACT_ERRNO","errnoRet":38}]}' >"$BATS_TEST_TMPDIR/uname.json"
	run nslab -c "box new b1 --ns mnt,uts,pid --seccomp $BATS_TEST_TMPDIR/uname.json; run hostname x1"
	assert_failure
	assert_output --partial 'not implemented'
}

@test "confinement order: without --nnp the filter goes in before CAP_SYS_ADMIN goes" {
	# Loading a filter needs CAP_SYS_ADMIN or no_new_privs (else EACCES):
	# nslab loads it before dropping the capability.
	run nslab -c 'box new b1; caps drop sys_admin; seccomp deny uname; explain on; run true'
	assert_success
	assert_output --regexp 'seccomp\(SECCOMP_SET_MODE_FILTER.*= 0'
	assert_output --partial 'capset()'
	# With --nnp, everything can be dropped and the filter still loads.
	run nslab -c 'box new b1 --caps none --seccomp default --nnp; run true; pred nnp b1 on; pred caps b1 lacks CAP_CHOWN'
	assert_success
}

@test "no_new_privs: the setuid helper becomes root without it, not with it" {
	[ -u "$REPO/rootfs/busybox/bin/nslab-suid" ] || fail "no setuid helper in the rootfs: make rootfs builds it with gcc -static (a declared dependency)"
	run nslab -c 'box new b1; run nslab-suid --as 1000'
	assert_success
	assert_output --partial 'real uid 1000, effective uid 0'
	assert_output --partial 'it says: only root'
	run nslab -c 'box new b1 --nnp; run nslab-suid --as 1000'
	assert_failure
	assert_output --partial 'real uid 1000, effective uid 1000'
	assert_output --partial 'NoNewPrivs 1'
	assert_output --partial 'Permission denied'
}

@test "no_new_privs: setuid bits survive the shifted copy of a --uid-map box" {
	[ -u "$REPO/rootfs/busybox/bin/nslab-suid" ] || fail "no setuid helper in the rootfs: make rootfs builds it"
	run nslab -c 'box new b1 --ns user,mnt,pid --uid-map 0:100000:65536; run nslab-suid --as 1000'
	assert_success
	assert_output --partial 'effective uid 0'
}

@test "overlay: a write in the box lands in upper only; rm leaves a whiteout" {
	before=$(sha256sum "$REPO/rootfs/busybox/etc/passwd")
	run nslab -c 'box new b1; run sh -c "echo hi > /etc/motd; echo x >> /etc/passwd; rm /etc/hostname"; layers; pred upper b1 /etc/motd new; pred upper b1 /etc/passwd copied; pred upper b1 /etc/hostname whiteout'
	assert_success
	assert_output --partial 'whiteout (char device 0:0)'
	assert_output --regexp "upperdir=$NSLAB_RUNDIR/[0-9]+/boxes/b1/upper"
	# The lower layer (the rootfs) is untouched.
	assert_equal "$(sha256sum "$REPO/rootfs/busybox/etc/passwd")" "$before"
	[ ! -e "$REPO/rootfs/busybox/etc/motd" ]
	[ -e "$REPO/rootfs/busybox/etc/hostname" ]
}

@test "lab 18: the release_agent escape reaches only the throwaway host; the real host's canary is unchanged" {
	canary_before=$(cat /canary 2>/dev/null || echo ABSENT)
	real=$(mktemp /tmp/nslab-canary.XXXXXX)
	echo "real host canary" > "$real"
	run nslab -c 'box new host18 --ns mnt,pid,uts,ipc; run nslab-lab18 escape-setup; run nslab-lab18 escape; run cat /canary'
	assert_success
	assert_output --partial 'ESCAPED'
	assert_equal "$(cat /canary 2>/dev/null || echo ABSENT)" "$canary_before"
	assert_equal "$(cat "$real")" "real host canary"
	rm -f "$real"
}

@test "lab 18: a privileged box may mount a cgroup v1 hierarchy; the defaults stop it" {
	grep -qw cgroup /proc/filesystems || skip "no cgroup v1 file system in this kernel"
	run nslab -c 'box new priv --ns mnt,pid,uts,ipc; run sh -c "mkdir -p /tmp/cg && mount -t cgroup -o none,name=nslab18 nslab18 /tmp/cg && echo MOUNTED"'
	assert_success
	assert_output --partial 'MOUNTED'
	run nslab -c 'box new safe --ns all --caps docker --seccomp default --nnp; run sh -c "mkdir -p /tmp/cg && mount -t cgroup -o none,name=nslab18 nslab18 /tmp/cg"'
	assert_failure
	assert_output --partial 'permission denied'
	# Nothing of it is left in the host's mount table.
	run grep -c 'name=nslab18' /proc/self/mountinfo
	assert_output 0
}

@test "lab 18: the fake docker.sock gives an ordinary user root" {
	run nslab -c 'box new d1; run nslab-lab18 sockd; run su learner -c "cat /etc/nslab-secret"; run su learner -c "nslab-lab18 docker cat /etc/nslab-secret"'
	assert_output --partial "can't open '/etc/nslab-secret': Permission denied"
	assert_output --partial 'daemon (uid 0)'
	assert_output --partial 'only root (the file'"'"'s owner) may read this'
}

@test "LSM: detected and explained; AppArmor confinement where it is active" {
	run nslab -c 'lsm'
	assert_success
	if ! grep -qs Y /sys/module/apparmor/parameters/enabled; then
		assert_output --partial 'No AppArmor or SELinux'
		run nslab -c 'box new b1 --apparmor nslab-box'
		assert_failure
		assert_output --partial 'AppArmor is not active'
		skip "no AppArmor on this kernel: the confinement half runs on Ubuntu VMs"
	fi
	command -v apparmor_parser >/dev/null || skip "apparmor_parser is not installed"
	run nslab -c 'lsm load; box new b1 --apparmor nslab-box; run sh -c "echo x > /etc/motd"; pred lsm b1 confined'
	assert_output --partial 'Permission denied'
	assert_success
}

@test "whoami of a box: namespaces, capabilities, seccomp, nnp, LSM, cgroup" {
	run nslab -c 'box new b1 --ns all --caps docker --seccomp default --nnp; whoami'
	assert_success
	assert_output --partial '8 of 8 new'
	assert_output --partial 'uid_map 0'
	assert_output --partial 'filters: 2'
	assert_output --partial 'no_new_privs   on'
	assert_output --regexp 'LSM +'
	assert_output --regexp 'cgroup +'
}

@test "whoami in Korean: values start in one column (labels padded by display width)" {
	run "$NSLAB" --lang ko -c whoami
	assert_success
	# Korean letters are two columns wide and three bytes: padding by bytes
	# (printf %-14s) would push every Korean label's value left.
	echo "$output" | python3 -c '
import sys, unicodedata
def width(s):
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)
bad = seen = 0
for line in sys.stdin.read().splitlines()[1:]:
    if not line.startswith("  "):
        continue
    seen += 1
    label_end = len(line) - len(line[2:].lstrip(" ")) if line[2] == " " else line.index(" ", 2)
    i = label_end
    while i < len(line) and line[i] == " ":
        i += 1
    if width(line[:i]) != 17:
        print("value at column", width(line[:i]), ":", line); bad += 1
# namespaces, user, capabilities, seccomp, no_new_privs, LSM, cgroup at least
if seen < 7:
    print("only", seen, "label lines in whoami"); bad += 1
sys.exit(1 if bad else 0)'
}

@test "Landlock: a box program under a ruleset gets EACCES writing outside /tmp, even as root with every capability" {
	nslab -c lsm | grep -q '^  Landlock ' || skip "Landlock is not active on this kernel"
	run nslab -c 'box new l19 --ns mnt,pid; lsm landlock sh -c "echo hi > /tmp/ok && cat /tmp/ok; echo x > /etc/nslab-landlock"; pred last output contains "Permission denied"; run ls /etc/nslab-landlock; run cat /tmp/ok; lsm landlock rm /bin/ls; run ls /bin/ls'
	assert_success
	assert_output --partial 'Landlock ABI'
	assert_output --partial "can't create /etc/nslab-landlock: Permission denied"
	assert_output --partial 'holds'
	assert_output --partial 'ls: /etc/nslab-landlock: No such file or directory'
	assert_output --partial "rm: can't remove '/bin/ls': Permission denied"
	assert_line '/bin/ls'
	# Without the ruleset the same root writes /etc (the box's overlay copy).
	run nslab -c 'box new l19 --ns mnt,pid; run sh -c "echo x > /etc/nslab-landlock && echo wrote"'
	assert_output --partial 'wrote'
}

@test "lsm, whoami and doctor list the kernel's real modules (securityfs read in a private mount namespace)" {
	run nslab -c lsm
	assert_success
	assert_output --regexp 'modules +[a-z,]*capability'
	refute_output --partial 'unknown: securityfs not mounted'
	run nslab -c 'doctor'
	assert_output --regexp 'LSM .*capability'
	# The host's mounts are untouched: securityfs was mounted only in a child's namespace.
	if ! grep -q ' /sys/kernel/security ' /proc/1/mountinfo 2>/dev/null &&
		! grep -q ' /sys/kernel/security ' /proc/self/mountinfo; then
		run grep -c ' /sys/kernel/security ' /proc/self/mountinfo
		assert_output 0
	fi
}

@test "AppArmor: a signal from the unconfined shell reaches a box confined by nslab-box" {
	[ -d /sys/kernel/security/apparmor ] || skip "AppArmor is not active here (the classroom VMs have it; tests/vm/apparmor-guest.sh is written for the v2 VM stage, which does not boot AppArmor yet)"
	command -v apparmor_parser >/dev/null || skip "apparmor_parser is not installed"
	nslab -c 'lsm load'
	nslab_start
	nslab_send 'box new aa --apparmor nslab-box'
	nslab_send 'run sleep 30' &
	local i p pid=
	for i in $(seq 1 50); do
		for p in $(pgrep -x sleep); do
			grep -qs nslab-box "/proc/$p/attr/current" && pid=$p
		done
		[ -n "$pid" ] && break
		sleep 0.1
	done
	[ -n "$pid" ] || fail "the confined sleep did not start"
	run cat "/proc/$pid/attr/current"
	assert_output --partial 'nslab-box'
	# The shell (unconfined) sends SIGTERM; the profile must let it be received.
	kill -TERM "$pid"
	for i in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
	run kill -0 "$pid"
	assert_failure
	nslab_stop
}
