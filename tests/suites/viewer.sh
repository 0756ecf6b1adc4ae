#!/bin/sh
# The ncurses viewer, driven in a real terminal: tmux at 80x24 (and 160x48),
# keys sent with send-keys, the screen read back with capture-pane. Each
# check waits (up to a few seconds) for what it expects, never a fixed
# sleep. Also its errors before the screen is taken, and, under the sanitizers, that
# the viewer leaves no report.
. tests/lib.sh
T=traces/telnet-handshake.pcap

. tests/tmux.sh

# ---- Before the screen: errors are one line, with the CLI's exit codes -------------------
# before CODE PATTERN DESCRIPTION -- COMMAND...: exits CODE, one stderr line matching PATTERN
before() {
    want=$1 pattern=$2 what=$3
    shift 4
    "$@" >"$TMP/out" 2>"$TMP/err" </dev/null
    got=$?
    if [ "$got" -eq "$want" ] && [ "$(wc -l <"$TMP/err")" -eq 1 ] && grep -q -- "$pattern" "$TMP/err"; then
        ok_line "$what"
    else
        fail "$what: exit $got, wanted $want"
        sed 's/^/    | /' "$TMP/err" | head -3
    fi
}
before 2 "the viewer needs a terminal; for text, use 'demux decode" \
    "view with no terminal: one line, exit 2" -- "$DEMUX" view $T
before 2 "the viewer needs a terminal" "demux FILE is demux view FILE" -- "$DEMUX" $T
before 1 "cannot open .*nope.pcap" "view of a missing file: exit 1" -- "$DEMUX" view "$TMP/nope.pcap"
before 2 "bad filter 'tcp port'" "view with a bad filter: exit 2" -- "$DEMUX" view $T "tcp port"
before 2 "unknown theme 'neon' (themes: default, projector, colorblind, mono)" "an unknown theme: exit 2" \
    -- "$DEMUX" view --theme neon $T

# ---- The first screen, and moving through the list ------------------------------------------
start 80 24 "$DEMUX" $T
expect "first screen: the packet list" "No\. +Time +Source +Destination +Proto +Summary" \
    "^[ >] *1 +0\.000000 172\.16\.12\.2\.3044 192\.168\.16\.2\.23 +TCP +TCP 3044 > 23 \[SYN\]"
expect "status line: file, count, filter, help key" \
    "telnet-handshake\.pcap \| 5 packets \| filter: none .*\? help"
expect "the path of packet 1: protocol 6 and port 23 up to telnet" "packet 1: tcp 172\.16\.12\.2\.3044 > 192\.168\.16\.2\.23" \
    "\^ +protocol 6 \(word 3\), read from ipv4\.protocol" "\^ +port 23 \(word 1\), read from tcp\.dst_port" "\[ +telnet +\]"
keys j j
expect "j moves the selection down" "packet 3: tcp"
keys k
expect "k moves it up" "packet 2: tcp 192\.168\.16\.2\.23 > 172\.16\.12\.2\.3044"
keys m
expect "m flips the path to the sender's view" "sender's view \(multiplexing\)" "v +writes port 23"
keys m Home

# ---- Header words and bytes ---------------------------------------------------------------------
keys w ]
expect "words: IPv4 as 32-bit words with their numbers" "IPv4 \(RFC 791\), layer 2 of 3" \
    "word 0 1 2 3 4 5 6 7 8 9 0 1" "^[ >] *3 \| +ttl 64 +\| +\*protocol 6 +\|" "\*protocol 6 \(tcp\)"
keys Tab Down Down Right
expect "words: word 3 holds the protocol field, a demux key" "protocol = 6 \(tcp\) +word 3, bits 8-15" \
    "which protocol above IP gets the data" "\* demux key: it chose TCP"
keys Enter
expect "Enter: the field's bytes, each layer listed with its range" "A Ethernet II 0-13 +>B IPv4 14-33 +C TCP 34-73" \
    "B ipv4\.protocol: byte 23" "^ 0000 A02 00 00 00 00 02 02 00 +00 00 00 01 08 00B45 00"
keys Escape Escape
expect "Esc goes back: bytes, words, path" "^ path \| packet 1"

# ---- Socket pairs, tree, ladder, stream, help ------------------------------------------------------
keys s
expect "s: socket pairs, 3044 against 23, under their server socket" \
    "^ tcp server 192\.168\.16\.2\.23 +telnet: 1 client socket" "^> +1 172\.16\.12\.2\.3044 +established" \
    "1 conversation;"
keys t
expect "t: the multiplexing tree with counts" "\[-\] protocol 6 -> TCP +5 pkts" "\[-\] port 23 \(telnet\)" \
    "conversation 1: tcp 172\.16\.12\.2\.3044"
keys Tab l
expect "l: the ladder labels the three handshake steps" \
    "1 +0\.000000 +\|--SYN seq 0 len 0-+>\| handshake 1: SYN" \
    "2 +0\.000200 +\|<-SYN, ACK seq 0 ack 1 len 0-+\| handshake 2: SYN-ACK" \
    "3 +0\.000400 +\|--ACK seq 1 ack 1 len 0-+>\| handshake 3: ACK"
keys End f
expect "f: the stream's application data, by direction, telnet commands by name" \
    "C = client 172\.16\.12\.2\.3044, S = server" "^[ >] *4 S>C \[DO TERMINAL-TYPE\] \[DO NAWS\]"
keys '?'
expect "?: help lists every key, from the key tables" "^   q +quit" "^   / +display filter"
keys NPage
expect "the help scrolls to each view's keys" "In the packet list"
keys NPage
expect "... and further" "In the header words \(w\)"
keys x
expect "any key closes the help" "No\. +Time"

# ---- Filters and go-to ----------------------------------------------------------------------------
keys /
text "tcp port"
keys Enter
expect "a bad filter: libpcap's error, the list kept" "bad filter: .*syntax error" "^[ >] *5 +0\.003800 "
keys C-u
text "tcp[13] & 2 != 0"
keys Enter
expect "/ with a good filter: only SYN and SYN-ACK shown" "2 packets match 'tcp\[13\] & 2 != 0'" \
    "^[ >] *2 +0\.000200 "
screen
lacks "the filter hides the other packets" "^[ >] *3 +0\.000400"
keys /
keys C-u Enter
expect "an empty filter shows all again" "no filter: every packet shown" "^[ >] *5 +0\.003800 "
keys g
text "4"
keys Enter
expect "g: go to packet 4" "packet 4: tcp 192\.168\.16\.2\.23 > 172\.16\.12\.2\.3044"
keys g
text "99"
keys Enter
expect "g: a packet that is not there is said so" "there is no packet 99"

# ---- Resizing --------------------------------------------------------------------------------------
tm resize-window -x 50 -y 15
expect "50x15: one pane at a time, compact tabs" "^ demux  d +w +b" "^[ >] *1 TCP +TCP 3044 > 23 \[SYN\]" \
    "telnet-handshake\.pcap \| 5 packets"
screen
[ "$(sed 's/\xe2\x80\xa6/./g' "$TMP/screen" | awk 'length > 50' | wc -l)" -eq 0 ] && [ "$(wc -l <"$TMP/screen")" -eq 15 ] &&
    ok_line "50x15: nothing drawn past the edges" || bad_line "50x15: lines past the edges"
tm resize-window -x 60 -y 20
expect "60x20: the list and the view again" "No\. +Source +Destination" "^ stream \| packet 4"
tm resize-window -x 80 -y 24
expect "back at 80x24: a whole screen" "No\. +Time +Source" "^ stream \| packet 4" "5 packets .*\? help"
screen
[ "$(sed -n 24p "$TMP/screen" | grep -c 'telnet-handshake.pcap')" -eq 1 ] &&
    ok_line "80x24: the status line on the last row" || bad_line "80x24: the status line moved"
# Mouse, as xterm reports it (ESC [ M, then the button, the column and the
# row, each plus 32, 1-based; button 3 is the release): a click on the
# list's fourth row (packet 3), then on the "b bytes" tab (column 29).
text "$(printf '\033[M +%%\033[M#+%%')"
expect "mouse: a click selects a row" "^ [a-z]+ \| packet 3: tcp"
text "$(printf '\033[M =!\033[M#=!')"
expect "mouse: a click on a tab shows its view" "^ bytes \| packet 3"
keys q
expect "q quits and gives the terminal back" "^exited 0$"

# ---- Other traces and sizes -------------------------------------------------------------------------
start 160 48 "$DEMUX" view traces/telnet-session.pcap
expect "160x48: telnet-session's first path in one row of boxes" \
    "packet 1: tcp 172\.16\.12\.2\.3382 > 192\.168\.16\.2\.23" \
    "\| Ethernet II \|--ethertype 0x0800 \(word 4\)-->\| IPv4 \|--protocol 6 \(word 3\)-->\| TCP \|--port 23 \(word 1\)-->\| telnet \|"
keys g
text "5"
keys Enter w ] ] ]
expect "telnet read over the stream: packet 5 ends the command packet 4 began" \
    "telnet \(RFC 854\), layer 4 of 4" "\| +251 \(WILL\) +\| +3 \(SUPPRESS-GO-AHEAD\) +\|" \
    "note: began in packet 4"
expect "the list's summaries carry the telnet commands" "^[ >] *5 .*len 2; telnet WILL SUPPRESS-GO-AHEAD"
keys Home w [
expect "160x48: IPv4's words, name and value on their own rows, borders between" "^ +\+---\+---\+" \
    "^[ >] *3 \| +ttl +\| +\*protocol +\| +checksum +\|" "^ +\| +64 +\| +\*6 \(tcp\) +\| +0x[0-9a-f]{4} \(correct\) +\|"
keys q
expect "quit from 160x48" "^exited 0$"

start 80 24 "$DEMUX" traces/telnet-two-users.pcap
keys s
expect "socket pairs of two users: two client ports, one server socket" \
    "tcp server 192\.168\.16\.2\.23 +telnet: 2 client sockets" "1 172\.16\.12\.2\.3382 " "2 172\.16\.12\.2\.3097 "
keys Down Enter
expect "Enter on a socket pair: only that conversation in the list" "only conversation 2 shown" \
    "^[ >] *2 +0\.000200 172\.16\.12\.2\.3097" "^[ >] *14 +0\.410600 172\.16\.12\.2\.3097"
keys j
expect "the status line counts what the list shows" "12 shown \| filter: none \+ conv 2"
keys c Home n
expect "n: the next packet of the same conversation" "packet 3: tcp 192\.168\.16\.2\.23 > 172\.16\.12\.2\.3382"
keys p
expect "p: the previous one" "packet 1: tcp 172\.16\.12\.2\.3382"
keys q
expect "quit" "^exited 0$"

# --packet N: the viewer opens with packet N selected (packet numbers are
# the file's); one that is not there is said on the status line.
start 80 24 "$DEMUX" traces/telnet-session.pcap --packet 19
expect "demux FILE --packet 19 opens with packet 19 selected" \
    "^ path \| packet 19: tcp 172\.16\.12\.2\.3382 > 192\.168\.16\.2\.23" "^[ >] *19 +0\.912600 172\.16\.12\.2\.3382"
keys j
expect "the selection moves on from packet 19" "^ path \| packet 20: tcp"
keys q
expect "quit" "^exited 0$"
start 80 24 "$DEMUX" view traces/telnet-session.pcap --packet 500
expect "view FILE --packet past the end: said on the status line" "there is no packet 500 \(57 loaded\)" \
    "^ path \| packet 1: tcp"
keys q
expect "quit" "^exited 0$"

# Fragments given up are said once the trace is read, until the next key;
# a trace whose datagrams all completed says nothing of them.
start 80 24 "$DEMUX" traces/fragments.pcap
expect "fragments.pcap: the datagrams that never completed on the status row" \
    "^ 3 fragmented datagrams never completed \(5 fragments given up\) +\? help$"
keys j
expect "the next key puts the status line back" "fragments\.pcap \| 18 packets \| filter: none"
# The trace is read, so the first fragment points to the packet that
# completed its datagram (the word grid explains the IPv4 layer).
start 160 48 "$DEMUX" traces/fragments.pcap
keys w
keys ]
expect "a first fragment says where its datagram was reassembled" \
    "on this IPv4 layer: fragment 1 of datagram id 0x1001" "reassembled later, in packet 3$"
start 80 24 "$DEMUX" traces/real-fragments.pcap
expect "real-fragments.pcap: loaded" "real-fragments\.pcap \| [0-9]+ packets \| filter: none"
screen
lacks "real-fragments.pcap: every datagram completed, nothing said" "never completed"

start 80 24 "$DEMUX" traces/same-port-tcp-udp.pcap
expect "same-port-tcp-udp: TCP and UDP on port 514" "^[ >] *1 +0\.000000 .* TCP +TCP 1022 > 514" "^[ >] *4 .* syslog +UDP "
keys /
text "udp"
keys Enter
expect "/udp: only the UDP packets" "packets match 'udp'" "^[ >] *4 +0\.000600 .* syslog +UDP 41002 > 514" \
    "^[ >] *15 .* DNS +DNS query"
screen
lacks "/udp: no TCP packet left" "^[ >] *[0-9]+ +[0-9.]+ .*(TCP +TCP|\[SYN|\[ACK)"
keys q
start 80 24 "$DEMUX" traces/same-port-tcp-udp.pcap udp
expect "a load filter on the command line: udp only, times from its first packet" \
    "^[ >] *4 +0\.000000 .* syslog"
screen
lacks "the load filter skips every TCP packet" "^[ >] *[0-9]+ +[0-9.]+ .*(TCP +TCP|\[SYN|\[ACK)"
keys q

# ---- Themes and colour ------------------------------------------------------------------------------
start 80 24 NO_COLOR=1 "$DEMUX" $T
expect "NO_COLOR: starts, monochrome" "telnet-handshake\.pcap \| 5 packets"
keys q
expect "NO_COLOR: quits" "^exited 0$"
start 80 24 "$DEMUX" --theme projector $T
expect "--theme projector: starts" "telnet-handshake\.pcap \| 5 packets"
keys q
expect "--theme projector: quits" "^exited 0$"

# ---- Terminal safety: a payload of escape sequences stays text --------------------------------------
/usr/bin/python3 - "$TMP/esc.pcap" <<'EOF'
import struct, sys
def csum(b):
    s = sum(struct.unpack('!%dH' % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff
# A telnet server's segment that would retitle the terminal, clear it and
# turn it red: OSC 0 and 2, ED, SGR, and a one-byte CSI (0x9b).
data = b'\x1b]0;PWNED\x07\x1b]2;PWNED\x07\x1b[2J\x1b[31mred\x9b31m\r\n'
tcp = struct.pack('!HHIIBBHHH', 23, 40000, 1, 1, 5 << 4, 0x18, 1000, 0, 0)
ip = struct.pack('!BBHHHBBH4s4s', 0x45, 0, 40 + len(data), 1, 0, 64, 6, 0,
                 bytes([10, 0, 0, 1]), bytes([10, 0, 0, 2]))
ip = ip[:10] + struct.pack('!H', csum(ip)) + ip[12:]
frame = bytes.fromhex('020000000002020000000001') + b'\x08\x00' + ip + tcp + data
with open(sys.argv[1], 'wb') as f:
    f.write(struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
    f.write(struct.pack('<IIII', 1772442000, 0, len(frame), len(frame)) + frame)
EOF
start 80 24 "$DEMUX" "$TMP/esc.pcap"
keys f
expect "escape sequences in a payload are shown escaped" '\\x1b\]0;PWNED\\x07\\x1b\]2;PWNED' '\\x1b\[2J\\x1b\[31mred\\x9b31m'
keys b
expect "the bytes view too" "^ 0030 .*[A-Z]1b 5d +30 3b"
[ "$(tm display -p '#{pane_title}')" != PWNED ] && ok_line "the terminal title is unchanged" ||
    bad_line "the payload retitled the terminal"
screen
grep -Eq "No\. +Time" "$TMP/screen" && ok_line "the screen was not cleared" ||
    bad_line "the screen was cleared"
keys q
expect "quit" "^exited 0$"

# ---- Signals, and a trace that loads while it is shown -----------------------------------------------
start 80 24 "$DEMUX" $T
shows "5 packets" >/dev/null
keys C-c
expect "Ctrl-C ends the viewer with 130 and restores the terminal" "^exited 130$"

"$TRACEGEN" --bench 50000 "$TMP/bench.pcap" >/dev/null
start 80 24 "$DEMUX" "$TMP/bench.pcap"
# (IPv6 sockets are whole at 80 columns: the time column gives way.)
expect "a 50,000-packet trace: first rows, then every packet" "^[ >] *1 .*TCP 1024 > 23 \[SYN\]" \
    "50,000 packets \| filter"
keys End
expect "End: the last packet" "^[ >]*50000 "
keys /
text "udp"
keys Enter
expect "a display filter over the whole trace" "packets match 'udp'"
keys q
expect "quit after loading" "^exited 0$"

# ---- Several IPv4 layers: a tunnel and an ICMP error, at 80x24 ----------------------------------------
# Every layer has a box in the path (the Ethernet frame VXLAN carries, which
# no key chooses), each is selected with ] and drawn in the word grid and
# lettered in the bytes, the inner IPv4 apart from the outer one.
start 80 24 "$DEMUX" traces/real-vxlan.pcap
shows "90 packets" >/dev/null
keys g
text 5
keys Enter z
expect "VXLAN path: the inner Ethernet has a box, the ethertype table read again" \
    "^ +\[ +IPv4 #2 +\] +bytes 64-83" "ethertype 0x0800 \(word 4\), read from ethernet\.ethertype: the" \
    "^ +\[ Ethernet II #2 \] +bytes 50-63" "no key read \(no protocol field: VXLAN always carries" \
    "^ +\[ +VXLAN +\] +bytes 42-49"
keys ] ] ] ] ] w
expect "] steps to the inner IPv4: the word grid draws it" \
    "IPv4 #2 \(RFC 791\), layer 6 of 7, packet bytes 64-83" "^[ >] *4 \| +src 10\.200\.42\.1 +\|"
keys b
expect "bytes: a letter a layer, the inner ones apart from the outer" \
    "B IPv4 14-33" "D VXLAN 42-49" "E Ethernet II #2 50-63 +>F IPv4 #2 64-83 +G TCP 84-115" \
    "F ipv4\.version: byte 64" "^ 0030 D2a 00E02 00 " "^ 0040 F45 00 00 34 "
keys z
expect "z again: the list is back" "^[ >] *6 +0\.003131 "
keys Tab j
expect "the next packet keeps the inner IPv4 selected" "^ bytes \| packet 6" ">F IPv4 #2 64-83"
keys l
expect "the ladder's lengths are the inner segment's, not the outer UDP's" \
    "^[ >] *3 +0\.000100 +\|--SYN seq 0 len 0-" "^[ >] *6 +0\.003131 +\|--PSH, ACK seq 1 ack 1 len 30-"
keys q
start 80 24 "$DEMUX" traces/real-icmp-errors.pcap
expect "an ICMP error is listed as ICMP, not as the UDP it quotes" "^[ >] *2 .* ICMP +ICMP port"
keys g
text 2
keys Enter z
expect "ICMP error path: each quoted layer has a box, marked quoted" \
    "^ +\[ quoted Payload \]" "^ +\[ +quoted UDP +\]" "^ +\[ quoted IPv4 #2 \] +bytes 42-61" \
    "quoted by the error, chosen by no key here: IPv4 -> protocol 17" "^ +\[ +ICMP +\] +bytes 34-41"
keys ] ] ] w
expect "the quoted IPv4 in the word grid" "quoted IPv4 #2 \(RFC 791\), layer 4 of 6" \
    "^[ >] *5 \| +dst 10\.200\.3\.1 +\|"
keys b
expect "bytes: the quoted layers lettered" ">D quoted IPv4 #2 42-61" "E quoted UDP 62-69"
keys q
expect "quit" "^exited 0$"

# ---- A path taller than its pane ---------------------------------------------------------------------
# The marks that more is below or above stand on rows of their own, never
# on a line of the path (at 60x20 the PgDn mark once covered "0x0800"
# after its first digit).
start 60 20 "$DEMUX" traces/telnet-two-users.pcap
shows "24 packets" >/dev/null
keys j j
expect "60x20 path: more below, said on a row of its own" "^ +PgDn: more *$"
keys Tab NPage
expect "60x20 path paged: more above, on a row of its own" "^ +PgUp: above *$" \
    "ethertype table: 0x0800 ->$"
keys q

# ---- Sanitizers: nothing reported by any run above ---------------------------------------------------
if ls "$TMP"/asan* "$TMP"/ubsan* >/dev/null 2>&1; then
    fail "sanitizer reports from the viewer:"
    cat "$TMP"/asan* "$TMP"/ubsan* | head -40
else
    ok_line "no sanitizer report from any viewer run"
fi

finish
