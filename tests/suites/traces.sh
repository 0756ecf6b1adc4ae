#!/bin/sh
# The committed captures are exactly what the generator writes (all but
# real-*.pcap, which traces/record-real.sh and record-real-net.sh recorded,
# and scapy-*.pcap, which traces/scapy-tunnels.py builds with Scapy).
. tests/lib.sh
mkdir "$TMP/gen"
"$TRACEGEN" "$TMP/gen" && pass || fail "tracegen runs"
for f in traces/*.pcap; do
    case $(basename "$f") in real-* | scapy-*) continue ;; esac # recorded or built by Scapy, not by tracegen
    cmp -s "$f" "$TMP/gen/$(basename "$f")" && pass || fail "$f differs from what tracegen writes"
done
for f in "$TMP"/gen/*.pcap; do
    [ -f "traces/$(basename "$f")" ] && pass || fail "tracegen writes $(basename "$f"), which is not committed"
done
# traces/scapy-tunnels.py writes the committed scapy-tunnels.pcap byte for
# byte (when Debian's python3-scapy is there; the trace is committed, so the
# other tests do not need it).
if /usr/bin/python3 -c 'import scapy' >/dev/null 2>&1; then
    /usr/bin/python3 traces/scapy-tunnels.py "$TMP/scapy-tunnels.pcap" >/dev/null 2>&1 &&
        cmp -s traces/scapy-tunnels.pcap "$TMP/scapy-tunnels.pcap" &&
        pass || fail "traces/scapy-tunnels.py does not write the committed scapy-tunnels.pcap"
else
    echo "   python3-scapy is not installed: scapy-tunnels.pcap not rebuilt"
fi
# The benchmark trace is deterministic too.
"$TRACEGEN" --bench 2000 "$TMP/b1.pcap" && "$TRACEGEN" --bench 2000 "$TMP/b2.pcap" \
    && cmp -s "$TMP/b1.pcap" "$TMP/b2.pcap" && pass || fail "tracegen --bench is deterministic"
expect_exit 2 "tracegen with no arguments" -- "$TRACEGEN"
finish
