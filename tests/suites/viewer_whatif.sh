#!/bin/sh
# What if, in the viewer (tmux at 80x24, 60x20 and 160x48): e on the
# selected field of the words view sets it, the packet is decoded again at
# once (the path now says UDP), the edited packet is marked in words in
# the list and the title, a value too wide is refused where it was typed,
# u undoes, W writes NAME-edited.pcap in the current directory and never
# touches the original.
. tests/lib.sh
. tests/tmux.sh
here=$PWD
case "$DEMUX" in /*) ;; *) DEMUX="$here/$DEMUX" ;; esac
T="$here/traces/telnet-handshake.pcap"
cp "$T" "$TMP/before.pcap"
cd "$TMP" || exit 1 # W writes here

# to_protocol: the words view on packet 1's IPv4 header, its protocol field selected
to_protocol() {
    keys w ]
    expect "words: IPv4" "IPv4 \(RFC 791\), layer 2 of"
    keys Right Right Right Right Right Right Right Right
    expect "the protocol field selected" "protocol = 6 \(tcp\)"
}

for size in "80 24" "60 20" "160 48"; do
    # shellcheck disable=SC2086
    start $size "$DEMUX" "$T"
    expect "$size: the first screen" "telnet-handshake\.pcap \| 5 packets"
    to_protocol
    keys e
    expect "$size: e opens the prompt on the status row" "set ipv4\.protocol \(now 6 \(tcp\)"
    text "256"
    keys Enter
    expect "$size: a value too wide is refused, the prompt stays" \
        "256 does not fit ipv4\.protocol: its 8 bits" "set ipv4\.protocol"
    keys C-u
    text "17"
    keys Enter
    expect "$size: the packet is decoded again: protocol 17 (udp)" "protocol = 17 \(udp\)"
    expect "$size: the status row says where it now goes" "now IPv4 -> protocol 17 -> UDP"
    expect "$size: the list and the title mark the packet in words" "\[edited\]" \
        "packet 1 \(edited\)"
    keys d
    expect "$size: the path view: protocol 17 to UDP" "protocol 17 \(word 3\)" \
        "(\[ +UDP +\]|\| UDP \|)"
    screen
    lacks "$size: telnet no longer claims packet 1" "(\[ +telnet +\]|\| telnet \|)"
    keys W
    expect "$size: W says where it saved" "saved \./telnet-handshake-edited\.pcap \(1 edit\)"
    keys u
    expect "$size: u undoes the edit" "packet 1: last edit undone" "(\[ +telnet +\]|\| telnet \|)"
    screen
    lacks "$size: no mark once undone" "\[edited\]|\(edited\)"
    keys u
    expect "$size: nothing more to undo" "packet 1 is as captured: nothing to undo"
    keys q
    expect "$size: quits cleanly" "exited 0"
done

# The file W wrote: the new value with a good checksum, the rest the same bytes.
if [ -f telnet-handshake-edited.pcap ] && command -v tshark >/dev/null; then
    got=$(tshark -n -r telnet-handshake-edited.pcap -o ip.check_checksum:TRUE -T fields \
        -e ip.proto -e ip.checksum.status 2>/dev/null | tr '\t\n' ' ')
    [ "$got" = "17 1 6 1 6 1 6 1 6 1 " ] && pass || fail "the saved file reads '$got'"
    tshark -n -r telnet-handshake-edited.pcap -o frame.generate_md5_hash:TRUE -T fields -e frame.md5_hash 2>/dev/null | tail -n +2 >a
    tshark -n -r "$T" -o frame.generate_md5_hash:TRUE -T fields -e frame.md5_hash 2>/dev/null | tail -n +2 >b
    cmp -s a b && pass || fail "W changed packets that were not edited"
elif [ ! -f telnet-handshake-edited.pcap ]; then
    fail "W wrote no telnet-handshake-edited.pcap"
fi
cmp -s "$T" before.pcap && pass || fail "the original trace was changed"
[ -z "$(ls "$TMP" | grep -e asan -e ubsan)" ] && pass || fail "sanitizer reports: $(cat "$TMP"/asan* "$TMP"/ubsan* 2>/dev/null | head -5)"
finish
