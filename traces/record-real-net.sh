#!/bin/sh
# traces/record-real-net.sh: record real captures between network namespaces.
#
#   sh traces/record-real-net.sh        (as root)
#
# Writes, in the directory of this script:
#   real-vxlan.pcap         a telnet login and a UDP echo through a VXLAN
#                           tunnel, captured on the underlay veth
#   real-icmp-errors.pcap   port unreachable, time exceeded, fragmentation
#                           needed / packet too big (IPv4 and IPv6), and a SYN
#                           answered by RST
#   real-fragments.pcap     UDP datagrams larger than the link MTU, IPv4 and
#                           IPv6, echoed back; one of each sent last fragment
#                           first
#   real-captures.txt       its section "record-real-net.sh" (the rest of the
#                           file is left as it was)
#
# Like record-real.sh, these are recorded, not generated: every run gives other
# ports, sequence numbers and times (after a run, `make golden-update`, and
# read the diff). Nothing leaves the machine: every namespace is made here,
# its only links are veth pairs to the other namespaces made here, addresses
# are 10.200.0.0/16 and fd00:200::/48, and no namespace has a default route.
# Every namespace, and with it every device in it, is deleted when the script
# ends, however it ends; every wait has a time limit.
set -eu
LC_ALL=C
export LC_ALL

here=$(cd "$(dirname "$0")" && pwd)
STEP_TIMEOUT=15          # expect: seconds to wait for each prompt
CLIENT_TIMEOUT=60        # whole telnet client run
HELPER_TIMEOUT=15        # each run of net-helper.py
PY=/usr/bin/python3      # Debian's, where python3-scapy is installed

say() { printf 'record-real-net: %s\n' "$*"; }
die() { printf 'record-real-net: %s\n' "$*" >&2; exit 1; }

# ---- 1. what is needed -------------------------------------------------------
. "$here/record-common.sh"
need_packages inetutils-telnetd socat tcpdump expect iproute2 ethtool python3 python3-scapy
[ "$(id -u)" = 0 ] || die "making network namespaces needs root: sudo sh $0"
for c in /usr/sbin/telnetd telnet socat tcpdump expect ip ethtool timeout awk "$PY"; do
    command -v "$c" >/dev/null 2>&1 || die "$c is not there after installing its package"
done

# ---- processes, namespaces and clean-up --------------------------------------
tmp=$(mktemp -d /tmp/record-real-net.XXXXXX)
ns_prefix=rrn-$$
namespaces=""      # every namespace made, deleted at the end with its devices
pids=""            # every background process started
tcpdump_pid=""
part=""            # the capture being written, under its temporary name

cleanup() {
    status=$?
    trap - EXIT INT TERM HUP
    stop "$tcpdump_pid"
    for p in $pids; do stop_tree "$p"; done
    for n in $namespaces; do
        # Anything still running in it (none should be) goes first.
        for p in $(ip netns pids "$n" 2>/dev/null); do kill -KILL "$p" 2>/dev/null || true; done
        ip netns delete "$n" 2>/dev/null || say "could not delete namespace $n"
    done
    [ -n "$part" ] && rm -f "$part"
    rm -f "$here/.record-real-net-$$-notes"
    rm -rf "$tmp"
    [ "$status" -eq 0 ] || say "failed; no capture was replaced except those reported as written"
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

# ---- namespaces and links ------------------------------------------------------
ns_add() {   # ns_add NAME: a namespace with only lo, up; IPv6 quiet (no DAD, no RS)
    ip netns add "$ns_prefix-$1" || die "could not make namespace $ns_prefix-$1"
    namespaces="$namespaces $ns_prefix-$1"
    ip -n "$ns_prefix-$1" link set lo up
    for k in all default; do
        ip netns exec "$ns_prefix-$1" sh -c "
            echo 0 >/proc/sys/net/ipv6/conf/$k/accept_dad
            echo 0 >/proc/sys/net/ipv6/conf/$k/router_solicitations
            echo 0 >/proc/sys/net/ipv6/conf/$k/accept_ra" ||
            die "could not set the IPv6 settings of $1"
    done
}
in_ns() {   # in_ns NAME COMMAND...: run it inside our namespace NAME
    n=$1; shift
    ip netns exec "$ns_prefix-$n" "$@"
}
# link_add NS1 IF1 MAC1 NS2 IF2 MAC2 MTU: a veth pair between two namespaces,
# with fixed MAC addresses and transmit checksum offload off (so the captures
# hold finished checksums, not the kernel's partial ones).
link_add() {
    ip link add "rrn$$a" type veth peer name "rrn$$b" || die "could not make a veth pair"
    ip link set "rrn$$a" netns "$ns_prefix-$1" name "$2" address "$3" mtu "$7" ||
        { ip link delete "rrn$$a" 2>/dev/null; die "could not move a veth into $1"; }
    ip link set "rrn$$b" netns "$ns_prefix-$4" name "$5" address "$6" mtu "$7" ||
        die "could not move a veth into $4"
    in_ns "$1" ethtool -K "$2" tx off >/dev/null 2>&1 || die "ethtool -K $2 tx off failed"
    in_ns "$4" ethtool -K "$5" tx off >/dev/null 2>&1 || die "ethtool -K $5 tx off failed"
    in_ns "$1" ip link set "$2" up
    in_ns "$4" ip link set "$5" up
}
helper() {   # helper NS MODE ARGS...: net-helper.py inside a namespace, must succeed
    n=$1; shift
    in_ns "$n" timeout -k 2 "$HELPER_TIMEOUT" "$PY" "$here/net-helper.py" "$@" >"$tmp/helper.out" 2>&1 ||
        { cat "$tmp/helper.out" >&2; die "net-helper $* (in $n) failed"; }
    say "  $(cat "$tmp/helper.out")"
    echo "$n: $(cat "$tmp/helper.out")" >>"$tmp/steps"
    sleep 0.3
}
echo_server() {   # echo_server NS ADDR PORT: a UDP echo server in the background
    out="$tmp/echo-$1-$2.out"
    in_ns "$1" timeout -k 2 300 "$PY" "$here/net-helper.py" echo-server "$2" "$3" >"$out" 2>&1 &
    pids="$pids $!"
    i=0
    until grep -q ready "$out" 2>/dev/null; do
        [ $i -lt 50 ] || { cat "$out" >&2; die "the echo server on $2 port $3 did not start"; }
        sleep 0.1; i=$((i + 1))
    done
}

# ---- capturing ---------------------------------------------------------------
# capture_start NAME NS IFACE FILTER: tcpdump on IFACE inside NS.
capture_start() {
    part="$here/.record-real-net-$$-$1"
    final="$here/$1"
    : >"$tmp/tcpdump.err"
    in_ns "$2" tcpdump -i "$3" -n -U -Z root -w "$part" "$4" 2>"$tmp/tcpdump.err" &
    tcpdump_pid=$!
    i=0
    until grep -q 'listening on' "$tmp/tcpdump.err"; do
        alive "$tcpdump_pid" || { cat "$tmp/tcpdump.err" >&2; die "tcpdump did not start"; }
        [ $i -lt 100 ] || die "tcpdump did not say it was listening within 10 s"
        sleep 0.1; i=$((i + 1))
    done
    sleep 0.5
    : >"$tmp/steps"
}
capture_stop() {
    sleep 1
    stop "$tcpdump_pid" TERM
    tcpdump_pid=""
    [ -s "$part" ] || die "tcpdump wrote nothing"
    sed -n 's/^/  tcpdump: /p' "$tmp/tcpdump.err" | grep -v 'listening on' || true
}
count() {   # count FILE [FILTER]: packets in FILE (that match FILTER)
    # --count, not lines: tcpdump prints a VXLAN packet on two lines.
    tcpdump -nn -r "$@" --count 2>&1 | sed -n 's/^\([0-9]*\) packets*$/\1/p'
}
expect_count() {
    [ "$2" -eq "$3" ] || die "$final: $1: $2, expected $3"
}
expect_min() {
    [ "$2" -ge "$3" ] || die "$final: $1: $2, expected at least $3"
}
capture_keep() {
    size=$(wc -c <"$part" | tr -d ' ')
    [ "$size" -lt 102400 ] || die "$final: $size bytes, more than 100 KB"
    mv -f "$part" "$final"
    part=""
    say "wrote $final ($(count "$final") packets, $size bytes)"
    cp "$tmp/steps" "$tmp/steps-$(basename "$final" .pcap)"
}
# Neither IPv6 neighbour discovery nor MLD (ICMPv6 types 130-143, and the MLD
# reports behind a hop-by-hop header), nor ARP: the captures keep to the
# traffic they are about. ARP inside the tunnel is kept (it is UDP outside).
QUIET='not arp and not (ip6 and (ip6[6] == 0 or (ip6[6] == 58 and ip6[40] >= 130 and ip6[40] <= 143)))'

# ==== 2. VXLAN ================================================================
# Two namespaces, vxa and vxb, joined by a veth pair (the underlay,
# 10.200.1.0/24); in each a VXLAN device, VNI 42, UDP port 4789, whose far end
# is the other's underlay address (the overlay, 10.200.42.0/24). IPv6 is off
# in both, so nothing but the tunnel's traffic and its ARP crosses the underlay.
say "VXLAN: namespaces $ns_prefix-vxa and $ns_prefix-vxb"
ns_add vxa
ns_add vxb
for n in vxa vxb; do
    in_ns "$n" sh -c 'echo 1 >/proc/sys/net/ipv6/conf/all/disable_ipv6; echo 1 >/proc/sys/net/ipv6/conf/default/disable_ipv6'
done
link_add vxa ul0 02:00:c8:01:00:01 vxb ul0 02:00:c8:01:00:02 1500
in_ns vxa ip addr add 10.200.1.1/24 dev ul0
in_ns vxb ip addr add 10.200.1.2/24 dev ul0
in_ns vxa ip link add vx0 address 02:00:c8:2a:00:01 type vxlan id 42 local 10.200.1.1 remote 10.200.1.2 dstport 4789 dev ul0 ||
    die "could not make a VXLAN device"
in_ns vxb ip link add vx0 address 02:00:c8:2a:00:02 type vxlan id 42 local 10.200.1.2 remote 10.200.1.1 dstport 4789 dev ul0 ||
    die "could not make a VXLAN device"
for n in vxa vxb; do
    in_ns "$n" ethtool -K vx0 tx off >/dev/null 2>&1 || die "ethtool -K vx0 tx off failed"
    in_ns "$n" ip link set vx0 up
done
in_ns vxa ip addr add 10.200.42.1/24 dev vx0
in_ns vxb ip addr add 10.200.42.2/24 dev vx0
VX_SERVER=10.200.42.2

# The telnet server, as record-real.sh runs it: socat starts one telnetd per
# connection, telnetd runs fake-login.sh instead of /bin/login.
cp "$here/fake-login.sh" "$tmp/fake-login"
chmod 755 "$tmp/fake-login"
in_ns vxb socat "TCP-LISTEN:23,bind=$VX_SERVER,reuseaddr,fork" \
    "EXEC:/usr/sbin/telnetd -h -E $tmp/fake-login,nofork" 2>"$tmp/socat.err" &
socat_pid=$!
pids="$pids $socat_pid"
i=0
until in_ns vxb awk '$4 == "0A" && substr($2, length($2) - 4) == ":0017" { f = 1 } END { exit !f }' /proc/net/tcp; do
    alive "$socat_pid" || { cat "$tmp/socat.err" >&2; die "socat did not start"; }
    [ $i -lt 50 ] || die "socat did not listen on $VX_SERVER port 23 within 5 s"
    sleep 0.1; i=$((i + 1))
done
echo_server vxb "$VX_SERVER" 7

cat >"$tmp/client.exp" <<'EOF'
set host [lindex $argv 0]
log_user 0
log_file -noappend [lindex $argv 1]
set timeout [lindex $argv 2]
set stty_init "rows 24 cols 80"
set send_slow {1 .08}
spawn telnet $host
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

capture_start real-vxlan.pcap vxa ul0 "$QUIET"
say "  telnet $VX_SERVER (through the tunnel)"
if ! in_ns vxa env TERM=vt100 timeout -k 5 "$CLIENT_TIMEOUT" expect -f "$tmp/client.exp" \
        "$VX_SERVER" "$tmp/telnet.log" "$STEP_TIMEOUT" >"$tmp/telnet.out" 2>&1 </dev/null; then
    cat "$tmp/telnet.log" "$tmp/telnet.out" >&2 2>/dev/null || true
    die "the telnet client failed"
fi
echo "vxa: telnet $VX_SERVER: logged in as student, typed exit, the server closed" >>"$tmp/steps"
helper vxa udp "$VX_SERVER" 7 64 --reply
helper vxa udp "$VX_SERVER" 7 200 --reply
capture_stop
expect_count "non-VXLAN packets" "$(count "$part" 'not (udp port 4789)')" 0
expect_min "VXLAN packets" "$(count "$part" 'udp port 4789')" 40
expect_count "inner SYN and SYN-ACK" "$(count "$part" 'udp port 4789 and udp[28:2] = 0x0800 and udp[8 + 8 + 12 + 2 + 9] = 6 and udp[8 + 8 + 14 + 20 + 13] & 2 != 0')" 2
expect_count "inner UDP to port 7 and back" "$(count "$part" 'udp port 4789 and udp[8 + 8 + 14 + 9] = 17')" 4
capture_keep
stop_tree "$socat_pid"

# ==== 3. ICMP errors ==========================================================
# Three namespaces in a row: cli -- rtr -- srv. rtr forwards IPv4 and IPv6;
# the link rtr--srv has an MTU of 1280 (the least IPv6 allows), cli--rtr 1500.
#   cli 10.200.2.1  fd00:200:2::1  |  rtr 10.200.2.254 fd00:200:2::fe
#   srv 10.200.3.1  fd00:200:3::1  |  rtr 10.200.3.254 fd00:200:3::fe
# cli and srv have a route to each other's network through rtr, and no other.
say "ICMP errors: namespaces $ns_prefix-cli, -rtr, -srv"
ns_add cli
ns_add rtr
ns_add srv
link_add cli eth0 02:00:c8:02:00:01 rtr eth0 02:00:c8:02:00:fe 1500
link_add rtr eth1 02:00:c8:03:00:fe srv eth0 02:00:c8:03:00:01 1280
in_ns cli ip addr add 10.200.2.1/24 dev eth0
in_ns cli ip addr add fd00:200:2::1/64 dev eth0 nodad
in_ns rtr ip addr add 10.200.2.254/24 dev eth0
in_ns rtr ip addr add fd00:200:2::fe/64 dev eth0 nodad
in_ns rtr ip addr add 10.200.3.254/24 dev eth1
in_ns rtr ip addr add fd00:200:3::fe/64 dev eth1 nodad
in_ns srv ip addr add 10.200.3.1/24 dev eth0
in_ns srv ip addr add fd00:200:3::1/64 dev eth0 nodad
in_ns rtr sh -c 'echo 1 >/proc/sys/net/ipv4/ip_forward; echo 1 >/proc/sys/net/ipv6/conf/all/forwarding'
in_ns cli ip route add 10.200.3.0/24 via 10.200.2.254
in_ns cli ip -6 route add fd00:200:3::/64 via fd00:200:2::fe
in_ns srv ip route add 10.200.2.0/24 via 10.200.3.254
in_ns srv ip -6 route add fd00:200:2::/64 via fd00:200:3::fe

capture_start real-icmp-errors.pcap cli eth0 "$QUIET"
helper cli udp 10.200.3.1 33434 32 --error                 # port unreachable
helper cli udp fd00:200:3::1 33434 32 --error              # ICMPv6 port unreachable
helper cli udp 10.200.3.1 33435 32 --ttl 1 --error         # time exceeded, from rtr
helper cli udp fd00:200:3::1 33435 32 --ttl 1 --error      # hop limit exceeded, from rtr
helper cli udp 10.200.3.1 33436 1400 --df --error          # fragmentation needed, MTU 1280
helper cli udp fd00:200:3::1 33436 1400 --error            # packet too big, MTU 1280
helper cli tcp-closed 10.200.3.1 23                        # SYN, RST-ACK
helper cli tcp-closed fd00:200:3::1 23
capture_stop
expect_count "port unreachable (IPv4)" "$(count "$part" 'icmp[0] = 3 and icmp[1] = 3')" 1
expect_count "port unreachable (IPv6)" "$(count "$part" 'icmp6 and ip6[40] = 1 and ip6[41] = 4')" 1
expect_count "time exceeded (IPv4)" "$(count "$part" 'icmp[0] = 11')" 1
expect_count "time exceeded (IPv6)" "$(count "$part" 'icmp6 and ip6[40] = 3')" 1
expect_count "fragmentation needed" "$(count "$part" 'icmp[0] = 3 and icmp[1] = 4')" 1
expect_count "packet too big" "$(count "$part" 'icmp6 and ip6[40] = 2')" 1
expect_count "RST segments" "$(count "$part" 'tcp[tcpflags] & tcp-rst != 0 or (ip6 and ip6[6] = 6 and ip6[40 + 13] & 4 != 0)')" 2
capture_keep

# ==== 4. fragments ============================================================
# Two namespaces, fra and frb, on one veth pair with an MTU of 1280. A UDP echo
# server in frb; fra sends datagrams of 3000 bytes, which the kernel cuts into
# three fragments, and the echo comes back cut the same way. Then one datagram
# of each family is sent by Scapy from fra with its fragments last first (this
# kernel has no netem to reorder them): frb's kernel must put them together,
# and its echo is the proof.
say "fragments: namespaces $ns_prefix-fra and $ns_prefix-frb"
ns_add fra
ns_add frb
link_add fra eth0 02:00:c8:04:00:01 frb eth0 02:00:c8:04:00:02 1280
in_ns fra ip addr add 10.200.4.1/24 dev eth0
in_ns fra ip addr add fd00:200:4::1/64 dev eth0 nodad
in_ns frb ip addr add 10.200.4.2/24 dev eth0
in_ns frb ip addr add fd00:200:4::2/64 dev eth0 nodad
echo_server frb 10.200.4.2 7
echo_server frb fd00:200:4::2 7

capture_start real-fragments.pcap fra eth0 "$QUIET"
helper fra udp 10.200.4.2 7 3000 --reply
helper fra udp fd00:200:4::2 7 3000 --reply
helper fra reorder eth0 02:00:c8:04:00:02 10.200.4.2 7 2000 40000 600
helper fra reorder eth0 02:00:c8:04:00:02 fd00:200:4::2 7 2000 40001 600
capture_stop
expect_min "IPv4 fragments" "$(count "$part" 'ip and (ip[6:2] & 0x3fff != 0)')" 10
expect_min "IPv6 fragments" "$(count "$part" 'ip6 and ip6[6] = 44')" 10
expect_count "IPv4 first fragments after a later one" "$(tcpdump -nn -r "$part" -v 'src host 10.200.4.1 and ip[4:2] = 0x4242' 2>/dev/null |
    awk '/offset/ { sub(/.*offset /, ""); sub(/,.*/, ""); o[n++] = $0 } END { print (n >= 2 && o[0] > o[n - 1]) ? 1 : 0 }')" 1
capture_keep

# ==== 5. the notes --------------------------------------------------------------
versions() {
    for p in iproute2 inetutils-telnetd inetutils-telnet telnet socat tcpdump libpcap0.8 libpcap0.8t64 \
            expect ethtool python3 python3-scapy; do
        dpkg-query -W -f='${db:Status-Status} ${Package} ${Version}\n' "$p" 2>/dev/null |
            sed -n 's/^installed /    /p'
    done
}
listing() {   # listing FILE: one line per packet (a tunnel's inner packet after " | "), without times
    tcpdump -nn -r "$1" 2>/dev/null | awk '
        /^[0-9][0-9]:[0-9][0-9]:/ { if (n) print line; n++; sub(/^[0-9:.]* /, ""); line = sprintf("    %3d  %s", n, $0); next }
        { line = line " | " $0 }
        END { if (n) print line }' | cut -c1-200
}
{
    echo "==== record-real-net.sh ===="
    echo "Real captures, recorded by traces/record-real-net.sh between network namespaces it made"
    echo "(veth pairs and VXLAN devices; addresses 10.200.0.0/16 and fd00:200::/48, no default routes)."
    echo "A new run records other ports, sequence numbers, times and timings."
    echo
    echo "made:     $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo "kernel:   $(uname -r)"
    echo "debian:   $(cat /etc/debian_version 2>/dev/null || echo unknown)"
    echo "packages (dpkg-query -W):"
    versions
    echo "checksums: transmit checksum offload is off on every veth and VXLAN device (ethtool -K IF tx off),"
    echo "           so every checksum in these files is finished; the outer UDP checksum of VXLAN is 0 (Linux's default)"
    for f in real-vxlan real-icmp-errors real-fragments; do
        echo
        echo "$f.pcap: $(count "$here/$f.pcap") packets; what the script did, in order:"
        sed 's/^/    /' "$tmp/steps-$f"
        echo "  tcpdump -nn -r $f.pcap:"
        listing "$here/$f.pcap"
    done
} >"$tmp/section"
# real-captures.txt holds a section per script; replace ours, keep the others.
notes="$here/real-captures.txt"
{
    # The other sections, without the blank lines at their end.
    [ -f "$notes" ] && awk '/^==== / { mine = ($0 == "==== record-real-net.sh ====") }
        mine { next }
        /^$/ { blank++; next }
        { while (blank > 0) { print ""; blank-- } print }' "$notes"
    echo
    cat "$tmp/section"
} >"$here/.record-real-net-$$-notes"
mv -f "$here/.record-real-net-$$-notes" "$notes"
say "wrote $notes (section record-real-net.sh)"
