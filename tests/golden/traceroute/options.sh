# traceroute's option syntax (CLIF): joined and long forms, bad values, extra args, packet lengths.
ip netns add ns1
ip netns add ns2
ip link add v0 netns ns1 type veth peer name v1 netns ns2
ip -n ns1 address add 192.0.2.1/24 dev v0
ip -n ns2 address add 192.0.2.2/24 dev v1
ip -n ns1 link set v0 up
ip -n ns2 link set v1 up
traceroute -V
echo "status $?"
traceroute --help >/dev/null 2>&1
echo "status $?"
ip netns exec ns1 traceroute -nm5 192.0.2.2
sleep 7
ip netns exec ns1 traceroute --max-hops=3 -n 192.0.2.2
echo "status $?"
sleep 7
ip netns exec ns1 traceroute --max-hops 3 192.0.2.2
echo "status $?"
ip netns exec ns1 traceroute -n 192.0.2.2 10
echo "status $?"
sleep 7
ip netns exec ns1 traceroute -n 192.0.2.2 1500
echo "status $?"
sleep 7
ip netns exec ns1 traceroute -n -I 192.0.2.2 10
echo "status $?"
sleep 7
ip netns exec ns1 traceroute -n 192.0.2.2 60 70
echo "status $?"
ip netns exec ns1 traceroute -n 192.0.2.2 abc
echo "status $?"
ip netns exec ns1 traceroute -m
echo "status $?"
ip netns exec ns1 traceroute -n -w 1,2,3,4 192.0.2.2
echo "status $?"
ip netns exec ns1 traceroute -n -w -1 192.0.2.2
echo "status $?"
ip netns exec ns1 traceroute -n -N 0 192.0.2.2
echo "status $?"
ip netns exec ns1 traceroute -n -m 0x3 -p 0x8000 192.0.2.2
echo "status $?"
sleep 7
ip netns exec ns1 traceroute -n -q 1 -z 0.1 192.0.2.2
echo "status $?"
sleep 7
ip netns exec ns1 traceroute -n -U 192.0.2.2
echo "status $?"
sleep 7
ip netns exec ns1 traceroute -n -i v0 -s 192.0.2.1 -t 16 192.0.2.2
echo "status $?"
ip netns exec ns1 traceroute -n --foo 192.0.2.2
echo "status $?"
ip netns exec ns1 traceroute -n -- 192.0.2.2
echo "status $?"
