#!/bin/sh
# The committed captures are exactly what the generator writes (all but
# real-*.pcap, which traces/record-real.sh recorded on the loopback).
. tests/lib.sh
mkdir "$TMP/gen"
"$TRACEGEN" "$TMP/gen" && pass || fail "tracegen runs"
for f in traces/*.pcap; do
    case $(basename "$f") in real-*) continue ;; esac # recorded, not generated
    cmp -s "$f" "$TMP/gen/$(basename "$f")" && pass || fail "$f differs from what tracegen writes"
done
for f in "$TMP"/gen/*.pcap; do
    [ -f "traces/$(basename "$f")" ] && pass || fail "tracegen writes $(basename "$f"), which is not committed"
done
# The benchmark trace is deterministic too.
"$TRACEGEN" --bench 2000 "$TMP/b1.pcap" && "$TRACEGEN" --bench 2000 "$TMP/b2.pcap" \
    && cmp -s "$TMP/b1.pcap" "$TMP/b2.pcap" && pass || fail "tracegen --bench is deterministic"
expect_exit 2 "tracegen with no arguments" -- "$TRACEGEN"
finish
