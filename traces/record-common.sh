# traces/record-common.sh: what record-real.sh and record-real-net.sh share,
# sourced by both after they define say() and die(): the Debian packages
# they need, installed when missing, and the processes they start, stopped
# however the script ends.

installed() {   # installed PACKAGE: is the Debian package installed?
    [ "$(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null)" = installed ]
}

# need_packages PACKAGE...: install those missing (as root), with the telnet
# client: inetutils-telnet, or the `telnet` package (which in Debian 12 is a
# transitional package for inetutils-telnet). Not root: say what to run.
need_packages() {
    missing=""
    for p in "$@"; do
        installed "$p" || missing="$missing $p"
    done
    if ! installed inetutils-telnet && ! installed telnet; then
        missing="$missing inetutils-telnet"
    fi
    [ -n "$missing" ] || return 0
    if [ "$(id -u)" != 0 ]; then
        say "these Debian packages are needed:$missing" >&2
        say "as root, run: apt-get install -y --no-install-recommends$missing" >&2
        exit 1
    fi
    say "installing:$missing"
    # shellcheck disable=SC2086 # one word per package
    DEBIAN_FRONTEND=noninteractive timeout 900 apt-get install -y -q --no-install-recommends $missing ||
        { DEBIAN_FRONTEND=noninteractive timeout 300 apt-get update -q &&
          DEBIAN_FRONTEND=noninteractive timeout 900 apt-get install -y -q --no-install-recommends $missing; } ||
        die "could not install:$missing"
}

state() {   # state PID: the process's state letter, empty if it is gone
    sed -n 's/^.*) \([A-Za-z]\) .*$/\1/p' "/proc/$1/stat" 2>/dev/null || true
}
alive() {   # alive PID: running, and not just a zombie waiting to be reaped
    s=$(state "$1")
    [ -n "$s" ] && [ "$s" != Z ] && [ "$s" != X ]
}
children() {   # children PID: the PIDs of its child processes
    cat /proc/[0-9]*/stat 2>/dev/null | sed -n "s/^\([0-9]*\) (.*) [A-Za-z] $1 .*\$/\1/p"
}
stop() {   # stop PID [SIGNAL]: signal it, wait up to 5 s, then SIGKILL
    [ -n "$1" ] || return 0
    kill "-${2:-TERM}" "$1" 2>/dev/null || true
    i=0
    while alive "$1" && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
    alive "$1" && kill -KILL "$1" 2>/dev/null
    wait "$1" 2>/dev/null || true
}
stop_tree() {   # stop_tree PID: its children (and theirs) first, then it
    [ -n "$1" ] || return 0
    for c in $(children "$1"); do stop_tree "$c"; done
    stop "$1"
}
