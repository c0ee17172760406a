# SIGINT makes ping print its summary (background pings still catch it: ping installs its own handler).
ip netns add ns1
ip netns add ns2
ip link add v0 netns ns1 type veth peer name v1 netns ns2
ip -n ns1 address add 192.0.2.1/24 dev v0
ip -n ns2 address add 192.0.2.2/24 dev v1
ip -n ns1 link set v0 up
ip -n ns2 link set v1 up
ip netns exec ns1 ping -i 0.2 192.0.2.2 &
sleep 0.5
kill -INT $!
wait $!
echo "status $?"
ip netns exec ns1 ping -q 192.0.2.2 &
sleep 1.5
kill -INT $!
wait $!
echo "status $?"
ip netns exec ns1 ping 192.0.2.9 &
sleep 1.5
kill -INT $!
wait $!
echo "status $?"
