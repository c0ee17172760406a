#!/usr/bin/env bash
# chain.sh N: prints a lab script building a linear chain of N routers between two hosts with
# plain `ip` commands (one `ip netns exec` per step), then one ping across it.
#
#   h1 -- r1 -- r2 -- ... -- rN -- h2
# Link i (0..N) is 10.(i/256).(i%256).0/30... kept simple: 10.X.Y.0/24 with X.Y = i.
set -eu
n=${1:-200}
net() { echo "10.$(( $1 / 256 )).$(( $1 % 256 ))"; }
echo "ip netns add h1"
echo "ip netns add h2"
for i in $(seq 1 "$n"); do echo "ip netns add r$i"; done
# Link i joins node i (h1 for 0) and node i+1 (h2 for n+1).
node() { if [ "$1" -eq 0 ]; then echo h1; elif [ "$1" -eq $((n + 1)) ]; then echo h2; else echo "r$1"; fi; }
for i in $(seq 0 "$n"); do
  a=$(node "$i"); b=$(node $((i + 1)))
  echo "ip link add l$i-a type veth peer name l$i-b"
  echo "ip link set l$i-a netns $a"
  echo "ip link set l$i-b netns $b"
  echo "ip netns exec $a ip address add $(net "$i").1/24 dev l$i-a"
  echo "ip netns exec $b ip address add $(net "$i").2/24 dev l$i-b"
  echo "ip netns exec $a ip link set l$i-a up"
  echo "ip netns exec $b ip link set l$i-b up"
done
echo "ip netns exec h1 ip route add default via $(net 0).2"
echo "ip netns exec h2 ip route add default via $(net "$n").1"
for i in $(seq 1 "$n"); do
  echo "ip netns exec r$i sysctl -q net.ipv4.ip_forward=1"
  # Towards h2: via the next node; towards h1: via the previous one.
  if [ "$i" -lt "$n" ]; then echo "ip netns exec r$i ip route add default via $(net "$i").2"; fi
  if [ "$i" -gt 1 ]; then echo "ip netns exec r$i ip route add 10.0.0.0/24 via $(net $((i - 1))).1"; fi
done
# More than 63 routers need a higher TTL both ways: ping -t for the request, the default TTL of
# h2 for the reply.
echo "ip netns exec h2 sysctl -q net.ipv4.ip_default_ttl=255"
echo "ip netns exec h1 ping -c 1 -W 5 -t 255 $(net "$n").2"
