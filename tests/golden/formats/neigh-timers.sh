# Neighbour states over time: REACHABLE, STALE after 15-45 s, DELAY on use, REACHABLE again after the probe.
ip netns add ns1
ip netns add ns2
ip link add v0 netns ns1 type veth peer name v1 netns ns2
ip -n ns1 address add 192.0.2.1/24 dev v0
ip -n ns2 address add 192.0.2.2/24 dev v1
ip -n ns1 link set v0 up
ip -n ns2 link set v1 up
ip netns exec ns1 ping -c 1 192.0.2.2 >/dev/null
ip netns exec ns1 ip neigh
ip netns exec ns2 ip neigh
sleep 7
echo "== after 7 s"
ip netns exec ns1 ip neigh
ip netns exec ns2 ip neigh
sleep 48
echo "== after 55 s"
ip netns exec ns1 ip neigh
ip netns exec ns2 ip neigh
ip netns exec ns1 ping -c 1 192.0.2.2 >/dev/null
echo "== used again"
ip netns exec ns1 ip neigh
sleep 7
echo "== 7 s later"
ip netns exec ns1 ip neigh
