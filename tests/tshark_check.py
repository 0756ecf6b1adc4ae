"""Cross-check demux's field values against Wireshark's dissectors.

tshark_check.py [--pending FILE] DEMUX PCAP...: for every packet, every
IPv4, IPv6, TCP and UDP field that `demux export` reports must equal what
`tshark -T fields` reports for the same packet; conversations must group
packets as tshark's stream numbers do; telnet commands and option names must
match Wireshark's.

Every occurrence counts: tshark lists a field once per header that has it
(`-E occurrence=a`), outer first, and the k-th value is compared with the
k-th demux layer of that name (the outer IPv4 first, the IPv4 inside a tunnel
second, the IPv4 quoted in an ICMP error after it...). When tshark has more
occurrences than demux has layers of that name, demux does not open the inner
header: each such value is an occurrence missing, counted apart from values
that differ.

Prints one line per difference, per trace the values compared, differing and
missing, and the overall figures. Fails on any differing value, and on any
missing occurrence except in the traces listed in the pending file (one line
per trace: its file name, then why; `#` starts a comment), whose missing
occurrences are expected until demux decodes those headers. A pending trace
with nothing missing is reported, so the line can be deleted.
"""
import concurrent.futures
import json
import os
import subprocess
import sys

# The programs' outputs, by command line: main() starts the commands every
# trace needs side by side (tshark spends most of its time starting up),
# and the checks, which run one trace after another so that their reports
# read in order, take them from here.
OUTPUTS = {}


def output(cmd, check=True):
    """The standard output of cmd, run now unless it was run ahead."""
    key = tuple(cmd)
    if key not in OUTPUTS:
        OUTPUTS[key] = subprocess.run(cmd, capture_output=True, text=True, check=check).stdout
    return OUTPUTS[key]

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
CONV_FIELDS = ["tcp.stream", "udp.stream", "tcp.seq", "tcp.ack", "tcp.flags.ack",
               "tcp.srcport", "tcp.dstport", "udp.srcport", "udp.dstport"]
AGGREGATOR = "|"       # between the occurrences of one field (never in a value here)
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


def tshark_fields_cmd(pcap, defragment=False):
    # Layers demux reads from a packet's own bytes are compared with tshark
    # not reassembling; those it reads from a reassembled IP datagram (on
    # the fragment that completes it) with tshark reassembling, as demux.
    on = "TRUE" if defragment else "FALSE"
    cmd = ["tshark", "-n", "-r", pcap, "-o", "ip.defragment:" + on, "-o", "ipv6.defragment:" + on,
           "-T", "fields", "-E", "separator=\t",
           "-E", "occurrence=a", "-E", f"aggregator={AGGREGATOR}", "-e", "frame.number"]
    for f in TSHARK_FIELDS:
        cmd += ["-e", f]
    return cmd


def tshark_rows(pcap, defragment=False):
    out = output(tshark_fields_cmd(pcap, defragment))
    rows = {}
    for line in out.splitlines():
        cols = line.split("\t")
        row = {f: (v.split(AGGREGATOR) if v != "" else [])
               for f, v in zip(TSHARK_FIELDS, cols[1:])}
        # Wireshark's IPv6 dissector adds ip.version (6) too: those values
        # belong to IPv6 headers, not to the IPv4 headers demux's ipv4 layers
        # are matched with (an IPv4 header that says 6 is dissected as IPv6).
        row["ip.version"] = [v for v in row.get("ip.version", []) if v != "6"]
        rows[int(cols[0])] = row
    return rows


def port_of(endpoint):
    """"10.1.1.5.53124" or "[2001:db8::1]:23" -> 53124, 23."""
    digits = ""
    for ch in reversed(str(endpoint)):
        if not ch.isdigit():
            break
        digits = ch + digits
    return int(digits) if digits else None


def matching_occurrence(pair, row):
    """Which of tshark's TCP (or UDP) headers in the packet is the one demux
    follows as the conversation: the one with the same two ports; the first
    when none has them."""
    proto = pair["proto"]
    ports = {port_of(pair.get("src")), port_of(pair.get("dst"))}
    srcs, dsts = row.get(proto + ".srcport", []), row.get(proto + ".dstport", [])
    for i, (sp, dp) in enumerate(zip(srcs, dsts)):
        if {normal(sp), normal(dp)} == ports:
            return i
    return 0


def check_conversations(pcap, packets, rows):
    """Our conversation ids group packets as tshark's stream numbers do, and
    relative sequence and acknowledgment numbers agree. Returns (compared,
    mismatched)."""
    compared = mismatched = 0
    mapping = {}
    for pkt in packets:
        pair = pkt.get("socket_pair")
        full = rows.get(pkt["number"], {})
        if not pair or "conversation" not in pair:
            continue
        k = matching_occurrence(pair, full)
        # The values of the TCP or UDP header demux follows, one per field.
        row = {f: (v[k] if k < len(v) else (v[0] if v else "")) for f, v in full.items()}
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


def tshark_telnet_cmd(pcap):
    return ["tshark", "-n", "-r", pcap, "-Y", "telnet", "-O", "telnet", "-V"]


def tshark_telnet(pcap):
    """Per frame: the telnet commands (numbers) and the negotiations as
    Wireshark words them ("Will Terminal Type")."""
    out = output(tshark_telnet_cmd(pcap))
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
    """Returns (compared, differing, missing) for one trace."""
    doc = json.loads(output([demux, "export", pcap], check=False))
    rows = tshark_rows(pcap)
    whole = None
    compared = mismatched = missing = 0
    layer_names = {name for name, _ in MAP}
    for pkt in doc["packets"]:
        row = rows.get(pkt["number"], {})
        # The fragment that completes a datagram: demux reads its upper
        # layers from the reassembled bytes, so tshark reassembles too.
        if any(layer.get("reassembled") for layer in pkt["layers"]):
            if whole is None:
                whole = tshark_rows(pcap, defragment=True)
            row = whole.get(pkt["number"], {})
        # demux's layers of each name, outermost first.
        layers = {}
        for layer in pkt["layers"]:
            if layer["layer"] in layer_names:
                layers.setdefault(layer["layer"], []).append(layer)
        for (name, fname), (tfield, convert) in MAP.items():
            theirs_all = row.get(tfield, [])
            ours_all = layers.get(name, [])
            for k, layer in enumerate(ours_all):
                fields = {f["name"]: f["value"] for f in layer["fields"]}
                if fname not in fields:
                    continue
                value = fields[fname]
                where = f"{name}[{k + 1}]" if len(ours_all) > 1 or len(theirs_all) > 1 else name
                if k >= len(theirs_all) or theirs_all[k] == "":
                    # A quoted header (inside an ICMP error) is read by tshark in part.
                    if not layer.get("malformed") and not layer.get("quoted"):
                        print(f"{pcap} #{pkt['number']}: {where}.{fname} = {value}, "
                              f"tshark has no {tfield} occurrence {k + 1}")
                        mismatched += 1
                    continue
                ours = convert(value, fields)
                compared += 1
                if normal(ours) != normal(theirs_all[k]):
                    mismatched += 1
                    print(f"{pcap} #{pkt['number']}: {where}.{fname}: demux {ours}, "
                          f"tshark {tfield} {theirs_all[k]}")
            # tshark opens more headers of this kind than demux does.
            extra = [v for v in theirs_all[len(ours_all):] if v != ""]
            if extra:
                missing += len(extra)
                MISSING_BY_FIELD[(pcap, name)] = MISSING_BY_FIELD.get((pcap, name), set())
                MISSING_BY_FIELD[(pcap, name)].add(pkt["number"])
    c, m = check_conversations(pcap, doc["packets"], rows)
    tc, tm = check_telnet(pcap, doc["packets"])
    return compared + c + tc, mismatched + m + tm, missing


# (trace, layer) -> the packets where tshark has more such headers than demux
MISSING_BY_FIELD = {}


def read_pending(path):
    """The pending file: trace file name -> why its missing occurrences are
    expected for now."""
    pending = {}
    with open(path) as f:
        for line in f:
            line = line.split("#", 1)[0].strip()
            if line:
                name, _, why = line.partition(" ")
                pending[name] = why.strip()
    return pending


def frames(numbers):
    numbers = sorted(numbers)
    text = ",".join(str(n) for n in numbers[:8])
    return text + (",..." if len(numbers) > 8 else "")


def main():
    args = sys.argv[1:]
    pending = {}
    if args and args[0] == "--pending":
        pending = read_pending(args[1])
        args = args[2:]
    demux, pcaps = args[0], args[1:]
    total = bad = lost = lost_pending = 0
    failed_missing = []
    ahead = [([demux, "export", p], False) for p in pcaps]
    ahead += [(tshark_fields_cmd(p), True) for p in pcaps]
    ahead += [(tshark_telnet_cmd(p), True) for p in pcaps]
    with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
        for cmd, strict in ahead:
            pool.submit(output, cmd, strict)
    for pcap in pcaps:
        c, m, miss = check(demux, pcap)
        name = os.path.basename(pcap)
        note = ""
        if miss:
            layers = sorted({layer for (p, layer) in MISSING_BY_FIELD if p == pcap})
            note = "; not opened: " + ", ".join(
                f"{layer} (frames {frames(MISSING_BY_FIELD[(pcap, layer)])})" for layer in layers)
            if name in pending:
                note += f" [pending: {pending[name]}]"
                lost_pending += miss
            else:
                failed_missing.append(name)
        elif name in pending:
            note = " [listed as pending, but nothing is missing: delete its line]"
        print(f"   {name}: {c} values compared, {m} differ, {miss} occurrences missing{note}")
        total += c
        bad += m
        lost += miss
    agree = total - bad
    print(f"   tshark: {total} field values compared over {len(pcaps)} traces (every occurrence), "
          f"{agree} agree, {bad} differ; {lost} occurrences tshark decodes and demux does not "
          f"({lost_pending} of them in pending traces)")
    if total + lost:
        print(f"   agreement: {agree} of {total + lost} occurrences tshark decodes "
              f"({100.0 * agree / (total + lost):.1f}%)")
    for name in failed_missing:
        print(f"   {name}: demux does not open inner headers tshark decodes, and the trace is not pending")
    return 1 if bad or not total or failed_missing else 0


if __name__ == "__main__":
    sys.exit(main())
