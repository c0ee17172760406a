# tcpdump on a bridge and on its ports: a port's capture shows what crosses that port (floods,
# and unicast only towards its host); the bridge's shows what it passes up, which with the
# bridge in promiscuous mode (as tcpdump puts it) is every frame it handles.
for i in 1 2 3; do
  ip netns add h$i
  ip netns exec h$i sysctl -q -w net.ipv6.conf.default.disable_ipv6=1
done
ip netns add sw
ip netns exec sw sysctl -q -w net.ipv6.conf.default.disable_ipv6=1
ip netns exec sw ip link add br0 type bridge mcast_snooping 0
for i in 1 2 3; do
  ip link add h$i-eth0 type veth peer name p$i
  ip link set h$i-eth0 netns h$i
  ip link set p$i netns sw
  ip netns exec h$i ip link set h$i-eth0 address 00:00:5e:00:53:0$i
  ip netns exec h$i ip address add 192.0.2.$i/24 dev h$i-eth0
  ip netns exec h$i ip link set h$i-eth0 up
  ip netns exec sw ip link set p$i address 02:00:00:00:01:0$i
  ip netns exec sw ip link set p$i master br0
  ip netns exec sw ip link set p$i up
done
ip netns exec sw ip link set br0 address 02:00:00:00:00:fe
ip netns exec sw ip address add 192.0.2.254/24 dev br0
ip netns exec sw ip link set br0 up
sleep 1
ip netns exec sw tcpdump -l -t -nn -e -i br0 > br0.txt 2>/dev/null &
ip netns exec sw tcpdump -l -t -nn -e -i p3 > p3.txt 2>/dev/null &
ip netns exec sw tcpdump -l -t -nn -e -i p2 > p2.txt 2>/dev/null &
sleep 1
ip netns exec h1 ping -c 2 -i 0.2 192.0.2.2 > /dev/null
ip netns exec h1 ping -c 1 192.0.2.254 > /dev/null
sleep 1
kill %1 %2 %3
wait
echo "== br0"; cat br0.txt
echo "== p2"; cat p2.txt
echo "== p3"; cat p3.txt
