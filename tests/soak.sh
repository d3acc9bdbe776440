#!/usr/bin/env bash
# soak.sh [CYCLES] - create, use and remove every kind of box CYCLES times
# (default 1000) through ONE nslab process, then check that nothing of it is
# left: no process, no mount, no cgroup (v1 hierarchies or cgroup v2), no
# netns, no veth or bridge, no file under /run/nslab; and that its memory
# (VmRSS) and open fds stayed flat.
#
# The run: one warm-up cycle of every kind, then each kind CYCLES times in a
# row (so a leak or a slowdown is the kind's own), with per-kind checks after
# each; the whole-machine checks after nslab has exited.
#
# NSLAB names the binary (default ./nslab: the release build, whose memory
# figures mean something; ASan's quarantine grows on purpose).
# SOAK_KINDS: a regex; only the kinds whose name matches run (default all).
# SAMPLE_EVERY: cycles between VmRSS/fd samples (default 100; at least five
# samples per kind). SOAK_RSS_SLACK_KB: allowed growth (default 1024).
# SOAK_MINUTES: a time budget; when the warm-up cycle says CYCLES cycles of
# every kind would not fit in it, fewer run (the same number for every kind),
# and the figures say so.
# The box kinds are a table: one line each. Other areas add theirs here.
set -u
cd "$(dirname "$0")/.." || exit 2
CYCLES=${1:-1000}
NSLAB=${NSLAB:-$PWD/nslab}
SAMPLE_EVERY=${SAMPLE_EVERY:-100}
SLACK=${SOAK_RSS_SLACK_KB:-1024}
# Where nslab keeps its sessions (a test run may give each nslab its own).
RUNDIR=${NSLAB_RUNDIR:-/run/nslab}
[ "$CYCLES" -ge 1 ] || { echo "soak: CYCLES must be 1 or more" >&2; exit 2; }
[ "$(id -u)" = 0 ] || { echo "soak: needs root" >&2; exit 77; }

# kind | box new options | command to run inside (the box is s-KIND)
KINDS=(
	"pidmnt   | --ns pid,mnt                                                | true"
	"all      | --ns all                                                    | true"
	"usermap  | --ns user,mnt,pid --uid-map 0:100000:65536 --gid-map 0:100000:65536 | touch /made-by-root"
	"rootless | --ns user,mnt,uts,pid --map-root --hostname soak            | hostname"
	"setgrp   | --ns user,mnt,pid --map-root --setgroups deny               | cat /proc/self/setgroups"
	"time     | --ns time,mnt,pid --boottime-offset 86400 --monotonic-offset 3600 | cat /proc/uptime"
	"chroot   | --ns pid --chroot                                           | true"
	"mntchr   | --ns mnt,ipc,pid --chroot --overlay                         | touch /tmp/x"
	"pivovl   | --ns mnt,uts,pid --pivot --overlay                          | touch /tmp/x"
	"pivcopy  | --ns mnt,uts,pid --pivot --copy                             | touch /tmp/x"
	"cglimit  | --ns pid,mnt --memory 32M --pids 64 --cpu 50%               | cat /proc/self/cgroup"
	"cgns     | --ns cgroup,pid,mnt --cgroup                                | cat /proc/self/cgroup"
	"confine  | --ns user,mnt,pid,uts,ipc --map-root --caps none --nnp --seccomp default | grep -E ^(NoNewPrivs|Seccomp): /proc/self/status"
	"cgadd    | --ns pid,mnt                                                | true"
	"net      | --ns net,mnt,pid,cgroup                                     | ls /proc/self/ns"
	"veth     | --ns net,mnt,pid                                            | ping -c1 -W2 10.200.90.1"
	"bridge   | --ns net,mnt,pid,uts --hostname b                           | ping -c1 -W2 10.200.91.1"
	"docker   | --ns all --pivot --memory 64M --pids 32 --cpu 100% --caps docker --seccomp default --nnp --hostname c | ping -c1 -W2 10.200.92.1"
	"dryrun   | --ns all --memory 32M --pids 8 --overlay --dry-run          | -"
)
# nslab commands after box new / after box rm, ';' between them; @P is the
# nslab's PID (names outside the session, like cgroups, must not collide with
# another run's).
declare -A SETUP=(
	[cgadd]="cg new sk@P; cg set sk@P pids.max 16; cg set sk@P memory.max 16M; cg add sk@P s-cgadd; cg stat sk@P"
	[cglimit]="cg stat s-cglimit"
	[net]="net up s-net"
	[veth]="net veth s-veth --addr 10.200.90.2/24 --host-addr 10.200.90.1/24"
	[bridge]="net bridge sk --addr 10.200.91.1/24; net join s-bridge sk --addr 10.200.91.2/24"
	[docker]="net veth s-docker --addr 10.200.92.2/24 --host-addr 10.200.92.1/24"
)
declare -A TEARDOWN=(
	[bridge]="net rm sk"
	[cgadd]="cg rm sk@P"
)
# A line every cycle of the kind must print (an extended regex), so "use"
# is proven, not assumed.
declare -A EXPECT=(
	[setgrp]='^deny$'
	[cglimit]='^pids +current [0-9]+ of max 64'
	[cgadd]='^pids +current 1 of max 16'
	[confine]='^NoNewPrivs:.1$'
	[veth]='^1 packets transmitted, 1 packets received'
	[bridge]='^1 packets transmitted, 1 packets received'
	[docker]='^1 packets transmitted, 1 packets received'
	[dryrun]='\[box +\] pivot_root'
)

# In its own cgroup namespace the box sees its cgroup as the root: the memory
# line (v1, hybrid) or the one line (cgroup v2 alone) ends in ":/".
if [ -e /sys/fs/cgroup/cgroup.controllers ]; then
	EXPECT[cgns]='^0::/$'
else
	EXPECT[cgns]='^[0-9]+:memory:/$'
fi

trim() { local s="$1"; s="${s#"${s%%[![:space:]]*}"}"; printf '%s' "${s%"${s##*[![:space:]]}"}"; }

names=() opts=() cmds=()
for k in "${KINDS[@]}"; do
	IFS='|' read -r n o c <<<"$k"
	n=$(trim "$n")
	[[ "$n" =~ ${SOAK_KINDS:-.} ]] || continue
	names+=("$n") opts+=("$(trim "$o")") cmds+=("$(trim "$c")")
done
[ ${#names[@]} -gt 0 ] || { echo "soak: no kind matches SOAK_KINDS=$SOAK_KINDS" >&2; exit 2; }

work=$(mktemp -d /tmp/nslab-soak.XXXXXX)
PID=
trap 'exec {FD}>&- 2>/dev/null; [ -n "$PID" ] && kill "$PID" 2>/dev/null; rm -rf "$work"' EXIT
mkfifo "$work/in"
# Every process this nslab forks carries the tag in its environment, so one
# left behind is found whatever its name or parent.
TAG="NSLAB_SOAK_TAG=${work##*/}"

fail=0
bad() { echo "soak: FAIL: $*"; fail=1; }

# nslab's cgroups: nslab/ in every v1 hierarchy (/sys/fs/cgroup/NAME/nslab),
# in a hybrid's cgroup2 mount (/sys/fs/cgroup/unified/nslab) and in a pure
# cgroup v2 tree (/sys/fs/cgroup/nslab). A box's is nslab/<nslab pid>-<box>.
cgroups_of() { find /sys/fs/cgroup -maxdepth 4 -type d -path "*/nslab/$1" 2>/dev/null; }
# What exists before: the machine may run other nslab sessions of its own.
snap() {
	{
		find /sys/fs/cgroup -maxdepth 3 -type d -name 'nslab*' 2>/dev/null
		cgroups_of '*'
		for f in /run/netns/nsl*; do [ -e "$f" ] && echo "netns ${f##*/}"; done
		ip -o link 2>/dev/null | awk -F': ' '{print $2}' | grep '^nsl' | sed 's/^/link /'
	} | LC_ALL=C sort -u
}
snap >"$work/before"

env "$TAG" "$NSLAB" --lang en <"$work/in" >"$work/out" 2>&1 &
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
# PIDs of the processes named $1 (/proc/PID/comm; pgrep is not everywhere).
pids_named() {
	local f
	for f in /proc/[0-9]*/comm; do
		[ "$(cat "$f" 2>/dev/null)" = "$1" ] && { f=${f#/proc/}; echo "${f%/comm}"; }
	done
}
# Lines of file $2 that are not in file $1.
added() { grep -vxF -f "$1" "$2"; }
rss() { awk '/^VmRSS:/ {print $2}' "/proc/$PID/status"; }
fds() { ls "/proc/$PID/fd" | wc -l; }
now() { date +%s.%N; }
since() { echo "$(now) - $1" | bc; }
lines() { wc -l <"$work/out"; }

# One cycle of kind i: make, set up, use, remove, tear down.
send_cycle() {
	local i=$1 n=${names[$1]} b="s-${names[$1]}"
	{
		echo "box new $b ${opts[$i]}"
		[[ "${opts[$i]}" == *--dry-run* ]] && return
		[ -n "${SETUP[$n]:-}" ] && tr ';' '\n' <<<"${SETUP[$n]//@P/$PID}"
		echo "run ${cmds[$i]}"
		echo "box rm $b"
		[ -n "${TEARDOWN[$n]:-}" ] && tr ';' '\n' <<<"${TEARDOWN[$n]//@P/$PID}"
	} >&"$FD"
}

# Processes carrying the tag, with their names; the nslab itself and, while
# it runs, the holder of its host-side network namespace aside.
tagged() {
	local f p h=
	[ -e "$RUNDIR/$PID/netns-host" ] && h=$(cut -d' ' -f1 "$RUNDIR/$PID/netns-host")
	for f in $(grep -lzxF "$TAG" /proc/[0-9]*/environ 2>/dev/null); do
		p=${f#/proc/} p=${p%/environ}
		[ "$p" = "$PID" ] || [ "$p" = "$h" ] || echo "$p($(cat "/proc/$p/comm" 2>/dev/null))"
	done
}

# After every kind (and the warm-up), with nslab still running: nothing of
# its boxes is left, and the output of lines FROM..TO holds no error.
check_left() {
	local n=$1 from=$2 to=$3 left h errs
	left=$(ls -A "$RUNDIR/$PID/boxes" 2>/dev/null)
	[ -z "$left" ] || bad "$n: box directories left: $left"
	left=$(cgroups_of "$PID-*"; cgroups_of "sk$PID")
	[ -z "$left" ] || bad "$n: cgroups left: $left"
	left=$(tagged)
	[ -z "$left" ] || bad "$n: processes left besides nslab: $left"
	left=$(grep -c "$RUNDIR/$PID/" /proc/self/mountinfo)
	[ "$left" -eq 0 ] || bad "$n: $left mounts under $RUNDIR/$PID"
	# The host side of the boxes' links is nslab's own network namespace.
	if [ -e "$RUNDIR/$PID/netns-host" ]; then
		h=$(cut -d' ' -f1 "$RUNDIR/$PID/netns-host")
		left=$(nsenter -t "$h" -n ip -o link 2>/dev/null | awk -F': ' '{print $2}' |
			sed 's/@.*//' | grep -vx lo)
		[ -z "$left" ] || bad "$n: links left on nslab's host side:" $left
	fi
	errs=$(sed -n "${from},${to}p" "$work/out" | grep '^nslab: ')
	[ -z "$errs" ] || { bad "$n: error lines:"; sort <<<"$errs" | uniq -c | head; }
}
# Lines FROM..TO that match an extended regex.
count() { sed -n "${1},${2}p" "$work/out" | grep -cE "$3"; }

sync_nslab
rss0=$(rss) fds0=$(fds)
start=$(now)
from=$(lines)
for i in "${!names[@]}"; do send_cycle "$i"; done
sync_nslab
rss_w=$(rss) fds_w=$(fds)
boxes=$(count "$from" "$(lines)" '^box s-.*: pid [0-9]+ \(host\)')
printf 'soak: warm-up  %5d cycle  %6d boxes %7.1f s            VmRSS kB %d -> %d  fds %d -> %d\n' \
	1 "$boxes" "$(since "$start")" "$rss0" "$rss_w" "$fds0" "$fds_w"
check_left warm-up "$from" "$(lines)"
if [ -n "${SOAK_MINUTES:-}" ]; then
	# The warm-up is one cycle of every kind (with first-time costs): a fair
	# measure of one cycle. 5 % of the budget is kept for the checks.
	fit=$(echo "${SOAK_MINUTES} * 60 * 0.95 / $(since "$start")" | bc)
	if [ "$fit" -lt "$CYCLES" ]; then
		[ "$fit" -ge 1 ] || fit=1
		echo "soak: $CYCLES cycles of every kind would take more than $SOAK_MINUTES min here:" \
			"$fit cycles of each run"
		CYCLES=$fit
	fi
fi
[ "$CYCLES" -lt $((5 * SAMPLE_EVERY)) ] && SAMPLE_EVERY=$(( CYCLES >= 5 ? CYCLES / 5 : 1 ))
echo "soak: $CYCLES cycles of each of ${#names[@]} kinds of box through nslab pid $PID" \
	"(after a warm-up cycle of every kind)"
all_rss=("$rss0" "$rss_w") all_fds=("$fds0" "$fds_w")
for i in "${!names[@]}"; do
	n=${names[$i]}
	t0=$(now)
	from=$(lines)
	ks=("$(rss)") kf=("$(fds)")
	for ((c = 1; c <= CYCLES; c++)); do
		send_cycle "$i"
		if ((c % SAMPLE_EVERY == 0 || c == CYCLES)); then
			sync_nslab
			ks+=("$(rss)") kf+=("$(fds)")
		fi
	done
	secs=$(since "$t0")
	to=$(lines)
	check_left "$n" "$from" "$to"
	want=$CYCLES
	[[ "${opts[$i]}" == *--dry-run* ]] && want=0
	made=$(count "$from" "$to" "^box s-$n: pid [0-9]+ \\(host\\)")
	[ "$made" -eq "$want" ] || bad "$n: $made boxes made, $want wanted"
	if [ -n "${EXPECT[$n]:-}" ]; then
		seen=$(count "$from" "$to" "${EXPECT[$n]}")
		[ "$seen" -eq "$CYCLES" ] || bad "$n: '${EXPECT[$n]}' seen $seen times, $CYCLES wanted"
	fi
	boxes=$((boxes + made))
	max=$(printf '%s\n' "${ks[@]}" | sort -n | tail -1)
	printf 'soak: %-8s %5d cycles %6d boxes %7.1f s %6.1f/s  VmRSS kB %s (max %d)  fds %d -> %d\n' \
		"$n" "$CYCLES" "$made" "$secs" "$(echo "scale=1; $CYCLES / $secs" | bc)" \
		"${ks[*]}" "$max" "${kf[0]}" "${kf[-1]}"
	g=$((ks[-1] - ks[0]))
	[ "$g" -le "$SLACK" ] || bad "$n: VmRSS grew by $g kB (${ks[0]} -> ${ks[-1]} kB)"
	[ "${kf[0]}" -eq "${kf[-1]}" ] || bad "$n: fds went from ${kf[0]} to ${kf[-1]}"
	all_rss+=("${ks[@]:1}") all_fds+=("${kf[@]:1}")
done
elapsed=$(since "$start")
exec {FD}>&-
wait "$PID"
st=$?
[ "$st" -eq 0 ] || bad "nslab exited with status $st"

# nslab is gone: nothing of its run may be left anywhere on the machine.
[ ! -e "$RUNDIR/$PID" ] || bad "$RUNDIR/$PID is still there"
n=$(grep -c "$RUNDIR/$PID/" /proc/self/mountinfo)
[ "$n" -eq 0 ] || bad "$n mounts under $RUNDIR/$PID"
left=$(cgroups_of "$PID-*"; cgroups_of "sk$PID")
[ -z "$left" ] || bad "cgroups left: $left"
# Its processes: anything that carries the tag (box PID 1s, launchers, the
# holder of the host-side network namespace) ...
left=$(tagged)
[ -z "$left" ] || bad "processes of this run left: $left"
# ... and, by name, an nslab-init or nslab-netns whose nslab is gone (one that
# lost the tag would still be one of these). Other nslab runs on the machine
# may be ending right now: only an orphan that stays 2 s counts.
orphans() {
	for p in $(pids_named nslab-init; pids_named nslab-netns); do
		pp=$(awk '/^PPid:/ {print $2}' "/proc/$p/status" 2>/dev/null) || continue
		[ "$(cat "/proc/$pp/comm" 2>/dev/null)" = nslab ] || echo "$p"
	done
}
o1=$(orphans)
if [ -n "$o1" ]; then
	sleep 2
	for p in $(orphans); do
		grep -qx "$p" <<<"$o1" &&
			bad "orphan process $p ($(cat "/proc/$p/comm" 2>/dev/null)): $(tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null)"
	done
fi
# Names: cgroups nslab*, netns and links nsl* that were not there before.
# Another nslab run may be going on: a box cgroup named after a live nslab's
# PID is its, and so may be an nslab/ parent or a cgroup made by 'cg new'.
snap >"$work/after"
new=$(added "$work/before" "$work/after")
if [ -n "$new" ]; then
	sleep 2
	snap >"$work/after"
	others=$(pids_named nslab | grep -vx "$PID")
	while read -r l; do
		[ -n "$l" ] || continue
		if [[ "$l" =~ /nslab/([0-9]+)- ]]; then
			[ "${BASH_REMATCH[1]}" != "$PID" ] && kill -0 "${BASH_REMATCH[1]}" 2>/dev/null && continue
		elif [[ "$l" == /sys/fs/cgroup/* && -n "$others" ]]; then
			continue
		fi
		bad "left behind: $l"
	done < <(added "$work/before" "$work/after")
fi
# Sessions of other dead nslabs (a crash test's, say) are not this run's:
# the next nslab to start removes them. Say so, but they do not fail the soak.
if [ -d "$RUNDIR" ]; then
	for d in "$RUNDIR"/*/; do
		[ -d "$d" ] || continue
		kill -0 "$(basename "$d")" 2>/dev/null ||
			echo "soak: note: $d is the session of another nslab, now dead (not this run's)"
	done
fi

# Memory: growth over the whole run after the warm-up cycle stays under
# SLACK kB (1 MiB; ASan's quarantine grows by design).
first=${all_rss[1]} last=${all_rss[-1]}
max=$(printf '%s\n' "${all_rss[@]}" | sort -n | tail -1)
growth=$((last - first))
[ "$growth" -le "$SLACK" ] || bad "VmRSS grew by $growth kB after the warm-up ($first -> $last kB)"
# fds: a file nslab opens once and keeps (on first use, in the warm-up) is
# not a leak; after the warm-up the count must not move.
[ "${all_fds[1]}" -eq "${all_fds[-1]}" ] ||
	bad "fds went from ${all_fds[1]} after the warm-up to ${all_fds[-1]}"
fmax=$(printf '%s\n' "${all_fds[@]}" | sort -n | tail -1)

rate=$(echo "scale=1; $boxes / $elapsed" | bc)
echo "soak: total: $CYCLES cycles of ${#names[@]} kinds (+1 warm-up cycle each), $boxes boxes made," \
	"used and removed in ${elapsed%.*} s ($rate boxes/s)"
echo "soak: total: VmRSS kB: start ${all_rss[0]}, after warm-up $first, last $last, max $max" \
	"(growth after warm-up $growth kB); fds ${all_fds[0]} -> ${all_fds[-1]} (max $fmax)"
[ "$fail" -eq 0 ] && echo "soak: PASS: nothing left behind" || echo "soak: FAILED"
exit $fail
