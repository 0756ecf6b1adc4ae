#!/bin/sh
# Speed and memory, measured against the tools students already know, on
# two generated traces of PACKETS packets: --bench (a few dozen long telnet
# sessions, DNS and ping) and --bench-conversations (short DNS lookups and
# telnet connections: a conversation every three packets). For each:
#   demux export   against  tshark -T json        (target: 20x faster or more)
#   demux decode   against  tcpdump -nn -v -r     (target: no slower)
#   export's resident memory (target: 64 MB or less at 200,000 packets,
#   flat: growing only with the conversations kept), and its time per
#   packet at PACKETS against PACKETS/10 (target: no worse).
# Then the viewer (with tmux): resident memory after End on VIEWER_PACKETS
# (default 1,000,000) packets of the many-conversation kind, against the
# file's size (target: 1.5x or less), and how long End takes (under 1 s).
# Output goes to /dev/null so only the work is timed. Not a test: it prints
# figures and ratios and exits 0 unless a tool is missing.
#   sh tests/bench.sh [PACKETS] [RUNS]
set -eu
packets=${1:-200000}
runs=${2:-3}
viewer_packets=${VIEWER_PACKETS:-1000000}
build=${BUILD:-build/release}
demux=$build/demux
tracegen=$build/tracegen
for tool in tshark tcpdump "$demux" "$tracegen" /usr/bin/time; do
    command -v "$tool" >/dev/null 2>&1 || { echo "bench: $tool is missing (run make, and make test once to install tshark and tcpdump)" >&2; exit 1; }
done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"; [ -n "${sock:-}" ] && tmux -L "$sock" kill-server 2>/dev/null; true' EXIT

now() { date +%s%N; }

# best_of RUNS COMMAND...: the fastest wall time in milliseconds.
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
        if [ "$best" = "" ] || [ "$ms" -lt "$best" ]; then best=$ms; fi
        i=$((i + 1))
    done
    echo "$best"
}

# rss_mb COMMAND...: the command's peak resident memory, in MB.
rss_mb() {
    /usr/bin/time -f %M -o "$tmp/rss" "$@" >/dev/null 2>&1 || true
    awk '{ printf "%.1f", $1 / 1024 }' "$tmp/rss"
}

secs() { awk -v ms="$1" 'BEGIN { printf "%.3f s", ms / 1000 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b == 0) b = 1; printf "%.1f", a / b }'; }

# bench_trace KIND: every figure for one kind of trace.
bench_trace() {
    kind=$1
    trace=$tmp/$kind.pcap small=$tmp/$kind-small.pcap
    "$tracegen" "--$kind" "$packets" "$trace"
    "$tracegen" "--$kind" "$((packets / 10))" "$small"
    convs=$("$demux" sockets "$trace" 2>/dev/null | awk 'NR == 1 { print $1 }')
    echo "== --$kind: $packets packets, $(wc -c <"$trace") bytes, $convs conversations; best of $runs runs"
    # tshark is slow: one run is enough for a fair figure.
    t_tshark=$(best_of 1 tshark -r "$trace" -T json)
    t_export=$(best_of "$runs" "$demux" export "$trace")
    t_small=$(best_of "$runs" "$demux" export "$small")
    t_tcpdump=$(best_of "$runs" tcpdump -nn -v -r "$trace")
    t_decode=$(best_of "$runs" "$demux" decode "$trace")
    m_export=$(rss_mb "$demux" export "$trace")
    m_small=$(rss_mb "$demux" export "$small")
    m_tshark=$(rss_mb tshark -r "$trace" -T json)
    echo "demux export   $(secs "$t_export")   tshark -T json     $(secs "$t_tshark")   export is $(ratio "$t_tshark" "$t_export")x faster (target 20x)"
    echo "demux decode   $(secs "$t_decode")   tcpdump -nn -v -r  $(secs "$t_tcpdump")   decode takes $(ratio "$t_decode" "$t_tcpdump")x tcpdump's time (target 1.0 or less)"
    echo "export memory  $m_export MB at $packets packets, $m_small MB at $((packets / 10)) (target 64 MB or less at 200,000); tshark -T json $m_tshark MB"
    echo "export time per packet at $packets against $((packets / 10)): $(ratio "$t_export" "$((t_small * 10))")x (target 1.0 or less; $(secs "$t_small") for the small trace)"
}

bench_trace bench
bench_trace bench-conversations

# The viewer, in a terminal of its own: load, press End, read VmRSS.
if ! command -v tmux >/dev/null 2>&1; then
    echo "viewer: tmux is missing, not measured"
    exit 0
fi
trace=$tmp/viewer.pcap
"$tracegen" --bench-conversations "$viewer_packets" "$trace"
size_mb=$(awk -v b="$(wc -c <"$trace")" 'BEGIN { printf "%.1f", b / 1048576 }')
sock=demux-bench-$$
tmux -L "$sock" -f /dev/null new-session -d -x 80 -y 24 "exec $demux $trace"
pid=$(tmux -L "$sock" list-panes -F '#{pane_pid}')
rss() { awk '/VmRSS/ { printf "%.1f", $2 / 1024 }' "/proc/$pid/status"; }
last=""
# Loaded when the status line counts every packet.
total=$(printf "%d" "$viewer_packets" | sed ':a;s/\B[0-9]\{3\}\>/,&/;ta')
while ! tmux -L "$sock" capture-pane -p | grep -q "| $total packets"; do sleep 0.2; done
t0=$(now)
tmux -L "$sock" send-keys End
while ! tmux -L "$sock" capture-pane -p | grep -Eq "^ *$viewer_packets "; do sleep 0.02; done
t1=$(now)
sleep 1
m_view=$(rss)
echo "== viewer: $viewer_packets packets of --bench-conversations, $size_mb MB"
echo "viewer memory  $m_view MB after End, $(ratio "$m_view" "$size_mb")x the file (target 1.5x or less); End shown in $(secs $(( (t1 - t0) / 1000000 ))) (target under 1 s)"
