#!/bin/sh
# make check-layers itself: it passes on this tree, and each rule it keeps
# fails when broken in a copy of the tree (a curses include in the library,
# jansson in the viewer, decode/ including the viewer, the lesson engine
# including the terminal program, a long function, a long file).
. tests/lib.sh

copy_tree() {   # a fresh copy of decode/ and viewer/ in $TMP/tree
    rm -rf "$TMP/tree"
    mkdir -p "$TMP/tree"
    cp -R decode viewer "$TMP/tree/"
}
# broken DESCRIPTION PATTERN: the check fails on the copy, naming PATTERN
broken() {
    if sh tests/check-layers.sh "$TMP/tree" >"$TMP/out" 2>&1; then
        fail "$1: check-layers passed"
    elif grep -q -- "$2" "$TMP/out"; then pass
    else fail "$1: the breach was not named:"; sed 's/^/    /' "$TMP/out" | head -5; fi
}

expect_exit 0 "check-layers passes on this tree" -- sh tests/check-layers.sh

copy_tree
printf '#include <curses.h>\n' >>"$TMP/tree/decode/out/text.c"
broken "curses in the library" "decode/out/text.c:.*curses outside viewer/tui/"

copy_tree
printf '#include <ncurses.h>\n' >>"$TMP/tree/viewer/lesson/lesson.c"
broken "curses in the lesson engine" "viewer/lesson/lesson.c:.*curses outside"

copy_tree
printf '#include <jansson.h>\n' >>"$TMP/tree/viewer/tui/view_list.c"
broken "jansson in the viewer" "viewer/tui/view_list.c:.*jansson outside"

copy_tree
printf '#include "tui/ui.h"\n' >>"$TMP/tree/decode/net/ipv4.c"
broken "decode/ including the viewer" "decode/net/ipv4.c:.*decode/ includes the viewer"

copy_tree
printf '#include "tui/viewer.h"\n' >>"$TMP/tree/viewer/lesson/lesson_check.c"
broken "the lesson engine including the terminal program" "viewer/lesson/lesson_check.c:.*lesson engine includes"

copy_tree
{ printf 'static int long_one(void)\n{\n    int x = 0;\n'
  i=0; while [ $i -lt 60 ]; do printf '    x++;\n'; i=$((i + 1)); done
  printf '    return x;\n}\n'; } >>"$TMP/tree/decode/packet.c"
broken "a function over 60 lines" "decode/packet.c:.*long_one (65 lines, over 60)"

copy_tree
i=0; while [ $i -lt 800 ]; do echo "/* filler */"; i=$((i + 1)); done >>"$TMP/tree/decode/dispatch.c"
broken "a file over 800 lines" "decode/dispatch.c: .* lines  <- a file over 800 lines"

finish
