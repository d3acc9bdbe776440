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
# Korean particles: the one that fits its word, never both ("은(는)"), and
# never split from its word by a space ("박스 %s 를"). A word known only at
# run time takes a marker (%s(을)) that shell/i18n.c resolves (i18n.h).
msgstrs() { msgattrib --translated --no-obsolete --no-wrap "$tmp/merged.po" | sed -n 's/^msgstr "\(.*\)"$/\1/p'; }
bad=$(msgstrs | grep -E '(을\(를\)|를\(을\)|이\(가\)|가\(이\)|은\(는\)|는\(은\)|\(으\)로|과\(와\)|와\(과\))' || true)
if [ -n "$bad" ]; then
	echo "Korean messages with both particles (write the one that fits, or %s(을) after a run-time word):"
	echo "$bad" | head -20
	exit 1
fi
bad=$(msgstrs | grep -E "(%[0-9$]*l*[sdu]'?|[A-Za-z0-9]) (을|를|이|가|은|는|으로|로|과|와|의|에|에서|에는|에서는)([ .,:;)]|\\n|$)" || true)
if [ -n "$bad" ]; then
	echo "Korean messages with a particle split from its word by a space:"
	echo "$bad" | head -20
	exit 1
fi
bad=$(msgstrs | LC_ALL=C.UTF-8 grep -E "%[0-9\$]*l*[sdu]['\")]?(을|를|이|가|은|는|으로|로|과|와|이라는|라는)([^[:alpha:]]|\$)" || true)
if [ -n "$bad" ]; then
	echo "Korean messages with a fixed particle after a word known only at run time (write %s(을)):"
	echo "$bad" | head -20
	exit 1
fi
bad=$(msgstrs | grep -E ' \((을|이|은|으로|과)\)' || true)
if [ -n "$bad" ]; then
	echo "Korean messages with a particle marker after a space (it must follow its word):"
	echo "$bad" | head -20
	exit 1
fi
echo "i18n: every message has Korean"
