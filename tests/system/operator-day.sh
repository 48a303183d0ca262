#!/bin/bash
# The operator's day (SPEC section 1) end to end with both real daemons: setup,
# zone add, the signed zone validating, time leap until the KSK's DS is wanted,
# ds-seen, the KSK active; an edited input published with a new serial that
# nsd serves after the notify command; both daemons restarted mid-way keeping
# their state; zone delete. Every zone passes verify-zone along the way.
. "$(dirname "$0")/lib.sh"
T_NOTIFY="nsd-control -c __T__/nsd/nsd.conf reload %zone"
t_setup operator-day
sed -i "s|__T__|$T|" "$T/conf.xml"
mkdir -p "$T/nsd"
Z=example.com
"$TOOLS/gen-zone" $Z 300 --kind mixed > "$T/unsigned/$Z"

t_check "setup before the daemons run" t_odsctl setup --force
t_start_enforcer
t_start_signer
t_check "both daemons answer" t_odsctl running
t_check "zone add" t_odsctl zone add --zone $Z --input "$T/unsigned/$Z" --output "$T/signed/$Z"
t_check "the signer knows the zone at once" sh -c "'$ODSCTL' -c '$T/conf.xml' signer zones | grep -q $Z"
t_wait_for 300 test -s "$T/signed/$Z" || t_bail "the zone was not signed"
t_odsctl key list --verbose > "$T/keys.txt"; sed 's/^/# /' "$T/keys.txt"
t_check "key list shows a KSK and a ZSK" sh -c "grep -q ' KSK ' '$T/keys.txt' && grep -q ' ZSK ' '$T/keys.txt'"
t_odsctl key export --zone $Z --ds --keytype KSK > "$T/ds.txt"
t_check "key export --ds gives a DS" grep -q "IN	DS	" "$T/ds.txt"
t_check "signed zone passes verify-zone" t_verify "$T/signed/$Z" $Z "$T/ds.txt"

# nsd serves the output; the signer's NotifyCommand reloads it
port=$(t_free_port)
cat > "$T/nsd/nsd.conf" <<NSD
server:
    ip-address: 127.0.0.1@$port
    do-ip6: no
    chroot: ""
    username: ""
    zonesdir: "$T/nsd"
    database: ""
    pidfile: "$T/nsd/nsd.pid"
    logfile: "$T/nsd/nsd.log"
    xfrdfile: "$T/nsd/xfrd.state"
    zonelistfile: "$T/nsd/zone.list"
remote-control:
    control-enable: yes
    control-interface: $T/nsd/control.sock
zone:
    name: "$Z"
    zonefile: "$T/signed/$Z"
NSD
nsd -c "$T/nsd/nsd.conf" || t_bail "nsd did not start"
t_wait_for 20 test -s "$T/nsd/nsd.pid" && T_PIDS+=("$(cat "$T/nsd/nsd.pid")")
served() { dig @127.0.0.1 -p "$port" +short $Z SOA | awk '{print $3}'; }
t_wait_for 20 test -n "$(served)"
t_check "nsd serves the signed zone" test "$(served)" = "$(t_serial "$T/signed/$Z")"

# time leap until the KSK's DS is wanted at the parent
for _ in $(seq 1 10); do
    t_odsctl key list | grep -q "waiting for ds-seen" && break
    t_odsctl time leap > /dev/null
done
t_check "the KSK waits for ds-seen" sh -c "'$ODSCTL' -c '$T/conf.xml' key list | grep KSK | grep -q 'waiting for ds-seen'"
t_check "the enforcer asked for the DS" grep -q "please submit DS with keytag" "$T/enforcerd.log"
t_odsctl key export --zone $Z --ds > "$T/ds-wanted.txt"
t_check "key export without filters gives the DS to submit" grep -q "IN	DS	" "$T/ds-wanted.txt"
tag=$(awk '$4 == "DS" {print $5; exit}' "$T/ds-wanted.txt")
t_check "ds-seen for keytag $tag" t_odsctl key ds-seen --zone $Z --keytag "$tag"
t_check "ds-seen again fails: nothing waits" sh -c "! '$ODSCTL' -c '$T/conf.xml' key ds-seen --zone $Z --keytag $tag"
for _ in $(seq 1 10); do
    t_odsctl key list | grep KSK | grep -q active && break
    t_odsctl time leap > /dev/null
done
t_check "the KSK is active" sh -c "'$ODSCTL' -c '$T/conf.xml' key list | grep KSK | grep -q active"
t_wait_for 60 sh -c "[ \$(t_serial '$T/signed/$Z' 2>/dev/null) ] "
now=$(t_now)
# dnssec-verify has no time option; the others check at the simulated time
t_check "zone validates at the simulated time" t_verify "$T/signed/$Z" $Z "$T/ds.txt" --now "$now" --skip dnssec-verify

# edit the input, sign: a new serial that nsd serves after the notify command
before=$(t_serial "$T/signed/$Z")
echo "added-today IN A 192.0.2.200" >> "$T/unsigned/$Z"
t_check "sign after editing the input" t_odsctl sign $Z
t_wait_for 60 sh -c "[ \"\$(awk '\$4 == \"SOA\" {print \$7; exit}' '$T/signed/$Z')\" != '$before' ]"
after=$(t_serial "$T/signed/$Z")
t_check "a new serial is published ($before -> $after)" test "$after" -gt "$before"
t_wait_for 30 test "$(served)" = "$after"
t_check "nsd serves the new serial after the notify command" test "$(served)" = "$after"
t_check "the new record is served" sh -c "dig @127.0.0.1 -p $port +short added-today.$Z A | grep -q 192.0.2.200"

# restart both daemons mid-way (at the simulated time): state kept
keys_before=$(t_odsctl key list --verbose | grep -c "$Z")
now=$(t_now)
t_stop_signer; t_stop_enforcer
t_check "daemons stopped cleanly" test "$T_SIGNER_STATUS$T_ENFORCER_STATUS" = 00
mv "$T/signerd.log" "$T/signerd.1.log"
t_start_enforcer --set-time "$now"
t_start_signer --set-time "$now"
t_check "keys kept across the restart" test "$(t_odsctl key list --verbose | grep -c "$Z")" = "$keys_before"
t_check "the KSK is still active" sh -c "'$ODSCTL' -c '$T/conf.xml' key list | grep KSK | grep -q active"
t_check "sign after the restart" t_odsctl signer sign $Z --wait
t_check "after the restart the signer reuses its signatures" sh -c "[ \$(grep '\[STATS\] $Z ' '$T/signerd.log' | tail -1 | sed -n 's/.*reused=\([0-9]*\).*/\1/p') -gt 100 ]"
t_check "zone validates after the restart" t_verify "$T/signed/$Z" $Z "$T/ds.txt" --now "$(t_now)" --skip dnssec-verify

# zone delete: the signer drops it
t_check "zone delete" t_odsctl zone delete --zone $Z
t_wait_for 30 sh -c "! '$ODSCTL' -c '$T/conf.xml' signer zones | grep -q $Z"
t_check "the signer no longer has the zone" sh -c "! '$ODSCTL' -c '$T/conf.xml' signer zones | grep -q $Z"
t_check "zone list is empty" sh -c "'$ODSCTL' -c '$T/conf.xml' zone list | grep -q 'No zones'"

t_stop_signer; t_stop_enforcer
t_check "daemons stopped cleanly at the end" test "$T_SIGNER_STATUS$T_ENFORCER_STATUS" = 00
t_done
