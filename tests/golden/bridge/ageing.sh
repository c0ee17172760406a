# Ageing: an entry lives ageing_time after the last frame from its address; the bridge's
# garbage collection runs when the oldest entry is due. bridge -s shows the seconds since an
# entry was used and updated. Static neighbours keep ARP out of the way.
for i in 1 2; do
  ip netns add h$i
  ip netns exec h$i sysctl -q -w net.ipv6.conf.default.disable_ipv6=1
done
sysctl -q -w net.ipv6.conf.default.disable_ipv6=1
ip link add br0 type bridge ageing_time 300 mcast_snooping 0
for i in 1 2; do
  ip link add h$i-eth0 type veth peer name br-h$i
  ip link set h$i-eth0 netns h$i
  ip netns exec h$i ip link set h$i-eth0 address 00:00:5e:00:53:0$i
  ip netns exec h$i ip address add 192.0.2.$i/24 dev h$i-eth0
  ip netns exec h$i ip link set h$i-eth0 up
  ip netns exec h$i ip neigh add 192.0.2.$((3 - i)) lladdr 00:00:5e:00:53:0$((3 - i)) dev h$i-eth0
  ip link set br-h$i master br0
  ip link set br-h$i up
done
ip link set br0 up
ip netns exec h1 ping -c 1 192.0.2.2 > /dev/null
bridge fdb show br br0 dynamic
sleep 1.5
bridge -s fdb show br br0 dynamic
sleep 2
bridge fdb show br br0 dynamic
echo "aged"
ip netns exec h1 ping -c 1 192.0.2.2 > /dev/null
ip link set br0 type bridge ageing_time 100
sleep 0.5
bridge fdb show br br0 dynamic
sleep 1
bridge fdb show br br0 dynamic
echo "aged again"
bridge -d link show dev br-h1
bridge -j fdb show dev br-h1
bridge fdb add 02:00:00:00:00:09 dev br-h1 master dynamic
bridge fdb show dev br-h1 | grep 02:00
sleep 2
bridge fdb show dev br-h1 | grep 02:00
echo done
