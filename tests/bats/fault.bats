#!/usr/bin/env bats
# Deterministic fault injection (NSLAB_FAULT, shell/box/fault.h): for every
# kind of box and EVERY step of its plan, nslab is killed right before the
# step (the next start must remove everything), and the step is refused by
# the "kernel" (nslab must live on, print the error and leave nothing). What
# is left is asked of the kernel: /proc (processes of the nslab's session),
# /proc/self/mountinfo, the cgroup trees, network namespaces, /run/nslab.
# Needs the sanitizer build (make check: build/asan/nslab, -DNSLAB_FAULTS).
load helper

setup() {
	need_root
	# A build without the hooks ignores NSLAB_FAULT; one with them refuses a bad one.
	NSLAB_FAULT=bogus "$NSLAB" -c 'echo' >/dev/null 2>&1 && st=0 || st=$?
	[ "$st" = 2 ] || skip "$NSLAB has no fault injection (build/asan/nslab has: make check)"
	FAULT_PIDS=()
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

# What is left of nslab session $1 (a PID), one line per thing; empty = nothing.
# $2: "dead" when the nslab itself is gone (then its session dir must be too).
leftovers_of() {
	local p=$1 d
	if [ "${2:-}" = dead ]; then
		[ ! -e "/run/nslab/$p" ] || echo "session directory /run/nslab/$p"
	else
		[ ! -e "/run/nslab/$p/boxes/k" ] || echo "box directory /run/nslab/$p/boxes/k"
	fi
	grep -F "/run/nslab/$p/" /proc/self/mountinfo | sed 's/^/mount: /'
	for d in /sys/fs/cgroup/nslab/"$p"-* /sys/fs/cgroup/*/nslab/"$p"-*; do
		[ -e "$d" ] && echo "cgroup $d"
	done
	# Every process nslab starts (launcher, box, cp, netns holder) is in
	# the session setsid gave it: its SID is the nslab's PID.
	ps -e -o pid=,sid=,stat=,comm= | awk -v s="$p" '$2 == s && $1 != s { print "process " $0 }'
}

# Wait up to 3 s for $1's leftovers to go (a killed box is reaped by init).
assert_gone() {
	local i left
	for i in $(seq 1 60); do
		left=$(leftovers_of "$@")
		[ -z "$left" ] && return 0
		sleep 0.05
	done
	fail "after $3: $left"
}

# An nslab fed through a FIFO in a session of its own (setsid), with NSLAB_FAULT=$1.
nf_start() {
	NF_IN="$BATS_TEST_TMPDIR/nf.in"
	NF_OUT="$BATS_TEST_TMPDIR/nf.out"
	rm -f "$NF_IN"
	mkfifo "$NF_IN"
	: >"$NF_OUT"
	NSLAB_FAULT="$1" setsid "$NSLAB" --lang en <"$NF_IN" >"$NF_OUT" 2>&1 3>&- &
	NF_PID=$!
	exec {NF_FD}>"$NF_IN"
	NF_N=0
}

# nf CMD: run it and wait (20 s at most); its output is in $out. Fails when
# nslab ends, unless $2 is "may-die" (then $out holds what it printed).
nf() {
	local start i
	start=$(stat -c %s "$NF_OUT")
	NF_N=$((NF_N + 1))
	printf '%s\necho @@nf-%d\n' "$1" "$NF_N" >&"$NF_FD" 2>/dev/null || true
	for ((i = 0; i < 400; i++)); do
		grep -q "^@@nf-$NF_N\$" "$NF_OUT" && break
		if ! kill -0 "$NF_PID" 2>/dev/null; then
			[ "${2:-}" = may-die ] && break
			cat "$NF_OUT"
			fail "nslab died during: $1"
		fi
		sleep 0.05
	done
	((i < 400)) || { cat "$NF_OUT"; fail "timeout during: $1"; }
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
	for bad in bogus kill@0 kill@x fail@3 fail@3:ENOTANERRNO kill@3:EPERM kill@3/0 'kill@2,'; do
		NSLAB_FAULT=$bad run nslab -c 'echo ran'
		[ "$status" = 2 ] || fail "NSLAB_FAULT=$bad: status $status, output: $output"
		refute_output --partial ran
	done
	NSLAB_FAULT='kill@3/2,fail@4:EPERM,fail@5:13/3' run nslab -c 'echo ran'
	assert_success
	assert_output ran
}

@test "fault: the release binary has no fault hooks" {
	[ -x "$REPO/nslab" ] || skip "no release build ($REPO/nslab): run make"
	run grep -c NSLAB_FAULT "$REPO/nslab"
	assert_output 0
}

@test "fault: kill@N before every step of every kind of box: the next start removes everything" {
	local kills=0 left=0 k n i p st
	for k in "${KINDS[@]}"; do
		n=$(nsteps "$k")
		[ "$n" -ge 4 ] || fail "$k: only $n steps in the plan"
		local pids=() steps=()
		# Two at a time: each run is deterministic, the machine has cores.
		for i in $(seq 1 "$n"); do
			NSLAB_FAULT="kill@$i" setsid "$NSLAB" --lang en -c "box new k $k; echo survived" \
				>"$BATS_TEST_TMPDIR/kill.$i" 2>&1 3>&- &
			pids+=($!)
			steps+=("$i")
			if [ $((i % 2)) = 0 ] || [ "$i" = "$n" ]; then
				for j in "${!pids[@]}"; do
					p=${pids[$j]}
					wait "$p" && st=0 || st=$?
					# 137: SIGKILL, at that step and not later.
					[ "$st" = 137 ] || fail "$k kill@${steps[$j]}: status $st: $(cat "$BATS_TEST_TMPDIR/kill.${steps[$j]}")"
					! grep -q survived "$BATS_TEST_TMPDIR/kill.${steps[$j]}" ||
						fail "$k kill@${steps[$j]}: nslab went on"
					[ ! -e "/run/nslab/$p" ] || left=$((left + 1))
					FAULT_PIDS+=("$p:$k:${steps[$j]}")
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
	for x in "${FAULT_PIDS[@]}"; do
		p=${x%%:*}
		assert_gone "$p" dead "kill@${x##*:} in a box new ${x#*:}"
	done
	echo "# $kills kills injected, one before each step of ${#KINDS[@]} kinds; $left sessions left for the next start" >&3
}

@test "fault: fail@N:ERRNO at every step of every kind of box: an error, nothing left, the shell goes on" {
	local errs=(EPERM EACCES ENOMEM ENOSPC EINVAL EBUSY EIO EAGAIN) fails=0 k n i spec
	for k in "${KINDS[@]}"; do
		n=$(nsteps "$k")
		# Box creation number i fails at step i; creation n+1 has no fault.
		spec=
		for i in $(seq 1 "$n"); do
			spec+="${spec:+,}fail@$i:${errs[$((i % ${#errs[@]}))]}/$i"
		done
		nf_start "$spec"
		for i in $(seq 1 "$n"); do
			e=${errs[$((i % ${#errs[@]}))]}
			nf "box new k $k"
			[[ "$out" == *"failed: $e "* ]] || fail "$k fail@$i:$e: no error printed: $out"
			[[ "$out" != *"box k: pid"* ]] || fail "$k fail@$i:$e: the box was made: $out"
			assert_gone "$NF_PID" live "fail@$i:$e in a box new $k"
			nf "box ls"
			[[ "$out" == *"no boxes"* ]] || fail "$k fail@$i:$e: box ls shows: $out"
			fails=$((fails + 1))
		done
		# The same name again, no fault now: a whole box, then removed.
		nf "box new k $k"
		[[ "$out" == *"box k: pid"* ]] || fail "$k: no box after the faults: $out"
		nf "run true"
		nf "box rm k"
		assert_gone "$NF_PID" live "box rm k ($k)"
		nf_stop
		[ "$NF_ST" = 0 ] || fail "$k: nslab ended with status $NF_ST: $(cat "$NF_OUT")"
		assert_gone "$NF_PID" dead "exit after the faults ($k)"
	done
	echo "# $fails refusals injected, one at each step of ${#KINDS[@]} kinds" >&3
}

# The network namespace nslab's net commands use on the host side (held by
# nslab-netns) and the namespaces of the boxes: after the kill, no process
# may hold any of them, and the real host never had an nsl* link.
netns_inodes_of_session() {
	ps -e -o pid=,sid= | awk -v s="$1" '$2 == s && $1 != s { print $1 }' |
		while read -r q; do readlink "/proc/$q/ns/net" 2>/dev/null; done | sort -u
}

@test "fault: kill during a lab (06, network): boxes, veth pair and host namespace are removed" {
	export NSLAB_DATADIR="$REPO"
	local n steps
	n=$(nsteps "--ns net,mnt,uts,pid")
	# The first step, the clone, a box step (mount proc), and the last.
	for step in 1 3 6 "$n"; do
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
		assert_gone "$p" dead "kill@$step of box w2 in lab 06"
		for ino in $nets; do
			run bash -c "ls -l /proc/[0-9]*/ns/net 2>/dev/null | grep -F '$ino'"
			assert_failure
		done
		run bash -c "ip -o link | grep ' nsl'"
		assert_failure
	done
}

@test "fault: kill during a lab (10, cgroups): the box's cgroup and the lab's cgroup are removed" {
	export NSLAB_DATADIR="$REPO"
	local n
	n=$(nsteps "--memory 32M")
	for step in 2 3 "$n"; do
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
		assert_gone "$p" dead "kill@$step of box m10 in lab 10"
		for d in /sys/fs/cgroup/nslab/$CGN /sys/fs/cgroup/*/nslab/$CGN; do
			[ ! -e "$d" ] || fail "lab 10 kill@$step: the lab's cgroup $d is still there"
		done
	done
}
