#!/usr/bin/env bats
# What explain prints is what the kernel got: box new under strace, every
# mount, pivot_root, umount2 and sethostname compared with explain's lines,
# in order, with their arguments and results.
load helper

# The calls as (name, first two string arguments, result), one per line.
calls_of() {
	python3 -c '
import re, sys
kind = sys.argv[1]
want = ("mount", "pivot_root", "umount2", "sethostname")
for line in open(sys.argv[2], encoding="utf-8", errors="replace"):
    if kind == "strace":
        m = re.match(r"^\d+ +(\w+)\((.*)\) += (-?\d+)", line)
    else:
        m = re.match(r"^  \S+ (\w+)\((.*)\) = (-?\d+|-1 \w+)", line)
    if not m or m.group(1) not in want:
        continue
    args = re.findall(r"\"([^\"]*)\"|(NULL)", m.group(2))
    words = [a or b for a, b in args][:2]
    res = m.group(3).split()[0]
    print(m.group(1), *words, "=", "0" if res == "0" else "fail")
' "$1" "$2"
}

explain_matches_strace() {
	command -v strace >/dev/null || fail "strace is not installed (setup.sh installs it)"
	local st="$BATS_TEST_TMPDIR/st.log" ex="$BATS_TEST_TMPDIR/ex.log"
	# LeakSanitizer cannot run under ptrace.
	ASAN_OPTIONS=detect_leaks=0 strace -f -qq -s 512 -o "$st" -e trace=mount,pivot_root,umount2,sethostname \
		"$NSLAB" --lang en -c "explain on; box new $1" >"$ex" 2>&1 || {
		cat "$ex"
		fail "box new $1 failed"
	}
	diff <(calls_of explain "$ex") <(calls_of strace "$st") ||
		fail "explain and strace differ for: box new $1"
	# Not empty: the comparison looked at something.
	[ "$(calls_of strace "$st" | wc -l)" -ge 3 ] || fail "too few calls seen for: box new $1"
}

@test "explain shows every mount, pivot_root, umount2 and sethostname the kernel got: pivot_root box" {
	need_root
	explain_matches_strace 'e1 --ns mnt,uts,pid --hostname e1'
}

@test "explain matches strace: chroot box" {
	need_root
	explain_matches_strace 'e2 --ns mnt,pid --chroot'
}

@test "explain matches strace: user namespace box with a copy of the rootfs" {
	need_root
	explain_matches_strace 'e3 --ns user,mnt,uts,pid --map-root --copy'
}
