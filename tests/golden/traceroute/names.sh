# Without -n every hop is "name (address)": names from /etc/hosts, else the address twice.
printf '127.0.0.1\tlocalhost\n192.0.2.254\tgw.example gw\n198.51.100.1\tns2.example ns2\n' > /etc/hosts
ip netns add ns1
ip netns add r1
ip netns add ns2
ip link add a0 netns ns1 type veth peer name a1 netns r1
ip link add b0 netns r1 type veth peer name b1 netns ns2
ip -n ns1 address add 192.0.2.1/24 dev a0
ip -n r1 address add 192.0.2.254/24 dev a1
ip -n r1 address add 198.51.100.254/24 dev b0
ip -n ns2 address add 198.51.100.1/24 dev b1
ip -n ns1 link set a0 up
ip -n r1 link set a1 up
ip -n r1 link set b0 up
ip -n ns2 link set b1 up
ip -n ns1 route add default via 192.0.2.254
ip -n ns2 route add default via 198.51.100.254
ip netns exec r1 sysctl -q -w net.ipv4.ip_forward=1
sleep 1
ip netns exec ns1 traceroute ns2
sleep 7
ip netns exec ns1 traceroute -I ns2.example
sleep 7
ip netns exec ns1 traceroute 198.51.100.1
sleep 7
ip netns exec ns1 traceroute -n ns2
sleep 7
ip netns exec ns1 traceroute 198.51.100.254
