# A veth pair with both ends in one namespace: both down (M-DOWN), one end up, both up.
ip netns add ns1
ip netns exec ns1 ip link add v0 type veth peer name v1
ip netns exec ns1 ip address add 192.0.2.1/24 dev v0
ip netns exec ns1 ip address add 192.0.2.2/24 dev v1
echo "== both down"
ip netns exec ns1 ip link show
ip netns exec ns1 ip -br link
ip netns exec ns1 ip addr show dev v0
ip netns exec ns1 ip route show
echo "== v0 up"
ip netns exec ns1 ip link set v0 up
ip netns exec ns1 ip link show
ip netns exec ns1 ip -br link
ip netns exec ns1 ip -br addr
ip netns exec ns1 ip -o link show v0
ip netns exec ns1 ip addr show dev v0
ip netns exec ns1 ip route show
ip netns exec ns1 ip route show table local
echo "== both up"
ip netns exec ns1 ip link set v1 up
sleep 3
ip netns exec ns1 ip link show
ip netns exec ns1 ip -br link
ip netns exec ns1 ip -br addr
ip netns exec ns1 ip addr show
ip netns exec ns1 ip -4 addr
ip netns exec ns1 ip -6 addr
ip netns exec ns1 ip route show
ip netns exec ns1 ip route show table local
echo "== v1 down again"
ip netns exec ns1 ip link set v1 down
ip netns exec ns1 ip link show
ip netns exec ns1 ip route show
