#!/bin/sh
# Memory that stays flat: `demux export` of a trace of many short
# conversations (tracegen --bench-conversations: 200,000 packets, about
# 66,000 conversations) under a limit on address space. Each conversation
# costs about 300 bytes to the end and the export streams the rest, so it
# needs about 45 MB of address space; 80 MB leaves room, and an export that
# kept every packet's state or built its tail whole (500 MB) fails here.
# Not timed. Skipped under AddressSanitizer, whose shadow memory reserves
# terabytes of address space: the release build runs it.
. tests/lib.sh
if grep -q __asan_init "$DEMUX" 2>/dev/null; then
    echo "   AddressSanitizer build: the memory limit is checked by the release build"
    finish
    exit $?
fi
limit_kb=81920
"$TRACEGEN" --bench-conversations 200000 "$TMP/many.pcap" && pass || fail "tracegen --bench-conversations runs"
(
    ulimit -v "$limit_kb" || exit 3
    "$DEMUX" export -o "$TMP/many.json" "$TMP/many.pcap"
) 2>"$TMP/err"
rc=$?
if [ "$rc" -eq 0 ]; then pass; else
    fail "export of 200,000 packets in 66,000 conversations within $((limit_kb / 1024)) MB of address space: exit $rc"
    sed 's/^/    /' "$TMP/err" | head -5
fi
# The export is whole: every conversation is in it, the tree and the tables follow.
# Read from the last "conversations" key, which only the document's tail
# has: parsing all 800 MB of it would take longer than the export.
convs=$(/usr/bin/python3 - "$TMP/many.json" 2>/dev/null <<'EOF'
import json, mmap, sys
with open(sys.argv[1], "rb") as f, mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as m:
    tail = m[m.rfind(b'"conversations":['):].decode()
d = json.loads("{" + tail)
print(len(d["conversations"]), len(d["dispatch_tables"]) > 0)
EOF
)
case $convs in
    "66"[0-9][0-9][0-9]" True") pass ;;
    *) fail "the export holds about 66,000 conversations and its tables (got '$convs')" ;;
esac
# The trace is deterministic, as the other bench trace is.
"$TRACEGEN" --bench-conversations 3000 "$TMP/c1.pcap" && "$TRACEGEN" --bench-conversations 3000 "$TMP/c2.pcap" \
    && cmp -s "$TMP/c1.pcap" "$TMP/c2.pcap" && pass || fail "tracegen --bench-conversations is deterministic"
expect_exit 2 "tracegen --bench-conversations with a bad count" -- "$TRACEGEN" --bench-conversations 0 "$TMP/x.pcap"
finish
