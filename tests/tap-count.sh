#!/usr/bin/env bash
# tests/tap-count.sh TAP_FILE [NAMES_FILE]: count a bats TAP stream against its
# plans. Prints "N passed, N failed, N skipped" as the last line. Every test a
# plan (1..N) announced and that printed no result line is counted failed, by
# name when NAMES_FILE (one test name per line, in order: bats --list style)
# is given, so "Executed X instead of expected Y" can never pass silently.
set -u
tap=$1 names=${2:-}
planned=$(sed -n 's/^1\.\.\([0-9][0-9]*\).*$/\1/p' "$tap" | awk '{ n += $1 } END { print n + 0 }')
skip=$(grep -cE '^ok [0-9]+ .*# skip' "$tap")
ok=$(grep -cE '^ok [0-9]+ ' "$tap")
fail=$(grep -cE '^not ok [0-9]+ ' "$tap")
pass=$((ok - skip))
missing=$((planned - ok - fail))
if [ "$missing" -gt 0 ]; then
	echo "# $missing of $planned planned tests printed no result line (counted failed):"
	if [ -n "$names" ] && [ -s "$names" ]; then
		seen=$(sed -nE 's/^(not )?ok ([0-9]+) .*/\2/p' "$tap")
		n=0
		while IFS= read -r name; do
			n=$((n + 1))
			grep -qx "$n" <<<"$seen" || echo "#   $n $name"
		done <"$names"
	else
		seen=$(sed -nE 's/^(not )?ok ([0-9]+) .*/\2/p' "$tap")
		for ((i = 1; i <= planned; i++)); do
			grep -qx "$i" <<<"$seen" || echo "#   test $i"
		done
	fi
	fail=$((fail + missing))
fi
[ "$planned" -gt 0 ] || { [ $((ok + fail)) -gt 0 ] || { echo "# no TAP plan and no results"; fail=$((fail + 1)); }; }
echo "$pass passed, $fail failed, $skip skipped"
