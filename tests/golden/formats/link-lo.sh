# Output shapes for a fresh namespace (lo down), then with lo up.
ip netns add ns1
for state in down up; do
  echo "== lo $state"
  ip netns exec ns1 ip link show
  ip netns exec ns1 ip link
  ip netns exec ns1 ip -br link
  ip netns exec ns1 ip -o link
  ip netns exec ns1 ip -s link
  ip netns exec ns1 ip -d link show
  ip netns exec ns1 ip address show
  ip netns exec ns1 ip addr
  ip netns exec ns1 ip a
  ip netns exec ns1 ip -br addr
  ip netns exec ns1 ip -o addr
  ip netns exec ns1 ip -4 addr
  ip netns exec ns1 ip -6 addr
  ip netns exec ns1 ip addr show dev lo
  ip netns exec ns1 ip route show
  ip netns exec ns1 ip route show table local
  ip netns exec ns1 ip -6 route show
  ip netns exec ns1 ip link set lo up
done
