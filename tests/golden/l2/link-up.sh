# What a link sends by itself when it comes up, as ip -s link counts it: one duplicate address
# detection solicitation (86 bytes), four MLDv2 reports (90 bytes each: two from ::, two once
# the link-local address is valid) and a router solicitation (70 bytes) within 4 s. A new MAC
# on a link that is up keeps the link-local address made from the old one until the link
# comes up again, and flushes the ARP entries; with arp_notify a gratuitous ARP announces it.
ip netns add ns1
ip netns add ns2
ip link add v0 netns ns1 address 00:00:5e:00:53:01 type veth peer name v1 netns ns2
ip -n ns1 link set v0 up
ip -n ns2 link set v1 up
ip -n ns1 -6 address show dev v0
sleep 4
ip -n ns1 -s link show v0
ip -n ns2 -s link show v1
ip -n ns1 -6 address show dev v0
ip -n ns1 -6 route show table all
echo "== a new MAC while up"
ip -n ns1 address add 192.0.2.1/24 dev v0
ip -n ns2 address add 192.0.2.2/24 dev v1
ip netns exec ns1 ping -c 1 192.0.2.2 >/dev/null
ip -n ns1 neigh
ip -n ns1 link set v0 address 00:00:5e:00:53:02
ip -n ns1 link show v0
ip -n ns1 neigh
ip -n ns1 -6 address show dev v0
ip netns exec ns2 ping -c 1 192.0.2.1 >/dev/null
ip -n ns2 neigh
echo "== down and up: the address follows the MAC"
ip -n ns1 link set v0 down
ip -n ns1 link set v0 up
ip -n ns1 -6 address show dev v0
sleep 3
ip -n ns1 -6 address show dev v0
echo "== arp_notify: a gratuitous ARP on a MAC change and on up (IPv6 off: nothing else is sent)"
ip netns exec ns1 sysctl -q -w net.ipv6.conf.default.disable_ipv6=1
ip netns exec ns2 sysctl -q -w net.ipv6.conf.default.disable_ipv6=1
ip link add w0 netns ns1 type veth peer name w1 netns ns2
ip -n ns1 address add 198.51.100.1/24 dev w0
ip -n ns1 link set w0 up
ip -n ns2 link set w1 up
ip netns exec ns1 sysctl -w net.ipv4.conf.w0.arp_notify=1
ip -n ns1 -s link show w0
ip -n ns1 link set w0 address 00:00:5e:00:53:03
ip -n ns1 -s link show w0
ip -n ns2 -s link show w1
ip -n ns1 link set w0 down
ip -n ns1 link set w0 up
ip -n ns1 -s link show w0
ip -n ns2 neigh show dev w1
