# ping -b to a broadcast address; hosts ignore broadcast echoes unless told otherwise.
ip netns add ns1
ip netns add ns2
ip link add v0 netns ns1 type veth peer name v1 netns ns2
ip -n ns1 address add 192.0.2.1/24 brd + dev v0
ip -n ns2 address add 192.0.2.2/24 brd + dev v1
ip -n ns1 link set v0 up
ip -n ns2 link set v1 up
ip netns exec ns1 ping -b -c 2 -W 1 -i 0.2 192.0.2.255
echo "status $?"
ip netns exec ns2 sysctl -w net.ipv4.icmp_echo_ignore_broadcasts=0
ip netns exec ns1 ping -b -c 2 -i 0.2 192.0.2.255
echo "status $?"
