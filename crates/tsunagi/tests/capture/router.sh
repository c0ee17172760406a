# Two hosts and a router, each host's link captured by tcpdump -w and the router's on `any` while pings cross the router,
# a ping to a host that does not exist and one with TTL 1 (ICMP errors), IPv6 off so that only
# what the script sends is on the wire.
for n in ns1 router ns2; do
  ip netns add $n
  ip netns exec $n sysctl -q -w net.ipv6.conf.all.disable_ipv6=1
  ip netns exec $n sysctl -q -w net.ipv6.conf.default.disable_ipv6=1
done
ip link add ns1-veth0 type veth peer name gw-veth0
ip link add ns2-veth0 type veth peer name gw-veth1
ip link set ns1-veth0 netns ns1
ip link set gw-veth0 netns router
ip link set ns2-veth0 netns ns2
ip link set gw-veth1 netns router
ip netns exec ns1 ip address add 192.0.2.1/24 dev ns1-veth0
ip netns exec router ip address add 192.0.2.254/24 dev gw-veth0
ip netns exec router ip address add 198.51.100.254/24 dev gw-veth1
ip netns exec ns2 ip address add 198.51.100.1/24 dev ns2-veth0
ip netns exec ns1 ip link set ns1-veth0 up
ip netns exec router ip link set gw-veth0 up
ip netns exec router ip link set gw-veth1 up
ip netns exec ns2 ip link set ns2-veth0 up
ip netns exec ns1 ip route add default via 192.0.2.254
ip netns exec ns2 ip route add default via 198.51.100.254
ip netns exec router sysctl -q -w net.ipv4.ip_forward=1
ip netns exec ns1 tcpdump -i ns1-veth0 -w ns1-veth0.pcap 2>/dev/null &
c1=$!
ip netns exec ns2 tcpdump -i ns2-veth0 -w ns2-veth0.pcap 2>/dev/null &
c2=$!
ip netns exec router tcpdump -i any -w router-any.pcap 2>/dev/null &
c3=$!
sleep 1
ip netns exec ns1 ping -c 2 -i 0.2 198.51.100.1 >/dev/null
ip netns exec ns1 ping -c 1 -t 1 198.51.100.1 >/dev/null
ip netns exec ns1 ping -c 1 -W 1 198.51.100.9 >/dev/null
sleep 4
kill -INT $c1 $c2 $c3
wait $c1 $c2 $c3
echo "status $?"
