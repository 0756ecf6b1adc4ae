#!/bin/sh
# Make a shell's completion for demux from its template:
#   gen-completion.sh DEMUX TEMPLATE OUT
# @COMMANDS@, @OPTIONS@, @ARG_OPTIONS@ (the options that take the next word)
# and @THEMES@ become the words DEMUX --for-build prints from its own
# tables, space-separated. OUT is written whole or not at all.
set -eu
demux=$1 template=$2 out=$3
commands=$("$demux" --for-build=commands | tr '\n' ' ')
options=$("$demux" --for-build=options | cut -f1 | tr '\n' ' ')
# An optional value is written --replay=SPEED, in the same word.
arg_options=$("$demux" --for-build=options | awk -F '\t' '$2 == "arg" { print $1 }' | tr '\n' ' ')
themes=$("$demux" --for-build=themes | tr '\n' ' ')
tmp=$(mktemp "$out.XXXXXX")
trap 'rm -f "$tmp"' EXIT
sed -e "s|@COMMANDS@|${commands% }|g" -e "s|@OPTIONS@|${options% }|g" \
    -e "s|@ARG_OPTIONS@|${arg_options% }|g" -e "s|@THEMES@|${themes% }|g" "$template" >"$tmp"
chmod 644 "$tmp"
mv "$tmp" "$out"
