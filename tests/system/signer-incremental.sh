#!/bin/bash
# A change of one record costs a change's worth of signatures: only the
# changed RRset, its NSEC/NSEC3 neighbours and the SOA are signed again
# (counts from the [STATS] line); the output validates and the serial grows.
. "$(dirname "$0")/lib.sh"
t_setup signer-incremental

k=$(t_keygen EC:prime256v1) && z=$(t_keygen EC:prime256v1) || t_bail "keygen failed"
"$TOOLS/gen-zone" n3.test 2000 --kind mixed > "$T/unsigned/n3.test"
"$TOOLS/gen-zone" ns.test 2000 --kind hosting > "$T/unsigned/ns.test"
t_signconf n3.test nsec3 "257:13:$k:kp" "256:13:$z:zp"
t_signconf ns.test nsec "257:13:$k:kp" "256:13:$z:zp"
t_zones n3.test ns.test
t_start_signer
t_wait_for 300 test -s "$T/signed/n3.test" && t_wait_for 300 test -s "$T/signed/ns.test" \
    || { tail -20 "$T/signerd.log"; t_bail "first signing did not finish"; }
t_ds "$T/signed/n3.test" n3.test "$T/n3.ds"
t_ds "$T/signed/ns.test" ns.test "$T/ns.ds"

step() { # ZONE DESCRIPTION EXPECTED_NEW
    local zone=$1 what=$2 want=$3 before after
    before=$(t_serial "$T/signed/$zone")
    t_check "$zone: $what: signed" t_sign "$zone"
    after=$(t_serial "$T/signed/$zone")
    t_check "$zone: $what: serial grew ($before -> $after)" test "$after" -gt "$before"
    t_check "$zone: $what: $want new signatures" t_expect_stats "$zone" "$want"
    t_check "$zone: $what: passes verify-zone" t_verify "$T/signed/$zone" "$zone" "$T/${zone%%.*}.ds"
}

# nothing changed: only the SOA (new serial) is signed again
step n3.test "no change" 1
# one A record changed: that RRset and the SOA
host=$(awk '$3 == "A" && $1 ~ /^n000/ { print $1; exit }' "$T/unsigned/n3.test")
sed -i "0,/^$host IN A .*/s//$host IN A 198.51.100.77/" "$T/unsigned/n3.test"
step n3.test "one A record changed" 2
# a new name: its A RRset, its NSEC3, the NSEC3 before it (new next hash), the SOA
echo "brand-new-host IN A 198.51.100.78" >> "$T/unsigned/n3.test"
step n3.test "one name added" 4
# NSEC: a new name needs its NSEC and the previous NSEC (new next name)
echo "brand-new-host IN A 198.51.100.79" >> "$T/unsigned/ns.test"
step ns.test "one name added" 4
# and removing it again: the previous NSEC points on, the SOA
sed -i '/^brand-new-host /d' "$T/unsigned/ns.test"
step ns.test "one name removed" 2
# a TTL change re-signs that RRset (the TTL is in the signed data)
sed -i "0,/^mail IN A /s//mail 7200 IN A /" "$T/unsigned/ns.test"
step ns.test "one TTL changed" 2

t_stop_signer
[ "$T_SIGNER_STATUS" = 0 ] && t_pass "signerd stopped cleanly" || t_fail "signerd exit status $T_SIGNER_STATUS"
t_done
