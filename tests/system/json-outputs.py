#!/usr/bin/env python3
"""json-outputs.py -- checks for json-outputs.sh on what the real daemons printed.

    json-outputs.py CHECK DIR [ARG...]

DIR holds the outputs json-outputs.sh saved (NAME.json, NAME.txt, NAME.err).
Each CHECK looks at one thing and prints what is wrong, one line each; the
exit status is 0 when nothing is, 1 otherwise. Schemas are checked by
tests/unit/ctl/json_check.py; these checks are about what the schemas cannot
say: order, agreement between documents, and the text layouts of `key list`
(OpenDNSSEC 2.1's columns, which scripts cut with awk and ';').
"""
import json
import os
import re
import sys

STATES = {"generate", "publish", "ready", "active", "retire", "dead", "mixed", "unknown"}
RECORDS = ("DS", "DNSKEY", "RRSIGDNSKEY", "RRSIG")
REC_STATES = {"hidden", "rumoured", "omnipresent", "unretentive", "NA"}
ROLE_RANK = {"KSK": 0, "CSK": 1, "ZSK": 2}
DATE = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$")
NEXT = re.compile(r"^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d|now|-|"
                  r"waiting for (ds-submit|ds-seen|ds-retract|ds-gone|key backup))$")
HEAD_DEFAULT = "%-31s %-8s %-9s %s" % ("Zone:", "Keytype:", "State:", "Date of next transition:")
HEAD_VERBOSE = "%-31s %-8s %-9s %-24s %-5s %-10s %-32s %-11s %s" % (
    "Zone:", "Keytype:", "State:", "Date of next transition:", "Size:", "Algorithm:", "CKA_ID:",
    "Repository:", "KeyTag:")
HEAD_DEBUG = ("Zone:                           Key role:     DS:          DNSKEY:      "
              "RRSIGDNSKEY: RRSIG:       Pub: Act: Id:")

problems = []


def bad(msg):
    problems.append(msg)


def load(d, name):
    with open(os.path.join(d, name + ".json"), encoding="utf-8") as f:
        return json.load(f)


def lines(d, name, ext="txt"):
    with open(os.path.join(d, name + "." + ext), encoding="utf-8") as f:
        return f.read().splitlines()


def next_text(k):
    """What the date column must say for a JSON key, or None for 'a date, now or -'."""
    return "waiting for " + k["waiting_for"] if k["waiting_for"] else None


def same(what, got, want):
    if got != want:
        bad("%s: got %r, want %r" % (what, got, want))


# ---- documents -------------------------------------------------------------

def check_key_order(d, name="keys"):
    keys = load(d, name)["keys"]
    order = [(k["policy"], k["zone"], ROLE_RANK[k["role"]], k["inception"] or 0) for k in keys]
    if order != sorted(order):
        bad("%s: not sorted by policy, zone, role (KSK first), age: %s" % (name, order))
    if not keys:
        bad("%s: no keys" % name)


def check_key_fields(d, name="keys"):
    for k in load(d, name)["keys"]:
        tag = "%s %s %s" % (k["zone"], k["role"], k["keytag"])
        if not re.fullmatch(r"[0-9a-f]+", k["cka_id"]):
            bad("%s: cka_id %r is not lowercase hex" % (tag, k["cka_id"]))
        if k["waiting_for"] and not k["action"]:
            bad("%s: waits for %s without an action" % (tag, k["waiting_for"]))
        if k["role"] == "KSK" and k["records"]["RRSIG"]["state"] != "NA":
            bad("%s: a KSK's RRSIG record is %s, not NA" % (tag, k["records"]["RRSIG"]["state"]))
        if k["role"] == "ZSK" and k["records"]["DS"]["state"] != "NA":
            bad("%s: a ZSK's DS record is %s, not NA" % (tag, k["records"]["DS"]["state"]))
        pub = k["records"]["DNSKEY"]["state"] in ("rumoured", "omnipresent")
        same(tag + " signconf.publish", k["signconf"]["publish"], pub)


def check_filters(d):
    """key list: default view, --all, --keystate and --keytype select; fields stay."""
    default, every = load(d, "keys")["keys"], load(d, "keys-all")["keys"]
    hidden = [k for k in every if k not in default]
    if any(k["state"] not in ("generate", "dead") for k in hidden):
        bad("--all adds keys other than generate/dead ones: %s" % hidden)
    if any(k["state"] in ("generate", "dead") for k in default):
        bad("the default view shows generate or dead keys")
    ready = load(d, "keys-ready")["keys"]
    same("--keystate ready,active", ready, [k for k in every if k["state"] in ("ready", "active")])
    ksk = load(d, "keys-ksk")["keys"]
    same("--keytype KSK", ksk, [k for k in default if k["role"] == "KSK"])
    zone = load(d, "keys-zone")["keys"]
    same("--zone a.test", zone, [k for k in default if k["zone"] == "a.test"])


def check_zone_docs(d, zones):
    want = sorted(zones.split(","))
    zl = load(d, "zone-list")["zones"]
    same("zone list names (sorted)", [z["zone"] for z in zl], want)
    zs = load(d, "zone-status")["zones"]
    same("zone status names (sorted)", [z["zone"] for z in zs], want)
    every = load(d, "keys-all")["keys"]
    for z in zs:
        mine = sorted((k["role"], k["keytag"], k["cka_id"], k["state"]) for k in every
                      if k["zone"] == z["zone"])
        got = sorted((k["role"], k["keytag"], k["cka_id"], k["state"]) for k in z["keys"])
        same("zone status keys of %s vs key list --all" % z["zone"], got, mine)
        for k in z["keys"]:
            twin = [j for j in every if j["cka_id"] == k["cka_id"] and j["zone"] == z["zone"]]
            if twin:
                same("zone status action of %s" % k["cka_id"], k["action"], twin[0]["action"])
    for a, b in zip(zl, zs):
        same("next_change of %s in zone list and status" % a["zone"], a["next_change"],
             b["next_change"])
        same("policy of %s" % a["zone"], a["policy"], b["policy"])


def check_rollovers(d):
    rl = load(d, "rollover-list")["rollovers"]
    order = [(r["zone"], ROLE_RANK[r["role"]]) for r in rl]
    if order != sorted(order) or not rl:
        bad("rollover list not by zone, then role: %s" % order)
    for r in rl:
        if not r["manual"] and r["rollover_expected"] is None:
            bad("%s %s: automatic roll without a date" % (r["zone"], r["role"]))


def check_policies(d, want_description):
    pl = load(d, "policy-list")["policies"]
    names = [p["name"] for p in pl]
    same("policy names (sorted)", names, sorted(names))
    csk = [p for p in pl if p["name"] == "csk"]
    if not csk:
        bad("no csk policy")
    else:
        same("the csk policy's Description after escaping", csk[0]["description"],
             want_description)


def check_queues(d, now):
    eq, sq, both = load(d, "enforcer-queue"), load(d, "signer-queue"), load(d, "queue-both")
    for name, q in (("enforcer", eq), ("signer", sq)):
        times = [t["time"] for t in q["tasks"]]
        if times != sorted(times):
            bad("%s queue not soonest first: %s" % (name, times))
        if abs(q["now"] - now) > 120:
            bad("%s queue: now %d is not the enforcer's clock %d" % (name, q["now"], now))
        if not q["tasks"]:
            bad("%s queue is empty" % name)
    same("queue --json: the enforcer's tasks", both["enforcer"]["tasks"], eq["tasks"])
    # the signer's times move with each run (a waiting zone retries every minute)
    same("queue --json: the signer's zones", sorted(t["object"] for t in both["signer"]["tasks"]),
         sorted(t["object"] for t in sq["tasks"]))
    if "keys_being_generated" in sq:
        bad("the signer's queue has keys_being_generated")
    for t in eq["tasks"]:
        if t["task"] not in ("enforce", "resalt policy"):
            bad("enforcer task %r" % t["task"])


def check_signer_zones(d, signed, waiting):
    zs = {z["zone"]: z for z in load(d, "zones")["zones"]}
    for name in signed.split(","):
        z = zs.get(name)
        if not z:
            bad("signer zones: %s missing" % name)
        elif z["state"] != "signed" or not isinstance(z["serial"], int) or z["error"]:
            bad("signer zones: %s is not signed cleanly: %s" % (name, z))
    for name in filter(None, waiting.split(",")):
        z = zs.get(name)
        if z and (z["state"] != "waiting" or z["serial"] is not None or not z["error"]):
            bad("signer zones: %s should wait for its signconf: %s" % (name, z))


def check_look_ahead(d, zone):
    la = load(d, "look-ahead")
    same("look-ahead zone", la["zone"], zone)
    times = [s["time"] for s in la["steps"]]
    if times != sorted(times) or not times:
        bad("look-ahead steps not in time order: %s" % times)
    if not any(s["events"] for s in la["steps"]):
        bad("look-ahead has no events")


# ---- key list text layouts ---------------------------------------------------

def rows(d, name, header):
    got = lines(d, name)
    if header is None:
        return got
    same(name + ": first line", got[:1], ["Keys:"])
    same(name + ": header", got[1:2], [header])
    return got[2:]


def check_default(d, name="keys-txt", json_name="keys"):
    keys = load(d, json_name)["keys"]
    body = rows(d, name, HEAD_DEFAULT)
    same(name + ": one row per key", len(body), len(keys))
    for line, k in zip(body, keys):
        f = line.split()
        same(name + " awk $1 $2 $3", f[:3], [k["zone"], k["role"], k["state"]])
        same(name + " columns", [line[:32].rstrip(), line[32:41].rstrip(), line[41:51].rstrip()],
             [k["zone"], k["role"], k["state"]])
        date = line[51:]
        if not NEXT.match(date):
            bad("%s: date column %r" % (name, date))
        if next_text(k) and date != next_text(k):
            bad("%s: %s %s shows %r, JSON waits for %s" % (name, k["zone"], k["role"], date,
                                                           k["waiting_for"]))
        if not next_text(k) and date.startswith("waiting"):
            bad("%s: %s %s shows %r, JSON waits for nothing" % (name, k["zone"], k["role"], date))


def check_verbose(d):
    keys = load(d, "keys-all")["keys"]
    body = rows(d, "keys-v", HEAD_VERBOSE)
    same("keys-v: one row per key", len(body), len(keys))
    two_words = 0
    for line, k in zip(body, keys):
        f = line.split()
        date = line[51:75].rstrip()
        if not NEXT.match(date):
            bad("keys-v: date column %r in %r" % (date, line))
        n = len(date.split())  # awk: $8 is the CKA_ID when the date is two words
        two_words += n == 2
        want = [k["zone"], k["role"], k["state"]] + date.split() + [
            str(k["bits"]), str(k["algorithm"]), k["cka_id"], k["repository"], str(k["keytag"])]
        same("keys-v awk fields", f, want)
        if n == 2:
            same("keys-v awk $8 (CKA_ID)", f[7], k["cka_id"])
            same("keys-v awk $10 (keytag)", f[9], str(k["keytag"]))
    if not two_words:
        bad("keys-v: no row with a two-word date to check awk $8 on")


def debug_fields(k):
    f = [k["records"][r]["state"] for r in RECORDS]
    sc = k["signconf"]
    return f + [str(int(sc["publish"])), str(int(sc["ksk"] or sc["zsk"]))]


def check_debug(d):
    keys = load(d, "keys")["keys"]
    body = rows(d, "keys-d", HEAD_DEBUG)
    same("keys-d: one row per key", len(body), len(keys))
    for line, k in zip(body, keys):
        f = line.split()
        same("keys-d awk fields", f, [k["zone"], k["role"]] + debug_fields(k) + [k["cka_id"]])
        if any(s not in REC_STATES for s in f[2:6]):
            bad("keys-d: record state names %s" % f[2:6])


def check_full(d):
    keys = load(d, "keys")["keys"]
    body = rows(d, "keys-f", None)
    same("keys-f: one row per key, no header", len(body), len(keys))
    for line, k in zip(body, keys):
        f = line.split()
        want = [k["zone"], k["role"], k["state"], str(k["keytag"]), k["cka_id"]] + debug_fields(k)
        same("keys-f awk $1..$11", f[:11], want)
        if not NEXT.match(" ".join(f[11:])):
            bad("keys-f: date %r" % f[11:])


def check_parsable(d):
    keys = load(d, "keys")["keys"]
    pv, pd = rows(d, "keys-pv", None), rows(d, "keys-pd", None)
    same("keys-pv: one line per key, no header", len(pv), len(keys))
    same("keys-pd: one line per key, no header", len(pd), len(keys))
    for line, k in zip(pv, keys):
        f = line.split(";")
        same("-p -v fields", f[:3] + f[4:],
             [k["zone"], k["role"], k["state"], str(k["bits"]), str(k["algorithm"]),
              k["cka_id"], k["repository"], str(k["keytag"])])
        if len(f) != 9 or not NEXT.match(f[3]) or (next_text(k) and f[3] != next_text(k)):
            bad("-p -v date field %r" % f[3:4])
    for line, k in zip(pd, keys):
        f = line.split(";")
        same("-p -d fields ($9 is the CKA_ID)", f,
             [k["zone"], k["role"]] + debug_fields(k) + [k["cka_id"]])


def check_parsable_alone(d):
    same("-p alone: the default layout", lines(d, "keys-p"), lines(d, "keys-txt"))
    err = "\n".join(lines(d, "keys-p", "err"))
    if "-p option only available in combination with -v and -d." not in err:
        bad("-p alone: no warning on stderr (%r)" % err)


def check_waiting(d):
    body = rows(d, "keys-txt", HEAD_DEFAULT)
    if not any(l.split()[1] == "KSK" and l.endswith("waiting for ds-seen") for l in body):
        bad("no KSK row says 'waiting for ds-seen'")
    states = {l.split()[2] for l in rows(d, "keys-v", HEAD_VERBOSE)}
    if len(states) < 3 or not states <= STATES:
        bad("too few or unknown key states: %s" % sorted(states))


CHECKS = {
    "key-order": check_key_order, "key-fields": check_key_fields, "filters": check_filters,
    "zone-docs": check_zone_docs, "rollovers": check_rollovers, "policies": check_policies,
    "queues": lambda d, now: check_queues(d, int(now)), "signer-zones": check_signer_zones,
    "look-ahead": check_look_ahead, "default": check_default, "verbose": check_verbose,
    "debug": check_debug, "full": check_full, "parsable": check_parsable,
    "parsable-alone": check_parsable_alone, "waiting": check_waiting,
}


def main(argv):
    if len(argv) < 3 or argv[1] not in CHECKS:
        sys.stderr.write(__doc__)
        return 2
    try:
        CHECKS[argv[1]](*argv[2:])
    except (OSError, ValueError, KeyError, IndexError, TypeError) as e:
        bad("%s: %s: %s" % (argv[1], type(e).__name__, e))
    for p in problems:
        print(p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
