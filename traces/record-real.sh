#!/bin/sh
# traces/record-real.sh: record real captures on the loopback interface.
#
#   sh traces/record-real.sh        (as root)
#
# Writes, in the directory of this script:
#   real-telnet-login.pcap      one telnet login, Debian's telnetd and telnet
#   real-telnet-two-users.pcap  two such logins at the same time
#   real-rpcinfo.pcap           rpcinfo asking rpcbind over TCP and UDP
#   real-captures.txt           when and with what they were made, and what
#                               each one holds (its first part: the sections
#                               of record-real-net.sh and scapy-tunnels.py
#                               that follow are kept as they are)
#
# Unlike the other traces, these are not written by tracegen: they are
# recorded, so every run gives other ports, sequence numbers and times (after
# a run, `make golden-update`, and read the diff). Only the loopback interface
# (127.0.0.1) is used; an rpcbind started here runs in a network namespace of
# its own (see part 5). telnetd runs fake-login.sh instead of /bin/login, so
# no account, password or PAM is involved.
#
# Each capture is written under a temporary name and renamed when it has been
# checked; every process the script starts is stopped when it ends, however
# it ends, and every wait has a time limit.
set -eu
LC_ALL=C
export LC_ALL

here=$(cd "$(dirname "$0")" && pwd)
HOST=127.0.0.1
STEP_TIMEOUT=15          # expect: seconds to wait for each prompt
CLIENT_TIMEOUT=60        # whole telnet client run
RPC_TIMEOUT=10           # each rpcinfo command

say() { printf 'record-real: %s\n' "$*"; }
die() { printf 'record-real: %s\n' "$*" >&2; exit 1; }

# ---- 1. what is needed -------------------------------------------------------
. "$here/record-common.sh"
need_packages inetutils-telnetd socat tcpdump rpcbind expect iproute2
[ "$(id -u)" = 0 ] || die "capturing on lo and serving port 23 need root: sudo sh $0"
for c in /usr/sbin/telnetd telnet socat tcpdump /usr/sbin/rpcbind rpcinfo expect ip timeout awk; do
    command -v "$c" >/dev/null 2>&1 || die "$c is not there after installing its package"
done

# ---- processes and clean-up --------------------------------------------------
tmp=$(mktemp -d /tmp/record-real.XXXXXX)
tcpdump_pid=""
socat_pid=""
rpcbind_pid=""
netns=""           # the network namespace made for rpcbind, if one was
in_netns=""        # the command prefix that runs a program inside it
client_pids=""
part=""            # the capture being written, under its temporary name

cleanup() {
    status=$?
    trap - EXIT INT TERM HUP
    for p in $client_pids; do stop_tree "$p"; done
    stop "$tcpdump_pid"
    stop_tree "$socat_pid"
    stop "$rpcbind_pid"
    [ -n "$netns" ] && ip netns delete "$netns" 2>/dev/null
    [ -n "$part" ] && rm -f "$part"
    rm -f "$here/.record-real-$$-notes"
    rm -rf "$tmp"
    [ "$status" -eq 0 ] || say "failed; no capture was replaced except those reported as written"
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

tcp_listening() {   # tcp_listening PORT: does any socket listen on it?
    hex=$(printf ':%04X' "$1")
    awk -v p="$hex" '$4 == "0A" && substr($2, length($2) - 4) == p { f = 1 } END { exit !f }' \
        /proc/net/tcp /proc/net/tcp6 2>/dev/null
}

# ---- capturing ---------------------------------------------------------------
# capture_start NAME FILTER: tcpdump on lo into a temporary file beside NAME.
# The temporary name ends in .pcap, as the AppArmor profile of tcpdump wants.
capture_start() {
    part="$here/.record-real-$$-$1"
    final="$here/$1"
    : >"$tmp/tcpdump.err"
    # shellcheck disable=SC2086 # $in_netns is empty or a command's words
    $in_netns tcpdump -i lo -n -U -Z root -w "$part" "$2" 2>"$tmp/tcpdump.err" &
    tcpdump_pid=$!
    i=0
    until grep -q 'listening on' "$tmp/tcpdump.err"; do
        alive "$tcpdump_pid" || { cat "$tmp/tcpdump.err" >&2; die "tcpdump did not start"; }
        [ $i -lt 100 ] || die "tcpdump did not say it was listening within 10 s"
        sleep 0.1; i=$((i + 1))
    done
    sleep 0.5
}
# capture_stop: let the last packets arrive, stop tcpdump, check the file.
capture_stop() {
    sleep 1
    stop "$tcpdump_pid" TERM
    tcpdump_pid=""
    [ -s "$part" ] || die "tcpdump wrote nothing"
    sed -n 's/^/  tcpdump: /p' "$tmp/tcpdump.err" | grep -v 'listening on' || true
}
count() {   # count FILE [FILTER]: packets in FILE (that match FILTER)
    if [ $# -gt 1 ]; then
        tcpdump -nn -r "$1" "$2" 2>/dev/null | wc -l | tr -d ' '
    else
        tcpdump -nn -r "$1" 2>/dev/null | wc -l | tr -d ' '
    fi
}
expect_count() {   # expect_count WHAT GOT WANT: die unless GOT = WANT
    [ "$2" -eq "$3" ] || die "$final: $1: $2, expected $3"
}
expect_min() {
    [ "$2" -ge "$3" ] || die "$final: $1: $2, expected at least $3"
}
capture_keep() {   # rename the checked capture to its final name
    mv -f "$part" "$final"
    part=""
    say "wrote $final ($(count "$final") packets, $(wc -c <"$final" | tr -d ' ') bytes)"
}

# ---- decoding what was captured, for the notes -------------------------------
# `tcpdump -x` prints each packet from the IP header on in hex; this awk reads
# those bytes and prints, for telnet, each segment's commands and option
# negotiation, and for port 111, each RPC call and reply. It is written here
# rather than taken from tcpdump's own printers so that nothing is left out.
cat >"$tmp/decode.awk" <<'EOF'
BEGIN {
    for (i = 0; i < 256; i++) H[sprintf("%02x", i)] = i
    split("BINARY ECHO RCP SUPPRESS-GO-AHEAD NAME STATUS TIMING-MARK", a, " ")
    for (i = 1; i <= 7; i++) OPT[i - 1] = a[i]
    OPT[24] = "TERMINAL-TYPE"; OPT[31] = "NAWS"; OPT[32] = "TERMINAL-SPEED"
    OPT[33] = "TOGGLE-FLOW-CONTROL"; OPT[34] = "LINEMODE"; OPT[35] = "X-DISPLAY-LOCATION"
    OPT[36] = "ENVIRON"; OPT[37] = "AUTHENTICATION"; OPT[38] = "ENCRYPT"
    OPT[39] = "NEW-ENVIRON"; OPT[255] = "EXOPL"
    VERB[251] = "WILL"; VERB[252] = "WONT"; VERB[253] = "DO"; VERB[254] = "DONT"
    CMD[241] = "NOP"; CMD[242] = "DATA-MARK"; CMD[243] = "BREAK"; CMD[244] = "IP"
    CMD[245] = "AO"; CMD[246] = "AYT"; CMD[247] = "EC"; CMD[248] = "EL"; CMD[249] = "GA"
    PROC2[0] = "NULL"; PROC2[1] = "SET"; PROC2[2] = "UNSET"; PROC2[3] = "GETPORT"
    PROC2[4] = "DUMP"; PROC2[5] = "CALLIT"
    split("NULL SET UNSET GETADDR DUMP CALLIT GETTIME UADDR2TADDR TADDR2UADDR GETVERSADDR INDIRECT GETADDRLIST GETSTAT", a, " ")
    for (i = 1; i <= 13; i++) PROC4[i - 1] = a[i]
    split("SUCCESS PROG_UNAVAIL PROG_MISMATCH PROC_UNAVAIL GARBAGE_ARGS SYSTEM_ERR", a, " ")
    for (i = 1; i <= 6; i++) ACCEPT[i - 1] = a[i]
    n = 0; frame = 0
}
function optname(o) { return (o in OPT) ? OPT[o] : "option-" o }
function u32(i) { return ((b[i] * 256 + b[i + 1]) * 256 + b[i + 2]) * 256 + b[i + 3] }
function hex32(i) { return sprintf("%02x%02x%02x%02x", b[i], b[i + 1], b[i + 2], b[i + 3]) }
function esc(c) {   # one byte as it is written in a C string
    if (c == 13) return "\\r"
    if (c == 10) return "\\n"
    if (c == 34 || c == 92) return "\\" sprintf("%c", c)
    if (c >= 32 && c < 127) return sprintf("%c", c)
    return sprintf("\\x%02x", c)
}
function text(s, e,    t, i) {   # bytes s..e-1 as a quoted string
    t = ""
    for (i = s; i < e; i++) t = t esc(b[i])
    return "\"" t "\""
}
function sbtext(o, s, e,    k, r, i) {   # a subnegotiation, bytes s..e-1 after the option
    k = (s < e) ? b[s] : -1
    if (o == 31 && e - s >= 4) return sprintf("NAWS %dx%d", b[s] * 256 + b[s + 1], b[s + 2] * 256 + b[s + 3])
    if (o == 24 || o == 32 || o == 35 || o == 36 || o == 39 || o == 5) {
        if (k == 1) return optname(o) " SEND"
        if (k == 0) return optname(o) " IS " text(s + 1, e)
        if (k == 2) return optname(o) " INFO " text(s + 1, e)
    }
    if (o == 34) {
        if (k == 1) return sprintf("LINEMODE MODE 0x%02x", b[s + 1])
        if (k == 3) return sprintf("LINEMODE SLC (%d triplets)", int((e - s - 1) / 3))
        if (k in VERB) return "LINEMODE " VERB[k] " FORWARDMASK"
    }
    if (o == 38) {
        split("IS SUPPORT REPLY START END REQUEST-START REQUEST-END ENC_KEYID DEC_KEYID", r, " ")
        if (k >= 0 && k <= 8) return "ENCRYPT " r[k + 1] (e - s > 1 ? " " text(s + 1, e) : "")
    }
    if (o == 37) {
        split("IS SEND REPLY NAME", r, " ")
        if (k >= 0 && k <= 3) return "AUTHENTICATION " r[k + 1] (e - s > 1 ? " " text(s + 1, e) : "")
    }
    if (o == 33) {
        split("OFF ON RESTART-ANY RESTART-XON", r, " ")
        if (k >= 0 && k <= 3) return "TOGGLE-FLOW-CONTROL " r[k + 1]
    }
    return optname(o) " " text(s, e)
}
function telnet(s, e, who,    i, c, out, o, j, k, m, data, sbuf) {
    out = ""; data = ""
    for (i = s; i < e; i++) {
        if (b[i] != 255 || i + 1 >= e) { data = data esc(b[i]); continue }
        c = b[i + 1]
        if (c == 255) { data = data esc(255); i++; continue }
        if (c in VERB && i + 2 < e) { out = out ", " VERB[c] " " optname(b[i + 2]); i += 2; continue }
        if (c == 250 && i + 2 < e) {
            o = b[i + 2]; j = i + 3; k = 0
            while (j + 1 < e && !(b[j] == 255 && b[j + 1] == 240)) {
                if (b[j] == 255 && b[j + 1] == 255) j++
                sbuf[k++] = b[j]; j++
            }
            # sbtext reads b[]: copy the unescaped bytes to the end of b[]
            for (m = 0; m < k; m++) b[100000 + m] = sbuf[m]
            out = out ", SB " sbtext(o, 100000, 100000 + k)
            i = j + 1; continue
        }
        out = out ", " ((c in CMD) ? CMD[c] : "IAC " c); i++
    }
    if (length(data) > 40) data = substr(data, 1, 37) "..."
    if (data != "") data = "data \"" data "\""
    if (out != "") printf "    frame %d  %s  %s%s\n", frame, who, substr(out, 3), data != "" ? ", " data : ""
    else if (data != "" && mode == "telnet-all") printf "    frame %d  %s  %s\n", frame, who, data
}
function rpc(s, e, who, proto,    x, t, prog, vers, proc, name, st, fl, vl, as) {
    if (proto == "tcp") {
        if (e - s < 4) return
        s += 4    # the record mark; this decoder expects each message at the start of a segment
    }
    if (e - s < 8) return
    x = hex32(s); t = u32(s + 4)
    if (t == 0 && e - s >= 24) {
        prog = u32(s + 12); vers = u32(s + 16); proc = u32(s + 20)
        name = (prog == 100000 ? "portmapper" : "program " prog) " v" vers " "
        if (prog == 100000 && vers == 2) name = name ((proc in PROC2) ? PROC2[proc] : proc)
        else if (prog == 100000) name = name ((proc in PROC4) ? PROC4[proc] : proc)
        else name = name "procedure " proc
        CALL[x] = name
        printf "    frame %d  %s  %s call xid %s: %s\n", frame, who, proto, x, name
    } else if (t == 1 && e - s >= 12) {
        st = u32(s + 8)
        if (st == 0 && e - s >= 24) {
            vl = u32(s + 16); as = u32(s + 20 + vl)
            st = "accepted, " ((as in ACCEPT) ? ACCEPT[as] : as)
        } else st = (st == 1) ? "denied" : "reply_stat " st
        printf "    frame %d  %s  %s reply xid %s (%s): %s, %d bytes\n", frame, who, proto, x, \
            (x in CALL) ? CALL[x] : "no call seen", st, e - s
    }
}
function decode(    v, ihl, tot, proto, sp, dp, p, e, who, fl, pname) {
    v = int(b[0] / 16)
    if (v == 4) { ihl = (b[0] % 16) * 4; tot = b[2] * 256 + b[3]; proto = b[9] }
    else if (v == 6) { ihl = 40; tot = 40 + b[4] * 256 + b[5]; proto = b[6] }
    else return
    if (tot > n) tot = n
    sp = b[ihl] * 256 + b[ihl + 1]; dp = b[ihl + 2] * 256 + b[ihl + 3]
    if (proto == 6) { p = ihl + int(b[ihl + 12] / 16) * 4; pname = "tcp" }
    else if (proto == 17) { p = ihl + 8; pname = "udp" }
    else return
    if (p >= tot) return
    if (mode ~ /^telnet/) {
        who = (sp == port) ? sprintf("server > client %d", dp) : sprintf("client %d > server", sp)
        telnet(p, tot, who)
    } else {
        who = (sp == port) ? sprintf("%d < %d", dp, sp) : sprintf("%d > %d", sp, dp)
        rpc(p, tot, who, pname)
    }
}
function flush() { if (n > 0) decode(); n = 0; delete b }
/^[0-9]/ { flush(); frame++; next }
/^[ \t]+0x[0-9a-f]+:/ {
    for (f = 2; f <= NF; f++)
        for (j = 1; j < length($f); j += 2) b[n++] = H[substr($f, j, 2)]
}
END { flush() }
EOF
decode() {   # decode FILE MODE PORT: the lines described above
    tcpdump -nn -tt -x -r "$1" 2>/dev/null | awk -v mode="$2" -v port="$3" -f "$tmp/decode.awk"
}
syn_options() {   # syn_options FILE: the TCP options of the first SYN, without timestamps' values
    tcpdump -nn -r "$1" 'tcp[tcpflags] & tcp-syn != 0' 2>/dev/null | head -1 |
        sed -n 's/.*options \[\([^]]*\)\].*/\1/p' | sed 's/TS val [0-9]* ecr [0-9]*/TS/'
}
first_fin() {   # first_fin FILE PORT: who closed first
    src=$(tcpdump -nn -r "$1" 'tcp[tcpflags] & tcp-fin != 0' 2>/dev/null | head -1 | awk '{ print $3 }')
    case "$src" in *".$2") echo server ;; "") echo nobody ;; *) echo client ;; esac
}

# ---- 2. the telnet server ----------------------------------------------------
# telnetd as inetd would run it, but from socat: one telnetd per connection,
# with the connection on its standard input and output. -h: no host details in
# the banner; -E: our fake login instead of /bin/login.
cp "$here/fake-login.sh" "$tmp/fake-login"
chmod 755 "$tmp/fake-login"
port=""
port_note=""
for try in 23 2323; do
    if tcp_listening "$try"; then
        say "port $try is taken, by something else"
        port_note="${port_note}port $try was taken by another program; "
        continue
    fi
    socat "TCP-LISTEN:$try,bind=$HOST,reuseaddr,fork" \
        "EXEC:/usr/sbin/telnetd -h -E $tmp/fake-login,nofork" 2>"$tmp/socat.err" &
    socat_pid=$!
    i=0
    while alive "$socat_pid" && ! tcp_listening "$try" && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
    if alive "$socat_pid" && tcp_listening "$try"; then port=$try; break; fi
    say "socat could not listen on $try: $(cat "$tmp/socat.err")"
    stop "$socat_pid"
    socat_pid=""
done
[ -n "$port" ] || die "no port for telnetd (tried 23 and 2323)"
say "telnetd (through socat) on $HOST port $port"

# The telnet client, driven by expect as a person would type: wait for each
# prompt, pause, then type one key at a time.
cat >"$tmp/client.exp" <<'EOF'
set host [lindex $argv 0]
set port [lindex $argv 1]
log_user 0
log_file -noappend [lindex $argv 2]
set timeout [lindex $argv 3]
set stty_init "rows 24 cols 80"
set send_slow {1 .08}
# Port 23 is telnet's own: a person types `telnet HOST`.
if {$port == 23} { spawn telnet $host } else { spawn telnet $host $port }
proc step {text} {
    expect {
        -ex $text {}
        timeout { send_user "timed out waiting for \"$text\"\n"; exit 2 }
        eof { send_user "the connection ended before \"$text\"\n"; exit 3 }
    }
    after 300
}
step "login: "
send -s "student\r"
step "Password: "
send -s "secret\r"
step "\$ "
send -s "exit\r"
expect {
    timeout { send_user "the server did not close the connection\n"; exit 2 }
    eof {}
}
wait
exit 0
EOF
client_start() {   # client_start NAME: a telnet client in the background
    TERM=vt100 timeout -k 5 "$CLIENT_TIMEOUT" expect -f "$tmp/client.exp" \
        "$HOST" "$port" "$tmp/$1.log" "$STEP_TIMEOUT" >"$tmp/$1.out" 2>&1 </dev/null &
    client_pids="$client_pids $!"
    last_client=$!
}
client_wait() {   # client_wait PID NAME: it must have logged in, out and closed
    if ! wait "$1"; then
        echo "--- what the client saw:" >&2; cat "$tmp/$2.log" "$tmp/$2.out" >&2 2>/dev/null || true
        die "telnet client $2 failed"
    fi
}
check_telnet() {   # check_telnet SESSIONS: the capture holds that many whole sessions
    expect_count "SYN and SYN-ACK segments" "$(count "$part" 'tcp[tcpflags] & tcp-syn != 0')" $((2 * $1))
    expect_count "FIN segments" "$(count "$part" 'tcp[tcpflags] & tcp-fin != 0')" $((2 * $1))
    expect_count "RST segments" "$(count "$part" 'tcp[tcpflags] & tcp-rst != 0')" 0
    expect_min "segments with telnet commands" "$(decode "$part" telnet "$port" | wc -l)" $((2 * $1))
    expect_min "packets" "$(count "$part")" $((40 * $1))
}

# ---- 3. one login ------------------------------------------------------------
filter="tcp port $port and host $HOST"
capture_start real-telnet-login.pcap "$filter"
client_start login
client_wait "$last_client" login
client_pids=""
capture_stop
check_telnet 1
capture_keep

# ---- 4. two logins at once ---------------------------------------------------
capture_start real-telnet-two-users.pcap "$filter"
client_start user1; pid1=$last_client
client_start user2; pid2=$last_client
client_wait "$pid1" user1
client_wait "$pid2" user2
client_pids=""
capture_stop
check_telnet 2
expect_count "client ports" "$(tcpdump -nn -r "$part" 'tcp[tcpflags] & tcp-syn != 0 and dst port '"$port" 2>/dev/null |
    awk '{ print $3 }' | sort -u | wc -l | tr -d ' ')" 2
capture_keep
stop_tree "$socat_pid"
socat_pid=""

# ---- 5. rpcinfo and rpcbind --------------------------------------------------
rpc_note=""
if timeout 5 rpcinfo -p "$HOST" >/dev/null 2>&1; then
    rpc_note="rpcbind was already running: used as it was"
else
    # rpcbind joins the IPv6 multicast group ff02::202 on its UDP socket, and
    # the kernel announces that (MLD reports) on every interface. So that
    # nothing leaves the machine, our rpcbind, its clients and tcpdump run in a
    # network namespace of their own, whose only interface is its lo.
    netns=record-real-$$
    ip netns add "$netns" || { netns=""; die "could not make a network namespace"; }
    ip -n "$netns" link set lo up
    in_netns="ip netns exec $netns"
    # As Debian's rpcbind.service starts it: in the foreground, warm start.
    $in_netns /usr/sbin/rpcbind -f -w 2>"$tmp/rpcbind.err" &
    rpcbind_pid=$!
    i=0
    until $in_netns timeout 2 rpcinfo -p "$HOST" >/dev/null 2>&1; do
        alive "$rpcbind_pid" || { cat "$tmp/rpcbind.err" >&2; die "rpcbind did not start"; }
        [ $i -lt 50 ] || die "rpcbind did not answer within 10 s"
        sleep 0.2; i=$((i + 1))
    done
    rpc_note="started by this script as \`rpcbind -f -w\` (as Debian's rpcbind.service does),"
    rpc_note="$rpc_note in a network namespace whose only interface is lo, stopped after"
fi
rpc_cmds="rpcinfo -p $HOST|rpcinfo -T udp $HOST 100000 2|rpcinfo -l $HOST 100000 4|rpcinfo -s $HOST"
capture_start real-rpcinfo.pcap "port 111 and host $HOST"
old_ifs=$IFS; IFS='|'
for c in $rpc_cmds; do
    IFS=$old_ifs
    say "  $c"
    # shellcheck disable=SC2086 # the command's words
    $in_netns timeout "$RPC_TIMEOUT" $c >"$tmp/rpcinfo.out" 2>&1 || { cat "$tmp/rpcinfo.out" >&2; die "$c failed"; }
    sed 's/^/    /' "$tmp/rpcinfo.out"
    IFS='|'
done
IFS=$old_ifs
capture_stop
expect_min "UDP datagrams" "$(count "$part" udp)" 2
expect_min "TCP segments" "$(count "$part" tcp)" 6
expect_min "RPC calls" "$(decode "$part" rpc 111 | grep -c ' call ')" 4
expect_min "RPC replies" "$(decode "$part" rpc 111 | grep -c ' reply ')" 4
capture_keep
if [ -n "$rpcbind_pid" ]; then stop "$rpcbind_pid"; rpcbind_pid=""; fi
if [ -n "$netns" ]; then ip netns delete "$netns"; netns=""; in_netns=""; fi

# ---- 6. the notes --------------------------------------------------------------
versions() {
    for p in inetutils-telnetd inetutils-telnet telnet socat tcpdump libpcap0.8 libpcap0.8t64 rpcbind expect; do
        dpkg-query -W -f='${db:Status-Status} ${Package} ${Version}\n' "$p" 2>/dev/null |
            sed -n 's/^installed /    /p'
    done
}
telnet_line() {   # telnet_line FILE SESSIONS
    echo "$(basename "$1"): $(count "$1") packets; $2 telnet session(s) from $HOST to $HOST.$port," \
        "each: three-way handshake, option negotiation, \"login: \" student, \"Password: \" secret" \
        "(not echoed), \"\$ \" exit, \"logout\", close (first FIN from the $(first_fin "$1" "$port"))." \
        "TCP options of the first SYN: $(syn_options "$1")." \
        "The first telnet commands come from the $(decode "$1" telnet "$port" | awk 'NR == 1 { print ($3 == "server" ? "server" : "client") }')."
    if [ "$2" = 1 ]; then
        echo "  every segment with data, in order (frames numbered as tcpdump and Wireshark count them):"
        decode "$1" telnet-all "$port"
    else
        echo "  the segments that carry telnet commands, in order (frames numbered as tcpdump and Wireshark count them):"
        decode "$1" telnet "$port"
    fi
}
{
    echo "Real captures, recorded by traces/record-real.sh on the loopback interface."
    echo "A new run records other ports, sequence numbers, times and timings."
    echo
    echo "made:     $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo "kernel:   $(uname -r)"
    echo "debian:   $(cat /etc/debian_version 2>/dev/null || echo unknown)"
    echo "packages (dpkg-query -W):"
    versions
    echo "telnet:   port $port on $HOST (${port_note}23 is tried first; 2323 when 23 is taken)"
    echo "server:   socat TCP-LISTEN:$port,bind=$HOST,reuseaddr,fork EXEC:\"/usr/sbin/telnetd -h -E fake-login\",nofork"
    echo "          (fake-login: a copy of traces/fake-login.sh, in place of /bin/login)"
    echo "client:   $( [ "$port" = 23 ] && echo "telnet $HOST" || echo "telnet $HOST $port"), driven by expect," \
        "TERM=vt100, an 80x24 terminal, keys typed 80 ms apart after a 300 ms pause at each prompt"
    if [ "$port" = 23 ]; then
        echo "          (with no port on its command line, the client sends its own offers at once" \
            "instead of waiting, so whose first segment comes first changes from run to run;" \
            "given a port, as with 2323, inetutils telnet waits for the server's offers and answers them)"
    else
        echo "          (given a port, inetutils telnet waits for the server's offers and answers them;" \
            "\`telnet $HOST\`, to port 23, sends its own offers at once)"
    fi
    echo "rpcbind:  $rpc_note"
    echo "rpcinfo:  $(echo "$rpc_cmds" | sed 's/|/; /g')"
    echo
    telnet_line "$here/real-telnet-login.pcap" 1
    echo
    telnet_line "$here/real-telnet-two-users.pcap" 2
    echo
    f=$here/real-rpcinfo.pcap
    echo "$(basename "$f"): $(count "$f") packets; $(count "$f" tcp) TCP segments and $(count "$f" udp) UDP datagrams" \
        "to and from port 111, from the rpcinfo commands above; the RPC calls and replies, in order:"
    decode "$f" rpc 111
    # The sections other scripts keep in the same file (record-real-net.sh,
    # scapy-tunnels.py), each from its "==== NAME ====" line on, stay.
    if [ -f "$here/real-captures.txt" ]; then
        awk '/^==== / { other = 1 } other { if (!started) print ""; started = 1; print }' "$here/real-captures.txt"
    fi
} >"$here/.record-real-$$-notes"
mv -f "$here/.record-real-$$-notes" "$here/real-captures.txt"
say "wrote $here/real-captures.txt"
