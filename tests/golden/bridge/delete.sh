# What goes when a port or the bridge is deleted, or a port moves to another namespace.
sysctl -q -w net.ipv6.conf.default.disable_ipv6=1
ip netns add other
ip link add br0 type bridge mcast_snooping 0
ip link add v0 type veth peer name v1
ip link add v2 type veth peer name v3
ip link add v4 type veth peer name v5
ip link set v0 address 02:00:00:00:00:10
ip link set v2 address 02:00:00:00:00:20
ip link set v4 address 02:00:00:00:00:30
for p in v0 v2 v4; do ip link set $p master br0; ip link set $p up; done
ip link set v1 up; ip link set v3 up; ip link set v5 up
ip link set br0 up
bridge link show
bridge fdb show br br0
# Deleting the peer of a port deletes the port (a veth pair goes together).
ip link del v1
bridge link show
ip link show br0
# A port moved to another namespace leaves the bridge.
ip link set v2 netns other
bridge link show
ip netns exec other ip link show v2
ip link show br0
bridge fdb show br br0
# Deleting the bridge frees its ports.
ip link del br0
ip link show v4
bridge fdb show
# Deleting a namespace deletes the ports in it.
ip link add br1 type bridge
ip link add w0 type veth peer name w1
ip link set w1 netns other
ip link set w0 master br1
bridge link show
ip netns del other
bridge link show
ip link show master br1
