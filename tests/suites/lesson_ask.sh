#!/bin/sh
# Steps that ask (lessons/README.md, "Questions to answer"): lesson 11
# played in a real terminal (tmux, as lesson_play.sh does), answering an
# ask value, an ask field and an ask choice wrongly and then rightly, one
# given up; right and wrong said at once, the hint after two wrong tries,
# the score on the last step, and the --record file checked against
# lessons/lesson-results.schema.json. Then the check's refusals, each as
# file:line, --record's usage, and the exports' folded answers.
. tests/lib.sh
PY=/usr/bin/python3

. tests/tmux.sh

# answer TEXT: Enter opens the answer prompt; type TEXT; Enter checks it.
answer() {
    keys Enter
    shows "your answer \(Enter checks" || bad_line "the answer prompt did not open"
    text "$1"
    keys Enter
}

R=$TMP/results.json
start 80 24 "$DEMUX" lesson 11 --record "$R"
expect "step 1 of lesson 11" "^ step 1 of 5: A datagram to a closed port"
keys n
expect "n on a step that asks: the pane scrolls to the question and how to answer it" \
    "answer first \(or a: give up" "^ Question: Which port does the datagram ask for\?" \
    "Answer: press Enter and type the value"
[ -s "$R" ] && ok_line "the results file is written at the start" || fail "no results file at the start"

# ---- ask value: wrong twice (the hint), then right in hex ------------------------------------------------
answer 53
expect "a wrong value is said at once, on the status row and in the pane" \
    "Not '53': try again \(1 wrong so far\)" "wrong: '53'"
screen
lacks "no hint after one wrong try" "Hint:"
answer 0x1
expect "after two wrong tries, the generated hint: which word of which header" \
    "Not '0x1': try again \(2 wrong so far\)" "Hint: udp\.dst_port is in word 1 of the UDP header"
keys n
expect "n waits for the answer" "answer first \(or a: give up"
screen
lacks "n did not leave step 1" "step 2 of 5"
answer 0x829a
expect "33434 typed in hex is right; the right answer is said with its place" \
    "Right: udp\.dst_port = 33434" "right! n: the next step"

# ---- ask field: the words view's cursor, Enter ---------------------------------------------------------
keys n
expect "step 2" "^ step 2 of 5: The receiver says so"
keys n
expect "step 2 asks for a field" "Answer: put the cursor on the field"
# To the first header, then two on: ICMP, its first field (type).
keys '[' '[' '[' '[' '[' ']' ']'
expect "the cursor on ICMP's type" "type = 3 \(destination unreachable\)"
keys Enter
expect "Enter on the wrong field: wrong, naming it" "Not icmp\.type: try again \(1 wrong so far\)"
keys ']'
keys Enter
expect "a second wrong field: the lesson's own hint" "Not ipv4\.version: try again \(2 wrong so far\)" \
    "Hint: It is the byte right after the type"
keys '[' Right
expect "the cursor on ICMP's code" "code = 3 \(port unreachable\)"
keys Enter
expect "Enter on icmp.code: right" "Right: icmp\.code = 3 \(port unreachable\)"

# ---- given up with a ------------------------------------------------------------------------------------
keys n
expect "step 3 asks for the quoted source port" "^ step 3 of 5: The error quotes the datagram"
keys a
expect "a gives up: the right answer and the lesson's answer are shown" \
    "The right answer: udp\.src_port = 39310" "Answer: 39310, the quoted source port"

# ---- ask choice: a wrong choice, then the right one -----------------------------------------------------
keys n
expect "step 4 asks nothing" "^ step 4 of 5: TCP to a closed port"
keys n
expect "step 5" "^ step 5 of 5: TCP answers for itself"
keys n
expect "step 5 lists the choices, numbered" \
    "^ 1\. An ICMP port unreachable, as for UDP" "^ 2\. A TCP segment from port 23"
keys 1
expect "a wrong choice is said at once" "Not 1 \(An ICMP port unreachable, as for UDP\): try again"
keys 2
expect "the right choice; on the last step the status row points at the score" \
    "Right: A TCP segment from port 23 with RST" "right! that was the last step; the score is below \(J\)"
keys J J J J J J
expect "the score, under the last step's answer" \
    "^ Score: 3 of 4 questions answered right \(0 at the first try\); 1 given up"
keys '?'
expect "the help lists the keys that answer" "On a step that asks" "^   1-9 +ask choice: that choice"
keys x q
expect "q ends the lesson" "^exited 0$"

# ---- The other sizes: how to answer, a right answer, the prompt on its row --------------------------
for size in "60 20" "160 48"; do
    # shellcheck disable=SC2086
    start $size "$DEMUX" lesson 11
    expect "$size: step 1" "^ step 1 of 5"
    keys n
    expect "$size: how to answer, under the question" "Answer: press Enter and type the value"
    keys Enter
    expect "$size: the answer prompt" "your answer \(Enter checks"
    text echo
    keys Enter
    expect "$size: a port's service name is wrong when it is another's" "Not 'echo': try again"
    answer 33434
    expect "$size: right, the number whole" "Right: udp\.dst_port = 33434"
    keys q
    expect "$size: q" "^exited 0$"
done

# ---- The results file ---------------------------------------------------------------------------------
$PY tests/validate_schema.py lessons/lesson-results.schema.json "$R" >"$TMP/v" && pass ||
    { fail "the results file does not validate"; cat "$TMP/v"; }
$PY - "$R" <<'EOF' && pass || fail "the results file says what was answered (see above)"
import json, sys
r = json.load(open(sys.argv[1]))
a = {x["step"]: x for x in r["answers"]}
want = {
    1: (["53", "0x1", "0x829a"], True, False, True),
    2: (["icmp.type", "ipv4.version", "icmp.code"], True, False, True),
    3: ([], False, True, False),
    5: (["1. An ICMP port unreachable, as for UDP",
         "2. A TCP segment from port 23 with RST (and ACK) set"], True, False, False),
}
bad = []
for step, (tries, right, revealed, hinted) in want.items():
    x = a[step]
    got = ([t["answer"] for t in x["tries"]], x["right"], x["revealed"], x["hint_shown"])
    if got != (tries, right, revealed, hinted):
        bad.append(f"step {step}: {got}")
    if x["tries_count"] != len(tries) or x["seconds"] is None:
        bad.append(f"step {step}: tries_count {x['tries_count']}, seconds {x['seconds']}")
    secs = [t["seconds"] for t in x["tries"]]
    if secs != sorted(secs):
        bad.append(f"step {step}: try times out of order {secs}")
if sorted(a) != [1, 2, 3, 5] or a[2]["field"] != "icmp.code" or a[5]["form"] != "choice":
    bad.append(f"answers {sorted(a)}")
if r["score"] != {"asked": 4, "answered": 4, "right": 3, "right_first_try": 0}:
    bad.append(f"score {r['score']}")
if not r["finished"] or r["lesson"] != "11-nobody-listening":
    bad.append(f"finished {r['finished']}, lesson {r['lesson']}")
if not a[1]["expected"].startswith("udp.dst_port = 33434"):
    bad.append(f"expected {a[1]['expected']}")
for b in bad:
    print("   ", b)
sys.exit(1 if bad else 0)
EOF
# A schema that cannot fail proves nothing.
sed 's/"right_first_try": 0/"right_first_try": "none"/' "$R" >"$TMP/broken.json"
$PY tests/validate_schema.py lessons/lesson-results.schema.json "$TMP/broken.json" >/dev/null &&
    fail "a broken results file validates" || pass

# ---- --record: where it goes ---------------------------------------------------------------------------
expect_exit 2 "--record with --check" -- "$DEMUX" lesson 11 --check --record "$TMP/x.json"
expect_err "--record goes with a lesson played in the viewer" "--record with --check"
expect_exit 2 "--record without a terminal" -- "$DEMUX" lesson 11 --record "$TMP/x.json"
expect_err "--record needs the lesson played in a terminal" "--record without a terminal"
expect_exit 2 "--record on another command" -- "$DEMUX" decode --record "$TMP/x.json" traces/dns.pcap
expect_err "--record go with lesson" "--record on another command"
[ ! -e "$TMP/x.json" ] && pass || fail "a refused --record wrote its file"
start 80 24 "$DEMUX" lesson 11 --record "$TMP/no/such/dir/r.json"
expect "a results file that cannot be written: said before the terminal is taken, exit 1" \
    "cannot write the results beside $TMP/no/such/dir/r\.json" "^exited 1$"

# ---- --check refuses, each as file:line ----------------------------------------------------------------
B=$TMP/broken.lesson
cat >"$B" <<'EOF'
title: Broken asks
trace: ../../$TRACES/real-icmp-errors.pcap

step 1: An ask about a field the packet lacks
packet 1
A UDP datagram.
ask value tcp.dst_port
question: Which port?
answer: None.

step 2: No right choice
packet 2
An ICMP error.
ask choice
question: Which?
choice: this
choice: that
answer: Neither.

step 3: An unknown form
packet 13
A SYN.
ask: colour tcp.flags
question: Which?
answer: This.
EOF
sed -i "s|../../\$TRACES|$PWD/traces|" "$B"
expect_exit 1 "--check of a lesson with broken asks" -- "$DEMUX" lesson --check "$B"
grep -qx "$B:7: ask value tcp\.dst_port: packet 1 has no such field to ask about; its layers: ethernet ipv4 udp payload" "$TMP/err" &&
    pass || { fail "an ask of a field the packet lacks, as file:line"; cat "$TMP/err"; }
grep -qx "$B:14: 'ask choice' needs exactly one right choice, marked 'choice: \* \.\.\.'; this list marks 0" "$TMP/err" &&
    pass || { fail "a choice list without one right answer, as file:line"; cat "$TMP/err"; }
grep -qx "$B:23: unknown ask 'colour': write 'ask field LAYER\.FIELD', 'ask value LAYER\.FIELD' or 'ask choice'" "$TMP/err" &&
    pass || { fail "an unknown form, as file:line"; cat "$TMP/err"; }
[ "$(wc -l <"$TMP/err")" -eq 3 ] && pass || { fail "three problems, no more"; cat "$TMP/err"; }
sed -i 's/^choice: this$/choice: * this/; s/^choice: that$/choice: * that/' "$B"
expect_exit 1 "--check of two right choices" -- "$DEMUX" lesson --check "$B"
grep -q "^$B:14: .*this list marks 2$" "$TMP/err" && pass || fail "two right choices, as file:line"

# ---- The exports: the answers folded away ---------------------------------------------------------------
"$DEMUX" lesson 11 --export md -o "$TMP/11.md"
q=$(grep -c '^\*\*Question\.\*\*' "$TMP/11.md")
d=$(grep -c '^<details><summary>Answer</summary>$' "$TMP/11.md")
[ "$q" -eq 4 ] && [ "$d" -eq 4 ] && pass || fail "each question's answer in a <details> ($q questions, $d folded)"
awk '/^\*\*Question\.\*\* Which port does the datagram/ { q = 1 } q && /^<details>/ { d = 1 }
     q && !d && /33434/ { bad = 1 } END { exit bad || !d }' "$TMP/11.md" &&
    pass || fail "the answer to step 1 is not shown before its <details>"
grep -q '^Right answer: udp\.dst_port = 33434 (registered), in word 1 of the UDP header (bits 16-31)\. ' "$TMP/11.md" &&
    pass || fail "the folded answer is read from the packet"
grep -q '^2\. A TCP segment from port 23 with RST (and ACK) set$' "$TMP/11.md" &&
    pass || fail "the choices are listed, without their mark"
"$DEMUX" lesson 11 >"$TMP/11.txt"
grep -q '^  (in the player: press Enter and type the value)$' "$TMP/11.txt" &&
    pass || fail "the text output says how the player takes the answer"

# ---- Sanitizers: nothing reported by any run above ------------------------------------------------------
if ls "$TMP"/asan* "$TMP"/ubsan* >/dev/null 2>&1; then
    fail "sanitizer reports from the player:"
    cat "$TMP"/asan* "$TMP"/ubsan* | head -40
else
    ok_line "no sanitizer report from any player run"
fi
finish
