#!/usr/bin/env bats
# The v2 stage's own logic (tests/vm/run-v2.sh) and the runner's counting
# (tests/tap-count.sh), with a fake qemu: fast, no real VM.
load helper

setup() {
	REPO=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)
	[ -x "$REPO/rootfs/busybox/bin/busybox" ] || skip "no rootfs (make rootfs)"
	F=$BATS_TEST_TMPDIR
	export NSLAB_VM_WORK=$F/vm NSLAB=/bin/true NSLAB_VM_KERNEL=$F/vmlinuz-fake
	: >"$NSLAB_VM_KERNEL"
	: >"$F/kvm"
	export NSLAB_VM_KVM_DEV=$F/kvm
	unset NSLAB_VM_ACCEL
}

# A qemu that, under KVM, does what the issue saw: the internal error, then hangs.
fake_qemu() {
	cat >"$F/qemu" <<'Q'
#!/bin/bash
case " $* " in
*" -accel kvm "*) [ "$FAKE" = noinit ] || echo "KVM internal error. Suberror: 1"; exec sleep 1000 ;;
esac
[ "$FAKE" = noinit ] && exec sleep 1000
printf '@@INIT\n@@VM fake\n@@TAP-BEGIN\n1..1\nok 1 fake guest\n@@TAP-END\n'
Q
	chmod +x "$F/qemu"
	export NSLAB_VM_QEMU=$F/qemu
}

@test "vmstage: a KVM internal error falls back to TCG within the deadline, in one line" {
	fake_qemu
	SECONDS=0
	FAKE=kvmerr NSLAB_VM_INIT_DEADLINE=30 run bash "$REPO/tests/vm/run-v2.sh"
	[ "$SECONDS" -lt 20 ] || fail "took ${SECONDS}s"
	assert_success
	assert_output --partial "KVM cannot run the guest here (KVM internal error): booting again under TCG (its console: $F/vm/console-kvm.log)"
	assert_line "1 passed, 0 failed, 0 skipped"
}

@test "vmstage: a guest whose init never shows is given up with a clear line" {
	fake_qemu
	SECONDS=0
	FAKE=noinit NSLAB_VM_INIT_DEADLINE=2 NSLAB_VM_TCG_INIT_DEADLINE=3 run bash "$REPO/tests/vm/run-v2.sh"
	[ "$SECONDS" -lt 20 ] || fail "took ${SECONDS}s"
	assert_failure
	assert_output --partial "KVM showed no sign of the guest's init in 2s: booting again under TCG (its console: $F/vm/console-kvm.log)"
	assert_output --partial "the guest's init never started (no @@INIT on the console in time): giving up"
	assert_line "0 passed, 1 failed, 0 skipped"
}

@test "vmstage: NSLAB_VM_ACCEL=tcg skips KVM" {
	fake_qemu
	FAKE=kvmerr NSLAB_VM_ACCEL=tcg run bash "$REPO/tests/vm/run-v2.sh"
	assert_success
	refute_output --partial "KVM"
	assert_line "1 passed, 0 failed, 0 skipped"
}

@test "vmstage: a planned test that prints no result line is counted failed, by name" {
	printf '1..3\nok 1 a\nok 3 c\n' >"$BATS_TEST_TMPDIR/tap"
	printf 'a\nvanished\nc\n' >"$BATS_TEST_TMPDIR/names"
	run bash "$REPO/tests/tap-count.sh" "$BATS_TEST_TMPDIR/tap" "$BATS_TEST_TMPDIR/names"
	assert_line "#   2 vanished"
	assert_line "2 passed, 1 failed, 0 skipped"
}

@test "vmstage: the runner counts a bats test that died without a line as failed" {
	mkdir -p "$BATS_TEST_TMPDIR/b"
	printf '@test "fine" { true; }\n@test "dies" { kill -9 $$; }\n' >"$BATS_TEST_TMPDIR/b/x.bats"
	NSLAB_V2=0 NSLAB_BATS_DIR=$BATS_TEST_TMPDIR/b run bash "$REPO/tests/run-all.sh"
	assert_failure
	assert_line "#   2 dies"
	assert_line "1 passed, 1 failed, 0 skipped"
}
