#!/usr/bin/env bash
# Run every test: the cmocka unit binaries given as arguments, the bats suites
# on this host, and the cgroup tests on a pure cgroup v2 kernel under qemu
# (tests/vm/run-v2.sh; NSLAB_V2=0 leaves that stage out of a quick local run).
# Prints one closing line for all of it: "N passed, N failed, N skipped".
set -u
cd "$(dirname "$0")/.."
pass=0 fail=0 skip=0
# The VM mostly waits on one emulated CPU while the host's tests mostly wait
# on the kernel: it runs beside them, and its lines are printed at the end.
v2log=$(mktemp)
v2pid=
if [ "${NSLAB_V2:-1}" != 0 ]; then
	NSLAB_VM_SMP=1 bash tests/vm/run-v2.sh >"$v2log" 2>&1 </dev/null &
	v2pid=$!
fi
for t in "$@"; do
	out=$("$t" 2>&1)
	rc=$?
	echo "$out" | grep -E '^\[ *(RUN|OK|FAILED|PASSED|SKIPPED|ERROR) *\]|^\[==========\]' | grep -vE '^\[ RUN' 
	p=$(echo "$out" | grep -cE '^\[       OK \]')
	f=$(echo "$out" | grep -cE '^\[  FAILED  \] [a-z_]')
	s=$(echo "$out" | grep -cE '^\[  SKIPPED \] [a-z_]')
	if [ $rc -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "$out" | tail -20
		f=1
	fi
	pass=$((pass + p)) fail=$((fail + f)) skip=$((skip + s))
done
tap=$(mktemp)
names=$(mktemp)
BATS_DIR=${NSLAB_BATS_DIR:-tests/bats}
bats --tap --timing "$BATS_DIR" | tee "$tap"
# The names in the order bats runs them (files sorted), to name a test that
# printed no result line; used only when their number is bats --count's.
for f in "$BATS_DIR"/*.bats; do
	sed -nE 's/^@test +"(([^"\\]|\\.)*)".*/\1/p' "$f"
done >"$names"
[ "$(wc -l <"$names")" -eq "$(bats --count "$BATS_DIR" 2>/dev/null || echo -1)" ] || : >"$names"
counted=$(bash tests/tap-count.sh "$tap" "$names")
grep '^#' <<<"$counted"
read -r p _ f _ s _ <<<"$(tail -1 <<<"$counted")"
pass=$((pass + p)) fail=$((fail + f)) skip=$((skip + s))
rm -f "$tap" "$names"
if [ -n "$v2pid" ]; then
	echo "# cgroup v2 stage: tests/vm/run-v2.sh (the same binary, in a qemu VM)"
	wait "$v2pid"
	sed 's/^/v2: /' "$v2log"
	read -r p _ f _ s _ <<<"$(tail -1 "$v2log")"
	if [[ "$p$f$s" =~ ^[0-9]+$ ]]; then
		pass=$((pass + p)) fail=$((fail + f)) skip=$((skip + s))
	else
		echo "# the v2 stage printed no summary"
		fail=$((fail + 1))
	fi
fi
rm -f "$v2log"
echo
echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
