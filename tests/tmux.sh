# Shared helpers for the suites that drive the viewer in a real terminal
# (source after tests/lib.sh): tmux at a given size, keys sent with
# send-keys, the screen read back with capture-pane. Each check waits, up
# to WAIT_SECONDS (default 5), for what it expects; never a fixed sleep.
# WRAP, when set, runs the program under it (valgrind). Reports from the
# sanitizers go to files in $TMP, which must stay empty: they would not be
# seen on a screen the viewer owns. Without tmux the suite fails at once.
if ! command -v tmux >/dev/null; then
    echo "FAIL: tmux is missing (apt-get install tmux)"
    bad=1
    finish
    exit 1
fi
SOCK="demux-test-$(basename "$0" .sh)-$$"
SOCK_FILE="${TMUX_TMPDIR:-/tmp}/tmux-$(id -u)/$SOCK"
trap 'tmux -L "$SOCK" kill-server 2>/dev/null; rm -f "$SOCK_FILE"; rm -rf "$TMP"' EXIT
SAN_ENV="ASAN_OPTIONS=${ASAN_OPTIONS:-}:log_path=$TMP/asan UBSAN_OPTIONS=${UBSAN_OPTIONS:-}:log_path=$TMP/ubsan"
: "${WAIT_SECONDS:=5}" "${WRAP:=}"

ok_line() { pass; echo "   ok: $1"; }
bad_line() {
    fail "$1"
    sed 's/^/    | /' "$TMP/screen" 2>/dev/null | head -30
}

tm() { tmux -L "$SOCK" "$@"; }

# start WIDTH HEIGHT ARGS...: a fresh terminal running ARGS (under $WRAP);
# when it exits the pane says "exited CODE".
start() {
    w=$1 h=$2
    shift 2
    tm kill-server 2>/dev/null
    # The old server may still be going away: try again briefly.
    i=0
    until tm -f /dev/null new-session -d -c "$PWD" -x "$w" -y "$h" \
        "env $SAN_ENV $WRAP $* ; echo \"exited \$?\"; sleep 300" 2>/dev/null; do
        i=$((i + 1))
        [ $i -ge 50 ] && { echo "FAIL: cannot start tmux"; return 1; }
        sleep 0.1
    done
}

screen() { tm capture-pane -p >"$TMP/screen" 2>/dev/null; }

# shows PATTERN: wait until the screen shows it (grep -E).
shows() {
    i=0
    while [ $i -lt $((WAIT_SECONDS * 20)) ]; do
        screen
        grep -Eq -- "$1" "$TMP/screen" && return 0
        sleep 0.05
        i=$((i + 1))
    done
    return 1
}

# expect DESCRIPTION PATTERN...: the screen shows every pattern.
expect() {
    what=$1
    shift
    for p in "$@"; do
        if ! shows "$p"; then
            bad_line "$what (no /$p/ on screen)"
            return
        fi
    done
    ok_line "$what"
}

# lacks DESCRIPTION PATTERN: the screen (as last read) does not show it.
lacks() {
    if grep -Eq -- "$2" "$TMP/screen"; then bad_line "$1 (/$2/ on screen)"; else ok_line "$1"; fi
}

keys() { tm send-keys "$@"; }
text() { tm send-keys -l "$1"; }
