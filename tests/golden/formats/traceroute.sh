# traceroute through three routers: ns1 - r1 - r2 - r3 - ns2.
ip netns add ns1
ip netns add r1
ip netns add r2
ip netns add r3
ip netns add ns2
ip link add ns1-veth0 netns ns1 type veth peer name r1-veth0 netns r1
ip link add r1-veth1 netns r1 type veth peer name r2-veth0 netns r2
ip link add r2-veth1 netns r2 type veth peer name r3-veth0 netns r3
ip link add r3-veth1 netns r3 type veth peer name ns2-veth0 netns ns2
ip -n ns1 address add 192.0.2.1/24 dev ns1-veth0
ip -n r1 address add 192.0.2.254/24 dev r1-veth0
ip -n r1 address add 10.0.12.1/24 dev r1-veth1
ip -n r2 address add 10.0.12.2/24 dev r2-veth0
ip -n r2 address add 10.0.23.2/24 dev r2-veth1
ip -n r3 address add 10.0.23.3/24 dev r3-veth0
ip -n r3 address add 198.51.100.254/24 dev r3-veth1
ip -n ns2 address add 198.51.100.1/24 dev ns2-veth0
for ns in ns1 r1 r2 r3 ns2; do
  for dev in $(ip -n $ns -br link | awk '$1 != "lo" {sub(/@.*/, "", $1); print $1}'); do
    ip -n $ns link set $dev up
  done
done
for r in r1 r2 r3; do ip netns exec $r sysctl -q -w net.ipv4.ip_forward=1; done
ip -n ns1 route add default via 192.0.2.254
ip -n r1 route add default via 10.0.12.2
ip -n r2 route add 192.0.2.0/24 via 10.0.12.1
ip -n r2 route add 198.51.100.0/24 via 10.0.23.3
ip -n r3 route add default via 10.0.23.2
ip -n ns2 route add default via 198.51.100.254
sleep 1
ip netns exec ns1 traceroute -n 198.51.100.1
echo "status $?"
sleep 6
ip netns exec ns1 traceroute 198.51.100.1
sleep 6
ip netns exec ns1 traceroute -n -I 198.51.100.1
sleep 6
ip netns exec ns1 traceroute -n -q 1 198.51.100.1
sleep 6
ip netns exec ns1 traceroute -n -m 2 198.51.100.1
echo "status $?"
sleep 6
ip netns exec ns1 traceroute -n -f 2 198.51.100.1
sleep 6
ip netns exec ns1 traceroute -n -w 1 -N 1 198.51.100.1
sleep 6
ip netns exec ns1 traceroute -n -p 40000 198.51.100.1
sleep 6
ip netns exec ns1 traceroute -n 198.51.100.1 100
sleep 6
ip netns exec ns1 traceroute -n 10.0.12.2
sleep 6
ip netns exec ns1 traceroute -n 192.0.2.254
