#!/bin/bash
# `odsctl hsm login`: conf.xml without a PIN. Both daemons start, say they
# wait for a PIN, serve their sockets and refuse work that needs the HSM; a
# zone added then waits. A wrong PIN typed on a terminal is refused and
# changes nothing; the right one logs both daemons in, the waiting zone and
# a zone added afterwards are signed and validate. The PIN is never echoed,
# logged or in a process's argv.
. "$(dirname "$0")/lib.sh"
PTY=$(dirname "$0")/pty-type.py
t_setup hsm-login
sed -i '/<PIN>/d' "$T/conf.xml"
PIN=Qz7-login-4821 # distinctive, so that grep finds it nowhere by chance
pkcs11-tool --module "$MODULE" --token-label OpenDNSSEC --login --pin 1234 \
    --change-pin --new-pin "$PIN" > /dev/null 2>&1 || t_bail "cannot set the token's PIN"
A=early.example
B=late.example
"$TOOLS/gen-zone" $A 100 --kind mixed > "$T/unsigned/$A"
"$TOOLS/gen-zone" $B 100 --kind mixed > "$T/unsigned/$B"
login() { PTY_ANSWER=$1 python3 "$PTY" "$ODSCTL" -c "$T/conf.xml" hsm login; }
# raw_login SOCKET: the request odsctl sends after its own check, with the PIN
# from $RAW_PIN (none when empty), straight to a daemon; prints its answer and
# exits with its status.
raw_login() {
    python3 - "$1" <<'PY'
import os, socket, struct, sys
args = [b"hsm", b"login", b"--repository", b"SoftHSM", b"--pin-follows", os.environ["RAW_PIN"].encode()]
if not os.environ["RAW_PIN"]:
    args = args[:4]
payload = b"odsc\x01" + struct.pack(">H", len(args)) + b"".join(a + b"\0" for a in args)
s = socket.socket(socket.AF_UNIX)
s.connect(sys.argv[1])
s.sendall(struct.pack(">IB", len(payload) + 1, 1) + payload)
data = b""
while True:
    chunk = s.recv(65536)
    if not chunk:
        break
    data += chunk
while len(data) >= 5:
    n, kind = struct.unpack(">IB", data[:5])
    body, data = data[5:4 + n], data[4 + n:]
    if kind in (2, 3):
        sys.stdout.buffer.write(body)
    elif kind == 4:
        sys.exit(struct.unpack(">I", body)[0])
sys.exit(99)
PY
}
zone_add() { t_odsctl zone add --zone "$1" --input "$T/unsigned/$1" --output "$T/signed/$1"; }

t_check "setup before the daemons run" t_odsctl setup --force
t_start_enforcer
t_start_signer
t_check "both daemons answer" t_odsctl running
for d in enforcerd signerd; do
    t_check "$d says it waits for a PIN" \
        grep -q 'repository SoftHSM needs a PIN: run `odsctl hsm login`' "$T/$d.log"
done
t_odsctl running > "$T/running.txt" 2>&1
t_check "running says both are not logged in" \
    test "$(grep -c 'the HSM is not logged in yet: run `odsctl hsm login`' "$T/running.txt")" = 2

# before the login: a zone can be added, nothing is generated or signed
zone_add $A > "$T/add-early.txt" 2>&1
t_check "zone add before the login succeeds" test $? = 0
t_check "and says the zone waits for the login" grep -q 'not logged in yet' "$T/add-early.txt"
t_check "the signer refuses to sign" \
    sh -c "! '$ODSCTL' -c '$T/conf.xml' signer sign --all 2> '$T/sign.err'"
t_check "with a clear message" grep -q 'the HSM is not logged in yet: run `odsctl hsm login`' "$T/sign.err"
t_check "the enforcer refuses to enforce" \
    sh -c "! '$ODSCTL' -c '$T/conf.xml' enforce 2> '$T/enforce.err'"
t_check "with a clear message" grep -q 'the HSM is not logged in yet: run `odsctl hsm login`' "$T/enforce.err"
t_check "no key was generated" sh -c "! pkcs11-tool --module '$MODULE' --token-label OpenDNSSEC \
    --login --pin "$PIN" --list-objects --type privkey 2>/dev/null | grep -q 'Private Key'"
t_check "no signer configuration was written" test -z "$(ls "$T/enforcer/signconf" 2> /dev/null)"
t_check "nothing was signed" test ! -e "$T/signed/$A"

# a wrong PIN: refused by odsctl itself, nothing sent, nothing changes
login 9999 > "$T/login-wrong.txt" 2>&1
t_check "a wrong PIN fails" test $? = 1
t_check "saying the PIN is incorrect" grep -q 'incorrect PIN for repository SoftHSM' "$T/login-wrong.txt"
t_check "and that nothing was sent" grep -q 'nothing was sent to the daemons' "$T/login-wrong.txt"
t_check "the daemons still wait" sh -c "'$ODSCTL' -c '$T/conf.xml' running | grep -c 'not logged in' | grep -qx 2"
# a wrong PIN sent straight to the daemons: each checks it itself
for s in enforcer signer; do
    RAW_PIN=wrong-pin-0000 raw_login "$T/run/$s.sock" > "$T/raw-$s.txt" 2>&1
    t_check "$s: a wrong PIN in the request is refused" test $? = 1
    t_check "$s: saying so, and that nothing changed" \
        grep -q 'incorrect PIN for repository SoftHSM.*nothing changed' "$T/raw-$s.txt"
done
t_check "the daemons still wait after that" sh -c "'$ODSCTL' -c '$T/conf.xml' running | grep -c 'not logged in' | grep -qx 2"
RAW_PIN= raw_login "$T/run/enforcer.sock" > "$T/raw-nopin.txt" 2>&1
t_check "a login request without a PIN is refused" test $? = 1
t_check "saying how to give one" grep -q 'the request carries no PIN: run `odsctl hsm login`' "$T/raw-nopin.txt"
t_check "odsctl hsm login without a terminal explains" \
    sh -c "setsid '$ODSCTL' -c '$T/conf.xml' hsm login < /dev/null 2>&1 | grep -q 'no terminal to ask for the PIN'"

# the right PIN, typed on a terminal
login "$PIN" > "$T/login.txt" 2>&1
rc=$?
sed 's/^/#   /' "$T/login.txt"
t_check "hsm login on a terminal succeeds" test $rc = 0
t_check "it asked for the PIN" grep -q 'PIN for repository SoftHSM (token OpenDNSSEC): ' "$T/login.txt"
t_check "the PIN was not echoed" sh -c "! grep -q -- '$PIN' '$T/login.txt'"
t_check "the enforcer is logged in" grep -q 'The enforcer is logged in to the HSM' "$T/login.txt"
t_check "the signer is logged in" grep -q 'The signer is logged in to the HSM' "$T/login.txt"
t_check "running no longer mentions the login" sh -c "! '$ODSCTL' -c '$T/conf.xml' running | grep -q 'not logged in'"
login "$PIN" > "$T/login-again.txt" 2>&1
t_check "a second login changes nothing" test $? = 0
t_check "and says so" grep -q 'already logged in' "$T/login-again.txt"

# the zone that waited is signed; one added now too
zone_add $B > "$T/add-late.txt" 2>&1
t_check "zone add after the login" test $? = 0
for z in $A $B; do
    t_wait_for 300 test -s "$T/signed/$z" || t_bail "$z was not signed"
    t_odsctl key export --zone $z --ds --keytype KSK > "$T/$z.ds"
    t_check "$z: a DS to hand to the parent" grep -q "IN	DS	" "$T/$z.ds"
    t_check "$z: signed zone passes verify-zone" t_verify "$T/signed/$z" $z "$T/$z.ds"
done

# the PIN never reached a log or a command line
t_check "no daemon logged the PIN" sh -c "! grep -q -- '$PIN' '$T/enforcerd.log' '$T/signerd.log'"
t_check "no daemon's argv holds it" sh -c "! cat /proc/$T_ENFORCER_PID/cmdline /proc/$T_SIGNER_PID/cmdline | tr '\0' ' ' | grep -q -- '$PIN'"

t_stop_signer; t_stop_enforcer
t_check "daemons stopped cleanly" test "$T_SIGNER_STATUS$T_ENFORCER_STATUS" = 00
t_done
