#!/bin/sh
# tests/golden.sh [--update] DEMUX: compare (or rewrite) the expected outputs.
set -u
update=0
[ "${1:-}" = --update ] && { update=1; shift; }
demux=$1
dir=tests/golden
status=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Each case: a name, then the demux arguments.
cases() {
    for f in traces/*.pcap; do
        n=$(basename "$f" .pcap)
        echo "$n.decode.txt|decode $f"
        echo "$n.export.json|export $f"
        echo "$n.sockets.txt|sockets $f"
        echo "$n.stream-1.txt|stream $f 1"
    done
    echo "telnet-two-users.stream-2.txt|stream traces/telnet-two-users.pcap 2"
    echo "real-telnet-two-users.stream-2.txt|stream traces/real-telnet-two-users.pcap 2"
    echo "telnet-session.filter-syn.decode.txt|decode traces/telnet-session.pcap tcp[tcpflags] & tcp-syn != 0"
    echo "same-port-tcp-udp.filter-udp.export.json|export traces/same-port-tcp-udp.pcap udp"
    # Figures (demux figure): SVG of each kind, and the text, Mermaid and LaTeX forms.
    h=traces/telnet-handshake.pcap u=traces/telnet-two-users.pcap
    for fmt in svg txt mermaid; do
        echo "telnet-handshake.figure-words-1.$fmt|figure $h --packet 1 --kind words --format $fmt"
        echo "telnet-handshake.figure-path-1.$fmt|figure $h --packet 1 --kind path --format $fmt"
        echo "telnet-handshake.figure-ladder-1.$fmt|figure $h --packet 1 --kind ladder --format $fmt"
        echo "telnet-two-users.figure-ladder-c1,2.$fmt|figure $u --kind ladder --conversations 1,2 --format $fmt"
        echo "telnet-two-users.figure-sockets.$fmt|figure $u --kind sockets --packet 3 --format $fmt"
        echo "telnet-two-users.figure-tree.$fmt|figure $u --kind tree --format $fmt"
    done
    echo "telnet-handshake.figure-path-4-sender.svg|figure $h --packet 4 --kind path --sender"
    echo "telnet-handshake.figure-words-1.latex|figure $h --packet 1 --kind words --format latex"
    echo "telnet-handshake.figure-words-1-ipv4.latex|figure $h --packet 1 --kind words --layer ipv4 --format latex"
    echo "telnet-session.figure-words-8-telnet.txt|figure traces/telnet-session.pcap --packet 8 --kind words --layer telnet --format txt"
    echo "telnet-session.figure-ladder-3-12.txt|figure traces/telnet-session.pcap --packet 3 --kind ladder --packets 3-12 --format txt"
}

cases | while IFS='|' read -r out args; do
    # shellcheck disable=SC2086
    set -f; $demux $args >"$tmp/$out" 2>"$tmp/$out.err"; set +f
    if [ "$update" -eq 1 ]; then
        cp "$tmp/$out" "$dir/$out"
    elif ! cmp -s "$tmp/$out" "$dir/$out"; then
        echo "differs: $out (demux $args)"
        diff -u "$dir/$out" "$tmp/$out" | cut -c1-240 | head -20
        echo x >>"$tmp/failed"
    fi
done
[ -f "$tmp/failed" ] && status=1
[ "$update" -eq 1 ] && echo "rewrote $(ls "$dir" | wc -l) files in $dir"
exit $status
