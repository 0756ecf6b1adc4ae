#!/bin/sh
# Accessibility: the terminal's cursor on the selection in every view and
# moving with it (tmux reports #{cursor_x},#{cursor_y}), the status row
# naming the selection, when the cursor is shown (--cursor, a screen
# reader detected, --no-cursor); every distinction still there without
# colour (NO_COLOR, every theme, every view); the colorblind theme under
# simulated colour-vision deficiencies; demux lesson --plain for every
# lesson.
. tests/lib.sh

. tests/tmux.sh
T=traces/multiplexing.pcap

# cursor: "x,y" of the cursor, or "hidden".
cursor() {
    [ "$(tm display -p '#{cursor_flag}')" = 1 ] || { echo hidden; return; }
    tm display -p '#{cursor_x},#{cursor_y}'
}
# cursor_on DESCRIPTION PATTERN: wait until the row the cursor is on
# matches PATTERN (grep -E) from the cursor's column on.
cursor_on() {
    i=0
    while [ $i -lt $((WAIT_SECONDS * 20)) ]; do
        screen
        c=$(cursor)
        if [ "$c" != hidden ]; then
            x=${c%,*} y=${c#*,}
            sed -n "$((y + 1))p" "$TMP/screen" | cut -c$((x + 1))- | grep -Eq -- "$2" && {
                ok_line "$1 (cursor $c)"
                return 0
            }
        fi
        sleep 0.05
        i=$((i + 1))
    done
    bad_line "$1 (cursor $(cursor), wanted on /$2/)"
}
# status DESCRIPTION PATTERN: the bottom row names the selection.
status() {
    i=0
    while [ $i -lt $((WAIT_SECONDS * 20)) ]; do
        screen
        tail -1 "$TMP/screen" | grep -Eq -- "$2" && { ok_line "$1"; return 0; }
        sleep 0.05
        i=$((i + 1))
    done
    bad_line "$1 (status row not /$2/)"
}

# ---- The cursor follows the selection, 80x24 ---------------------------------------------------
start 80 24 "$DEMUX" --cursor $T
expect "the viewer starts" "^[ >] *1 +0\.000000"
cursor_on "list: the cursor on the selected row" "^[ >] *1 +0\.000000"
status "the status row names the packet" "^ packet 1 of 26, DNS query"
keys j
cursor_on "j: the cursor on the next row" "^[ >] *2 +0\.001100"
keys j j
cursor_on "j j: packet 4" "^[ >] *4 +0\.003500"
status "the status row follows" "^ packet 4 of 26, TCP 3391 > 25 \[SYN\]"
keys k
cursor_on "k: back to packet 3" "^[ >] *3 +0\.003300"
keys w
cursor_on "w: the list keeps the focus, and the cursor" "^[ >] *3 "
keys Right
cursor_on "words: Right beside the list moves the cursor to the next field's box" "src "
status "the status row names the field" "^ field src, Ethernet II, word 2, value 02:00:00:00:00:0"
keys Right
cursor_on "words: Right again, the ethertype" "\*ethertype 0x0800"
status "a demux key is said to be one" "field ethertype, Ethernet II, word 4, value 0x0800 \(ipv4\), demux key"
keys Left
cursor_on "words: Left, back to src" "src "
keys j
cursor_on "j in the list moves the cursor back to the packet" "^[ >] *4 +0\.003500"
keys t
cursor_on "tree: the cursor on the selected node" "conversation|port|ethertype|ethernet|ip"
before=$(cursor)
keys k
cursor_on "tree: k moves to the node above" "conversation|port|protocol|ethertype"
[ "$(cursor)" != "$before" ] && ok_line "tree: the cursor moved ($before -> $(cursor))" \
    || bad_line "tree: the cursor stayed at $before"
status "the status row names the tree node" "^ tree node "
keys s
cursor_on "sockets: the cursor on the selected socket pair" "[0-9]+ 172\.16\.12\.2\."
status "the status row names the socket pair" "^ socket pair [0-9]+, (tcp|udp) "
keys l
cursor_on "ladder: the cursor on the packet's row" "^[ >] *4 "
status "the status row names the ladder row" "^ ladder row, packet 4, client to server"
keys d
cursor_on "path: the cursor on the selected layer's box" "^\[? *Ethernet II"
status "path: the status row names the layer" "^ path layer Ethernet II, 1 of 3"
keys b
status "bytes: the status row names the field" "^ field "
cursor_on "bytes: the cursor on the field's first byte" "^02 00  00 00 00 01"
keys q
expect "quits" "^exited 0$"

# ---- Other sizes --------------------------------------------------------------------------------
start 60 20 "$DEMUX" --cursor $T
cursor_on "60x20: the cursor on the selected row" "^[ >]*1 "
keys j
cursor_on "60x20: j moves it" "^[ >]*2 "
keys q
start 160 48 "$DEMUX" --cursor $T
cursor_on "160x48: the cursor on the selected row" "^[ >] *1 +0\.000000"
keys j j
cursor_on "160x48: j j moves it" "^[ >] *3 +0\.003300"
keys q

# ---- When the cursor is shown ------------------------------------------------------------------
hidden_by_default() {
    start 80 24 "$@"
    expect "started ($*)" "^[ >] *1 "
    keys j
    expect "j" "^[ >] *2 "
}
hidden_by_default env -u ACCESSIBILITY_ENABLED TERM=xterm "$DEMUX" $T
if pgrep -x brltty >/dev/null || pgrep -x orca >/dev/null; then
    ok_line "a screen reader runs here: the default is not checked"
else
    [ "$(cursor)" = hidden ] && ok_line "no screen reader: the cursor is hidden" \
        || bad_line "no screen reader, yet the cursor is shown at $(cursor)"
fi
hidden_by_default env ACCESSIBILITY_ENABLED=1 "$DEMUX" $T
cursor_on "ACCESSIBILITY_ENABLED=1 shows the cursor" "^[ >] *2 "
hidden_by_default env ACCESSIBILITY_ENABLED=1 "$DEMUX" --no-cursor $T
[ "$(cursor)" = hidden ] && ok_line "--no-cursor hides it even then" \
    || bad_line "--no-cursor, yet the cursor is at $(cursor)"
hidden_by_default env TERM=linux "$DEMUX" $T
cursor_on "TERM=linux shows the cursor" "^[ >] *2 "

# ---- The lesson player --------------------------------------------------------------------------
start 80 24 "$DEMUX" --cursor lesson 01
expect "the lesson plays" "step 1 of "
keys a
expect "a: the answer" "One byte has 256 values"
keys n
cursor_on "n: the cursor on the lesson's step heading" "^step 2 of "
status "the status row reads the step" "^ step 2 of [0-9]+"
keys q

# ---- No colour: every theme, every view keeps its marks ----------------------------------------
# colours: the screen with its attributes holds a colour (SGR 30-37, 40-47,
# 90-107, 38;5, 48;5; not 39 and 49, the terminal's own).
ESC=$(printf '\033')
colours() {
    tm capture-pane -p -e | grep -Eq "$ESC\[([0-9;]*;)?(3[0-8]|4[0-8]|9[0-7]|10[0-7])(;[0-9;]*)?m"
}
start 80 24 "$DEMUX" --theme colorblind $T
expect "--theme colorblind: starts" "multiplexing\.pcap"
colours && ok_line "--theme colorblind: in colour" || bad_line "--theme colorblind: no colour on screen"
keys q
for theme in $("$DEMUX" --for-build=themes); do
    start 80 24 NO_COLOR=1 "$DEMUX" --theme "$theme" $T
    expect "NO_COLOR, $theme: starts" "^[ >] *1 +0\.000000"
    keys j j
    expect "$theme: view path, the key that chose each layer" "\^ +port 23 \(word 1\)"
    keys w Right Right
    expect "$theme: words, the demux key marked '*'" "\*ethertype 0x0800"
    keys b
    expect "$theme: bytes, each layer's letter and the selected layer '>'" "^ ?0000 A" ">A Ethernet II 0-13"
    keys s
    expect "$theme: sockets, this packet's conversation '>'" "^ *>.* 2 +172\.16\.12\.2\.3390"
    keys t
    expect "$theme: tree, this packet's conversation '>'" "^>.*conversation 2"
    keys l
    expect "$theme: ladder, the arrow's direction" "\|--SYN seq 0 len 0-+>\|"
    keys f
    expect "$theme: stream, client and server told by C>S and S>C" "C>S" 
    screen
    colours && bad_line "NO_COLOR, $theme: colour on screen" || ok_line "NO_COLOR, $theme: no colour"
    keys q
done
start 80 24 NO_COLOR=1 "$DEMUX" lesson 01
expect "NO_COLOR lesson: the focused field marked >so<" ">\*?protocol 6<"
keys q

# ---- The colorblind theme under simulated colour-vision deficiencies ---------------------------
if /usr/bin/python3 tests/theme_contrast.py >"$TMP/contrast" 2>&1; then
    pass
    tail -1 "$TMP/contrast"
else
    fail "tests/theme_contrast.py:"
    sed 's/^/    /' "$TMP/contrast"
fi

# ---- demux lesson --plain, every lesson ---------------------------------------------------------
for f in lessons/*.lesson; do
    name=$(basename "$f" .lesson)
    if ! "$DEMUX" lesson "$name" --plain </dev/null >"$TMP/plain" 2>"$TMP/err"; then
        fail "$name --plain: exit non-zero"; sed 's/^/    /' "$TMP/err" | head -3
        continue
    fi
    "$DEMUX" lesson "$name" --export json -o "$TMP/l.json" 2>/dev/null
    "$DEMUX" lesson "$name" >"$TMP/text" </dev/null 2>/dev/null
    /usr/bin/python3 - "$TMP/plain" "$TMP/l.json" "$TMP/text" "$name" <<'PY' && pass || fail "$name --plain"
import json, sys
plain = open(sys.argv[1], "rb").read()
lesson = json.load(open(sys.argv[2]))
text = open(sys.argv[3], encoding="utf-8").read()
name, bad = sys.argv[4], []
controls = sorted({b for b in plain if (b < 0x20 and b not in (9, 10)) or b == 0x7f})
if controls:
    bad.append(f"bytes {controls} below 0x20 (not newline or tab) or DEL")
out = plain.decode("utf-8")
for s in lesson["steps"]:
    for line in (s.get("narration") or "").split("\n"):
        if line.strip() and line.strip() not in out:
            bad.append(f"step {s['number']}: narration line missing: {line.strip()[:60]}")
    for key in ("question", "answer"):
        for line in (s.get(key) or "").split("\n"):
            if line.strip() and line.strip() not in out:
                bad.append(f"step {s['number']}: {key} missing: {line.strip()[:60]}")
    if s.get("heading") and s["heading"] not in out:
        bad.append(f"step {s['number']}: heading missing")
# The focused fields with their values, as the text export writes them.
for line in text.splitlines():
    if line.startswith("  focus ") or (line.startswith("                 ") and ", word" in line):
        if line.strip() not in out:
            bad.append(f"focus line missing: {line.strip()[:70]}")
if f"Step {len(lesson['steps'])} of {len(lesson['steps'])}" not in out or "End of the lesson." not in out:
    bad.append("not every step, or no end")
for b in bad[:5]:
    print(f"FAIL: {name}: {b}")
sys.exit(1 if bad else 0)
PY
done
# A terminal on standard input: it waits for Enter before each step and answer.
start 80 24 "$DEMUX" lesson 01 --plain
expect "--plain at a terminal waits before the first step" "\[Enter: step 1 of [0-9]+; q, Enter: stop\]"
lacks "--plain: nothing of step 1 yet" "^Step 1 of"
keys Enter
expect "--plain: Enter shows step 1, then waits for the answer" "Question: How many" "\[Enter: the answer; q, Enter: stop\]"
lacks "--plain: the answer held back" "Answer: "
keys Enter
expect "--plain: Enter shows the answer, then waits for step 2" "Answer: One byte" "\[Enter: step 2 of"
keys q Enter
expect "--plain: q stops" "^exited 0$"
# An ask step takes its answer on standard input, judged against the packet.
start 80 24 "$DEMUX" lesson 11 --plain
expect "--plain lesson 11 waits before step 1" "\[Enter: step 1 of 5; q, Enter: stop\]"
keys Enter
expect "--plain: an ask step asks for the answer" "Your answer: the value" "^  > *$"
text 80
keys Enter
expect "--plain: a wrong answer is said at once" "Not right; try again"
text 0x51
keys Enter
expect "--plain: after two wrong tries, the hint" "Hint: udp\.dst_port is in word 1 of the UDP header"
lacks "--plain: the answer held back while the reader tries" "Answer: 33434"
text 33434
keys Enter
expect "--plain: the right answer, then the lesson's answer" "^  Right\.$" "Answer: 33434"
keys Enter
expect "--plain: an ask field answered by the field's name" "Your answer: the field's name"
text icmp.code
keys Enter
expect "--plain: icmp.code is right" "^  Right\.$"
keys q Enter
expect "--plain: q stops after an ask" "^exited 0$"
expect_exit 2 "--plain and --export together: wrong usage" -- "$DEMUX" lesson 01 --plain --export json
expect_err "--plain prints a lesson: not with --list, --check or --export" "--plain and --export: one line"
expect_exit 2 "--plain with decode: wrong usage" -- "$DEMUX" decode $T --plain
finish
