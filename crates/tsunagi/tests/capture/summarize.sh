#!/usr/bin/env bash
# summarize.sh FILE [DISPLAY-FILTER]: what tshark decodes of each frame of a capture file, one
# line a frame: length, cooked header (packet type, ifindex), EtherType, ARP, IPv4 and ICMP
# fields. Nothing in it varies from run to run (no MACs, ids, checksums or times), so the
# summary of Linux's capture of a script and of tsunagi's compare as text.
set -eu
tshark -r "$1" ${2:+-Y "$2"} -T fields -E separator=' ' \
  -e frame.len -e sll.pkttype -e sll.ifindex -e eth.type -e sll.etype \
  -e arp.opcode -e arp.src.proto_ipv4 -e arp.dst.proto_ipv4 \
  -e ip.src -e ip.dst -e ip.proto -e ip.ttl -e icmp.type -e icmp.code -e icmp.seq 2>/dev/null
