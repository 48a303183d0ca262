#!/bin/bash
# restart.sh -- state survives a restart (SPEC 4): after a full sign, stop
# signerd, start it again and measure its first run, which should reuse every
# signature (new ~ 1: the SOA, whose serial changes; reused ~ all).
#
# usage: bench/restart.sh [NAMES] [KIND] [--verify]
#   NAMES   names in the zone (default 100000); KIND gen-zone --kind (default tld)
#   --verify  check the output after the restart with ../shared/tools/verify-zone
# Times: the first sign from signerd's start to the signed file; the stop
# (SIGTERM to exit); the first run after the restart from the new start to its
# [STATS] line (and to the rewritten file, when it rewrites it).
. "$(dirname "$0")/lib.sh"

NAMES=100000 KIND=tld VERIFY=0
pos=0
while [ $# -gt 0 ]; do
    case $1 in
    --verify) VERIFY=1 ;;
    -h | --help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) b_die "unknown option $1 (see --help)" ;;
    *) pos=$((pos + 1)); [ $pos = 1 ] && NAMES=$1 || KIND=$1 ;;
    esac
    shift
done
case $NAMES in '' | *[!0-9]*) b_die "NAMES must be a number, not '$NAMES'" ;; esac
ORIGIN=bench$NAMES.test

b_setup restart
START_LOAD=$(b_load)
b_zone "$ORIGIN" "$NAMES" "$KIND"
OUT=$T/signed/$ORIGIN

b_start_signer
b_wait_stats "$ORIGIN" 0 14400 || { tail -20 "$T/signerd.log"; b_die "signerd did not sign $ORIGIN"; }
FULL=$(b_elapsed "$B_T0" "$(stat -c %.9Y "$OUT")")
FULL_STATS=$(b_stats_last "$ORIGIN")
FULL_HWM=$B_HWM
FULL_CPU=$(b_cpu "$B_SIGNER_PID")
SERIAL1=$(b_serial "$OUT")
MTIME1=$(stat -c %.9Y "$OUT")
echo "# first full sign: $FULL s, serial $SERIAL1"

t=$(b_now)
b_stop_signer
STOP=$(b_elapsed "$t" "$(b_now)")
STOP_STATUS=$B_SIGNER_STATUS
echo "# stopped in $STOP s, exit status $STOP_STATUS; state files: $(cd "$T/signer" && ls | tr '\n' ' ')"

# The restart: its first run, from the new start to its [STATS] line.
b_start_signer
if b_wait_stats "$ORIGIN" 1 14400; then
    T1=$(b_now)
    AGAIN=$(b_elapsed "$B_T0" "$T1")
    AGAIN_STATS=$(b_stats_last "$ORIGIN")
else
    AGAIN="no run" AGAIN_STATS="(no [STATS] line after the restart)"
    tail -5 "$T/signerd.log" | sed 's/^/#   /'
fi
AGAIN_HWM=$B_HWM
AGAIN_CPU=$(b_cpu "$B_SIGNER_PID")
MTIME2=$(stat -c %.9Y "$OUT")
[ "$MTIME2" != "$MTIME1" ] && REWRITE=$(b_elapsed "$B_T0" "$MTIME2") || REWRITE="not rewritten"
SERIAL2=$(b_serial "$OUT")
b_stop_signer
STOP2_STATUS=$B_SIGNER_STATUS

VERDICT="not run (--verify)"
[ "$VERIFY" = 1 ] && VERDICT=$(b_verify "$OUT" "$ORIGIN")

row() { printf '%-44s %16s %16s\n' "$@"; }
echo
echo "restart: $NAMES names ($KIND), ECDSA P-256 KSK+ZSK, NSEC3 0 iterations no salt, 2 signing threads"
echo "$(date -u '+%Y-%m-%d %H:%M UTC'), $(b_version), $(nproc) CPUs, load at start $START_LOAD, at end $(b_load)"
row "" "first sign" "after restart"
row "start -> [STATS] / signed file (s)" "$FULL" "$AGAIN"
row "  signed file rewritten at (s)" "$FULL" "$REWRITE"
row "signatures new" "$(b_field "$FULL_STATS" RRSIG new)" "$(b_field "$AGAIN_STATS" RRSIG new)"
row "signatures reused" "$(b_field "$FULL_STATS" RRSIG reused)" "$(b_field "$AGAIN_STATS" RRSIG reused)"
row "[STATS] TOTAL (s)" "$(b_field "$FULL_STATS" TOTAL time)" "$(b_field "$AGAIN_STATS" TOTAL time)"
row "signerd CPU from its start (s)" "$FULL_CPU" "$AGAIN_CPU"
row "serial published" "$SERIAL1" "$SERIAL2"
row "peak RSS (MB, VmHWM)" "$(b_mb "$FULL_HWM")" "$(b_mb "$AGAIN_HWM")"
row "restart time / first sign time" "" "$(awk -v a="$AGAIN" -v b="$FULL" 'BEGIN { if (a + 0 > 0) printf "%.3f", a / b; else print "-" }')"
echo "stop (SIGTERM -> exit): $STOP s, exit status $STOP_STATUS; second stop exit status $STOP2_STATUS"
echo "first:   $FULL_STATS"
echo "restart: $AGAIN_STATS"
echo "verify-zone (after the restart): $VERDICT"
exit 0
