# bats runs this once around a whole run (any files of this directory).
# Each run keeps its nslab sessions under its own NSLAB_RUNDIR, so a test that
# kills nslab or looks for leftovers sees only this run's state.

setup_suite() {
	export NSLAB_RUNDIR="/run/nslab-tests/$(basename "$BATS_RUN_TMPDIR")"
	[ "$(id -u)" = 0 ] || return 0
	local nslab=${NSLAB:-$BATS_TEST_DIRNAME/../../nslab} d
	# Runs that were stopped before their teardown (Ctrl-C, a killed CI
	# job): a start of nslab in their directory removes what their dead
	# sessions left (processes, mounts, cgroups, links), like at any start.
	for d in /run/nslab-tests/*/; do
		[ -d "$d" ] || continue
		NSLAB_RUNDIR=${d%/} "$nslab" --lang en -c '' >/dev/null 2>&1 || true
		# Not empty: a run still going (another suite beside this one).
		if rmdir "$d" 2>/dev/null; then
			rm -f "${d%/}"-rootfs-*.ok
		fi
	done
}

teardown_suite() {
	[ "$(id -u)" = 0 ] || return 0
	rm -f "$NSLAB_RUNDIR"-rootfs-*.ok
	rmdir "$NSLAB_RUNDIR" /run/nslab-tests 2>/dev/null || true
}
