# tcpdump -Q in|out: libpcap drops the other direction itself, after the kernel counted it.
ip netns add ns1; ip netns add ns2
ip link add ns1-veth0 type veth peer name ns2-veth0
ip link set ns1-veth0 netns ns1; ip link set ns2-veth0 netns ns2
ip netns exec ns1 ip link set ns1-veth0 up; ip netns exec ns2 ip link set ns2-veth0 up
ip netns exec ns1 ip address add 192.0.2.1/24 dev ns1-veth0
ip netns exec ns2 ip address add 192.0.2.2/24 dev ns2-veth0
ip netns exec ns1 ping -c 1 192.0.2.2 > /dev/null
ip netns exec ns1 tcpdump -tn -Q in -i ns1-veth0 -c 2 icmp &
sleep 1
ip netns exec ns1 ping -c 2 192.0.2.2 > /dev/null
wait
ip netns exec ns1 tcpdump -tn -Q out -i any -c 2 icmp &
sleep 1
ip netns exec ns1 ping -c 2 192.0.2.2 > /dev/null
wait
tcpdump -Q in -r /dev/null; echo "status $?"
