# Canaries on the host, for tests of labs that escape or exhaust (chroot
# escape, fork bomb, memory hog, release_agent): plant them before, check them
# after; whatever ran in the box must not have reached the host.
#
#   load helper
#   load confine
#   setup()    { need_root; confine_plant; }
#   teardown() { confine_check; confine_remove; ...; }
#
# What is watched:
#   - a canary file in / with random content (an escape that writes or deletes
#     it changed the host's root);
#   - no new entry in / besides the canary (an escape that creates files);
#   - the host's hostname and the checksums of /etc/hostname, /etc/passwd,
#     /etc/hosts;
#   - the mount table of the test's mount namespace: no mount added or
#     removed, apart from nslab's own state, netns and cgroup trees (other
#     runs on the machine use those);
#   - the test process's own namespaces (nothing made it join another one).
# confine_check prints every difference and fails if there is one.

confine_plant() {
	CONFINE_DIR="$BATS_TEST_TMPDIR/confine"
	mkdir -p "$CONFINE_DIR"
	CONFINE_CANARY="/nslab-canary-$$-${BATS_TEST_NUMBER:-0}"
	head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$CONFINE_CANARY"
	cp "$CONFINE_CANARY" "$CONFINE_DIR/canary"
	_confine_snapshot >"$CONFINE_DIR/before"
}

_confine_mounts() {
	# mount point and fs type; the IDs change with every remount, these do not
	awk '{ for (i = 7; $i != "-"; i++); print $5, $(i + 1) }' /proc/self/mountinfo |
		grep -vE '^/run/(nslab|netns)(/| )|^/sys/fs/cgroup/' | sort
}

_confine_snapshot() {
	echo "hostname $(hostname)"
	for f in /etc/hostname /etc/passwd /etc/hosts; do
		[ -e "$f" ] && echo "sum $f $(sha256sum <"$f" | cut -c1-16)"
	done
	ls -A / | grep -v '^nslab-canary-' | sed 's/^/root-entry /'
	_confine_mounts | sed 's/^/mount /'
	for n in /proc/self/ns/*; do echo "ns $(basename "$n") $(readlink "$n")"; done
}

confine_check() {
	local bad=0
	if [ ! -f "$CONFINE_CANARY" ]; then
		echo "confine: the canary $CONFINE_CANARY is gone from the host's /" >&2
		bad=1
	elif ! cmp -s "$CONFINE_CANARY" "$CONFINE_DIR/canary"; then
		echo "confine: the canary $CONFINE_CANARY was changed" >&2
		bad=1
	fi
	_confine_snapshot >"$CONFINE_DIR/after"
	if ! diff -u "$CONFINE_DIR/before" "$CONFINE_DIR/after" >"$CONFINE_DIR/diff"; then
		echo "confine: the host changed:" >&2
		grep -E '^[-+][a-z]' "$CONFINE_DIR/diff" >&2
		bad=1
	fi
	[ "$bad" -eq 0 ] || fail "confine: something reached the host"
}

confine_remove() {
	[ -n "${CONFINE_CANARY:-}" ] && rm -f "$CONFINE_CANARY"
	return 0
}
