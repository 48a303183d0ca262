#!/bin/bash
# The signer follows the signer configuration through each kind of rollover
# (written by hand here, as the enforcer would write them step by step) and
# every intermediate zone validates: ZSK pre-publication, ZSK double
# signature, KSK double signature (two DS in turn) and an algorithm rollover
# (RSASHA256 -> ECDSAP256SHA256, both algorithms signing in between).
. "$(dirname "$0")/lib.sh"
t_setup signer-rollovers
for z in zp.test dz.test ksk.test alg.test; do "$TOOLS/gen-zone" "$z" 300 --kind mixed > "$T/unsigned/$z"; done
K=$(t_keygen EC:prime256v1) && K2=$(t_keygen EC:prime256v1) || t_bail keygen
Z1=$(t_keygen EC:prime256v1) && Z2=$(t_keygen EC:prime256v1) || t_bail keygen
R8K=$(t_keygen rsa:2048) && R8Z=$(t_keygen rsa:1024) || t_bail keygen

# step ZONE LABEL KEY...: new signer configuration, sign, verify with every KSK's DS
step() {
    local zone=$1 label=$2; shift 2
    t_signconf "$zone" nsec3 "$@"
    t_check "$zone $label: signed" t_sign "$zone"
    t_check "$zone $label: DS of its KSKs" t_ds "$T/signed/$zone" "$zone" "$T/$zone.ds"
    t_check "$zone $label: passes verify-zone" t_verify "$T/signed/$zone" "$zone" "$T/$zone.ds"
}
t_signconf zp.test nsec3 "257:13:$K:kp" "256:13:$Z1:zp"
t_signconf dz.test nsec3 "257:13:$K:kp" "256:13:$Z1:zp"
t_signconf ksk.test nsec3 "257:13:$K:kp" "256:13:$Z1:zp"
t_signconf alg.test nsec3 "257:8:$R8K:kp" "256:8:$R8Z:zp"
t_zones zp.test dz.test ksk.test alg.test
t_start_signer
for z in zp.test dz.test ksk.test alg.test; do
    t_wait_for 300 test -s "$T/signed/$z" || t_bail "$z: first signing did not finish"
done

# --- ZSK pre-publication: publish Z2, then swap the signatures, then drop Z1
step zp.test "Z2 published" "257:13:$K:kp" "256:13:$Z1:zp" "256:13:$Z2:p"
t_check "zp.test: three DNSKEYs" test "$(t_dnskey_tags "$T/signed/zp.test" | wc -l)" = 3
t_check "zp.test: one ZSK signs" test "$(t_sig_tags "$T/signed/zp.test" | wc -l)" = 1
before=$(t_sig_tags "$T/signed/zp.test" | awk '{print $1}')
step zp.test "Z2 signs" "257:13:$K:kp" "256:13:$Z1:p" "256:13:$Z2:zp"
after=$(t_sig_tags "$T/signed/zp.test" | awk '{print $1}')
t_check "zp.test: signatures moved to the new ZSK ($before -> $after)" \
    test "$(t_sig_tags "$T/signed/zp.test" | wc -l)" = 1 -a "$before" != "$after"
step zp.test "Z1 withdrawn" "257:13:$K:kp" "256:13:$Z2:zp"
t_check "zp.test: two DNSKEYs" test "$(t_dnskey_tags "$T/signed/zp.test" | wc -l)" = 2

# --- ZSK double signature: both sign every RRset for a while
step dz.test "both ZSKs sign" "257:13:$K:kp" "256:13:$Z1:zp" "256:13:$Z2:zp"
t_check "dz.test: two ZSKs sign every RRset" sh -c \
    "t=\$(awk '\$4 == \"RRSIG\" && \$5 != \"DNSKEY\"' '$T/signed/dz.test' | wc -l); \
     r=\$(awk '\$4 == \"RRSIG\" && \$5 != \"DNSKEY\" {print \$1, \$5}' '$T/signed/dz.test' | sort -u | wc -l); \
     [ \$t = \$((2 * r)) ]"
step dz.test "old ZSK gone" "257:13:$K:kp" "256:13:$Z2:zp"

# --- KSK double signature: both KSKs sign the DNSKEY set; either DS validates
step ksk.test "second KSK" "257:13:$K:kp" "257:13:$K2:kp" "256:13:$Z1:zp"
tags=$(t_sig_tags "$T/signed/ksk.test" DNSKEY | awk '{print $1}')
for tag in $tags; do
    t_check "ksk.test: validates with only the DS of key $tag" t_ds_for "$T/signed/ksk.test" ksk.test "$tag" "$T/one.ds"
    t_check "ksk.test: verify-zone with DS $tag" t_verify "$T/signed/ksk.test" ksk.test "$T/one.ds"
done
t_check "ksk.test: two KSKs sign the DNSKEY RRset" test "$(echo $tags | wc -w)" = 2
step ksk.test "old KSK gone" "257:13:$K2:kp" "256:13:$Z1:zp"

# --- algorithm rollover 8 -> 13: the new algorithm signs everything before the DS moves
step alg.test "both algorithms" "257:8:$R8K:kp" "256:8:$R8Z:zp" "257:13:$K:kp" "256:13:$Z1:zp"
t_check "alg.test: every RRset signed with algorithms 8 and 13" sh -c \
    "awk '\$4 == \"RRSIG\" {a[\$1 \" \" \$5] = a[\$1 \" \" \$5] \" \" \$6} END {for (k in a) if (a[k] !~ /8/ || a[k] !~ /13/) exit 1}' '$T/signed/alg.test'"
old8=$(t_dnskey_tags "$T/signed/alg.test" | awk -F: '$1 == 257' | head -1)
step alg.test "algorithm 8 gone" "257:13:$K:kp" "256:13:$Z1:zp"
t_check "alg.test: only algorithm 13 left" sh -c "! awk '\$4 == \"DNSKEY\" && \$7 == 8' '$T/signed/alg.test' | grep -q ."

t_stop_signer
[ "$T_SIGNER_STATUS" = 0 ] && t_pass "signerd stopped cleanly" || t_fail "signerd exit status $T_SIGNER_STATUS"
t_done
