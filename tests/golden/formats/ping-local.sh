# ping inside one namespace: loopback and own address with lo down and up; names from /etc/hosts.
printf '127.0.0.1\tlocalhost\n192.0.2.2\tns2\n' > /etc/hosts
ip netns add ns1
ip netns exec ns1 ping -c 2 -i 0.2 127.0.0.1
echo "status $?"
ip netns exec ns1 ip link set lo up
ip netns exec ns1 ping -c 2 -i 0.2 127.0.0.1
echo "status $?"
ip netns exec ns1 ping -c 2 -i 0.2 localhost
ip netns exec ns1 ping -c 2 -i 0.2 127.0.0.2
ip netns add ns2
ip link add v0 netns ns1 type veth peer name v1 netns ns2
ip -n ns1 address add 192.0.2.1/24 dev v0
ip -n ns2 address add 192.0.2.2/24 dev v1
ip -n ns1 link set v0 up
ip -n ns2 link set v1 up
ip netns exec ns1 ping -c 2 -i 0.2 192.0.2.1
ip netns exec ns2 ping -c 1 -w 1 192.0.2.2
echo "status $?"
ip netns exec ns1 ping -c 2 -i 0.2 ns2
ip netns exec ns1 ping -c 2 -i 0.2 192.0.2.2
ip netns exec ns1 ping -n -c 1 ns2
