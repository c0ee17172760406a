# How a host learns a MAC address (the book's section 4.3): ARP, seen with tcpdump.
ip netns add ns1
ip netns add ns2
ip link add ns1-veth0 type veth peer name ns2-veth0
ip link set ns1-veth0 netns ns1
ip link set ns2-veth0 netns ns2
ip netns exec ns1 ip link set ns1-veth0 up
ip netns exec ns2 ip link set ns2-veth0 up
ip netns exec ns1 ip address add 192.0.2.1/24 dev ns1-veth0
ip netns exec ns2 ip address add 192.0.2.2/24 dev ns2-veth0
ip netns exec ns1 ip link set dev ns1-veth0 address 00:00:5E:00:53:01
ip netns exec ns2 ip link set dev ns2-veth0 address 00:00:5E:00:53:02
# Forget what ns1 knows, then watch ARP and ICMP while it pings.
ip netns exec ns1 ip neigh flush all
ip netns exec ns1 tcpdump -tnel -i ns1-veth0 -c 10 icmp or arp &
sleep 1
ip netns exec ns1 ping -c 3 192.0.2.2 -I 192.0.2.1
sleep 1
# ns1 learned ns2's MAC from the reply; ns2 learned ns1's from the request, and checks it again
# with a unicast request a few seconds later.
ip netns exec ns1 ip neigh
ip netns exec ns2 ip neigh
wait
ip netns exec ns1 ip neigh
