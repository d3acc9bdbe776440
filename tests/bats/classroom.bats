#!/usr/bin/env bats
# Classroom and instructor tools: demo playback (key feed, skip, repeat, notes),
# asciicast recordings, class report over exported progress, the documentation
# in two languages, the generated command reference, the VM provisioning files.
# The provisioning itself runs in a Debian chroot: make check-provision.
load helper

export NSLAB_DATADIR="$REPO"
FIX="$REPO/tests/fixtures/class"

teardown() {
	assert_no_leftovers
}

cast_check() {
	python3 "$REPO/tests/cast-check.py" "$1"
}

@test "demo: a demo script runs to its end with a key feed, and its recording is valid asciicast v2" {
	need_root
	keys=$(printf '%*s' 80 '')
	run nslab --record "$BATS_TEST_TMPDIR/tour.cast" demo namespace-tour --keys "$keys" --speed 0
	assert_success
	assert_output --partial 'Namespace tour'
	assert_output --partial 'end of demo: 24 commands run, 0 skipped, 0 unexpected'
	# The box's own output (run hostname inside a UTS namespace) is in it.
	assert_output --partial $'nslab[web]# run hostname\nweb'
	run cast_check "$BATS_TEST_TMPDIR/tour.cast"
	assert_success
	assert_output --partial 'cast-check: ok'
	assert_output --partial 'end of demo: 24 commands run'
	assert_output --partial $'run hostname\nweb'
}

@test "demo: every demo runs to its end with --auto, in English and Korean" {
	need_root
	for f in "$REPO"/demos/*.demo; do
		lang=${f%.demo}
		lang=${lang##*.}
		run "$NSLAB" --lang "$lang" demo "$f" --auto --speed 0
		[ "$status" -eq 0 ] || fail "$f: status $status: $output"
	done
	run "$NSLAB" --lang ko demo container-from-scratch --auto --speed 0
	assert_output --partial '데모 끝: 명령 15개 실행'
}

@test "demo: q quits, s skips the next command, r shows its output again; notes stay off the screen" {
	need_root
	cat >"$BATS_TEST_TMPDIR/t.demo" <<'DEMO'
@title Keys
> first line
! a presenter note
$ box new k --ns uts,mnt,pid --hostname kbox
$ run hostname
$ run echo skipped-one
> after
$ run echo never
DEMO
	run nslab demo "$BATS_TEST_TMPDIR/t.demo" --keys '   rs q' --speed 0 --notes "$BATS_TEST_TMPDIR/notes"
	assert_success
	refute_output --partial 'presenter note'
	# r: the hostname again, after its first showing
	assert_output --regexp $'run hostname\nkbox\n.*output again.*\nkbox'
	assert_output --partial '(skipped)'
	refute_output --partial 'skipped-one'$'\n''skipped-one'
	assert_output --partial '| after'
	refute_output --partial 'never'
	run cat "$BATS_TEST_TMPDIR/notes"
	assert_output --partial 'a presenter note'
	assert_output --partial '--- next (line 4): $ box new k'
}

@test "demo: a command that fails unexpectedly makes the status 1; \$? lines may fail" {
	need_root
	printf '$ box new f --ns mnt,pid\n$? run false\n$ run false\n' >"$BATS_TEST_TMPDIR/f.demo"
	run nslab demo "$BATS_TEST_TMPDIR/f.demo" --auto --speed 0
	assert_equal "$status" 1
	assert_output --partial 'line 3: failed with status 1'
	assert_output --partial '3 commands run, 0 skipped, 1 unexpected'
}

@test "demo: bad scripts, missing commands, no terminal" {
	printf '> ok\n%% what\n' >"$BATS_TEST_TMPDIR/bad.demo"
	run nslab demo "$BATS_TEST_TMPDIR/bad.demo" --auto
	assert_equal "$status" 2
	assert_output --partial 'bad.demo:2: a line starts with'
	printf '@bogus\n' >"$BATS_TEST_TMPDIR/bad.demo"
	run nslab demo "$BATS_TEST_TMPDIR/bad.demo" --auto
	assert_output --partial "unknown directive '@bogus'"
	printf '> hi\n@needs nosuchcmd\n$ nosuchcmd x\n> hidden\n@needs\n> shown\n' >"$BATS_TEST_TMPDIR/n.demo"
	run nslab demo "$BATS_TEST_TMPDIR/n.demo" --check
	assert_output --partial "n.demo:2: 'nosuchcmd' is not in this nslab yet"
	run nslab demo "$BATS_TEST_TMPDIR/n.demo" --auto --speed 0
	assert_success
	assert_output --partial "needs 'nosuchcmd'"
	refute_output --partial 'hidden'
	assert_output --partial '| shown'
	run nslab demo "$BATS_TEST_TMPDIR/n.demo" </dev/null
	assert_equal "$status" 2
	assert_output --partial 'without one use --keys'
	run nslab demo no-such-demo --auto
	assert_equal "$status" 2
	run nslab demo
	assert_success
	assert_output --partial 'namespace-tour'
}

@test "--record on -c mode: stdout, stderr and a box's output, in order, as asciicast v2" {
	need_root
	run nslab --record "$BATS_TEST_TMPDIR/c.cast" -c "echo 안녕 '\"quote\"' 'back\\slash'; box new r --ns uts,mnt,pid --hostname rec; run hostname; bogus"
	assert_equal "$status" 2
	run cast_check "$BATS_TEST_TMPDIR/c.cast"
	assert_success
	assert_output --partial '안녕 "quote" back\slash'
	assert_output --partial $'rec\nnslab: unknown command'
	run nslab --record /nonexistent-dir/x.cast -c 'echo hi'
	assert_equal "$status" 1
	assert_output --partial 'open'
}

@test "class report merges two learners' progress files (one of them in two exports)" {
	cp -r "$FIX" "$BATS_TEST_TMPDIR/class"
	run nslab class report "$BATS_TEST_TMPDIR/class"
	assert_success
	assert_output --partial 'Class report: 2 learners, 3 files'
	assert_output --regexp 'alice +ok +2/4 +lab 03 step 3 of 4 \(outside\)'
	# bob: step shell done in the morning, proc and tree in the afternoon: all of lab 00.
	assert_output --regexp 'bob +ok +1/4 +lab 03 step 2 of 4 \(hostname\)'
	assert_output --regexp 'finished +2/2 +0/2'
	assert_output --partial 'skipped'
	assert_output --partial 'broken.json: not valid JSON'
	run nslab class report "$BATS_TEST_TMPDIR/class" --csv
	assert_line 'bob,bob@lab-pc-7,2026-11-23T14:00:00Z,00,환영합니다,3,3,'
	assert_line 'alice,vagrant@nslab-alice,2026-11-23T10:15:00Z,03,UTS namespace,2,4,outside'
	run nslab class report "$BATS_TEST_TMPDIR/nothing-here"
	assert_equal "$status" 1
	mkdir "$BATS_TEST_TMPDIR/empty"
	run nslab class report "$BATS_TEST_TMPDIR/empty"
	assert_equal "$status" 1
	assert_output --partial 'progress --export'
	run nslab class bogus x
	assert_equal "$status" 2
}

@test "class report reads what progress --export writes" {
	need_root
	mkdir -p "$BATS_TEST_TMPDIR/cls"
	NSLAB_STATE_DIR="$BATS_TEST_TMPDIR/learner" run nslab -c "progress --export $BATS_TEST_TMPDIR/cls/dana.json"
	assert_success
	run nslab class report "$BATS_TEST_TMPDIR/cls"
	assert_success
	assert_output --regexp 'dana +- +'
	assert_output --partial 'not started'
}

@test "docs-en and docs-ko have the same files and the same heading structure" {
	cd "$REPO"
	run diff <(cd docs-en && ls) <(cd docs-ko && ls)
	assert_success
	for f in docs-en/*.md; do
		k="docs-ko/${f#docs-en/}"
		# Headings outside code fences, as levels only: "#", "##", "###"...
		a=$(awk '/^```/{c=!c} !c && /^#+ /{print $1}' "$f")
		b=$(awk '/^```/{c=!c} !c && /^#+ /{print $1}' "$k")
		[ "$a" = "$b" ] || fail "$f and $k differ in heading structure"
	done
}

@test "the command reference (docs-*/commands.md) is up to date: make docs" {
	for l in en ko; do
		diff <("$NSLAB" --lang $l -c 'help --markdown') "$REPO/docs-$l/commands.md" ||
			fail "docs-$l/commands.md is stale: run make docs"
	done
}

@test "classroom VM files: provision.sh is valid bash, cloud-init runs it, the Vagrantfile provisions with it" {
	run bash -n "$REPO/vagrant/provision.sh"
	assert_success
	grep -q 'vagrant/provision.sh' "$REPO/Vagrantfile"
	grep -q 'ubuntu-24.04' "$REPO/Vagrantfile"
	grep -q 'ubuntu-22.04' "$REPO/Vagrantfile"
	if python3 -c 'import yaml' 2>/dev/null; then
		run python3 -c 'import sys, yaml; d = yaml.safe_load(open(sys.argv[1])); print(d["runcmd"])' "$REPO/vagrant/cloud-init.yaml"
		assert_success
		assert_output --partial 'vagrant/provision.sh'
	fi
	head -1 "$REPO/vagrant/cloud-init.yaml" | grep -qx '#cloud-config'
}
