# `ip -6 address` on a veth whose peer is in another namespace: the whole-table listing comes
# from the kernel's inet6 dump (short header, no M-DOWN for a peer index this namespace does
# not have), a listing by device gets the full link message.
ip netns add a
ip netns add b
ip link add va type veth peer name vb
ip link set va netns a
ip link set vb netns b
ip -n a link set va up
ip -n b link set vb up
sleep 3
ip -n a -6 addr show dev va
ip -n a addr show dev va
ip netns exec a ip -6 addr show dev va
ip -n a -6 addr show
ip -n a -4 addr show
ip -n a -6 -o addr show
ip -n a -6 -br addr show
ip -n b -6 addr show dev vb
