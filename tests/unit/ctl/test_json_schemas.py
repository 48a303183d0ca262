#!/usr/bin/env python3
"""test_json_schemas.py -- TAP: the JSON Schemas of docs/json and the validator.

Every schema stays within the validator's subset and describes an object;
every example in docs/json/examples validates against its schema; and each
kind of damage to an example (a required field removed, an unknown field
added, a wrong type, a value outside an enum) is caught.
"""
import copy
import glob
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import json_check  # noqa: E402

ROOT = os.environ.get("ODS_SOURCE_ROOT") or os.path.join(os.path.dirname(__file__), "..", "..", "..")
DOCS = os.path.join(ROOT, "docs", "json")
count = failed = 0


def ok(cond, what):
    global count, failed
    count += 1
    if not cond:
        failed += 1
    print("%sok %d - %s" % ("" if cond else "not ", count, what))
    sys.stdout.flush()
    return cond


def objects(value, schema, path="$"):
    """(path, value, schema) of every object in value that its schema describes with properties."""
    out = []
    if isinstance(value, dict) and isinstance(schema, dict) and "properties" in schema:
        out.append((path, value, schema))
        for k, v in value.items():
            if k in schema["properties"]:
                out += objects(v, schema["properties"][k], path + "." + k)
    if isinstance(value, list) and isinstance(schema, dict) and "items" in schema:
        for i, v in enumerate(value):
            out += objects(v, schema["items"], "%s[%d]" % (path, i))
    return out


def at(doc, path):
    """The value at a path made by objects()."""
    cur = doc
    for part in path[1:].replace("[", ".[").split("."):
        if not part:
            continue
        cur = cur[int(part[1:-1])] if part.startswith("[") else cur[part]
    return cur


def wrong_value(schema):
    types = schema.get("type", [])
    types = types if isinstance(types, list) else [types]
    if "string" not in types:
        return "a string"
    if "integer" not in types:
        return 12
    return {"an": "object"}


def damage_tests(name, schema, doc):
    for path, value, sub in objects(doc, schema):
        for req in sub.get("required", [])[:50]:
            bad = copy.deepcopy(doc)
            del at(bad, path)[req]
            ok(json_check.validate(bad, schema), "%s: missing %s%s.%s caught" % (name, "", path, req))
        if sub.get("additionalProperties") is False:
            bad = copy.deepcopy(doc)
            at(bad, path)["bogus_field"] = 1
            ok(json_check.validate(bad, schema), "%s: unknown field at %s caught" % (name, path))
        for prop, psch in sub["properties"].items():
            if prop not in value:
                continue
            bad = copy.deepcopy(doc)
            at(bad, path)[prop] = wrong_value(psch)
            ok(json_check.validate(bad, schema), "%s: wrong type of %s.%s caught" % (name, path, prop))
            if "enum" in psch:
                bad = copy.deepcopy(doc)
                at(bad, path)[prop] = "no-such-value"
                ok(json_check.validate(bad, schema), "%s: %s.%s outside enum caught" % (name, path, prop))


def main():
    schemas = sorted(glob.glob(os.path.join(DOCS, "*.schema.json")))
    ok(len(schemas) >= 10, "%d schemas in docs/json" % len(schemas))
    for path in schemas:
        name = os.path.basename(path)[: -len(".schema.json")]
        with open(path) as f:
            schema = json.load(f)
        try:
            json_check.check_schema(schema)
            ok(True, "%s: within the validator's subset" % name)
        except json_check.SchemaError as e:
            ok(False, "%s: %s" % (name, e))
            continue
        ok(schema.get("type") == "object" and schema.get("additionalProperties") is False,
           "%s: a closed object at the top" % name)
        example = os.path.join(DOCS, "examples", name + ".json")
        if not ok(os.path.exists(example), "%s: has an example" % name):
            continue
        with open(example) as f:
            doc = json.load(f)
        errors = json_check.validate(doc, schema)
        ok(not errors, "%s: example validates %s" % (name, "; ".join(errors)))
        damage_tests(name, schema, doc)
    # the validator itself
    v = json_check.validate
    ok(v(True, {"type": "integer"}) != [], "a boolean is not an integer")
    ok(v(3, {"type": "number"}) == [] and v(3.5, {"type": "integer"}) != [], "integer vs number")
    ok(v(None, {"type": ["string", "null"]}) == [], "null allowed by a type list")
    ok(v({"a": 1}, {"type": "object", "additionalProperties": {"type": "string"}}) != [],
       "additionalProperties as a schema")
    ok(v([1, "x"], {"type": "array", "items": {"type": "integer"}}) == ["$[1]: \"x\" is not of type integer"],
       "the message names the path")
    try:
        json_check.check_schema({"type": "object", "patternProperties": {}})
        ok(False, "an unsupported keyword is refused")
    except json_check.SchemaError:
        ok(True, "an unsupported keyword is refused")
    print("1..%d" % count)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
