#!/bin/sh
# E in the viewer (tmux at 80x24, and 60x20 for the message): the figure
# of the view shown is written as demux-TRACE-VIEW-PACKET.svg to the
# current directory, well-formed (xmllint), never over an existing file
# (-1, -2...), and the status row says where; the bytes and stream views,
# which have no figure kind, say so and write nothing.
. tests/lib.sh
for tool in tmux xmllint; do
    if ! command -v $tool >/dev/null; then
        echo "FAIL: $tool is missing (sh .ci/deps test)"
        bad=1
        finish
        exit 1
    fi
done
. tests/tmux.sh
here=$PWD
case "$DEMUX" in /*) ;; *) DEMUX="$here/$DEMUX" ;; esac
T="$here/traces/telnet-handshake.pcap"
mkdir "$TMP/here" && cd "$TMP/here" || exit 1 # E writes here

# wrote NAME WHAT: the status row says ./NAME was written, and it is well-formed SVG.
wrote() {
    expect "$2: the status row says where" "wrote \./$(echo "$1" | sed 's/\./\\./g')"
    if xmllint --noout "$1" 2>/dev/null && grep -q '<svg' "$1"; then pass; else fail "$2: $1 missing or not well-formed"; fi
}

start 80 24 "$DEMUX" "$T"
expect "the first screen" "telnet-handshake\.pcap \| 5 packets"
keys w E
wrote demux-telnet-handshake-words-1.svg "words"
keys E
wrote demux-telnet-handshake-words-1-1.svg "E again: a new name, the first file kept"
keys d E
wrote demux-telnet-handshake-path-1.svg "path"
keys l E
wrote demux-telnet-handshake-ladder-1.svg "ladder"
keys s E
wrote demux-telnet-handshake-sockets-1.svg "sockets"
keys t E
wrote demux-telnet-handshake-tree-1.svg "tree"
keys b E
expect "bytes: no figure, said" "the bytes view has no figure"
keys f E
expect "stream: no figure, said" "the stream view has no figure"
n=$(ls | wc -l)
[ "$n" -eq 6 ] && pass || fail "E wrote $n files, wanted 6: $(ls | tr '\n' ' ')"
grep -q 'conversation' demux-telnet-handshake-ladder-1.svg && pass || fail "the ladder names no conversation"
keys q
expect "q quits" "exited 0"

start 60 20 "$DEMUX" "$T"
expect "60x20: the first screen" "5 packets"
keys j j w E
wrote demux-telnet-handshake-words-3.svg "60x20: words of packet 3"
keys q
finish
