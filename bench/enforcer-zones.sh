#!/bin/sh
# enforcer-zones.sh -- how fast enforcerd adds and settles zones, with a real
# SoftHSMv2 token in a private directory. Prints figures; asserts nothing.
#
#   bench/enforcer-zones.sh [BUILD_DIR] [ZONES] [OWN_KEY_ZONES]
#
# BUILD_DIR (default build-rel) must hold enforcerd/enforcerd and
# tests/enforcer/enfctl; use a release build for meaningful figures.
#   1. ZONES (10000) zones of a ShareKeys policy with one `zonelist import`;
#   2. ZONES/10 more of them added one by one with `zone add`;
#   3. OWN_KEY_ZONES (200) zones with keys of their own by import, then a
#      quarter as many one by one: bound by the HSM's key generation rate.
# OpenDNSSEC 2.1 needed 409 s to add 1,000 zones one by one.
set -eu

BUILD=${1:-build-rel}
ZONES=${2:-10000}
OWN=${3:-200}
ENFORCERD=$BUILD/enforcerd/enforcerd
ENFCTL=$BUILD/tests/enforcer/enfctl
MODULE=${ODS_SOFTHSM_MODULE:-/usr/lib/softhsm/libsofthsm2.so}
[ -x "$ENFORCERD" ] && [ -x "$ENFCTL" ] || {
    echo "build $BUILD first (ninja -C $BUILD enforcerd/enforcerd tests/enforcer/enfctl)" >&2
    exit 1
}
ENFORCERD=$(realpath "$ENFORCERD")
ENFCTL=$(realpath "$ENFCTL")

DIR=$(mktemp -d "${TMPDIR:-/tmp}/enf-bench-XXXXXX")
PID=
cleanup() {
    [ -n "$PID" ] && kill "$PID" 2>/dev/null && wait "$PID" 2>/dev/null || true
    # errors and warnings enforcerd logged are worth seeing beside the figures
    if grep -qE ': (error|warning|critical):' "$DIR/enforcerd.log" 2>/dev/null; then
        echo "enforcerd logged:" >&2
        grep -E ': (error|warning|critical):' "$DIR/enforcerd.log" | tail -20 >&2
    fi
    if [ -n "${BENCH_KEEP:-}" ]; then echo "kept $DIR" >&2; else rm -rf "$DIR"; fi
}
trap cleanup EXIT INT TERM

mkdir "$DIR/tokens" "$DIR/enforcer" "$DIR/signer"
printf 'directories.tokendir = %s/tokens\nobjectstore.backend = file\nlog.level = ERROR\n' \
    "$DIR" > "$DIR/softhsm2.conf"
export SOFTHSM2_CONF="$DIR/softhsm2.conf"
softhsm2-util --init-token --free --label OpenDNSSEC --so-pin 1234 --pin 1234 >/dev/null

policy() { # NAME EXTRA
    cat <<XML
<Policy name="$1"><Description>bench</Description>
<Signatures><Resign>PT2H</Resign><Refresh>P3D</Refresh><Validity><Default>P14D</Default>
<Denial>P14D</Denial></Validity><Jitter>PT12H</Jitter><InceptionOffset>PT10M</InceptionOffset>
<MaxZoneTTL>P1D</MaxZoneTTL></Signatures>
<Denial><NSEC3><Resalt>P100D</Resalt><Hash><Algorithm>1</Algorithm><Iterations>0</Iterations>
<Salt length="0"/></Hash></NSEC3></Denial>
<Keys><TTL>PT1H</TTL><RetireSafety>PT1H</RetireSafety><PublishSafety>PT1H</PublishSafety>$2
<Purge>P14D</Purge>
<KSK><Algorithm length="256">13</Algorithm><Lifetime>P1Y</Lifetime><Repository>SoftHSM</Repository></KSK>
<ZSK><Algorithm length="256">13</Algorithm><Lifetime>P90D</Lifetime><Repository>SoftHSM</Repository></ZSK>
</Keys>
<Zone><PropagationDelay>PT12H</PropagationDelay><SOA><TTL>PT1H</TTL><Minimum>PT1H</Minimum>
<Serial>datecounter</Serial></SOA></Zone>
<Parent><PropagationDelay>PT1H</PropagationDelay><DS><TTL>P1D</TTL></DS>
<SOA><TTL>P1D</TTL><Minimum>PT1H</Minimum></SOA></Parent></Policy>
XML
}
{ echo '<?xml version="1.0"?><KASP>'; policy default ""; policy shared "<ShareKeys/>"
  echo '</KASP>'; } > "$DIR/kasp.xml"
printf '<?xml version="1.0"?>\n<ZoneList>\n</ZoneList>\n' > "$DIR/zonelist.xml"
cat > "$DIR/conf.xml" <<XML
<?xml version="1.0"?>
<Configuration>
<RepositoryList><Repository name="SoftHSM"><Module>$MODULE</Module>
<TokenLabel>OpenDNSSEC</TokenLabel><PIN>1234</PIN></Repository></RepositoryList>
<Common><Logging><Verbosity>3</Verbosity></Logging><PolicyFile>kasp.xml</PolicyFile>
<ZoneListFile>zonelist.xml</ZoneListFile></Common>
<Enforcer><Datastore><SQLite>$DIR/kasp.db</SQLite></Datastore>
<AutomaticKeyGenerationPeriod>PT1H</AutomaticKeyGenerationPeriod><SocketFile>$DIR/enforcer.sock</SocketFile>
<PidFile>$DIR/enforcerd.pid</PidFile><WorkingDirectory>$DIR/enforcer</WorkingDirectory>
<WorkerThreads>4</WorkerThreads></Enforcer>
<Signer><WorkingDirectory>$DIR/signer</WorkingDirectory>
<SocketFile>$DIR/signer/signer.sock</SocketFile><PidFile>$DIR/signer/signerd.pid</PidFile>
</Signer>
</Configuration>
XML

"$ENFORCERD" -c "$DIR/conf.xml" --setup >"$DIR/setup.log" 2>&1 || { cat "$DIR/setup.log" >&2; exit 1; }
"$ENFORCERD" -c "$DIR/conf.xml" -d 2>"$DIR/enforcerd.log" &
PID=$!
ctl() { "$ENFCTL" "$DIR/enforcer.sock" "$@"; }
i=0
until ctl running >/dev/null 2>&1; do
    i=$((i + 1)); [ $i -lt 100 ] || { echo "enforcerd did not start" >&2; exit 1; }
    sleep 0.1
done
now() { date +%s.%N; }
rate() { echo "$1 $2 $3" | awk '{ printf "%.2f s (%.1f/s)", $2 - $1, $3 / ($2 - $1) }'; }

# 1. ShareKeys zones in one import
{ echo '<?xml version="1.0"?><ZoneList>'
  i=0; while [ $i -lt "$ZONES" ]; do
    printf '<Zone name="s%06d.example"><Policy>shared</Policy><SignerConfiguration>%s/enforcer/signconf/s%06d.xml</SignerConfiguration><Adapters><Input><File>/in/%d</File></Input><Output><File>/out/%d</File></Output></Adapters></Zone>\n' $i "$DIR" $i $i $i
    i=$((i + 1)); done
  echo '</ZoneList>'; } > "$DIR/many.xml"
t0=$(now); ctl zonelist import --file "$DIR/many.xml" >/dev/null; t1=$(now)
echo "ShareKeys, zonelist import of $ZONES zones, keys and signconfs for all: $(rate "$t0" "$t1" "$ZONES")"

# 2. ShareKeys zones one by one
ONE=$((ZONES / 10))
t0=$(now)
i=0; while [ $i -lt "$ONE" ]; do ctl zone add --zone "o$i.example" --policy shared >/dev/null; i=$((i + 1)); done
t1=$(now)
echo "ShareKeys, zone add one by one, $ONE zones (zones.xml now $((ZONES + ONE)) zones): $(rate "$t0" "$t1" "$ONE")"

t0=$(now); n=$(ctl key list --verbose --parsable | wc -l); t1=$(now)
echo "key list --verbose of $n keys (with each key's next transition): $(rate "$t0" "$t1" "$n")"

# an enforce pass over every zone with nothing due, and what the store takes
t0=$(now); ctl enforce >/dev/null; t1=$(now)
echo "enforce of all $((ZONES + ONE)) zones, nothing due (an idle pass): $(rate "$t0" "$t1" "$((ZONES + ONE))")"
t0=$(now); ctl enforce >/dev/null; t1=$(now)
echo "  and again: $(rate "$t0" "$t1" "$((ZONES + ONE))")"
db=$(cat "$DIR/kasp.db" "$DIR/kasp.db-wal" 2>/dev/null | wc -c)
echo "database (kasp.db and its WAL): $((db / 1024)) KiB for $((ZONES + ONE)) zones, $((db / (ZONES + ONE))) bytes a zone"

# 3. zones with keys of their own: bound by the HSM's key generation rate
KEYS=$((OWN * 2))
{ echo '<?xml version="1.0"?><ZoneList>'
  i=0; while [ $i -lt "$OWN" ]; do
    printf '<Zone name="p%d.example"><Policy>default</Policy><SignerConfiguration>%s/enforcer/signconf/p%d.xml</SignerConfiguration><Adapters><Input><File>/in/p%d</File></Input><Output><File>/out/p%d</File></Output></Adapters></Zone>\n' $i "$DIR" $i $i $i
    i=$((i + 1)); done
  echo '</ZoneList>'; } > "$DIR/own.xml"
t0=$(now); ctl zonelist import --file "$DIR/own.xml" >/dev/null; t1=$(now)
echo "own keys, zonelist import of $OWN zones, $KEYS keys made in the HSM meanwhile: $(rate "$t0" "$t1" "$OWN") = $(rate "$t0" "$t1" "$KEYS" | sed 's/.*(//; s/)//') keys"
MORE=$((OWN / 4))
t0=$(now)
i=0; while [ $i -lt "$MORE" ]; do ctl zone add --zone "q$i.example" --policy default >/dev/null; i=$((i + 1)); done
t1=$(now)
echo "own keys, zone add one by one, $MORE zones (keys made for each): $(rate "$t0" "$t1" "$MORE")"
ctl stop >/dev/null
wait "$PID" || true
PID=
