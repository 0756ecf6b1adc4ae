#!/bin/sh
# demux figure: every kind is well-formed XML (xmllint); the values in a
# words figure are the decoder's (against demux export); every figure of
# every packet of traces/hostile.pcap is safe (no script, no event
# attribute, no external reference); -o writes whole files; usage errors
# are one line with exit 2. The golden figures are in tests/golden.sh.
. tests/lib.sh
PY=/usr/bin/python3
H=traces/telnet-handshake.pcap
U=traces/telnet-two-users.pcap
if ! command -v xmllint >/dev/null 2>&1; then
    fail "xmllint is missing: sh .ci/deps test installs libxml2-utils"
    finish
    exit 1
fi

# fig NAME ARGS...: demux figure ARGS into $TMP/NAME; it must succeed and be well-formed.
fig() {
    name=$1
    shift
    if "$DEMUX" figure "$@" >"$TMP/$name" 2>"$TMP/err"; then
        xmllint --noout "$TMP/$name" 2>"$TMP/xml" && pass ||
            { fail "figure $*: not well-formed"; head -3 "$TMP/xml"; }
    else
        fail "figure $*: exit $?"
        head -3 "$TMP/err"
    fi
}

# ---- every kind, as SVG, is well-formed ----------------------------------------------------
for f in traces/*.pcap; do
    b=$(basename "$f" .pcap)
    last=$("$DEMUX" decode "$f" 2>/dev/null | grep -c '^packet ')
    [ "$last" -gt 2 ] && last=2
    for n in $(seq 1 "$last"); do
        fig "$b-$n-words.svg" "$f" --packet $n --kind words
        fig "$b-$n-path.svg" "$f" --packet $n --kind path
        fig "$b-$n-sender.svg" "$f" --packet $n --kind path --sender
    done
    fig "$b-sockets.svg" "$f" --kind sockets
    fig "$b-tree.svg" "$f" --kind tree
done
fig ladder1.svg $H --packet 1 --kind ladder
fig ladder2.svg $U --kind ladder --conversations 1,2
fig ladder3.svg $U --kind ladder --packet 3 --packets 3-12
fig ladder-udp.svg traces/dns.pcap --kind ladder --packet 1

# ---- the values drawn are the decoder's ------------------------------------------------------
"$DEMUX" export $H >"$TMP/h.json"
for n in 1 2 3 4 5; do
    for layer in ethernet ipv4 tcp; do
        fig "v$n$layer.svg" $H --packet $n --kind words --layer $layer
        $PY tests/figure_check.py values "$TMP/v$n$layer.svg" "$TMP/h.json" $n $layer && pass ||
            fail "words of packet $n, $layer: values differ from demux export"
    done
done
# The text figure's cells say the same values.
"$DEMUX" figure $H --packet 1 --kind words --format txt >"$TMP/w.txt"
for v in 2837414007 '0x6e11 (correct)' 'shift 7 (window x 128)' '3044 (registered)'; do
    grep -qF "$v" "$TMP/w.txt" && pass || fail "txt words: no '$v'"
done

# ---- hostile.pcap: every figure of every packet is safe ----------------------------------------
X=traces/hostile.pcap
"$DEMUX" export $X >"$TMP/x.json"
$PY - "$TMP/x.json" >"$TMP/x.list" <<'PYEOF'
import json, sys
doc = json.load(open(sys.argv[1]))
for p in doc["packets"]:
    layers = sorted({l["layer"] for l in p["layers"]})
    conv = (p.get("socket_pair") or {}).get("conversation", 0)
    print(p["number"], conv, " ".join(layers))
PYEOF
[ -s "$TMP/x.list" ] && pass || fail "hostile.pcap: no packets listed"
mkdir "$TMP/x"
while read -r n conv layers; do
    "$DEMUX" figure $X --packet "$n" --kind path >"$TMP/x/$n-path.svg"
    "$DEMUX" figure $X --packet "$n" --kind path --sender >"$TMP/x/$n-sender.svg"
    "$DEMUX" figure $X --packet "$n" --kind words >"$TMP/x/$n-words.svg"
    for l in $layers; do
        "$DEMUX" figure $X --packet "$n" --kind words --layer "$l" >"$TMP/x/$n-words-$l.svg"
    done
    [ "$conv" != 0 ] && "$DEMUX" figure $X --packet "$n" --kind ladder >"$TMP/x/$n-ladder.svg"
    "$DEMUX" figure $X --packet "$n" --kind sockets >"$TMP/x/$n-sockets.svg"
done <"$TMP/x.list"
"$DEMUX" figure $X --kind tree >"$TMP/x/tree.svg"
count=$(ls "$TMP/x" | wc -l)
[ "$count" -gt 150 ] && pass || fail "hostile.pcap: only $count figures drawn"
empty=$(find "$TMP/x" -size 0 | head -3)
[ -z "$empty" ] && pass || fail "hostile.pcap: empty figures: $empty"
xmllint --noout "$TMP"/x/*.svg 2>"$TMP/xml" && pass ||
    { fail "hostile.pcap: a figure is not well-formed"; head -5 "$TMP/xml"; }
$PY tests/figure_check.py safe "$TMP"/x/*.svg && pass || fail "hostile.pcap: a figure is unsafe"
# As markup: an attribute's value opens with a quote, which escaped text never holds.
if grep -l -i -E '<script|[[:space:]]on[a-z]+="|(href|src)="' "$TMP"/x/*.svg >"$TMP/bad"; then
    fail "hostile.pcap: markup in $(head -3 "$TMP/bad")"
else
    pass
fi

# A payload written as markup: it must come out as text, escaped.
$PY - "$TMP/markup.pcap" <<'PYEOF' 2>/dev/null
import sys
from scapy.all import Ether, IP, TCP, Raw, wrpcap
evil = b'<script>alert(1)</script>"><svg onload=alert(1)><a href="http://x/">&amp;\xff\xfe'
c, s = ("172.16.12.2", 3044), ("192.168.16.2", 23)
ps = [Ether() / IP(src=c[0], dst=s[0]) / TCP(sport=c[1], dport=s[1], flags="S", seq=1),
      Ether() / IP(src=s[0], dst=c[0]) / TCP(sport=s[1], dport=c[1], flags="SA", seq=9, ack=2),
      Ether() / IP(src=c[0], dst=s[0]) / TCP(sport=c[1], dport=s[1], flags="PA", seq=2, ack=10) / Raw(evil)]
wrpcap(sys.argv[1], ps)
PYEOF
if [ -s "$TMP/markup.pcap" ]; then
    mkdir "$TMP/m"
    for k in words path ladder sockets tree; do
        "$DEMUX" figure "$TMP/markup.pcap" --packet 3 --kind $k >"$TMP/m/$k.svg"
    done
    "$DEMUX" figure "$TMP/markup.pcap" --packet 3 --kind words --layer telnet >"$TMP/m/telnet.svg"
    xmllint --noout "$TMP"/m/*.svg && pass || fail "a markup payload: a figure is not well-formed"
    $PY tests/figure_check.py safe "$TMP"/m/*.svg && pass || fail "a markup payload: unsafe figure"
    grep -q '&lt;script&gt;alert(1)&lt;/script&gt;' "$TMP/m/telnet.svg" && pass ||
        fail "a markup payload: not shown escaped in the telnet words figure"
    grep -q -i '<script\|<svg onload\|<a href' "$TMP"/m/*.svg && fail "a markup payload got through" || pass
else
    echo "   scapy is missing here: the markup payload checks skipped (sh .ci/deps test)"
fi

# ---- -o: a whole file, replaced when complete; - is standard output --------------------------
"$DEMUX" figure $H --packet 1 --kind words >"$TMP/stdout.svg"
expect_exit 0 "figure -o FILE" -- "$DEMUX" figure $H --packet 1 --kind words -o "$TMP/o.svg"
cmp -s "$TMP/o.svg" "$TMP/stdout.svg" && pass || fail "-o FILE differs from standard output"
expect_exit 0 "figure -o -" -- "$DEMUX" figure $H --packet 1 --kind words -o -
cmp -s "$TMP/out" "$TMP/stdout.svg" && pass || fail "-o - differs from standard output"
echo previous >"$TMP/keep.svg"
expect_exit 1 "figure of a packet past the end" -- \
    "$DEMUX" figure $H --packet 99 --kind words -o "$TMP/keep.svg"
expect_err "there is no packet 99: the trace has 5" "figure of a packet past the end"
[ "$(cat "$TMP/keep.svg")" = previous ] && pass || fail "a failed figure replaced the file"
[ "$(ls "$TMP" | grep -c 'keep.svg.demux-')" = 0 ] && pass || fail "a temporary file was left"

# ---- usage errors: one line, exit 2 ----------------------------------------------------------
usage() {   # usage PATTERN ARGS...
    pattern=$1
    shift
    expect_exit 2 "figure $*" -- "$DEMUX" figure "$@"
    expect_err "$pattern" "figure $*"
}
usage "figure needs --kind KIND" $H --packet 1
usage "--kind takes one of: words, path, ladder, sockets, tree" $H --packet 1 --kind bits
usage "--format takes one of: svg, txt, mermaid, latex" $H --packet 1 --kind words --format png
usage "--format latex draws words only" $H --packet 1 --kind ladder --format latex
usage "--format latex draws words only" $H --kind tree --format latex
usage "needs --packet N" $H --kind words
usage "a ladder needs --packet N" $H --kind ladder
usage "--packet in a figure takes one packet number" $H --packet 1-3 --kind path
usage "--layer goes with --kind words" $H --packet 1 --kind path --layer tcp
usage "--sender goes with --kind path" $H --packet 1 --kind words --sender
usage "--packets and --conversations go with --kind ladder" $H --packet 1 --kind words --packets 1-3
usage "--packets takes one range" $U --packet 1 --kind ladder --packets 1,3
usage "--conversations takes up to 8" $U --kind ladder --conversations 1-2
usage "packet 1 has no telnet layer; --layer takes one of: ethernet, ipv4, tcp" \
    $H --packet 1 --kind words --layer telnet
usage "packet 1 is in no conversation" traces/arp.pcap --packet 1 --kind ladder
expect_exit 2 "--kind outside figure" -- "$DEMUX" decode $H --kind words
expect_err "go with figure" "--kind outside figure"
expect_exit 1 "a conversation the trace lacks" -- "$DEMUX" figure $U --kind ladder --conversations 1,9
expect_err "there is no conversation 9: the trace has 2" "a conversation the trace lacks"
expect_exit 1 "a missing file" -- "$DEMUX" figure /nonexistent.pcap --packet 1 --kind words
finish
