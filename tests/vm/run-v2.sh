#!/usr/bin/env bash
# Run the cgroup tests on a pure cgroup v2 machine: a Debian cloud kernel under
# qemu (no KVM needed), booted with an initramfs that holds busybox, nslab with
# its shared libraries, the busybox rootfs, bash and bats, and the bats files.
# The classroom VMs are cgroup v2 only; the CI host is hybrid v1, so this is
# where the v2 backend is proven against a real kernel.
#
#   tests/vm/run-v2.sh [BATS_FILE...]     default: tests/bats/cgroup.bats, and the
#                                         walks of labs 10-12 from tests/bats/labs.bats
#
# Environment: NSLAB (binary under test, default ./nslab), NSLAB_VM_FILTER (a
# bats -f regex, e.g. 'lab 1[012] walks'), NSLAB_VM_KERNEL (a
# vmlinuz to use instead of downloading Debian's), NSLAB_VM_TIMEOUT (seconds,
# default 900), NSLAB_VM_ACCEL (kvm|tcg: force one; default: try KVM, fall back
# to TCG), NSLAB_VM_INIT_DEADLINE (s for init to show under KVM, default 60),
# NSLAB_VM_QEMU (the qemu binary), NSLAB_VM_MEM (MiB, default 1024), NSLAB_VM_SMP (CPUs, default 2).
# Prints the TAP lines from the VM and "N passed, N failed, N skipped"; exits
# 0 when nothing failed. Where qemu cannot run, it says why and exits 0 with
# everything counted as skipped.
set -euo pipefail
cd "$(dirname "$0")/../.."
REPO=$PWD
WORK=${NSLAB_VM_WORK:-$REPO/build/vm}
NSLAB=${NSLAB:-$REPO/nslab}
TIMEOUT=${NSLAB_VM_TIMEOUT:-900}
MEM=${NSLAB_VM_MEM:-1024}
SMP=${NSLAB_VM_SMP:-2}
FILES=("$@")
DEFAULT=0
if [ ${#FILES[@]} -eq 0 ]; then
	FILES=(tests/bats/cgroup.bats tests/bats/labs.bats)
	DEFAULT=1
fi

skip_all() {
	echo "1..0 # SKIP $*"
	echo "0 passed, 0 failed, ${#FILES[@]} skipped (v2 VM: $*)"
	exit 0
}

QEMU=${NSLAB_VM_QEMU:-qemu-system-x86_64}
command -v "$QEMU" >/dev/null || skip_all "qemu-system-x86_64 is not installed (apt-get install qemu-system-x86)"
for t in cpio gzip dpkg-deb ldd; do
	command -v $t >/dev/null || skip_all "$t is not installed"
done
[ -x "$NSLAB" ] || { echo "run-v2: $NSLAB is not built (make)" >&2; exit 2; }
[ -x rootfs/busybox/bin/busybox ] || { echo "run-v2: no rootfs (make rootfs)" >&2; exit 2; }
# The rootfs's busybox is the distribution's static one: it runs anywhere.
BUSYBOX=$REPO/rootfs/busybox/bin/busybox
mkdir -p "$WORK"

# ---- the kernel: Debian's cloud flavour, unpacked, never installed ----
KERNEL=${NSLAB_VM_KERNEL:-}
if [ -z "$KERNEL" ]; then
	KERNEL=$(ls "$WORK"/kpkg/boot/vmlinuz-* 2>/dev/null | head -1 || true)
	if [ -z "$KERNEL" ]; then
		pkg=$(apt-cache depends linux-image-cloud-amd64 2>/dev/null | awk '/Depends: linux-image-/ { print $2; exit }')
		[ -n "$pkg" ] || skip_all "no linux-image-cloud-amd64 in the apt lists (apt-get update?)"
		echo "# downloading $pkg" >&2
		(cd "$WORK" && apt-get download "$pkg" >/dev/null 2>&1) || skip_all "cannot download $pkg"
		rm -rf "$WORK/kpkg"
		dpkg-deb -x "$WORK"/"$pkg"_*.deb "$WORK/kpkg"
		KERNEL=$(ls "$WORK"/kpkg/boot/vmlinuz-* | head -1)
	fi
fi
KVER=$(basename "$KERNEL" | sed 's/^vmlinuz-//')
# overlayfs is a module in Debian's cloud kernel: boxes mount overlays.
OVERLAY_KO=$(find "$WORK/kpkg/lib/modules/$KVER" -name 'overlay.ko*' 2>/dev/null | head -1 || true)

# ---- the initramfs ----
IR=$WORK/initramfs
rm -rf "$IR"
mkdir -p "$IR"/{bin,sbin,etc,proc,sys,dev,run,tmp,root,newroot,nslab,usr/bin,usr/sbin,lib/modules}
cp "$BUSYBOX" "$IR/bin/busybox"

# A dynamic binary and everything ldd says it loads, at the same paths.
copy_elf() {
	local f=$1 dst=${2:-$1} lib
	mkdir -p "$IR$(dirname "$dst")"
	cp -L "$f" "$IR$dst"
	for lib in $(ldd "$f" 2>/dev/null | grep -oE '/[^ ]+' || true); do
		[ -e "$IR$lib" ] && continue
		mkdir -p "$IR$(dirname "$lib")"
		cp -L "$lib" "$IR$lib"
	done
}
copy_elf "$NSLAB" /nslab/nslab
copy_elf "$(command -v bash)" /bin/bash
# nslab checks the rootfs with GNU sha256sum --strict (busybox's lacks it).
copy_elf "$(command -v sha256sum)" /usr/bin/sha256sum
# bats-core, bats-support, bats-assert, where Debian puts them.
for d in /usr/lib/bats-core /usr/libexec/bats-core /usr/lib/bats; do
	[ -d "$d" ] && { mkdir -p "$IR$(dirname "$d")"; cp -a "$d" "$IR$d"; }
done
cp -L "$(command -v bats)" "$IR/usr/bin/bats" || skip_all "bats is not installed"
mkdir -p "$IR/nslab/tests/bats" "$IR/nslab/rootfs" "$IR/nslab/rootfs-scripts"
cp tests/bats/helper.bash "$IR/nslab/tests/bats/"
for f in "${FILES[@]}"; do cp "$f" "$IR/nslab/tests/bats/"; done
cp -a rootfs/busybox "$IR/nslab/rootfs/busybox"
cp -a rootfs/busybox.* "$IR/nslab/rootfs/" 2>/dev/null || true
cp -a labs "$IR/nslab/labs"
[ -d build/locale ] && mkdir -p "$IR/nslab/build" && cp -a build/locale "$IR/nslab/build/"
[ -n "$OVERLAY_KO" ] && cp "$OVERLAY_KO" "$IR/lib/modules/"
# One bats run per line: "FILE:FILTER" (FILTER may be empty).
runs=""
for f in "${FILES[@]}"; do
	flt=${NSLAB_VM_FILTER:-}
	# By default the cgroup labs are walked in English (the rest of labs.bats
	# is not about cgroups, and needs python3).
	[ "$DEFAULT" = 1 ] && [ "$(basename "$f")" = labs.bats ] && flt='lab 1[012] walks in English'
	runs="${runs}tests/bats/$(basename "$f"):$flt
"
done
printf '%s' "$runs" >"$IR/nslab/runs"

# Stage 1: the initramfs itself cannot be pivot_root'ed away from (it is the
# kernel's rootfs), and boxes pivot_root: copy everything into a tmpfs and
# switch_root there.
cat >"$IR/init" <<'EOF'
#!/bin/busybox sh
echo @@INIT
/bin/busybox mount -t proc proc /proc
/bin/busybox mount -t tmpfs -o size=80% tmpfs /newroot
for f in /*; do
	case $f in /newroot|/proc) ;; *) /bin/busybox cp -a "$f" /newroot/ ;; esac
done
/bin/busybox mkdir -p /newroot/proc
/bin/busybox umount /proc
exec /bin/busybox switch_root /newroot /init2
EOF
cat >"$IR/init2" <<EOF
#!/bin/busybox sh
/bin/busybox --install -s
export PATH=/bin:/sbin:/usr/bin:/usr/sbin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mkdir -p /dev/pts /dev/shm
ln -sf /proc/self/fd /dev/fd
ln -sf /proc/self/fd/0 /dev/stdin
ln -sf /proc/self/fd/1 /dev/stdout
ln -sf /proc/self/fd/2 /dev/stderr
mount -t tmpfs tmpfs /run
mount -t tmpfs tmpfs /tmp
mount -t cgroup2 cgroup2 /sys/fs/cgroup
mount --make-rshared /
for m in /lib/modules/*.ko*; do [ -e "\$m" ] && insmod "\$m"; done
hostname nslab-v2
echo "@@VM kernel \$(uname -r), cgroup controllers: \$(cat /sys/fs/cgroup/cgroup.controllers)"
cd /nslab
export NSLAB=/nslab/nslab NSLAB_DATADIR=/nslab NSLAB_ROOTFS=/nslab/rootfs/busybox HOME=/root TERM=dumb
echo @@TAP-BEGIN
while IFS=: read -r file flt; do
	if [ -n "\$flt" ]; then bats --tap -f "\$flt" "\$file" 2>&1; else bats --tap "\$file" 2>&1; fi
done < /nslab/runs
echo @@TAP-END
poweroff -f
EOF
chmod +x "$IR/init" "$IR/init2"
(cd "$IR" && find . | cpio -o -H newc --quiet | gzip -1) >"$WORK/initramfs.gz"

# ---- boot ----
# The accelerator is chosen by trying it: a KVM boot that prints a KVM
# internal error, or no sign of init (@@INIT) within NSLAB_VM_INIT_DEADLINE
# seconds (default 60), is stopped and the guest boots again under TCG.
# NSLAB_VM_ACCEL=kvm|tcg forces one. The console is watched: the stage ends
# as soon as qemu exits (guest halted, qemu error), never waits out TIMEOUT.
LOG=$WORK/console.log
KVMDEV=${NSLAB_VM_KVM_DEV:-/dev/kvm}
INIT_DEADLINE=${NSLAB_VM_INIT_DEADLINE:-60}
TCG_INIT_DEADLINE=${NSLAB_VM_TCG_INIT_DEADLINE:-300}
# boot ACCEL INIT_DEADLINE: 0 finished, 3 KVM internal error, 4 no init in
# time, 124 TIMEOUT, else qemu's own status.
boot() {
	local accel=$1 dl=$2 t=0 qpid st
	echo "# booting $KVER under qemu ($accel), ${MEM}M; console in $LOG" >&2
	: >"$LOG"
	"$QEMU" -accel "$accel" -m "$MEM" -smp "$SMP" -nographic -no-reboot \
		-kernel "$KERNEL" -initrd "$WORK/initramfs.gz" -nic none \
		-append "console=ttyS0 panic=-1 quiet loglevel=3" </dev/null >"$LOG" 2>&1 &
	qpid=$!
	while kill -0 "$qpid" 2>/dev/null; do
		if grep -q 'KVM internal error' "$LOG"; then
			kill "$qpid" 2>/dev/null; wait "$qpid" 2>/dev/null
			return 3
		fi
		if [ "$t" -ge "$dl" ] && ! grep -q '@@INIT' "$LOG"; then
			kill "$qpid" 2>/dev/null; wait "$qpid" 2>/dev/null
			return 4
		fi
		if [ "$t" -ge "$TIMEOUT" ]; then
			kill "$qpid" 2>/dev/null; wait "$qpid" 2>/dev/null
			return 124
		fi
		sleep 1
		t=$((t + 1))
	done
	wait "$qpid" && st=0 || st=$?
	return "$st"
}
set +e
case ${NSLAB_VM_ACCEL:-auto} in
kvm | tcg) boot "$NSLAB_VM_ACCEL" "$([ "$NSLAB_VM_ACCEL" = kvm ] && echo "$INIT_DEADLINE" || echo "$TCG_INIT_DEADLINE")"; rc=$? ;;
auto)
	rc=1
	if [ -w "$KVMDEV" ]; then
		boot kvm "$INIT_DEADLINE"; rc=$?
		cp "$LOG" "$WORK/console-kvm.log" 2>/dev/null || true
		case $rc in
		3) echo "# KVM cannot run the guest here (KVM internal error): booting again under TCG (its console: $WORK/console-kvm.log)" ;;
		4) echo "# KVM showed no sign of the guest's init in ${INIT_DEADLINE}s: booting again under TCG (its console: $WORK/console-kvm.log)" ;;
		esac
	fi
	if [ ! -w "$KVMDEV" ] || [ "$rc" = 3 ] || [ "$rc" = 4 ]; then
		boot tcg "$TCG_INIT_DEADLINE"; rc=$?
	fi
	;;
*) echo "run-v2: NSLAB_VM_ACCEL is kvm, tcg or unset, not '$NSLAB_VM_ACCEL'" >&2; exit 2 ;;
esac
set -e
case $rc in
3) echo "# qemu printed a KVM internal error: the guest cannot run (NSLAB_VM_ACCEL=tcg to emulate)" ;;
4) echo "# the guest's init never started (no @@INIT on the console in time): giving up" ;;
124) echo "# the VM did not finish in ${TIMEOUT}s (NSLAB_VM_TIMEOUT): stopped" ;;
esac
tr -d '\r' <"$LOG" >"$LOG.txt"
grep '^@@VM' "$LOG.txt" | sed 's/^@@VM/#/' || true
tap=$(sed -n '/^@@TAP-BEGIN/,/^@@TAP-END/p' "$LOG.txt" | sed '1d;$d')
echo "$tap"
if ! grep -q '^@@TAP-END' "$LOG.txt"; then
	echo "# the VM did not finish (qemu status $rc); last lines of the console:"
	tail -30 "$LOG.txt" | sed 's/^/#   /'
	echo "0 passed, 1 failed, 0 skipped"
	exit 1
fi
skip=$(echo "$tap" | grep -cE '^ok [0-9]+ .*# skip' || true)
pass=$(($(echo "$tap" | grep -cE '^ok [0-9]+ ' || true) - skip))
fail=$(echo "$tap" | grep -cE '^not ok [0-9]+ ' || true)
# A plan that was not run to its end (bats died) is a failure too.
planned=$(echo "$tap" | sed -n 's/^1\.\.\([0-9][0-9]*\)$/\1/p' | awk '{ n += $1 } END { if (NR) print n }')
ran=$((pass + fail + skip))
if [ -z "$planned" ] || [ "$ran" -ne "$planned" ]; then
	echo "# bats ran $ran of ${planned:-?} planned tests in the VM"
	fail=$((fail + 1))
fi
echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
