#!/usr/bin/env bats
# Hostile arguments: huge, empty, non-UTF-8, path traversal, pseudo file
# systems, overflowing numbers, shell metacharacters, very many boxes. Every
# one gets one clear line (a single "nslab: " line) and the right status (2
# usage, 1 refused), never a crash (make check runs the ASan+UBSan build),
# never a half-made box, and the host stays as it was.
load helper
load confine

setup() {
	confine_plant
}

teardown() {
	nslab_stop
	confine_check
	confine_remove
	assert_no_leftovers
}

# refuse STATUS 'CMDS': nslab -c CMDS ends with STATUS and says why in one line.
refuse() {
	local want=$1
	shift
	run nslab -c "$1"
	if [ "$status" -ne "$want" ]; then
		echo "'$1' -> status $status, wanted $want: $output" >&2
		return 1
	fi
	local n
	n=$(grep -c '^nslab: ' <<<"$output")
	if [ "$n" -ne 1 ]; then
		echo "'$1' -> $n 'nslab:' lines, wanted 1: $output" >&2
		return 1
	fi
	if grep -qE 'Sanitizer|runtime error|Segmentation|Aborted' <<<"$output"; then
		echo "'$1' crashed: $output" >&2
		return 1
	fi
}

long() { head -c "$1" /dev/zero | tr '\0' "${2:-a}"; }

@test "huge arguments" {
	refuse 2 "box new $(long 100000)"
	refuse 2 "box new b --ns $(long 100000)"
	refuse 2 "box new b --ns uts --hostname $(long 100000)"
	refuse 2 "box new b --rootfs /$(long 5000)"
	refuse 2 "box new b --ns user --uid-map $(long 100000 1)"
	refuse 2 "box new b --ns time --boottime-offset $(long 5000 9)"
	refuse 2 "$(long 100000 x)"
	refuse 1 "proc $(long 5000 7)"
	refuse 2 "use $(long 100000)"
	refuse 1 "box rm $(long 100000)"
	# More words than a line may hold.
	refuse 2 "echo $(yes w | head -5000 | tr '\n' ' ')"
}

@test "empty arguments" {
	refuse 2 "box new ''"
	refuse 2 "box new b --ns ''"
	refuse 2 "box new b --ns ,,,"
	refuse 2 "box new b --ns uts --hostname ''"
	refuse 2 "box new b --rootfs ''"
	refuse 2 "box new b --ns user --uid-map ''"
	refuse 2 "box new b --ns time --boottime-offset ''"
	refuse 2 "use ''"
	refuse 1 "box rm ''"
	refuse 1 "proc ''"
	refuse 2 "''"
}

@test "bytes that are not UTF-8" {
	refuse 2 "box new $(printf '\xff\xfe')"
	refuse 2 "box new b --ns $(printf 'pid\xc3')"
	refuse 1 "box new b --rootfs /tmp/$(printf '\xff\xfe')"
	refuse 2 "use $(printf '\xc3\x28')"
	refuse 2 "$(printf '\xef\xbf\xbe\xed\xa0\x80')"
	refuse 2 "box new b --frob$(printf '\xff')"
}

@test "path traversal in box names and rootfs paths" {
	for name in ../etc ../../../../etc/passwd a/../../b /etc .. . ./b '~root'; do
		refuse 2 "box new '$name'"
	done
	refuse 1 "box new b --rootfs ../../etc"
	refuse 1 "box new b --rootfs $REPO/rootfs/busybox/../../../../../etc"
	refuse 1 "box new b --ns pid --chroot --rootfs /etc"
}

@test "--rootfs of /, /proc, /sys or the state directory is refused; the host is untouched" {
	need_root
	for r in / // /. /proc/.. /proc /proc/1/root /proc/self/cwd/../../.. /sys /run "$NSLAB_RUNDIR"; do
		refuse 1 "box new b --ns pid --chroot --copy --rootfs $r"
		refuse 1 "box new b --ns pid,mnt --rootfs $r"
	done
	refuse 1 "box new b --ns pid,mnt --rootfs /"
	assert_output --partial "the rootfs may not be / itself"
	refuse 1 "box new b --ns pid,mnt --rootfs /run"
	assert_output --partial "state directory"
	refuse 1 "box new b --ns pid,mnt --rootfs /proc"
	assert_output --partial "pseudo file system"
	# A symbolic link to / is /.
	ln -s / "$BATS_TEST_TMPDIR/slash"
	refuse 1 "box new b --ns pid --chroot --rootfs $BATS_TEST_TMPDIR/slash"
	# ',' and ':' would smuggle options into the overlay mount.
	cp -a "$REPO/rootfs/busybox" "$BATS_TEST_TMPDIR/a,upperdir=x"
	refuse 1 "box new b --ns pid,mnt --rootfs '$BATS_TEST_TMPDIR/a,upperdir=x'"
	assert_output --partial "',' ':'"
	# The rootfs is never written: a box's writes land in its own layer.
	before=$(find "$REPO/rootfs/busybox" -newer "$REPO/rootfs/busybox.manifest" | wc -l)
	run nslab -c 'box new w --ns pid,mnt; run touch /bin/new-file; run rm /bin/ls'
	assert_success
	after=$(find "$REPO/rootfs/busybox" -newer "$REPO/rootfs/busybox.manifest" | wc -l)
	assert_equal "$after" "$before"
	[ -e "$REPO/rootfs/busybox/bin/ls" ]
	[ ! -e "$REPO/rootfs/busybox/bin/new-file" ]
}

@test "negative and overflowing numbers" {
	for v in -315360001 315360001 99999999999999999999 -99999999999999999999 1e3 0x10 ' 5' 5s +-1 --1; do
		refuse 2 "box new b --ns time --boottime-offset '$v'"
	done
	refuse 2 "box new b --ns time --monotonic-offset -99999999999999999999"
	refuse 2 "box new b --ns time --monotonic-offset ' 5'"
	for m in -1:0:1 0:-1:1 0:0:-1 0:0:0 0:4294967295:2 4294967295:0:2 0:100000:4294967296 \
		0:100000:65536x 0:100000 ::: 0:0:1:1 '0 0 1'; do
		refuse 2 "box new b --ns user --uid-map '$m'"
	done
	refuse 2 "box new b --ns user --gid-map 0:0:-1"
	refuse 2 "box new b --ns user --gid-map 0:4294967295:2"
	refuse 2 "box new b --ns user $(for i in 0 1 2 3 4 5; do echo --uid-map $i:$((100000 + i)):1; done | tr "\n" " ")"
	for p in -1 0 4294967296 99999999999999999999 1.5 0x1; do
		refuse 1 "proc $p"
		refuse 1 "ns $p"
	done
}

@test "shell metacharacters: refused in names, literal everywhere else" {
	need_root
	for name in 'a;b' 'a|b' 'a&b' '$(id)' '`id`' 'a b' 'a>b' 'a<b' 'a*' '?' '!' 'a\nb' "a'b" 'a"b' '%s%s%n'; do
		refuse 2 "box new \"$name\""
	done
	before=$(hostname)
	run nslab -c 'box new m --ns uts,mnt,pid --hostname "$(reboot);`id`"; run hostname; run echo "%s%n$(id)"'
	assert_success
	assert_output --partial '$(reboot);`id`'
	assert_output --partial '%s%n$(id)'
	assert_equal "$(hostname)" "$before"
}

@test "refused commands leave no half-made box" {
	need_root
	nslab_start
	for c in "box new '../x'" "box new b --ns pid --chroot --rootfs /" "box new b --rootfs /nonexistent" \
		"box new b --ns mnt --hostname h" "box new b --ns pid --pivot" "box new b --ns user --uid-map 0:0:0" \
		"box new b --ns time --boottime-offset 1e9" "box new b --ns pid,mnt --rootfs /proc" \
		"box new b --ns pid,mnt --rootfs $NSLAB_RUNDIR"; do
		nslab_send "$c"
	done
	[ -z "$(ls -A "$NSLAB_RUNDIR/$NS_PID/boxes" 2>/dev/null)" ]
	run pgrep -P "$NS_PID"
	assert_failure
	[ "$(grep -c '^nslab: ' "$NS_OUT")" -eq 9 ]
	run grep -E 'Sanitizer|runtime error' "$NS_OUT"
	assert_failure
}

@test "200 boxes in one nslab, then all removed" {
	need_root
	n=${NSLAB_MANY:-200}
	nslab_start
	for i in $(seq 1 "$n"); do
		printf 'box new m%d --ns pid,mnt\n' "$i" >&"$NS_FD"
	done
	NS_SEQ=$((NS_SEQ + 1))
	printf 'echo @@done %s\n' "$NS_SEQ" >&"$NS_FD"
	for i in $(seq 1 1200); do
		grep -q "^@@done $NS_SEQ\$" "$NS_OUT" && break
		sleep 0.1
	done
	run grep -c '^box m[0-9]*: pid' "$NS_OUT"
	assert_output "$n"
	run ls "$NSLAB_RUNDIR/$NS_PID/boxes"
	assert_equal "$(wc -l <<<"$output")" "$n"
	nslab_send 'box ls'
	run grep -cE '^ *\*? *m[0-9]+ +[0-9]+ +running' "$NS_OUT"
	assert_output "$n"
	nslab_send "box rm $(seq -f 'm%g' 1 "$n" | tr '\n' ' ')"
	[ -z "$(ls -A "$NSLAB_RUNDIR/$NS_PID/boxes" 2>/dev/null)" ]
	run pgrep -P "$NS_PID"
	assert_failure
	run grep -E 'Sanitizer|runtime error|^nslab: ' "$NS_OUT"
	assert_failure
}
