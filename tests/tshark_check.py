"""Cross-check demux's field values against Wireshark's dissectors.

tshark_check.py DEMUX PCAP...: for every packet, every IPv4, IPv6, TCP and
UDP field that `demux export` reports must equal what `tshark -T fields`
reports for the same packet; conversations must group packets as tshark's
stream numbers do; telnet commands and option names must match Wireshark's. Prints one line per mismatch and a tally.
"""
import json
import subprocess
import sys

# demux layer.field -> (tshark field, how to turn demux's value into tshark's)
SAME = lambda v, f: v
MAP = {
    ("ipv4", "version"): ("ip.version", SAME),
    ("ipv4", "ihl"): ("ip.hdr_len", lambda v, f: v * 4),
    ("ipv4", "tos"): ("ip.dsfield", SAME),
    ("ipv4", "total_length"): ("ip.len", SAME),
    ("ipv4", "id"): ("ip.id", SAME),
    ("ipv4", "flags"): ("ip.flags", SAME),
    ("ipv4", "frag_offset"): ("ip.frag_offset", SAME),
    ("ipv4", "ttl"): ("ip.ttl", SAME),
    ("ipv4", "protocol"): ("ip.proto", SAME),
    ("ipv4", "checksum"): ("ip.checksum", SAME),
    ("ipv4", "src"): ("ip.src", SAME),
    ("ipv4", "dst"): ("ip.dst", SAME),
    ("ipv6", "version"): ("ipv6.version", SAME),
    ("ipv6", "traffic_class"): ("ipv6.tclass", SAME),
    ("ipv6", "flow_label"): ("ipv6.flow", SAME),
    ("ipv6", "payload_length"): ("ipv6.plen", SAME),
    ("ipv6", "next_header"): ("ipv6.nxt", SAME),
    ("ipv6", "hop_limit"): ("ipv6.hlim", SAME),
    ("ipv6", "src"): ("ipv6.src", SAME),
    ("ipv6", "dst"): ("ipv6.dst", SAME),
    ("tcp", "src_port"): ("tcp.srcport", SAME),
    ("tcp", "dst_port"): ("tcp.dstport", SAME),
    ("tcp", "seq"): ("tcp.seq_raw", SAME),
    ("tcp", "ack"): ("tcp.ack_raw", SAME),
    ("tcp", "data_offset"): ("tcp.hdr_len", lambda v, f: v * 4),
    ("tcp", "flags"): ("tcp.flags", lambda v, f: v | (f["reserved"] << 8)),
    ("tcp", "window"): ("tcp.window_size_value", SAME),
    ("tcp", "checksum"): ("tcp.checksum", SAME),
    ("tcp", "urgent_ptr"): ("tcp.urgent_pointer", SAME),
    ("udp", "src_port"): ("udp.srcport", SAME),
    ("udp", "dst_port"): ("udp.dstport", SAME),
    ("udp", "length"): ("udp.length", SAME),
    ("udp", "checksum"): ("udp.checksum", SAME),
}
# What following conversations adds, compared separately.
CONV_FIELDS = ["tcp.stream", "udp.stream", "tcp.seq", "tcp.ack", "tcp.flags.ack"]
TSHARK_FIELDS = sorted({t for t, _ in MAP.values()} | set(CONV_FIELDS))


def normal(value):
    """Numbers compare as numbers whatever their base; text as lower case."""
    if isinstance(value, int):
        return value
    text = str(value).strip().lower()
    try:
        return int(text, 0)
    except ValueError:
        return text


def tshark_rows(pcap, defragment=False):
    # Layers demux reads from a packet's own bytes are compared with tshark
    # not reassembling; those it reads from a reassembled IP datagram (on
    # the fragment that completes it) with tshark reassembling, as demux.
    on = "TRUE" if defragment else "FALSE"
    cmd = ["tshark", "-n", "-r", pcap, "-o", "ip.defragment:" + on, "-o", "ipv6.defragment:" + on,
           "-T", "fields", "-E", "separator=\t",
           "-E", "occurrence=f", "-e", "frame.number"]
    for f in TSHARK_FIELDS:
        cmd += ["-e", f]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    rows = {}
    for line in out.splitlines():
        cols = line.split("\t")
        rows[int(cols[0])] = dict(zip(TSHARK_FIELDS, cols[1:]))
    return rows


def check_conversations(pcap, packets, rows):
    """Our conversation ids group packets as tshark's stream numbers do, and
    relative sequence and acknowledgment numbers agree. Returns (compared,
    mismatched)."""
    compared = mismatched = 0
    mapping = {}
    for pkt in packets:
        pair = pkt.get("socket_pair")
        row = rows.get(pkt["number"], {})
        if not pair or "conversation" not in pair:
            continue
        stream = row.get(pair["proto"] + ".stream", "")
        if stream == "":
            continue
        key = (pair["proto"], pair["conversation"])
        compared += 1
        if mapping.setdefault(key, stream) != stream:
            mismatched += 1
            print(f"{pcap} #{pkt['number']}: conversation {key} is tshark stream {stream}, "
                  f"earlier packets were stream {mapping[key]}")
        tcp = pkt.get("tcp_analysis")
        if not tcp:
            continue
        checks = [("relative_seq", "tcp.seq")]
        if "relative_ack" in tcp and row.get("tcp.flags.ack") in ("1", "True"):
            checks.append(("relative_ack", "tcp.ack"))
        for ours, theirs in checks:
            compared += 1
            if normal(tcp[ours]) != normal(row.get(theirs, "")):
                mismatched += 1
                print(f"{pcap} #{pkt['number']}: {ours} {tcp[ours]}, tshark {theirs} {row.get(theirs)}")
    streams = {}
    for (proto, conv), stream in mapping.items():
        if streams.setdefault((proto, stream), conv) != conv:
            mismatched += 1
            print(f"{pcap}: tshark {proto}.stream {stream} is two demux conversations")
    return compared, mismatched


# Telnet option names: demux's (RFC) spelling -> Wireshark's.
TELNET_OPTIONS = {
    "BINARY": "Binary Transmission", "ECHO": "Echo", "SUPPRESS-GO-AHEAD": "Suppress Go Ahead",
    "STATUS": "Status", "TIMING-MARK": "Timing Mark", "TERMINAL-TYPE": "Terminal Type",
    "END-OF-RECORD": "End of Record", "NAWS": "Negotiate About Window Size",
    "TERMINAL-SPEED": "Terminal Speed", "TOGGLE-FLOW-CONTROL": "Remote Flow Control",
    "LINEMODE": "Linemode", "X-DISPLAY-LOCATION": "X Display Location",
    "ENVIRON": "Environment Option", "AUTHENTICATION": "Authentication Option",
    "ENCRYPT": "Encryption Option", "NEW-ENVIRON": "New Environment Option",
}
TELNET_VERBS = {"DO": "Do", "DONT": "Don't", "WILL": "Will", "WONT": "Won't"}


def tshark_telnet(pcap):
    """Per frame: the telnet commands (numbers) and the negotiations as
    Wireshark words them ("Will Terminal Type")."""
    cmd = ["tshark", "-n", "-r", pcap, "-Y", "telnet", "-O", "telnet", "-V"]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    frames, frame = {}, None
    for line in out.splitlines():
        if line.startswith("Frame "):
            frame = frames.setdefault(int(line.split()[1].rstrip(":")), {"cmd": [], "neg": []})
        elif frame is not None and line.startswith("        Command: "):
            frame["cmd"].append(int(line.rsplit("(", 1)[1].rstrip(")")))
        elif frame is not None and line.startswith("    ") and not line.startswith("     "):
            words = line.strip()
            verb = words.split(" ", 1)[0]
            if verb in TELNET_VERBS.values() and " " in words:
                frame["neg"].append(words)
    return frames


def check_telnet(pcap, packets):
    """Telnet commands and option names agree with Wireshark's, packet by
    packet. Packets where a command crosses a segment boundary are left
    out: Wireshark reads each segment alone, demux reads the stream."""
    theirs = tshark_telnet(pcap)
    compared = mismatched = 0
    for pkt in packets:
        layer = next((l for l in pkt["layers"] if l["layer"] == "telnet"), None)
        if not layer or not layer["fields"]:
            continue
        fields = layer["fields"]
        if any(f["name"] == "partial" or "began in" in f.get("note", "") or f["width"] == 0
               for f in fields):
            continue
        cmds, negs = [], []
        for i, f in enumerate(fields):
            if f["name"] != "command":
                continue
            cmds.append(f["value"])
            verb = f["text"].split("(")[1].rstrip(")")
            if verb in TELNET_VERBS and i + 1 < len(fields) and fields[i + 1]["name"] == "option":
                name = fields[i + 1]["text"].split("(", 1)[1].rstrip(")")
                negs.append(f"{TELNET_VERBS[verb]} {TELNET_OPTIONS.get(name, name)}")
        t = theirs.get(pkt["number"], {"cmd": [], "neg": []})
        compared += len(cmds) + len(negs)
        if cmds != t["cmd"]:
            mismatched += 1
            print(f"{pcap} #{pkt['number']}: telnet commands {cmds}, tshark {t['cmd']}")
        # Wireshark names options demux does not: compare the ones demux names.
        known = [n for n in t["neg"] if not n.split(" ", 1)[1].startswith("Unknown")]
        if [n for n in negs if not n.split(" ", 1)[1].startswith("option ")] != known:
            mismatched += 1
            print(f"{pcap} #{pkt['number']}: telnet negotiation {negs}, tshark {t['neg']}")
    return compared, mismatched


def check(demux, pcap):
    doc = json.loads(subprocess.run([demux, "export", pcap], capture_output=True,
                                    text=True).stdout)
    rows = tshark_rows(pcap)
    whole = None
    compared = mismatched = 0
    for pkt in doc["packets"]:
        seen = set()
        for layer in pkt["layers"]:
            name = layer["layer"]
            if layer.get("reassembled") and whole is None:
                whole = tshark_rows(pcap, defragment=True)
            row = (whole if layer.get("reassembled") else rows).get(pkt["number"], {})
            if name in seen:          # an inner copy (tunnel): tshark's first is the outer
                continue
            seen.add(name)
            fields = {f["name"]: f["value"] for f in layer["fields"]}
            for fname, value in fields.items():
                if (name, fname) not in MAP:
                    continue
                tfield, convert = MAP[(name, fname)]
                theirs = row.get(tfield, "")
                if theirs == "":
                    if not layer.get("malformed"):
                        print(f"{pcap} #{pkt['number']}: {name}.{fname} = {value}, tshark has no {tfield}")
                        mismatched += 1
                    continue
                ours = convert(value, fields)
                compared += 1
                if normal(ours) != normal(theirs):
                    mismatched += 1
                    print(f"{pcap} #{pkt['number']}: {name}.{fname}: demux {ours}, tshark {tfield} {theirs}")
    c, m = check_conversations(pcap, doc["packets"], rows)
    tc, tm = check_telnet(pcap, doc["packets"])
    return compared + c + tc, mismatched + m + tm


def main():
    demux, pcaps = sys.argv[1], sys.argv[2:]
    total = bad = 0
    for pcap in pcaps:
        c, m = check(demux, pcap)
        total += c
        bad += m
    print(f"   tshark: {total} field values compared over {len(pcaps)} traces, {bad} differ")
    return 1 if bad or not total else 0


if __name__ == "__main__":
    sys.exit(main())
