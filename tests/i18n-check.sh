#!/usr/bin/env bash
# Every message a learner sees exists in English and Korean: each msgid marked
# with _() or N_() in shell/ must have a non-empty Korean msgstr in po/ko/*.po.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
find shell -name '*.[ch]' | sort > "$tmp/files"
xgettext --from-code=UTF-8 -k_ -kN_ --no-location -o "$tmp/nslab.pot" -f "$tmp/files"
msgcat --use-first -o "$tmp/ko.po" po/ko/*.po
msgmerge -q --no-fuzzy-matching -o "$tmp/merged.po" "$tmp/ko.po" "$tmp/nslab.pot"
# Untranslated entries in the merged file are the missing ones.
missing=$(msgattrib --untranslated --no-obsolete "$tmp/merged.po" | grep -c '^msgid ' || true)
# The header counts as one msgid when anything is printed at all.
if [ "$missing" -gt 1 ]; then
	echo "messages with no Korean translation:"
	msgattrib --untranslated --no-obsolete "$tmp/merged.po" | grep -A1 '^msgid ' | grep -v '^msgid ""$' | head -60
	exit 1
fi
# Format specifiers must match between English and Korean.
msgfmt --check-format -o /dev/null "$tmp/merged.po"
echo "i18n: every message has Korean"
