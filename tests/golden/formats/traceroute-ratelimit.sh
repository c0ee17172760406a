# Routers rate-limit ICMP errors per destination: a second traceroute right after the first loses answers.
ip netns add ns1
ip netns add r1
ip netns add ns2
ip link add ns1-veth0 netns ns1 type veth peer name r1-veth0 netns r1
ip link add r1-veth1 netns r1 type veth peer name ns2-veth0 netns ns2
ip -n ns1 address add 192.0.2.1/24 dev ns1-veth0
ip -n r1 address add 192.0.2.254/24 dev r1-veth0
ip -n r1 address add 198.51.100.254/24 dev r1-veth1
ip -n ns2 address add 198.51.100.1/24 dev ns2-veth0
ip -n ns1 link set ns1-veth0 up
ip -n r1 link set r1-veth0 up
ip -n r1 link set r1-veth1 up
ip -n ns2 link set ns2-veth0 up
ip netns exec r1 sysctl -q -w net.ipv4.ip_forward=1
ip -n ns1 route add default via 192.0.2.254
ip -n ns2 route add default via 198.51.100.254
sleep 1
ip netns exec ns1 traceroute -n 198.51.100.1
ip netns exec ns1 traceroute -n 198.51.100.1
