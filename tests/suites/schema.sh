#!/bin/sh
# Every export validates against the documented JSON Schema.
. tests/lib.sh
for f in traces/*.pcap; do
    "$DEMUX" export "$f" -o "$TMP/$(basename "$f").json" || fail "export $f"
done
/usr/bin/python3 tests/validate_schema.py decode/demux-trace.schema.json "$TMP"/*.json \
    && pass || fail "schema validation"
finish
