# tcpdump's banner, counts and endings: -c, SIGTERM, SIGINT, -l, -v, -i any, the default device.
ip netns add ns1
ip netns add ns2
ip link add ns1-veth0 type veth peer name ns2-veth0
ip link set ns1-veth0 netns ns1
ip link set ns2-veth0 netns ns2
ip netns exec ns1 ip link set ns1-veth0 up
ip netns exec ns2 ip link set ns2-veth0 up
ip netns exec ns1 ip address add 192.0.2.1/24 dev ns1-veth0
ip netns exec ns2 ip address add 192.0.2.2/24 dev ns2-veth0
sleep 3
echo "== -c 2"
ip netns exec ns1 tcpdump -tnel -i ns1-veth0 -c 2 icmp &
sleep 1
ip netns exec ns1 ping -c 2 192.0.2.2 > /dev/null
wait
echo "== SIGTERM"
ip netns exec ns1 tcpdump -tn -i ns1-veth0 icmp &
sleep 1
ip netns exec ns1 ping -c 1 192.0.2.2 > /dev/null
sleep 1; kill $!; wait
echo "== SIGINT, stderr only"
ip netns exec ns1 tcpdump -tn -i ns1-veth0 icmp 2>&1 >/dev/null &
sleep 1
ip netns exec ns1 ping -c 1 192.0.2.2 > /dev/null
sleep 1; kill -INT $!; wait
echo "== SIGINT, stdout only"
ip netns exec ns1 tcpdump -tn -i ns1-veth0 icmp 2>/dev/null | cat -A &
sleep 1
ip netns exec ns1 ping -c 1 192.0.2.2 > /dev/null
sleep 1; kill -INT $(pidof tcpdump); wait
echo "== -l with ping"
ip netns exec ns1 tcpdump -tnl -i ns1-veth0 -c 4 icmp &
sleep 1
ip netns exec ns1 ping -c 2 192.0.2.2
wait
echo "== -i any"
ip netns exec ns1 tcpdump -c 2 -tnl -i any icmp &
sleep 1; ip netns exec ns1 ping -c 1 192.0.2.2 > /dev/null; wait
ip netns exec ns1 tcpdump -c 2 -tnle -i any icmp &
sleep 1; ip netns exec ns1 ping -c 1 192.0.2.2 > /dev/null; wait
echo "== loopback"
ip netns exec ns1 ip link set lo up
ip netns exec ns1 tcpdump -c 2 -tn -i lo icmp &
sleep 1; ip netns exec ns1 ping -c 1 127.0.0.1 > /dev/null; wait
ip netns exec ns1 tcpdump -c 2 -tn -i any icmp &
sleep 1; ip netns exec ns1 ping -c 1 127.0.0.1 > /dev/null; wait
echo "== no -i: the first device"
ip netns exec ns2 tcpdump -c 1 -tn icmp &
sleep 1; ip netns exec ns1 ping -c 1 192.0.2.2 > /dev/null; wait
