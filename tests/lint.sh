#!/usr/bin/env bash
# lint.sh - clang-tidy (.clang-tidy) and cppcheck (tests/cppcheck.supp) on
# the shell's sources, with the reviewed configuration: both must be silent.
set -u
cd "$(dirname "$0")/.."
srcs=$(find shell -name '*.c' | sort)
pkg=$(pkg-config --cflags readline ncursesw libcap libseccomp 2>/dev/null)
defs=(-std=gnu11 -D_GNU_SOURCE -DNSLAB_DATADIR='""' -DNSLAB_LOCALEDIR='""')
rc=0
if command -v clang-tidy >/dev/null; then
	echo "lint: clang-tidy on $(echo "$srcs" | wc -l) files"
	# shellcheck disable=SC2086
	out=$(clang-tidy --quiet $srcs -- "${defs[@]}" $pkg 2>&1 | grep -E '(warning|error):')
	if [ -n "$out" ]; then
		echo "$out"
		rc=1
	fi
else
	echo "lint: clang-tidy is not installed (apt-get install clang-tidy)" >&2
	rc=1
fi
if command -v cppcheck >/dev/null; then
	echo "lint: cppcheck on shell/"
	# shellcheck disable=SC2086
	cppcheck --quiet --error-exitcode=1 --enable=warning,performance,portability \
		--inline-suppr --suppressions-list=tests/cppcheck.supp \
		--std=c11 -D_GNU_SOURCE -DN_\(s\)=s -Ishell --library=posix \
		$srcs || rc=1
else
	echo "lint: cppcheck is not installed (apt-get install cppcheck)" >&2
	rc=1
fi
[ "$rc" -eq 0 ] && echo "lint: clean"
exit $rc
