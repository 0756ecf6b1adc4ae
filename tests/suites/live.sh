#!/bin/sh
# Live capture and replay, on the loopback interface only: the headless
# forms (decode, export, -w, -D, --stats, Ctrl-C), the viewer capturing in
# tmux while a small client and server talk over TCP on a free port, root
# given up once the capture is open, and the viewer replaying a trace at
# its pace, step by step, and keeping only the last packets. Capturing
# needs root (CI runs as root): without it the suite says so and passes
# after the checks that need no capture.
. tests/lib.sh
. tests/tmux.sh
PY=/usr/bin/python3
T=traces/telnet-session.pcap

# one CODE PATTERN DESCRIPTION -- COMMAND...: exits CODE with one stderr line matching PATTERN
one() {
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

# ---- The command line: no capture needed ------------------------------------------------------
one 2 "-w, -Z and --stats go with -i" "-w without -i: exit 2" -- "$DEMUX" decode -w "$TMP/x.pcap" $T
one 2 "--keep and --replay go with the viewer" "--keep with decode: exit 2" -- "$DEMUX" decode --keep 5 $T
one 2 "--replay takes a speed above 0" "--replay=0: exit 2" -- "$DEMUX" --replay=0 $T
one 2 "--keep takes a number of packets from 1" "--keep 0: exit 2" -- "$DEMUX" --keep 0 $T
one 2 "-c takes a number of packets from 1" "-c x: exit 2" -- "$DEMUX" decode -c x $T
one 2 "--replay plays a FILE; it does not go with -i" "--replay with -i: exit 2" -- "$DEMUX" --replay -i lo
one 2 "-i captures live instead of reading FILE" "a FILE and -i: exit 2" -- "$DEMUX" view $T -i lo
one 2 "-c in the viewer goes with -i or --replay" "-c on a file in the viewer: exit 2" -- "$DEMUX" view -c 3 $T
"$DEMUX" decode -c 2 $T >"$TMP/c2" && [ "$(grep -c '^packet ' "$TMP/c2")" -eq 2 ] &&
    ok_line "-c 2 on a file: two packets" || fail "-c 2 on a file"

if [ "$(id -u)" -ne 0 ]; then
    echo "   skip: capturing on lo needs root (CI runs as root); the capture checks were not run"
    finish
    exit $?
fi
for tool in tmux setpriv; do
    if ! command -v $tool >/dev/null; then
        fail "$tool is missing (apt-get install $tool)"
        finish
        exit 1
    fi
done
NOBODY=$(id -u nobody)

# A free port on the loopback interface, one per check so that no late
# packet of an earlier connection is counted.
free_port() { $PY -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# talk PORT: a server and a client on PORT: the handshake, "hello demux"
# one way, "hi" the other, and the close.
cat >"$TMP/talk.py" <<'EOF'
import socket, sys
port = int(sys.argv[1])
srv = socket.socket()
srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind(("127.0.0.1", port))
srv.listen(1)
cli = socket.create_connection(("127.0.0.1", port), timeout=5)
conn, _ = srv.accept()
cli.sendall(b"hello demux\r\n")
conn.recv(100)
conn.sendall(b"hi\r\n")
cli.recv(100)
cli.close()
conn.close()
srv.close()
EOF
talk() { $PY "$TMP/talk.py" "$1"; }

# The children of a process (from /proc: no procps needed).
children() {
    # One awk over every stat file, one line each: two processes, however
    # many there are (cat goes on past a process that has just ended).
    cat /proc/[0-9]*/stat 2>/dev/null | awk -v p="$1" '{ pid = $1; sub(/.*\) /, ""); if ($2 == p) print pid }'
}

# dropped PID: wait (up to WAIT_SECONDS) until PID, a child or a
# grandchild runs as nobody: the capture is open and root's rights are
# given up.
dropped() {
    i=0
    while [ $i -lt $((${WAIT_SECONDS:-5} * 20)) ]; do
        kids=$(children "$1")
        for p in "$1" $kids $(for k in $kids; do children "$k"; done); do
            grep -q "^Uid:[[:space:]]*$NOBODY[[:space:]]" "/proc/$p/status" 2>/dev/null && return 0
        done
        sleep 0.05
        i=$((i + 1))
    done
    return 1
}

# ---- Headless: decode, export, -w, --stats, -D, -i any, errors --------------------------------
PORT=$(free_port)
timeout -s INT 20 "$DEMUX" decode -i lo -c 4 --stats "tcp port $PORT" >"$TMP/d.txt" 2>"$TMP/d.err" &
pid=$!
dropped $pid && ok_line "decode -i lo: root given up once the capture is open" ||
    fail "decode -i lo never ran as nobody"
talk "$PORT"
wait $pid
status=$?
[ "$status" -eq 0 ] && ok_line "decode -i lo -c 4: ends after 4 packets" || fail "decode -i lo -c 4: exit $status"
if grep -q "^packet 1 " "$TMP/d.txt" && [ "$(grep -c '^packet ' "$TMP/d.txt")" -eq 4 ] &&
    grep -q "summary      TCP [0-9]* > $PORT \[SYN\]" "$TMP/d.txt" &&
    grep -q "summary      TCP $PORT > [0-9]* \[SYN, ACK\]" "$TMP/d.txt" &&
    grep -q "socket pair  tcp 127\.0\.0\.1\.[0-9]* > 127\.0\.0\.1\.$PORT" "$TMP/d.txt" &&
    grep -q "len 13" "$TMP/d.txt"; then
    ok_line "decode -i lo: the handshake, the socket pair and the data"
else
    fail "decode -i lo output:"
    grep -E "^packet|summary" "$TMP/d.txt" | head -8
fi
grep -Eq "^demux: lo: 4 packets read; kernel: [0-9]+ received, 0 dropped; interface: 0 dropped$" "$TMP/d.err" &&
    ok_line "--stats: one line with the kernel's counts" || { fail "--stats line"; cat "$TMP/d.err"; }

PORT=$(free_port)
echo previous >"$TMP/live.json"
timeout -s INT 20 "$DEMUX" export -i lo -c 4 -o "$TMP/live.json" "tcp port $PORT" 2>"$TMP/e.err" &
pid=$!
dropped $pid
talk "$PORT"
wait $pid
status=$?
if [ "$status" -eq 0 ] && $PY tests/validate_schema.py decode/demux-trace.schema.json "$TMP/live.json" >/dev/null &&
    $PY - "$TMP/live.json" "$PORT" <<'EOF'; then
import json, sys
d = json.load(open(sys.argv[1]))
s = d["source"]
assert s["file"] == "lo" and s["packets"] == 4 and s["frames_read"] == 4, s
assert "[SYN]" in d["packets"][0]["summary"]
assert d["packets"][0]["socket_pair"]["dst"] == "127.0.0.1." + sys.argv[2]
EOF
    ok_line "export -i lo -c 4 -o: a valid document, renamed into place after root was given up"
else
    fail "export -i lo (exit $status)"
    cat "$TMP/e.err"
fi
[ "$(ls "$TMP" | grep -c demux-)" -eq 0 ] && ok_line "export -i: no temporary file left" ||
    fail "export -i left a temporary file"

# Ctrl-C: a live export keeps the old file; a live decode prints what it read, exit 130.
PORT=$(free_port)
"$DEMUX" export -i lo -o "$TMP/live.json" "tcp port $PORT" 2>"$TMP/e.err" &
pid=$!
dropped $pid
kill -INT $pid
wait $pid
status=$?
[ "$status" -eq 130 ] && grep -q "interrupted; the output file was not changed" "$TMP/e.err" &&
    $PY -c 'import json, sys; assert json.load(open(sys.argv[1]))["source"]["packets"] == 4' "$TMP/live.json" &&
    [ "$(ls "$TMP" | grep -c demux-)" -eq 0 ] &&
    ok_line "SIGINT during a live export: exit 130, the previous file kept" ||
    { fail "SIGINT during a live export: exit $status"; cat "$TMP/e.err"; }
PORT=$(free_port)
"$DEMUX" decode -i lo "tcp port $PORT" >"$TMP/int.txt" 2>"$TMP/int.err" &
pid=$!
dropped $pid
talk "$PORT"
sleep 0.3 # the kernel hands the packets over at once; the output is flushed only at the end
kill -INT $pid
wait $pid
status=$?
[ "$status" -eq 130 ] && grep -q "\[SYN\]" "$TMP/int.txt" && [ ! -s "$TMP/int.err" ] &&
    ok_line "Ctrl-C on a live decode: exit 130, what was read printed" ||
    fail "Ctrl-C on a live decode: exit $status, $(grep -c '^packet' "$TMP/int.txt") packets"

# -w saves the capture; demux reads it back.
PORT=$(free_port)
timeout -s INT 20 "$DEMUX" decode -i lo -c 4 -w "$TMP/saved.pcap" "tcp port $PORT" >/dev/null 2>&1 &
pid=$!
dropped $pid
talk "$PORT"
wait $pid
"$DEMUX" decode "$TMP/saved.pcap" >"$TMP/saved.txt" 2>&1 && [ "$(grep -c '^packet ' "$TMP/saved.txt")" -eq 4 ] &&
    grep -q "> $PORT \[SYN\]" "$TMP/saved.txt" && ok_line "-w writes a pcap that demux decode reads back" ||
    { fail "-w: the saved capture"; head -3 "$TMP/saved.txt"; }

# -i any: every interface, as Linux cooked capture v2.
PORT=$(free_port)
timeout -s INT 20 "$DEMUX" decode -i any -c 1 "tcp port $PORT" >"$TMP/any.txt" 2>&1 &
pid=$!
dropped $pid
talk "$PORT"
wait $pid
grep -qi "cooked" "$TMP/any.txt" && grep -q "> $PORT \[SYN\]" "$TMP/any.txt" &&
    ok_line "-i any: Linux cooked capture, the SYN decoded" || { fail "-i any"; head -5 "$TMP/any.txt"; }

"$DEMUX" -D >"$TMP/ifaces" && grep -Eq '^[0-9]+\.lo ' "$TMP/ifaces" && ok_line "-D lists lo" ||
    { fail "-D"; cat "$TMP/ifaces"; }
one 1 "no interface named nosuchif0; demux -D lists them" "a bad interface: one line, exit 1" \
    -- "$DEMUX" decode -i nosuchif0 -c 1
one 1 "no interface named nosuchif0" "a bad interface in the viewer: one line, exit 1" \
    -- "$DEMUX" -i nosuchif0
one 2 "bad filter 'tcp port'" "a bad filter on a live capture: exit 2" -- "$DEMUX" decode -i lo "tcp port"
one 2 "no user named 'nosuchuser0'" "-Z with an unknown user: one line, exit 2" \
    -- "$DEMUX" decode -i lo -c 1 -Z nosuchuser0
one 1 "no permission to capture on lo: run as root, or .*setcap cap_net_raw,cap_net_admin=eip" \
    "not root: one line says what is missing, exit 1" \
    -- setpriv --reuid="$NOBODY" --regid="$NOBODY" --clear-groups "$DEMUX" decode -i lo -c 1

# ---- The viewer ------------------------------------------------------------------------------------
# Sanitizer reports go to files (the screen is the viewer's), in a
# directory the viewer can still write to once it runs as nobody.
chmod 755 "$TMP"
mkdir -m 1777 "$TMP/san"
SAN_ENV="ASAN_OPTIONS=${ASAN_OPTIONS:-}:log_path=$TMP/san/asan UBSAN_OPTIONS=${UBSAN_OPTIONS:-}:log_path=$TMP/san/ubsan"

PORT=$(free_port)
start 80 24 "$DEMUX" -i lo "'tcp port $PORT'"
expect "live viewer: waiting, FOLLOW and the kernel's counts on the status row" \
    "waiting for packets" "^ lo \| 0 packets \| FOLLOW \| 0 received, drops: 0 kernel, 0 interface"
dropped "$(tm display -p '#{pane_pid}')" && ok_line "the viewer runs as nobody once the capture is open" ||
    fail "the viewer never ran as nobody"
talk "$PORT"
expect "packets appear as they come, the list following the newest" \
    "^[ >] *[0-9]+ +0\.[0-9]{6} 127\.0\.0\.1\.[0-9]+ +127\.0\.0\.1\.$PORT +TCP +(TCP [0-9]+ > $PORT|…) \[FIN" \
    "lo \| [0-9]+ packets \| FOLLOW \| [0-9]+ received"
sleep 0.2 # the last ACK of the close
screen
n=$(sed -n 's/^ lo | \([0-9]*\) packets.*/\1/p' "$TMP/screen")
grep -q "^ path | packet $n: tcp" "$TMP/screen" && ok_line "following: the newest packet ($n) selected" ||
    bad_line "following: packet $n not selected"
keys Home
expect "Home: the handshake at the top, and the cursor no longer follows" \
    "^[ >] *1 +0\.000000 127\.0\.0\.1\.[0-9]+ +127\.0\.0\.1\.$PORT +TCP +(TCP [0-9]+ > $PORT|…) \[SYN\]" \
    "^[ >] *2 +0\.[0-9]{6} 127\.0\.0\.1\.$PORT +127\.0\.0\.1\.[0-9]+ +TCP +(TCP $PORT > [0-9]+|…) \[SYN, ACK\]" \
    "^[ >] *3 +0\.[0-9]{6} .* \[AC" "^ path \| packet 1: tcp" "\| F: follow \|"
keys s
expect "s: the socket pair: the server socket, its client under it" "tcp server 127\.0\.0\.1\.$PORT " \
    "^.? +1 127\.0\.0\.1\.[0-9]+ "
keys l
expect "l: the ladder names the handshake" "handshake 1: SYN" "handshake 2: SYN-ACK" "handshake 3: ACK"
keys F
expect "F follows again: the newest packet" "following the newest packet" "^ ladder \| packet $n: tcp"
keys C-c
expect "Ctrl-C ends the live viewer with 130" "^exited 130$"

PORT=$(free_port)
start 80 24 "$DEMUX" -i lo -c 4 -w "$TMP/viewer.pcap" "'tcp port $PORT'"
dropped "$(tm display -p '#{pane_pid}')"
talk "$PORT"
expect "-c 4 in the viewer: the capture stops after 4 packets" "lo \| 4 packets \| FOLLOW \| stopped after 4 packets \(-c\)"
keys q
expect "quit" "^exited 0$"
"$DEMUX" decode "$TMP/viewer.pcap" >"$TMP/viewer.txt" 2>&1 && [ "$(grep -c '^packet ' "$TMP/viewer.txt")" -eq 4 ] &&
    ok_line "-w in the viewer: the 4 packets saved" || { fail "-w in the viewer"; head -3 "$TMP/viewer.txt"; }

start 80 24 setpriv --reuid="$NOBODY" --regid="$NOBODY" --clear-groups "$DEMUX" -i lo
expect "not root: one line before the screen, exit 1" "^demux: no permission to capture on lo" "^exited 1$"
screen
grep -Eq "No\.|help|demux  d" "$TMP/screen" && bad_line "the screen was half drawn" ||
    ok_line "nothing drawn: the terminal is as it was"

# ---- Replay, step by step, --keep -----------------------------------------------------------------
start 80 24 "$DEMUX" --replay=100 $T
expect "--replay=100: the last packet within seconds, the replay said done" \
    "^[ >] *57 +6\.472200 192\.168\.16\.2\.23 " "57 packets \| FOLLOW \| replay done"
keys q
expect "quit" "^exited 0$"
start 80 24 "$DEMUX" --replay=step $T
expect "--replay=step: nothing until Space" "Space shows the first packet" "0 packets \| FOLLOW \| STEP"
keys Space Space
expect "two Spaces: two packets" "^[ >] *2 +0\.000200 192\.168\.16\.2\.23 .*\[SYN," "2 packets \| FOLLOW \| STEP"
keys q
start 80 24 "$DEMUX" --replay $T
expect "--replay at the recorded pace" "REPLAY x1"
keys Space
expect "Space pauses" "PAUSED: Space resumes"
screen
n1=$(grep -Eo '[0-9]+ packets' "$TMP/screen")
sleep 0.5
screen
n2=$(grep -Eo '[0-9]+ packets' "$TMP/screen")
[ "$n1" = "$n2" ] && ok_line "paused: no packet comes ($n1)" || bad_line "paused, yet $n1 became $n2"
keys Space
expect "Space resumes" "REPLAY x1"
keys q
start 80 24 "$DEMUX" --keep 5 $T
expect "--keep 5: the last 5 packets, said on the status row" "^[ >] *53 +6\.459400 " "^[ >] *57 +6\.472200 " \
    "57 packets, showing the last 5 \|"
screen
[ "$(grep -Ec '^[ >] *[0-9]+ +[0-9]+\.[0-9]{6} ' "$TMP/screen")" -eq 5 ] && ok_line "--keep 5: five rows" ||
    bad_line "--keep 5: not five rows"
keys q

if ls "$TMP"/san/asan* "$TMP"/san/ubsan* >/dev/null 2>&1; then
    fail "sanitizer reports from the viewer:"
    cat "$TMP"/san/asan* "$TMP"/san/ubsan* | head -40
else
    ok_line "no sanitizer report from any viewer run"
fi
finish
