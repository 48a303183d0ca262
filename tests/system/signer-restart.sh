#!/bin/bash
# State survives restarts: a restarted signer (stopped cleanly, or killed)
# reuses every fresh signature; `clear` forgets them; the NotifyCommand runs
# after each new version with %zone and %zonefile, without a shell.
. "$(dirname "$0")/lib.sh"
T_NOTIFY='__T__/notify.sh %zone %zonefile'
t_setup signer-restart
sed -i "s|__T__|$T|" "$T/conf.xml"
printf '#!/bin/sh\necho "zone: $1 zonefile: $2 args: $#" >> "%s/notify.log"\n' "$T" > "$T/notify.sh"
chmod +x "$T/notify.sh"
k=$(t_keygen EC:prime256v1) && z=$(t_keygen EC:prime256v1) || t_bail keygen
"$TOOLS/gen-zone" rs.test 1000 --kind mixed > "$T/unsigned/rs.test"
t_signconf rs.test nsec3 "257:13:$k:kp" "256:13:$z:zp"
t_zones rs.test
t_start_signer
t_wait_for 300 test -s "$T/signed/rs.test" || t_bail "first signing did not finish"
t_wait_for 10 test -s "$T/notify.log"
t_check "NotifyCommand ran with the zone and its file" \
    grep -qx "zone: rs.test zonefile: $T/signed/rs.test args: 2" "$T/notify.log"
first_new=$(t_last_stats rs.test new)
t_ds "$T/signed/rs.test" rs.test "$T/rs.ds"

t_stop_signer
t_check "signerd stopped cleanly" test "$T_SIGNER_STATUS" = 0
t_check "state file kept" test -s "$T/signer/rs.test.state"
serial=$(t_serial "$T/signed/rs.test")
mv "$T/signerd.log" "$T/signerd.1.log"
t_start_signer
t_wait_for 120 grep -q "\[STATS\] rs.test " "$T/signerd.log" || t_bail "no run after restart"
t_check "after a restart only the SOA is signed again (of $first_new)" t_expect_stats rs.test 1
t_check "serial moved on after the restart" test "$(t_serial "$T/signed/rs.test")" -gt "$serial"
t_check "passes verify-zone after the restart" t_verify "$T/signed/rs.test" rs.test "$T/rs.ds"

# killed without warning: the published zone and state are whole (atomic writes)
kill -9 "$T_SIGNER_PID"; wait "$T_SIGNER_PID" 2>/dev/null
mv "$T/signerd.log" "$T/signerd.2.log"
t_start_signer
t_wait_for 120 grep -q "\[STATS\] rs.test " "$T/signerd.log" || t_bail "no run after kill -9"
t_check "after kill -9 the signatures are reused too" t_expect_stats rs.test 1
t_check "no temporary files left beside the output" sh -c "! ls '$T/signed' | grep -q tmp"

# clear: the next run signs from scratch
t_check "clear accepted" "$ODSCTL" -c "$T/conf.xml" clear rs.test
t_check "signed after clear" t_sign rs.test
t_check "after clear every signature is new" t_expect_stats rs.test "$first_new"
t_check "passes verify-zone after clear" t_verify "$T/signed/rs.test" rs.test "$T/rs.ds"
t_check "NotifyCommand ran for every version" test "$(wc -l < "$T/notify.log")" -ge 4

t_stop_signer
t_check "signerd stopped cleanly" test "$T_SIGNER_STATUS" = 0
t_done
