# tcpdump -v: the IP header of what ping, the kernel's echo replies, traceroute and ICMP errors
# send (DF or not, TOS, TTL). IP ids are random per destination, so they are masked here.
ip netns add ns1
ip netns add ns2
ip link add ns1-veth0 type veth peer name ns2-veth0
ip link set ns1-veth0 netns ns1
ip link set ns2-veth0 netns ns2
ip netns exec ns1 ip link set ns1-veth0 up
ip netns exec ns2 ip link set ns2-veth0 up
ip netns exec ns1 ip address add 192.0.2.1/24 dev ns1-veth0
ip netns exec ns2 ip address add 192.0.2.2/24 dev ns2-veth0
ip netns exec ns1 tcpdump -tnv -i ns1-veth0 -c 12 icmp or udp > v.txt 2>&1 &
sleep 1
ip netns exec ns1 ping -c 3 192.0.2.2 > /dev/null
ip netns exec ns1 ping -c 2 -M dont 192.0.2.2 > /dev/null
ip netns exec ns1 traceroute -n -q 1 -m 1 192.0.2.2 > /dev/null
wait
sed -E 's/id [0-9]+, offset/id N, offset/' v.txt
