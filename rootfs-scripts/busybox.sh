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
mkdir -p "$tmp/home/learner"
chown 1000:1000 "$tmp/home/learner"
# The manifest: sha256sum of every regular file (checked with sha256sum -c),
# and the target of every link (DEST.links), so any change to the tree shows.
(cd "$tmp" && find . -type f -print0 | sort -z | xargs -0 sha256sum) > "$tmp.manifest"
(cd "$tmp" && find . -type l -printf '%p -> %l\n' | sort) > "$tmp.links"
rm -rf "$dest" "$dest.manifest" "$dest.links"
mv "$tmp" "$dest"
mv "$tmp.manifest" "$dest.manifest"
mv "$tmp.links" "$dest.links"
trap - EXIT
echo "rootfs: $dest ready: busybox and $n applet links; manifest $dest.manifest"
