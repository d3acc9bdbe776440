#!/usr/bin/env bash
# Build the lab root file system offline from the distro's static busybox.
#   rootfs-scripts/busybox.sh DEST      (default: rootfs/busybox)
# Writes DEST, DEST.manifest (sha256sum of every file) and DEST.links (every
# link and its target), which nslab checks before a box uses the tree.
set -euo pipefail
dest=${1:-rootfs/busybox}
bb=/bin/busybox
if ! [ -x "$bb" ]; then
	echo "rootfs: $bb is missing: install it with 'apt-get install busybox-static'" >&2
	exit 1
fi
if ldd "$bb" >/dev/null 2>&1; then
	echo "rootfs: $bb is dynamically linked; install busybox-static (not busybox)" >&2
	exit 1
fi
tmp=$(mktemp -d "${dest%/*}/.rootfs.XXXXXX" 2>/dev/null || { mkdir -p "${dest%/*}"; mktemp -d "${dest%/*}/.rootfs.XXXXXX"; })
trap 'rm -rf "$tmp" "$tmp.manifest" "$tmp.links"' EXIT
chmod 755 "$tmp"
echo "rootfs: building $dest from $bb ($("$bb" 2>&1 | head -1 | cut -d' ' -f1-2 || true))"
mkdir -p "$tmp"/{bin,sbin,usr/bin,usr/sbin,etc,proc,sys,dev,tmp,root,home,var/tmp,run,mnt,jail}
chmod 1777 "$tmp/tmp" "$tmp/var/tmp"
chmod 700 "$tmp/root"
install -m 755 "$bb" "$tmp/bin/busybox"
n=0
while read -r applet; do
	[ -n "$applet" ] || continue
	[ -e "$tmp/$applet" ] && continue
	mkdir -p "$tmp/$(dirname "$applet")"
	# Relative links, so the tree works wherever it is mounted.
	rel=$(realpath -m --relative-to="$tmp/$(dirname "$applet")" "$tmp/bin/busybox")
	ln -s "$rel" "$tmp/$applet"
	n=$((n + 1))
done < <("$bb" --list-full)
cat > "$tmp/etc/passwd" <<'P'
root:x:0:0:root:/root:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/bin/false
learner:x:1000:1000:learner:/home/learner:/bin/sh
P
cat > "$tmp/etc/group" <<'G'
root:x:0:
nogroup:x:65534:
learner:x:1000:
G
echo nslab-box > "$tmp/etc/hostname"
echo "127.0.0.1 localhost" > "$tmp/etc/hosts"
cat > "$tmp/etc/os-release" <<'O'
NAME="nslab busybox"
ID=nslab
PRETTY_NAME="nslab lab rootfs (busybox)"
O
echo "This file is inside the box's root file system." > "$tmp/etc/nslab-rootfs"
# The no_new_privs lab (15): a setuid-root program.
here=$(cd "$(dirname "$0")" && pwd)
if command -v gcc >/dev/null && gcc -static -O2 -o "$tmp/bin/nslab-suid" "$here/setuid-helper.c" 2>/dev/null; then
	strip "$tmp/bin/nslab-suid" 2>/dev/null || true
	chown 0:0 "$tmp/bin/nslab-suid"
	chmod 4755 "$tmp/bin/nslab-suid"
else
	echo "rootfs: could not build the setuid helper (gcc -static needs libc6-dev); lab 15 will say so" >&2
fi
# Lab 11's fork bomb: every process retries a refused fork, so the bomb sits
# at pids.max (busybox sh gives up when a fork fails).
if command -v gcc >/dev/null && gcc -static -O2 -o "$tmp/bin/nslab-forkbomb" "$here/forkbomb.c" 2>/dev/null; then
	strip "$tmp/bin/nslab-forkbomb" 2>/dev/null || true
else
	echo "rootfs: could not build nslab-forkbomb (gcc -static needs libc6-dev); lab 11 will say so" >&2
fi
# Lab 18's two attacks, played inside a throwaway box (a shell script, readable with cat).
install -m 755 "$here/nslab-lab18.sh" "$tmp/bin/nslab-lab18"
# (The root-only /etc/nslab-secret is written in a box by nslab-suid --setup:
# shipped here, a non-root user could not check the tree against its manifest.)
mkdir -p "$tmp/home/learner"
chown 1000:1000 "$tmp/home/learner"
# The manifest: sha256sum of every regular file (checked with sha256sum -c),
# and the target of every link (DEST.links), so any change to the tree shows.
(cd "$tmp" && find . -type f -print0 | sort -z | xargs -0 sha256sum) > "$tmp.manifest"
(cd "$tmp" && find . -type l -printf '%p -> %l\n' | sort) > "$tmp.links"
# Modes that matter (DEST.modes): setuid and setgid files, so a lost bit shows.
(cd "$tmp" && find . -type f \( -perm -4000 -o -perm -2000 \) -printf '%m %U:%G %p\n' | sort) > "$tmp.modes"
rm -rf "$dest" "$dest.manifest" "$dest.links" "$dest.modes"
mv "$tmp" "$dest"
mv "$tmp.manifest" "$dest.manifest"
mv "$tmp.links" "$dest.links"
mv "$tmp.modes" "$dest.modes"
trap - EXIT
echo "rootfs: $dest ready: busybox and $n applet links; manifest $dest.manifest"
