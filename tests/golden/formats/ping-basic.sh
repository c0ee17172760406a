# ping output variants on one segment (ns1 192.0.2.1 <-> ns2 192.0.2.2).
ip netns add ns1
ip netns add ns2
ip link add v0 netns ns1 type veth peer name v1 netns ns2
ip -n ns1 address add 192.0.2.1/24 dev v0
ip -n ns2 address add 192.0.2.2/24 dev v1
ip -n ns1 link set v0 up
ip -n ns2 link set v1 up
ip netns exec ns1 ping -c 2 -i 0.2 192.0.2.2
echo "status $?"
ip netns exec ns1 ping -c 2 -i 0.2 -I v0 192.0.2.2
ip netns exec ns1 ping -c 2 -i 0.2 -I 192.0.2.1 192.0.2.2
ip netns exec ns1 ping -c 2 -i 0.2 192.0.2.2 -I 192.0.2.1
ip netns exec ns1 ping -n -c 2 -i 0.2 192.0.2.2
ip netns exec ns1 ping -q -c 2 -i 0.2 192.0.2.2
ip netns exec ns1 ping -c 2 -i 0.2 -s 100 192.0.2.2
ip netns exec ns1 ping -c 2 -i 0.2 -s 1472 192.0.2.2
ip netns exec ns1 ping -c 1 -s 1473 -M do 192.0.2.2
ip netns exec ns1 ping -c 2 -i 0.2 -s 16 192.0.2.2
ip netns exec ns1 ping -c 2 -i 0.2 -s 15 192.0.2.2
ip netns exec ns1 ping -c 2 -i 0.2 -s 0 192.0.2.2
ip netns exec ns1 ping -c 2 -i 0.2 -t 1 192.0.2.2
ip netns exec ns1 ping -c 1 -W 1 192.0.2.2
ip netns exec ns1 ping -w 1 -i 0.3 192.0.2.2
echo "status $?"
ip netns exec ns1 ping -c 2 -w 5 -i 0.2 192.0.2.2
ip netns exec ns1 ping -4 -c 1 192.0.2.2
ip netns exec ns1 ping -c 100 -f 192.0.2.2
echo "status $?"
ip netns exec ns1 ping -c 3 -i 0.2 -l 3 192.0.2.2
