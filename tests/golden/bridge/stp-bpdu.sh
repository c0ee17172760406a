# With the spanning tree on, the bridge (the root, alone) sends a configuration BPDU out of
# each enabled port every hello time, with the topology change flag once a port forwards.
# A forward delay of 4.5 s keeps that moment away from the hellos, which the kernel rounds
# to whole seconds.
ip netns add h1
ip netns exec h1 sysctl -q -w net.ipv6.conf.default.disable_ipv6=1
sysctl -q -w net.ipv6.conf.default.disable_ipv6=1
ip link add br0 type bridge stp_state 1 forward_delay 450 mcast_snooping 0
ip link add h1-eth0 type veth peer name p1
ip link set h1-eth0 netns h1
ip link set p1 address 02:00:00:00:01:01
ip link set p1 master br0
ip link set p1 up
ip netns exec h1 ip link set h1-eth0 up
ip netns exec h1 tcpdump -l -t -nn -e -v -i h1-eth0 -c 6 2>/dev/null &
ip link set br0 up
wait
bridge link show
ip -s link show p1 | grep -A1 TX
