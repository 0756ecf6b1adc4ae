#!/bin/sh
# Golden tests: `demux decode` and `demux export` of every trace, compared to
# the committed expected output (tests/golden/). After a deliberate change:
# make golden-update, then read the diff before committing it.
. tests/lib.sh
sh tests/golden.sh "$DEMUX" && pass || fail "golden outputs differ (see above)"
finish
