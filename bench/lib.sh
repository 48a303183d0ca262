# lib.sh -- shared helpers for the benchmark scripts (sourced by bash).
#
# Every script gets its own temporary directory (removed on exit unless
# ODS_KEEP=1), its own SoftHSMv2 token and its own sockets, so benchmarks
# never touch a system instance. Nothing here asserts a time: scripts print
# figures.
#
# Environment:
#   ODS_BENCH_BUILD   build directory (default <repo>/build-bench, a release
#                     build made here if missing: meson setup -Dbuildtype=release)
#   ODS_SOFTHSM_MODULE  PKCS#11 module (default /usr/lib/softhsm/libsofthsm2.so)
#   ODS_KEEP=1        keep the temporary directory (its path is printed)
set -u
B_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TOOLS=$(cd "$B_ROOT/../shared/tools" 2>/dev/null && pwd) || TOOLS=$B_ROOT/../shared/tools
BUILD=${ODS_BENCH_BUILD:-$B_ROOT/build-bench}
SIGNERD=$BUILD/signerd/signerd
ODSCTL=$BUILD/ctl/odsctl
HSMSPEED=$BUILD/bench/hsm-speed
MODULE=${ODS_SOFTHSM_MODULE:-/usr/lib/softhsm/libsofthsm2.so}
PIN=1234
B_PIDS=()
B_SIGNER_PID=

b_die() { echo "$(basename "$0"): $*" >&2; exit 1; }
b_now() { date +%s.%N; }
b_elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }
b_div() { awk -v a="$1" -v b="$2" -v f="${3:-%.0f}" 'BEGIN { if (b > 0) printf f, a / b; else printf "-" }'; }
b_load() { cut -d' ' -f1-3 /proc/loadavg; }
# b_version: the source measured (git commit, "-dirty" when the tree has changes).
b_version() { echo "odsng $(git -C "$B_ROOT" describe --always --dirty 2> /dev/null || echo unknown)"; }

# b_build: make (or bring up to date) the release build of what the benchmarks run.
# werror is off in this build directory only: gcc -O3 warns where -O2 does not,
# and a benchmark should measure the code, not stop on a warning the normal
# (werror) builds already judge.
b_build() {
    command -v meson > /dev/null || b_die "meson is missing: run ./scripts/install-deps"
    if [ ! -f "$BUILD/build.ninja" ]; then
        meson setup "$BUILD" "$B_ROOT" -Dbuildtype=release -Dwerror=false > "${TMPDIR:-/tmp}/odsng-bench-setup.log" 2>&1 \
            || { tail -20 "${TMPDIR:-/tmp}/odsng-bench-setup.log" >&2; b_die "meson setup $BUILD failed"; }
    fi
    ninja -C "$BUILD" signerd/signerd ctl/odsctl bench/hsm-speed > "${TMPDIR:-/tmp}/odsng-bench-build.log" 2>&1 \
        || { grep -E 'error|FAILED' "${TMPDIR:-/tmp}/odsng-bench-build.log" | head -20 >&2; b_die "building in $BUILD failed"; }
}

b_cleanup() {
    local p
    for p in "${B_PIDS[@]}"; do kill "$p" 2> /dev/null; done
    for p in "${B_PIDS[@]}"; do
        for _ in $(seq 1 100); do kill -0 "$p" 2> /dev/null || break; sleep 0.1; done
        kill -9 "$p" 2> /dev/null
    done
    [ -n "${B_ODS_DIR:-}" ] && rm -rf "$B_ODS_DIR"
    if [ "${ODS_KEEP:-0}" = 1 ]; then echo "# kept $T"; else rm -rf "$T"; fi
}

# b_setup NAME: build, private directory $T, token "Bench" (PIN 1234), conf.xml.
b_setup() {
    b_build
    [ -x "$TOOLS/gen-zone" ] || b_die "the shared tools are not at $TOOLS"
    T=$(mktemp -d "${TMPDIR:-/tmp}/odsng-bench-$1.XXXXXX")
    trap b_cleanup EXIT
    trap 'exit 130' INT TERM
    mkdir -p "$T/tokens" "$T/signer" "$T/unsigned" "$T/signed" "$T/signconf" "$T/run"
    printf 'directories.tokendir = %s/tokens\nobjectstore.backend = file\nlog.level = ERROR\n' "$T" > "$T/softhsm2.conf"
    export SOFTHSM2_CONF=$T/softhsm2.conf
    softhsm2-util --init-token --free --label Bench --so-pin $PIN --pin $PIN > /dev/null \
        || b_die "cannot create a SoftHSM token"
    b_write_conf "${B_SIGNER_THREADS:-2}"
}

b_write_conf() {
    cat > "$T/conf.xml" << XML
<?xml version="1.0" encoding="UTF-8"?>
<Configuration>
  <RepositoryList>
    <Repository name="SoftHSM">
      <Module>$MODULE</Module>
      <TokenLabel>Bench</TokenLabel>
      <PIN>$PIN</PIN>
    </Repository>
  </RepositoryList>
  <Common>
    <Logging><Verbosity>3</Verbosity></Logging>
    <PolicyFile>$T/kasp.xml</PolicyFile>
    <ZoneListFile>$T/zonelist.xml</ZoneListFile>
  </Common>
  <Enforcer>
    <Datastore><SQLite>$T/kasp.db</SQLite></Datastore>
    <WorkingDirectory>$T</WorkingDirectory>
    <SocketFile>$T/run/enforcer.sock</SocketFile>
    <PidFile>$T/run/enforcerd.pid</PidFile>
  </Enforcer>
  <Signer>
    <WorkingDirectory>$T/signer</WorkingDirectory>
    <WorkerThreads>2</WorkerThreads>
    <SignerThreads>$1</SignerThreads>
    <SocketFile>$T/run/signer.sock</SocketFile>
    <PidFile>$T/run/signerd.pid</PidFile>
  </Signer>
</Configuration>
XML
    cp "$B_ROOT/conf/kasp.xml" "$T/kasp.xml"
    printf '<?xml version="1.0" encoding="UTF-8"?>\n<ZoneList>\n</ZoneList>\n' > "$T/zonelist.xml"
}

# b_keygen TYPE: an EC:prime256v1 (...) key pair made with OpenSC's pkcs11-tool; prints the locator.
b_keygen() {
    local id
    id=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
    pkcs11-tool --module "$MODULE" --token-label Bench --login --pin $PIN \
        --keypairgen --key-type "$1" --id "$id" --label "$id" --usage-sign > "$T/keygen.log" 2>&1 \
        || { cat "$T/keygen.log" >&2; return 1; }
    echo "$id"
}

# b_zone ORIGIN NAMES KIND: the unsigned zone $T/unsigned/ORIGIN, a ZSK and KSK
# (ECDSA P-256), the signer configuration (NSEC3, 0 iterations, no salt) and zones.xml.
b_zone() {
    local origin=$1
    "$TOOLS/gen-zone" "$origin" "$2" --kind "$3" > "$T/unsigned/$origin" || b_die "gen-zone failed"
    B_KSK=$(b_keygen EC:prime256v1) && B_ZSK=$(b_keygen EC:prime256v1) || b_die "key generation failed"
    cat > "$T/signconf/$origin.xml" << XML
<?xml version="1.0" encoding="UTF-8"?>
<SignerConfiguration>
  <Zone name="$origin">
    <Signatures>
      <Resign>PT2H</Resign><Refresh>P3D</Refresh>
      <Validity><Default>P14D</Default><Denial>P14D</Denial></Validity>
      <Jitter>PT12H</Jitter><InceptionOffset>PT3600S</InceptionOffset>
    </Signatures>
    <Denial><NSEC3><Hash><Algorithm>1</Algorithm><Iterations>0</Iterations><Salt></Salt></Hash></NSEC3></Denial>
    <Keys>
      <TTL>PT3600S</TTL>
      <Key><Flags>257</Flags><Algorithm>13</Algorithm><Locator>$B_KSK</Locator><KSK/><Publish/></Key>
      <Key><Flags>256</Flags><Algorithm>13</Algorithm><Locator>$B_ZSK</Locator><ZSK/><Publish/></Key>
    </Keys>
    <SOA><TTL>PT3600S</TTL><Minimum>PT300S</Minimum><Serial>counter</Serial></SOA>
  </Zone>
</SignerConfiguration>
XML
    cat > "$T/signer/zones.xml" << XML
<?xml version="1.0" encoding="UTF-8"?>
<ZoneList>
  <Zone name="$origin"><Policy>default</Policy><SignerConfiguration>$T/signconf/$origin.xml</SignerConfiguration>
    <Adapters><Input><File>$T/unsigned/$origin</File></Input><Output><File>$T/signed/$origin</File></Output></Adapters></Zone>
</ZoneList>
XML
}

# b_raw_rate THREADS SECONDS ROUNDS: the token's raw C_Sign rate with the ZSK:
# B_RAW (sig/s) and B_RAW_US (CPU microseconds per signature).
b_raw_rate() {
    "$HSMSPEED" -m "$MODULE" -t Bench -p $PIN -k "$B_ZSK" -s "$2" -r "$3" --raw-only "$1" > "$T/hsm-speed.out" 2>&1 \
        || { cat "$T/hsm-speed.out" >&2; b_die "hsm-speed failed"; }
    B_RAW=$(awk -v n="$1" '$1 == n { print $2 }' "$T/hsm-speed.out")
    B_RAW_US=$(awk -v n="$1" '$1 == n { sub("us", "", $7); print $7 }' "$T/hsm-speed.out")
}

# b_start_signer [PERFDATA]: signerd in the foreground, logging to
# $T/signerd.log; sets B_SIGNER_PID and B_T0. With PERFDATA it runs under
# perf record (which follows every thread it creates) writing PERFDATA;
# B_PERF_PID is perf's pid then.
b_start_signer() {
    B_T0=$(b_now)
    B_PERF_PID=
    if [ -n "${1:-}" ]; then
        perf record -q -F 499 -o "$1" -- "$SIGNERD" -d -c "$T/conf.xml" >> "$T/signerd.log" 2>&1 &
        B_PERF_PID=$!
        B_PIDS+=("$B_PERF_PID")
        for _ in $(seq 1 100); do
            B_SIGNER_PID=$(ps -o pid= --ppid "$B_PERF_PID" | tr -d ' ')
            [ -n "$B_SIGNER_PID" ] && break
            sleep 0.05
        done
        [ -n "$B_SIGNER_PID" ] || b_die "signerd did not start under perf: $(cat "$T/signerd.log")"
        B_PIDS+=("$B_SIGNER_PID")
        return
    fi
    "$SIGNERD" -d -c "$T/conf.xml" >> "$T/signerd.log" 2>&1 &
    B_SIGNER_PID=$!
    B_PIDS+=("$B_SIGNER_PID")
}

# b_stop_signer: SIGTERM, wait for the exit; B_SIGNER_STATUS is its exit status.
b_stop_signer() {
    kill "$B_SIGNER_PID" 2> /dev/null
    for _ in $(seq 1 600); do kill -0 "$B_SIGNER_PID" 2> /dev/null || break; sleep 0.1; done
    if [ -n "${B_PERF_PID:-}" ]; then
        wait "$B_PERF_PID" 2> /dev/null # perf's status is signerd's
    else
        wait "$B_SIGNER_PID" 2> /dev/null
    fi
    B_SIGNER_STATUS=$?
}

b_stats_count() { grep -c "\[STATS\] $1 " "$T/signerd.log"; }
b_stats_last() { grep "\[STATS\] $1 " "$T/signerd.log" | tail -1 | sed 's/.*\[STATS\]/[STATS]/'; }
b_hwm_kb() { awk '/^VmHWM/ { print $2 }' "/proc/$1/status" 2> /dev/null; }
b_rss_kb() { awk '/^VmRSS/ { print $2 }' "/proc/$1/status" 2> /dev/null; }
# b_cpu PID: user+system CPU seconds so far.
b_cpu() { awk -v hz="$(getconf CLK_TCK)" '{ printf "%.2f", ($14 + $15) / hz }' "/proc/$1/stat" 2> /dev/null; }

# b_sched PID: CPU seconds and seconds spent runnable but waiting for a CPU
# (other load), summed over the process's current threads (schedstat).
b_sched() {
    cat /proc/"$1"/task/*/schedstat 2> /dev/null | awk '{ c += $1; w += $2 } END { printf "%.1f %.1f", c / 1e9, w / 1e9 }'
}

# b_wait_stats ZONE N SECONDS: wait until ZONE has more than N [STATS] lines
# (or signerd died, or SECONDS passed), sampling signerd's VmHWM into B_HWM (kB).
b_wait_stats() {
    local i h
    B_HWM=0
    for i in $(seq 1 $(($3 * 10))); do
        h=$(b_hwm_kb "$B_SIGNER_PID")
        [ -n "$h" ] && [ "$h" -gt "$B_HWM" ] && B_HWM=$h
        [ "$(b_stats_count "$1")" -gt "$2" ] && return 0
        kill -0 "$B_SIGNER_PID" 2> /dev/null || return 1
        sleep 0.1
    done
    return 1
}

# b_field STATSLINE NAME KEY: a figure from a [STATS] line, e.g. b_field "$s" RRSIG new.
b_field() { echo "$1" | grep -o "$2\[[^]]*\]" | grep -o "$3=[0-9.]*" | head -1 | cut -d= -f2; }

# b_serial ZONEFILE: the SOA serial.
b_serial() { awk '$4 == "SOA" { print $7; exit }' "$1"; }

# b_verify ZONEFILE ORIGIN: verify-zone against the DS of the zone's KSK; prints its verdict.
b_verify() {
    grep -P "^\Q$2\E\.?\s+\d+\s+IN\s+DNSKEY\s+257\s" "$1" | head -1 > "$T/ksk.key"
    ldns-key2ds -n -2 "$T/ksk.key" > "$T/ds" 2> /dev/null || { echo "no KSK DNSKEY in the output"; return 1; }
    "$TOOLS/verify-zone" "$1" "$2" --ds "$T/ds" > "$T/verify.out" 2>&1
    local rc=$?
    tail -1 "$T/verify.out"
    return $rc
}

# b_ods ZONEFILE ORIGIN: OpenDNSSEC 2.1 (Debian) on the same zone through
# ods-bench-sign (a fresh private instance: enforcer, then ods-signerd; a
# first sign, then two one-record changes re-signed with ods-signer sign, then
# ldns-verify-zone); its log goes to $T/ods.out. Sets ODS_OK, ODS_FIRST (s,
# signer start -> output file mtime), ODS_HWM (kB), ODS_CPU (s), ODS_INC1 and
# ODS_INC2 (s, ods-signer sign -> next [STATS]), ODS_INC (both), ODS_INC_CPU (s, the
# first change), ODS_STATS1..3, ODS_CRASH (its crash report at stop, if any).
b_ods() {
    ODS_OK=0
    if ! command -v ods-signerd > /dev/null; then
        echo "# OpenDNSSEC is not installed (apt-get install -y opendnssec): skipped"
        return 1
    fi
    B_ODS_DIR=/tmp/ods-anchor-bench-$2-a13-nsec3-w2s2
    RESULTS=$T/ods-results.txt "$TOOLS/ods-bench-sign" "$1" "$2" 13 nsec3 > "$T/ods.out" 2>&1 &
    local tool=$! since=
    B_PIDS+=("$tool")
    ODS_STOP_HUNG=0
    # ods-signerd 2.1.12 can crash in its shutdown (a segfault in janitor_thread_join) and
    # hang there; "ods-signer stop" then waits for ever. Unstick the tool by ending that stop.
    while kill -0 "$tool" 2> /dev/null; do
        if [ -z "$since" ] && grep -q 'ldns-verify-zone (after incremental)' "$T/ods.out"; then
            since=$SECONDS
        elif [ -n "$since" ] && [ $((SECONDS - since)) -gt 30 ]; then
            local p
            for p in $(ps -o pid=,comm= --ppid "$tool" | awk '$2 == "ods-signer" { print $1 }'); do
                kill "$p" 2> /dev/null && ODS_STOP_HUNG=1
            done
            since=$((SECONDS + 1000000))
        fi
        sleep 1
    done
    wait "$tool" 2> /dev/null
    ODS_CRASH=$(grep -A4 'Segmentation fault' "$B_ODS_DIR/log/signer.log" 2> /dev/null | tr -s ' \n' ' ')
    local first inc
    first=$(grep 'first sign:' "$T/ods.out" | tail -1)
    # the output file's mtime, as for signerd (its [STATS] line is logged after the write)
    ODS_FIRST=$(echo "$first" | grep -o 'mtime-start=[0-9.]*' | cut -d= -f2)
    ODS_FIRST=$(b_fmt "$ODS_FIRST")
    ODS_HWM=$(echo "$first" | grep -o 'VmHWM=[0-9]*' | cut -d= -f2)
    ODS_CPU=$(echo "$first" | grep -o 'CPU so far [0-9.]*' | awk '{ print $4 }')
    ODS_STATS1=$(grep -A1 'first sign:' "$T/ods.out" | tail -1 | grep -o '\[STATS\].*')
    inc=$(grep -E 'incremental re-sign( #2)?: wall=' "$T/ods.out" | grep -o 'wall=[0-9.]*' | cut -d= -f2)
    ODS_INC1=$(b_fmt "$(echo "$inc" | sed -n 1p)")
    ODS_INC2=$(b_fmt "$(echo "$inc" | sed -n 2p)")
    ODS_INC="$ODS_INC1, $ODS_INC2"
    ODS_STATS2=$(grep -A1 'incremental re-sign: wall' "$T/ods.out" | tail -1 | grep -o '\[STATS\].*')
    # its CPU figure after the first change, less the one after the first sign
    ODS_INC_CPU=$(grep -o 'CPU total [0-9.]*' "$T/ods.out" | head -1 | awk -v a="${ODS_CPU:-0}" '{ printf "%.1f", $3 - a }')
    ODS_STATS3=$(grep -A1 'incremental re-sign #2: wall' "$T/ods.out" | tail -1 | grep -o '\[STATS\].*')
    ODS_VERIFY=$(grep -o "ldns-verify-zone (after incremental): .*" "$T/ods.out" | cut -d: -f2-)
    [ -n "$ODS_FIRST" ] && grep -q 'first sign: ok=1' "$T/ods.out" && ODS_OK=1
    [ "$ODS_OK" = 1 ] || { echo "# OpenDNSSEC run failed:"; tail -5 "$T/ods.out" | sed 's/^/#   /'; }
}

b_fmt() { [ -n "${1:-}" ] && awk -v x="$1" 'BEGIN { printf "%.2f", x }' || echo "-"; }
b_mb() { [ -n "${1:-}" ] && awk -v k="$1" 'BEGIN { printf "%.0f", k / 1024 }' || echo "-"; }
