#!/bin/bash
# sign-zone.sh -- a first full sign of a gen-zone zone by signerd, next to the
# token's raw signing rate and OpenDNSSEC 2.1's signer on the same zone, all in
# one run (SPEC sections 7 and 9).
#
# usage: bench/sign-zone.sh [NAMES] [KIND] [--verify] [--no-ods] [--perf] [--threads N]
#   NAMES      names in the zone (default 100000)
#   KIND       gen-zone --kind: tld (default), hosting or mixed
#   --verify   check our output with ../shared/tools/verify-zone (slow on big zones)
#   --no-ods   skip OpenDNSSEC (ods-bench-sign; needs apt-get install -y opendnssec)
#   --perf     perf record signerd during the sign and print its top functions
#              (PERF_KEEP=FILE keeps perf.data)
#   --threads N  <SignerThreads> (default 2, as in SPEC section 9)
# Set-up as in SPEC 9: ECDSA P-256 KSK + ZSK in a SoftHSMv2 token, NSEC3 with
# 0 iterations and no salt. The wall time runs from signerd's start to the
# signed zone on disk (the output file's mtime). The raw rate is measured with
# hsm-speed (C_Sign straight through the module, one session per thread)
# before and after each signer, with as many threads as the signer has.
. "$(dirname "$0")/lib.sh"

NAMES=100000 KIND=tld VERIFY=0 ODS=1 PERF=0 STHREADS=2
pos=0
while [ $# -gt 0 ]; do
    case $1 in
    --verify) VERIFY=1 ;;
    --no-ods) ODS=0 ;;
    --perf) PERF=1 ;;
    --threads) STHREADS=${2:?--threads needs a number}; shift ;;
    -h | --help) sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) b_die "unknown option $1 (see --help)" ;;
    *) pos=$((pos + 1)); [ $pos = 1 ] && NAMES=$1 || KIND=$1 ;;
    esac
    shift
done
case $NAMES in '' | *[!0-9]*) b_die "NAMES must be a number, not '$NAMES'" ;; esac
[ "$PERF" = 0 ] || command -v perf > /dev/null || b_die "--perf needs perf (apt-get install -y linux-perf)"
ORIGIN=bench$NAMES.test
B_SIGNER_THREADS=$STHREADS

b_setup sign-zone
START_LOAD=$(b_load)
t=$(b_now)
b_zone "$ORIGIN" "$NAMES" "$KIND"
ZF=$T/unsigned/$ORIGIN
INPUT_RRS=$(grep -vc '^\$' "$ZF")
echo "# gen-zone $NAMES names ($KIND): $INPUT_RRS RRs, $(($(stat -c %s "$ZF") / 1048576)) MB, $(b_elapsed "$t" "$(b_now)") s"

b_raw_rate "$STHREADS" 3 2
RAW1=$B_RAW US1=$B_RAW_US
echo "# raw HSM rate before odsng: $RAW1 sig/s, $US1 us CPU/sig"

# odsng: start signerd with the zone configured; stop when its [STATS] line is logged.
if [ "$PERF" = 1 ]; then b_start_signer "$T/perf.data"; else b_start_signer; fi
b_wait_stats "$ORIGIN" 0 14400 || { tail -20 "$T/signerd.log"; b_die "signerd did not sign $ORIGIN"; }
OUT=$T/signed/$ORIGIN
OURS_WALL=$(b_elapsed "$B_T0" "$(stat -c %.9Y "$OUT")")
OURS_HWM=$B_HWM
OURS_CPU=$(b_cpu "$B_SIGNER_PID")
read -r _ OURS_WAIT <<< "$(b_sched "$B_SIGNER_PID")"
OURS_STATS=$(b_stats_last "$ORIGIN")
t=$(b_now)
b_stop_signer
OURS_STOP=$(b_elapsed "$t" "$(b_now)")
OURS_NEW=$(b_field "$OURS_STATS" RRSIG new)
echo "# odsng: $OURS_WALL s to the signed zone; exit status $B_SIGNER_STATUS after SIGTERM ($OURS_STOP s)"

b_raw_rate "$STHREADS" 3 2
RAW2=$B_RAW US2=$B_RAW_US
echo "# raw HSM rate after odsng: $RAW2 sig/s, $US2 us CPU/sig"

VERDICT="not run (--verify)"
if [ "$VERIFY" = 1 ]; then
    t=$(b_now)
    VERDICT="$(b_verify "$OUT" "$ORIGIN") ($(b_elapsed "$t" "$(b_now)") s)"
fi

RAW3='' US3=''
if [ "$ODS" = 1 ] && b_ods "$ZF" "$ORIGIN"; then
    b_raw_rate "$STHREADS" 3 2
    RAW3=$B_RAW US3=$B_RAW_US
    echo "# raw HSM rate after OpenDNSSEC: $RAW3 sig/s, $US3 us CPU/sig"
fi

if [ "$PERF" = 1 ]; then
    perf report -i "$T/perf.data" --stdio --no-children --sort dso,symbol --percent-limit 0.7 2> /dev/null \
        | grep -v '^#' | grep -v '^$' | sed -E 's/( +-)+ *$//' > "$T/perf.txt"
    perf report -i "$T/perf.data" --stdio --no-children --sort dso 2> /dev/null \
        | grep -v '^#' | grep -v '^$' | head -8 > "$T/perf-dso.txt"
    perf report -i "$T/perf.data" --stdio --no-children --dsos signerd --sort symbol 2> /dev/null \
        | grep -v '^#' | grep -v '^$' | sed -E 's/( +-)+ *$//' | head -15 > "$T/perf-own.txt"
    [ -n "${PERF_KEEP:-}" ] && cp "$T/perf.data" "$PERF_KEEP"
fi

# ---- the table ---------------------------------------------------------------
mean() { awk -v a="$1" -v b="${2:-}" -v f="$3" 'BEGIN { if (b == "") print "-"; else printf f, (a + b) / 2 }'; }
row() { printf '%-46s %14s %16s\n' "$@"; }
pct() { [ -n "$2" ] && [ "$2" != - ] && b_div "$(awk -v a="$1" 'BEGIN { print a * 100 }')" "$2" "%.0f%%" || echo -; }
ods() { [ "${ODS_OK:-0}" = 1 ] && echo "$1" || echo -; }
RAW_OURS=$(mean "$RAW1" "$RAW2" %.0f) RAW_ODS=$(mean "$RAW2" "$RAW3" %.0f)
US_OURS=$(mean "$US1" "$US2" %.1f) US_ODS=$(mean "$US2" "$US3" %.1f)
ODS_NEW=$(b_field "${ODS_STATS1:-}" RRSIG new)
OURS_RATE=$(b_div "$OURS_NEW" "$OURS_WALL")
ODS_RATE=$(b_div "${ODS_NEW:-0}" "${ODS_FIRST:-0}")
OURS_PHASE=$(b_field "$OURS_STATS" RRSIG avg)
# OpenDNSSEC logs whole seconds and avg=0: its signing-phase rate is new / time when time > 0
ODS_PHASE=$(b_div "${ODS_NEW:-0}" "$(b_field "${ODS_STATS1:-}" RRSIG time)")
OURS_US=$(b_div "$(awk -v c="$OURS_CPU" 'BEGIN { print c * 1e6 }')" "$OURS_NEW" %.1f)
ODS_US=$(b_div "$(awk -v c="${ODS_CPU:-0}" 'BEGIN { print c * 1e6 }')" "${ODS_NEW:-0}" %.1f)

echo
echo "sign-zone: $NAMES names ($KIND, $INPUT_RRS input RRs), ECDSA P-256 KSK+ZSK, NSEC3 0 iterations no salt, $STHREADS signing threads"
echo "$(date -u '+%Y-%m-%d %H:%M UTC'), $(b_version), $(nproc) CPUs, load at start $START_LOAD, at end $(b_load)"
row "" "odsng" "OpenDNSSEC 2.1"
row "wall: signer start -> signed zone (s)" "$OURS_WALL" "$(ods "${ODS_FIRST:-}")"
row "signatures made" "$OURS_NEW" "$(ods "$ODS_NEW")"
row "signatures/s over the wall" "$OURS_RATE" "$(ods "$ODS_RATE")"
row "raw HSM rate, $STHREADS threads, same run (sig/s)" "$RAW_OURS" "$(ods "$RAW_ODS")"
row "  wall rate as % of raw (target >= 85%)" "$(pct "$OURS_RATE" "$RAW_OURS")" "$(ods "$(pct "$ODS_RATE" "$RAW_ODS")")"
row "signing phase only ([STATS] sig/s)" "$OURS_PHASE" "$(ods "$ODS_PHASE")"
row "  as % of raw" "$(pct "$OURS_PHASE" "$RAW_OURS")" "$(ods "$(pct "$ODS_PHASE" "$RAW_ODS")")"
row "signer CPU time, whole run (s)" "$OURS_CPU" "$(ods "${ODS_CPU:-}")"
row "  CPU per signature (us)" "$OURS_US" "$(ods "$ODS_US")"
row "  raw C_Sign CPU per signature, same run (us)" "$US_OURS" "$(ods "$US_ODS")"
row "  raw / ours CPU per signature" "$(pct "$US_OURS" "$OURS_US")" "$(ods "$(pct "$US_ODS" "$ODS_US")")"
row "  runnable, waiting for a CPU (s, summed)" "$OURS_WAIT" "-"
row "peak RSS (MB, VmHWM)" "$(b_mb "$OURS_HWM")" "$(ods "$(b_mb "${ODS_HWM:-}")")"
row "  bytes per input RR" "$(b_div "$((OURS_HWM * 1024))" "$INPUT_RRS")" "$(ods "$(b_div "$((${ODS_HWM:-0} * 1024))" "$INPUT_RRS")")"
row "one-record change, re-sign (s)" "resign-one.sh" "$(ods "${ODS_INC:-}")"
echo "raw rate samples (sig/s): before odsng $RAW1, after odsng $RAW2, after OpenDNSSEC ${RAW3:--}"
echo "odsng  $OURS_STATS"
[ "${ODS_OK:-0}" = 1 ] && echo "ODS    $ODS_STATS1" && echo "ODS    one-record re-sign: $ODS_STATS2"
echo "odsng output: $(grep -c . "$OUT") lines; verify-zone: $VERDICT"
[ "${ODS_OK:-0}" = 1 ] && echo "OpenDNSSEC output: ldns-verify-zone:$ODS_VERIFY"
[ -n "${ODS_CRASH:-}" ] && echo "OpenDNSSEC: ods-signerd crashed when stopped: $ODS_CRASH (ods-signer stop hung: $ODS_STOP_HUNG)"
if [ "$PERF" = 1 ]; then
    echo "perf (signerd, self time, by shared object):"
    sed 's/^/  /' "$T/perf-dso.txt"
    echo "perf (signerd, self time, top functions):"
    head -30 "$T/perf.txt" | sed 's/^/  /'
    echo "perf (signerd's own code, self time as % of all samples):"
    sed 's/^/  /' "$T/perf-own.txt"
fi
exit 0
