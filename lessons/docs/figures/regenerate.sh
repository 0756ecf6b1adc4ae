#!/bin/sh
# Draw the README's figures again: one of each kind of `demux figure`.
#   sh lessons/docs/figures/regenerate.sh [DEMUX]   (make docs-figures)
set -eu
demux=${1:-build/release/demux}
dir=lessons/docs/figures
h=traces/telnet-handshake.pcap
u=traces/telnet-two-users.pcap
"$demux" figure $h --packet 1 --kind words -o $dir/words.svg
"$demux" figure $h --packet 1 --kind path -o $dir/path.svg
"$demux" figure $u --kind ladder --conversations 1,2 -o $dir/ladder.svg
"$demux" figure $u --kind sockets -o $dir/sockets.svg
"$demux" figure $u --kind tree -o $dir/tree.svg
ls -l $dir/*.svg | awk '{print $5, $9}'
