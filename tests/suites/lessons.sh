#!/bin/sh
# Lessons: every shipped lesson passes --check; broken lessons are reported
# line by line; --list; the JSON export against its schema and the packets
# against demux export; the Markdown handout against a committed file; -o
# that cannot be written; the command line's usage errors.
. tests/lib.sh

# ---- Every shipped lesson passes the check ---------------------------------
count=0
for f in lessons/*.lesson; do
    count=$((count + 1))
    expect_exit 0 "--check $f" -- "$DEMUX" lesson --check "$f"
    grep -q "^$f: ok, [0-9]* steps* on \.\./traces/" "$TMP/out" && [ ! -s "$TMP/err" ] \
        && pass || fail "--check $f says ok, and nothing else"
done
[ "$count" -eq 10 ] && pass || fail "ten lessons are shipped, found $count"

# Each uses a trace the generator writes (not a recorded real-*.pcap).
for f in lessons/*.lesson; do
    trace=$(sed -n 's/^trace: *//p' "$f")
    case $trace in
    ../traces/real-*) fail "$f uses a recorded trace, $trace" ;;
    ../traces/*.pcap) [ -f "lessons/$trace" ] && pass || fail "$f: no $trace" ;;
    *) fail "$f names its trace oddly: $trace" ;;
    esac
done

# The example in lessons/README.md is a lesson that passes, as it says.
sed -n '/^This is a lesson of two steps/,/^`demux lesson --check/p' lessons/README.md \
    | sed -n 's/^    //p' >"$TMP/example.lesson"
sed -i 's|\.\./traces/|'"$PWD"'/traces/|' "$TMP/example.lesson"
expect_exit 0 "the README's example" -- "$DEMUX" lesson --check "$TMP/example.lesson"

# ---- --list, and finding a lesson by name ----------------------------------
expect_exit 0 "--list" -- "$DEMUX" lesson --list
[ "$(grep -c '^  [0-9][0-9]-[a-z-]* ' "$TMP/out")" -eq 10 ] && pass || fail "--list shows ten lessons"
for f in lessons/*.lesson; do
    name=$(basename "$f" .lesson)
    title=$(sed -n 's/^title: *//p' "$f")
    grep -q "^  $name  *$title\$" "$TMP/out" && pass || fail "--list shows $name with its title"
done
mkdir "$TMP/mine"
printf 'title: Mine\ntrace: x.pcap\n' >"$TMP/mine/zz-mine.lesson"
DEMUX_LESSONS="$TMP/mine" "$DEMUX" lesson --list >"$TMP/mine.out" \
    && grep -q "^  zz-mine  *Mine$" "$TMP/mine.out" && [ "$(grep -c '^  ' "$TMP/mine.out")" -eq 1 ] \
    && pass || fail "DEMUX_LESSONS chooses the lessons directory"
expect_exit 1 "DEMUX_LESSONS that is no directory" -- env DEMUX_LESSONS="$TMP/none" "$DEMUX" lesson --list
expect_err "DEMUX_LESSONS=.*none is not a directory" "DEMUX_LESSONS that is no directory"

expect_exit 0 "a lesson by its number" -- "$DEMUX" lesson --check 03
grep -q "^lessons/03-telnet-handshake.lesson: ok" "$TMP/out" && pass || fail "03 finds lesson 03"
expect_exit 0 "a lesson by its name" -- "$DEMUX" lesson --check 07-portmapper
expect_exit 2 "a prefix of several lessons" -- "$DEMUX" lesson --check 0
expect_err "'0' could be any of 01-protocol-number, 02-ports" "a prefix of several lessons"
expect_exit 2 "no such lesson" -- "$DEMUX" lesson nope
expect_err "no lesson 'nope' in lessons; demux lesson --list shows them" "no such lesson"
expect_exit 1 "a missing lesson file" -- "$DEMUX" lesson --check "$TMP/nope.lesson"
expect_err "cannot open .*nope.lesson: No such file or directory" "a missing lesson file"

# ---- Broken lessons: every mistake, file:line, exit 1 ----------------------
T=$PWD/traces/telnet-handshake.pcap
cat >"$TMP/bad.lesson" <<EOF
title: Broken on purpose
trace: $T

step 1
packet 9
Beyond the trace.

step 2
packet 1
focus ipv5.protocol ipv4.protcol udp.dst_port
A made-up layer, a misspelt field, and a field a TCP segment lacks.

step 3
packet 2
view wordz
question: Where is the narration?
EOF
expect_exit 1 "--check on a broken lesson" -- "$DEMUX" lesson --check "$TMP/bad.lesson"
B=$TMP/bad.lesson
cat >"$TMP/bad.want" <<EOF
$B:5: packet 9 is beyond the trace: $T has 5 packets
$B:10: unknown layer 'ipv5' in ipv5.protocol; layers: ethernet, vlan, sll, sll2, null, raw, arp, ipv4, ipv6, ipv6_hopopts, ipv6_routing, ipv6_fragment, ipv6_dstopts, icmp, icmpv6, tcp, udp, payload, dns, rpc, portmap, telnet, gre, vxlan, geneve, mpls, pppoed, pppoes, ppp, lcp, pap, chap, ipcp, ipv6cp, erspan2, erspan3, l2tp, teredo, macsec, nsh
$B:10: ipv4 has no field 'protcol'; its fields: version, ihl, tos, total_length, id, flags, frag_offset, ttl, protocol, checksum, src, dst
$B:10: packet 1 has no udp.dst_port; its layers: ethernet ipv4 tcp
$B:13: step 3 has no narration: write below its settings what the class should notice
$B:15: unknown view 'wordz': write one of path, words, bytes, sockets, ladder, tree, stream
$B:16: a question without an answer: add a line 'answer: ...' after it
EOF
diff "$TMP/bad.want" "$TMP/err" >"$TMP/bad.diff" && pass \
    || { fail "--check reports every mistake with file:line"; sed 's/^/    /' "$TMP/bad.diff"; }
[ ! -s "$TMP/out" ] && pass || fail "--check on a broken lesson prints no ok line"

printf 'title: No trace here\ntrace: ../nowhere/missing.pcap\nstep\npacket 1\nSome text.\n' >"$TMP/notrace.lesson"
expect_exit 1 "--check with a missing trace" -- "$DEMUX" lesson --check "$TMP/notrace.lesson"
expect_err "notrace.lesson:2: trace: cannot open .*/\.\./nowhere/missing.pcap: No such file or directory (a trace is named from the lesson's directory)" \
    "--check with a missing trace"
printf 'title: Quiet\ntrace: %s\n\nstep 1\npacket 1\nfocus tcp.dst_port\n' "$T" >"$TMP/quiet.lesson"
expect_exit 1 "--check on a step without text" -- "$DEMUX" lesson --check "$TMP/quiet.lesson"
expect_err "quiet.lesson:4: step 1 has no narration" "--check on a step without text"
: >"$TMP/empty.lesson"
expect_exit 1 "--check on an empty file" -- "$DEMUX" lesson --check "$TMP/empty.lesson"
expect_err "empty.lesson:1: the file is empty" "--check on an empty file"

# A broken lesson is neither printed nor exported, and an older export stays.
echo previous >"$TMP/keep.md"
expect_exit 1 "export of a broken lesson" -- "$DEMUX" lesson "$TMP/bad.lesson" --export md -o "$TMP/keep.md"
[ "$(cat "$TMP/keep.md")" = previous ] && pass || fail "a broken lesson leaves the old export alone"
expect_exit 1 "a broken lesson is not printed" -- "$DEMUX" lesson "$TMP/bad.lesson"
[ ! -s "$TMP/out" ] && pass || fail "a broken lesson prints nothing"

# ---- Exports ---------------------------------------------------------------
for f in lessons/*.lesson; do
    name=$(basename "$f" .lesson)
    "$DEMUX" lesson "$name" --export json -o "$TMP/$name.json" && pass || fail "--export json of $name"
done
# Every export validates against lessons/lesson.schema.json, which takes
# the packet from the trace export's schema; and every step's packet is
# the very object demux export writes for that packet of the trace.
/usr/bin/python3 - "$DEMUX" "$TMP"/[0-9]*.json <<'EOF' && pass || fail "the JSON exports (see above)"
import json, subprocess, sys
import jsonschema

lesson = json.load(open("lessons/lesson.schema.json"))
trace = json.load(open("decode/demux-trace.schema.json"))
jsonschema.Draft202012Validator.check_schema(lesson)
resolver = jsonschema.RefResolver.from_schema(lesson, store={trace["$id"]: trace})
validator = jsonschema.Draft202012Validator(lesson, resolver=resolver)
demux, bad, exports = sys.argv[1], 0, {}
for path in sys.argv[2:]:
    doc = json.load(open(path))
    for e in list(validator.iter_errors(doc))[:5]:
        print(f"{path}: {'/'.join(map(str, e.path))}: {e.message[:200]}")
        bad += 1
    file = "lessons/" + doc["trace"]["file"]
    if file not in exports:
        out = subprocess.run([demux, "export", file], check=True, capture_output=True).stdout
        exports[file] = json.loads(out)["packets"]
    for step in doc["steps"]:
        want = exports[file][step["packet_number"] - 1]
        if step["packet"] != want or step["packet"]["number"] != step["packet_number"]:
            print(f"{path}: step {step['number']}: the packet differs from demux export's")
            bad += 1
# A schema that cannot fail proves nothing: a broken packet must fail it.
doc["steps"][0]["packet"]["layers"] = "not a list"
if validator.is_valid(doc):
    print("the schema accepts a broken packet")
    bad += 1
print(f"   lessons: {len(sys.argv) - 2} JSON exports checked, {bad} problems")
sys.exit(1 if bad else 0)
EOF

# The Markdown handout of one lesson, against the committed one.
"$DEMUX" lesson 08-privileged-ports --export md -o "$TMP/08.md" \
    && cmp -s tests/golden/lessons/08-privileged-ports.md "$TMP/08.md" && pass \
    || { fail "the handout of lesson 08 differs from tests/golden/lessons/08-privileged-ports.md (after a deliberate change: demux lesson 08 --export md -o that file, and read the diff)"
         diff -u tests/golden/lessons/08-privileged-ports.md "$TMP/08.md" | head -20; }
"$DEMUX" lesson 08 --export md >"$TMP/08-stdout.md" && cmp -s "$TMP/08.md" "$TMP/08-stdout.md" \
    && pass || fail "--export md without -o writes the same to standard output"
[ "$(ls "$TMP" | grep -c demux-)" -eq 0 ] && pass || fail "exports leave no temporary file"

# -o into a directory that does not exist: one line, nothing left behind.
expect_exit 1 "export into a missing directory" -- "$DEMUX" lesson 03 --export json -o "$TMP/no/such/dir.json"
expect_err "cannot create .*no/such/dir.json: No such file or directory" "export into a missing directory"
[ ! -e "$TMP/no" ] && [ "$(ls "$TMP" | grep -c demux-)" -eq 0 ] && pass || fail "a failed export leaves nothing"
if [ -w /dev/full ]; then
    expect_exit 1 "export to a full disk" -- "$DEMUX" lesson 03 --export md -o /dev/full
    expect_err "cannot write /dev/full: No space left on device" "export to a full disk"
fi

# ---- Read in the terminal --------------------------------------------------
expect_exit 0 "a lesson as text" -- "$DEMUX" lesson 03
grep -q "^Step 1 of 5: The client's SYN$" "$TMP/out" \
    && grep -q "^  path           ethertype 0x0800 -> IPv4 -> protocol 6 -> TCP -> port 23 -> telnet$" "$TMP/out" \
    && grep -q "^  focus          tcp.src_port, word 1, bits 0-15: 3044 (registered)$" "$TMP/out" \
    && grep -q "^  Question: Who chose 3044, and who chose 23?$" "$TMP/out" \
    && [ "$(sed -n '/^Answers$/,$p' "$TMP/out" | grep -c '^  step [0-9]*: ')" -eq 3 ] \
    && pass || fail "the text shows each step's path, focus and question, and the answers at the end"

# ---- Usage -----------------------------------------------------------------
expect_exit 2 "lesson without a name" -- "$DEMUX" lesson
expect_err "lesson needs a NAME or FILE (demux lesson --list shows them)" "lesson without a name"
expect_exit 2 "lesson with two names" -- "$DEMUX" lesson 03 04
expect_err "'04' is one too many" "lesson with two names"
expect_exit 2 "--export of an unknown format" -- "$DEMUX" lesson 03 --export pdf
expect_err "--export takes json or md, not 'pdf'" "--export of an unknown format"
expect_exit 2 "-o without --export" -- "$DEMUX" lesson 03 -o "$TMP/x"
expect_err "-o goes with export, or with lesson --export" "-o without --export"
expect_exit 2 "--check with --export" -- "$DEMUX" lesson --check 03 --export md
expect_err "lesson takes one of --list, --check and --export" "--check with --export"
expect_exit 2 "--list with a name" -- "$DEMUX" lesson --list 03
expect_err "lesson --list takes no lesson name" "--list with a name"
expect_exit 2 "--check on another command" -- "$DEMUX" decode --check traces/dns.pcap
expect_err "--list, --check and --export go with lesson" "--check on another command"
expect_exit 2 "a bad --decode-as" -- "$DEMUX" lesson 03 --decode-as tcp.port=1:nothing
expect_err "unknown layer 'nothing'" "a bad --decode-as"
finish
