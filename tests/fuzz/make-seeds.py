"""Write seed inputs for the fuzz harnesses: make-seeds.py OUTDIR.

OUTDIR/decode gets the frames of every traces/*.pcap in fuzz_decode.c's
input format (a mode byte, then frames with a 2-byte length prefix),
cut into runs of consecutive frames of at most MAX_SEED bytes so that
multi-packet state (TCP reassembly, telnet, RPC replies) is in the seeds.
OUTDIR/names gets the built-in name tables as the text they are parsed
from (decode/names/names_builtin.c) and a few small hand-made tables;
OUTDIR/lesson the lessons in lessons/ and a few broken ones. Minimize
the result into tests/fuzz/corpus/ with libFuzzer's -merge=1.
"""
import glob
import os
import re
import struct
import sys

MAX_SEED = 3000
# pcap link type -> index in fuzz_decode.c's link_types[]
LINK_INDEX = {1: 0, 113: 1, 276: 2, 0: 3, 108: 4, 101: 5, 12: 5, 14: 5, 228: 6, 229: 7}


def pcap_frames(path):
    """(linktype, [(data, wire_len)]) of a classic pcap file, up to any cut."""
    with open(path, "rb") as f:
        raw = f.read()
    magic = raw[:4]
    if magic in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1"):
        end = "<"
    elif magic in (b"\xa1\xb2\xc3\xd4", b"\xa1\xb2\x3c\x4d"):
        end = ">"
    else:
        return None, []
    linktype = struct.unpack(end + "I", raw[20:24])[0] & 0x0FFFFFFF
    frames, off = [], 24
    while off + 16 <= len(raw):
        _, _, caplen, wire = struct.unpack(end + "IIII", raw[off:off + 16])
        data = raw[off + 16:off + 16 + caplen]
        frames.append((data, wire))
        off += 16 + caplen
    return linktype, frames


def frame_bytes(data, wire):
    """One frame in the harness format: the length, and the bytes cut off."""
    data = data[:0x7FFF]
    cut = max(0, min(wire - len(data), 0xFFFF))
    if cut:
        return struct.pack(">HH", 0x8000 | len(data), cut) + data
    return struct.pack(">H", len(data)) + data


def decode_seeds(outdir):
    os.makedirs(outdir, exist_ok=True)
    for path in sorted(glob.glob("traces/*.pcap")):
        linktype, frames = pcap_frames(path)
        if linktype not in LINK_INDEX:
            continue
        name = os.path.basename(path)[:-5]
        seed, part = bytearray([LINK_INDEX[linktype]]), 1
        for data, wire in frames:
            one = frame_bytes(data, wire)
            if len(seed) > 1 and len(seed) + len(one) > MAX_SEED:
                write(outdir, "%s-%02d" % (name, part), seed)
                seed, part = bytearray([LINK_INDEX[linktype]]), part + 1
            seed += one
        if len(seed) > 1:
            write(outdir, "%s-%02d" % (name, part), seed)


def dns_answers_seed():
    """One Ethernet/IPv4/UDP frame with a DNS response holding a record of
    every type the decoder reads (A, NS, CNAME, SOA, PTR, MX, TXT, AAAA,
    OPT): the traces have only A and AAAA. Checksums are left at 0."""
    def name(*labels):
        return b"".join(bytes([len(l)]) + l for l in labels) + b"\0"

    def rr(rtype, rdata, owner=b"\xc0\x0c"):
        return owner + struct.pack(">HHIH", rtype, 1, 3600, len(rdata)) + rdata

    q = name(b"example", b"com") + struct.pack(">HH", 255, 1)
    answers = [
        rr(1, bytes([93, 184, 216, 34])),
        rr(2, name(b"ns1") + b""),
        rr(5, b"\x03www\xc0\x0c"),
        rr(6, name(b"ns1", b"example", b"com") + name(b"admin", b"example", b"com")
           + struct.pack(">IIIII", 2026030201, 7200, 3600, 1209600, 300)),
        rr(12, b"\xc0\x0c"),
        rr(15, struct.pack(">H", 10) + name(b"mail", b"example", b"com")),
        rr(16, b"\x0bv=spf1 -all\x05hello"),
        rr(28, bytes(range(16))),
        rr(41, b"", owner=b"\0"),
    ]
    dns = struct.pack(">HHHHHH", 0x2a2a, 0x8180, 1, len(answers), 0, 0) + q + b"".join(answers)
    udp = struct.pack(">HHHH", 53, 53124, 8 + len(dns), 0) + dns
    ip = struct.pack(">BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), 1, 0, 64, 17, 0,
                     bytes([10, 1, 1, 53]), bytes([10, 1, 1, 5])) + udp
    eth = bytes([2, 0, 0, 0, 0, 5, 2, 0, 0, 0, 0, 0x35]) + b"\x08\x00" + ip
    return bytes([0]) + frame_bytes(eth, len(eth))


def builtin_tables():
    """The built-in tables' lines, by array name, from names_builtin.c."""
    src = open("decode/names/names_builtin.c", encoding="utf-8").read()
    tables = {}
    for m in re.finditer(r"dx_names_builtin_(\w+)\[\]\s*=\s*\{(.*?)\n\};", src, re.S):
        lines = [bytes(s, "utf-8").decode("unicode_escape")
                 for s in re.findall(r'"((?:[^"\\]|\\.)*)"', m.group(2))]
        tables[m.group(1)] = "\n".join(lines) + "\n"
    return tables


HAND_MADE = {
    "protocols-small": "ip 0 IP\ntcp\t6\tTCP # comment\nudp 17 UDP\r\nbad 300\n#only\n",
    "services-small": "telnet 23/tcp\ndomain 53/udp dns\nx 70000/tcp\nsunrpc 111/tcp portmapper rpcbind\n",
    "services-odd": "a\t1/sctp\nb 2/\n/3/tcp\nc 4/udp\tali1 ali2 ali3 # c\n\n  \t \nd 0x17/tcp\n",
}


def names_seeds(outdir):
    os.makedirs(outdir, exist_ok=True)
    for name, text in sorted(builtin_tables().items()):
        write(outdir, "builtin-" + name, text.encode())
    for name, text in HAND_MADE.items():
        write(outdir, name, text.encode())


def write(outdir, name, data):
    """The seed, and for decode seeds a twin read without a session (mode
    bit 3) and, for each trace's first part, one that builds the packets'
    JSON objects too (mode bit 6) and, for Ethernet, one read 16 times over
    with the low byte of the IPv4 source port changed each time (mode bit
    7, offset 35), which makes many conversations of a few frames."""
    if os.path.basename(outdir) == "decode":
        twins = {"-nosession": (8, b"")}
        if name.endswith("-01"):
            twins["-objects"] = (64, b"")
            if data[0] == 0:
                twins["-rounds"] = (128, bytes([35]))
        for suffix, (bit, extra) in twins.items():
            with open(os.path.join(outdir, name + suffix), "wb") as f:
                f.write(bytes([data[0] | bit]) + extra + bytes(data[1:]))
    with open(os.path.join(outdir, name), "wb") as f:
        f.write(bytes(data))


BROKEN_LESSONS = {
    "no-title": "trace: x.pcap\n\nstep\npacket: 0\nfocus: ipv4.\n",
    "odd-keys": "title: t\ntrace:\nstep: a\npacket: 99999999999999999999\nview: nowhere\n"
                "focus: .x tcp.\nquestion: ?\n\n\nanswer:\n",
}


def lesson_seeds(outdir):
    os.makedirs(outdir, exist_ok=True)
    for path in sorted(glob.glob("lessons/*.lesson")):
        with open(path, "rb") as f:
            write(outdir, os.path.basename(path), f.read())
    for name, text in BROKEN_LESSONS.items():
        write(outdir, name + ".lesson", text.encode())


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: make-seeds.py OUTDIR")
    decode_seeds(os.path.join(sys.argv[1], "decode"))
    write(os.path.join(sys.argv[1], "decode"), "dns-answers", dns_answers_seed())
    names_seeds(os.path.join(sys.argv[1], "names"))
    lesson_seeds(os.path.join(sys.argv[1], "lesson"))
