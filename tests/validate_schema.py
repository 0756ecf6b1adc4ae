"""Validate demux exports against the JSON Schema: validate_schema.py SCHEMA FILE..."""
import json
import sys

import jsonschema


def main():
    schema = json.load(open(sys.argv[1]))
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    bad = 0
    for path in sys.argv[2:]:
        doc = json.load(open(path))
        errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.path))
        for e in errors[:5]:
            print(f"{path}: {'/'.join(map(str, e.path))}: {e.message[:200]}")
        bad += bool(errors)
    print(f"   schema: {len(sys.argv) - 2 - bad} of {len(sys.argv) - 2} documents valid")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
