#!/usr/bin/python3
"""traces/scapy-tunnels.py: tunnels and encapsulations this kernel cannot make
(it has no GRE, IPIP, SIT, ip6tnl, Geneve, VLAN or MPLS devices), built with
Scapy's own encoders (Debian's python3-scapy) and written to
traces/scapy-tunnels.pcap (link type EN10MB).

    /usr/bin/python3 traces/scapy-tunnels.py [FILE]    (no root needed)

With FILE, writes only the trace, to FILE.

Deterministic: every value is fixed (addresses, ports, IDs, sequence numbers,
timestamps from 2026-03-02 09:00:00 UTC one second apart), so a new run gives
the same bytes with the same Scapy version. It also rewrites the section
"scapy-tunnels.py" of traces/real-captures.txt (the Scapy version and one line
per packet), leaving the other sections as they are. traces/README.md says
what each packet is (the same list as PACKETS below).
"""
import os
import sys

import scapy
from scapy.all import (GRE, IP, TCP, UDP, VXLAN, Ether, ICMPv6EchoRequest, IPv6,
                       PPP, PPPoE, PPPoED, PPPoED_Tags, PPPoETag, Raw,
                       load_contrib, wrpcap)
from scapy.layers.l2tp import L2TP

load_contrib("mpls")
load_contrib("geneve")
load_contrib("nsh")
load_contrib("macsec")
load_contrib("erspan")
from scapy.contrib.erspan import ERSPAN_II       # noqa: E402
from scapy.contrib.geneve import GENEVE, GeneveOptions  # noqa: E402
from scapy.contrib.macsec import MACsec          # noqa: E402
from scapy.contrib.mpls import MPLS              # noqa: E402
from scapy.contrib.nsh import NSH                # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
START = 1772442000          # 2026-03-02 09:00:00 UTC, as tracegen's traces

# Outer hosts: tunnel end points. Inner hosts: the telnet client and server.
A_MAC, B_MAC = "02:00:00:00:10:01", "02:00:00:00:10:02"
IN_A_MAC, IN_B_MAC = "02:00:00:00:20:01", "02:00:00:00:20:02"
OUT_A, OUT_B = "198.51.100.1", "198.51.100.2"
OUT6_A, OUT6_B = "2001:db8:100::1", "2001:db8:100::2"
IN_A, IN_B = "192.0.2.1", "192.0.2.2"
IN6_A, IN6_B = "2001:db8:200::1", "2001:db8:200::2"

# A telnet server's first negotiation: IAC DO TERMINAL-TYPE, IAC DO NAWS.
TELNET_DO = bytes([255, 253, 24, 255, 253, 31])
HELLO = b"hello through the tunnel\n"


def eth(t=None):
    return Ether(src=A_MAC, dst=B_MAC) if t is None else Ether(src=A_MAC, dst=B_MAC, type=t)


def ip4(src=OUT_A, dst=OUT_B, ident=0x1000, **kw):
    return IP(src=src, dst=dst, id=ident, ttl=64, flags="DF", **kw)


def ip6(src=OUT6_A, dst=OUT6_B, **kw):
    return IPv6(src=src, dst=dst, hlim=64, **kw)


def syn(sport=40001):
    return TCP(sport=sport, dport=23, seq=1000000, flags="S", window=64240,
               options=[("MSS", 1400), ("SAckOK", b""), ("NOP", None), ("WScale", 7)])


def telnet(sport=40001):
    return TCP(sport=23, dport=sport, seq=2000001, ack=1000001, flags="PA", window=502) / Raw(TELNET_DO)


def inner4(ident=0x2000):
    return IP(src=IN_A, dst=IN_B, id=ident, ttl=63, flags="DF")


def inner6():
    return IPv6(src=IN6_A, dst=IN6_B, hlim=63)


def udp_hello(sport=40100, dport=7):
    return UDP(sport=sport, dport=dport) / Raw(HELLO)


# (what it is, the packet). The text is copied into traces/README.md.
PACKETS = [
    ("GRE, no options (protocol 0x0800): IPv4 198.51.100.1 > .2 carrying IPv4 192.0.2.1 > .2, TCP SYN to port 23",
     eth() / ip4(ident=0x1001) / GRE() / inner4(0x2001) / syn(40001)),
    ("GRE with a key (0x0000002a): the inner telnet server's answer, IAC DO TERMINAL-TYPE, IAC DO NAWS",
     eth() / ip4(OUT_B, OUT_A, 0x1002) / GRE(key_present=1, key=42)
     / IP(src=IN_B, dst=IN_A, id=0x2002, ttl=63, flags="DF") / telnet(40001)),
    ("GRE with a sequence number (7), protocol 0x86dd: inner IPv6 2001:db8:200::1 > ::2, TCP SYN to port 23",
     eth() / ip4(ident=0x1003) / GRE(seqnum_present=1, sequence_number=7) / inner6() / syn(40002)),
    ("GRE with checksum, key (42) and sequence number (8): inner IPv4, UDP to port 7",
     eth() / ip4(ident=0x1004) / GRE(chksum_present=1, key_present=1, key=42, seqnum_present=1,
                                     sequence_number=8) / inner4(0x2004) / udp_hello(40101)),
    ("IP in IP (IPv4 protocol 4): inner IPv4, TCP SYN to port 23",
     eth() / ip4(ident=0x1005, proto=4) / inner4(0x2005) / syn(40003)),
    ("IPv6 in IPv4 (protocol 41, as 6in4 and SIT): inner IPv6, TCP SYN to port 23",
     eth() / ip4(ident=0x1006, proto=41) / inner6() / syn(40004)),
    ("IPv4 in IPv6 (next header 4): inner IPv4, UDP to port 7",
     eth() / ip6(nh=4) / inner4(0x2007) / udp_hello(40102)),
    ("IPv6 in IPv6 (next header 41): inner IPv6, TCP SYN to port 23",
     eth() / ip6(nh=41) / inner6() / syn(40005)),
    ("Geneve (UDP 6081), VNI 0x000100, one option (class 0x0103, type 0x01, 4 bytes): inner Ethernet, IPv4, UDP to port 7",
     eth() / ip4(ident=0x1009) / UDP(sport=50001, dport=6081)
     / GENEVE(vni=0x100, proto=0x6558,
              options=[GeneveOptions(classid=0x0103, type=0x01, data=b"\x00\x00\x00\x2a")])
     / Ether(src=IN_A_MAC, dst=IN_B_MAC) / inner4(0x2009) / udp_hello(40103)),
    ("VXLAN (UDP 4789), VNI 42: inner Ethernet, IPv4, TCP SYN to port 23",
     eth() / ip4(ident=0x100a) / UDP(sport=50002, dport=4789) / VXLAN(flags=0x08, vni=42)
     / Ether(src=IN_A_MAC, dst=IN_B_MAC) / inner4(0x200a) / syn(40006)),
    ("MPLS (ethertype 0x8847), labels 100 then 200 (bottom of stack), TTL 64: IPv4, TCP SYN to port 23",
     eth(0x8847) / MPLS(label=100, cos=0, s=0, ttl=64) / MPLS(label=200, cos=0, s=1, ttl=64)
     / inner4(0x200b) / syn(40007)),
    ("MPLS (ethertype 0x8847), labels 100 then 300 (bottom of stack): IPv6, UDP to port 7",
     eth(0x8847) / MPLS(label=100, cos=0, s=0, ttl=64) / MPLS(label=300, cos=0, s=1, ttl=64)
     / inner6() / udp_hello(40104)),
    ("PPPoE discovery (ethertype 0x8863): PADI to the broadcast address, tags Service-Name (empty) and Host-Uniq",
     Ether(src=A_MAC, dst="ff:ff:ff:ff:ff:ff") / PPPoED(code=0x09, sessionid=0)
     / PPPoED_Tags(tag_list=[PPPoETag(tag_type=0x0101, tag_value=b""),
                             PPPoETag(tag_type=0x0103, tag_value=b"\x00\x00\x00\x01")])),
    ("PPPoE discovery: PADO from the access concentrator, tags AC-Name \"demux-ac\", Service-Name, Host-Uniq",
     Ether(src=B_MAC, dst=A_MAC) / PPPoED(code=0x07, sessionid=0)
     / PPPoED_Tags(tag_list=[PPPoETag(tag_type=0x0102, tag_value=b"demux-ac"),
                             PPPoETag(tag_type=0x0101, tag_value=b""),
                             PPPoETag(tag_type=0x0103, tag_value=b"\x00\x00\x00\x01")])),
    ("PPPoE session (ethertype 0x8864), session 0x0011, PPP protocol 0x0021: IPv4, TCP SYN to port 23",
     eth() / PPPoE(sessionid=0x0011) / PPP(proto=0x0021) / inner4(0x200f) / syn(40008)),
    ("PPPoE session 0x0011, PPP protocol 0x0057: IPv6, ICMPv6 echo request",
     eth() / PPPoE(sessionid=0x0011) / PPP(proto=0x0057) / inner6()
     / ICMPv6EchoRequest(id=0x10, seq=1, data=b"demux")),
    ("NSH (ethertype 0x894f), MD type 2 (no context headers), SPI 10, SI 255, next protocol 3 (Ethernet): inner Ethernet, IPv4, UDP to port 7",
     eth(0x894f) / NSH(mdtype=2, nextproto=3, spi=10, si=255)
     / Ether(src=IN_A_MAC, dst=IN_B_MAC) / inner4(0x2011) / udp_hello(40105)),
    ("MACsec (ethertype 0x88e5), not encrypted (E=0, C=0), SCI present, AN 0, PN 1: IPv4, UDP to port 7, then the 16-byte ICV (zeros: no key)",
     eth(0x88e5) / MACsec(SC=1, E=0, C=0, AN=0, PN=1, SCI=b"\x02\x00\x00\x00\x10\x01\x00\x01", type=0x0800)
     / inner4(0x2012) / udp_hello(40106) / Raw(b"\x00" * 16)),
    ("ERSPAN type II (GRE protocol 0x88be, sequence number 9), session 5: the mirrored frame, Ethernet, IPv4, TCP SYN to port 23",
     eth() / ip4(ident=0x1013) / GRE(seqnum_present=1, sequence_number=9, proto=0x88be)
     / ERSPAN_II(ver=1, vlan=0, session_id=5, index=0)
     / Ether(src=IN_A_MAC, dst=IN_B_MAC) / inner4(0x2013) / syn(40009)),
    ("L2TP version 2 (UDP 1701), tunnel 1, session 2, data message: PPP protocol 0x0021, IPv4, TCP SYN to port 23",
     eth() / ip4(ident=0x1014) / UDP(sport=1701, dport=1701) / L2TP(tunnel_id=1, session_id=2)
     / PPP(proto=0x0021) / inner4(0x2014) / syn(40010)),
    ("Teredo (UDP 3544): IPv6 between Teredo addresses 2001:0:c633:6401:: and 2001:db8:200::2, UDP to port 7",
     eth() / ip4(ident=0x1015) / UDP(sport=3544, dport=3544)
     / IPv6(src="2001:0:c633:6401:8000:f227:39ff:fefe", dst=IN6_B, hlim=63) / udp_hello(40107)),
]


def section():
    lines = ["==== scapy-tunnels.py ====",
             "Built, not recorded: traces/scapy-tunnels.py writes scapy-tunnels.pcap with Scapy's encoders.",
             f"scapy:    {scapy.__version__} (Debian python3-scapy), python {sys.version.split()[0]}",
             f"scapy-tunnels.pcap: {len(PACKETS)} packets, EN10MB, times from 2026-03-02 09:00:00 UTC, 1 s apart:"]
    for i, (what, _) in enumerate(PACKETS, 1):
        lines.append(f"    {i:3d}  {what}")
    return "\n".join(lines) + "\n"


def write_notes():
    """Replace our section of real-captures.txt, keep the others."""
    path = os.path.join(HERE, "real-captures.txt")
    keep, mine = [], False
    if os.path.exists(path):
        with open(path) as f:
            for line in f.read().splitlines():
                if line.startswith("==== "):
                    mine = line == "==== scapy-tunnels.py ===="
                if not mine:
                    keep.append(line)
    while keep and keep[-1] == "":
        keep.pop()
    text = "\n".join(keep) + "\n\n" + section() if keep else section()
    with open(path + ".new", "w") as f:
        f.write(text)
    os.replace(path + ".new", path)


def main():
    pkts = []
    for i, (_, p) in enumerate(PACKETS):
        p.time = START + i
        pkts.append(p)
    # With a file name: write only that file (tests/suites/traces.sh compares
    # it with the committed one); without: the trace and the notes.
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "scapy-tunnels.pcap")
    wrpcap(out + ".new.pcap", pkts, linktype=1)
    os.replace(out + ".new.pcap", out)
    if len(sys.argv) == 1:
        write_notes()
    print(f"scapy-tunnels: wrote {out} ({len(pkts)} packets)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
