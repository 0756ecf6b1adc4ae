#!/bin/sh
# Wireshark as the oracle: every IPv4/IPv6/TCP/UDP field value demux exports
# equals what tshark reports for the same packet, every occurrence of it (the
# outer header's and those of the headers inside a tunnel or an ICMP error).
# Traces listed in tests/tshark-pending.txt may have inner headers demux does
# not open yet ("occurrences missing"); any value that differs fails.
. tests/lib.sh
if ! command -v tshark >/dev/null; then
    echo "   tshark is not installed: skipped (make test installs it)"
    finish
    exit $?
fi
/usr/bin/python3 tests/tshark_check.py --pending tests/tshark-pending.txt "$DEMUX" traces/*.pcap &&
    pass || fail "field values differ from tshark, or inner headers are missing in a trace that is not pending"
finish
