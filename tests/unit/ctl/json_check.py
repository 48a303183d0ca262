#!/usr/bin/env python3
"""json_check.py -- a small JSON Schema validator for odsng's tests.

    json_check.py SCHEMA [DOCUMENT ...]     (no DOCUMENT, or "-": standard input)

Exit status 0 when every document is valid, 1 when one is not (each problem
on one line: "FILE: $.keys[0].role: 'KSX' is not one of ['KSK', 'ZSK', 'CSK']"),
2 on a usage error or a schema outside the supported subset.

Supports the subset of JSON Schema (2020-12) that docs/json/*.schema.json use:
type (a name or a list of names), properties, required, items, enum,
additionalProperties (true, false or a schema), and the annotations $schema,
$id, title and description. Any other keyword is refused, so that a schema
never silently checks less than its author thought.
"""
import json
import sys

ANNOTATIONS = {"$schema", "$id", "title", "description"}
KEYWORDS = {"type", "properties", "required", "items", "enum", "additionalProperties"}
TYPES = {"object", "array", "string", "integer", "number", "boolean", "null"}


class SchemaError(Exception):
    pass


def type_ok(value, name):
    if name == "object":
        return isinstance(value, dict)
    if name == "array":
        return isinstance(value, list)
    if name == "string":
        return isinstance(value, str)
    if name == "boolean":
        return isinstance(value, bool)
    if name == "null":
        return value is None
    if name == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if name == "number":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    raise SchemaError("unknown type %r" % name)


def check_schema(schema, where="#"):
    """Raise SchemaError when schema uses anything outside the subset."""
    if isinstance(schema, bool):
        return
    if not isinstance(schema, dict):
        raise SchemaError("%s: a schema must be an object or a boolean" % where)
    for key in schema:
        if key not in KEYWORDS and key not in ANNOTATIONS:
            raise SchemaError("%s: unsupported keyword %r" % (where, key))
    types = schema.get("type", [])
    for name in types if isinstance(types, list) else [types]:
        if name not in TYPES:
            raise SchemaError("%s: unknown type %r" % (where, name))
    for name, sub in schema.get("properties", {}).items():
        check_schema(sub, "%s/properties/%s" % (where, name))
    if "items" in schema:
        check_schema(schema["items"], where + "/items")
    if "additionalProperties" in schema:
        check_schema(schema["additionalProperties"], where + "/additionalProperties")
    if not isinstance(schema.get("required", []), list):
        raise SchemaError("%s: required must be a list" % where)
    if "enum" in schema and not isinstance(schema["enum"], list):
        raise SchemaError("%s: enum must be a list" % where)


def validate(value, schema, path="$"):
    """The list of problems, each 'PATH: message'."""
    if schema is True:
        return []
    if schema is False:
        return ["%s: not allowed here" % path]
    errors = []
    if "type" in schema:
        types = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        if not any(type_ok(value, t) for t in types):
            return ["%s: %s is not of type %s" % (path, json.dumps(value), " or ".join(types))]
    if "enum" in schema and value not in schema["enum"]:
        errors.append("%s: %s is not one of %s" % (path, json.dumps(value),
                                                    json.dumps(schema["enum"])))
    if isinstance(value, dict):
        props = schema.get("properties", {})
        for name in schema.get("required", []):
            if name not in value:
                errors.append("%s: required property %r is missing" % (path, name))
        extra = schema.get("additionalProperties", True)
        for name, sub in value.items():
            if name in props:
                errors += validate(sub, props[name], "%s.%s" % (path, name))
            elif extra is False:
                errors.append("%s: property %r is not allowed" % (path, name))
            else:
                errors += validate(sub, extra, "%s.%s" % (path, name))
    if isinstance(value, list) and "items" in schema:
        for i, item in enumerate(value):
            errors += validate(item, schema["items"], "%s[%d]" % (path, i))
    return errors


def load(path):
    if path == "-":
        return json.load(sys.stdin)
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def main(argv):
    if len(argv) < 2:
        sys.stderr.write(__doc__)
        return 2
    try:
        schema = load(argv[1])
        check_schema(schema)
    except (OSError, ValueError, SchemaError) as e:
        sys.stderr.write("%s: %s\n" % (argv[1], e))
        return 2
    status = 0
    for doc in argv[2:] or ["-"]:
        try:
            errors = validate(load(doc), schema)
        except (OSError, ValueError) as e:
            errors = ["not JSON: %s" % e]
        for e in errors:
            print("%s: %s" % ("<stdin>" if doc == "-" else doc, e))
        status = 1 if errors else status
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv))
