#!/bin/sh
# How many packets a second demux keeps up with on a live capture, without
# the kernel dropping any: UDP datagrams are sent on the loopback interface
# at rising rates (a small C sender, built here), and the kernel's drop
# count is read at the end of each run:
#   headless  demux decode -i lo --stats 'udp port P' >/dev/null  (the --stats line)
#   viewer    demux -i lo --keep 100000 'udp port P' in tmux at 160x24 (the status row)
# Each rate is run RUNS times (3): a rate is kept up with when no run
# dropped a packet. Not a test: it prints a table and the highest rate each
# kept up with, and exits 0 unless something is missing. Needs root.
#   sh tests/bench_live.sh [SECONDS] [RATE...]      (make bench-live)
set -u
runs=${RUNS:-3}
seconds=${1:-2}
[ $# -gt 0 ] && shift
rates=${*:-"5000 10000 20000 50000 100000 200000 300000 400000"}
build=${BUILD:-build/release}
demux=$build/demux
[ "$(id -u)" -eq 0 ] || { echo "bench-live: capturing needs root" >&2; exit 1; }
for tool in "$demux" tmux cc /usr/bin/python3; do
    command -v "$tool" >/dev/null 2>&1 || { echo "bench-live: $tool is missing (run make first)" >&2; exit 1; }
done

tmp=$(mktemp -d)
sock="demux-bench-live-$$"
sock_file="${TMUX_TMPDIR:-/tmp}/tmux-$(id -u)/$sock"
trap 'tmux -L "$sock" kill-server 2>/dev/null; rm -f "$sock_file"; rm -rf "$tmp"' EXIT

# The sender: COUNT datagrams of 64 bytes to 127.0.0.1:PORT at RATE a
# second, paced by the clock in steps of 200 microseconds.
cat >"$tmp/send.c" <<'EOF'
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}
int main(int argc, char **argv)
{
    if (argc != 4)
        return 2;
    int port = atoi(argv[1]);
    double rate = atof(argv[2]);
    long count = atol(argv[3]), sent = 0;
    int s = socket(AF_INET, SOCK_DGRAM, 0), sink = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in a = {0};
    a.sin_family = AF_INET;
    a.sin_port = htons((unsigned short)port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    /* A socket on the port, never read: no ICMP "port unreachable" back. */
    if (bind(sink, (struct sockaddr *)&a, sizeof a) != 0)
        return 1;
    char buf[64];
    memset(buf, 'x', sizeof buf);
    double start = now();
    while (sent < count) {
        long due = (long)((now() - start) * rate) + 1;
        for (; sent < due && sent < count; sent++)
            sendto(s, buf, sizeof buf, 0, (struct sockaddr *)&a, sizeof a);
        struct timespec nap = {0, 200000};
        nanosleep(&nap, NULL);
    }
    printf("%.0f\n", sent / (now() - start));
    return 0;
}
EOF
cc -O2 -o "$tmp/send" "$tmp/send.c" || exit 1
free_port() { /usr/bin/python3 -c 'import socket; s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# ready PID: wait until the capture is open (root given up: the process runs as nobody).
ready() {
    i=0
    while [ $i -lt 100 ] && ! grep -q "^Uid:[[:space:]]*$(id -u nobody)[[:space:]]" "/proc/$1/status" 2>/dev/null; do
        sleep 0.05
        i=$((i + 1))
    done
}

# headless RATE: prints "sent-rate received dropped"
headless() {
    port=$(free_port)
    count=$(($1 * seconds))
    "$demux" decode -i lo --stats "udp port $port" >/dev/null 2>"$tmp/stats" &
    pid=$!
    ready $pid
    real=$("$tmp/send" "$port" "$1" "$count")
    sleep 0.5
    kill -INT $pid
    wait $pid
    # demux: lo: N packets read; kernel: R received, D dropped; interface: I dropped
    sed -n 's/.*: \([0-9]*\) packets read; kernel: \([0-9]*\) received, \([0-9]*\) dropped.*/\1 \3/p' "$tmp/stats" |
        { read -r got dropped; echo "$real $got $dropped"; }
}

# viewer RATE: the same, read from the viewer's status row
viewer() {
    port=$(free_port)
    count=$(($1 * seconds))
    tmux -L "$sock" kill-server 2>/dev/null
    sleep 0.2
    tmux -L "$sock" -f /dev/null new-session -d -x 160 -y 24 "$demux -i lo --keep 100000 'udp port $port'"
    pid=$(tmux -L "$sock" display -p '#{pane_pid}')
    ready "$pid"
    real=$("$tmp/send" "$port" "$1" "$count")
    sleep 2.5 # the counts on the status row are read once a second
    line=$(tmux -L "$sock" capture-pane -p | tail -1)
    tmux -L "$sock" send-keys q
    # " lo | 100,000 packets, showing ... | FOLLOW | 200,000 received, drops: 0 kernel, 0 interface"
    got=$(echo "$line" | sed -n 's/^ lo | \([0-9,]*\) packets.*/\1/p' | tr -d ,)
    dropped=$(echo "$line" | sed -n 's/.*drops: \([0-9,]*\) kernel.*/\1/p' | tr -d ,)
    echo "$real ${got:-?} ${dropped:-?}"
}

echo "live capture on lo: UDP datagrams of 64 bytes for ${seconds} s at each rate, $runs runs; $(nproc) CPUs"
printf "%-9s %9s %9s %9s  %-24s %s\n" mode "rate/s" "sent/s" "read" "dropped by the kernel" ""
best_headless=0 best_viewer=0
for mode in headless viewer; do
    for rate in $rates; do
        drops="" clean=1 run=0
        while [ $run -lt "$runs" ]; do
            set -- $($mode "$rate")
            drops="$drops${drops:+ }${3:-?}"
            [ "${3:-?}" = 0 ] && [ "$2" -ge $((rate * seconds * 99 / 100)) ] 2>/dev/null || clean=0
            run=$((run + 1))
        done
        verdict="drops"
        if [ $clean = 1 ]; then
            verdict="kept up"
            [ "$mode" = headless ] && best_headless=$rate
            [ "$mode" = viewer ] && best_viewer=$rate
        fi
        printf "%-9s %9s %9s %9s  %-24s %s\n" "$mode" "$rate" "$1" "$2" "$drops" "$verdict"
    done
done
echo "highest rate without kernel drops: headless $best_headless packets/s, viewer $best_viewer packets/s"
