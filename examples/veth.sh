# Two namespaces joined by a veth pair: a virtual cable with two ends.
ip netns add ns1
ip netns add ns2
ip link add ns1-veth0 type veth peer name ns2-veth0
ip link show
# Move one end into each namespace.
ip link set ns1-veth0 netns ns1
ip link set ns2-veth0 netns ns2
ip link show
# Give each end an address in the same segment, then bring both up.
ip netns exec ns1 ip address add 192.0.2.1/24 dev ns1-veth0
ip netns exec ns2 ip address add 192.0.2.2/24 dev ns2-veth0
ip netns exec ns1 ip link set ns1-veth0 up
ip netns exec ns2 ip link set ns2-veth0 up
# Ping both ways.
ip netns exec ns1 ping -c 3 192.0.2.2
ip netns exec ns2 ping -c 3 192.0.2.1
