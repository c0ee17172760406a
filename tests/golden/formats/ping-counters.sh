# ip -s link after a known amount of traffic (IPv6 is off so nothing else is sent).
ip netns add ns1
ip netns add ns2
ip netns exec ns1 sysctl -q -w net.ipv6.conf.default.disable_ipv6=1
ip netns exec ns2 sysctl -q -w net.ipv6.conf.default.disable_ipv6=1
ip link add v0 netns ns1 type veth peer name v1 netns ns2
ip -n ns1 address add 192.0.2.1/24 dev v0
ip -n ns2 address add 192.0.2.2/24 dev v1
ip -n ns1 link set v0 up
ip -n ns2 link set v1 up
ip netns exec ns1 ip addr show dev v0
ip netns exec ns1 ping -q -c 3 -i 0.2 192.0.2.2
ip netns exec ns1 ip -s link show v0
ip netns exec ns2 ip -s link show v1
ip netns exec ns1 ip -s -s link show v0
ip netns exec ns1 ip -s -br link
