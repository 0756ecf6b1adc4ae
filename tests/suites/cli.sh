#!/bin/sh
# The command line: help, version, exit codes, and one clear line for each
# kind of bad input.
. tests/lib.sh
T=traces/telnet-handshake.pcap

expect_exit 0 "--help" -- "$DEMUX" --help
grep -q "usage: demux" "$TMP/out" && pass || fail "--help prints the usage"
expect_exit 0 "--version" -- "$DEMUX" --version
grep -q "^demux [0-9]" "$TMP/out" && pass || fail "--version prints the version"

expect_exit 2 "no arguments" -- "$DEMUX"
expect_err "no command given" "no arguments"
expect_exit 2 "unknown command" -- "$DEMUX" frobnicate $T
expect_err "unknown command 'frobnicate', and no file of that name" "unknown command"
expect_exit 2 "a mistyped command" -- "$DEMUX" decod $T
expect_err "unknown command 'decod'; did you mean 'decode'?" "a mistyped command suggests the nearest"
expect_exit 2 "a command cut short" -- "$DEMUX" exp $T
expect_err "unknown command 'exp'; did you mean 'export'?" "a command cut short suggests it"
expect_exit 2 "a directory named like a command" -- "$DEMUX" lessons
expect_err "unknown command 'lessons'; did you mean 'lesson'?" "demux lessons, beside lessons/"

# demux FILE with a missing file says it cannot be opened, as demux view
# FILE does, and exits 1: a plain name, one with a slash, one from
# another directory. A word with a '.' or a '/' is taken for a file.
abs_demux=$(cd "$(dirname "$DEMUX")" && pwd)/$(basename "$DEMUX")
expect_exit 1 "demux FILE, FILE missing" -- sh -c "cd '$TMP' && '$abs_demux' missing.pcap"
expect_err "^demux: cannot open missing.pcap: No such file or directory$" "demux FILE, FILE missing"
expect_exit 1 "demux view FILE, FILE missing" -- sh -c "cd '$TMP' && '$abs_demux' view missing.pcap"
expect_err "^demux: cannot open missing.pcap: No such file or directory$" "demux view FILE says the same"
expect_exit 1 "demux dir/FILE, FILE missing" -- "$DEMUX" traces/missing.pcap
expect_err "^demux: cannot open traces/missing.pcap: No such file or directory$" "demux dir/FILE, FILE missing"
expect_exit 1 "demux /abs/FILE, dir missing" -- "$DEMUX" "$TMP/x/missing.pcap"
expect_err "^demux: cannot open $TMP/x/missing.pcap: No such file or directory$" "demux /abs/FILE, dir missing"
expect_exit 1 "demux ../FILE from a subdirectory" -- sh -c "cd traces && '$abs_demux' ../traces/x.pcap"
expect_err "^demux: cannot open ../traces/x.pcap: No such file or directory$" "demux ../FILE from a subdirectory"
expect_exit 1 "demux DIR" -- "$DEMUX" traces
expect_err "traces is a directory" "demux DIR says it is a directory"
expect_exit 2 "unknown option" -- "$DEMUX" decode --frob $T
expect_err "unknown option '--frob'" "unknown option"
expect_exit 2 "no file" -- "$DEMUX" decode
expect_err "no capture file given" "no file"
expect_exit 2 "-o with decode" -- "$DEMUX" decode -o x.json $T
expect_err "-o goes with export" "-o with decode"

expect_exit 1 "missing file" -- "$DEMUX" decode "$TMP/nope.pcap"
expect_err "cannot open .*nope.pcap: No such file or directory" "missing file"
expect_exit 1 "a directory" -- "$DEMUX" decode traces
expect_err "traces is a directory" "a directory"
printf 'this is not a capture, just text\n' >"$TMP/text.pcap"
expect_exit 1 "not a capture" -- "$DEMUX" decode "$TMP/text.pcap"
expect_err "is not a pcap or pcapng capture" "not a capture"

# A pcap header (little-endian, v2.4, snaplen 65535) for link type 105 (802.11).
printf '\324\303\262\241\002\000\004\000\000\000\000\000\000\000\000\000\377\377\000\000\151\000\000\000' >"$TMP/user0.pcap"
expect_exit 1 "unsupported link type" -- "$DEMUX" decode "$TMP/user0.pcap"
expect_err "unsupported link type DLT 105 (IEEE802_11); demux reads EN10MB" "unsupported link type"

expect_exit 2 "bad filter" -- "$DEMUX" decode $T "tcp port"
expect_err "bad filter 'tcp port': " "bad filter"
expect_exit 2 "bad filter on export" -- "$DEMUX" export $T "nonsense here"
expect_err "bad filter 'nonsense here'" "bad filter on export"

expect_exit 1 "missing services file" -- "$DEMUX" decode --services "$TMP/none" $T
expect_err "cannot read .*none" "missing services file"

# Names from files in the /etc formats, cited with file and line.
printf '# a teacher'"'"'s own table\nremote-terminal\t23/tcp\tterm # renamed for class\n' >"$TMP/services"
printf 'tcp\t6\tTCP\nweird 300\n' >"$TMP/protocols"
"$DEMUX" decode --services "$TMP/services" --protocols "$TMP/protocols" $T >"$TMP/named" \
    && grep -q "services: remote-terminal 23/tcp ($TMP/services line 2)" "$TMP/named" \
    && grep -q "protocols: tcp 6 ($TMP/protocols line 1)" "$TMP/named" \
    && grep -q "dst_port 23 (remote-terminal, well-known)" "$TMP/named" \
    && pass || fail "--services and --protocols name and cite from the files"
printf '# nothing here\n' >"$TMP/empty"
expect_exit 1 "a services file without entries" -- "$DEMUX" decode --services "$TMP/empty" $T
expect_err "no service entries found in" "a services file without entries"

# Standard input, and options after the file.
"$DEMUX" decode $T >"$TMP/a" && "$DEMUX" decode - <$T >"$TMP/b" && cmp -s "$TMP/a" "$TMP/b" \
    && pass || fail "decode - reads standard input"
"$DEMUX" export $T -o "$TMP/x.json" tcp && [ ! -s "$TMP/out.err" ] && pass || fail "options after the file"

# pcapng reads the same as pcap (editcap comes with tshark).
if command -v editcap >/dev/null; then
    editcap -F pcapng $T "$TMP/t.pcapng" && "$DEMUX" decode "$TMP/t.pcapng" >"$TMP/c" \
        && cmp -s "$TMP/a" "$TMP/c" && pass || fail "pcapng decodes like pcap"
fi

# export -o: a complete file appears; nothing is left beside it.
"$DEMUX" export $T -o "$TMP/out.json" && /usr/bin/python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$TMP/out.json" \
    && pass || fail "export -o writes valid JSON"
[ "$(ls "$TMP" | grep -c demux-)" -eq 0 ] && pass || fail "export leaves no temporary file"
stat -c %a "$TMP/out.json" | grep -q 6 && pass || fail "export -o gives the file normal permissions"
# A failed export leaves an existing file alone.
echo previous >"$TMP/keep.json"
expect_exit 1 "export of a missing file" -- "$DEMUX" export "$TMP/nope.pcap" -o "$TMP/keep.json"
[ "$(cat "$TMP/keep.json")" = previous ] && pass || fail "a failed export keeps the old file"
expect_exit 1 "export into a missing directory" -- "$DEMUX" export $T -o "$TMP/no/such/dir.json"
expect_err "cannot create" "export into a missing directory"

# Interrupted in the middle of an export: the old file stays, exit 130.
# The FIFO delivers a few packets, then stalls until the signal comes.
echo previous >"$TMP/int.json"
mkfifo "$TMP/fifo"
(cat $T; sleep 3) >"$TMP/fifo" &
feeder=$!
"$DEMUX" export "$TMP/fifo" -o "$TMP/int.json" 2>"$TMP/int.err" &
exporter=$!
sleep 1
kill -INT $exporter
wait $exporter
status=$?
kill $feeder 2>/dev/null
wait $feeder 2>/dev/null
[ "$status" -eq 130 ] && pass || fail "SIGINT during export exits 130 (got $status)"
[ "$(cat "$TMP/int.json")" = previous ] && pass || fail "SIGINT during export keeps the old file"
grep -q "interrupted; the output file was not changed" "$TMP/int.err" && pass || fail "SIGINT says what happened"
[ "$(ls "$TMP" | grep -c demux-)" -eq 0 ] && pass || fail "SIGINT leaves no temporary file"

# Writing to a full device is an error, not silence.
if [ -w /dev/full ]; then
    expect_exit 1 "decode to a full disk" -- sh -c "\"$DEMUX\" decode $T >/dev/full"
    expect_err "cannot write the output: No space left on device" "decode to a full disk"
    expect_exit 1 "export -o /dev/full" -- "$DEMUX" export $T -o /dev/full
    expect_err "No space left on device" "export -o /dev/full"
fi

# A capture cut off in the middle of a record: everything before it is
# decoded, then one line says where reading stopped, and the exit is 1.
head -c 300 traces/telnet-session.pcap >"$TMP/cut.pcap"
expect_exit 1 "capture cut mid-record" -- "$DEMUX" decode "$TMP/cut.pcap"
expect_err "reading stopped after frame" "capture cut mid-record"
grep -q "^packet 1 " "$TMP/out" && pass || fail "packets before the cut are decoded"

# The tables command shows the dispatch tables as the decoder uses them.
"$DEMUX" tables >"$TMP/tables" && grep -q "0x0800  -> ipv4" "$TMP/tables" \
    && grep -q "^ip.proto" "$TMP/tables" && pass || fail "demux tables"

# demux names shows the line a citation names: the decode of the telnet
# handshake cites telnet 23/tcp at a built-in line, and demux names prints
# that very line under that number.
line=$("$DEMUX" decode traces/telnet-handshake.pcap \
    | sed -n 's/.*services: telnet 23\/tcp (built-in line \([0-9]*\)).*/\1/p' | head -1)
expect_exit 0 "demux names" -- "$DEMUX" names
sed -n '/^services (built-in)/,$p' "$TMP/out" | grep -Eq "^ +$line  telnet +23/tcp" \
    && [ -n "$line" ] && pass || fail "demux names lists telnet 23/tcp at built-in line '$line', as decode cites it"
pline=$("$DEMUX" decode traces/telnet-handshake.pcap \
    | sed -n 's/.*protocols: tcp 6 (built-in line \([0-9]*\)).*/\1/p' | head -1)
sed -n '/^protocols (built-in)/,/^$/p' "$TMP/out" | grep -Eq "^ +$pline  tcp +6 " \
    && pass || fail "demux names lists tcp 6 at built-in line '$pline', as decode cites it"
"$DEMUX" --help | grep -q "^  names " && "$DEMUX" --help | grep -q "^  --packet LIST " \
    && pass || fail "demux --help lists names and --packet"
# With a file: its lines, numbered as the decode then cites them.
expect_exit 0 "demux names --services FILE" -- "$DEMUX" names --services "$TMP/services"
grep -q "^services ($TMP/services): " "$TMP/out" && grep -Eq "^ +2  remote-terminal	23/tcp" "$TMP/out" \
    && pass || fail "demux names --services FILE shows that file's lines (decode cites line 2)"
expect_exit 2 "demux names with a file" -- "$DEMUX" names $T
expect_err "names takes no file" "demux names with a file"
expect_exit 1 "demux names with a missing services file" -- "$DEMUX" names --services "$TMP/none"
expect_err "cannot read .*none" "demux names with a missing services file"

# --packet: decode and export show only the packets chosen, numbered as in
# the file, with conversations and relative sequence numbers of the whole
# trace; a number past the end is said after what exists (exit 1); a bad
# list is a usage error that shows the accepted form.
S=traces/telnet-session.pcap
"$DEMUX" decode $S >"$TMP/all.txt"
expect_exit 0 "decode --packet 19" -- "$DEMUX" decode $S --packet 19
[ "$(grep -c '^packet ' "$TMP/out")" -eq 1 ] && grep -q "^packet 19 " "$TMP/out" \
    && pass || fail "decode --packet 19 prints packet 19 alone"
want=$(awk '/^packet /{p=$2} p==19' "$TMP/all.txt" | grep -E "^  (conversation|tcp  )")
got=$(grep -E "^  (conversation|tcp  )" "$TMP/out")
[ -n "$want" ] && [ "$want" = "$got" ] && pass \
    || fail "decode --packet 19: conversation and relative numbers as in the whole trace ($got)"
"$DEMUX" decode $S --packet 3,7-9 | grep '^packet ' | cut -d' ' -f2 | tr '\n' ' ' >"$TMP/nums"
[ "$(cat "$TMP/nums")" = "3 7 8 9 " ] && pass || fail "decode --packet 3,7-9 (got $(cat "$TMP/nums"))"
"$DEMUX" decode $S --packet 9,2 | grep '^packet ' | cut -d' ' -f2 | tr '\n' ' ' >"$TMP/nums"
[ "$(cat "$TMP/nums")" = "2 9 " ] && pass || fail "decode --packet 9,2 prints in trace order"
"$DEMUX" decode --packet 55-100 $S | grep '^packet ' | cut -d' ' -f2 | tr '\n' ' ' >"$TMP/nums"
[ "$(cat "$TMP/nums")" = "55 56 57 " ] && pass || fail "a range running past the end stops there"
expect_exit 1 "decode --packet past the end" -- "$DEMUX" decode $S --packet 3,500
expect_err "^demux: packet 500 is past the end of the trace (57 packets)$" "decode --packet past the end"
grep -q "^packet 3 " "$TMP/out" && pass || fail "decode --packet past the end still prints the packets that exist"
expect_exit 0 "decode --packet with a filter" -- "$DEMUX" decode $S --packet 1-10 'tcp[13] & 8 != 0'
! grep -q "^packet [1-3] " "$TMP/out" && grep -q "^packet " "$TMP/out" \
    && pass || fail "--packet numbers stay the file's under a filter"
expect_exit 0 "a filter hiding the chosen packet" -- "$DEMUX" decode $S --packet 1 udp
expect_err "the filter 'udp' hides every packet --packet chose" "a filter hiding the chosen packet"
expect_exit 0 "export --packet 3,7-9" -- "$DEMUX" export $S --packet 3,7-9 -o "$TMP/some.json"
"$DEMUX" export $S -o "$TMP/every.json"
/usr/bin/python3 - "$TMP/some.json" "$TMP/every.json" <<'EOF' && pass || fail "export --packet: the packets chosen, honest counts, whole-trace conversations"
import json, sys
some, every = (json.load(open(f)) for f in sys.argv[1:])
assert [p["number"] for p in some["packets"]] == [3, 7, 8, 9], some["packets"]
src = some["source"]
assert src["packets"] == 4 and src["packet_list"] == "3,7-9", src
assert src["frames_read"] == every["source"]["frames_read"] == 57, src
assert "packet_list" not in every["source"]
assert some["conversations"] == every["conversations"]
full = {p["number"]: p for p in every["packets"]}
assert all(p == full[p["number"]] for p in some["packets"])
EOF
expect_exit 1 "export --packet past the end" -- "$DEMUX" export $S --packet 500
expect_err "^demux: packet 500 is past the end of the trace (57 packets)$" "export --packet past the end"
/usr/bin/python3 -c 'import json,sys; s=json.load(open(sys.argv[1]))["source"]; assert s["packets"] == 0 and "past the end" in s["error"]' "$TMP/out" \
    && pass || fail "export --packet past the end: a complete document whose source.error says so"
for list in 0 9-3 x 3, 1-2-3 ''; do
    expect_exit 2 "--packet '$list'" -- "$DEMUX" decode $S --packet "$list"
    expect_err "^demux: --packet takes packet numbers from 1: N, a range A-B with A <= B, or a list of them such as 3,7-9" "--packet '$list'"
done
expect_exit 2 "--packet with sockets" -- "$DEMUX" sockets $S --packet 3
expect_err "--packet goes with decode, export, figure and view" "--packet with sockets"
expect_exit 2 "--packet list in the viewer" -- "$DEMUX" view $S --packet 3-4
expect_err "--packet in the viewer takes one packet number" "--packet list in the viewer"

# --decode-as, as Wireshark's Decode As: one SYN to port 2323, made here,
# is read as telnet only when the command line says so.
/usr/bin/python3 - "$TMP/p2323.pcap" <<'EOF'
import struct, sys
eth = bytes.fromhex("020000000002" "020000000001" "0800")
ip = bytes.fromhex("45000028" "12344000" "40060000" "0a000001" "0a000002")
tcp = struct.pack("!HHIIBBHHH", 40000, 2323, 1, 0, 0x50, 0x02, 64240, 0, 0)
frame = eth + ip + tcp
with open(sys.argv[1], "wb") as f:
    f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
    f.write(struct.pack("<IIII", 0, 0, len(frame), len(frame)) + frame)
EOF
P=$TMP/p2323.pcap
"$DEMUX" decode $P >"$TMP/plain" && ! grep -q -- "-> telnet" "$TMP/plain" \
    && pass || fail "port 2323 is not telnet without --decode-as"
"$DEMUX" decode --decode-as udp.port=53:rpc --decode-as tcp.port=2323:telnet $P >"$TMP/as" \
    && grep -q -- "-> telnet: destination port of a SYN; decode-as tcp.port=2323:telnet (command line)" "$TMP/as" \
    && pass || fail "--decode-as tcp.port=2323:telnet reads port 2323 as telnet"
"$DEMUX" sockets $P --decode-as tcp.port=2323:telnet >/dev/null && pass || fail "--decode-as after the file"
expect_exit 2 "--decode-as with a bad key" -- "$DEMUX" decode --decode-as tcp.port=99999:telnet $P
expect_err "decode-as 'tcp.port=99999:telnet': key '99999' is not a number from 0 to 65535" "--decode-as with a bad key"
expect_exit 2 "--decode-as with an unknown table" -- "$DEMUX" decode --decode-as sctp.port=1:telnet $P
expect_err "unknown table 'sctp.port'; tables: ethertype, null.family, ip.proto, tcp.port, udp.port" "--decode-as with an unknown table"
expect_exit 2 "--decode-as with an unknown layer" -- "$DEMUX" export --decode-as tcp.port=2323:telnett $P
expect_err "unknown layer 'telnett'; layers: " "--decode-as with an unknown layer"
expect_exit 2 "--decode-as without a layer" -- "$DEMUX" decode --decode-as tcp.port=2323 $P
expect_err "expected TABLE=KEY:LAYER" "--decode-as without a layer"

# The server's port chooses the application, and the hop says which rule
# told the server (issue 14). packet_of N FILE [FILTER]: packet N of
# `demux decode` (a note the same for every packet is shown only the first
# time, so a filter can make packet N the first).
packet_of() {
    "$DEMUX" decode "$2" ${3:+"$3"} | awk -v n="$1" '/^packet /{p = ($2 == n)} p'
}
packet_of 15 traces/firewall.pcap 'host 203.0.113.66' >"$TMP/p15"
grep -q "summary      TCP 25 > 6000 \[SYN\]" "$TMP/p15" \
    && grep -q "path         .* -> TCP -> port 6000 -> x11$" "$TMP/p15" \
    && grep -q -- "3\. port 6000 (tcp.dst_port, word 1) -> x11: destination port of a SYN; services: x11 6000/tcp" "$TMP/p15" \
    && grep -q "note on dst_port: the destination port of a SYN: a SYN goes to the server" "$TMP/p15" \
    && pass || fail "a SYN from 25 to 6000 chooses x11 by its destination port"
grep -q "note on src_port: the client's port, below 1024" "$TMP/p15" \
    && pass || fail "the SYN's source port 25 is called the client's"
packet_of 2 traces/telnet-handshake.pcap >"$TMP/synack"
grep -q -- "3\. port 23 (tcp.src_port, word 1) -> telnet: source port of a SYN-ACK: the server's reply; tcp.port table" "$TMP/synack" \
    && pass || fail "a SYN-ACK from 23 chooses telnet by its source port"
packet_of 3 traces/telnet-handshake.pcap >"$TMP/ack"
grep -q -- "3\. port 23 (tcp.dst_port, word 1) -> telnet: server's port (the SYN went to it in packet 1); " "$TMP/ack" \
    && pass || fail "a later ACK chooses by the server's port the SYN went to"
packet_of 4 traces/telnet-handshake.pcap >"$TMP/reply"
grep -q -- "port 23 (tcp.src_port, word 1) -> telnet: server's port (the SYN went to it in packet 1); " "$TMP/reply" \
    && pass || fail "the server's data chooses by its source port, the server's"
# The same read through a filter: the SYN is not among the packets read.
"$DEMUX" decode traces/firewall.pcap 'tcp port 6000 and tcp[13] & 2 == 0' >"$TMP/nosyn"
grep -q -- "port 6000 (tcp.dst_port, word 1) -> x11: server's port (of the two, only it is in the services table); " "$TMP/nosyn" \
    && pass || fail "without the SYN, a rule about the ports tells the server"
# A client's port is the client's, not a service's, on a real Linux login.
packet_of 1 traces/real-telnet-login.pcap >"$TMP/login1"
grep -q "note on src_port: the client's port, lent by its system for this connection (Linux lends 32768-60999; old BSD systems the next free port above 1023); it falls in the IANA dynamic range 49152-65535" "$TMP/login1" \
    && grep -q "src_port 60424 (dynamic)" "$TMP/login1" \
    && pass || fail "a real login's client port is called the client's"
"$DEMUX" export traces/real-telnet-login.pcap -o "$TMP/login.json" \
    && /usr/bin/python3 - "$TMP/login.json" <<'EOF2' && pass || fail "every client port of a real login is noted as the client's"
import json, sys
d = json.load(open(sys.argv[1]))
for pk in d["packets"]:
    tcp = [l for l in pk["layers"] if l["layer"] == "tcp"][0]
    ports = {f["name"]: f for f in tcp["fields"] if f["name"].endswith("_port")}
    client = ports["src_port"] if ports["dst_port"]["value"] == 23 else ports["dst_port"]
    assert client["note"].startswith("the client's port, lent by its system"), pk["number"]
    assert "any user may bind" not in client["note"], pk["number"]
EOF2
# demux sockets groups by the same server: 6000, for the SYN from port 25.
"$DEMUX" sockets traces/firewall.pcap >"$TMP/fwsockets"
awk '/^tcp server 192.168.16.2.6000 /{s=1} s && /203.0.113.66.25 /{print; exit}' "$TMP/fwsockets" | grep -q "first SYN" \
    && ! grep -q "^tcp server 203.0.113.66.25 " "$TMP/fwsockets" \
    && pass || fail "demux sockets: the conversation from port 25 has server 6000"

# demux stream: one conversation followed; a missing, bad or unknown
# number is a usage error that says where the numbers come from.
T=traces/real-telnet-login.pcap
"$DEMUX" stream $T 1 >"$TMP/stream" && grep -q '^      21 S>C "login: "$' "$TMP/stream" \
    && grep -q "server performs  ECHO, SUPPRESS-GO-AHEAD" "$TMP/stream" \
    && pass || fail "demux stream follows the telnet login"
"$DEMUX" stream $T 1 'tcp port 23' >/dev/null && pass || fail "demux stream with a filter"
expect_exit 2 "stream without a number" -- "$DEMUX" stream $T
expect_err "stream needs a conversation number" "stream without a number"
expect_exit 2 "stream with a bad number" -- "$DEMUX" stream $T 0x1
expect_err "the conversation is a number from 1" "stream with a bad number"
expect_exit 2 "stream beyond the conversations" -- "$DEMUX" stream $T 9
expect_err "has 1 conversation; \`demux sockets $T\` lists them" "stream beyond the conversations"
# Fragments given up are said at the end: decode's last line, export's
# source.reassembly. fragments.pcap leaves three datagrams incomplete (two
# time out, one still waits at the end); real-fragments.pcap completes
# every one, so it says nothing; a read stopped early (--packet, -c)
# cannot tell what never completed, so it says nothing either.
F=traces/fragments.pcap
want="reassembly: 3 fragmented datagrams never completed (5 fragments given up): 2 timed out, 1 still waiting for pieces when reading ended"
[ "$("$DEMUX" decode $F | tail -n 1)" = "$want" ] && pass || fail "decode ends with the fragments given up"
"$DEMUX" decode traces/real-fragments.pcap | grep -q '^reassembly:' \
    && fail "decode of datagrams all completed says some were given up" || pass
"$DEMUX" decode --packet 1 $F | grep -q '^reassembly:' \
    && fail "decode --packet says datagrams never completed" || pass
"$DEMUX" decode -c 3 $F | grep -q '^reassembly:' \
    && fail "decode -c says datagrams never completed" || pass
"$DEMUX" export $F -o "$TMP/frag.json" && /usr/bin/python3 - "$TMP/frag.json" "${want#reassembly: }" <<'PY' \
    && pass || fail "export says which fragments were given up"
import json, sys
r = json.load(open(sys.argv[1]))["source"]["reassembly"]
want = dict(fragments=18, datagrams_reassembled=4, datagrams_incomplete=3, timed_out=2,
            over_limit=0, waiting_at_end=1, fragments_given_up=5, fragments_rejected=0)
assert {k: r[k] for k in want} == want, r
assert r["note"] == sys.argv[2], r["note"]
PY
"$DEMUX" export traces/telnet-session.pcap -o "$TMP/nofrag.json" && /usr/bin/python3 -c '
import json, sys
assert "reassembly" not in json.load(open(sys.argv[1]))["source"]' "$TMP/nofrag.json" \
    && pass || fail "export of a trace without fragments has no reassembly"
finish
