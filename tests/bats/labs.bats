#!/usr/bin/env bats
# Guided labs against the real kernel: every lab loads in both languages; every
# lab is walked step by step with the commands of its nslab blocks, each
# checked step first failing on a wrong attempt (with what the check saw),
# then passing; progress survives a restart; reset leaves nothing behind; the
# chroot escape of lab 01 stays inside its box.
load helper

export NSLAB_DATADIR="$REPO"

setup() {
	NSL_PID=
	CANARY=
}

teardown() {
	nsl_stop
	rootless_stop
	[ -z "$CANARY" ] || rm -f "$CANARY"
}

# ---------------- driving one nslab through a FIFO ----------------
# Commands go in one at a time; after each, `echo @@sync-N` tells us it ended.

nsl_start() {
	NSL_IN="$BATS_TEST_TMPDIR/nsl.in"
	NSL_OUT="$BATS_TEST_TMPDIR/nsl.out"
	rm -f "$NSL_IN"
	mkfifo "$NSL_IN"
	: >"$NSL_OUT"
	"$NSLAB" --lang "${1:-en}" <"$NSL_IN" >"$NSL_OUT" 2>&1 &
	NSL_PID=$!
	exec {NSL_FD}>"$NSL_IN"
	NSL_N=0
}

nsl_stop() {
	[ -n "$NSL_PID" ] || return 0
	printf 'exit\n' >&"$NSL_FD" 2>/dev/null || true
	exec {NSL_FD}>&-
	local st=0
	wait "$NSL_PID" || st=$?
	NSL_PID=
	# 99: AddressSanitizer found a leak or an error.
	[ "$st" -ne 99 ] || { cat "$NSL_OUT"; fail "nslab ended with ASan status 99"; }
}

# nsl CMD: run one command; its output is in $out.
nsl() {
	local start
	start=$(stat -c %s "$NSL_OUT")
	NSL_N=$((NSL_N + 1))
	printf '%s\necho @@sync-%d\n' "$1" "$NSL_N" >&"$NSL_FD"
	local i
	for ((i = 0; i < 1200; i++)); do
		grep -q "^@@sync-$NSL_N\$" "$NSL_OUT" && break
		kill -0 "$NSL_PID" 2>/dev/null || { cat "$NSL_OUT"; fail "nslab died during: $1"; }
		sleep 0.05
	done
	((i < 1200)) || { cat "$NSL_OUT"; fail "timeout during: $1"; }
	out=$(tail -c +"$((start + 1))" "$NSL_OUT" | sed "/^@@sync-$NSL_N\$/,\$d")
}

# ---------------- reading a lab file ----------------

lab_file() { echo "$REPO"/labs/"$1"-*/"$2".md; }

# Step ids, in order.
lab_steps() { sed -n 's/^## .*{#\([a-z0-9-]*\)} *$/\1/p' "$1"; }

# The nslab lines of step $2.
lab_cmds() {
	awk -v want="$2" '
		/^## .*\{#[a-z0-9-]+\} *$/ { id = $0; sub(/.*\{#/, "", id); sub(/\}.*/, "", id); next }
		/^```nslab *$/ && id == want { inb = 1; next }
		/^```/ { inb = 0; next }
		inb && NF { print }' "$1"
}

lab_has_check() {
	awk -v want="$2" '
		/^## .*\{#[a-z0-9-]+\} *$/ { id = $0; sub(/.*\{#/, "", id); sub(/\}.*/, "", id); next }
		/^```check *$/ && id == want { found = 1 }
		END { exit !found }' "$1"
}

# The host PID of a `sleep 600` inside a box of our nslab (lab 05).
sleep_host_pid() {
	local p
	for p in /proc/[0-9]*; do
		[ "$(cat "$p/comm" 2>/dev/null)" = sleep ] || continue
		tr '\0' ' ' <"$p/cmdline" 2>/dev/null | grep -q '^sleep 600 ' || continue
		local ppid
		ppid=$(awk '/^PPid:/ { print $2 }' "$p/status")
		[ "$(cat "/proc/$ppid/comm" 2>/dev/null)" = nslab-init ] || continue
		[ "$(awk '/^PPid:/ { print $2 }' "/proc/$ppid/status")" = "$NSL_PID" ] || continue
		basename "$p"
		return 0
	done
	return 1
}

# ---------------- wrong attempts: one per checked step ----------------
# WRONG[NN/id] runs before the step's own commands and must leave its check
# failing; UNDO[NN/id] puts things back when the wrong attempt made something.
declare -gA WRONG UNDO
WRONG[00/explain]='explain off'
WRONG[00/first-box]='box ls'
WRONG[00/fork-exec]="run sh -c 'exit 3'"
WRONG[00/system-files]='run cat /proc/uptime'
WRONG[00/hardware]='run grep -c processor /proc/cpuinfo'
WRONG[00/per-process]='run readlink /proc/self/exe'
WRONG[00/tree]='run true'
WRONG[01/box]='box new jail1 --ns pid'
UNDO[01/box]='box rm jail1'
WRONG[01/jail]='run mkdir -p /jail/bin'
WRONG[01/inside]='run cat /etc/nslab-rootfs'
WRONG[01/prepare]='run mkdir -p /jail/sub/bin'
WRONG[01/escape]='run chroot /jail /bin/cat /etc/nslab-rootfs'
WRONG[02/box]='box new piv --ns pid'
UNDO[02/box]='box rm piv'
WRONG[02/mount-ns]='run mkdir -p /mnt/scratch'
WRONG[02/propagation]='run ls /'
WRONG[02/jail]='run mkdir -p /jail/bin'
WRONG[02/escape-fails]='run chroot /jail /bin/nsenter -r/sub -w/ /bin/busybox chroot ../../../../.. /bin/cat /etc/nslab-rootfs'
WRONG[03/box]='box new u1 --ns mnt,pid'
UNDO[03/box]='box rm u1'
WRONG[03/rename]='run hostname'
WRONG[03/second]='box new u2 --ns uts,mnt,pid'
UNDO[03/second]='box rm u2'
WRONG[03/shared]='box new u3 --ns uts,mnt,pid'
UNDO[03/shared]='box rm u3'
WRONG[04/box]='box new i1 --ns mnt,pid'
UNDO[04/box]='box rm i1'
WRONG[04/shm]='ipc i1'
WRONG[04/other]='box ls'
WRONG[04/mqueue]='use i1; run mkdir -p /dev/mqueue; run touch /dev/mqueue/jobs'
WRONG[04/pod]="use i1; run unshare -u -f sh -c 'hostname sidecar; hostname'"
WRONG[04/host-ipc]='box new i3 --ns ipc,mnt,pid'
UNDO[04/host-ipc]='box rm i3'
WRONG[05/box]='box new p5 --ns mnt'
UNDO[05/box]='box rm p5'
WRONG[05/pid-one]='run ls /'
WRONG[05/orphan]='run true'
WRONG[05/kill-host]='tree p5'
WRONG[05/pid1-exit]='tree p5'
WRONG[06/only-lo]='box new n1 --ns mnt,pid'
UNDO[06/only-lo]='box rm n1'
WRONG[06/lo-up]='run true'
WRONG[06/veth]='net ls'
WRONG[06/bridge]='box ls'
WRONG[06/ports]='run true'
WRONG[06/talk]='run echo nothing-yet'
WRONG[07/root-inside]='box new u1 --ns mnt,pid'
UNDO[07/root-inside]='box rm u1'
WRONG[07/files]='run true'
WRONG[07/caps]='run hostname'
WRONG[07/not-host]='box ls'
WRONG[07/setgroups]='proc u1 setgroups'
WRONG[07/rootless]='box ls'
WRONG[08/shared]='box new c0 --ns cgroup,mnt,pid'
UNDO[08/shared]='box rm c0'
WRONG[08/own]='box new c1 --ns mnt,pid'
UNDO[08/own]='box rm c1'
WRONG[08/mount]='use c1; run mkdir -p /sys/fs/cgroup'
WRONG[09/offset]='box new t1 --ns mnt,pid'
UNDO[09/offset]='box rm t1'
WRONG[09/fixed]='timens t1'

# ---------------- hooks: what a step asks of a second terminal ----------------
# hook_NN_id runs (in the test's shell) after the wrong attempt, before the
# step's own commands.

# Lab 07 asks for a rootless box, made by a normal user in another terminal:
# a throwaway user (deleted in teardown) runs its own nslab with one box.
hook_07_rootless() {
	RL_USER="nslabtest$$"
	useradd -M -s /bin/sh "$RL_USER" || fail "useradd $RL_USER failed"
	runuser -u "$RL_USER" -- unshare -U true 2>/dev/null ||
		skip "the kernel does not allow unprivileged user namespaces"
	RL_TMP=$(mktemp -d /tmp/nslab-rootless.XXXXXX)
	chmod 755 "$RL_TMP"
	chown "$RL_USER" "$RL_TMP"
	mkfifo "$RL_TMP/in"
	chown "$RL_USER" "$RL_TMP/in"
	runuser -u "$RL_USER" -- env XDG_RUNTIME_DIR="$RL_TMP" NSLAB_STATE_DIR="$RL_TMP/state" \
		"$NSLAB" --lang en <"$RL_TMP/in" >"$RL_TMP/out" 2>&1 3>&- &
	RL_PID=$!
	exec {RL_FD}>"$RL_TMP/in"
	printf 'box new r1 --ns user,mnt,uts,pid\necho @@rl-ready\n' >&"$RL_FD"
	local i
	for ((i = 0; i < 200; i++)); do
		grep -q '^@@rl-ready$' "$RL_TMP/out" && return 0
		sleep 0.05
	done
	cat "$RL_TMP/out"
	fail "the rootless nslab did not make its box"
}

rootless_stop() {
	[ -n "${RL_PID:-}" ] || return 0
	exec {RL_FD}>&-
	wait "$RL_PID" 2>/dev/null || true
	RL_PID=
	userdel "$RL_USER" 2>/dev/null || true
	rm -rf "$RL_TMP"
}
WRONG[13/box]='box ls'
WRONG[13/five-sets]='run true'
WRONG[13/drop]='run mount -t tmpfs none /mnt'
WRONG[13/net-raw]='run true'
WRONG[13/docker]='box new d13 --caps none'
UNDO[13/docker]='box rm d13'
WRONG[14/box]='box ls'
WRONG[14/deny]='run hostname nslab14'
WRONG[14/errno]='run hostname nslab14'
WRONG[14/kill]='run uname'
WRONG[14/profile]='box new d14'
UNDO[14/profile]='box rm d14'
WRONG[14/stack]='seccomp d14'
WRONG[15/box]='box ls'
WRONG[15/setuid]="run su learner -c 'cat /etc/nslab-secret'"
WRONG[15/nnp]='box new n15b'
UNDO[15/nnp]='box rm n15b'
WRONG[15/seccomp]='box new n15c --nnp'
UNDO[15/seccomp]='box rm n15c'
WRONG[16/box]='box new o16 --copy'
UNDO[16/box]='box rm o16'
WRONG[16/copy-up]='run cat /etc/os-release'
WRONG[16/lower]='run cat /etc/os-release'
WRONG[16/whiteout]='use o16; run ls /etc'
WRONG[16/opaque]='use o16; run ls /home'
WRONG[17/build]='box new c17 --ns all'
UNDO[17/build]='box rm c17'
WRONG[17/attempts]='run true'
WRONG[18/socket]="run su learner -c 'cat /etc/nslab-secret'"
WRONG[18/privileged]='run ls /tmp'
WRONG[18/escape]='run cat /canary'
WRONG[18/defaults]='box new safe18 --ns mnt,pid'
UNDO[18/defaults]='box rm safe18'
WRONG[19/landlock]='box ls'
WRONG[19/label]='box ls'
WRONG[19/profile]='box ls'
WRONG[19/root-refused]='use l19; run mount -t tmpfs none /mnt'
WRONG[10/make-cgroup]='cg ls'
WRONG[10/set-limit]='cg set demo memory.max 32M'
WRONG[10/box-limit]='box new m10'
UNDO[10/box-limit]='box rm m10'
WRONG[10/usage]='run true'
WRONG[10/oom]='run true'
WRONG[10/kernel-log]='run true'
WRONG[11/box]='box new f11 --pids 50'
UNDO[11/box]='box rm f11'
WRONG[11/count]='cg stat f11'
WRONG[11/limit-hit]='cg stat f11'
WRONG[11/bomb]='cg stat f11'
WRONG[11/host]='proc 1 status'
WRONG[11/stop]='box ls'
# Run again before a check is tried again (see walk).
declare -gA AGAIN
AGAIN[06/talk]='use w1; run cat /tmp/got'
WRONG[12/box]='box new c12 --cpu 50%'
UNDO[12/box]='box rm c12'
WRONG[12/burn]='cg stat c12'
WRONG[12/unlimited]='run true'
WRONG[12/two-cpus]='run true'

# Is less than two CPUs' worth free (1-minute load above nproc - 2)?
cpus_taken() {
	awk -v n="$(nproc)" '{ exit !($1 > n - 2) }' /proc/loadavg
}

# Walk lab $1 in language $2: wrong attempt, check fails; commands, check holds.
walk() {
	local num=$1 lang=$2 file forced=0
	file=$(lab_file "$num" "$lang")
	[ -f "$file" ] || fail "no $file"
	nsl_start "$lang"
	nsl "lab $num"
	[[ "$out" == *"$num ·"* ]] || fail "lab $num did not start: $out"
	local ids id n=0 total
	mapfile -t ids < <(lab_steps "$file")
	total=${#ids[@]}
	for id in "${ids[@]}"; do
		n=$((n + 1))
		if lab_has_check "$file" "$id"; then
			local w=${WRONG[$num/$id]:-}
			[ -n "$w" ] || fail "lab $num step $id: no wrong attempt defined in labs.bats"
			nsl "$w"
			nsl check
			if [[ "$out" != *"✗"* ]]; then
				fail "lab $num ($lang) step $id: the wrong attempt '$w' passed: $out"
			fi
			[[ "$out" == *"saw:"* || "$out" == *"본 것:"* ]] ||
				fail "lab $num ($lang) step $id: no 'saw' message: $out"
			[ -z "${UNDO[$num/$id]:-}" ] || nsl "${UNDO[$num/$id]}"
		fi
		if declare -F "hook_${num}_${id//-/_}" >/dev/null; then
			"hook_${num}_${id//-/_}"
		fi
		local cmd
		while IFS= read -r cmd; do
			if [[ "$cmd" == *HOST-PID-OF-SLEEP* ]]; then
				local sp
				sp=$(sleep_host_pid) || fail "lab $num step $id: no sleep found"
				cmd=${cmd//HOST-PID-OF-SLEEP/$sp}
			fi
			nsl "$cmd"
		done < <(lab_cmds "$file" "$id")
		if lab_has_check "$file" "$id"; then
			# Some effects come at the kernel's pace (a fork bomb's refused
			# forks pile up): like a learner, check again for a while. The
			# v2 stage runs in qemu without KVM, several times slower.
			local try
			for try in $(seq 1 20); do
				# A learner looks again (the listener writes when it gets
				# round to it, later on a busy machine).
				[ "$try" = 1 ] || [ -z "${AGAIN[$num/$id]:-}" ] || nsl "${AGAIN[$num/$id]}"
				nsl check
				[[ "$out" == *"✗"* ]] || break
				sleep 0.5
			done
			if [[ "$out" == *"✗"* ]] && [ "$num/$id" = 12/two-cpus ] && cpus_taken; then
				# Two loops reach 150% only with two CPUs free: with the
				# v2 VM (or anything else) busy on one, they are not
				# throttled, as the lab's hint says. The limit itself must
				# still hold; the learner's way on is next --force.
				[[ "$out" == *"✓ cgroup c12 cpu.max == 150%"* ]] ||
					fail "lab $num ($lang) step $id: check failed: $out"
				echo "# lab 12 two-cpus: machine busy ($(cut -d' ' -f1 /proc/loadavg)), not throttled; next --force" >&3
				forced=$((forced + 1))
				nsl 'next --force'
				continue
			fi
			[[ "$out" != *"✗"* ]] || fail "lab $num ($lang) step $id: check failed: $out"
		fi
		if [ "$n" -lt "$total" ]; then
			nsl next
		fi
	done
	nsl progress
	local want=$((total - forced))
	[[ "$out" == *" $want/$total "* ]] || fail "lab $num ($lang): not all steps done: $out"
	nsl reset
	nsl 'box ls'
	[[ "$out" == *"no boxes"* || "$out" == *"박스가 없습니다"* ]] || fail "reset left boxes: $out"
	nsl_stop
	assert_no_leftovers
}

# ---------------- the tests ----------------

@test "every lab loads in English and Korean, with the same steps" {
	need_root
	local d
	for d in "$REPO"/labs/[0-9][0-9]-*/; do
		local num=${d%/}
		num=${num##*/}
		num=${num:0:2}
		for lang in en ko; do
			run "$NSLAB" --lang "$lang" -c "lab $num"
			# A lab whose needs this machine lacks (19 without an LSM) was
			# still parsed: its needs come from its lab block.
			if [[ "$output" == *"lab $num cannot run here"* || "$output" == *"실습 $num"*"실행할 수 없"* ]]; then
				continue
			fi
			assert_success
			assert_output --partial "$num ·"
		done
		diff <(lab_steps "$d/en.md") <(lab_steps "$d/ko.md")
	done
}

@test "lab 00 walks in English" { need_root; walk 00 en; }
@test "lab 00 walks in Korean" { need_root; walk 00 ko; }
@test "lab 01 walks in English" { need_root; walk 01 en; }
@test "lab 01 walks in Korean" { need_root; walk 01 ko; }
@test "lab 02 walks in English" { need_root; walk 02 en; }
@test "lab 02 walks in Korean" { need_root; walk 02 ko; }
@test "lab 03 walks in English" { need_root; walk 03 en; }
@test "lab 03 walks in Korean" { need_root; walk 03 ko; }
@test "lab 04 walks in English" { need_root; walk 04 en; }
@test "lab 04 walks in Korean" { need_root; walk 04 ko; }
@test "lab 05 walks in English" { need_root; walk 05 en; }
@test "lab 05 walks in Korean" { need_root; walk 05 ko; }
@test "lab 06 walks in English" { need_root; walk 06 en; }
@test "lab 06 walks in Korean" { need_root; walk 06 ko; }
@test "lab 07 walks in English" { need_root; walk 07 en; }
@test "lab 07 walks in Korean" { need_root; walk 07 ko; }
@test "lab 08 walks in English" { need_root; walk 08 en; }
@test "lab 08 walks in Korean" { need_root; walk 08 ko; }
@test "lab 09 walks in English" { need_root; walk 09 en; }
@test "lab 09 walks in Korean" { need_root; walk 09 ko; }
@test "lab 13 walks in English" { need_root; walk 13 en; }
@test "lab 13 walks in Korean" { need_root; walk 13 ko; }
@test "lab 14 walks in English" { need_root; walk 14 en; }
@test "lab 14 walks in Korean" { need_root; walk 14 ko; }
@test "lab 15 walks in English" { need_root; walk 15 en; }
@test "lab 15 walks in Korean" { need_root; walk 15 ko; }
@test "lab 16 walks in English" { need_root; walk 16 en; }
@test "lab 16 walks in Korean" { need_root; walk 16 ko; }
@test "lab 17 walks in English" { need_root; walk 17 en; }
@test "lab 17 walks in Korean" { need_root; walk 17 ko; }
@test "lab 18 walks in English" { need_root; walk 18 en; }
@test "lab 18 walks in Korean" { need_root; walk 18 ko; }
@test "lab 19 walks in English (AppArmor)" {
	need_root
	grep -qs Y /sys/module/apparmor/parameters/enabled || skip "no AppArmor on this kernel: lab 19 runs on the Ubuntu classroom VMs"
	command -v apparmor_parser >/dev/null || skip "apparmor_parser is not installed"
	walk 19 en
}
@test "lab 19 says what it needs where no LSM is active" {
	need_root
	! grep -qs Y /sys/module/apparmor/parameters/enabled || skip "AppArmor is active here"
	[ ! -e /sys/fs/selinux/enforce ] || skip "SELinux is active here"
	run "$NSLAB" --lang en -c 'lab 19'
	assert_output --partial 'neither AppArmor nor SELinux'
}
@test "lab 10 walks in English" { need_root; walk 10 en; }
@test "lab 10 walks in Korean" { need_root; walk 10 ko; }
@test "lab 11 walks in English" { need_root; walk 11 en; }
@test "lab 11 walks in Korean" { need_root; walk 11 ko; }
@test "lab 12 walks in English" { need_root; walk 12 en; }
@test "lab 12 walks in Korean" { need_root; walk 12 ko; }

@test "lab 01: the chroot escape reaches the box's root, never the host's" {
	need_root
	CANARY="/nslab-canary-$$"
	echo "host canary" >"$CANARY"
	run nslab -c "box new jail1 --ns mnt,pid; run mkdir -p /jail/bin /jail/sub/bin;
		run cp /bin/busybox /jail/bin/; run cp /bin/busybox /jail/sub/bin/;
		run /bin/busybox --install -s /jail/bin;
		run chroot /jail /bin/nsenter -r/sub -w/ /bin/busybox chroot ../../../../.. /bin/sh -c 'cat /etc/nslab-rootfs; ls $CANARY; ls -d /jail'"
	# The escaped shell is in the box's root: the rootfs marker and /jail are there ...
	assert_output --partial "This file is inside the box's root file system."
	assert_output --partial "/jail"
	# ... and the host's / is not: the canary is invisible.
	assert_output --partial "$CANARY: No such file or directory"
	refute_output --partial "host canary"
	assert_no_leftovers
}

@test "progress survives a restart, and lab N resumes where it was" {
	need_root
	run nslab -c 'lab 03; box new u1 --ns uts,mnt,pid; next'
	assert_success
	assert_output --partial '✓ step 1/5 done'
	[ -f "$NSLAB_STATE_DIR/progress" ]
	run nslab -c 'labs'
	assert_output --regexp '1/5 +03 ·'
	run nslab -c 'lab 03'
	assert_output --partial 'resuming at step 2 of 5'
	assert_output --partial 'step 2/5'
	run nslab -c 'progress --export '"$BATS_TEST_TMPDIR/p.json"
	assert_success
	run python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); l=[x for x in d["labs"] if x["number"]==3][0]; print(l["steps_done"], l["steps"][0]["id"], l["steps"][0]["done"])' "$BATS_TEST_TMPDIR/p.json"
	assert_output '1 box True'
}

@test "hint reveals one more hint each time, and hints are counted" {
	need_root
	run nslab -c 'lab 05; hint; hint; hint'
	assert_output --partial 'Hint 1/1'
	assert_output --partial 'last hint'
	run grep -c '^step 05 box .* 1$' "$NSLAB_STATE_DIR/progress"
	assert_output 1
}

@test "check names the failing predicate and what it saw" {
	need_root
	run nslab -c 'lab 05; box new p5 --ns mnt; check'
	assert_failure
	assert_output --partial '✓ box p5 running'
	assert_output --partial '✗ ns p5 pid differs'
	assert_output --regexp 'saw: pid namespace of p5 is [0-9]+, the same as host'
}

@test "reset removes the lab's boxes and runs nothing else" {
	need_root
	run nslab -c 'box new keep --ns mnt; lab 04; box new i1 --ns ipc,mnt,pid; box new i2 --ns ipc,mnt,pid; reset; box ls'
	assert_success
	assert_output --partial 'box i1 removed'
	assert_output --partial 'box i2 removed'
	refute_output --partial 'box keep removed'
	assert_output --regexp 'keep +[0-9]+ +running'
	assert_no_leftovers
}

@test "a lab that needs what is missing says what and how" {
	need_root
	mkdir -p "$BATS_TEST_TMPDIR/data/labs/42-needs"
	printf '# 42 · t\n```lab\nneeds: root lsm ns:mnt\n```\n## s {#s}\ntext\n' \
		>"$BATS_TEST_TMPDIR/data/labs/42-needs/en.md"
	if grep -qE 'apparmor|selinux' /sys/kernel/security/lsm 2>/dev/null; then
		skip "this machine has an LSM: the need is met"
	fi
	NSLAB_DATADIR="$BATS_TEST_TMPDIR/data" run nslab -c 'lab 42'
	assert_failure
	assert_output --partial 'lab 42 cannot run here'
	assert_output --partial 'lsm: neither AppArmor nor SELinux'
}

@test "a malformed lab is reported with file and line" {
	mkdir -p "$BATS_TEST_TMPDIR/data/labs/43-bad"
	printf '# 43 · t\n```lab\nneeds: root\n```\n## s {#s}\n```check\nbox b1 flying\n```\n' \
		>"$BATS_TEST_TMPDIR/data/labs/43-bad/en.md"
	NSLAB_DATADIR="$BATS_TEST_TMPDIR/data" run nslab -c 'lab 43'
	assert_failure
	assert_output --partial '43-bad/en.md:7:'
	assert_output --partial 'exists, running, stopped or absent'
}

# ---------------- checks on kernel state: the shortcut fails, another way passes ----------------

# goto LAB ID: start lab LAB and move to step ID with next --force.
goto() {
	nsl "lab $1"
	local id
	while IFS= read -r id; do
		[ "$id" = "$2" ] && return 0
		nsl 'next --force'
	done < <(lab_steps "$(lab_file "$1" en)")
	fail "lab $1 has no step $2"
}

passes() { nsl check; [[ "$out" == *"holds"* ]] || fail "expected the step to hold: $out"; }
fails() { nsl check; [[ "$out" == *"✗"* ]] || fail "expected the step not to hold: $out"; }

@test "next on a step that does not hold says so and needs --force" {
	need_root
	nsl_start en
	nsl 'lab 03'
	nsl next
	[[ "$out" == *"does not hold yet"* && "$out" == *"next --force"* ]] || fail "next went on: $out"
	nsl step
	[[ "$out" == *"step 1/"* ]] || fail "next moved although refused: $out"
	nsl 'next --force'
	[[ "$out" == *"step 2/"* ]] || fail "next --force did not go on: $out"
	nsl 'next --bogus'
	[[ "$out" == *"only --force"* ]] || fail "a bad option was taken: $out"
	nsl_stop
}

@test "lab 00: any command that shows the kernel's version passes, a run of something else does not" {
	need_root
	nsl_start en
	goto 00 system-files
	nsl 'box new w0'
	nsl 'use w0'
	nsl 'run cat /proc/uptime'
	fails
	# Not the run the text shows: nslab's own reader of the host's file.
	nsl 'proc version'
	passes
	nsl_stop
}

@test "lab 01: a jail with only busybox and sh does not hold; what the escape needs does" {
	need_root
	nsl_start en
	nsl 'lab 01'
	nsl 'box new jail1 --ns mnt,pid'
	nsl next
	nsl 'run mkdir -p /jail/bin'
	nsl 'run cp /bin/busybox /jail/bin/'
	nsl 'run ln -s busybox /jail/bin/sh'
	fails
	[[ "$out" == *"/jail/bin/ls"* ]] || fail "the check did not name what is missing: $out"
	# Links made by hand, not by --install: the state is what counts.
	nsl "run sh -c 'for a in ls cat nsenter chroot; do ln -s busybox /jail/bin/\$a; done'"
	passes
	nsl_stop
}

@test "lab 02: propagation holds for a mount made another way; an echo of the word does not" {
	need_root
	nsl_start en
	goto 02 propagation
	nsl 'box new piv --ns mnt,pid'
	nsl 'use piv'
	nsl 'run echo scratch /mnt'
	fails
	# Not the tmpfs named scratch of the text: a bind mount, then reading
	# the table with grep instead of cat.
	nsl 'run mkdir -p /srv/x'
	nsl 'run mount --bind /srv/x /mnt'
	nsl "run grep /mnt /proc/self/mountinfo"
	passes
	nsl_stop
}

@test "lab 09: run false does not pass the frozen-offsets step; the refused write does" {
	need_root
	nsl_start en
	goto 09 fixed
	nsl 'box new t1 --ns time,mnt,pid --boottime-offset 864000'
	nsl 'run false'
	fails
	nsl 'timens t1 set monotonic 5'
	passes
	nsl_stop
}

@test "lab 16: the lower-layer step needs the cat, not only the second box" {
	need_root
	nsl_start en
	goto 16 lower
	nsl 'box new o16b'
	fails
	nsl 'run head -n 2 /etc/os-release'
	passes
	nsl_stop
}

@test "lab 12: the unlimited step counts the CPU of this step, not of the one before" {
	need_root
	nsl_start en
	goto 12 burn
	nsl 'box new c12 --cpu 20%'
	nsl "run timeout 4 sh -c 'while :; do :; done'"
	nsl 'next --force'
	nsl 'cg set c12 cpu.max max'
	nsl 'run true'
	fails
	[[ "$out" == *"grew by"* ]] || fail "no growth shown: $out"
	nsl "run timeout 3 sh -c 'while :; do :; done'"
	passes
	nsl_stop
}

# pids.current of box $1's cgroup, read from the kernel.
pids_current() {
	local f
	f=$(ls -d /sys/fs/cgroup/pids/nslab/*-"$1"/pids.current /sys/fs/cgroup/nslab/*-"$1"/pids.current 2>/dev/null | head -1)
	[ -n "$f" ] && cat "$f"
}

@test "lab 11: nslab-forkbomb holds pids.current at pids.max; the classic busybox bomb dies out" {
	need_root
	[ -x "$REPO/rootfs/busybox/bin/nslab-forkbomb" ] || fail "rootfs has no nslab-forkbomb: make rootfs"
	nsl_start en
	nsl 'box new f11 --pids 30'
	nsl 'use f11'
	# The classic bomb of the old text: it does not stay at the limit.
	nsl "run sh -c '(b(){ b|b& }; b) > /dev/null 2>&1 &'"
	sleep 3
	local v low=0 i
	for i in $(seq 1 20); do
		v=$(pids_current f11)
		[ "${v:-0}" -lt 30 ] && low=$((low + 1))
		sleep 0.05
	done
	[ "$low" -gt 0 ] || skip "the busybox bomb held the limit here (it did not die out)"
	nsl 'box rm f11'
	nsl 'box new f11 --pids 30'
	nsl 'use f11'
	nsl 'run nslab-forkbomb'
	sleep 1
	# The lab's steps 4 and 5 take a learner well under a minute; sample
	# every 50 ms for 10 s: always at the limit.
	for i in $(seq 1 200); do
		v=$(pids_current f11)
		[ "$v" = 30 ] || fail "pids.current was $v at sample $i, not 30"
		sleep 0.05
	done
	nsl 'run true'
	[[ "$out" == *"EAGAIN"* ]] || fail "run true did not fail with EAGAIN: $out"
	nsl 'box rm f11'
	nsl_stop
	assert_no_leftovers
}

@test "lab 04: echoing sidecar 4096 does not pass the pod step; a sidecar in i1's IPC namespace does" {
	need_root
	nsl_start en
	goto 04 pod
	nsl 'box new i1 --ns ipc,mnt,pid'
	nsl 'use i1'
	nsl 'ipc new shm'
	nsl 'run echo sidecar 4096'
	nsl "run sh -c 'echo sidecar 4096 > /tmp/sidecar.log'"
	fails
	# Another way than the text's: nsenter-free, a sidecar with only a new
	# UTS and pid namespace, reading the segment list with grep.
	nsl "run sh -c \"unshare -u -p -f sh -c 'hostname sidecar; hostname; grep -c . /proc/sysvipc/shm; cat /proc/sysvipc/shm; exec sleep 300' > /tmp/sidecar.log 2>&1 &\""
	local i
	for i in $(seq 1 20); do
		nsl check
		[[ "$out" == *"holds"* ]] && break
		sleep 0.25
	done
	[[ "$out" == *"holds"* ]] || fail "the sidecar did not pass: $out"
	nsl_stop
}

@test "explain does not show the checker's own probes as the learner's calls" {
	need_root
	nsl_start en
	nsl 'explain on'
	nsl 'lab 13'
	# Step 1 checks caps from a fresh process in the box (setns, execve).
	nsl 'box new c13'
	[[ "$out" == *"⟶ clone"* ]] || fail "box new was not explained: $out"
	[[ "$out" != *"⟶ setns"* ]] || fail "the check after box new printed its probes: $out"
	nsl check
	[[ "$out" == *"caps c13"* ]] || fail "not at the caps step: $out"
	[[ "$out" != *"⟶"* ]] || fail "check printed its probes as calls: $out"
	nsl 'echo after'
	[[ "$out" != *"⟶"* ]] || fail "the checker's calls showed up later: $out"
	nsl_stop
}
