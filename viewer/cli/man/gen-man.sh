#!/bin/sh
# Make a manual page from its template (viewer/cli/man/*.in):
#   gen-man.sh demux.1 DEMUX SHAREDIR OUT   demux(1): commands, options and keys from
#                                           DEMUX --for-build (the program's own tables)
#   gen-man.sh demux-lesson.5 SHAREDIR OUT  demux-lesson(5): the format from lessons/README.md
# Run from the top of the source tree. OUT is written whole or not at all.
# The date is the last commit's (SOURCE_DATE_EPOCH when set), so that a
# rebuild of the same source gives the same page.
set -eu
page=$1
shift
here=$(dirname "$0")
version=$(sed -n 's/^#define DX_VERSION "\(.*\)"$/\1/p' decode/demux.h)
epoch=${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || date +%s)}
date=$(date -u -d "@$epoch" +%Y-%m-%d)

case $page in
demux.1) demux=$1 share=$2 out=$3 ;;
demux-lesson.5) share=$1 out=$2 ;;
*) echo "gen-man.sh: no page $page" >&2; exit 2 ;;
esac
tmp=$(mktemp "$out.XXXXXX")
trap 'rm -f "$tmp" "$tmp".*' EXIT

if [ "$page" = demux.1 ]; then
    for part in commands options keys; do
        "$demux" --for-build=man-$part >"$tmp.$part"
    done
else
    awk -v sections='Writing a lesson|Checking a lesson|A complete example' \
        -f "$here/md2roff.awk" lessons/README.md >"$tmp.format"
fi
# @NAME@ alone on a line: the generated part; @DATE@, @VERSION@ and
# @SHAREDIR@ in a line: their values (the share path holds no '|' or '&').
awk -v part="$tmp" '
    /^@(COMMANDS|OPTIONS|KEYS|FORMAT)@$/ {
        f = part "." tolower(substr($0, 2, length($0) - 2))
        while ((getline line < f) > 0) print line
        close(f)
        next
    }
    { print }' "$here/$page.in" |
    sed -e "s|@DATE@|$date|g" -e "s|@VERSION@|$version|g" -e "s|@SHAREDIR@|$share|g" >"$tmp"
chmod 644 "$tmp"
mv "$tmp" "$out"
