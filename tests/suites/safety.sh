#!/bin/sh
# Output safety: a full disk is an error said in one line with a non-zero
# exit, and an export that cannot be finished leaves no partial file and an
# older one untouched.
. tests/lib.sh
T=traces/telnet-session.pcap
BIG=traces/real-telnet-two-users.pcap # its export is far over 64 KiB

# /dev/full: every write fails with ENOSPC.
if [ -w /dev/full ]; then
    for cmd in "decode $T" "sockets $T" "stream $T 1" "export $T"; do
        # shellcheck disable=SC2086
        expect_exit 1 "demux $cmd > /dev/full" -- sh -c "\"$DEMUX\" $cmd >/dev/full"
        expect_err "cannot write .*: No space left on device" "demux $cmd > /dev/full"
    done
    expect_exit 1 "export -o /dev/full" -- "$DEMUX" export $T -o /dev/full
    expect_err "cannot write /dev/full: No space left on device" "export -o /dev/full"
else
    echo "   /dev/full is not writable here: its checks skipped"
fi

# A real full file system: a 64 KiB tmpfs (needs root and a kernel that
# lets this sandbox mount one).
full="$TMP/full"
mkdir "$full"
if mount -t tmpfs -o size=64k tmpfs "$full" 2>/dev/null; then
    trap 'umount "$full" 2>/dev/null; rm -rf "$TMP"' EXIT
    echo previous >"$full/keep.json"
    expect_exit 1 "export onto a full file system" -- "$DEMUX" export $BIG -o "$full/keep.json"
    expect_err "cannot write .*keep.json: No space left on device" "export onto a full file system"
    [ "$(cat "$full/keep.json")" = previous ] && pass || fail "a full disk keeps the old file"
    expect_exit 1 "export of a new file onto a full file system" -- \
        "$DEMUX" export $BIG -o "$full/new.json"
    [ ! -e "$full/new.json" ] && pass || fail "a full disk leaves no partial new file"
    [ "$(ls -A "$full")" = keep.json ] && pass || fail "a full disk leaves no temporary file: $(ls -A "$full")"
    # The space is free again afterwards: a small export fits.
    expect_exit 0 "a small export still fits" -- "$DEMUX" export traces/arp.pcap -o "$full/arp.json"
    umount "$full" && pass || fail "unmount the tmpfs"
else
    echo "   cannot mount a tmpfs here (not root, or not allowed): full file system checks skipped"
fi
finish
