#!/bin/sh
# Wireshark as the oracle: every IPv4/IPv6/TCP/UDP field value demux exports
# equals what tshark reports for the same packet.
. tests/lib.sh
if ! command -v tshark >/dev/null; then
    echo "   tshark is not installed: skipped (make test installs it)"
    finish
    exit $?
fi
/usr/bin/python3 tests/tshark_check.py "$DEMUX" traces/*.pcap && pass || fail "field values differ from tshark"
finish
