#!/bin/bash
# resign-one.sh -- what a small change costs after the first full sign (SPEC 8:
# "change cost proportional to the change"; SPEC 9: a one-record change
# published in under a tenth of the full-sign time), next to OpenDNSSEC 2.1.
#
# usage: bench/resign-one.sh [NAMES] [KIND] [--verify] [--no-ods]
#   NAMES      names in the zone (default 100000); KIND gen-zone --kind (default tld)
#   --verify   check the final output with ../shared/tools/verify-zone (slow on big zones)
#   --no-ods   skip OpenDNSSEC (ods-bench-sign; needs apt-get install -y opendnssec)
# Steps, each timed from `odsctl signer sign ZONE --wait` to its return (the
# new serial is on disk then; the script checks it and the change):
#   1. change one record: ns1 A 192.0.2.53 -> .54, input SOA serial bumped
#      (the same edit ods-bench-sign makes, so the figures compare);
#   2. change it again (.54 -> .55);
#   3. add one name (a delegation with DS, so it needs new NSEC3 + signatures).
# OpenDNSSEC: ods-bench-sign makes the same two record changes and times
# `ods-signer sign ZONE` to its next [STATS] line; it has no add-a-name step.
. "$(dirname "$0")/lib.sh"

NAMES=100000 KIND=tld VERIFY=0 ODS=1
pos=0
while [ $# -gt 0 ]; do
    case $1 in
    --verify) VERIFY=1 ;;
    --no-ods) ODS=0 ;;
    -h | --help) sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) b_die "unknown option $1 (see --help)" ;;
    *) pos=$((pos + 1)); [ $pos = 1 ] && NAMES=$1 || KIND=$1 ;;
    esac
    shift
done
case $NAMES in '' | *[!0-9]*) b_die "NAMES must be a number, not '$NAMES'" ;; esac
ORIGIN=bench$NAMES.test

b_setup resign-one
START_LOAD=$(b_load)
b_zone "$ORIGIN" "$NAMES" "$KIND"
ZF=$T/unsigned/$ORIGIN
OUT=$T/signed/$ORIGIN
cp "$ZF" "$T/original.zone"

b_start_signer
b_wait_stats "$ORIGIN" 0 14400 || { tail -20 "$T/signerd.log"; b_die "signerd did not sign $ORIGIN"; }
FULL=$(b_elapsed "$B_T0" "$(stat -c %.9Y "$OUT")")
FULL_STATS=$(b_stats_last "$ORIGIN")
FULL_CPU=$(b_cpu "$B_SIGNER_PID")
echo "# first full sign: $FULL s, $FULL_CPU s CPU"

# step NAME SED-EXPRESSION|append:LINE GREP-FOR-IN-OUTPUT: edit the input, sign, time it.
# Sets S_WALL, S_CPU (signerd's CPU seconds), S_STATS, S_SERIAL, S_SEEN (yes/NO), S_RC.
step() {
    local edit=$2 before n t0 c0
    before=$(b_serial "$OUT")
    n=$(b_stats_count "$ORIGIN")
    case $edit in
    append:*) printf '%s\n' "${edit#append:}" >> "$ZF" ;;
    *) sed -i -E "$edit" "$ZF" ;;
    esac
    # the SOA serial of the input, bumped by one, as an operator's tooling would
    awk '$3 == "SOA" && !done { $6 = $6 + 1; done = 1 } { print }' "$ZF" > "$ZF.tmp" && mv "$ZF.tmp" "$ZF"
    c0=$(b_cpu "$B_SIGNER_PID")
    t0=$(b_now)
    "$ODSCTL" -c "$T/conf.xml" signer sign "$ORIGIN" --wait > "$T/sign.out" 2>&1
    S_RC=$?
    S_WALL=$(b_elapsed "$t0" "$(b_now)")
    S_CPU=$(b_elapsed "$c0" "$(b_cpu "$B_SIGNER_PID")")
    S_SERIAL=$(b_serial "$OUT")
    S_STATS=$(grep "\[STATS\] $ORIGIN " "$T/signerd.log" | sed -n "$((n + 1)),\$p" | tail -1 | sed 's/.*\[STATS\]/[STATS]/')
    grep -qF "$3" "$OUT" && S_SEEN=yes || S_SEEN=NO
    echo "# $1: $S_WALL s (odsctl exit $S_RC: $(tr '\n' ' ' < "$T/sign.out" | cut -c1-160)); serial $before -> $S_SERIAL; change in output: $S_SEEN"
    [ "$S_SERIAL" != "$before" ] || echo "# $1: the serial did not change"
}

ADDED="zz-added-$(od -An -N4 -tx1 /dev/urandom | tr -d ' \n')"
step "one-record change" 's/^ns1 IN A 192\.0\.2\.53$/ns1 IN A 192.0.2.54/' "192.0.2.54"
C1=("$S_WALL" "$S_STATS" "$S_SEEN" "$S_RC" "$S_CPU")
step "second one-record change" 's/^ns1 IN A 192\.0\.2\.54$/ns1 IN A 192.0.2.55/' "192.0.2.55"
C2=("$S_WALL" "$S_STATS" "$S_SEEN" "$S_RC" "$S_CPU")
step "add one name" "append:$ADDED 86400 IN NS ns1.example.org.
$ADDED 86400 IN DS 4242 13 2 $(printf '%s' "$ADDED" | sha256sum | cut -c1-64 | tr a-f A-F)" "$ADDED.$ORIGIN"
C3=("$S_WALL" "$S_STATS" "$S_SEEN" "$S_RC" "$S_CPU")
HWM=$(b_hwm_kb "$B_SIGNER_PID")
b_stop_signer

VERDICT="not run (--verify)"
[ "$VERIFY" = 1 ] && VERDICT=$(b_verify "$OUT" "$ORIGIN")

[ "$ODS" = 1 ] && b_ods "$T/original.zone" "$ORIGIN"

row() { printf '%-40s %22s %22s\n' "$@"; }
ods() { [ "${ODS_OK:-0}" = 1 ] && echo "$1" || echo "${2:--}"; }
frac() { awk -v a="$1" -v b="$2" 'BEGIN { if (a != "" && a != "-" && b > 0) printf "%.3f", a / b; else print "-" }'; }
nr() { echo "$(b_field "$1" RRSIG new)/$(b_field "$1" RRSIG reused)"; }

echo
echo "resign-one: $NAMES names ($KIND), ECDSA P-256 KSK+ZSK, NSEC3 0 iterations no salt, 2 signing threads"
echo "$(date -u '+%Y-%m-%d %H:%M UTC'), $(b_version), $(nproc) CPUs, load at start $START_LOAD, at end $(b_load)"
row "" "odsng" "OpenDNSSEC 2.1"
row "first full sign (s)" "$FULL" "$(ods "${ODS_FIRST:-}")"
row "  signer CPU (s)" "$FULL_CPU" "$(ods "${ODS_CPU:-}")"
row "one-record change -> published (s)" "${C1[0]}" "$(ods "${ODS_INC1:-}")"
row "  fraction of the full sign (< 0.1)" "$(frac "${C1[0]}" "$FULL")" "$(ods "$(frac "${ODS_INC1:-}" "${ODS_FIRST:-0}")")"
row "  signer CPU (s); fraction of the full sign's" "${C1[4]}; $(frac "${C1[4]}" "$FULL_CPU")" "$(ods "${ODS_INC_CPU:-}; $(frac "${ODS_INC_CPU:-}" "${ODS_CPU:-0}")")"
row "  signatures new/reused" "$(nr "${C1[1]}")" "$(ods "$(nr "${ODS_STATS2:-}")")"
row "second one-record change (s)" "${C2[0]}" "$(ods "${ODS_INC2:-}")"
row "  fraction of the full sign" "$(frac "${C2[0]}" "$FULL")" "$(ods "$(frac "${ODS_INC2:-}" "${ODS_FIRST:-0}")")"
row "  signer CPU (s)" "${C2[4]}" ""
row "  signatures new/reused" "$(nr "${C2[1]}")" "$(ods "$(nr "${ODS_STATS3:-}")")"
row "add one name (delegation + DS) (s)" "${C3[0]}" "not in ods-bench-sign"
row "  fraction of the full sign" "$(frac "${C3[0]}" "$FULL")" ""
row "  signer CPU (s)" "${C3[4]}" ""
row "  signatures new/reused" "$(nr "${C3[1]}")" ""
row "peak RSS (MB, VmHWM)" "$(b_mb "$HWM")" "$(ods "$(b_mb "${ODS_HWM:-}")")"
echo "changes seen in the output: ${C1[2]}, ${C2[2]}, ${C3[2]}; odsctl exit status: ${C1[3]}, ${C2[3]}, ${C3[3]}; signerd exit $B_SIGNER_STATUS"
echo "odsng full:    $FULL_STATS"
echo "odsng change:  ${C1[1]}"
echo "odsng change2: ${C2[1]}"
echo "odsng add:     ${C3[1]}"
if [ "${ODS_OK:-0}" = 1 ]; then
    echo "ODS full:      $ODS_STATS1"
    echo "ODS change:    $ODS_STATS2"
    echo "ODS change2:   $ODS_STATS3"
fi
echo "verify-zone (odsng, final output): $VERDICT"
[ -n "${ODS_CRASH:-}" ] && echo "OpenDNSSEC: ods-signerd crashed when stopped: $ODS_CRASH (ods-signer stop hung: $ODS_STOP_HUNG)"
exit 0
