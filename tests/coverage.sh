#!/bin/sh
# Line coverage of the library by the whole test suite: builds into
# build/coverage with gcov instrumentation, runs every test, and prints
# the share of lines executed per file of decode/ and in all.
set -u
rm -rf build/coverage
# The live suite runs demux as nobody too: its counts (.gcda files) must be
# writable by every user, or the program complains and the checks fail.
umask 000
make --no-print-directory check BUILD=build/coverage CFLAGS="-O0 -g --coverage" \
    LDFLAGS=--coverage >build/coverage.log 2>&1 || { echo "coverage: tests failed, see build/coverage.log" >&2; exit 1; }
for d in decode decode/*/; do d=${d%/}; gcov -n -o "build/coverage/$d" "$d"/*.c 2>/dev/null; done | awk '
    /^File .decode\// { file = $2; gsub("\047", "", file) }
    /^Lines executed/ && file != "" {
        split($2, a, ":"); pct = a[2]; sub("%", "", pct); n = $4
        covered += pct * n / 100; total += n
        printf "  %-34s %6s%% of %4d lines\n", file, pct, n
        file = ""
    }
    END { printf "decode/ in all: %.1f%% of %d lines\n", 100 * covered / total, total }'
