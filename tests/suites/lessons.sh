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
[ "$count" -eq 14 ] && pass || fail "fourteen lessons are shipped, found $count"

# Each uses a trace of traces/: one the generator writes, or a recording
# kept there (real-*.pcap, traces/real-captures.txt), as 11-14 do.
for f in lessons/*.lesson; do
    trace=$(sed -n 's/^trace: *//p' "$f")
    case $trace in
    ../traces/*.pcap) [ -f "lessons/$trace" ] && pass || fail "$f: no $trace" ;;
    *) fail "$f names its trace oddly: $trace" ;;
    esac
done

# The example in lessons/README.md is a lesson that passes, as it says.
sed -n '/^This is a lesson of two steps/,/^`demux lesson --check/p' lessons/README.md \
    | sed -n 's/^    //p' >"$TMP/example.lesson"
sed -i 's|\.\./traces/|'"$PWD"'/traces/|' "$TMP/example.lesson"
expect_exit 0 "the README's example" -- "$DEMUX" lesson --check "$TMP/example.lesson"

# ---- ref: lines: accepted by --check, printed in every output -------------
# The README's example carries one; every output shows it as written.
REF='IANA Service Name and Transport Protocol Port Number Registry'
"$DEMUX" lesson "$TMP/example.lesson" --export md -o "$TMP/example.md" \
    && grep -qx -- "- ref: $REF" "$TMP/example.md" && pass || fail "the handout prints the step's ref: line"
"$DEMUX" lesson "$TMP/example.lesson" >"$TMP/example.txt" \
    && grep -qx -- "  ref: $REF" "$TMP/example.txt" && pass || fail "the text prints the step's ref: line"
"$DEMUX" lesson "$TMP/example.lesson" --export json \
    | /usr/bin/python3 -c 'import json,sys; d=json.load(sys.stdin); sys.exit(d["steps"][0]["refs"] != [sys.argv[1]] or d["steps"][1]["refs"] != [])' "$REF" \
    && pass || fail "the JSON export lists each step's refs"
printf 'title: Refs\ntrace: %s/traces/telnet-handshake.pcap\nstep 1\npacket 1\nText.\nref: RFC 8200 §4\nref: ip(7), ip_unprivileged_port_start\nref:\n' \
    "$PWD" >"$TMP/refs.lesson"
expect_exit 1 "--check on an empty ref:" -- "$DEMUX" lesson --check "$TMP/refs.lesson"
expect_err "refs.lesson:8: 'ref:' is empty" "--check names the empty ref: by its line"
sed -i '$d' "$TMP/refs.lesson"
expect_exit 0 "--check accepts ref: lines" -- "$DEMUX" lesson --check "$TMP/refs.lesson"
"$DEMUX" lesson "$TMP/refs.lesson" --export md | sed -n '/^## Step 1/,/^Packet 1:/p' >"$TMP/refs.md"
grep -qx -- '- ref: RFC 8200 §4' "$TMP/refs.md" && grep -qx -- '- ref: ip(7), ip_unprivileged_port_start' "$TMP/refs.md" \
    && pass || fail "the handout prints every ref: of a step, in order, after its narration"
# Every shipped step that states a rule says where: each lesson has refs.
for f in lessons/*.lesson; do
    grep -q '^ref: [^ ]' "$f" && pass || fail "$f has no ref: line"
done

# ---- Claims corrected in issue 15 stay corrected ----------------------------
# The old phrasings, matched in the text joined across lines (and across
# C string literals), in the lessons, their README, the README and the
# decoder's sources; and the dispatch-table text that `demux tables` prints.
/usr/bin/python3 - lessons/*.lesson lessons/README.md README.md $(find decode -name '*.[ch]') <<'PY' && pass || fail "a corrected claim came back (see above)"
import re, sys
old = [
    "only the superuser may bind", "on Unix only the superuser", "superuser rights may use",
    "read by every router", "choose the transport protocol", "three transport protocols",
    "handled by the system itself", "the largest segment the sender accepts",
    "each socket names one program", "lends 3044 to one connection at a time",
    "no other connection in the internet", "the pair is free again", "free again;",
    "the time protocol", "every telnet server listens", "offered with will and accepted with do",
    "cannot tell the difference", "runs as an ordinary user", "started by the superuser",
    "only a superuser on the client host", "well-known and privileged are not the same",
    "assigned by iana to standard services; on unix", "short-lived (ephemeral) client ports",
    "for short-lived client ports", "any user may bind them",
    "port numbers below 256 are reserved",
]
bad = 0
for path in sys.argv[1:]:
    text = open(path, encoding="utf-8").read()
    if path.endswith((".c", ".h")):
        text = re.sub(r'"\s*\n\s*"', "", text)
    text = re.sub(r"\s+", " ", text.replace("#", " ")).lower()
    for phrase in old:
        if phrase in text:
            print(f"   {path}: says '{phrase}' again")
            bad += 1
sys.exit(1 if bad else 0)
PY
"$DEMUX" tables >"$TMP/tables.txt" 2>&1
grep -q 'hop-by-hop options: examined on the path only by nodes configured to' "$TMP/tables.txt" \
    && ! grep -qi 'every router' "$TMP/tables.txt" \
    && pass || fail "demux tables: ip.proto 0 says nodes on the path examine hop-by-hop options only when configured to (RFC 8200 4)"

# ---- --list, and finding a lesson by name ----------------------------------
expect_exit 0 "--list" -- "$DEMUX" lesson --list
[ "$(grep -c '^  [0-9][0-9]-[a-z-]* ' "$TMP/out")" -eq 14 ] && pass || fail "--list shows fourteen lessons"
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
# A capture given for a lesson: one line says it is not one, not a line per
# line of the file holding a NUL byte.
expect_exit 1 "--check on a capture" -- "$DEMUX" lesson --check traces/telnet-handshake.pcap
expect_err "^traces/telnet-handshake.pcap:1: the file holds NUL bytes: it is not a lesson (a lesson is plain text)$" \
    "--check on a capture: exactly one line"
[ ! -s "$TMP/out" ] && pass || fail "--check on a capture prints nothing on stdout"
printf 'title: Half text\n\nstep\n\000\n\000\n' >"$TMP/nul.lesson"
expect_exit 1 "--check on a lesson with NUL bytes" -- "$DEMUX" lesson --check "$TMP/nul.lesson"
expect_err "nul.lesson:4: the file holds NUL bytes" "--check names the first NUL byte's line, once"

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
# the very object demux export writes for that packet of the trace, or,
# for a what-if step, of the trace demux edit writes with the step's edits
# (but for what the session adds, the conversation and TCP's analysis: it
# never follows an edited copy).
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
        n = step["packet_number"]
        want = exports[file][n - 1]
        if step["edits"]:
            sets = [a for e in step["edits"] for a in ("--set", f"{n}:{e['field']}={e['value']}")]
            edited = path + ".pcap"
            subprocess.run([demux, "edit", file, *sets, "-o", edited], check=True,
                           capture_output=True)
            out = subprocess.run([demux, "export", edited], check=True, capture_output=True).stdout
            want = json.loads(out)["packets"][n - 1]
            for key in ("conversation", "direction"):
                want.get("socket_pair", {}).pop(key, None)
            want.pop("tcp_analysis", None)
        if step["packet"] != want or step["packet"]["number"] != n:
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

# The Markdown handouts of five lessons, against the committed ones: 08
# (firewall verdicts, TCP options), 09 (telnet drawn as bytes, stream
# views), 04 (sockets, stream and ladder views), 11 (asks of every
# form, their answers folded away in <details>) and 14 (what-if steps:
# their edits listed, the edited packet's path and fields).
for n in 08-privileged-ports 09-telnet-options 04-two-users 11-nobody-listening 14-what-if; do
    "$DEMUX" lesson "$n" --export md -o "$TMP/$n.md" \
        && cmp -s "tests/golden/lessons/$n.md" "$TMP/$n.md" && pass \
        || { fail "the handout of lesson $n differs from tests/golden/lessons/$n.md (after a deliberate change: demux lesson $n --export md -o that file, and read the diff)"
             diff -u "tests/golden/lessons/$n.md" "$TMP/$n.md" | head -20; }
done
cp "$TMP/08-privileged-ports.md" "$TMP/08.md"

# Telnet is a byte stream: its commands are drawn as bytes, each with its
# value and name, never as a 16-bit field of a word grid.
H=$TMP/09-telnet-options.md
sed -n '/^## Step 1:/,/^## Step 2:/p' "$H" >"$TMP/09-step1.md"
grep -q '^| 255 | 253 |      24       | 255 | 253 |  31  | 255 | 251  |$' "$TMP/09-step1.md" \
    && grep -q '^| IAC | DO  | TERMINAL-TYPE | IAC | DO  | NAWS | IAC | WILL |$' "$TMP/09-step1.md" \
    && pass || fail "IAC DO TERMINAL-TYPE is drawn as three bytes, each with its value and name"
! grep -Eq 'command 253|^ *\|.*\| +253 +\|$|word 1 .*command' "$TMP/09-step1.md" \
    && ! sed -n '/^telnet header/,/^```$/p' "$H" | grep -q '^word' \
    && pass || fail "no telnet command is drawn as a 16-bit field of a word grid"
grep -q '| `telnet.option` | byte 68 | `24 (TERMINAL-TYPE)` |' "$H" \
    && pass || fail "a telnet field is placed by its bytes, not by words and bits"
# Values one way: a data byte is quoted text ("b", not 62), hex has 0x.
H=$TMP/04-two-users.md
sed -n '/^telnet header (telnet, RFC 854), bytes 66-66 of packet 14/,/^```$/p' "$H" | grep -q '^| "b" |$' \
    && ! grep -q '^|  *62  *|$' "$H" && pass || fail 'the telnet data byte "b" is drawn as "b", not 62'
grep -q '^       |            0x6f3d             |               0               |$' "$H" \
    && pass || fail "a hex field is written with 0x"
# TCP options by their readings, as demux decode reads them.
H=$TMP/08-privileged-ports.md
grep -q '^        |                          1460 bytes                           |$' "$H" \
    && grep -q '|           permitted           |   TSval [0-9]*, TSecr 0 *|$' "$H" \
    && grep -q '|            shift 7 (window x 128)             |$' "$H" \
    && ! grep -q '080a[0-9a-f]\{16\}' "$H" \
    && pass || fail "TCP options are drawn with their readings (MSS, SACK permitted, TSval/TSecr), not raw bytes"
# A step whose view is sockets, ladder or stream shows that view's content.
H=$TMP/04-two-users.md
sed -n '/^## Step 3:/,/^## Step 4:/p' "$H" | grep -q '^     2  172.16.12.2.3097  closed      first SYN' \
    && pass || fail "a sockets step's handout holds the socket pairs as demux sockets prints them"
sed -n '/^## Step 4:/,/^## Step 5:/p' "$H" | grep -q '^>     14 C>S "b"$' \
    && pass || fail "a stream step's handout holds the stream, its packet marked"
sed -n '/^## Step 5:/,/^## Answers/p' "$H" | grep -q '^>     17  |<-FIN, ACK seq 23 ack 14 len 0-*|$' \
    && sed -n '/^## Step 5:/,/^## Answers/p' "$H" | grep -q '^conversation 1: client 172.16.12.2.3382 on the left' \
    && pass || fail "a ladder step's handout holds the ladder around its packet"
"$DEMUX" lesson 05 --export md | sed -n '/^## Step 4:/,/^## Step 5:/p' >"$TMP/05-step4.md"
[ "$(grep -c '^[> ] *[0-9][0-9]*  |' "$TMP/05-step4.md")" -eq 20 ] \
    && grep -q '^(10 earlier rows of the conversation left out)$' "$TMP/05-step4.md" \
    && grep -q '^([0-9]* later rows of the conversation left out)$' "$TMP/05-step4.md" \
    && pass || fail "a long conversation's ladder keeps 20 rows around the step and says what it left out"
"$DEMUX" lesson 08 --export md >"$TMP/08-stdout.md" && cmp -s "$TMP/08.md" "$TMP/08-stdout.md" \
    && pass || fail "--export md without -o writes the same to standard output"
[ "$(ls "$TMP" | grep -c demux-)" -eq 0 ] && pass || fail "exports leave no temporary file"

# A lesson outside lessons/: the handout's follow-along command names the
# file as it was given (a name would find nothing), and that command, run
# as written, plays the lesson (as text here: no terminal). A path a shell
# would split is quoted.
follow() { sed -n 's/.*To follow along in a terminal: `demux lesson \(.*\)`\.$/\1/p' "$1"; }
mkdir "$TMP/elsewhere" "$TMP/my lessons"
D=$(cd "$(dirname "$DEMUX")" && pwd)/$(basename "$DEMUX") # run from elsewhere
sed "s|\.\./traces/|$PWD/traces/|" lessons/03-telnet-handshake.lesson >"$TMP/elsewhere/loop.lesson"
cp "$TMP/elsewhere/loop.lesson" "$TMP/my lessons/it's.lesson"
for f in "$TMP/elsewhere/loop.lesson" "$TMP/my lessons/it's.lesson"; do
    "$DEMUX" lesson "$f" --export md -o "$TMP/follow.md" && args=$(follow "$TMP/follow.md") \
        && [ -n "$args" ] && (cd / && eval "\"\$D\" lesson $args" >"$TMP/follow.out") \
        && grep -q "^Step 4 of 5: What kind of port is 3044?$" "$TMP/follow.out" \
        && pass || fail "the follow-along command of $f works when run (it says: demux lesson $args)"
done
[ "$(follow "$TMP/follow.md")" = "'$TMP/my lessons/it'\\''s.lesson'" ] && pass \
    || fail "a path with a blank and a quote is quoted for the shell: $(follow "$TMP/follow.md")"
(cd "$TMP/elsewhere" && "$D" lesson loop.lesson --export md) | grep -q 'follow along in a terminal: `demux lesson loop.lesson`' \
    && pass || fail "a lesson named by a relative path is followed along by that path"
"$DEMUX" lesson 03 --export md | grep -q 'follow along in a terminal: `demux lesson 03-telnet-handshake`' \
    && pass || fail "a lesson found by name is followed along by its name"

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
expect_err "--export takes json, md or html, not 'pdf'" "--export of an unknown format"
expect_exit 2 "-o without --export" -- "$DEMUX" lesson 03 -o "$TMP/x"
expect_err "-o goes with export, or with lesson --export" "-o without --export"
expect_exit 2 "--check with --export" -- "$DEMUX" lesson --check 03 --export md
expect_err "lesson takes one of --list, --check and --export" "--check with --export"
expect_exit 2 "--list with a name" -- "$DEMUX" lesson --list 03
expect_err "lesson --list takes no lesson name" "--list with a name"
expect_exit 2 "--check on another command" -- "$DEMUX" decode --check traces/dns.pcap
expect_err "--list, --check, --export and --record go with lesson" "--check on another command"
expect_exit 2 "a bad --decode-as" -- "$DEMUX" lesson 03 --decode-as tcp.port=1:nothing
expect_err "unknown layer 'nothing'" "a bad --decode-as"
finish
