# ARP gets no answer: "Destination Host Unreachable" from our own address (needs lo up), after about 3 s.
ip netns add ns1
ip netns add ns2
ip link add v0 netns ns1 type veth peer name v1 netns ns2
ip -n ns1 address add 192.0.2.1/24 dev v0
ip -n ns2 address add 192.0.2.2/24 dev v1
ip -n ns1 link set v0 up
ip -n ns2 link set v1 up
ip -n ns1 link set lo up
ip netns exec ns1 ping -c 2 192.0.2.9
echo "status $?"
ip netns exec ns1 ip neigh show | sort
ip netns exec ns1 ping -c 1 192.0.2.8
echo "status $?"
# With lo down the error is never reported: plain loss.
ip -n ns1 link set lo down
ip netns exec ns1 ping -c 1 -W 5 192.0.2.7
echo "status $?"
ip netns exec ns1 ip neigh show | sort
