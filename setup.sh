#!/usr/bin/env bash
# nslab's one-step setup, for a fresh Debian 12 or Ubuntu 22.04/24.04 machine
# (git is there; a compiler and make need not be).
#
#   sudo ./setup.sh            install what is missing, build, build the rootfs, start nslab
#   sudo ./setup.sh deps       only install what is missing (apt-get)
#   sudo ./setup.sh build      deps, then make and make rootfs
#   sudo ./setup.sh test       deps and the test-only packages, then make check
#
# Packages are installed only when missing, so a second run is quick and offline.
set -euo pipefail
cd "$(dirname "$0")"

# Build and test dependencies: one list, used by CI, the Vagrant VM and people.
PKGS=(
	gcc make pkg-config gettext
	libreadline-dev libncurses-dev libcap-dev libseccomp-dev libcmocka-dev libjansson-dev
	busybox-static iproute2 util-linux procps psmisc uidmap passwd
	libmd4c-dev
	bats bats-support bats-assert
	tmux strace python3 bc
)

# Only for `make check`'s cgroup v2 stage (a Debian kernel booted under qemu,
# tests/vm/run-v2.sh): a learner's machine does not need them.
TEST_PKGS=(qemu-system-x86 cpio)

# Only for `make bench` (the peers it measures against): ./setup.sh deps bench
BENCH_PKGS=(hyperfine bubblewrap crun jq python3 time)

missing() {
	local p out=()
	for p in "${PKGS[@]}" "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || out+=("$p")
	done
	echo "${out[@]}"
}

deps() {
	local need
	need=$(missing "$@")
	[ -z "$need" ] && return 0
	if [ "$(id -u)" != 0 ]; then
		echo "setup: missing packages: $need" >&2
		echo "setup: run as root (sudo ./setup.sh) so they can be installed" >&2
		exit 1
	fi
	echo "setup: installing $need"
	export DEBIAN_FRONTEND=noninteractive
	# Refresh the package lists only when they are missing or a day old.
	if [ -z "$(find /var/lib/apt/lists -maxdepth 1 -name '*Packages*' -mmin -1440 2>/dev/null | head -1)" ]; then
		apt-get update -qq
	fi
	# shellcheck disable=SC2086
	apt-get install -y -qq --no-install-recommends $need >/dev/null
}

build() {
	deps
	make -j"$(nproc)"
	make rootfs
}

case "${1:-run}" in
deps)
	shift
	if [ "${1:-}" = bench ]; then deps "${BENCH_PKGS[@]}"; else deps "$@"; fi
	;;
build) build ;;
test)
	deps "${TEST_PKGS[@]}"
	exec make WERROR=1 check
	;;
run)
	build
	exec ./nslab
	;;
*)
	echo "usage: $0 [run|deps|build|test]" >&2
	exit 2
	;;
esac
