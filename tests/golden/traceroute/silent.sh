# Hops that never answer (r2 has forwarding off): * once the wait is over; -w, -q, -N and -f shape it.
ip netns add ns1
ip netns add r1
ip netns add r2
ip netns add ns2
ip link add a0 netns ns1 type veth peer name a1 netns r1
ip link add b0 netns r1 type veth peer name b1 netns r2
ip link add c0 netns r2 type veth peer name c1 netns ns2
ip -n ns1 address add 192.0.2.1/24 dev a0
ip -n r1 address add 192.0.2.254/24 dev a1
ip -n r1 address add 203.0.113.1/24 dev b0
ip -n r2 address add 203.0.113.2/24 dev b1
ip -n r2 address add 198.51.100.254/24 dev c0
ip -n ns2 address add 198.51.100.1/24 dev c1
ip -n ns1 link set a0 up
ip -n r1 link set a1 up
ip -n r1 link set b0 up
ip -n r2 link set b1 up
ip -n r2 link set c0 up
ip -n ns2 link set c1 up
ip -n ns1 route add default via 192.0.2.254
ip -n r1 route add 198.51.100.0/24 via 203.0.113.2
ip -n r2 route add 192.0.2.0/24 via 203.0.113.1
ip -n ns2 route add default via 198.51.100.254
ip netns exec r1 sysctl -q -w net.ipv4.ip_forward=1
sleep 1
ip netns exec ns1 traceroute -n -m 3 -w 1 198.51.100.1
echo "status $?"
sleep 6
ip netns exec ns1 traceroute -n -m 4 -q 2 -w 0.5 -N 2 198.51.100.1
sleep 6
ip netns exec ns1 traceroute -n -I -m 3 -q 1 -w 1 198.51.100.1
sleep 6
ip netns exec ns1 traceroute -n -f 2 -m 3 -w 1,3,10 198.51.100.1
sleep 6
ip netns exec r2 sysctl -q -w net.ipv4.ip_forward=1
ip netns exec ns1 traceroute -n -w 2,3,10 198.51.100.1
