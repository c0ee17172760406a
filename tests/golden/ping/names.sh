# Names from /etc/hosts: the canonical (first) name is shown; numeric forms inet_aton accepts.
printf '127.0.0.1\tlocalhost\n192.0.2.2\tns2.example ns2 NS-TWO\n192.0.2.1\tns1\n' > /etc/hosts
ip netns add ns1
ip netns add ns2
ip link add v0 netns ns1 type veth peer name v1 netns ns2
ip -n ns1 address add 192.0.2.1/24 dev v0
ip -n ns2 address add 192.0.2.2/24 dev v1
ip -n ns1 link set v0 up
ip -n ns2 link set v1 up
ip -n ns1 link set lo up
ip netns exec ns1 ping -c 1 ns2
ip netns exec ns1 ping -c 1 ns-two
ip netns exec ns1 ping -c 1 ns2.example
ip netns exec ns1 ping -c 1 -n ns2
ip netns exec ns1 ping -c 1 192.0.2.2
ip netns exec ns1 ping -c 1 3221225986
ip netns exec ns1 ping -c 1 192.0.513
ip netns exec ns1 ping -c 1 0xc0.0.2.2
ip netns exec ns1 ping -c 1 127.1
ip netns exec ns1 ping -c 1 -I ns1 ns2
echo "status $?"
ip netns exec ns1 ping -c 1 -W 1 -t 1 ns2.example
ip netns exec ns1 ping -c 1 '192.0.2.2 '
echo "status $?"
