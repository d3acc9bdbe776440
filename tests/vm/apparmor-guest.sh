#!/bin/sh
# AppArmor for real, inside the v2 VM (issue 17). Run by the guest's init,
# as root, from the nslab directory, after /proc, /sys and cgroup2 are
# mounted and before the bats runs. Busybox sh: no bashisms.
#
# What run-v2.sh must do for it (the ci helper owns run-v2.sh):
#   - boot Debian's kernel with AppArmor on: append "apparmor=1 security=apparmor"
#     to -append (Debian's kernel has CONFIG_SECURITY_APPARMOR; lsm= may list
#     it already, then these are harmless);
#   - pack apparmor_parser and its shared libraries (ldd), and the host's
#     /etc/apparmor.d/tunables and /etc/apparmor.d/abstractions (the profile
#     includes <tunables/global> and <abstractions/base>), and
#     profiles/apparmor/nslab-box, into the initramfs;
#   - call:  sh tests/vm/apparmor-guest.sh  before the bats runs, and add the runs
#       tests/bats/security.bats:LSM|AppArmor
#       tests/bats/labs.bats:lab 19 walks
#     A non-zero exit of this script means AppArmor could not be set up: print
#     its message as a failed TAP line.
set -eu
mkdir -p /sys/kernel/security
grep -q ' /sys/kernel/security ' /proc/mounts ||
	mount -t securityfs securityfs /sys/kernel/security
lsm=$(cat /sys/kernel/security/lsm 2>/dev/null || echo "")
echo "# LSM list in the VM: ${lsm:-none}"
case ",$lsm," in
*,apparmor,*) ;;
*)
	echo "not ok - AppArmor is not active in the VM (lsm: ${lsm:-none}): boot with apparmor=1 security=apparmor"
	exit 1
	;;
esac
[ -d /sys/kernel/security/apparmor ] || {
	echo "not ok - /sys/kernel/security/apparmor is missing"
	exit 1
}
command -v apparmor_parser >/dev/null || {
	echo "not ok - apparmor_parser is not in the initramfs"
	exit 1
}
# Load nslab's profile, as 'lsm load' does, and prove it is in the kernel.
apparmor_parser -r profiles/apparmor/nslab-box
grep -q '^nslab-box ' /sys/kernel/security/apparmor/profiles || {
	echo "not ok - nslab-box did not load"
	exit 1
}
echo "# nslab-box loaded: $(grep '^nslab-box ' /sys/kernel/security/apparmor/profiles)"
