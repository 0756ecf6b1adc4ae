#!/bin/sh
# The viewer and the lesson player under valgrind, in a real terminal: every
# view, the help, a filter, go-to, a resize, a lesson step and its answer,
# then quit. Valgrind must count no error (invalid reads or writes, use of
# uninitialised memory, bad frees) and no memory definitely lost. Only the
# plain build: a sanitizer build cannot run under valgrind, and the
# sanitizers check that build already.
. tests/lib.sh
case "$DEMUX" in
*/san/*)
    echo "   (skipped for the sanitizer build: valgrind runs on the plain build)"
    finish
    exit 0
    ;;
esac
for tool in tmux valgrind; do
    command -v $tool >/dev/null || { fail "$tool is missing (apt-get install $tool)"; finish; exit 1; }
done
WAIT_SECONDS=60
WRAP="valgrind --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite --log-file=$TMP/vg.%p"
. tests/tmux.sh

# valgrind_clean DESCRIPTION: the logs of the run that just ended report
# no error.
valgrind_clean() {
    if ! grep -qh "ERROR SUMMARY" "$TMP"/vg.* 2>/dev/null; then
        fail "$1: valgrind wrote no summary (did it run?)"
    elif grep -h "ERROR SUMMARY" "$TMP"/vg.* | grep -qv "ERROR SUMMARY: 0 errors"; then
        fail "$1: valgrind reported errors"
        grep -h -A12 "Invalid\|uninitialised\|definitely lost" "$TMP"/vg.* | head -40
    else
        ok_line "$1"
    fi
    rm -f "$TMP"/vg.*
}

start 80 24 "$DEMUX" traces/telnet-session.pcap
expect "the viewer starts under valgrind" "telnet-session.pcap"
for k in d w b s t l f; do
    keys j "$k"
done
keys '?'
expect "every view and the help drawn" "q"
keys Escape
text "/tcp port 23"
keys Enter
text "g"
text "41"
keys Enter
tm resize-window -x 60 -y 20
tm resize-window -x 100 -y 30
keys q
expect "the viewer quits cleanly under valgrind" "^exited 0"
valgrind_clean "viewer: no valgrind errors, nothing definitely lost"

start 80 24 "$DEMUX" lesson lessons/03-telnet-handshake.lesson
expect "a lesson plays under valgrind" "step 1 of"
keys n a n a n
keys p
keys q
expect "the lesson player quits cleanly under valgrind" "^exited 0"
valgrind_clean "lesson player: no valgrind errors, nothing definitely lost"
finish
