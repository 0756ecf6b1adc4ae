# Shared helpers for the shell suites: check NAME COMMAND... counts results
# and prints each failure; finish prints the suite's tally and sets the status.
# DEMUX and TRACEGEN come from tests/run-all.sh.
: "${DEMUX:=build/release/demux}" "${TRACEGEN:=build/release/tracegen}"
ok=0 bad=0
TMP=$(mktemp -d "${TMPDIR:-/tmp}/demux-test.XXXXXX")
trap 'rm -rf "$TMP"' EXIT

pass() { ok=$((ok + 1)); }
fail() { bad=$((bad + 1)); echo "FAIL: $*"; }

# expect_exit CODE DESCRIPTION -- COMMAND...: the command exits with CODE
expect_exit() {
    want=$1 what=$2
    shift 3
    "$@" >"$TMP/out" 2>"$TMP/err"
    got=$?
    if [ "$got" -eq "$want" ]; then pass; else fail "$what: exit $got, wanted $want"; sed 's/^/    /' "$TMP/err" | head -5; fi
}

# expect_err PATTERN DESCRIPTION: the last command's stderr is one line matching PATTERN
expect_err() {
    lines=$(wc -l <"$TMP/err")
    if [ "$lines" -eq 1 ] && grep -q -- "$1" "$TMP/err"; then pass
    else fail "$2: stderr was:"; sed 's/^/    /' "$TMP/err" | head -5; fi
}

finish() {
    echo "   $ok passed, $bad failed"
    [ "$bad" -eq 0 ]
}
