# MAC learning, flooding of broadcast and unknown unicast, no flooding of known unicast,
# ageing after ageing_time. IPv6 is off so that counters only count what the pings send.
# The bridge does not snoop multicast, so that it sends no IGMP report of its own.
sysctl -q -w net.ipv6.conf.default.disable_ipv6=1
for i in 1 2 3; do
  ip netns add h$i
  ip netns exec h$i sysctl -q -w net.ipv6.conf.default.disable_ipv6=1
done
ip link add br0 type bridge ageing_time 500 mcast_snooping 0
for i in 1 2 3; do
  ip link add h$i-eth0 type veth peer name br-h$i
  ip link set h$i-eth0 netns h$i
  ip netns exec h$i ip link set h$i-eth0 address 00:00:5e:00:53:0$i
  ip netns exec h$i ip address add 192.0.2.$i/24 dev h$i-eth0
  ip netns exec h$i ip link set h$i-eth0 up
  ip link set br-h$i address 02:00:00:00:01:0$i
  ip link set br-h$i master br0
  ip link set br-h$i up
done
ip link set br0 up
bridge fdb show br br0 | grep -v self
ip netns exec h1 ping -c 2 -i 0.2 192.0.2.2
bridge fdb show br br0 | grep -v self
bridge fdb show dev br-h1
ip -s link show br-h3
ip netns exec h1 ping -c 3 -i 0.2 192.0.2.2 > /dev/null
ip -s link show br-h3
ip -s link show br-h2
ip -s link show br0
sleep 3
bridge fdb show br br0 dynamic
sleep 4
bridge fdb show br br0 dynamic
echo "after ageing"
ip netns exec h1 ping -c 1 192.0.2.3 > /dev/null
bridge fdb show br br0 dynamic
ip link set br0 type bridge fdb_flush
bridge fdb show br br0 dynamic
echo flushed
