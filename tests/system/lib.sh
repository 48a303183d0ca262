# lib.sh -- shared helpers for the system tests (sourced by bash scripts).
#
# Each test gets its own directory, SoftHSMv2 token, sockets and ports, so
# tests run in parallel without colliding. Daemons are stopped (and the
# directory removed unless ODS_KEEP=1) when the script exits.
set -u
: "${ODS_SOURCE_ROOT:?run through meson test}" "${ODS_BUILD_ROOT:?run through meson test}"
TOOLS=$(cd "$ODS_SOURCE_ROOT/../shared/tools" 2>/dev/null && pwd)
[ -x "$TOOLS/verify-zone" ] || { echo "Bail out! the shared checkers are not at $ODS_SOURCE_ROOT/../shared/tools"; exit 1; }
SIGNERD=$ODS_BUILD_ROOT/signerd/signerd
ENFORCERD=$ODS_BUILD_ROOT/enforcerd/enforcerd
ODSCTL=$ODS_BUILD_ROOT/ctl/odsctl
MODULE=${ODS_SOFTHSM_MODULE:-/usr/lib/softhsm/libsofthsm2.so}
T_PIDS=()
T_NPASS=0
T_NFAIL=0

t_log() { echo "# $*"; }
t_pass() { T_NPASS=$((T_NPASS + 1)); echo "ok $((T_NPASS + T_NFAIL)) - $*"; }
t_fail() { T_NFAIL=$((T_NFAIL + 1)); echo "not ok $((T_NPASS + T_NFAIL)) - $*"; }
t_check() { # t_check "description" command...
    local what=$1; shift
    if "$@" > "$T/check.out" 2>&1; then t_pass "$what"; else t_fail "$what"; sed 's/^/#   /' "$T/check.out" | tail -25; fi
}
t_done() {
    echo "1..$((T_NPASS + T_NFAIL))"
    [ "$T_NFAIL" = 0 ]
}
t_bail() { echo "Bail out! $*"; exit 1; }

t_cleanup() {
    local p
    for p in "${T_PIDS[@]}"; do
        kill "$p" 2>/dev/null
    done
    for p in "${T_PIDS[@]}"; do
        for _ in $(seq 1 100); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
        kill -9 "$p" 2>/dev/null
    done
    if [ "${ODS_KEEP:-0}" = 1 ]; then echo "# kept $T"; else rm -rf "$T"; fi
}

# t_setup NAME: private directory, token "OpenDNSSEC" (PIN 1234), conf.xml.
t_setup() {
    T=$(mktemp -d "${TMPDIR:-/tmp}/odsng-$1.XXXXXX")
    trap t_cleanup EXIT
    mkdir -p "$T/tokens" "$T/signer" "$T/enforcer" "$T/unsigned" "$T/signed" "$T/signconf" "$T/run"
    printf 'directories.tokendir = %s/tokens\nobjectstore.backend = file\nlog.level = ERROR\n' "$T" > "$T/softhsm2.conf"
    export SOFTHSM2_CONF=$T/softhsm2.conf
    softhsm2-util --init-token --free --label OpenDNSSEC --so-pin 1234 --pin 1234 > /dev/null || t_bail "cannot create a SoftHSM token"
    t_write_conf
}

t_write_conf() {
    cat > "$T/conf.xml" <<XML
<?xml version="1.0" encoding="UTF-8"?>
<Configuration>
  <RepositoryList>
    <Repository name="SoftHSM">
      <Module>$MODULE</Module>
      <TokenLabel>OpenDNSSEC</TokenLabel>
      <PIN>1234</PIN>
    </Repository>
  </RepositoryList>
  <Common>
    <Logging><Verbosity>4</Verbosity></Logging>
    <PolicyFile>$T/kasp.xml</PolicyFile>
    <ZoneListFile>$T/zonelist.xml</ZoneListFile>
  </Common>
  <Enforcer>
    <Datastore><SQLite>$T/enforcer/kasp.db</SQLite></Datastore>
    <WorkingDirectory>$T/enforcer</WorkingDirectory>
    <SocketFile>$T/run/enforcer.sock</SocketFile>
    <PidFile>$T/run/enforcerd.pid</PidFile>
    ${T_ENFORCER_EXTRA:-}
  </Enforcer>
  <Signer>
    <WorkingDirectory>$T/signer</WorkingDirectory>
    <WorkerThreads>2</WorkerThreads>
    <SignerThreads>2</SignerThreads>
    <SocketFile>$T/run/signer.sock</SocketFile>
    <PidFile>$T/run/signerd.pid</PidFile>
    ${T_NOTIFY:+<NotifyCommand>$T_NOTIFY</NotifyCommand>}
  </Signer>
</Configuration>
XML
    cp "$ODS_SOURCE_ROOT/conf/kasp.xml" "$T/kasp.xml"
    [ -f "$T/zonelist.xml" ] || printf '<?xml version="1.0" encoding="UTF-8"?>\n<ZoneList>\n</ZoneList>\n' > "$T/zonelist.xml"
}

# t_keygen TYPE (EC:prime256v1, EC:secp384r1, rsa:2048, EC:edwards25519): prints the locator.
# Made with OpenSC's pkcs11-tool, an independent PKCS#11 client, as another
# tool (or OpenDNSSEC) would leave them in the token.
t_keygen() {
    local id
    id=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
    pkcs11-tool --module "$MODULE" --token-label OpenDNSSEC --login --pin 1234 \
        --keypairgen --key-type "$1" --id "$id" --label "$id" --usage-sign > "$T/keygen.log" 2>&1 \
        || { cat "$T/keygen.log" >&2; return 1; }
    echo "$id"
}

# t_free_port: a TCP/UDP port nobody listens on now.
t_free_port() {
    python3 -c 'import socket
s=socket.socket(); s.bind(("127.0.0.1",0)); p=s.getsockname()[1]
u=socket.socket(socket.AF_INET,socket.SOCK_DGRAM); u.bind(("127.0.0.1",p)); print(p)'
}

t_start_signer() {
    "$SIGNERD" -d -c "$T/conf.xml" "$@" >> "$T/signerd.log" 2>&1 &
    T_PIDS+=($!)
    T_SIGNER_PID=$!
    t_wait_for 30 test -S "$T/run/signer.sock" || { cat "$T/signerd.log"; t_bail "signerd did not start"; }
}

t_stop_signer() {
    kill "$T_SIGNER_PID" 2>/dev/null
    for _ in $(seq 1 300); do kill -0 "$T_SIGNER_PID" 2>/dev/null || break; sleep 0.1; done
    wait "$T_SIGNER_PID" 2>/dev/null
    T_SIGNER_STATUS=$?
}

# t_wait_for SECONDS command...: poll until the command succeeds.
t_wait_for() {
    local n=$(( $1 * 10 )); shift
    for _ in $(seq 1 "$n"); do "$@" > /dev/null 2>&1 && return 0; sleep 0.1; done
    return 1
}

# t_stats_count ZONE: how many [STATS] lines the signer logged for ZONE.
t_stats_count() { grep -c "\[STATS\] $1 " "$T/signerd.log"; }

# t_ds ZONEFILE ORIGIN OUT: DS (SHA-256) of the zone's KSKs, by ldns-key2ds.
t_ds() {
    grep -P "^\Q$2\E\.?\s+\d+\s+IN\s+DNSKEY\s+257\s" "$1" | while read -r line; do
        echo "$line" > "$T/ksk.key"
        ldns-key2ds -n -2 "$T/ksk.key"
    done > "$3"
    [ -s "$3" ]
}

# t_verify ZONEFILE ORIGIN DSFILE [extra verify-zone args]: the shared checker.
# meson sets MALLOC_PERTURB_, which makes validns 0.8 crash on some zones: the
# external validators run without it. BIND's dnssec-verify assumes a KSK/ZSK
# split unless given -z; for a zone whose algorithm has only SEP keys (a CSK)
# it is run here with -z, the mode BIND documents for that, and skipped
# inside verify-zone.
t_verify() {
    local z=$1 o=$2 ds=$3; shift 3
    local extra=()
    if t_csk_only "$z"; then
        extra=(--skip dnssec-verify)
        if ! env -u MALLOC_PERTURB_ dnssec-verify -z -o "$o" "$z" > "$T/dnssec-verify.out" 2>&1; then
            echo "# dnssec-verify -z failed:"; sed 's/^/#   /' "$T/dnssec-verify.out" | tail -5
            return 1
        fi
        echo "# dnssec-verify -z (CSK zone): passed"
    fi
    env -u MALLOC_PERTURB_ "$TOOLS/verify-zone" "$z" "$o" --ds "$ds" "${extra[@]}" "$@" > "$T/verify.out" 2>&1
    local rc=$?
    tail -1 "$T/verify.out" | sed 's/^/# /'
    [ $rc = 0 ] || grep -E "FAIL" "$T/verify.out" | head -5 | sed 's/^/#   /'
    return $rc
}

# t_csk_only ZONEFILE: some algorithm has SEP (257) DNSKEYs and no 256 ones.
t_csk_only() {
    awk '$4 == "DNSKEY" { if ($5 == 257) sep[$7] = 1; else if ($5 == 256) zsk[$7] = 1 }
         END { for (a in sep) if (!(a in zsk)) found = 1; exit !found }' "$1"
}

t_serve_validate() { # ZONEFILE ORIGIN DSFILE: nsd + delv on a free port
    env -u MALLOC_PERTURB_ "$TOOLS/serve-and-validate" "$1" "$2" "$3" --port "$(t_free_port)"
}

# t_signconf ZONE DENIAL KEY... writes $T/signconf/ZONE.xml.
#   DENIAL: nsec | nsec3 | nsec3-optout
#   KEY: FLAGS:ALGORITHM:LOCATOR:ROLES with ROLES a combination of k (KSK),
#        z (ZSK), p (Publish), e.g. 257:13:abcd...:kp
t_signconf() {
    local zone=$1 denial=$2; shift 2
    local keys="" k fl alg loc roles
    for k in "$@"; do
        IFS=: read -r fl alg loc roles <<< "$k"
        keys="$keys<Key><Flags>$fl</Flags><Algorithm>$alg</Algorithm><Locator>$loc</Locator>"
        case $roles in *k*) keys="$keys<KSK/>";; esac
        case $roles in *z*) keys="$keys<ZSK/>";; esac
        case $roles in *p*) keys="$keys<Publish/>";; esac
        keys="$keys</Key>
      "
    done
    local den="<NSEC/>"
    case $denial in
        nsec3) den="<NSEC3><Hash><Algorithm>1</Algorithm><Iterations>0</Iterations><Salt></Salt></Hash></NSEC3>";;
        nsec3-optout) den="<NSEC3><OptOut/><Hash><Algorithm>1</Algorithm><Iterations>0</Iterations><Salt></Salt></Hash></NSEC3>";;
    esac
    cat > "$T/signconf/$zone.xml.tmp" <<XML
<?xml version="1.0" encoding="UTF-8"?>
<SignerConfiguration>
  <Zone name="$zone">
    <Signatures>
      <Resign>PT2H</Resign><Refresh>P3D</Refresh>
      <Validity><Default>P14D</Default><Denial>P14D</Denial></Validity>
      <Jitter>PT12H</Jitter><InceptionOffset>PT3600S</InceptionOffset>
    </Signatures>
    <Denial>$den</Denial>
    <Keys>
      <TTL>PT3600S</TTL>
      $keys
    </Keys>
    <SOA><TTL>PT3600S</TTL><Minimum>PT300S</Minimum><Serial>${T_SERIAL:-counter}</Serial></SOA>
  </Zone>
</SignerConfiguration>
XML
    mv "$T/signconf/$zone.xml.tmp" "$T/signconf/$zone.xml"
}

# t_zones ZONE...: the signer's zone list (what the enforcer would write).
t_zones() {
    local z
    {
        echo '<?xml version="1.0" encoding="UTF-8"?>'
        echo '<ZoneList>'
        for z in "$@"; do
            echo "  <Zone name=\"$z\"><Policy>default</Policy><SignerConfiguration>$T/signconf/$z.xml</SignerConfiguration>"
            echo "    <Adapters><Input><File>$T/unsigned/$z</File></Input><Output><File>$T/signed/$z</File></Output></Adapters></Zone>"
        done
        echo '</ZoneList>'
    } > "$T/signer/zones.xml.tmp"
    mv "$T/signer/zones.xml.tmp" "$T/signer/zones.xml"
}

# t_serial FILE: the SOA serial of a zone file.
t_serial() { awk '$4 == "SOA" { print $7; exit }' "$1"; }

# t_sign ZONE: re-read and sign ZONE now and wait for the run to end.
t_sign() { "$ODSCTL" -c "$T/conf.xml" signer sign "$1" --wait; }

# t_last_stats ZONE FIELD: a field of the zone's last [STATS] line (new, reused).
t_last_stats() {
    grep "\[STATS\] $1 " "$T/signerd.log" | tail -1 | sed -n "s/.*RRSIG\[.*\b$2=\([0-9]*\).*/\1/p"
}

# t_expect_stats ZONE NEW: the last run made exactly NEW signatures, reused the rest.
t_expect_stats() {
    local got; got=$(t_last_stats "$1" new)
    echo "# last run of $1: new=$got reused=$(t_last_stats "$1" reused) (expected new=$2)"
    [ "$got" = "$2" ]
}

# t_keytag ZONEFILE LOCATOR-FLAGS: not available from a locator; use DNSKEY order instead.
# t_sig_tags ZONEFILE [TYPE]: "tag count" lines for the RRSIGs (of TYPE, or of every type but DNSKEY).
t_sig_tags() {
    awk -v t="${2:-}" '$4 == "RRSIG" && ((t == "" && $5 != "DNSKEY") || $5 == t) { n[$11]++ }
        END { for (k in n) print k, n[k] }' "$1" | sort -n
}

# t_dnskey_tags ZONEFILE: key tags of the published DNSKEYs (flags:tag).
t_dnskey_tags() {
    awk '$4 == "DNSKEY" { print $5 " " $0 }' "$1" | while read -r flags line; do
        echo "$line" > "$T/one.key"
        echo "$flags:$(ldns-key2ds -n -2 "$T/one.key" | awk '{print $4}')"
    done | sort
}

# t_ds_for ZONEFILE ORIGIN TAG OUT: the DS of one KSK.
t_ds_for() {
    t_ds "$1" "$2" "$T/all.ds" && awk -v tag="$3" '$5 == tag' "$T/all.ds" > "$4" && [ -s "$4" ]
}

t_start_enforcer() {
    "$ENFORCERD" -d -c "$T/conf.xml" "$@" >> "$T/enforcerd.log" 2>&1 &
    T_PIDS+=($!)
    T_ENFORCER_PID=$!
    t_wait_for 30 test -S "$T/run/enforcer.sock" || { cat "$T/enforcerd.log"; t_bail "enforcerd did not start"; }
}

t_stop_enforcer() {
    kill "$T_ENFORCER_PID" 2>/dev/null
    for _ in $(seq 1 300); do kill -0 "$T_ENFORCER_PID" 2>/dev/null || break; sleep 0.1; done
    wait "$T_ENFORCER_PID" 2>/dev/null
    T_ENFORCER_STATUS=$?
}

t_odsctl() { "$ODSCTL" -c "$T/conf.xml" "$@"; }

# t_now: the enforcer's clock (epoch seconds), which time leap moves.
t_now() { t_odsctl enforcer queue | sed -n 's/^It is now.*(\([0-9]*\) seconds since epoch).*/\1/p' | head -1; }
