#!/bin/sh
# The lesson player in the viewer, driven in a real terminal as in
# viewer.sh (tmux, send-keys, capture-pane, waiting for what is expected,
# never a fixed sleep): a lesson played to the end, each step's narration
# and packet as the lesson file says; a question that holds the lesson
# until its answer is shown; stepping back; the focused fields marked; the
# path cut to what the step looks at; the help; a small terminal; q; and
# the plain text when the output is not a terminal.
. tests/lib.sh

. tests/tmux.sh

# shows_as MODE PATTERN: tests/tmux.sh's shows, with a grep MODE: -E (a
# regular expression) or -F (a fixed string: lesson text).
shows_as() {
    i=0
    while [ $i -lt $((WAIT_SECONDS * 20)) ]; do
        screen
        grep -q "$1" -- "$2" "$TMP/screen" && return 0
        sleep 0.05
        i=$((i + 1))
    done
    return 1
}

# expect DESCRIPTION PATTERN...: the screen shows every pattern (grep -E);
# expect_text the same with fixed strings.
expect_mode() {
    mode=$1 what=$2
    shift 2
    for p in "$@"; do
        if ! shows_as "$mode" "$p"; then
            bad_line "$what (no '$p' on screen)"
            return 1
        fi
    done
    ok_line "$what"
}
expect() { expect_mode -E "$@"; }
expect_text() { expect_mode -F "$@"; }


# steps LESSON: one line per step, "number|heading|packet|view|question|words",
# where words are the first three words of the step's narration.
steps() {
    awk '
    function out() { printf "%d|%s|%s|%s|%d|%s\n", n, head, pkt, view, q, first }
    /^#/ { next }
    /^step *[0-9]*( *:.*)?$/ { if (n) out(); n++; head = $0; sub(/^step *[0-9]*:? */, "", head)
              pkt = ""; view = "path"; first = ""; q = 0; inq = 0; next }
    !n { next }
    /^packet [0-9]+$/ { pkt = $2; next }
    /^view [a-z]+$/ { view = $2; next }
    /^(focus|filter:|ref:)/ { next }
    /^question:/ { q = 1; inq = 1; next }
    /^answer:/ { inq = 1; next }
    /^$/ { inq = 0; next }
    { if (!inq && first == "") first = $1 " " $2 " " $3 }
    END { if (n) out() }' "$1"
}

# ---- Lesson 03 at 80x24: the first step ----------------------------------------------------------
L=lessons/03-telnet-handshake.lesson
nsteps=$(steps $L | wc -l)
start 80 24 "$DEMUX" lesson 03
expect "the player opens on step 1: narration, step count, title, the step's packet and view" \
    "^ step 1 of $nsteps: The client's SYN - The telnet handshake: port 3044 cal(ls|…|~)" \
    "^ The telnet client asked its operating system for a port" \
    "^ words \| packet 1: tcp 172\.16\.12\.2\.3044 > 192\.168\.16\.2\.23"
expect "80x24: the list, the view and the narration all on screen" \
    "No\. +Time +Source" "^[ >] *1 +0\.000000 172\.16\.12\.2\.3044" "telnet-handshake\.pcap \| 5 packets"
expect "the words view opens on the first focused field's layer, focused fields marked >so<" \
    "TCP \(RFC 9293\), layer 3 of 3" "^[ >] *1 \| +>src_port 3044 \(registered\)< +\| +>\*dst_port 23< +\|" "\*dst_port 23 \(telnet, well-known\)" \
    "src_port = 3044 \(registered\) +word 1, bits 0-15"
screen
lacks "a field the step does not focus is not marked" ">seq|>window"
keys J J J J J J
expect "J scrolls the narration: the fields to look at, named" "look at: tcp\.src_port, tcp\.dst_port, tcp\.flags" \
    " K: back up |J/K: more"
keys K K K K K K
expect "K scrolls it back" "^ The telnet client asked"

# ---- A question holds the step until its answer is shown -----------------------------------------
keys n
expect "n on a question: the lesson stays, and says to press a" "press a to see the answer first" \
    "Question: Who chose 3044, and who chose 23\?" "\(think first; press a to see the answer\)"
screen
lacks "n did not leave step 1" "step 2 of"
keys Space
expect "Space does not leave it either" "press a to see the answer first" "^ step 1 of $nsteps"
keys a
expect "a shows the answer" "Answer: The client's own operating system lent it 3044"
keys n
expect "after the answer, n goes on to step 2 and its packet" "^ step 2 of $nsteps: The server's reply" \
    "^ words \| packet 2: tcp 192\.168\.16\.2\.23 > 172\.16\.12\.2\.3044"
keys p
expect "p steps back: step 1's narration and packet again" "^ step 1 of $nsteps: The client's SYN" \
    "^ The telnet client asked" "^ words \| packet 1: tcp"
keys p
expect "p on the first step says so" "this is the first step"

# ---- The bytes view, exploring, r, the help -----------------------------------------------------------
keys b
expect "the bytes view lists the focused fields' bytes" "lesson: tcp\.src_port 34-35, tcp\.dst_port 36-37"
keys j j d
expect "the student may explore: other keys still work" "^ path \| packet 3: tcp"
screen
lacks "on another packet nothing is marked as the step's" "lesson: the path up to"
keys r
expect "r: back to the step's packet and view" "^ words \| packet 1: tcp" ">src_port 3044"
keys /
text "udp"
keys Enter
expect "a display filter may hide the step's packet" "0 packets match 'udp'"
keys r
expect "r shows every packet again for the step" "every packet shown again" "^ words \| packet 1: tcp" \
    "^[ >] *2 +0\.000200 "
keys '?'
expect "? lists the lesson's keys first, from their table" "While the lesson plays" \
    "^   n, Space +the next step" "^   a +show the answer" "^   r +back to the step's packet and view"
keys x
expect "any key closes the help" "^ step 1 of $nsteps"

# ---- To the end, as the lesson file says ------------------------------------------------------------
steps $L >"$TMP/steps"
while IFS='|' read -r n head pkt view q words; do
    if [ "$n" -gt 1 ]; then
        keys n
    fi
    expect_text "step $n: heading, narration" "step $n of $nsteps: $head" " $words" || continue
    expect "step $n: packet $pkt in the $view view" "^ $view \| packet $pkt: " || continue
    if [ "$q" = 1 ]; then
        keys a
        expect "step $n: its answer shown" "Answer: "
    fi
    if [ "$n" -eq 4 ]; then
        # The port the step asks about is in its view (issue 14), not
        # only in the list: the words view on TCP, whose word 1 holds it.
        expect "step 4 (What kind of port is 3044?): 3044 in the step's view" \
            "^ words \| packet 1: " "^[ >] *1 \| +>src_port 3044 \(registered\)< +\|"
    fi
done <"$TMP/steps"
keys n
expect "n on the last step says so" "that was the last step"
keys p
expect "p from the end: step $((nsteps - 1)) again" "^ step $((nsteps - 1)) of $nsteps"
keys q
expect "q quits and gives the terminal back" "^exited 0$"

# ---- A path view only as far up as the step looks ----------------------------------------------------
start 80 24 "$DEMUX" lesson 10
expect "lesson 10 step 1 (path, focus ethernet.ethertype): the path only up to IPv4" \
    "^ path \| packet 12: " "lesson: the path up to IPv4, as far as this step looks" "\| IPv4 \|"
# The step's ref: line, in the narration pane right under the narration.
expect "lesson 10 step 1: its reference under the narration" \
    "^ +ref: IEEE 802\.3 Length/Type; IANA ether types"
screen
awk '/ethertype, 0x0800, says the frame carries IPv4\./ { n = NR } /^ +ref: IEEE 802\.3/ { r = NR }
     END { exit !(n && r == n + 1) }' "$TMP/screen" &&
    ok_line "lesson 10 step 1: the ref: line is the row under the narration" ||
    bad_line "lesson 10 step 1: the ref: line is not right under the narration"
screen
lacks "lesson 10 step 1: no TCP box yet" "\| TCP \||\[ +TCP +\]"
keys q
expect "quit lesson 10" "^exited 0$"

# ---- Lesson 08: each filter's verdict, as the text says -------------------------------------------
"$DEMUX" lesson 08 >"$TMP/08.txt"
sed -n "s/.*as a firewall policy: packet [0-9]* \(passes\|is dropped\)$/\1/p" "$TMP/08.txt" >"$TMP/verdicts"
L=lessons/08-privileged-ports.lesson
nsteps=$(steps $L | wc -l)
steps $L >"$TMP/steps"
start 160 48 "$DEMUX" lesson 08
judged=0
while IFS='|' read -r n head pkt view q words; do
    [ "$n" -gt 1 ] && keys n
    expect "lesson 08 step $n: packet $pkt in the $view view" "^ step $n of $nsteps" \
        "^ $view \| packet $pkt: " || continue
    if awk -v n="$n" '/^step/ { s++ } s == n && /^filter:/ { f = 1 } END { exit !f }' $L; then
        judged=$((judged + 1))
        verdict=$(sed -n "${judged}p" "$TMP/verdicts")
        expect "lesson 08 step $n: the filter's verdict as the lesson says: $verdict" \
            "firewall policy: this packet $verdict; of the trace's 19 packets it passes"
    fi
    [ "$q" = 1 ] && keys a
done <"$TMP/steps"
[ "$judged" -eq "$(wc -l <"$TMP/verdicts")" ] && [ "$judged" -gt 0 ] &&
    ok_line "lesson 08: all $judged verdicts checked" || fail "lesson 08: $judged verdicts seen"
keys q
expect "quit lesson 08" "^exited 0$"

# ---- A small terminal: one pane at a time, the narration first -------------------------------------
start 50 15 "$DEMUX" lesson 03
expect "50x15: the narration alone first" "^ step 1 of 5" "^ The telnet client asked"
screen
lacks "50x15: no list beside it" "No\. +Proto"
keys Tab
expect "Tab: the list" "No\. +Proto +Summary"
keys Tab
expect "Tab: the step's view" "^ words \| packet 1"
keys Tab
expect "Tab: the narration again" "^ step 1 of 5"
keys j j j j j j j j j j
expect "j scrolls the narration when it is shown alone" "Question: Who chose 3044"
keys Enter
expect "Enter on the narration: the step's view" "^ words \| packet 1"
screen
# Columns, not bytes: the mark of text left out (…) is three bytes, one column.
[ "$(sed 's/\xe2\x80\xa6/./g' "$TMP/screen" | awk 'length > 50' | wc -l)" -eq 0 ] &&
    ok_line "50x15: nothing drawn past the edges" || bad_line "50x15: lines past the edges"
tm resize-window -x 80 -y 24
expect "back at 80x24: list, view and narration together" "No\. +Time +Source" "^ words \| packet 1" \
    "^ step 1 of 5"
keys q
expect "quit from the small terminal" "^exited 0$"

# ---- Narration is escaped like capture bytes; mono theme --------------------------------------------
printf 'title: Escapes\ntrace: %s/traces/telnet-handshake.pcap\n\nstep 1\npacket 1\nfocus tcp.dst_port\nview bytes\nBefore \033]0;PWNED\007 after \033[2J.\n' \
    "$PWD" >"$TMP/esc.lesson"
start 80 24 "$DEMUX" --theme mono lesson "$TMP/esc.lesson"
expect "control bytes in narration are shown escaped" 'Before \\x1b\]0;PWNED\\x07 after \\x1b\[2J\.' \
    "^ bytes \| packet 1" "lesson: tcp\.dst_port 36-37"
[ "$(tm display -p '#{pane_title}')" != PWNED ] && ok_line "the terminal title is unchanged" ||
    bad_line "the narration retitled the terminal"
keys q
expect "quit (mono theme)" "^exited 0$"

# ---- Without a terminal: the text, as before ---------------------------------------------------------
expect_exit 0 "a lesson into a pipe is printed as text" -- "$DEMUX" lesson 03
grep -q "^Step 1 of 5: The client's SYN$" "$TMP/out" && [ ! -s "$TMP/err" ] && pass ||
    fail "the text of lesson 03 when the output is no terminal"

# ---- Sanitizers: nothing reported by any run above ---------------------------------------------------
if ls "$TMP"/asan* "$TMP"/ubsan* >/dev/null 2>&1; then
    fail "sanitizer reports from the player:"
    cat "$TMP"/asan* "$TMP"/ubsan* | head -40
else
    ok_line "no sanitizer report from any player run"
fi

finish
