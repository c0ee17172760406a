# What the port switches do: no learning, no flooding of unknown unicast or broadcast,
# isolated ports. IPv6 and multicast snooping are off so that only the pings count.
sysctl -q -w net.ipv6.conf.default.disable_ipv6=1
for i in 1 2 3; do
  ip netns add h$i
  ip netns exec h$i sysctl -q -w net.ipv6.conf.default.disable_ipv6=1
done
ip link add br0 type bridge mcast_snooping 0
for i in 1 2 3; do
  ip link add h$i-eth0 type veth peer name p$i
  ip link set h$i-eth0 netns h$i
  ip netns exec h$i ip link set h$i-eth0 address 00:00:5e:00:53:0$i
  ip netns exec h$i ip address add 192.0.2.$i/24 dev h$i-eth0
  ip netns exec h$i ip link set h$i-eth0 up
  ip link set p$i address 02:00:00:00:01:0$i
  ip link set p$i master br0
  ip link set p$i up
done
ip link set br0 up
# h1's port learns nothing: frames to h1 are always unknown, and flood.
bridge link set dev p1 learning off
ip netns exec h1 ping -c 2 -i 0.2 192.0.2.2 | grep -c "bytes from"
bridge fdb show br br0 dynamic
ip -s link show p3 | grep -A1 TX
# No flooding of unknown unicast to h3.
bridge link set dev p3 flood off
ip netns exec h1 ping -c 2 -i 0.2 192.0.2.2 | grep -c "bytes from"
ip -s link show p3 | grep -A1 TX
# No broadcast to h3: its address cannot be resolved.
bridge link set dev p3 bcast_flood off
ip netns exec h1 ip neigh flush all
ip netns exec h1 ping -c 1 -W 1 192.0.2.3 | grep -c "bytes from"
bridge link set dev p3 bcast_flood on
ip netns exec h1 ping -c 1 -W 1 192.0.2.3 | grep -c "bytes from"
# Isolated ports reach the others but not each other.
bridge link set dev p1 learning on
bridge link set dev p1 isolated on
bridge link set dev p2 isolated on
ip netns exec h1 ping -c 1 -W 1 192.0.2.2 | grep -c "bytes from"
ip netns exec h1 ping -c 1 -W 1 192.0.2.3 | grep -c "bytes from"
bridge -d link show dev p1
