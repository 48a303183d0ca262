#!/bin/bash
# SOA serial policies (counter, datecounter, unixtime, keep) and a forced
# serial (sign ZONE --serial N): always ahead of the last one published.
. "$(dirname "$0")/lib.sh"
t_setup signer-serial
k=$(t_keygen EC:prime256v1) || t_bail keygen
for z in counter.test date.test unix.test keep.test; do
    "$TOOLS/gen-zone" "$z" 50 --kind hosting > "$T/unsigned/$z"
done
T_SERIAL=counter t_signconf counter.test nsec "257:13:$k:kzp"
T_SERIAL=datecounter t_signconf date.test nsec "257:13:$k:kzp"
T_SERIAL=unixtime t_signconf unix.test nsec "257:13:$k:kzp"
T_SERIAL=keep t_signconf keep.test nsec "257:13:$k:kzp"
t_zones counter.test date.test unix.test keep.test
t_start_signer
for z in counter.test date.test unix.test keep.test; do
    t_wait_for 120 test -s "$T/signed/$z" || t_bail "$z not signed"
done
s() { t_serial "$T/signed/$1"; }
t_check "counter: input serial + 1" test "$(s counter.test)" = 2026010102
today=$(date -u +%Y%m%d)
t_check "datecounter: today's date" test "$(s date.test)" = "${today}00"
now=$(date -u +%s)
t_check "unixtime: about now" test $(( now - $(s unix.test) )) -lt 120
t_check "keep: the input serial" test "$(s keep.test)" = 2026010101

t_sign counter.test > /dev/null
t_check "counter: +1 on the next version" test "$(s counter.test)" = 2026010103
t_sign date.test > /dev/null
t_check "datecounter: counter part +1" test "$(s date.test)" = "${today}01"
old=$(s unix.test); t_sign unix.test > /dev/null
t_check "unixtime: ahead of the previous" test "$(s unix.test)" -gt "$old"

t_check "keep: unchanged input serial is refused" sh -c "! '$ODSCTL' -c '$T/conf.xml' signer sign keep.test --wait > '$T/out' 2>&1"
t_check "keep: the message says how to fix it" grep -q "raise the serial in the input zone" "$T/out"
t_check "keep: the published serial stays" test "$(s keep.test)" = 2026010101
sed -i 's/2026010101/2026010150/' "$T/unsigned/keep.test"
t_sign keep.test > /dev/null
t_check "keep: a raised input serial is published" test "$(s keep.test)" = 2026010150

t_check "forced serial accepted" "$ODSCTL" -c "$T/conf.xml" signer sign counter.test --serial 2026020100 --wait
t_check "forced serial published" test "$(s counter.test)" = 2026020100
t_check "a forced serial behind the current one is refused" \
    sh -c "! '$ODSCTL' -c '$T/conf.xml' signer sign counter.test --serial 5 --wait > '$T/out' 2>&1"
t_check "refusal names the serial" grep -q "serial 5 is not ahead" "$T/out"
t_check "zones still validate" t_ds "$T/signed/counter.test" counter.test "$T/c.ds"
t_check "counter.test passes verify-zone" t_verify "$T/signed/counter.test" counter.test "$T/c.ds"
t_stop_signer
t_check "signerd stopped cleanly" test "$T_SIGNER_STATUS" = 0
t_done
