#!/usr/bin/env bash
# A richer lab root file system (Debian or Ubuntu, with apt, bash, iproute2),
# where the network reaches a package mirror. The default busybox rootfs needs
# no network; use this one with: box new b --rootfs rootfs/debian
#
#   rootfs-scripts/debootstrap.sh [DEST] [SUITE] [MIRROR]
#   defaults: rootfs/debian, the host's own suite, the host's own mirror
set -euo pipefail
dest=${1:-rootfs/debian}
VERSION_CODENAME=
. /etc/os-release
suite=${2:-${VERSION_CODENAME:-bookworm}}
mirror=${3:-}
if [ -z "$mirror" ]; then
	# The mirror this machine already uses, so no new host is contacted.
	mirror=$(grep -rhoE --include='*.list' --include='*.sources' --include=sources.list \
		'^(deb|URIs:) +https?://[^ ]+' /etc/apt/sources.list /etc/apt/sources.list.d/ 2>/dev/null |
		awk '{print $2}' | grep -E 'debian|ubuntu' | head -1 || true)
fi
[ -n "$mirror" ] || { echo "rootfs: no package mirror found; give one: $0 DEST SUITE MIRROR" >&2; exit 1; }
command -v debootstrap >/dev/null || apt-get install -y -qq debootstrap >/dev/null
[ "$(id -u)" = 0 ] || { echo "rootfs: debootstrap needs root" >&2; exit 1; }
tmp="$dest.tmp"
rm -rf "$tmp"
trap 'rm -rf "$tmp"' EXIT
echo "rootfs: debootstrap $suite from $mirror into $dest (a few minutes)"
debootstrap --variant=minbase --include=iproute2,iputils-ping,procps,psmisc,libcap2-bin \
	"$suite" "$tmp" "$mirror" >"$tmp.log" 2>&1 || { tail -20 "$tmp.log" >&2; exit 1; }
rm -f "$tmp.log"
echo nslab-box > "$tmp/etc/hostname"
echo "This file is inside the box's root file system." > "$tmp/etc/nslab-rootfs"
rm -rf "$tmp"/var/cache/apt/archives/*.deb
(cd "$tmp" && find . -xdev -type f -print0 | sort -z | xargs -0 sha256sum) > "$tmp.manifest"
(cd "$tmp" && find . -xdev -type l -printf '%p -> %l\n' | sort) > "$tmp.links"
rm -rf "$dest" "$dest.manifest" "$dest.links"
mv "$tmp" "$dest"
mv "$tmp.manifest" "$dest.manifest"
mv "$tmp.links" "$dest.links"
trap - EXIT
echo "rootfs: $dest ready ($(du -sh "$dest" | cut -f1)); manifest $dest.manifest"
