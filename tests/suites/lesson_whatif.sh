#!/bin/sh
# What-if steps (lessons/README.md, `edit:`): lesson 14 played in a real
# terminal at 80x24, 60x20 and 160x48: a step's packet shown edited (the
# UDP path after protocol 17, marked edited in the list), its asks
# answered against the edited packet, and the packet as captured again
# on a later step. Then --check's refusals of bad edit lines, each as
# file:line, and the exports of an edited step.
. tests/lib.sh
PY=/usr/bin/python3

. tests/tmux.sh

for size in "80 24" "60 20" "160 48"; do
    # shellcheck disable=SC2086
    start $size "$DEMUX" lesson 14
    expect "$size: step 1 as captured" "^ step 1 of 5: As captured" "protocol 6"
    keys n
    expect "$size: step 2 shows packet 1 edited, on the UDP path" "^ step 2 of 5: Protocol 17" \
        "\[edited\]" "protocol 17"
    screen
    lacks "$size: the edited packet has no TCP on its path" "protocol 6 \(word 3\)|-> TCP|\[ +TCP +\]|\| TCP \|"
    keys n
    expect "$size: step 2 asks first" "answer first"
    keys 1
    expect "$size: TCP is a wrong choice" "Not 1\. TCP|wrong"
    keys 2
    expect "$size: UDP is the right choice" "Right"
    keys n
    expect "$size: step 3, the words of the edited packet" "^ step 3 of 5: What UDP makes" "\[edited\]"
    keys n Enter
    expect "$size: the answer prompt" "your answer \(Enter checks"
    text 49825
    keys Enter
    expect "$size: UDP's length read from the edited packet" "Right: udp\.length = 49825"
    keys n
    expect "$size: step 4, port 2323" "^ step 4 of 5: Port 2323" "2323"
    keys n 3
    expect "$size: the tcp.port table is right" "Right: tcp\.port"
    keys n
    expect "$size: step 5: packet 1 as captured again" "^ step 5 of 5: Your turn"
    screen
    lacks "$size: no packet is edited on step 5" "\[edited\]"
    keys q
    expect "$size: the lesson ends" "exited 0"
done
sanitizer_reports 2>/dev/null || true

# ---- --check refuses bad edit lines, each as file:line ------------------------------------------------
L=$TMP/bad.lesson
cat >"$L" <<LESSON
title: Bad edits
trace: $PWD/traces/telnet-handshake.pcap

step 1: An unknown field
packet 1
edit: ipv4.protcol=17
Text.

step 2: Too wide
packet 1
edit: tcp.dst_port=70000
Text.

step 3: No value, a bad name, a layer the packet lacks
packet 1
edit: tcp.dst_port
edit: ipv4#0.ttl=3
edit: udp.dst_port=53
Text.

step 4: A filter on an edited packet
packet 1
edit: ipv4.protocol=udp
filter: udp
Text.
LESSON
expect_exit 1 "--check refuses bad edit lines" -- "$DEMUX" lesson --check "$L"
# has_err PATTERN DESCRIPTION: one of the lines of the last command's stderr starts with PATTERN.
has_err() {
    grep -q -- "^$TMP/$1" "$TMP/err" && pass || { fail "$2: stderr was:"; sed 's/^/    /' "$TMP/err"; }
}
[ "$(wc -l <"$TMP/err")" -eq 6 ] && pass || fail "six problems, one a line"
has_err "bad.lesson:6: edit: ipv4 has no field 'protcol' in packet 1; its fields: version" \
    "an unknown field, with the layer's fields"
has_err "bad.lesson:11: edit: 70000 does not fit tcp.dst_port: its 16 bits hold 0 to 65535" "a value too wide"
has_err "bad.lesson:16: 'edit:' wants LAYER.FIELD=VALUE" "no value"
has_err "bad.lesson:17: edit: 'ipv4#0.ttl' is no field name" "#0"
has_err "bad.lesson:18: edit: packet 1 has no udp layer" "a layer the packet lacks"
has_err "bad.lesson:24: a filter judges the trace as captured" "a filter with an edit"

# ---- The exports say what was edited, and show the edited decode ------------------------------------------
"$DEMUX" lesson 14 --export json -o "$TMP/14.json" && pass || fail "json export of lesson 14"
# (lessons.sh validates every lesson's export, this one's too, against lessons/lesson.schema.json.)
$PY - "$TMP/14.json" <<'PY' && pass || fail "lesson 14's JSON: edits and the edited packet"
import json, sys
d = json.load(open(sys.argv[1]))
s = d["steps"]
assert s[0]["edits"] == [], s[0]["edits"]
e = s[1]["edits"][0]
assert (e["field"], e["value"], e["before"], e["after"]) == ("ipv4.protocol", "17", "6 (tcp)", "17 (udp)"), e
assert "ipv4.checksum" in e["checksums"], e
layers = [l["layer"] for l in s[1]["packet"]["layers"]]
assert "udp" in layers and "tcp" not in layers, layers
assert s[4]["edits"] == [] and "tcp" in [l["layer"] for l in s[4]["packet"]["layers"]]
PY
"$DEMUX" lesson 14 --export md >"$TMP/14.md" && pass || fail "md export of lesson 14"
grep -q '^- `edit: ipv4.protocol=17`: ipv4.protocol 6 (tcp) -> 17 (udp); ipv4.checksum' "$TMP/14.md" &&
    grep -q '^Path: `ethertype 0x0800 -> IPv4 -> protocol 17 -> UDP`' "$TMP/14.md" && pass ||
    fail "the handout says what was edited and shows the UDP path"
"$DEMUX" lesson 14 >"$TMP/14.txt" && grep -q "^  what if        tcp.dst_port=2323: tcp.dst_port 23" "$TMP/14.txt" &&
    pass || fail "the text output says what was edited"

finish
