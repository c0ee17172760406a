# Gratuitous ARP where Linux sends one: with arp_notify, when the MAC of a device that is up
# changes (NETDEV_CHANGEADDR) and when it comes up (NETDEV_UP); an ARP request from and for
# each of its addresses, broadcast, target hardware address zero. Without arp_notify, neither.
# The other end learns nothing from it (arp_accept is 0).
ip netns add ns1
ip netns add ns2
ip netns exec ns1 sysctl -q -w net.ipv6.conf.default.disable_ipv6=1
ip netns exec ns2 sysctl -q -w net.ipv6.conf.default.disable_ipv6=1
ip link add v0 netns ns1 type veth peer name v1 netns ns2
ip -n ns1 address add 198.51.100.1/24 dev v0
ip -n ns1 address add 203.0.113.1/24 dev v0
ip -n ns2 address add 198.51.100.2/24 dev v1
ip -n ns1 link set v0 up
ip -n ns2 link set v1 up
ip netns exec ns2 tcpdump -nn -e -t -i v1 arp 2>&1 &
sleep 1
ip -n ns1 link set v0 address 00:00:5e:00:53:01
ip -n ns1 link set v0 down
ip -n ns1 link set v0 up
sleep 1
ip netns exec ns1 sysctl -w net.ipv4.conf.v0.arp_notify=1
ip -n ns1 link set v0 address 00:00:5e:00:53:02
sleep 1
ip -n ns1 link set v0 down
ip -n ns1 link set v0 up
sleep 1
ip netns exec ns1 sysctl -w net.ipv4.conf.v0.arp_notify=0
ip netns exec ns1 sysctl -w net.ipv4.conf.all.arp_notify=1
ip -n ns1 link set v0 address 00:00:5e:00:53:03
sleep 1
kill %1
wait
ip -n ns2 neigh
