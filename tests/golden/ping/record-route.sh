# ping -R through a router: each host on the way records one address, in both directions.
ip netns add host1
ip netns add router
ip netns add host2
ip link add h1-veth0 netns host1 type veth peer name gw-veth0 netns router
ip link add h2-veth0 netns host2 type veth peer name gw-veth1 netns router
ip -n host1 address add 192.0.2.1/24 dev h1-veth0
ip -n router address add 192.0.2.254/24 dev gw-veth0
ip -n router address add 198.51.100.254/24 dev gw-veth1
ip -n host2 address add 198.51.100.1/24 dev h2-veth0
ip -n host1 link set h1-veth0 up
ip -n router link set gw-veth0 up
ip -n router link set gw-veth1 up
ip -n host2 link set h2-veth0 up
ip -n host1 route add default via 192.0.2.254
ip -n host2 route add default via 198.51.100.254
ip netns exec router sysctl -q net.ipv4.ip_forward=1
ip netns exec host1 ping -c 2 -i 0.2 -R 198.51.100.1
echo "status $?"
ip netns exec host1 ping -c 1 -n -R 192.0.2.254
echo "status $?"
ip netns exec host1 ping -c 2 -i 0.2 -q -R 198.51.100.1
echo "status $?"
