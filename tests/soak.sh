#!/usr/bin/env bash
# soak.sh [CYCLES] - create, use and remove every kind of box CYCLES times
# (default 1000) through ONE nslab process, then check that nothing of it is
# left: no process, no mount, no cgroup, no netns, no veth or bridge, no file
# under /run/nslab; and that its memory (VmRSS) and open fds stayed flat.
#
# NSLAB names the binary (default ./nslab: the release build, whose memory
# figures mean something; ASan's quarantine grows on purpose).
# The box kinds are a table: one line each. Other areas add theirs here.
set -u
cd "$(dirname "$0")/.."
CYCLES=${1:-1000}
NSLAB=${NSLAB:-$PWD/nslab}
SAMPLE_EVERY=${SAMPLE_EVERY:-100}
RUNDIR=${NSLAB_RUNDIR:-/run/nslab}
# At least five samples after the start, so growth can be told from noise.
[ "$CYCLES" -lt $((5 * SAMPLE_EVERY)) ] && SAMPLE_EVERY=$(( CYCLES >= 5 ? CYCLES / 5 : 1 ))
[ "$(id -u)" = 0 ] || { echo "soak: needs root" >&2; exit 77; }

# kind | box new options | command to run inside
KINDS=(
	"pidmnt   | --ns pid,mnt                                               | true"
	"all      | --ns all                                                   | true"
	"usermap  | --ns user,mnt,pid --uid-map 0:100000:65536                 | touch /made-by-root"
	"rootless | --ns user,mnt,uts,pid --map-root --hostname soak           | hostname"
	"time     | --ns time,mnt,pid --boottime-offset 86400 --monotonic-offset 3600 | cat /proc/uptime"
	"chroot   | --ns pid --chroot                                          | true"
	"mntchr   | --ns mnt,ipc,pid --chroot --overlay                        | touch /tmp/x"
	"pivcopy  | --ns mnt,uts,pid --pivot --copy                            | touch /tmp/x"
	"net      | --ns net,mnt,pid,cgroup                                    | ls /proc/self/ns"
)
# cgroup limits and networks (other areas) add lines like:
#	"cgmem    | --ns pid,mnt --memory 32M --pids 64                        | true"
#	"veth     | --ns net,mnt,pid --net veth                               | ip link"

trim() { local s="$1"; s="${s#"${s%%[![:space:]]*}"}"; printf '%s' "${s%"${s##*[![:space:]]}"}"; }

work=$(mktemp -d /tmp/nslab-soak.XXXXXX)
trap 'exec {FD}>&- 2>/dev/null; kill "$PID" 2>/dev/null; rm -rf "$work"' EXIT
mkfifo "$work/in"

# What exists before: the machine may run other nslab sessions of its own.
snap() {
	find /sys/fs/cgroup -maxdepth 3 -name 'nslab*' 2>/dev/null | sort
	ls /run/netns 2>/dev/null | grep '^nsl' | sed 's/^/netns /'
	ip -o link 2>/dev/null | awk -F': ' '{print $2}' | grep '^nsl' | sed 's/^/link /'
}
snap >"$work/before"

"$NSLAB" --lang en <"$work/in" >"$work/out" 2>&1 &
PID=$!
exec {FD}>"$work/in"

mark=0
# Wait until everything sent so far has run.
sync_nslab() {
	mark=$((mark + 1))
	echo "echo @@mark $mark" >&"$FD"
	until grep -q "^@@mark $mark\$" "$work/out"; do
		kill -0 "$PID" 2>/dev/null || { echo "soak: nslab died"; tail -20 "$work/out"; exit 1; }
		sleep 0.05
	done
}
rss() { awk '/^VmRSS:/ {print $2}' "/proc/$PID/status"; }
fds() { ls "/proc/$PID/fd" | wc -l; }

sync_nslab
echo "soak: $CYCLES cycles of ${#KINDS[@]} kinds of box through nslab pid $PID"
printf 'soak: %8s %10s %5s %8s\n' cycle "VmRSS kB" fds seconds
samples=("$(rss)") fdsamples=("$(fds)")
printf 'soak: %8d %10d %5d %8.1f\n' 0 "${samples[0]}" "${fdsamples[0]}" 0
start=$(date +%s.%N)
for ((c = 1; c <= CYCLES; c++)); do
	for k in "${KINDS[@]}"; do
		IFS='|' read -r name opts cmd <<<"$k"
		name=$(trim "$name") opts=$(trim "$opts") cmd=$(trim "$cmd")
		printf 'box new s-%s %s\nrun %s\nbox rm s-%s\n' "$name" "$opts" "$cmd" "$name" >&"$FD"
	done
	if ((c % SAMPLE_EVERY == 0 || c == CYCLES)); then
		sync_nslab
		r=$(rss) f=$(fds)
		samples+=("$r") fdsamples+=("$f")
		printf 'soak: %8d %10d %5d %8.1f\n' "$c" "$r" "$f" "$(echo "$(date +%s.%N) - $start" | bc)"
	fi
done
sync_nslab
elapsed=$(echo "$(date +%s.%N) - $start" | bc)
boxes=$((CYCLES * ${#KINDS[@]}))
exec {FD}>&-
wait "$PID"
st=$?
fail=0
bad() { echo "soak: FAIL: $*"; fail=1; }
[ "$st" -eq 0 ] || bad "nslab exited with status $st"
errors=$(grep -c '^nslab: ' "$work/out")
[ "$errors" -eq 0 ] || { bad "$errors error line(s):"; grep '^nslab: ' "$work/out" | sort | uniq -c | head; }
made=$(grep -c '^box s-.*: pid [0-9]* (host)' "$work/out")
[ "$made" -eq "$boxes" ] || bad "$made boxes made, $boxes wanted"

# Nothing of this run may be left.
[ ! -e "$RUNDIR/$PID" ] || bad "$RUNDIR/$PID is still there"
n=$(grep -c "$RUNDIR/$PID/" /proc/self/mountinfo)
[ "$n" -eq 0 ] || bad "$n mounts under $RUNDIR/$PID"
# A leaked box would be an nslab-init whose nslab is gone (re-parented).
# Other nslab runs on the machine may be ending right now: only an orphan
# that stays 2 s counts.
orphans() {
	for p in $(pgrep -x nslab-init); do
		pp=$(awk '/^PPid:/ {print $2}' "/proc/$p/status" 2>/dev/null) || continue
		[ "$(cat "/proc/$pp/comm" 2>/dev/null)" = nslab ] || echo "$p"
	done
}
o1=$(orphans)
if [ -n "$o1" ]; then
	sleep 2
	for p in $(orphans); do
		grep -qx "$p" <<<"$o1" && bad "orphan box process $p: $(tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null)"
	done
fi
snap >"$work/after"
new=$(comm -13 "$work/before" "$work/after")
[ -z "$new" ] || bad "left behind: $new"
if [ -d "$RUNDIR" ]; then
	for d in "$RUNDIR"/*/; do
		[ -d "$d" ] || continue
		kill -0 "$(basename "$d")" 2>/dev/null || bad "session $d of a dead nslab"
	done
fi

# Memory: after the first sample (allocator warm-up), growth stays under
# 1 MiB in all (SOAK_RSS_SLACK_KB: ASan's quarantine grows by design); fds do
# not grow at all.
first=${samples[0]} last=${samples[-1]}
[ ${#samples[@]} -gt 2 ] && first=${samples[1]}
echo "soak: VmRSS samples (kB): ${samples[*]}"
growth=$((last - first))
[ "$growth" -le "${SOAK_RSS_SLACK_KB:-1024}" ] || bad "VmRSS grew by $growth kB ($first -> $last kB)"
[ "${fdsamples[0]}" -eq "${fdsamples[-1]}" ] || bad "fds went from ${fdsamples[0]} to ${fdsamples[-1]}"

rate=$(echo "scale=1; $boxes / $elapsed" | bc)
echo "soak: $CYCLES cycles, $boxes boxes made, used and removed in ${elapsed%.*} s ($rate boxes/s);" \
	"VmRSS ${samples[0]} -> $last kB (growth after warm-up $growth kB); fds ${fdsamples[0]} -> ${fdsamples[-1]}"
[ "$fail" -eq 0 ] && echo "soak: PASS: nothing left behind" || echo "soak: FAILED"
exit $fail
