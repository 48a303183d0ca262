#!/bin/bash
# signerd signs gen-zone zones of each kind with three key set-ups and every
# output passes verify-zone; one also validates through nsd and delv.
. "$(dirname "$0")/lib.sh"
t_setup signer-zones

ec1=$(t_keygen EC:prime256v1) && ec2=$(t_keygen EC:prime256v1) || t_bail "keygen failed"
rk=$(t_keygen rsa:2048) && rz=$(t_keygen rsa:1024) || t_bail "keygen failed"
ed1=$(t_keygen EC:edwards25519) && ed2=$(t_keygen EC:edwards25519) || t_bail "keygen failed"

"$TOOLS/gen-zone" tld.test 2000 --kind tld > "$T/unsigned/tld.test"
"$TOOLS/gen-zone" hosting.test 2000 --kind hosting > "$T/unsigned/hosting.test"
"$TOOLS/gen-zone" mixed.test 2000 --kind mixed > "$T/unsigned/mixed.test"
t_signconf tld.test nsec3 "257:13:$ec1:kzp"                       # ECDSA P-256 CSK, NSEC3
t_signconf hosting.test nsec "257:8:$rk:kp" "256:8:$rz:zp"        # RSA KSK + ZSK, NSEC
t_signconf mixed.test nsec3-optout "257:15:$ed1:kp" "256:15:$ed2:zp" # Ed25519, NSEC3 opt-out
t_zones tld.test hosting.test mixed.test
t_start_signer

for z in tld.test hosting.test mixed.test; do
    if t_wait_for 300 test -s "$T/signed/$z"; then t_pass "$z signed"; else t_fail "$z signed"; continue; fi
    t_check "$z has a KSK for the DS" t_ds "$T/signed/$z" "$z" "$T/$z.ds"
    t_check "$z passes verify-zone" t_verify "$T/signed/$z" "$z" "$T/$z.ds"
done
grep -q "\[STATS\] tld.test " "$T/signerd.log" && t_pass "[STATS] line logged" || t_fail "[STATS] line logged"

t_check "mixed.test validates through nsd + delv" \
    t_serve_validate "$T/signed/mixed.test" mixed.test "$T/mixed.test.ds"
sed -n '/VERDICT/p' "$T/check.out" | sed 's/^/# /'
t_stop_signer
[ "$T_SIGNER_STATUS" = 0 ] && t_pass "signerd stopped cleanly" || t_fail "signerd exit status $T_SIGNER_STATUS"
t_done
