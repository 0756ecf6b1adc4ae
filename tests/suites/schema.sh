#!/bin/sh
# Every export validates against the documented JSON Schema.
. tests/lib.sh
for f in traces/*.pcap; do
    "$DEMUX" export "$f" -o "$TMP/$(basename "$f").json" || fail "export $f"
done
# An export of chosen packets says which (source.packet_list), and one
# asking past the end says so in source.error: both valid documents.
"$DEMUX" export traces/telnet-session.pcap --packet 3,7-9 -o "$TMP/packet-list.json" \
    || fail "export --packet"
"$DEMUX" export traces/telnet-session.pcap --packet 56-57,500 -o "$TMP/packet-past.json" 2>/dev/null
/usr/bin/python3 tests/validate_schema.py decode/demux-trace.schema.json "$TMP"/*.json \
    && pass || fail "schema validation"
finish
