#!/usr/bin/python3
"""traces/net-helper.py: the small programs traces/record-real-net.sh runs
inside its network namespaces (Debian's /usr/bin/python3; only `reorder`
needs python3-scapy). Every wait has a time limit; each mode prints one line
saying what happened and exits 0 when it happened as wanted.

  echo-server ADDR PORT          UDP echo until killed (prints "ready")
  udp ADDR PORT SIZE [OPTIONS]   send one datagram of SIZE bytes
        --ttl N       IPv4 TTL or IPv6 hop limit N
        --df          IPv4: set DF (path MTU discovery "do")
        --reply       a reply of the same size must come back
        --error       an ICMP error must be reported to the socket
  tcp-closed ADDR PORT           connect; the SYN must be answered by RST
  reorder IFACE DSTMAC ADDR PORT SIZE SPORT FRAGSIZE
                      send one UDP datagram as fragments, last fragment first,
                      from a socket bound to SPORT; the echo must come back
"""
import errno
import socket
import sys

TIMEOUT = 3.0


def payload(size):
    text = b"demux real capture: one UDP datagram, every byte readable. "
    return (text * (size // len(text) + 1))[:size]


def family(addr):
    return socket.AF_INET6 if ":" in addr else socket.AF_INET


def echo_server(addr, port):
    s = socket.socket(family(addr), socket.SOCK_DGRAM)
    s.bind((addr, int(port)))
    print("ready", flush=True)
    while True:
        data, peer = s.recvfrom(65535)
        s.sendto(data, peer)


def udp(addr, port, size, opts):
    fam = family(addr)
    s = socket.socket(fam, socket.SOCK_DGRAM)
    s.settimeout(TIMEOUT)
    if "--ttl" in opts:
        ttl = int(opts[opts.index("--ttl") + 1])
        if fam == socket.AF_INET:
            s.setsockopt(socket.IPPROTO_IP, socket.IP_TTL, ttl)
        else:
            s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_UNICAST_HOPS, ttl)
    if "--df" in opts:
        s.setsockopt(socket.IPPROTO_IP, 10, 2)        # IP_MTU_DISCOVER, IP_PMTUDISC_DO
    if fam == socket.AF_INET:
        s.setsockopt(socket.IPPROTO_IP, 11, 1)        # IP_RECVERR: report ICMP errors
    else:
        s.setsockopt(socket.IPPROTO_IPV6, 25, 1)      # IPV6_RECVERR
    s.connect((addr, int(port)))
    data = payload(int(size))
    s.send(data)
    try:
        got = s.recv(65535)
    except socket.timeout:
        got = None
        what = "no answer"
    except OSError as e:
        got = e
        what = f"error reported: {errno.errorcode.get(e.errno, e.errno)}"
    else:
        what = f"reply of {len(got)} bytes"
    print(f"udp {addr} {port} {size}: {what}")
    if "--reply" in opts:
        return 0 if isinstance(got, bytes) and got == data else 1
    if "--error" in opts:
        return 0 if isinstance(got, OSError) else 1
    return 0


def tcp_closed(addr, port):
    s = socket.socket(family(addr), socket.SOCK_STREAM)
    s.settimeout(TIMEOUT)
    try:
        s.connect((addr, int(port)))
    except ConnectionRefusedError:
        print(f"tcp {addr} {port}: refused (RST)")
        return 0
    except OSError as e:
        print(f"tcp {addr} {port}: {e}")
        return 1
    print(f"tcp {addr} {port}: connected, but the port should be closed")
    return 1


def reorder(iface, dstmac, addr, port, size, sport, fragsize):
    from scapy.all import (IP, UDP, Ether, IPv6, IPv6ExtHdrFragment, conf,
                           fragment, fragment6, get_if_hwaddr, sendp)
    conf.verb = 0
    fam = family(addr)
    s = socket.socket(fam, socket.SOCK_DGRAM)
    s.settimeout(TIMEOUT)
    s.bind(("::" if fam == socket.AF_INET6 else "0.0.0.0", int(sport)))
    data = payload(int(size))
    eth = Ether(src=get_if_hwaddr(iface), dst=dstmac)
    if fam == socket.AF_INET:
        src = conf.route.route(addr)[1]
        pkt = IP(src=src, dst=addr, id=0x4242, ttl=64) / UDP(sport=int(sport), dport=int(port)) / data
        frags = fragment(pkt, fragsize=int(fragsize))
    else:
        src = conf.route6.route(addr)[1]
        pkt = (IPv6(src=src, dst=addr, hlim=64) / IPv6ExtHdrFragment(id=0x4242)
               / UDP(sport=int(sport), dport=int(port)) / data)
        frags = fragment6(pkt, int(fragsize))
    frags = list(reversed(frags))
    sendp([eth / f for f in frags], iface=iface)
    try:
        got = s.recv(65535)
    except OSError as e:
        print(f"reorder {addr} {port}: {len(frags)} fragments sent last first, no echo: {e}")
        return 1
    print(f"reorder {addr} {port}: {len(frags)} fragments sent last first, echo of {len(got)} bytes")
    return 0 if got == data else 1


def main(argv):
    mode, args = argv[1], argv[2:]
    if mode == "echo-server":
        return echo_server(*args)
    if mode == "udp":
        return udp(args[0], args[1], args[2], args[3:])
    if mode == "tcp-closed":
        return tcp_closed(*args)
    if mode == "reorder":
        return reorder(*args)
    print(f"net-helper: unknown mode {mode}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
