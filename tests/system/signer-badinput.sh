#!/bin/bash
# Bad input is reported with file and line, the run fails with a clear
# message, the last good signed zone stays published and the daemon keeps
# serving; fixing the input lets the next run publish again.
. "$(dirname "$0")/lib.sh"
t_setup signer-badinput
k=$(t_keygen EC:prime256v1) || t_bail keygen
"$TOOLS/gen-zone" bad.test 200 --kind mixed > "$T/good.zone"
cp "$T/good.zone" "$T/unsigned/bad.test"
t_signconf bad.test nsec "257:13:$k:kzp"
t_zones bad.test
t_start_signer
t_wait_for 120 test -s "$T/signed/bad.test" || t_bail "first signing did not finish"
t_ds "$T/signed/bad.test" bad.test "$T/bad.ds"
good=$(sha256sum < "$T/signed/bad.test")

# bad INPUT-LINE EXPECTED-MESSAGE DESCRIPTION
bad() {
    cp "$T/good.zone" "$T/unsigned/bad.test"
    printf '%b\n' "$1" >> "$T/unsigned/bad.test"
    local line; line=$(wc -l < "$T/unsigned/bad.test")
    if "$ODSCTL" -c "$T/conf.xml" signer sign bad.test --wait > "$T/out" 2>&1; then
        t_fail "$3: the run should fail"; return
    fi
    grep -q "bad.test:$line" "$T/out" && grep -q "$2" "$T/out" \
        && t_pass "$3: reported at line $line: $(tail -1 "$T/out")" \
        || { t_fail "$3: message"; sed 's/^/#   /' "$T/out"; }
    [ "$(sha256sum < "$T/signed/bad.test")" = "$good" ] && t_pass "$3: last good zone still published" \
        || t_fail "$3: output changed"
}
bad 'oops IN A ( 192.0.2.1' "never closed" "unbalanced parenthesis"
bad 'oops IN TXT "no end' "not closed" "unterminated quote"
bad 'mail IN CNAME other.example.' "CNAME and other data" "CNAME beside other data"
bad 'outside.example. IN A 192.0.2.1' "outside the zone" "out-of-zone data"
bad '@ IN SOA a. b. 1 2 3 4 5' "a second SOA" "second SOA"
bad 'x IN RRSIG A 13 2 3600 20300101000000 20200101000000 1 bad.test. AAAA' "made by the signer" "signer-owned type"
bad 'y IN A 300.1.2.3' "IPv4" "bad address"
t_check "the daemon still answers" "$ODSCTL" -c "$T/conf.xml" signer running
t_check "zones shows the error" sh -c "'$ODSCTL' -c '$T/conf.xml' signer zones | grep -q 'bad.test'"

rm "$T/unsigned/bad.test"
t_check "missing input fails" sh -c "! '$ODSCTL' -c '$T/conf.xml' signer sign bad.test --wait"
cp "$T/good.zone" "$T/unsigned/bad.test"
echo "fixed IN A 192.0.2.99" >> "$T/unsigned/bad.test"
t_check "fixed input signs again" t_sign bad.test
t_check "new zone has the fix" grep -q "^fixed.bad.test." "$T/signed/bad.test"
t_check "passes verify-zone" t_verify "$T/signed/bad.test" bad.test "$T/bad.ds"

# a key the HSM does not have: refused, last zone kept
good=$(sha256sum < "$T/signed/bad.test")
t_signconf bad.test nsec "257:13:$k:kzp" "256:13:00112233445566778899aabbccddeeff:zp"
t_check "unknown key fails the run" sh -c "! '$ODSCTL' -c '$T/conf.xml' signer sign bad.test --wait > '$T/out' 2>&1"
t_check "message names the key" grep -q "00112233445566778899aabbccddeeff" "$T/out"
t_check "last good zone kept" test "$(sha256sum < "$T/signed/bad.test")" = "$good"
t_stop_signer
t_check "signerd stopped cleanly" test "$T_SIGNER_STATUS" = 0
t_done
