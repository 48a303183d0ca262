#!/bin/bash
# Privileges: both daemons started as root with User and Group 'daemon' in
# their Privileges sections. After start-up they run as daemon:daemon, their
# control sockets are mode 0660 group daemon, root can use odsctl and a user
# outside the group is told it lacks the group; keys generated after the
# drop land in the token, the zone is signed and validates, and nothing the
# daemons keep in their working directories is readable by other users.
# Restarted without a PIN, they take it from `odsctl hsm login` after the drop.
. "$(dirname "$0")/lib.sh"
if [ "$(id -u)" != 0 ]; then
    echo "1..0 # SKIP not root"
    exit 0
fi
getent passwd daemon > /dev/null && getent group daemon > /dev/null && getent passwd nobody > /dev/null \
    || { echo "1..0 # SKIP no user and group 'daemon' or no user 'nobody'"; exit 0; }
t_setup privileges
PRIVS='<Privileges><User>daemon</User><Group>daemon</Group></Privileges>'
sed -i "s|<Enforcer>|<Enforcer>$PRIVS|; s|<Signer>|<Signer>$PRIVS|" "$T/conf.xml"
# the PIN in a file only root and the daemons' group can read
printf '1234\n' > "$T/softhsm.pin"
chown root:daemon "$T/softhsm.pin"
chmod 0640 "$T/softhsm.pin"
sed -i "s|<PIN>1234</PIN>|<PINFile>$T/softhsm.pin</PINFile>|" "$T/conf.xml"
Z=example.net
"$TOOLS/gen-zone" $Z 200 --kind mixed > "$T/unsigned/$Z"
t_check "setup as root" t_odsctl setup --force
# what the operator prepares for user daemon: the token (keys are made
# after the drop), the working directories and the output directory
chmod 0755 "$T"
chown -R daemon:daemon "$T/tokens" "$T/enforcer" "$T/signer" "$T/signed"
as_nobody() { setpriv --reuid=nobody --regid=nogroup --clear-groups "$@"; }

t_start_enforcer
t_start_signer
# the sockets exist before the drop; an answer comes from the loop, after it
t_check "root can use odsctl" t_odsctl running
for p in "enforcerd:$T_ENFORCER_PID" "signerd:$T_SIGNER_PID"; do
    name=${p%%:*} pid=${p#*:}
    t_check "$name runs as user daemon" test "$(ps -o user= -p "$pid" | tr -d ' ')" = daemon
    t_check "$name runs as group daemon" test "$(ps -o group= -p "$pid" | tr -d ' ')" = daemon
    t_check "$name cannot regain root (real, effective, saved ids)" \
        sh -c "grep -E '^(Uid|Gid):' /proc/$pid/status | awk '{ if (\$2 != 1 || \$3 != 1 || \$4 != 1) exit 1 }'"
done
for s in enforcer signer; do
    t_check "$s socket is mode 0660, group daemon" test "$(stat -c '%a %G' "$T/run/$s.sock")" = "660 daemon"
done
as_nobody "$ODSCTL" -c "$T/conf.xml" running > "$T/nobody.out" 2>&1
rc=$?
sed 's/^/#   /' "$T/nobody.out"
t_check "a user outside group daemon is refused" test "$rc" = 3
t_check "and told to join group daemon" grep -q "permission denied on $T/run/enforcer.sock.*member of group daemon" "$T/nobody.out"
t_check "for the signer too" grep -q "permission denied on $T/run/signer.sock.*member of group daemon" "$T/nobody.out"
t_check "a member of group daemon may use odsctl" \
    setpriv --reuid=nobody --regid=daemon --clear-groups "$ODSCTL" -c "$T/conf.xml" running

# keys are generated after the drop; the zone is signed and validates
t_check "zone add" t_odsctl zone add --zone $Z --input "$T/unsigned/$Z" --output "$T/signed/$Z"
t_wait_for 300 test -s "$T/signed/$Z" || { tail -n 20 "$T/enforcerd.log" "$T/signerd.log"; t_bail "the zone was not signed"; }
t_check "the keys in the token belong to user daemon" \
    test -z "$(find "$T/tokens" ! -user daemon)"
t_odsctl key export --zone $Z --ds --keytype KSK > "$T/ds.txt"
t_check "key export --ds gives a DS" grep -q "IN	DS	" "$T/ds.txt"
t_check "signed zone passes verify-zone" t_verify "$T/signed/$Z" $Z "$T/ds.txt"
t_check "the signed zone belongs to user daemon" test "$(stat -c %U "$T/signed/$Z")" = daemon
t_check "a re-sign after an edit works as daemon" sh -c "echo 'new IN A 192.0.2.7' >> '$T/unsigned/$Z' && '$ODSCTL' -c '$T/conf.xml' signer sign $Z --wait"

# working files: nothing readable by others
find "$T/enforcer" "$T/signer" -perm /o=rwx > "$T/open.txt"
sed 's/^/#   open to others: /' "$T/open.txt"
t_check "no working file or directory is open to other users" test ! -s "$T/open.txt"
t_check "nobody cannot read the database" sh -c "! setpriv --reuid=nobody --regid=nogroup --clear-groups cat '$T/enforcer/kasp.db' > /dev/null 2>&1"
t_check "nobody cannot list the signer's working directory" \
    sh -c "! setpriv --reuid=nobody --regid=nogroup --clear-groups ls '$T/signer' > /dev/null 2>&1"

t_stop_signer; t_stop_enforcer
t_check "daemons stopped cleanly" test "$T_SIGNER_STATUS$T_ENFORCER_STATUS" = 00

# without a PIN in conf.xml: `odsctl hsm login` opens the HSM after the drop
sed -i "s|<PINFile>$T/softhsm.pin</PINFile>||" "$T/conf.xml"
rm -f "$T"/run/*.sock # left by the daemons: user daemon may not remove files in root's run/
t_start_enforcer
t_start_signer
t_check "without a PIN the daemons wait, as user daemon" \
    sh -c "'$ODSCTL' -c '$T/conf.xml' running | grep -c 'not logged in' | grep -qx 2"
PTY_ANSWER=1234 python3 "$(dirname "$0")/pty-type.py" "$ODSCTL" -c "$T/conf.xml" hsm login > "$T/login.txt" 2>&1
t_check "hsm login as root hands them the PIN" test $? = 0
sed 's/^/#   /' "$T/login.txt"
t_check "the signer signs again after the login" t_odsctl signer sign $Z --wait
t_check "the zone still validates" t_verify "$T/signed/$Z" $Z "$T/ds.txt"
t_stop_signer; t_stop_enforcer
t_check "daemons stopped cleanly again" test "$T_SIGNER_STATUS$T_ENFORCER_STATUS" = 00
t_done
