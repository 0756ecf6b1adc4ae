#!/bin/sh
# Issue 14, in a real terminal (tmux, as viewer.sh) at 80x24, 60x20 and
# 160x48: the word grid names what a class copies off the screen (a field
# too narrow for its name gets a letter and the legend under the grid
# names it; a demux key keeps its name before its annotation); PgUp and
# PgDn scroll the zoomed stream and path; Tab in zoom says it ends the
# zoom; the services citation of lesson 02 step 3 is on screen whole;
# every help line is whole; the sockets view is grouped by server socket.
. tests/lib.sh
S=traces/telnet-session.pcap

. tests/tmux.sh

# ---- The word grid names its fields -------------------------------------------------------------
for size in "80 24" "60 20" "160 48"; do
    set -- $size
    at="$1x$2"
    start "$@" "$DEMUX" $S
    keys w ]
    expect "$at words, IPv4: version and ihl named with their values (box or legend)" \
        "(^|[ |:])version( =)? +4([^0-9]|$)|\| +version +\|" "ihl 5|\| +ihl +\|"
    if [ "$1" -lt 160 ]; then
        expect "$at words, IPv4: version, too narrow for its name, has a letter in the legend" \
            "\|a 4\||\| +a 4 +\|" "a: version 4"
        screen
        lacks "$at words: no number cut with ~" "[0-9]~ *\|"
    fi
    # The grid follows the selected field: word 3 may be below a small pane.
    keys Tab Down Down Right
    expect "$at words, IPv4: protocol, a demux key, named with its value" \
        "\*protocol 6|\| +\*protocol +\|" "protocol 6 \(tcp\)|protocol = 6 \(tcp\)"
    keys Tab ]
    expect "$at words, TCP: src_port and dst_port named" "src_port 3382" "\*dst_port 23"
    expect "$at words, TCP: dst_port's annotation in the legend" "\*dst_port 23 \(telnet, well-known\)"
    keys Tab '[' '[' Down Down Down
    expect "$at words, Ethernet: ethertype named with its value" "ethertype( =)? 0x0800"
    keys q
done

# ---- The explanation under the grid wraps, and i pages it -----------------------------------------
start 80 24 "$DEMUX" $S
keys w ] ]
expect "80x24 words: the explanation is longer than its rows: it says i: more" "i: more --"
keys i
expect "i: the rest of the explanation, the note wrapped, its end indented on the next row" \
    "^ note: the client's port, lent by its system for this connection \\(Linux lends$" "^   32768-60999; old BSD systems"
keys q

# ---- Zoom: PgUp and PgDn in the stream and the path; Tab ------------------------------------------
for size in "80 24" "60 20" "160 48"; do
    set -- $size
    at="$1x$2"
    start "$@" "$DEMUX" $S
    keys End Home f z
    expect "$at zoomed stream" "^ stream \| packet 1:"
    keys NPage
    expect "$at PgDn in the zoomed stream: a page of data further" "^ stream \| packet [1-9][0-9]:"
    keys PPage
    expect "$at PgUp: back" "^ stream \| packet [4-9]:|^ stream \| packet 1[0-9]?:"
    keys Tab
    expect "$at Tab in zoom says it ends the zoom" "zoom off, the list is back \(z: zoom\)"
    keys q
done
start 60 20 "$DEMUX" traces/multiplexing.pcap
keys g
text 13
keys Enter d Tab
expect "60x20 path, not zoomed, taller than its pane" "^ path \| packet 13" "PgDn: more"
keys NPage
expect "PgDn scrolls the path to its table entries" "PgUp: above" "services: ntp 123/udp \(built-in"
keys PPage
expect "PgUp scrolls it back" "\[ +ntp +\]"
keys z NPage
expect "zoomed, the path is in sight whole" "^ path \| packet 13"
keys q

# ---- Lesson 02 step 3: the services citation whole --------------------------------------------------
for size in "80 24" "60 20" "160 48"; do
    set -- $size
    start "$@" "$DEMUX" lesson 02
    keys a n a n
    expect "$1x$2 lesson 02 step 3: the path's services citation, whole (rows joined)" "^ step 3 of 5"
    screen
    if tr -s ' \n' '  ' <"$TMP/screen" | grep -q "services: ntp 123/udp (built-in line 43)"; then
        ok_line "$1x$2: 'services: ntp 123/udp (built-in line 43)' on screen"
    else
        bad_line "$1x$2: the services citation is cut"
    fi
    keys q
done

# ---- Every help line whole -----------------------------------------------------------------------------
for size in "80 24" "60 20"; do
    set -- $size
    start "$@" "$DEMUX" lesson 02
    keys '?'
    shows "rows 1-" >/dev/null
    : >"$TMP/help"
    i=0
    while [ $i -lt 20 ]; do
        screen
        sed '1d;$d' "$TMP/screen" >>"$TMP/help"
        grep -Eq "rows [0-9]+-([0-9]+) of \1$" "$TMP/screen" && break
        keys NPage
        sleep 0.2
        i=$((i + 1))
    done
    # Continuation rows (indented past the keys) joined to their line.
    awk '/^                    [^ ]/ { sub(/^ +/, ""); line = line " " $0; next }
         { if (NR > 1) print line; line = $0 } END { print line }' "$TMP/help" >"$TMP/joined"
    for want in "display filter in libpcap syntax (tcp port 23); empty shows all" \
        "click a row to select it, a tab to show its view; wheel scrolls" \
        "flip: the sender's view (multiplexing, top-down) or the receiver's" \
        "more of the explanation under the grid (when it says i: more)" \
        "the other pane (the list or the view); in zoom: back to the list" \
        "show only this conversation's packets in the list"; do
        if grep -qF -- "$want" "$TMP/joined"; then
            ok_line "$1x$2 help: '$want' whole"
        else
            cp "$TMP/joined" "$TMP/screen"
            bad_line "$1x$2 help: '$want' cut"
        fi
    done
    keys x q
done

# ---- The sockets view, grouped by server socket ---------------------------------------------------
for size in "80 24" "60 20" "160 48"; do
    set -- $size
    start "$@" "$DEMUX" traces/telnet-two-users.pcap
    keys s
    expect "$1x$2 sockets: the server socket's row" "^ tcp server 192\.168\.16\.2\.23 +telnet: 2 client sockets"
    screen
    if awk '/^ tcp server 192\.168\.16\.2\.23/ { g = NR } g && NR == g + 1 && /^> +1 172\.16\.12\.2\.3382 / { a = 1 }
            g && NR == g + 2 && /^[ >] *2 172\.16\.12\.2\.3097 / { b = 1 } END { exit !(a && b) }' "$TMP/screen"; then
        ok_line "$1x$2 sockets: its two client sockets under it"
    else
        bad_line "$1x$2 sockets: the client sockets are not under their server socket"
    fi
    keys Home Enter
    expect "$1x$2 sockets: Home passes over the group's row, Enter shows conversation 1" "only conversation 1 shown"
    keys q
done

finish
