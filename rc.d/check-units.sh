#!/bin/sh
# check-units.sh -- TAP checks of the configured systemd units.
#
#   check-units.sh SYSTEMD-ANALYZE UNIT.service... MANPAGE.N...
#
# `systemd-analyze verify` fails on an ExecStart= program that does not exist
# and on Documentation=man:... pages it cannot find, and the daemons are
# neither installed nor (at this stage) necessarily built. So the units are
# verified as copies in which only the program of each Exec*= line is
# replaced by /bin/true (arguments, and every other line, unchanged), with
# MANPATH pointing at this build's man pages. Any message from systemd-analyze
# (also warnings, e.g. an unknown key) fails the test; two deliberately
# broken copies show that it would.
set -u
sa=$1
shift

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
diag() { sed 's/^/# /' "$1"; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/ods-test-units-XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/units" "$tmp/bad" "$tmp/man"

units=""
for f in "$@"; do
	case $f in
	*.service)
		units="$units $f" ;;
	*.[1-9])
		sec=${f##*.}
		mkdir -p "$tmp/man/man$sec"
		cp "$f" "$tmp/man/man$sec/" ;;
	esac
done

for u in $units; do
	d=$(basename "$u" .service)
	case $d in
	enforcerd) role=enforcer ;;
	*) role=signer ;;
	esac
	! grep -q '@[a-z_]*@' "$u"
	ok $? "$d.service: every @token@ substituted"
	grep -qx 'Type=notify' "$u"
	ok $? "$d.service: Type=notify"
	grep -qx "ExecStart=/[^ ]*/$d -d -c /[^ ]*/conf.xml" "$u"
	ok $? "$d.service: ExecStart runs $d in the foreground with conf.xml"
	grep -qx "ExecReload=/[^ ]*/odsctl -c /[^ ]*/conf.xml $role reload" "$u"
	ok $? "$d.service: ExecReload runs odsctl $role reload"
	grep -qx 'RuntimeDirectoryPreserve=yes' "$u"
	ok $? "$d.service: the shared run directory survives a stop"
	! grep -Eq '^(PrivateDevices|DeviceAllow|DevicePolicy|ProtectClock|ProtectKernelLogs)=' "$u"
	ok $? "$d.service: no device restrictions (HSMs, tokens)"
	sed 's|^\(Exec[A-Za-z]*=[-@:+!]*\)/[^ ]*|\1/bin/true|' "$u" > "$tmp/units/$d.service"
	[ "$(grep -c '^Exec' "$tmp/units/$d.service")" -eq "$(grep -c '^Exec.*=/bin/true' "$tmp/units/$d.service")" ]
	ok $? "$d.service: copy with /bin/true programs"
done

MANPATH="$tmp/man" "$sa" verify "$tmp"/units/*.service > "$tmp/out" 2>&1
rc=$?
[ $rc -eq 0 ] && [ ! -s "$tmp/out" ]
ok $? "systemd-analyze verify: no error, no warning (exit $rc)"
diag "$tmp/out"

# The same check must catch a bad key and a missing man page.
first=$(ls "$tmp"/units/*.service | head -n 1)
sed 's/^Type=notify$/Type=notify\nTypo=1/' "$first" > "$tmp/bad/$(basename "$first")"
MANPATH="$tmp/man" "$sa" verify "$tmp"/bad/*.service > "$tmp/out" 2>&1
[ -s "$tmp/out" ]
ok $? "a unit with an unknown key is caught"
mkdir -p "$tmp/noman"
MANPATH="$tmp/noman" "$sa" verify "$first" > "$tmp/out" 2>&1
[ $? -ne 0 ]
ok $? "a unit whose man pages are missing is caught"

echo "1..$n"
[ "$fails" -eq 0 ]
