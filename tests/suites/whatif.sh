#!/bin/sh
# What if: demux edit sets a field and redoes the checksums the change
# affects. tshark is the oracle: it reads the edited file with the new
# value and good checksums (bad ones with --keep-checksums), and every
# other frame is the same bytes (frame hashes), timestamps and lengths.
# Then the refusals: an unknown field, a value too wide, the input as the
# output (also by another path): one line, exit 2, no file written.
. tests/lib.sh
if ! command -v tshark >/dev/null; then
    echo "   tshark is not installed: skipped (make test installs it)"
    finish
    exit $?
fi
T=traces/telnet-handshake.pcap
CHECK="-o ip.check_checksum:TRUE -o tcp.check_checksum:TRUE -o udp.check_checksum:TRUE"

# fields FILE FIELD...: tshark's values, one line per frame
fields() {
    f=$1
    shift
    args=""
    for x in "$@"; do args="$args -e $x"; done
    # shellcheck disable=SC2086
    tshark -n -r "$f" $CHECK -o frame.generate_md5_hash:TRUE -T fields $args 2>/dev/null
}

# same_others IN OUT EDITED...: every frame but those numbered EDITED has
# the same hash, time and lengths in both files; the edited ones differ
same_others() {
    in=$1 out=$2
    shift 2
    fields "$in" frame.number frame.md5_hash frame.time_epoch frame.len frame.cap_len >"$TMP/a"
    fields "$out" frame.number frame.md5_hash frame.time_epoch frame.len frame.cap_len >"$TMP/b"
    edited=" $* "
    if [ "$(wc -l <"$TMP/a")" -eq 0 ] || [ "$(wc -l <"$TMP/a")" -ne "$(wc -l <"$TMP/b")" ]; then
        fail "$out: $(wc -l <"$TMP/b") frames, $in has $(wc -l <"$TMP/a")"
        return
    fi
    paste "$TMP/a" "$TMP/b" | while IFS='	' read -r n h t l c n2 h2 t2 l2 c2; do
        case "$edited" in
        *" $n "*) [ "$h" != "$h2" ] || echo "frame $n was not changed" ;;
        *) [ "$h $t $l $c" = "$h2 $t2 $l2 $c2" ] || echo "frame $n differs: $h $t $l $c / $h2 $t2 $l2 $c2" ;;
        esac
        [ "$t $l $c" = "$t2 $l2 $c2" ] || echo "frame $n: time or lengths differ"
    done >"$TMP/diff"
    if [ -s "$TMP/diff" ]; then fail "$out against $in:"; sed 's/^/    /' "$TMP/diff" | head -5; else pass; fi
}

# frame OUT N EXPECTED FIELD...: tshark's fields of frame N, space-separated, are EXPECTED
frame() {
    out=$1 n=$2 want=$3
    shift 3
    got=$(fields "$out" frame.number "$@" | awk -F'\t' -v n="$n" '$1 == n' | cut -f2- | tr '\t' ' ')
    if [ "$got" = "$want" ]; then pass; else fail "$out frame $n: '$got', wanted '$want'"; fi
}

edit() {   # edit OUT ARGS...: demux edit, which must succeed
    out=$1
    shift
    if "$DEMUX" edit "$@" -o "$out" >"$TMP/out" 2>"$TMP/err"; then pass
    else fail "demux edit $*: exit $?"; sed 's/^/    /' "$TMP/err"; fi
}

# ---- The issue's examples: the key changed, the packet goes elsewhere ------------------
edit "$TMP/udp.pcap" $T --set 1:ipv4.protocol=17
frame "$TMP/udp.pcap" 1 "17 1" \
    ip.proto ip.checksum.status
same_others $T "$TMP/udp.pcap" 1
"$DEMUX" decode "$TMP/udp.pcap" --packet 1 >"$TMP/dec"
if grep -q "path .*protocol 17 -> UDP" "$TMP/dec" && grep -q "^packet 1: ipv4.protocol 6 (tcp) -> 17 (udp); ipv4.checksum 0x" "$TMP/out"; then pass
else fail "protocol 17: the path should say UDP"; grep path "$TMP/dec"; cat "$TMP/out"; fi

edit "$TMP/port.pcap" $T --set 1:tcp.dst_port=2323 --set 2:tcp.src_port=2323
frame "$TMP/port.pcap" 1 "2323 1" \
    tcp.dstport tcp.checksum.status
frame "$TMP/port.pcap" 2 "2323 1" \
    tcp.srcport tcp.checksum.status
same_others $T "$TMP/port.pcap" 1 2
"$DEMUX" decode "$TMP/port.pcap" --packet 1 >"$TMP/dec"
if grep -q "path .*TCP" "$TMP/dec" && ! grep -q "path .*telnet" "$TMP/dec"; then pass
else fail "port 2323: no application should claim the bytes"; grep path "$TMP/dec"; fi

# ---- Addresses reach the pseudo-header; names, hex, IPv6, UDP, tunnels -------------------
edit "$TMP/addr.pcap" $T --set 3:ipv4.src=10.0.0.1 --set 3:ipv4.ttl=0x01 --set 5:tcp.flags=FIN,ACK
frame "$TMP/addr.pcap" 3 "10.0.0.1 1 1 1" \
    ip.src ip.ttl ip.checksum.status tcp.checksum.status
frame "$TMP/addr.pcap" 5 "0x0011 1 1" \
    tcp.flags ip.checksum.status tcp.checksum.status
same_others $T "$TMP/addr.pcap" 3 5

edit "$TMP/v6.pcap" traces/telnet-ipv6.pcap --set 5:ipv6.dst=2001:db8::99 --set 6:tcp.dst_port=telnet
frame "$TMP/v6.pcap" 5 "2001:db8::99 1" \
    ipv6.dst tcp.checksum.status
frame "$TMP/v6.pcap" 6 "23 1" \
    tcp.dstport tcp.checksum.status
same_others traces/telnet-ipv6.pcap "$TMP/v6.pcap" 5 6

edit "$TMP/dns.pcap" traces/dns.pcap --set 1:udp.src_port=5353 --set 2:ipv4.dst=192.0.2.9
frame "$TMP/dns.pcap" 1 "5353 1 1" \
    udp.srcport udp.checksum.status ip.checksum.status
frame "$TMP/dns.pcap" 2 "192.0.2.9 1 1" \
    ip.dst udp.checksum.status ip.checksum.status
same_others traces/dns.pcap "$TMP/dns.pcap" 1 2

# The inner IPv4 of a VXLAN tunnel: LAYER#2.FIELD; the outer UDP still checks.
edit "$TMP/vx.pcap" traces/real-vxlan.pcap --set 3:ipv4#2.ttl=9 --set 4:ipv4#2.src=10.9.9.9
frame "$TMP/vx.pcap" 3 "64,9 1,1 1" \
    ip.ttl ip.checksum.status udp.checksum.status
outer=$(fields traces/real-vxlan.pcap frame.number ip.src | awk -F'\t' '$1 == 4 { split($2, a, ","); print a[1] }')
frame "$TMP/vx.pcap" 4 "$outer,10.9.9.9 1,1 1 1" \
    ip.src ip.checksum.status udp.checksum.status tcp.checksum.status
same_others traces/real-vxlan.pcap "$TMP/vx.pcap" 3 4

# ---- --keep-checksums: the receiver would drop it ---------------------------------------
edit "$TMP/keep.pcap" $T --set 1:ipv4.src=10.0.0.1 --keep-checksums
frame "$TMP/keep.pcap" 1 "0 0" \
    ip.checksum.status tcp.checksum.status
same_others $T "$TMP/keep.pcap" 1
grep -q "kept, so now wrong" "$TMP/out" && pass || fail "--keep-checksums says which are now wrong"

# ---- Refusals: one line, exit 2, no file written -------------------------------------------
# refused PATTERN DESCRIPTION ARGS...: demux edit ARGS -o $TMP/no.pcap
refused() {
    pattern=$1 what=$2
    shift 2
    expect_exit 2 "$what" -- "$DEMUX" edit "$@"
    expect_err "$pattern" "$what"
}
refused "ipv4 has no field 'protcol' in packet 1; its fields: version, " "an unknown field" \
    $T --set 1:ipv4.protcol=17 -o "$TMP/no.pcap"
refused "256 does not fit ipv4.protocol: its 8 bits hold 0 to 255" "a value too wide" \
    $T --set 1:ipv4.protocol=256 -o "$TMP/no.pcap"
refused "packet 1 has no udp layer; its layers: ethernet, ipv4, tcp" "a layer the packet lacks" \
    $T --set 1:udp.length=8 -o "$TMP/no.pcap"
refused "the trace has 5 packets" "a packet past the end" $T --set 9:ipv4.ttl=1 -o "$TMP/no.pcap"
refused "'foo' is no value of ipv4.protocol: give a number (6, 0x06) or a protocol name" \
    "an unknown name" $T --set 1:ipv4.protocol=foo -o "$TMP/no.pcap"
refused "--set takes N:LAYER.FIELD=VALUE" "a --set without its packet" \
    $T --set ipv4.ttl=1 -o "$TMP/no.pcap"
refused "is the input file: give -o another name" "the input as the output" \
    $T --set 1:ipv4.ttl=1 -o $T
cp $T "$TMP/in.pcap"
ln -s "$TMP/in.pcap" "$TMP/link.pcap"
refused "is the input file: give -o another name" "the input by another path" \
    "$TMP/in.pcap" --set 1:ipv4.ttl=1 -o "$TMP/link.pcap"
refused "is the input file" "the input by a path with dots" \
    "$TMP/in.pcap" --set 1:ipv4.ttl=1 -o "$TMP/../$(basename "$TMP")/in.pcap"
cmp -s $T "$TMP/in.pcap" && pass || fail "the input was changed"
refused "edit needs -o OUT.pcap" "no -o" $T --set 1:ipv4.ttl=1
expect_exit 2 "--set with decode" -- "$DEMUX" decode $T --set 1:ipv4.ttl=1
expect_err "--set and --keep-checksums go with edit" "--set with decode"
if ls "$TMP" | grep -q "no.pcap"; then fail "a refused edit left a file: $(ls "$TMP" | grep no.pcap)"; else pass; fi
finish
