#!/usr/bin/env bash
# Run every test: the cmocka unit binaries given as arguments, then the bats
# suites. Prints one closing line: "N passed, N failed, N skipped".
set -u
cd "$(dirname "$0")/.."
pass=0 fail=0 skip=0
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
bats --tap tests/bats | tee "$tap"
pass=$((pass + $(grep -cE '^ok [0-9]+ ' "$tap" | tr -d ' ') - $(grep -cE '^ok [0-9]+ .*# skip' "$tap")))
skip=$((skip + $(grep -cE '^ok [0-9]+ .*# skip' "$tap")))
fail=$((fail + $(grep -cE '^not ok [0-9]+ ' "$tap")))
rm -f "$tap"
echo
echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
