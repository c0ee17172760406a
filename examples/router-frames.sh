# Frames are rewritten at each hop (the book's section 4.4): the IP addresses stay, the MACs
# change on each side of the router.
ip netns add ns1
ip netns add ns2
ip netns add router
ip link add ns1-veth0 type veth peer name gw-veth0
ip link add ns2-veth0 type veth peer name gw-veth1
ip link set ns1-veth0 netns ns1
ip link set gw-veth0 netns router
ip link set ns2-veth0 netns ns2
ip link set gw-veth1 netns router
ip netns exec ns1 ip link set ns1-veth0 up
ip netns exec router ip link set gw-veth0 up
ip netns exec ns2 ip link set ns2-veth0 up
ip netns exec router ip link set gw-veth1 up
ip netns exec ns1 ip address add 192.0.2.1/24 dev ns1-veth0
ip netns exec router ip address add 192.0.2.254/24 dev gw-veth0
ip netns exec ns2 ip address add 198.51.100.1/24 dev ns2-veth0
ip netns exec router ip address add 198.51.100.254/24 dev gw-veth1
ip netns exec ns1 ip route add default via 192.0.2.254
ip netns exec ns2 ip route add default via 198.51.100.254
ip netns exec router sysctl net.ipv4.ip_forward=1
ip netns exec ns1 ip link set dev ns1-veth0 address 00:00:5E:00:53:11
ip netns exec router ip link set dev gw-veth0 address 00:00:5E:00:53:12
ip netns exec router ip link set dev gw-veth1 address 00:00:5E:00:53:21
ip netns exec ns2 ip link set dev ns2-veth0 address 00:00:5E:00:53:22
# One capture on each side of the router, each into its own file.
ip netns exec router tcpdump -tnel -i gw-veth0 -c 8 icmp or arp > gw-veth0.txt 2>&1 &
ip netns exec router tcpdump -tnel -i gw-veth1 -c 8 icmp or arp > gw-veth1.txt 2>&1 &
sleep 1
ip netns exec ns1 ping -c 3 198.51.100.1 -I 192.0.2.1
wait
cat gw-veth0.txt
cat gw-veth1.txt
ip netns exec ns1 ip route show
ip netns exec router ip route show
