#!/bin/sh
# The malformed-capture collection: every broken frame of traces/malformed.pcap
# and traces/hostile.pcap is a named case with its expected reading (which
# layer is truncated or invalid, and why), and a capture file cut off in the
# middle of a record is decoded up to the cut, then reported in one line.
. tests/lib.sh

for t in malformed hostile; do
    "$DEMUX" export "traces/$t.pcap" -o "$TMP/$t.json" || fail "export traces/$t.pcap"
done

# Each case: trace, packet number, name, and what must be true of it:
#   layers  the layers decoded, in order (a prefix when it ends with "...")
#   bad     the first layer marked, its status and a phrase of its reason;
#           None: no layer is marked
#   summary a phrase of the packet's summary
#   field   (layer, field, "text" or "note", phrase)
/usr/bin/python3 - "$TMP" >"$TMP/cases" <<'EOF'
import json, sys

E = "ethernet ipv4 "
CASES = [
    # ---- malformed.pcap (tracegen_malformed.c): cases (a)-(p) ----
    ("malformed", 1, "ipv4-ihl-below-5", dict(layers="ethernet ipv4",
        bad=("ipv4", "invalid", "IHL 4: a 16-byte header is below the 20-byte minimum"))),
    ("malformed", 2, "ipv4-total-length-beyond-frame", dict(layers=E + "tcp telnet",
        bad=("ipv4", "invalid", "total length 200 but the frame carries 60 bytes"))),
    ("malformed", 3, "ipv4-total-length-below-header", dict(layers="ethernet ipv4",
        bad=("ipv4", "invalid", "total length 12 is shorter than the 20-byte header"))),
    ("malformed", 4, "tcp-data-offset-below-5", dict(layers=E + "tcp",
        bad=("tcp", "invalid", "data offset 3: a 12-byte header is below the 20-byte minimum"))),
    ("malformed", 5, "tcp-data-offset-beyond-segment", dict(layers=E + "tcp",
        bad=("tcp", "invalid", "data offset 15 says 60 header bytes but the segment has 20"))),
    ("malformed", 6, "tcp-option-length-0", dict(layers=E + "tcp",
        bad=("tcp", "invalid", "option 2 at byte 20 has length 0"))),
    ("malformed", 7, "tcp-option-overrun", dict(layers=E + "tcp",
        bad=("tcp", "invalid", "option 8 at byte 22 has length 10, past the end of the header"))),
    ("malformed", 8, "udp-length-beyond-datagram", dict(layers=E + "udp payload",
        bad=("udp", "invalid", "length 100 but IP carries 21 bytes"))),
    ("malformed", 9, "udp-length-below-header", dict(layers=E + "udp",
        bad=("udp", "invalid", "length 4 is below the 8-byte header"))),
    ("malformed", 10, "ipv4-checksum-wrong", dict(layers=E + "tcp telnet", bad=None,
        field=("ipv4", "checksum", "text", "incorrect, should be 0x"))),
    ("malformed", 11, "tcp-checksum-wrong", dict(layers=E + "tcp telnet", bad=None,
        field=("tcp", "checksum", "text", "incorrect"))),
    ("malformed", 12, "snaplen-cut-in-tcp", dict(layers=E + "tcp",
        bad=("tcp", "truncated", "captured 10 of 20 header bytes"))),
    ("malformed", 13, "snaplen-cut-in-ipv4", dict(layers="ethernet ipv4",
        bad=("ipv4", "truncated", "captured 12 of 20 header bytes"))),
    ("malformed", 14, "runt-ethernet-frame", dict(layers="ethernet",
        bad=("ethernet", "invalid", "too short: 10 bytes left for a 14-byte header"))),
    ("malformed", 15, "ipv4-later-fragment", dict(layers=E + "payload", bad=None,
        field=("ipv4", "frag_offset", "note", "a later fragment: its data starts at byte 1480"))),
    ("malformed", 16, "ipv4-record-route-correct", dict(layers=E + "icmp payload", bad=None,
        summary="ICMP echo request", field=("ipv4", "option_rr", "text", "kind 7, length 39"))),

    # ---- hostile.pcap (tracegen_hostile.c) ----
    # a snaplen cut inside every other header
    ("hostile", 1, "snaplen-cut-in-vlan-tag", dict(layers="ethernet vlan",
        bad=("vlan", "truncated", "captured 2 of 4 header bytes"))),
    ("hostile", 2, "snaplen-cut-in-arp", dict(layers="ethernet arp",
        bad=("arp", "truncated", "captured 20 of 28 header bytes"))),
    ("hostile", 3, "snaplen-cut-in-ipv4-options", dict(layers="ethernet ipv4",
        bad=("ipv4", "truncated", "captured 24 of 28 header bytes"))),
    ("hostile", 4, "snaplen-cut-in-ipv6", dict(layers="ethernet ipv6",
        bad=("ipv6", "truncated", "captured 30 of 40 header bytes"))),
    ("hostile", 5, "snaplen-cut-in-hop-by-hop", dict(layers="ethernet ipv6 ipv6_hopopts",
        bad=("ipv6_hopopts", "truncated", "captured 5 of 8 header bytes"))),
    ("hostile", 6, "snaplen-cut-in-ipv6-fragment", dict(layers="ethernet ipv6 ipv6_fragment",
        bad=("ipv6_fragment", "truncated", "captured 5 of 8 header bytes"))),
    ("hostile", 7, "snaplen-cut-in-icmp", dict(layers=E + "icmp",
        bad=("icmp", "truncated", "captured 3 of 4 header bytes"))),
    ("hostile", 8, "snaplen-cut-in-icmpv6", dict(layers="ethernet ipv6 icmpv6",
        bad=("icmpv6", "truncated", "captured 2 of 4 header bytes"))),
    ("hostile", 9, "snaplen-cut-in-tcp-options", dict(layers=E + "tcp",
        bad=("tcp", "truncated", "captured 27 of 40 header bytes"))),
    ("hostile", 10, "snaplen-cut-in-udp", dict(layers=E + "udp",
        bad=("udp", "truncated", "captured 5 of 8 header bytes"))),
    ("hostile", 11, "snaplen-cut-in-dns-header", dict(layers=E + "udp dns",
        bad=("dns", "truncated", "captured 7 of 12 header bytes"))),
    ("hostile", 12, "snaplen-cut-in-dns-name", dict(layers=E + "udp dns",
        bad=("dns", "truncated", "captured 18 of 33 message bytes (stops in a label"))),
    ("hostile", 13, "snaplen-cut-in-rpc-header", dict(layers=E + "udp rpc",
        bad=("rpc", "truncated", "captured 16 of 56 bytes (stops in vers)"))),
    ("hostile", 14, "snaplen-cut-in-portmap-args", dict(layers=E + "udp rpc portmap",
        bad=("portmap", "truncated", "captured 6 of 16 bytes"))),
    # IPv4 lengths and options
    ("hostile", 15, "ipv4-ihl-beyond-datagram", dict(layers="ethernet ipv4",
        bad=("ipv4", "invalid", "IHL 15 says 60 header bytes but 40 are there"))),
    ("hostile", 16, "ipv4-total-length-short-of-frame", dict(layers=E + "tcp", bad=None,
        summary="[ACK] seq 1106528351 ack 3922781906 win 502 len 0")),
    ("hostile", 17, "ipv4-option-length-0", dict(layers=E + "icmp payload",
        bad=("ipv4", "invalid", "option 68 at byte 20 has length 0 (below 2)"))),
    ("hostile", 18, "ipv4-option-overrun", dict(layers=E + "icmp payload",
        bad=("ipv4", "invalid", "option 7 at byte 20 has length 39 (past the header)"))),
    ("hostile", 19, "ipv4-option-without-length", dict(layers=E + "icmp payload",
        bad=("ipv4", "invalid", "option 68 at byte 23 has no length byte"))),
    # IPv6 extension headers
    ("hostile", 20, "ipv6-extension-overrun", dict(layers="ethernet ipv6 ipv6_hopopts",
        bad=("ipv6_hopopts", "invalid", "header length 88 bytes but only 72 remain"))),
    ("hostile", 21, "ipv6-extension-loop", dict(layers="ethernet ipv6 ipv6_dstopts ...",
        bad=("ipv6_dstopts", "invalid", "IPv6 destination options repeated (2 before it"),
        summary="[too many layers or fields: decoding stopped]")),
    ("hostile", 22, "ipv6-hop-by-hop-not-first",
        dict(layers="ethernet ipv6 ipv6_dstopts ipv6_hopopts icmpv6 payload",
        bad=("ipv6_hopopts", "invalid", "hop-by-hop options after IPv6 destination options"))),
    ("hostile", 23, "ipv6-option-overrun", dict(layers="ethernet ipv6 ipv6_hopopts icmpv6 payload",
        bad=("ipv6_hopopts", "invalid", "option 0x01 at byte 2 has length 10, past the end"))),
    ("hostile", 24, "ipv6-payload-length-beyond-frame", dict(layers="ethernet ipv6 icmpv6 payload",
        bad=("ipv6", "invalid", "payload length 200 but the frame carries 64 bytes"))),
    # TCP, UDP, fragments, empty frames
    ("hostile", 25, "tcp-option-without-length", dict(layers=E + "tcp",
        bad=("tcp", "invalid", "option 2 at byte 23 has no length byte"))),
    ("hostile", 26, "udp-length-short-of-datagram", dict(layers=E + "udp payload", bad=None,
        field=("udp", "length", "note", "IP carries 21 bytes; the 9 after the datagram are ignored"))),
    ("hostile", 27, "ipv4-tiny-first-fragment", dict(layers=E + "tcp",
        bad=("tcp", "invalid", "too short: 8 bytes left for a 20-byte header"))),
    ("hostile", 28, "ipv4-fragment-past-65535", dict(layers=E + "payload",
        bad=("ipv4", "invalid", "ends at byte 65612, past the 65535 a datagram can hold"))),
    ("hostile", 29, "zero-length-frame", dict(layers="ethernet",
        bad=("ethernet", "invalid", "too short: 0 bytes left for a 14-byte header"))),
    ("hostile", 30, "nothing-captured", dict(layers="ethernet",
        bad=("ethernet", "truncated", "captured 0 of 14 header bytes"))),
    # telnet: the stream ends inside a command
    ("hostile", 34, "telnet-iac-at-segment-end", dict(layers=E + "tcp telnet", bad=None,
        field=("telnet", "partial", "text", "IAC (the command byte comes in the next segment)"))),
    ("hostile", 35, "telnet-iac-at-stream-end", dict(layers=E + "tcp telnet",
        bad=("telnet", "invalid", "the stream ends (FIN) inside a command: an IAC with no command"),
        summary="[telnet malformed: the stream ends (FIN)")),
    ("hostile", 36, "telnet-said-once", dict(layers=E + "tcp", bad=None)),
    # RPC lengths that lie
    ("hostile", 38, "rpc-credential-length", dict(layers=E + "udp rpc",
        bad=("rpc", "invalid", "cred_length 400000 is above the limit of 400 bytes"))),
    ("hostile", 39, "rpc-record-mark-2gb", dict(layers=E + "tcp rpc portmap", bad=None,
        field=("rpc", "fragment_length", "note", "carries 56 of the fragment's 2147483647 bytes"))),
    ("hostile", 40, "rpc-record-mark-short", dict(layers=E + "tcp rpc",
        bad=("rpc", "invalid", "rpcvers needs 4 bytes but the message has 0 left"))),
    ("hostile", 41, "rpc-string-length", dict(layers=E + "udp rpc portmap",
        bad=("portmap", "invalid", "netid needs 4294967296 bytes but the message has 4 left"))),
    # DNS names that lie
    ("hostile", 42, "dns-pointer-to-itself", dict(layers=E + "udp dns",
        bad=("dns", "invalid", "compression loop at byte 33"))),
    ("hostile", 43, "dns-pointer-loop", dict(layers=E + "udp dns",
        bad=("dns", "invalid", "compression loop at byte 16"))),
    ("hostile", 44, "dns-pointer-past-end", dict(layers=E + "udp dns",
        bad=("dns", "invalid", "pointer at byte 33 leads to byte 300, past the 49-byte message"))),
    ("hostile", 45, "dns-label-past-end", dict(layers=E + "udp dns",
        bad=("dns", "invalid", "a label at byte 13 runs past the end of the 18-byte message"))),
    ("hostile", 46, "dns-name-over-255", dict(layers=E + "udp dns",
        bad=("dns", "invalid", "name at byte 12 is longer than 255 bytes"))),
    ("hostile", 47, "dns-counts-beyond-message", dict(layers=E + "udp dns",
        bad=("dns", "invalid", "a name at byte 33 runs past the end of the 33-byte message"))),
]


def problems(p, want):
    """What is wrong with packet p against the expectations, as strings."""
    out = []
    layers = [l["layer"] for l in p["layers"]]
    spec = want["layers"].split()
    if spec[-1] == "...":
        if layers[:len(spec) - 1] != spec[:-1]:
            out.append("layers %s do not start with %s" % (layers, spec[:-1]))
    elif layers != spec:
        out.append("layers %s, wanted %s" % (layers, spec))
    marked = [l for l in p["layers"] if "malformed" in l]
    if "bad" in want and want["bad"] is None and marked:
        out.append("%s is marked: %s" % (marked[0]["layer"], marked[0]["malformed"]))
    elif want.get("bad"):
        layer, status, phrase = want["bad"]
        if not marked:
            out.append("no layer is marked (wanted %s %s)" % (layer, status))
        else:
            m = marked[0]
            if (m["layer"], m["status"]) != (layer, status) or phrase not in m["malformed"]:
                out.append("first marked: %s %s '%s'; wanted %s %s '%s'" % (
                    m["layer"], m["status"], m["malformed"], layer, status, phrase))
    if "summary" in want and want["summary"] not in p["summary"]:
        out.append("summary '%s' lacks '%s'" % (p["summary"], want["summary"]))
    if "field" in want:
        layer, name, key, phrase = want["field"]
        texts = [f.get(key, "") for l in p["layers"] if l["layer"] == layer
                 for f in l["fields"] if f["name"] == name]
        if not any(phrase in t for t in texts):
            out.append("%s.%s %s is %s, wanted '%s'" % (layer, name, key, texts, phrase))
    return out


docs = {t: json.load(open("%s/%s.json" % (sys.argv[1], t))) for t in ("malformed", "hostile")}
for trace, number, name, want in CASES:
    packets = {p["number"]: p for p in docs[trace]["packets"]}
    if number not in packets:
        print("FAIL %s packet %d (%s): not in the export" % (trace, number, name))
        continue
    bad = problems(packets[number], want)
    if bad:
        print("FAIL %s packet %d (%s): %s" % (trace, number, name, "; ".join(bad)))
    else:
        print("ok %s packet %d (%s)" % (trace, number, name))
# Every frame of both traces is accounted for: a case, or a frame of the
# telnet conversation around cases 34-36.
covered = {(t, n) for t, n, _, _ in CASES} | {("hostile", n) for n in (31, 32, 33, 37)}
for trace, doc in docs.items():
    for p in doc["packets"]:
        if (trace, p["number"]) not in covered:
            print("FAIL %s packet %d has no case" % (trace, p["number"]))
EOF
[ -s "$TMP/cases" ] || fail "the case checker ran"
while read -r verdict rest; do
    if [ "$verdict" = ok ]; then pass; else fail "$rest"; fi
done <"$TMP/cases"

# A capture file that ends in the middle of a record: the four whole frames
# are decoded, then one line says where reading stopped, and the exit is 1.
cut=traces/truncated-record.pcap.part
expect_exit 1 "decode of a capture cut mid-record" -- "$DEMUX" decode $cut
expect_err "truncated-record.pcap.part: reading stopped after frame 4: truncated dump file" \
    "decode of a capture cut mid-record"
grep -q "^packet 4 " "$TMP/out" && ! grep -q "^packet 5 " "$TMP/out" \
    && pass || fail "the frames before the cut are decoded, and no more"
grep -q "DO TERMINAL-TYPE" "$TMP/out" && pass || fail "the last whole frame is read to its end"
expect_exit 1 "export of a capture cut mid-record" -- "$DEMUX" export $cut -o "$TMP/cut.json"
expect_err "reading stopped after frame 4" "export of a capture cut mid-record"
/usr/bin/python3 -c '
import json, sys
s = json.load(open(sys.argv[1]))["source"]
sys.exit(not (s["packets"] == 4 and "reading stopped after frame 4" in s["error"]))' "$TMP/cut.json" \
    && pass || fail "the export of a cut capture is complete, and source.error says where it stopped"

# The cut file is generated too (traces.sh checks the .pcap files only).
mkdir "$TMP/gen"
"$TRACEGEN" "$TMP/gen" && cmp -s $cut "$TMP/gen/truncated-record.pcap.part" \
    && pass || fail "$cut differs from what tracegen writes"
finish
