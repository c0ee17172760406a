# traceroute on one host: setup errors of -I, its own addresses, a neighbour that never answers ARP, broadcast.
ip netns add ns1
ip link add v0 netns ns1 type veth peer name v1
ip -n ns1 address add 192.0.2.1/24 dev v0
ip -n ns1 link set v0 up
ip -n ns1 link set lo up
ip netns exec ns1 traceroute -n -I 198.51.100.1
echo "status $?"
ip netns exec ns1 traceroute -I -i nosuchdev 192.0.2.1
echo "status $?"
ip netns exec ns1 traceroute -n 127.0.0.1
ip netns exec ns1 traceroute -I 192.0.2.1
ip netns exec ns1 traceroute -n -q 1 -w 2 192.0.2.9
echo "status $?"
ip netns exec ns1 traceroute -n 192.0.2.255
echo "status $?"
ip netns exec ns1 traceroute -n -I 192.0.2.255
echo "status $?"
