#!/bin/sh
# make check-layers: the source tree keeps the layering the README draws.
#   - curses only in viewer/tui/ (the library and the lesson engine run
#     without a terminal);
#   - jansson only in the JSON writer and the exporters (a lesson's results too);
#   - nothing in decode/ reaches into viewer/;
#   - the lesson engine never includes the terminal program;
#   - no function over 60 lines and no file over 800 lines in decode/ and
#     viewer/ (tests/function-lengths.py).
# Prints one line per breach (file:line: what) and exits 1 if there is any.
#   sh tests/check-layers.sh [ROOT]   (default: this checkout)
set -u
here=$(cd "$(dirname "$0")" && pwd)
cd "${1:-$here/..}" || exit 2
status=0
breach() {   # breach GREP-PATTERN WHAT FILES...
    pattern=$1 what=$2
    shift 2
    # shellcheck disable=SC2086
    hits=$(grep -nE "$pattern" "$@" /dev/null 2>/dev/null) || return 0
    echo "$hits" | sed "s|\$|  <- $what|"
    status=1
}
sources() {   # sources DIR...: C files below DIR
    find "$@" -name '*.[ch]' | sort
}

breach '^[[:space:]]*#[[:space:]]*include[[:space:]]*[<"](n?curses|ncursesw/|term\.h|panel\.h|menu\.h|form\.h)' \
    "curses outside viewer/tui/" $(sources decode viewer/cli viewer/lesson)
breach '^[[:space:]]*#[[:space:]]*include[[:space:]]*[<"]jansson' \
    "jansson outside the JSON writer and the exporters" \
    $(sources decode viewer | grep -v -e '^decode/out/json\.c$' -e '^viewer/lesson/lesson_export\.c$' -e '^viewer/lesson/lesson_results\.c$')
breach '^[[:space:]]*#[[:space:]]*include[[:space:]]*"[^"]*(viewer/|cli/|lesson/|tui/)' \
    "decode/ includes the viewer" $(sources decode)
breach '^[[:space:]]*#[[:space:]]*include[[:space:]]*"[^"]*(tui/|cli/)' \
    "the lesson engine includes the terminal program or the command line" $(sources viewer/lesson)
# One wc for every file (its last line is the total, left out).
long=$(wc -l $(sources decode viewer) | awk '$2 != "total" && $1 > 800 { print $2 ": " $1 " lines  <- a file over 800 lines" }')
if [ -n "$long" ]; then
    echo "$long"
    status=1
fi
# Debian's python where there is one (a python3 found first on PATH may
# be a slow shim).
py=/usr/bin/python3
[ -x "$py" ] || py=python3
if ! "$py" "$here/function-lengths.py" --top 0 decode viewer >"${TMPDIR:-/tmp}/check-layers.$$" 2>&1; then
    status=1
fi
grep -v '^longest' "${TMPDIR:-/tmp}/check-layers.$$" || true
rm -f "${TMPDIR:-/tmp}/check-layers.$$"
if [ "$status" -eq 0 ]; then
    echo "layers: curses in viewer/tui/ only, jansson in the JSON writer and exporters only, decode/ apart from viewer/; functions within 60 lines, files within 800"
fi
exit "$status"
