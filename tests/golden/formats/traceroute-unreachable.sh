# traceroute ending in !N (a router has no route) and !H (the last router cannot resolve the host).
ip netns add ns1
ip netns add r1
ip netns add r2
ip netns add ns2
ip link add ns1-veth0 netns ns1 type veth peer name r1-veth0 netns r1
ip link add r1-veth1 netns r1 type veth peer name r2-veth0 netns r2
ip link add r2-veth1 netns r2 type veth peer name ns2-veth0 netns ns2
ip -n ns1 address add 192.0.2.1/24 dev ns1-veth0
ip -n r1 address add 192.0.2.254/24 dev r1-veth0
ip -n r1 address add 203.0.113.1/24 dev r1-veth1
ip -n r2 address add 203.0.113.2/24 dev r2-veth0
ip -n r2 address add 198.51.100.254/24 dev r2-veth1
ip -n ns2 address add 198.51.100.1/24 dev ns2-veth0
ip -n ns1 link set ns1-veth0 up
ip -n r1 link set r1-veth0 up
ip -n r1 link set r1-veth1 up
ip -n r2 link set r2-veth0 up
ip -n r2 link set r2-veth1 up
ip -n ns2 link set ns2-veth0 up
ip netns exec r1 sysctl -q -w net.ipv4.ip_forward=1
ip netns exec r2 sysctl -q -w net.ipv4.ip_forward=1
ip -n ns1 route add default via 192.0.2.254
ip -n r2 route add 192.0.2.0/24 via 203.0.113.1
ip -n ns2 route add default via 198.51.100.254
sleep 1
echo "== r1 has no route to 198.51.100.0/24"
ip netns exec ns1 traceroute -n 198.51.100.1
echo "status $?"
sleep 7
ip -n r1 route add 198.51.100.0/24 via 203.0.113.2
ip netns exec ns1 traceroute -n -q 1 198.51.100.1
sleep 7
echo "== nobody has 198.51.100.9"
ip netns exec ns1 traceroute -n -q 1 198.51.100.9
echo "status $?"
