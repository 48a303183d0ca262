#!/bin/bash
# Every list and show command's --json output from the real daemons, checked
# against its schema in docs/json with tests/unit/ctl/json_check.py, once on
# fresh zones and again after time leaps and a ZSK rollover (KSK waiting for
# ds-seen, keys being published, retired, ...). Then the text layouts of
# `key list` (default, --verbose, --debug, --full, --parsable with -v and -d):
# OpenDNSSEC 2.1's columns, cut the way scripts cut them (awk $8 of -v is the
# CKA_ID, the 9th ';' field of -p -d too), row for row against the JSON.
# json-outputs.py holds the checks the schemas cannot express.
. "$(dirname "$0")/lib.sh"
t_setup json-outputs
SCHEMAS=$ODS_SOURCE_ROOT/docs/json
CHECKER=$ODS_SOURCE_ROOT/tests/unit/ctl/json_check.py
MORE=$ODS_SOURCE_ROOT/tests/system/json-outputs.py
# a policy Description that needs escaping in JSON: quotes, backslashes, a tab, UTF-8
DESC=$(printf 'CSK "quoted" \\ back\\slash,\ttab, caf\xc3\xa9 \xe2\x80\x94 done')
python3 - "$T/kasp.xml" "$DESC" <<'PY' || t_bail "cannot edit kasp.xml"
import sys
path, desc = sys.argv[1], sys.argv[2]
text = open(path, encoding="utf-8").read()
old = "<Description>ECDSA P-256 combined signing key, NSEC3 (RFC 9276)</Description>"
assert old in text
open(path, "w", encoding="utf-8").write(text.replace(old, "<Description>%s</Description>" % desc))
PY
for z in a.test z.test; do "$TOOLS/gen-zone" $z 60 --kind mixed > "$T/unsigned/$z"; done

t_check "setup" t_odsctl setup --force
t_start_enforcer
t_start_signer
t_check "zone add a.test (default policy)" t_odsctl zone add --zone a.test --input "$T/unsigned/a.test" --output "$T/signed/a.test"
t_wait_for 300 test -s "$T/signed/a.test" || t_bail "a.test was not signed"
t_check "zone add z.test (csk policy)" t_odsctl zone add --zone z.test --policy csk --input "$T/unsigned/z.test" --output "$T/signed/z.test"
t_wait_for 300 test -s "$T/signed/z.test" || t_bail "z.test was not signed"

# j_doc NAME SCHEMA ARGS...: `odsctl ARGS --json` succeeds and prints one
# document, ending in a newline, that SCHEMA accepts; saved as $O/NAME.json.
j_doc() {
    local name=$1 schema=$2; shift 2
    if ! t_odsctl -t 60 "$@" --json > "$O/$name.json" 2> "$O/$name.err"; then
        t_fail "$* --json: exit status"; sed 's/^/#   /' "$O/$name.err" | head -5; return
    fi
    if [ "$(tail -c1 "$O/$name.json" | od -An -tx1 | tr -d ' ')" != 0a ]; then
        t_fail "$* --json: the document ends in a newline"; return
    fi
    t_check "$* --json matches $schema.schema.json" python3 "$CHECKER" "$SCHEMAS/$schema.schema.json" "$O/$name.json"
}

# every_doc DIR: every --json document of both daemons (and odsctl's combined queue)
every_doc() {
    O=$1; mkdir -p "$O"
    j_doc keys key-list key list
    j_doc keys-all key-list key list --all
    j_doc keys-ready key-list key list --keystate ready,active --verbose
    j_doc keys-ksk key-list key list --keytype KSK --parsable
    j_doc keys-zone key-list key list --zone a.test --debug
    j_doc zone-list zone-list zone list
    j_doc zone-status zone-status zone status
    j_doc zone-status-a zone-status zone status --zone a.test
    j_doc rollover-list rollover-list rollover list
    j_doc rollover-list-z rollover-list rollover list --zone z.test
    j_doc policy-list policy-list policy list
    j_doc repository-list repository-list repository list
    j_doc enforcer-queue queue enforcer queue
    j_doc signer-queue queue signer queue
    j_doc queue-both queue-both queue
    j_doc zones zones zones
    j_doc look-ahead look-ahead look-ahead --zone a.test --steps 6
    j_doc hsm-list hsm-list hsm list
}

# j_more CHECK ARGS...: one check of json-outputs.py on $O
j_more() { local c=$1; shift; t_check "$c ($(basename "$O"))" python3 "$MORE" "$c" "$O" "$@"; }

every_doc "$T/fresh"
j_more key-order; j_more key-fields; j_more filters; j_more rollovers
j_more policies "$DESC"
j_more zone-docs a.test,z.test
j_more signer-zones a.test,z.test ""
j_more look-ahead a.test
j_more queues "$(t_now)"

# time leaps until a.test's KSK waits for ds-seen, then a ZSK rollover
for _ in $(seq 1 12); do
    t_odsctl key list --zone a.test | grep KSK | grep -q "waiting for ds-seen" && break
    t_odsctl time leap > /dev/null
done
t_check "a.test's KSK waits for ds-seen" sh -c "'$ODSCTL' -c '$T/conf.xml' key list --zone a.test | grep KSK | grep -q 'waiting for ds-seen'"
t_check "key rollover --zone a.test --keytype ZSK" t_odsctl key rollover --zone a.test --keytype ZSK
t_odsctl time leap > /dev/null
t_wait_for 60 sh -c "'$ODSCTL' -c '$T/conf.xml' signer queue --json | grep -vq signing"
t_odsctl key list --all --verbose | sed 's/^/# /'

every_doc "$T/leapt"
now=$(t_now)
j_more key-order; j_more key-fields; j_more filters; j_more rollovers
j_more zone-docs a.test,z.test
j_more queues "$now"
j_more look-ahead a.test
t_check "after the leaps some keys carry a next transition date" python3 -c '
import json, sys
sys.exit(not any(k["next_transition"] for k in json.load(open(sys.argv[1]))["keys"]))' "$O/keys.json"

# the text layouts of key list, captured with the JSON of the same moment
t_odsctl key list > "$O/keys-txt.txt"
t_odsctl key list --all --verbose > "$O/keys-v.txt"
t_odsctl key list --debug > "$O/keys-d.txt"
t_odsctl key list --full > "$O/keys-f.txt"
t_odsctl key list --parsable --verbose > "$O/keys-pv.txt"
t_odsctl key list --parsable --debug > "$O/keys-pd.txt"
t_odsctl key list -p > "$O/keys-p.txt" 2> "$O/keys-p.err"
t_odsctl key list --json > "$O/keys.json"
t_odsctl key list --all --json > "$O/keys-all.json"
for f in keys-txt keys-d keys-f; do sed "s/^/# $f: /" "$O/$f.txt"; done
j_more default; j_more verbose; j_more debug; j_more full; j_more parsable; j_more parsable-alone; j_more waiting
t_check "-v -d -p short options: the -p -d layout" sh -c "'$ODSCTL' -c '$T/conf.xml' key list -v -d -p | cmp - '$O/keys-pd.txt'"
t_check "--keystate with --all is refused" sh -c "! '$ODSCTL' -c '$T/conf.xml' key list --keystate active --all 2> '$T/ks.err' && grep -q 'cannot be given together' '$T/ks.err'"

# failures: a message on stderr, a non-zero status, no document
for cmd in "key list" "zone status" "rollover list" "look-ahead"; do
    t_check "$cmd --zone nosuch.test --json fails with no document" sh -c "! '$ODSCTL' -c '$T/conf.xml' $cmd --zone nosuch.test --json > '$T/nosuch.out' 2> '$T/nosuch.err' && test ! -s '$T/nosuch.out' && test -s '$T/nosuch.err'"
done
t_stop_signer
t_check "signer stopped cleanly" test "$T_SIGNER_STATUS" = 0
t_odsctl queue --json > "$O/queue-half.json" 2> "$O/queue-half.err"
t_check "queue --json with the signer down: non-zero status" test $? != 0
t_check "queue --json with the signer down matches queue-both.schema.json" python3 "$CHECKER" "$SCHEMAS/queue-both.schema.json" "$O/queue-half.json"
t_check "queue --json with the signer down: signer is null" python3 -c '
import json, sys
d = json.load(open(sys.argv[1])); sys.exit(not (d["signer"] is None and d["enforcer"]["tasks"]))' "$O/queue-half.json"
t_stop_enforcer
t_check "enforcer stopped cleanly" test "$T_ENFORCER_STATUS" = 0
t_done
