#!/bin/sh
# Speed, measured against the tools students already know. Builds a
# 200,000-packet trace with the generator and times, best of RUNS runs:
#   demux export   against  tshark -T json        (target: 20x faster or more)
#   demux decode   against  tcpdump -nn -v -r     (target: no slower)
# Output goes to /dev/null so only the work is timed. Not a test: it prints
# figures and ratios and exits 0 unless a tool is missing.
#   sh tests/bench.sh [PACKETS] [RUNS]
set -eu
packets=${1:-200000}
runs=${2:-3}
build=${BUILD:-build/release}
demux=$build/demux
tracegen=$build/tracegen
for tool in tshark tcpdump "$demux" "$tracegen"; do
    command -v "$tool" >/dev/null 2>&1 || { echo "bench: $tool is missing (run make, and make test once to install tshark and tcpdump)" >&2; exit 1; }
done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
trace=$tmp/bench.pcap
"$tracegen" --bench "$packets" "$trace"

now() { date +%s%N; }

# best_of RUNS COMMAND...: the fastest wall time in seconds, 3 decimals.
best_of() {
    n=$1
    shift
    best=""
    i=0
    while [ "$i" -lt "$n" ]; do
        t0=$(now)
        "$@" >/dev/null 2>&1
        t1=$(now)
        ms=$(( (t1 - t0) / 1000000 ))
        if [ -z "$best" ] || [ "$ms" -lt "$best" ]; then best=$ms; fi
        i=$((i + 1))
    done
    echo "$best"
}

secs() { awk -v ms="$1" 'BEGIN { printf "%.3f s", ms / 1000 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", a / b }'; }

echo "trace: $packets packets, $(wc -c <"$trace") bytes; best of $runs runs"
# tshark is slow: one run is enough for a fair figure.
t_tshark=$(best_of 1 tshark -r "$trace" -T json)
t_export=$(best_of "$runs" "$demux" export "$trace")
t_tcpdump=$(best_of "$runs" tcpdump -nn -v -r "$trace")
t_decode=$(best_of "$runs" "$demux" decode "$trace")

echo "demux export   $(secs "$t_export")   tshark -T json     $(secs "$t_tshark")   export is $(ratio "$t_tshark" "$t_export")x faster (target 20x)"
echo "demux decode   $(secs "$t_decode")   tcpdump -nn -v -r  $(secs "$t_tcpdump")   decode takes $(ratio "$t_decode" "$t_tcpdump")x tcpdump's time (target 1.0 or less)"
echo "output sizes: decode $("$demux" decode "$trace" | wc -c) bytes, tcpdump $(tcpdump -nn -v -r "$trace" 2>/dev/null | wc -c) bytes, export $("$demux" export "$trace" | wc -c) bytes"
