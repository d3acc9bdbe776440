#!/usr/bin/env bash
# make check-provision: run vagrant/provision.sh for real on a clean Debian 12
# (bookworm) made with debootstrap, then check the installed nslab works there:
#   nslab --version;  nslab -c 'box new b --ns pid,mnt; run hostname'
#
# Everything happens in a temporary directory under /var/tmp, inside a private
# mount namespace (unshare -m), so the bind mounts of /proc, /dev and /sys
# vanish with it and the host's mount table is never touched. The base system
# and the downloaded packages are cached in /var/tmp/nslab-cache, so a second
# run needs neither debootstrap nor most downloads. Needs root and the Debian
# mirror in the apt sources. Prints "provision: ok" at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$(pwd)
CACHE=${NSLAB_CACHE:-/var/tmp/nslab-cache}
SUITE=${NSLAB_SUITE:-bookworm}
BASE="$CACHE/$SUITE-minbase.tar.gz"

if [ "$(id -u)" != 0 ]; then
	echo "provision-test: skipped: needs root (debootstrap, chroot, mounts)"
	exit 0
fi
if ! command -v debootstrap >/dev/null; then
	apt-get install -y -qq --no-install-recommends debootstrap >/dev/null
fi

# The mirror this machine already uses (deb822 or one-line sources).
mirror=$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/*.sources 2>/dev/null || true)
[ -n "$mirror" ] || mirror=$(awk '$1 == "deb" {print $2; exit}' /etc/apt/sources.list 2>/dev/null || true)
mirror=${mirror:-http://deb.debian.org/debian}

mkdir -p "$CACHE/apt/partial"
WORK=$(mktemp -d /var/tmp/nslab-provision.XXXXXX)
ROOT="$WORK/root"
cleanup() {
	# Mounts lived in the private namespace only; --one-file-system guards anyway.
	rm -rf --one-file-system "$WORK"
}
trap cleanup EXIT

mkdir -p "$ROOT"
if [ -f "$BASE" ]; then
	echo "provision-test: base system from the cache ($BASE)"
	tar -xzf "$BASE" -C "$ROOT"
else
	echo "provision-test: debootstrap $SUITE from $mirror (cached afterwards)"
	debootstrap --variant=minbase "$SUITE" "$ROOT" "$mirror" >"$WORK/debootstrap.log" 2>&1 || {
		tail -20 "$WORK/debootstrap.log"
		exit 1
	}
	tar -czf "$BASE.tmp" -C "$ROOT" . && mv "$BASE.tmp" "$BASE"
fi

# The source tree, as a fresh clone would have it (no build outputs).
mkdir -p "$ROOT/opt/nslab-src"
tar -C "$REPO" --exclude=./.git --exclude=./build --exclude=./nslab --exclude=./rootfs -cf - . |
	tar -C "$ROOT/opt/nslab-src" -xf -
cp /etc/resolv.conf "$ROOT/etc/resolv.conf"

unshare -m --propagation private bash -euo pipefail -c '
	R=$1 CACHE=$2
	mount --bind "$R" "$R"                 # pivot_root in a box wants / to be a mount point
	mount -t proc proc "$R/proc"
	mount --rbind /dev "$R/dev"
	mount --rbind /sys "$R/sys"
	mount -t tmpfs tmpfs "$R/run"
	mount -t tmpfs tmpfs "$R/tmp"
	mkdir -p "$R/var/cache/apt/archives"
	mount --bind "$CACHE/apt" "$R/var/cache/apt/archives"
	chroot "$R" /usr/bin/env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
		HOME=/root LANG=C.UTF-8 bash -euo pipefail -c "
		bash /opt/nslab-src/vagrant/provision.sh /opt/nslab-src
		echo provision-test: checking the installed nslab
		command -v nslab
		nslab --version
		out=\$(nslab --lang en -c \"box new b --ns pid,mnt; run hostname\")
		echo \"\$out\"
		echo \"\$out\" | grep -q \"^box b: pid\"
	"
' provision "$ROOT" "$CACHE"
echo "provision: ok"
