#!/usr/bin/env bash
# bench/run.sh - nslab against its peers, in one run, printed as medians and
# ratios (make bench; not part of make check). Needs root.
#
#   box start   nslab -c 'box new b --ns all; run true; box rm b' against
#               unshare (same namespaces; and with chroot + /proc), bubblewrap
#               and crun on the same busybox rootfs; and the cost per cycle
#               inside one nslab process
#   pane        one snapshot of the process tree at ~80 and ~2,000 processes,
#               against lsns and pstree -p
#   startup     nslab -c '', exec to the first interactive prompt (pty), and
#               peak resident memory
#
# Knobs (environment): RUNS (100), WARMUP (10), BIG_RUNS (runs at ~2,000
# processes, 30), BIG (process count for the big snapshot, 2000), CYCLES (box
# cycles in one nslab process, 50), OUT (build/bench), NSLAB (./nslab).
set -euo pipefail

cd "$(dirname "$0")/.."
REPO=$PWD
NSLAB=${NSLAB:-$REPO/nslab}
ROOTFS=${NSLAB_ROOTFS:-$REPO/rootfs/busybox}
RUNS=${RUNS:-100}
WARMUP=${WARMUP:-10}
BIG_RUNS=${BIG_RUNS:-30}
BIG=${BIG:-2000}
CYCLES=${CYCLES:-50}
OUT=${OUT:-$REPO/build/bench}
CRUN_ID=nslab-bench-crun

# The pane figure: what one refresh of the process pane costs. The pane's
# snapshot command; the first of these that works is measured.
PANE_CANDIDATES=("$NSLAB top --once" "$NSLAB -c tree")

export NSLAB_ROOTFS=$ROOTFS NSLAB_STATE_DIR=$OUT/state LC_ALL=C.UTF-8

die() { echo "bench: $*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || die "needs root (box start, crun and unshare all need it): sudo make bench"
[ -x "$NSLAB" ] || die "no $NSLAB: run make first"
[ -x "$ROOTFS/bin/sh" ] || die "no rootfs at $ROOTFS: run make rootfs first"

# ---- peers: install what is missing ----
missing=()
for pair in hyperfine:hyperfine bwrap:bubblewrap crun:crun jq:jq unshare:util-linux \
	lsns:util-linux pstree:psmisc python3:python3 /usr/bin/time:time; do
	command -v "${pair%%:*}" >/dev/null 2>&1 || missing+=("${pair#*:}")
done
if [ ${#missing[@]} -gt 0 ]; then
	echo "bench: installing ${missing[*]}"
	DEBIAN_FRONTEND=noninteractive apt-get install -y "${missing[@]}" >/dev/null
fi
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3

mkdir -p "$OUT" "$NSLAB_STATE_DIR"
RESULTS=$OUT/results.tsv # key, median seconds, command
: >"$RESULTS"
: >"$OUT/hyperfine.log"

# ---- cleanup: our sleepers (by pid), crun's cgroups (our name only) ----
SLEEPERS=()
cleanup() {
	if [ ${#SLEEPERS[@]} -gt 0 ]; then
		kill "${SLEEPERS[@]}" 2>/dev/null || true
		wait "${SLEEPERS[@]}" 2>/dev/null || true
		SLEEPERS=()
	fi
	for d in /sys/fs/cgroup/*/"$CRUN_ID" /sys/fs/cgroup/"$CRUN_ID"; do
		[ -d "$d" ] && rmdir "$d" 2>/dev/null || true
	done
}
trap cleanup EXIT
trap 'exit 130' INT TERM

nprocs() { local n=0 d; for d in /proc/[0-9]*; do n=$((n + 1)); done; echo "$n"; }

# hf GROUP RUNS [PREFIX...] -- KEY CMD [KEY CMD...]: one hyperfine run over the
# commands (no intermediate shell: -N); medians go to results.tsv. A PREFIX
# wraps hyperfine itself (crun's private mount namespace).
hf() {
	local group=$1 runs=$2
	shift 2
	local prefix=()
	while [ "$1" != -- ]; do prefix+=("$1"); shift; done
	shift
	local args=() keys=() cmds=()
	while [ $# -gt 0 ]; do
		keys+=("$1"); cmds+=("$2")
		args+=(--command-name "$1" "$2")
		shift 2
	done
	"${prefix[@]}" hyperfine -N ${HF_EXTRA:-} --warmup "$WARMUP" --runs "$runs" --style none \
		--export-json "$OUT/$group.json" "${args[@]}" >/dev/null 2>>"$OUT/hyperfine.log" ||
		{ tail -n 5 "$OUT/hyperfine.log" >&2; die "hyperfine failed in group $group"; }
	for i in "${!keys[@]}"; do
		printf '%s\t%s\t%s\n' "${keys[$i]}" \
			"$(jq -r --arg k "${keys[$i]}" '.results[] | select(.command == $k) | .median' \
				"$OUT/$group.json")" "${cmds[$i]}" >>"$RESULTS"
	done
}

# add KEY SECONDS COMMAND: a figure computed here, not by hyperfine.
add() { printf '%s\t%s\t%s\n' "$1" "$2" "$3" >>"$RESULTS"; }
med() { awk -F'\t' -v k="$1" '$1 == k { print $2; f = 1 } END { if (!f) print "" }' "$RESULTS"; }
cmd_of() { awk -F'\t' -v k="$1" '$1 == k { print $3 }' "$RESULTS"; }

# The peers run on the rootfs itself (read-only binds, chroot): check after
# that none of them left anything in it.
find "$ROOTFS" | sort >"$OUT/rootfs.before"

echo "bench: $(nproc) CPUs, $(uname -r), load $(cut -d' ' -f1-3 /proc/loadavg), $(nprocs) processes"
echo "bench: $RUNS runs per figure ($BIG_RUNS at $BIG processes), $WARMUP warm-up; JSON in $OUT"

# ---------------------------------------------------------------- box start
echo "bench: box start ..."
NS7="--fork --pid --mount --uts --ipc --net --cgroup"
NS8="$NS7 --user --map-root-user --time"
hf box "$RUNS" -- \
	true "/bin/true" \
	nslab_box "$NSLAB -c 'box new b --ns all; run true; box rm b'" \
	unshare7 "unshare $NS7 true" \
	unshare8 "unshare $NS8 true" \
	unshare8_root "unshare $NS8 --root=$ROOTFS --mount-proc /bin/true" \
	bwrap "bwrap --ro-bind $ROOTFS / --unshare-all --proc /proc --dev /dev /bin/true"

# crun: an OCI bundle over the same rootfs, with the same eight namespaces and
# the same uid map (0 0 1). crun 1.8 refuses a hybrid cgroup layout; inside a
# private mount namespace, a tmpfs over /sys/fs/cgroup/unified makes it use v1.
BUNDLE=$OUT/crun-bundle
rm -rf "$BUNDLE" && mkdir -p "$BUNDLE/state"
(cd "$BUNDLE" && crun spec)
jq --arg r "$ROOTFS" --arg cg "/$CRUN_ID" '
	.root.path = $r | .process.args = ["/bin/true"] | .process.terminal = false
	| .hostname = "b"
	| .linux.namespaces += [{"type": "user"}, {"type": "cgroup"}, {"type": "time"}]
	| .linux.uidMappings = [{"containerID": 0, "hostID": 0, "size": 1}]
	| .linux.gidMappings = [{"containerID": 0, "hostID": 0, "size": 1}]
	| .linux.cgroupsPath = $cg
	| (.mounts[] | select(.destination == "/dev/pts") | .options) |= map(select(. != "gid=5"))
' "$BUNDLE/config.json" >"$BUNDLE/config.json.new"
mv "$BUNDLE/config.json.new" "$BUNDLE/config.json"
CRUN="crun --root $BUNDLE/state"
CRUN_WRAP=()
CRUN_NOTE="cgroups: host layout"
if [ "$(stat -fc %T /sys/fs/cgroup)" = tmpfs ] &&
	[ "$(stat -fc %T /sys/fs/cgroup/unified 2>/dev/null)" = cgroup2fs ]; then
	# Hybrid: never on the host's own mounts, only in this private namespace.
	CRUN_WRAP=(unshare --mount --propagation private sh -c
		'mount -t tmpfs nslab-bench /sys/fs/cgroup/unified && exec "$@"' sh)
	CRUN_NOTE="hybrid host: run in unshare -m with a tmpfs over /sys/fs/cgroup/unified (v1)"
fi
if "${CRUN_WRAP[@]}" $CRUN run -b "$BUNDLE" "$CRUN_ID" >/dev/null 2>"$OUT/crun.err"; then
	hf crun "$RUNS" "${CRUN_WRAP[@]}" -- \
		crun "$CRUN run -b $BUNDLE $CRUN_ID" \
		crun_nocg "$CRUN --cgroup-manager=disabled run -b $BUNDLE $CRUN_ID"
else
	echo "bench: crun does not run here ($(head -1 "$OUT/crun.err")): skipped"
fi

# The same cycle, many times inside one nslab: what a box costs once nslab runs.
printf 'box new b --ns all\nrun true\nbox rm b\n%.0s' $(seq "$CYCLES") >"$OUT/cycles.nsl"
hf cycles "$(((RUNS + 9) / 10))" -- \
	nslab_empty "$NSLAB -c ''" \
	nslab_cycles "$NSLAB $OUT/cycles.nsl"
add nslab_cycle "$(awk -v a="$(med nslab_cycles)" -v b="$(med nslab_empty)" -v n="$CYCLES" \
	'BEGIN { printf "%.6f", (a - b) / n }')" "($CYCLES cycles in $OUT/cycles.nsl - nslab -c '') / $CYCLES"

# ---------------------------------------------------------------- pane
PANE=
for c in "${PANE_CANDIDATES[@]}"; do
	if $c >/dev/null 2>&1; then PANE=$c; break; fi
	echo "bench: pane: '$c' does not run here: skipped"
done
snapshot() { # snapshot TAG RUNS
	[ -z "$PANE" ] || hf "pane_$1" "$2" -- "pane_$1" "$PANE"
	# lsns exits 1 now and then when a process ends while it reads /proc (other
	# work on the machine): count those runs rather than stop.
	HF_EXTRA=--ignore-failure hf "peers_$1" "$2" -- \
		"lsns_$1" "lsns" \
		"pstree_$1" "pstree -p"
	add "procs_$1" "$(nprocs)" "processes in /proc during the run"
}
echo "bench: pane at $(nprocs) processes ..."
snapshot small "$RUNS"
want=$((BIG - $(nprocs)))
echo "bench: starting $want idle processes (sleep 1000, ended by pid at the end) ..."
for ((i = 0; i < want; i++)); do
	sleep 1000 &
	SLEEPERS+=($!)
done
echo "bench: pane at $(nprocs) processes ..."
snapshot big "$BIG_RUNS"
cleanup

# ---------------------------------------------------------------- startup
echo "bench: startup ..."
"$PY" bench/prompt.py "$RUNS" "$NSLAB" >"$OUT/prompt.json"
add prompt "$(jq -r .prompt_median_s "$OUT/prompt.json")" \
	"bench/prompt.py: fork on a pty, exec $NSLAB, until the prompt appears"
add hwm_idle_kb "$(jq -r .idle_vmhwm_kb_median "$OUT/prompt.json")" \
	"VmHWM in /proc/PID/status of an idle interactive nslab (same runs)"
rss=()
for _ in $(seq 20); do rss+=("$(/usr/bin/time -f %M "$NSLAB" -c '' 2>&1 >/dev/null)"); done
add maxrss_c_kb "$(printf '%s\n' "${rss[@]}" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')" \
	"/usr/bin/time -f %M $NSLAB -c '' (median of 20; counts time's own pre-exec child)"

find "$ROOTFS" | sort >"$OUT/rootfs.after"
if ! cmp -s "$OUT/rootfs.before" "$OUT/rootfs.after" ||
	{ [ -f "$ROOTFS.manifest" ] && ! (cd "$ROOTFS" && sha256sum --quiet -c "$ROOTFS.manifest" >/dev/null 2>&1); }; then
	echo "bench: WARNING: $ROOTFS changed during the run (see $OUT/rootfs.before/.after): make rootfs"
fi

# ---------------------------------------------------------------- the table
awk -F'\t' -v crun_note="$CRUN_NOTE" -v cycles="$CYCLES" -v pane="$PANE" '
	{ m[$1] = $2 }
	function has(k) { return (k in m) && m[k] != "" }
	function ms(k) { return has(k) ? sprintf("%9.2f ms", m[k] * 1000) : "       n/a" }
	function ratio(a, b) { return (has(a) && has(b) && m[b] > 0) ? sprintf("%9.2fx", m[a] / m[b]) : "       n/a" }
	function row(label, k) { printf "  %-50s %s\n", label, ms(k) }
	function rrow(label, a, b) { printf "  %-50s %s\n", label, ratio(a, b) }
	function verdict(ok, text) { printf "  %-5s %s\n", ok ? "MET" : "MISS", text }
	END {
		print ""
		print "Box start (medians)"
		row("/bin/true", "true")
		row("unshare, 7 ns (no user, no time)", "unshare7")
		row("unshare, 8 ns (+ user --map-root-user, time)", "unshare8")
		row("unshare, 8 ns + chroot to rootfs + /proc", "unshare8_root")
		row("bwrap --unshare-all, ro-bind rootfs, /proc, /dev", "bwrap")
		row("crun run, 8 ns (cgroups)", "crun")
		row("crun run, 8 ns, --cgroup-manager=disabled", "crun_nocg")
		row("nslab -c \x27\x27 (start and exit only)", "nslab_empty")
		row("nslab -c box new --ns all; run true; box rm", "nslab_box")
		row("in one nslab, per box new/run/rm cycle", "nslab_cycle")
		print "Box start ratios (nslab -c cycle / peer)"
		rrow("/ unshare 8 ns", "nslab_box", "unshare8")
		rrow("/ unshare 8 ns + chroot + /proc", "nslab_box", "unshare8_root")
		rrow("/ unshare 7 ns", "nslab_box", "unshare7")
		rrow("/ bwrap", "nslab_box", "bwrap")
		rrow("/ crun (cgroups)", "nslab_box", "crun")
		rrow("/ crun (no cgroups)", "nslab_box", "crun_nocg")
		rrow("in one nslab, per cycle (" cycles " cycles) / unshare 8 ns", "nslab_cycle", "unshare8")
		rrow("in one nslab, per cycle / bwrap", "nslab_cycle", "bwrap")
		print "  (crun: " crun_note ")"
		print ""
		printf "Pane refresh: %s\n", pane == "" ? "none" : pane
		for (i = 1; i <= 2; i++) {
			t = i == 1 ? "small" : "big"
			printf "  at %d processes\n", m["procs_" t]
			row("  lsns", "lsns_" t)
			row("  pstree -p", "pstree_" t)
			row("  pane snapshot", "pane_" t)
			rrow("  pane / lsns", "pane_" t, "lsns_" t)
			rrow("  pane / pstree -p", "pane_" t, "pstree_" t)
		}
		print ""
		print "Startup"
		row("nslab -c \x27\x27", "nslab_empty")
		row("exec to first prompt (pty)", "prompt")
		printf "  %-50s %9d kB\n", "VmHWM, idle interactive nslab", m["hwm_idle_kb"]
		printf "  %-50s %9d kB\n", "max RSS of nslab -c \x27\x27 (upper bound)", m["maxrss_c_kb"]
		print ""
		print "Targets"
		verdict(m["nslab_box"] <= 1.2 * m["unshare8"], sprintf("box start <= 1.2x unshare (8 ns): %.2fx", m["nslab_box"] / m["unshare8"]))
		verdict(m["nslab_box"] < m["bwrap"], sprintf("box start faster than bwrap: %.2fx", m["nslab_box"] / m["bwrap"]))
		if (pane != "")
			verdict(m["pane_big"] <= 0.1 * m["lsns_big"], sprintf("pane at %d processes <= 0.1x lsns: %.3fx", m["procs_big"], m["pane_big"] / m["lsns_big"]))
		verdict(m["nslab_empty"] < 0.020, sprintf("nslab -c \x27\x27 < 20 ms: %.1f ms", m["nslab_empty"] * 1000))
		verdict(m["prompt"] < 0.020, sprintf("exec to prompt < 20 ms: %.1f ms", m["prompt"] * 1000))
		verdict(m["hwm_idle_kb"] < 8192 && m["maxrss_c_kb"] < 8192, sprintf("resident memory < 8 MB: %d kB idle, %d kB -c", m["hwm_idle_kb"], m["maxrss_c_kb"]))
	}' "$RESULTS" | tee "$OUT/table.txt"
echo
echo "bench: load at the end $(cut -d' ' -f1-3 /proc/loadavg); commands in $RESULTS"
