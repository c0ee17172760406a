# -w (deadline) and -W (linger) against a host that ignores echoes and one that answers.
ip netns add ns1
ip netns add ns2
ip link add v0 netns ns1 type veth peer name v1 netns ns2
ip -n ns1 address add 192.0.2.1/24 dev v0
ip -n ns2 address add 192.0.2.2/24 dev v1
ip -n ns1 link set v0 up
ip -n ns2 link set v1 up
ip netns exec ns1 ping -c 1 -w 1 192.0.2.2 >/dev/null
ip netns exec ns2 sysctl -q -w net.ipv4.icmp_echo_ignore_all=1
ip netns exec ns1 ping -w 2 192.0.2.2
echo "status $?"
ip netns exec ns1 ping -c 3 -i 0.2 -W 1 192.0.2.2
echo "status $?"
ip netns exec ns1 ping -c 1 -W 0.5 192.0.2.2
echo "status $?"
ip netns exec ns1 ping -c 2 -w 1 -i 0.3 192.0.2.2
echo "status $?"
ip netns exec ns2 sysctl -q -w net.ipv4.icmp_echo_ignore_all=0
ip netns exec ns1 ping -c 5 -w 1 -i 0.1 192.0.2.2
echo "status $?"
ip netns exec ns1 ping -c 2 -w 3 192.0.2.2
echo "status $?"
ip netns exec ns1 ping -c 3 -w 1 -i 0.4 192.0.2.2
echo "status $?"
ip netns exec ns1 ping -w 1 -i 0.25 -q 192.0.2.2
echo "status $?"
