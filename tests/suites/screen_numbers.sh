#!/bin/sh
# Numbers on the screen are never cut (issue 14): at 80x24, 60x20 and
# 160x48, on the project's traces, every row of the packet list (paged
# through to the end) and of the ladder (each conversation, paged through in
# zoom) is read back from capture-pane and each number on it compared with
# the decoder's (`demux export`), by tests/screen_numbers.py. Also where the
# ladder starts (the SYN in sight when the conversation fits) and that
# PgUp and PgDn page it in zoom.
. tests/lib.sh

for tool in tmux /usr/bin/python3; do
    if ! command -v $tool >/dev/null; then
        echo "FAIL: $tool is missing"
        bad=1
        finish
        exit 1
    fi
done

. tests/tmux.sh
CHECK="/usr/bin/python3 tests/screen_numbers.py"

# settle: wait until the screen differs from $TMP/prev and then holds
# still for a moment (a redraw read half done would be a false fault);
# false when it never changes.
settle() {
    i=0
    while [ $i -lt $((WAIT_SECONDS * 50)) ]; do
        screen
        if ! cmp -s "$TMP/screen" "$TMP/prev"; then
            cp "$TMP/screen" "$TMP/prev"
            sleep 0.03
            screen
            cmp -s "$TMP/screen" "$TMP/prev" && return 0
        fi
        sleep 0.02
        i=$((i + 1))
    done
    return 1
}

# shot KIND: keep the screen, to be checked with the others of its kind
# (list, ladder) by one run of the checker (check).
shot() {
    shots=$((shots + 1))
    cp "$TMP/screen" "$TMP/shots/$1.$shots"
}

# check KIND WHAT NUMBERS...: the screens kept of KIND against the
# decoder, and every packet number given read on one of them.
check() {
    kind=$1 what=$2
    shift 2
    if $CHECK "$TMP/export.json" "$kind" "$TMP/seen" "$TMP/shots/$kind".* >"$TMP/faults"; then
        ok_line "$what: numbers whole"
    else
        fail "$what:"
        head -12 "$TMP/faults"
    fi
    missing=$(printf '%s\n' "$@" | grep -vxF -f "$TMP/seen" | head -8 | tr '\n' ' ')
    if [ -z "$missing" ]; then ok_line "$what: every row read"; else fail "$what: never on screen: $missing"; fi
    rm -f "$TMP/shots/$kind".*
}

# py EXPRESSION: a value from the export (d), printed by python.
py() { /usr/bin/python3 -c "import json; d = json.load(open('$TMP/export.json')); $1"; }

# walk_list W H: page through the whole list from the first packet.
walk_list() {
    : >"$TMP/prev"
    keys Home
    while settle; do
        shot list
        grep -Eq "^[ >]*$final " "$TMP/screen" && break
        keys NPage
    done
    check list "$trace at $1x$2: list" $every
}

# walk_ladder W H: each conversation from its first packet: the ladder
# beside the list, then zoomed and paged with PgDn to its last packet.
# Where PgDn does not page (as before issue 14), the walk goes on with g
# to the packet after the last row shown, so the rows are read anyway.
walk_ladder() {
    while read -r conv first last; do
        : >"$TMP/prev"
        keys g
        text "$first"
        keys Enter l
        settle && shot ladder
        keys z
        settle
        while :; do
            shot ladder
            grep -Eq "^[ >]*$last +([0-9.]+ +)?\|" "$TMP/screen" && break
            keys NPage
            settle && continue
            m=$(sed -nE 's/^ *([0-9]+) +([0-9.]+ +)?\|.*/\1/p' "$TMP/screen" | tail -1)
            next=$(awk -v m="${m:-0}" '$1 > m { print; exit }' "$TMP/conv.$conv")
            [ -n "$next" ] || break
            keys g
            text "$next"
            keys Enter
            settle || break
        done
        keys z
    done <"$TMP/convs"
    check ladder "$trace at $1x$2: ladder" $paired
}

shots=0
mkdir "$TMP/shots"
for trace in traces/telnet-session.pcap traces/telnet-two-users.pcap traces/real-telnet-login.pcap \
    traces/real-telnet-two-users.pcap traces/dns.pcap traces/firewall.pcap; do
    "$DEMUX" export "$trace" >"$TMP/export.json"
    # What the walks look for, read once a trace: the last packet, every
    # packet, those in a conversation, and each conversation's packets.
    final=$(py "print(d['packets'][-1]['number'])")
    every=$(py "print(*[p['number'] for p in d['packets']])")
    paired=$(py "print(*[p['number'] for p in d['packets'] if 'socket_pair' in p])")
    py "print(*['%d %d %d' % (c['id'], c['first_packet'], c['last_packet']) for c in d['conversations']], sep='\n')" >"$TMP/convs"
    py "[open('$TMP/conv.%d' % c['id'], 'w').write(''.join('%d\n' % p['number'] for p in d['packets'] if p.get('socket_pair', {}).get('conversation') == c['id'])) for c in d['conversations']]"
    for size in 80x24 60x20 160x48; do
        w=${size%x*} h=${size#*x}
        start "$w" "$h" "$DEMUX" "$trace"
        shows "packets \| filter" >/dev/null
        walk_list "$w" "$h"
        walk_ladder "$w" "$h"
        keys q
    done
done

# ---- Where the ladder starts, and paging it ----------------------------------------------------
# Lesson 04, step 5 selects the third packet of a conversation that fits
# at 160x48: the ladder shows it from its SYN.
"$DEMUX" export traces/telnet-two-users.pcap >"$TMP/export.json"
start 160 48 "$DEMUX" lesson 04
expect "lesson 04 starts" "step 1 of"
for step in 2 3 4 5; do
    keys a n # the answer first, then the next step
    shows "step $step of" >/dev/null
done
expect "lesson 04, step 5" "step 5 of"
screen
syn=$(py "c = d['conversations']; print(c[0]['handshake']['syn'])")
if grep -Eq "^[ >] *$syn +[0-9.]+ +\|--SYN " "$TMP/screen"; then
    ok_line "lesson 04 step 5 at 160x48: the ladder starts at the SYN"
else
    bad_line "lesson 04 step 5 at 160x48: the SYN (packet $syn) is hidden"
fi
keys q q

# PgDn pages the zoomed ladder and PgUp comes back; the selection follows.
start 80 24 "$DEMUX" traces/real-telnet-login.pcap
shows "packets \| filter" >/dev/null
keys g
text 10
keys Enter l z
expect "the zoomed ladder with packet 10" "^[ >] *10 +0\.002136 +\|" "^ ladder \| packet 10:"
keys NPage
expect "PgDn pages the ladder, the selection with it" "^ ladder \| packet 27:" "^[ >] *27 +[0-9.]+ +\|"
screen
lacks "PgDn: the rows above scrolled away" "^[ >] *10 +0\.002136 +\|"
keys PPage PPage
expect "PgUp pages back to the SYN" "^[ >] *1 +0\.000000 +\|--SYN" "^ ladder \| packet 1:"
keys q
finish
