#!/bin/sh
# check-man.sh -- TAP checks of man pages: `man --warnings -l` prints nothing
# on stderr (groff -ww: unknown macros, bad escapes, lines it cannot break),
# lexgrog finds the NAME line, and no @TOKEN@ is left unsubstituted.
#
#   check-man.sh PAGE...
set -u
n=0
fails=0
ok() {
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $n - $2"
	else
		echo "not ok $n - $2"
		fails=$((fails + 1))
	fi
}
tmp=$(mktemp "${TMPDIR:-/tmp}/ods-test-man-XXXXXX") || exit 1
trap 'rm -f "$tmp"' EXIT

for page in "$@"; do
	p=$(basename "$page")
	MANWIDTH=80 man --warnings -l "$page" 2> "$tmp" > /dev/null
	rc=$?
	[ $rc -eq 0 ] && [ ! -s "$tmp" ]
	ok $? "$p: renders without warnings"
	sed 's/^/# /' "$tmp"
	lexgrog "$page" > /dev/null 2>&1
	ok $? "$p: NAME section for whatis"
	! grep -q '@[A-Z_]*@' "$page"
	ok $? "$p: every @TOKEN@ substituted"
done

echo "1..$n"
[ "$fails" -eq 0 ]
