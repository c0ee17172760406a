#!/usr/bin/env bash
# flood.sh N [PCAP]: prints a lab script with three routers between two hosts and a
# `ping -f -c N` across them; with PCAP, `tcpdump -w PCAP` on the middle router's first link
# captures the flood in the background meanwhile.
set -eu
n=${1:-20000}
pcap=${2:-}
cat <<SCRIPT
ip netns add h1
ip netns add h2
for r in r1 r2 r3; do ip netns add \$r; done
ip link add h1-0 type veth peer name r1-0
ip link add r1-1 type veth peer name r2-0
ip link add r2-1 type veth peer name r3-0
ip link add r3-1 type veth peer name h2-0
for d in h1-0; do ip link set \$d netns h1; done
for d in r1-0 r1-1; do ip link set \$d netns r1; done
for d in r2-0 r2-1; do ip link set \$d netns r2; done
for d in r3-0 r3-1; do ip link set \$d netns r3; done
ip link set h2-0 netns h2
ip netns exec h1 ip address add 10.0.0.1/24 dev h1-0
ip netns exec r1 ip address add 10.0.0.2/24 dev r1-0
ip netns exec r1 ip address add 10.0.1.1/24 dev r1-1
ip netns exec r2 ip address add 10.0.1.2/24 dev r2-0
ip netns exec r2 ip address add 10.0.2.1/24 dev r2-1
ip netns exec r3 ip address add 10.0.2.2/24 dev r3-0
ip netns exec r3 ip address add 10.0.3.1/24 dev r3-1
ip netns exec h2 ip address add 10.0.3.2/24 dev h2-0
ip netns exec h1 ip link set h1-0 up
for d in r1-0 r1-1; do ip netns exec r1 ip link set \$d up; done
for d in r2-0 r2-1; do ip netns exec r2 ip link set \$d up; done
for d in r3-0 r3-1; do ip netns exec r3 ip link set \$d up; done
ip netns exec h2 ip link set h2-0 up
for r in r1 r2 r3; do ip netns exec \$r sysctl -q net.ipv4.ip_forward=1; done
ip netns exec h1 ip route add default via 10.0.0.2
ip netns exec r1 ip route add default via 10.0.1.2
ip netns exec r2 ip route add default via 10.0.2.2
ip netns exec r2 ip route add 10.0.0.0/24 via 10.0.1.1
ip netns exec r3 ip route add 10.0.0.0/24 via 10.0.2.1
ip netns exec r3 ip route add 10.0.1.0/24 via 10.0.2.1
ip netns exec r1 ip route add 10.0.3.0/24 via 10.0.1.2
ip netns exec h2 ip route add default via 10.0.3.1
SCRIPT
if [[ -n $pcap ]]; then
  cat <<SCRIPT
ip netns exec r2 tcpdump -i r2-0 -w $pcap 2>/dev/null &
sleep 1
ip netns exec h1 ping -q -f -c $n 10.0.3.2
sleep 1
kill -INT \$!
wait
SCRIPT
else
  echo "ip netns exec h1 ping -q -f -c $n 10.0.3.2"
fi
