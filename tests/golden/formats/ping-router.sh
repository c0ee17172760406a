# ping through a router: TTL 63, Time to live exceeded, Net Unreachable, forwarding off, host unreachable.
ip netns add ns1
ip netns add ns2
ip netns add router
ip link add ns1-veth0 netns ns1 type veth peer name gw-veth0 netns router
ip link add ns2-veth0 netns ns2 type veth peer name gw-veth1 netns router
ip -n ns1 address add 192.0.2.1/24 dev ns1-veth0
ip -n router address add 192.0.2.254/24 dev gw-veth0
ip -n router address add 198.51.100.254/24 dev gw-veth1
ip -n ns2 address add 198.51.100.1/24 dev ns2-veth0
ip -n ns1 link set ns1-veth0 up
ip -n router link set gw-veth0 up
ip -n router link set gw-veth1 up
ip -n ns2 link set ns2-veth0 up
ip -n ns1 route add default via 192.0.2.254
ip -n ns2 route add default via 198.51.100.254
echo "== forwarding off: silently dropped"
ip netns exec ns1 ping -c 2 -i 0.2 -W 1 198.51.100.1
echo "status $?"
ip netns exec router sysctl -w net.ipv4.ip_forward=1
echo "== forwarding on"
ip netns exec ns1 ping -c 2 -i 0.2 198.51.100.1
ip netns exec ns1 ping -c 2 -i 0.2 198.51.100.254
ip netns exec ns1 ping -c 2 -i 0.2 -I 192.0.2.1 198.51.100.1
echo "== ttl 1 expires at the router"
ip netns exec ns1 ping -c 2 -i 0.2 -t 1 198.51.100.1
echo "status $?"
ip netns exec ns1 ping -c 2 -i 0.2 -t 2 198.51.100.1
echo "== the router has no route"
ip netns exec ns1 ping -c 2 -i 0.2 203.0.113.1
echo "status $?"
echo "== the router cannot resolve the host"
ip netns exec ns1 ping -c 2 -i 0.2 198.51.100.9
echo "status $?"
ip netns exec router ip neigh show dev gw-veth1 | sort
