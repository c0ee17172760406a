# A bridge with an address is the hosts' gateway: ARP and IP are delivered to the bridge
# device itself.
sysctl -q -w net.ipv6.conf.default.disable_ipv6=1
for i in 1 2; do
  ip netns add h$i
  ip netns exec h$i sysctl -q -w net.ipv6.conf.default.disable_ipv6=1
done
ip link add br0 type bridge mcast_snooping 0
for i in 1 2; do
  ip link add h$i-eth0 type veth peer name br-h$i
  ip link set h$i-eth0 netns h$i
  ip netns exec h$i ip link set h$i-eth0 address 00:00:5e:00:53:0$i
  ip netns exec h$i ip address add 192.0.2.$i/24 dev h$i-eth0
  ip netns exec h$i ip link set h$i-eth0 up
  ip netns exec h$i ip route add default via 192.0.2.254
  ip link set br-h$i master br0
  ip link set br-h$i up
done
ip link set br0 address 02:00:00:00:00:fe
ip address add 192.0.2.254/24 dev br0
ip link set br0 up
ip address show br0
ip netns exec h1 ping -c 2 -i 0.2 192.0.2.254
ip neigh show dev br0
ip netns exec h1 ip neigh
ip address add 198.51.100.1/32 dev lo
ip netns exec h2 ping -c 1 198.51.100.1
ip -s link show br0
bridge fdb show br br0 | grep -v self
