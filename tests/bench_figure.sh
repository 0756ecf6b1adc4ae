#!/bin/sh
# How long `demux figure` takes to draw a 1,000-packet ladder (and its
# sizes): one telnet connection of PACKETS packets built with scapy, drawn
# as SVG, text and Mermaid, best of RUNS.
#   sh tests/bench_figure.sh [PACKETS] [RUNS] [DEMUX]
set -eu
packets=${1:-1000}
runs=${2:-5}
demux=${3:-build/release/demux}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
/usr/bin/python3 - "$packets" "$tmp/long.pcap" <<'PY'
import sys
from scapy.all import Ether, IP, TCP, Raw, wrpcap
n, path = int(sys.argv[1]), sys.argv[2]
c, s = ("172.16.12.2", 3044), ("192.168.16.2", 23)
cseq, sseq, out, t = 1000, 5000, [], 1772442000.0
def pkt(src, dst, flags, seq, ack, data=b""):
    global t
    p = Ether() / IP(src=src[0], dst=dst[0]) / TCP(sport=src[1], dport=dst[1], flags=flags, seq=seq, ack=ack)
    if data:
        p = p / Raw(data)
    p.time = t
    t += 0.001
    out.append(p)
pkt(c, s, "S", cseq, 0); pkt(s, c, "SA", sseq, cseq + 1); pkt(c, s, "A", cseq + 1, sseq + 1)
cseq += 1; sseq += 1
while len(out) < n:
    pkt(c, s, "PA", cseq, sseq, b"x"); cseq += 1
    if len(out) < n:
        pkt(s, c, "PA", sseq, cseq, b"x"); sseq += 1
wrpcap(path, out)
PY
best() {   # best FORMAT: the fastest of $runs runs, in seconds
    b=""
    for _ in $(seq 1 "$runs"); do
        t0=$(date +%s.%N)
        "$demux" figure "$tmp/long.pcap" --packet 1 --kind ladder --format "$1" -o "$tmp/l.$1"
        t1=$(date +%s.%N)
        b=$(echo "$t0 $t1 ${b:-999}" | awk '{d = $2 - $1; print (d < $3 ? d : $3)}')
    done
    echo "$b"
}
for f in svg txt mermaid; do
    echo "ladder of $packets packets, $f: $(best $f) s, $(wc -c <"$tmp/l.$f") bytes"
done
t0=$(date +%s.%N)
"$demux" decode "$tmp/long.pcap" >/dev/null
t1=$(date +%s.%N)
echo "for scale, demux decode of the same trace: $(echo "$t0 $t1" | awk '{print $2 - $1}') s"
