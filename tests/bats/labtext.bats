#!/usr/bin/env bats
# Lab text as the learner reads it: Markdown rendered by md4c, tables aligned
# by display width at 80 columns in both languages, no raw Markdown left.
load helper

export NSLAB_DATADIR="$REPO"

# Every step of lab $1 in language $2, as printed (not a terminal: 80 columns).
render_lab() {
	local n cmds="lab $1"
	n=$(grep -c '^## .*{#' "$REPO"/labs/"$1"-*/"$2".md)
	for ((i = 1; i < n; i++)); do cmds+="; next --force"; done
	# A fresh learner each time: no progress to resume from.
	local state
	state=$(mktemp -d "$BATS_TEST_TMPDIR/state.XXXX")
	NSLAB_STATE_DIR=$state COLUMNS=80 "$NSLAB" --lang "$2" --no-pane -c "$cmds" 2>&1 || true
}

# Lines of one table share the column positions of their separators, and
# nothing is wider than 80 columns. Prints what is wrong.
check_tables() {
	python3 -c '
import sys, unicodedata
def w(s): return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)
bad = 0; tables = 0; block = []
def done(block):
    global bad, tables
    if not block: return
    tables += 1
    seps = None
    for l in block:
        pos = [w(l[:i]) for i, c in enumerate(l) if c in "│┼"]
        if seps is None: seps = pos
        elif pos != seps[:len(pos)] or (len(pos) != len(seps)):
            print("misaligned:", repr(l)); bad += 1
for line in sys.stdin.read().split("\n"):
    if w(line) > 80 and not line.startswith("    "):
        print("wider than 80:", repr(line)); bad += 1
    if "│" in line or "┼" in line: block.append(line)
    else: done(block); block = []
done(block)
print("tables", tables)
sys.exit(1 if bad else 0)
'
}

@test "lab tables are aligned by display width at 80 columns, in English and Korean" {
	need_root
	for lang in en ko; do
		run render_lab 17 "$lang"
		assert_success
		[[ "$output" == *"│"* ]] || fail "lab 17 ($lang) shows no table: $output"
		local text=$output
		run check_tables <<<"$text"
		assert_success
		assert_output --partial "tables 1"
		# The Markdown itself is gone: no pipes, rules or stars of the source.
		! grep -qE '^\|.*\|$|\|---|\*\*' <<<"$text" || fail "raw Markdown in lab 17 ($lang)"
	done
}

@test "no lab shows raw Markdown tables or emphasis marks" {
	need_root
	local d num lang
	for d in "$REPO"/labs/[0-9][0-9]-*/; do
		num=$(basename "$d" | cut -c1-2)
		for lang in en ko; do
			run render_lab "$num" "$lang"
			# A lab this machine cannot run (19 without an LSM) shows no step.
			[[ "$output" == *"── "* ]] || continue
			if grep -nE '\|---|\*\*[^*]+\*\*|(^|[^*])\*[A-Za-z][^*]*\*([^*]|$)' <<<"$output" | grep -v '^\S*:\s*\(run\|    \)' >/dev/null; then
				fail "lab $num ($lang) shows raw Markdown: $(grep -nE '\|---|\*\*' <<<"$output" | head -3)"
			fi
			run check_tables <<<"$output"
			assert_success
		done
	done
}

@test "prose wraps at spaces, never inside a code span" {
	need_root
	run render_lab 00 en
	# Every backtick on a line is closed on the same line.
	local bad
	bad=$(grep -v '^    ' <<<"$output" | awk -F'`' 'NF % 2 == 0' | head -3)
	[ -z "$bad" ] || fail "a code span broken across lines: $bad"
}
