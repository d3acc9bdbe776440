#!/usr/bin/env bash
# run.sh SECONDS BIN... - fuzz each target for its share of SECONDS.
#
# Each target first replays its seeds and every regression input under
# tests/fuzz/corpus/<target>/ (a crash found once stays a test), then
# explores from there. New inputs go to build/fuzz/corpus/<target>/, never
# into the checked-in seeds; a crash lands in build/fuzz/crashes/ and fails
# the run. The last lines give executions and time per target, and a total.
set -u
cd "$(dirname "$0")/../.."
total=${1:-40}
shift
n=$#
[ "$n" -gt 0 ] || { echo "fuzz: no targets" >&2; exit 2; }
per=$((total / n))
[ "$per" -ge 5 ] || per=5
mkdir -p build/fuzz/crashes build/fuzz/logs
rc=0 sum_execs=0 sum_secs=0
summary=""
for bin in "$@"; do
	t=$(basename "$bin")
	seeds=tests/fuzz/corpus/$t
	work=build/fuzz/corpus/$t
	mkdir -p "$work"
	dict=() opts=(-max_len=4096)
	[ -f "tests/fuzz/$t.dict" ] && dict=(-dict="tests/fuzz/$t.dict")
	# tests/fuzz/<target>.options: flags of its own (a lab is longer than a command)
	[ -f "tests/fuzz/$t.options" ] && read -ra opts <"tests/fuzz/$t.options"
	
	log=build/fuzz/logs/$t.log
	start=$(date +%s)
	# rss_limit: the parsers must not need more; -timeout: no input may hang.
	"$bin" "${dict[@]}" -max_total_time="$per" -timeout=10 -rss_limit_mb=2048 \
		"${opts[@]}" -print_final_stats=1 -artifact_prefix="build/fuzz/crashes/$t-" \
		"$work" "$seeds" >"$log" 2>&1
	st=$?
	secs=$(($(date +%s) - start))
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
	corp=$(ls "$work" | wc -l)
	if [ "$st" -ne 0 ]; then
		echo "fuzz: $t FAILED (status $st); the log is $log, the input in build/fuzz/crashes/" >&2
		grep -E 'ERROR|SUMMARY|runtime error' "$log" | head -5 >&2
		rc=1
	fi
	line=$(printf '%-16s %10s executions in %4d s, corpus %d inputs' "$t" "${execs:-?}" "$secs" "$corp")
	echo "fuzz: $line"
	summary+="$line"$'\n'
	sum_execs=$((sum_execs + ${execs:-0}))
	sum_secs=$((sum_secs + secs))
done
printf '%s' "$summary" >build/fuzz/summary.txt
echo "fuzz: total $sum_execs executions in $sum_secs s ($n targets)" | tee -a build/fuzz/summary.txt
exit $rc
