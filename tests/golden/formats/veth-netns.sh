# Peers in other namespaces: NAME@ifN, link-netns NAME, netns ids, ifindex kept when moving.
ip netns add ns1
ip netns add ns2
ip netns list
ip link add ns1-veth0 type veth peer name ns2-veth0
ip link show
ip link set ns1-veth0 netns ns1
ip link show
ip netns list
ip link show ns2-veth0
ip -br link
ip link set ns2-veth0 netns ns2
ip link show
ip netns list
ip netns exec ns1 ip link show
ip netns exec ns2 ip link show
ip netns exec ns1 ip -br link
ip netns exec ns1 ip -o link
ip netns exec ns1 ip -d link show ns1-veth0
ip netns exec ns1 ip addr show
ip netns exec ns1 ip -br addr
ip netns exec ns1 ip -s link show ns1-veth0
ip netns exec ns1 ip link set ns1-veth0 up
ip netns exec ns1 ip link show ns1-veth0
ip netns exec ns2 ip link set ns2-veth0 up
sleep 3
ip netns exec ns1 ip link show ns1-veth0
ip netns exec ns1 ip addr show ns1-veth0
ip netns exec ns2 ip -br addr
# Each namespace numbers its own interfaces; a moved device keeps its index if it is free there.
ip netns exec ns1 ip link add a0 type veth peer name a1
ip netns exec ns1 ip -o link show | awk '{print $1, $2}'
ip netns exec ns1 ip link set a1 netns ns2
ip netns exec ns2 ip -o link show | awk '{print $1, $2}'
ip netns exec ns1 ip -o link show | awk '{print $1, $2}'
ip link add b0 type veth peer name b1
ip -o link show | awk '{print $1, $2}'
ip netns list
