#!/usr/bin/env bats
# Deterministic fault injection (NSLAB_FAULT, shell/box/fault.h): for every
# kind of box and EVERY step of its plan, nslab is killed right before the
# step (the next start must remove everything), and the step is refused by
# the "kernel" (nslab must live on, print the error and leave nothing). What
# is left is asked of the kernel: /proc (processes of the nslab's session),
# /proc/self/mountinfo, the cgroup trees, network namespaces, and the
# session directories under $NSLAB_RUNDIR.
# Needs the sanitizer build (make check: build/asan/nslab, -DNSLAB_FAULTS).
load helper

setup() {
	need_root
	FAULT_PIDS=()
}

need_faults() {
	# A build without the hooks ignores NSLAB_FAULT; one with them refuses a bad one.
	NSLAB_FAULT=bogus "$NSLAB" -c 'echo' >/dev/null 2>&1 && st=0 || st=$?
	[ "$st" = 2 ] || skip "$NSLAB has no fault injection (build/asan/nslab has: make check)"
}

teardown() {
	nf_stop
	assert_no_leftovers
}

# Each kind of crash.bats, one with cgroup limits, one confined (nnp, caps,
# seccomp are steps too) and a user namespace that binds the host's /proc.
# (box new has no network option: a box's network comes from 'net', after
# the box is made; the lab test below kills nslab with veths in place.)
KINDS=(
	"--ns pid,mnt"
	"--ns all"
	"--ns user,mnt,pid --uid-map 0:100000:65536"
	"--ns time,mnt,pid --boottime-offset 86400"
	"--ns pid --chroot"
	"--ns mnt,uts,pid --copy --hostname k"
	"--ns net,ipc,mnt,pid"
	"--ns all --memory 32M --pids 64"
	"--ns mnt,pid,uts --caps docker --seccomp default --nnp"
	"--ns user,mnt --map-root"
)

# Number of steps in the plan of a box of kind $1.
nsteps() {
	"$NSLAB" --lang en -c "box new k $1 --dry-run" | grep -c '^ *[0-9]*\. \['
}

# The plans of all kinds, counted once for the whole file (one nslab run).
setup_file() {
	local k cmds=""
	for k in "${KINDS[@]}"; do
		cmds+="box new k $k --dry-run; echo @@end; "
	done
	NSTEPS=$("$NSLAB" --lang en -c "$cmds" 2>/dev/null |
		awk '/^ *[0-9]+\. \[/ { n++ } /^@@end$/ { printf "%d ", n; n = 0 }')
	export NSTEPS
}

# Steps of kind number $1 (0-based) of KINDS, as counted by setup_file.
kind_steps() {
	local a
	read -ra a <<<"$NSTEPS"
	echo "${a[$1]:-0}"
}

# What is left of nslab sessions $2... (PIDs), one line per thing; empty =
# nothing. $1: "dead" when those nslab runs are gone (their session
# directories must be too), "live" when one runs on (and has no box).
leftovers_of() {
	local how=$1 p d
	shift
	for p in "$@"; do
		if [ "$how" = dead ]; then
			[ ! -e "$NSLAB_RUNDIR/$p" ] || echo "session directory $NSLAB_RUNDIR/$p"
		else
			for d in "$NSLAB_RUNDIR/$p"/boxes/*; do
				[ -e "$d" ] && echo "box directory $d"
			done
		fi
		for d in /sys/fs/cgroup/nslab/"$p"-* /sys/fs/cgroup/*/nslab/"$p"-*; do
			[ -e "$d" ] && echo "cgroup $d"
		done
	done
	# One pass over mounts and processes for all sessions (forks are slow
	# on a loaded machine). Every process nslab starts (launcher, box, cp,
	# netns holder) is in the session setsid gave it: its SID is the nslab's.
	ps -e -o pid=,sid=,stat=,comm= | awk -v list="$*" -v run="$NSLAB_RUNDIR" '
		BEGIN { n = split(list, a, " "); for (i = 1; i <= n; i++) want[a[i]] = 1 }
		FILENAME == "-" && ($2 in want) && $1 != $2 { print "process " $0 }
		FILENAME != "-" { for (p in want) if (index($0, run "/" p "/")) print "mount: " $0 }
	' - /proc/self/mountinfo
}

# assert_gone dead|live WHAT PID...: wait up to 3 s for the leftovers of
# those sessions to go (a killed box is reaped by init a moment later).
assert_gone() {
	local how=$1 what=$2 i left
	shift 2
	for i in $(seq 1 60); do
		left=$(leftovers_of "$how" "$@")
		[ -z "$left" ] && return 0
		sleep 0.05
	done
	fail "after $what: $left"
}

# An nslab fed through a FIFO in a session of its own (setsid), with
# NSLAB_FAULT=$1; $2 names its files, when several run at once.
nf_start() {
	NF_IN="$BATS_TEST_TMPDIR/nf${2:-}.in"
	NF_OUT="$BATS_TEST_TMPDIR/nf${2:-}.out"
	rm -f "$NF_IN"
	mkfifo "$NF_IN"
	: >"$NF_OUT"
	NSLAB_FAULT="$1" setsid "$NSLAB" --lang en <"$NF_IN" >"$NF_OUT" 2>&1 3>&- &
	NF_PID=$!
	exec {NF_FD}>"$NF_IN"
	NF_N=0
	# nslab is killed on purpose: a later write to the FIFO it read must fail
	# with EPIPE (|| true), not kill this test with SIGPIPE before bats has
	# printed its TAP line (issue 22: the lab 10 test's line vanished).
	trap '' PIPE
}

# nf CMD: run it and wait (20 s at most); its output is in $out. Fails when
# nslab ends, unless $2 is "may-die" (then $out holds what it printed).
nf() {
	local start i
	start=$(stat -c %s "$NF_OUT")
	NF_N=$((NF_N + 1))
	printf '%s\necho @@nf-%d\n' "$1" "$NF_N" >&"$NF_FD" 2>/dev/null || true
	for ((i = 0; i < 1000; i++)); do
		grep -q "^@@nf-$NF_N\$" "$NF_OUT" && break
		if ! kill -0 "$NF_PID" 2>/dev/null; then
			[ "${2:-}" = may-die ] && break
			cat "$NF_OUT"
			fail "nslab died during: $1"
		fi
		sleep 0.02
	done
	((i < 1000)) || { cat "$NF_OUT"; fail "timeout during: $1"; }
	out=$(tail -c +"$((start + 1))" "$NF_OUT" | sed "/^@@nf-$NF_N\$/,\$d")
}

nf_stop() {
	[ -n "${NF_FD:-}" ] || return 0
	printf 'exit\n' >&"$NF_FD" 2>/dev/null || true
	exec {NF_FD}>&-
	NF_FD=
	NF_ST=0
	wait "$NF_PID" || NF_ST=$?
	# 99: AddressSanitizer found a leak or an error.
	[ "$NF_ST" -ne 99 ] || { cat "$NF_OUT"; fail "nslab ended with ASan status 99"; }
}

@test "fault: a malformed NSLAB_FAULT stops nslab before it does anything" {
	need_faults
	for bad in bogus kill@0 kill@x fail@3 fail@3:ENOTANERRNO kill@3:EPERM kill@3/0 'kill@2,'; do
		NSLAB_FAULT=$bad run nslab -c 'echo ran'
		[ "$status" = 2 ] || fail "NSLAB_FAULT=$bad: status $status, output: $output"
		refute_output --partial ran
	done
	NSLAB_FAULT='kill@3/2,fail@4:EPERM,fail@5:13/3' run nslab -c 'echo ran'
	assert_success
	assert_output ran
}

# Found by fail@N on a map step: with no launcher, a box refused before its
# go byte kept the trace pipe open and the shell waited for ever. A real
# refusal, with any build: overlapping uid maps (EINVAL from the kernel).
@test "fault: a uid map the kernel refuses is reported at once, and nothing is left" {
	run timeout 30 "$NSLAB" --lang en -c \
		'box new x --ns user,mnt,pid --uid-map 0:100000:10 --uid-map 5:200000:10; echo after'
	[ "$status" != 124 ] || fail "nslab hung after the refused map: $output"
	assert_output --partial 'uid_map'
	assert_output --partial 'failed: EINVAL'
	assert_output --partial after
}

@test "fault: the release binary has no fault hooks" {
	[ -x "$REPO/nslab" ] || skip "no release build ($REPO/nslab): run make"
	run grep -c NSLAB_FAULT "$REPO/nslab"
	assert_output 0
}

@test "fault: kill@N before every step of every kind of box: the next start removes everything" {
	need_faults
	local kills=0 left=0 k n i p st ki
	for ki in "${!KINDS[@]}"; do
		k=${KINDS[$ki]}
		n=$(kind_steps "$ki")
		[ "$n" -ge 4 ] || fail "$k: only $n steps in the plan"
		local pids=() steps=()
		# Four at a time: each run is deterministic on its own.
		for i in $(seq 1 "$n"); do
			NSLAB_FAULT="kill@$i" setsid "$NSLAB" --lang en -c "box new k $k; echo survived" \
				>"$BATS_TEST_TMPDIR/kill.$i" 2>&1 3>&- &
			pids+=($!)
			steps+=("$i")
			if [ $((i % 4)) = 0 ] || [ "$i" = "$n" ]; then
				for j in "${!pids[@]}"; do
					p=${pids[$j]}
					wait "$p" && st=0 || st=$?
					# 137: SIGKILL, at that step and not later.
					out=$(<"$BATS_TEST_TMPDIR/kill.${steps[$j]}")
					[ "$st" = 137 ] || fail "$k kill@${steps[$j]}: status $st: $out"
					[[ "$out" != *survived* ]] || fail "$k kill@${steps[$j]}: nslab went on: $out"
					[ ! -e "$NSLAB_RUNDIR/$p" ] || left=$((left + 1))
					FAULT_PIDS+=("$p")
					# Printed by bats only when the test fails: which PID was which.
					echo "nslab $p: box new k $k, kill@${steps[$j]}"
				done
				pids=()
				steps=()
			fi
			kills=$((kills + 1))
		done
	done
	# The next start removes what the dead sessions left.
	run nslab -c 'echo next start'
	assert_success
	assert_gone dead "$kills kills and the next start" "${FAULT_PIDS[@]}"
	echo "# $kills kills injected, one before each step of ${#KINDS[@]} kinds ($left sessions were left for a later start to remove), ${SECONDS} s" >&3
}

# fail_kind KI: every refusal in one box kind, in an nslab of its own (run
# in a subshell, beside other kinds: its NF_* are its own).
fail_kind() {
	local ki=$1 errs=(EPERM EACCES ENOMEM ENOSPC EINVAL EBUSY EIO EAGAIN) k n i spec
	k=${KINDS[$ki]}
	n=$(kind_steps "$ki")
	[ "$n" -ge 4 ] || fail "$k: only $n steps in the plan"
	# Box creation number i fails at step i; creation n+1 has no fault.
	# Each its own name (k1, k2...), so that what one failure left cannot
	# be taken over by the next box (a cgroup of the same name is reused):
	# all are looked for once, after the last.
	spec=
	for i in $(seq 1 "$n"); do
		spec+="${spec:+,}fail@$i:${errs[$((i % ${#errs[@]}))]}/$i"
	done
	nf_start "$spec" "$ki"
	# All n in one go (one round trip): each prints its own error.
	local cmds="" want="" got
	for i in $(seq 1 "$n"); do
		cmds+="box new k$i $k"$'\n'
		want+="failed: ${errs[$((i % ${#errs[@]}))]} "
	done
	nf "${cmds%$'\n'}"
	got=$(grep -o 'failed: E[A-Z0-9]* ' <<<"$out" | tr -d '\n')
	[ "$got" = "$want" ] || fail "$k: expected the errors '$want', got: $out"
	[[ "$out" != *": pid "* ]] || fail "$k: a box was made: $out"
	assert_gone live "fail@1..$n in box new $k" "$NF_PID"
	# The shell goes on: no box; one more, with no fault, is whole and runs
	# a program; then it is removed.
	nf "box ls"$'\n'"box new k $k"$'\n'"run echo ran-in-k"$'\n'"box rm k"
	[[ "$out" == *"no boxes"* ]] || fail "$k: after the faults, box ls shows: $out"
	[[ "$out" == *"box k: pid"* && "$out" == *ran-in-k* ]] ||
		fail "$k: no working box after the faults: $out"
	assert_gone live "box rm k ($k)" "$NF_PID"
	nf_stop
	[ "$NF_ST" = 0 ] || fail "$k: nslab ended with status $NF_ST: $(cat "$NF_OUT")"
	assert_gone dead "exit after the faults ($k)" "$NF_PID"
	echo "$n"
}

@test "fault: fail@N:ERRNO at every step of every kind of box: an error, nothing left, the shell goes on" {
	need_faults
	local fails=0 ki pids=() kis=() j st
	# Three kinds at a time, each in its own nslab.
	for ki in "${!KINDS[@]}"; do
		(fail_kind "$ki") >"$BATS_TEST_TMPDIR/fail.$ki" 2>&1 &
		pids+=($!)
		kis+=("$ki")
		if [ ${#pids[@]} = 3 ] || [ "$ki" = $((${#KINDS[@]} - 1)) ]; then
			for j in "${!pids[@]}"; do
				wait "${pids[$j]}" && st=0 || st=$?
				[ "$st" = 0 ] || fail "$(cat "$BATS_TEST_TMPDIR/fail.${kis[$j]}")"
				fails=$((fails + $(tail -1 "$BATS_TEST_TMPDIR/fail.${kis[$j]}")))
			done
			pids=()
			kis=()
		fi
	done
	echo "# $fails refusals injected, one at each step of ${#KINDS[@]} kinds, ${SECONDS} s" >&3
}

# The network namespace nslab's net commands use on the host side (held by
# nslab-netns) and the namespaces of the boxes: after the kill, no process
# may hold any of them, and the real host never had an nsl* link.
netns_inodes_of_session() {
	ps -e -o pid=,sid= | awk -v s="$1" '$2 == s && $1 != s { print $1 }' |
		while read -r q; do readlink "/proc/$q/ns/net" 2>/dev/null; done | sort -u
}

@test "fault: kill during a lab (06, network): boxes, veth pair and host namespace are removed" {
	need_faults
	export NSLAB_DATADIR="$REPO"
	local n steps
	n=$(nsteps "--ns net,mnt,uts,pid")
	# The clone (in the launcher) and the last step (in the box).
	for step in 3 "$n"; do
		# w2 is the third box of the lab: n1 (with its veth) and w1 exist.
		nf_start "kill@$step/3"
		nf "lab 6"
		nf "box new n1 --ns net,mnt,uts,pid"
		nf "net up n1"
		nf "net veth n1 --addr 10.200.0.2/24 --host-addr 10.200.0.1/24"
		nf "box new w1 --ns net,mnt,uts,pid"
		local nets
		nets=$(netns_inodes_of_session "$NF_PID")
		# n1's, w1's and the host side's, at least.
		[ "$(echo "$nets" | wc -l)" -ge 3 ] || fail "expected 3 network namespaces, saw: $nets"
		nf "box new w2 --ns net,mnt,uts,pid" may-die
		local p=$NF_PID
		exec {NF_FD}>&-
		NF_FD=
		wait "$p" && st=0 || st=$?
		[ "$st" = 137 ] || fail "lab 06 kill@$step/3: status $st: $(cat "$NF_OUT")"
		run nslab -c 'echo next start'
		assert_success
		assert_gone dead "kill@$step of box w2 in lab 06" "$p"
		for ino in $nets; do
			run bash -c "ls -l /proc/[0-9]*/ns/net 2>/dev/null | grep -F '$ino'"
			assert_failure
		done
		run bash -c "ip -o link | grep ' nsl'"
		assert_failure
	done
}

@test "fault: kill during a lab (10, cgroups): the box's cgroup and the lab's cgroup are removed" {
	need_faults
	export NSLAB_DATADIR="$REPO"
	local n
	n=$(nsteps "--memory 32M")
	# The box's cgroup (in the shell) and the last step (in the box).
	for step in 2 "$n"; do
		nf_start "kill@$step"
		nf "lab 10"
		CGN=fault$$
		nf "cg new $CGN"
		[[ "$out" == *"made"* ]] || fail "cg new: $out"
		nf "cg set $CGN memory.max 64M"
		nf "box new m10 --memory 32M" may-die
		local p=$NF_PID
		exec {NF_FD}>&-
		NF_FD=
		wait "$p" && st=0 || st=$?
		[ "$st" = 137 ] || fail "lab 10 kill@$step: status $st: $(cat "$NF_OUT")"
		run nslab -c 'echo next start'
		assert_success
		assert_gone dead "kill@$step of box m10 in lab 10" "$p"
		for d in /sys/fs/cgroup/nslab/$CGN /sys/fs/cgroup/*/nslab/$CGN; do
			[ ! -e "$d" ] || fail "lab 10 kill@$step: the lab's cgroup $d is still there"
		done
	done
}
