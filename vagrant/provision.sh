#!/usr/bin/env bash
# Provision a classroom machine for nslab: install the build dependencies,
# build nslab and its busybox rootfs, install them (PREFIX=/usr/local), and
# check the result. A plain shell script, so the same file serves Vagrant
# (Vagrantfile), cloud-init (vagrant/cloud-init.yaml) and a bare Debian 12 or
# Ubuntu 22.04/24.04 machine:
#
#   sudo bash vagrant/provision.sh [SOURCE_DIR]
#
# SOURCE_DIR is the nslab source tree (default: the tree this script is in).
# NSLAB_USER (optional) is the learner's account: it gets a welcome note and
# an alias. Safe to run again: packages are installed only when missing, and
# the build is incremental. Needs the network once (apt); afterwards the
# machine runs every lab offline.
set -euo pipefail

SRC="${1:-$(cd "$(dirname "$0")/.." && pwd)}"
PREFIX="${PREFIX:-/usr/local}"
log() { printf 'provision: %s\n' "$*"; }

[ "$(id -u)" = 0 ] || { echo "provision: run as root (sudo)" >&2; exit 1; }
[ -f "$SRC/setup.sh" ] || { echo "provision: no nslab source tree in $SRC" >&2; exit 1; }

export DEBIAN_FRONTEND=noninteractive
. /etc/os-release 2>/dev/null || true
log "on ${PRETTY_NAME:-an unknown system}, source $SRC"

# setup.sh is the one list of packages (used by CI, people and this script);
# it also builds nslab and the rootfs.
cd "$SRC"
bash ./setup.sh build
make install PREFIX="$PREFIX"

# The learner's account: a note at login. nslab needs root for most labs.
if [ -n "${NSLAB_USER:-}" ] && id "$NSLAB_USER" >/dev/null 2>&1; then
	home=$(getent passwd "$NSLAB_USER" | cut -d: -f6)
	if [ -d "$home" ] && ! grep -q 'nslab classroom' "$home/.bashrc" 2>/dev/null; then
		cat >>"$home/.bashrc" <<'RC'
# nslab classroom
echo "nslab is installed: type 'sudo nslab' to start, 'sudo nslab doctor' to check this machine."
RC
	fi
fi

# Check what was installed, as a learner would use it.
log "checking the installed nslab"
"$PREFIX/bin/nslab" --version
"$PREFIX/bin/nslab" --lang en doctor || log "doctor reported missing features (see above): some labs will explain and skip"
log "done: run 'sudo nslab'"
