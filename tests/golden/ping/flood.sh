# Flood mode: a dot per request, a backspace per reply, E for errors; the summary adds ipg/ewma.
ip netns add ns1
ip netns add ns2
ip netns add r
ip link add v0 netns ns1 type veth peer name v1 netns r
ip link add v2 netns r type veth peer name v3 netns ns2
ip -n ns1 address add 192.0.2.1/24 dev v0
ip -n r address add 192.0.2.254/24 dev v1
ip -n r address add 198.51.100.254/24 dev v2
ip -n ns2 address add 198.51.100.1/24 dev v3
ip -n ns1 link set v0 up
ip -n r link set v1 up
ip -n r link set v2 up
ip -n ns2 link set v3 up
ip -n ns1 route add default via 192.0.2.254
ip -n ns2 route add default via 198.51.100.254
ip netns exec r sysctl -q -w net.ipv4.ip_forward=1
ip netns exec ns1 ping -f -c 5 198.51.100.1
echo "status $?"
ip netns exec ns1 ping -f -c 5 -t 1 198.51.100.1
echo "status $?"
ip netns exec ns1 ping -f -c 3 -W 1 198.51.100.9
echo "status $?"
ip netns exec ns1 ping -f -c 3 -i 0.2 198.51.100.1
echo "status $?"
ip netns exec ns1 ping -f -q -c 10 198.51.100.1
echo "status $?"
