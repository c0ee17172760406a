# Ports joining and leaving: the bridge's address follows its lowest port address, its carrier
# follows the ports' states.
ip link add br0 type bridge
ip link add v0 type veth peer name v1
ip link add v2 type veth peer name v3
ip link set v0 address 02:00:00:00:00:20
ip link set v1 address 02:00:00:00:00:21
ip link set v2 address 02:00:00:00:00:10
ip link set v3 address 02:00:00:00:00:11
ip link set v0 master br0
ip link show br0
ip link set v2 master br0
ip link show br0
ip link show master br0
bridge link show
bridge fdb show br br0
ip -d link show v0 | tail -n +3
ip link show type bridge_slave
ip link set br0 up
ip link show br0
bridge link
ip link set v0 up
ip link show br0
bridge link show
ip link set v1 up
ip link show br0
bridge link show dev v0
ip link set v2 up; ip link set v3 up
bridge link show
ip link set v1 down
bridge link show
ip link show br0
ip link set v0 nomaster
ip link show br0
ip link show v0
bridge link show
ip link del v3
ip link show br0
ip link show master br0
bridge fdb show br br0 | grep -v 33:33:ff
ip link set br0 address 02:00:00:00:00:aa
ip link set v0 master br0
ip link show br0
bridge fdb show br br0 | grep -v 33:33:ff
ip link set br0 down
bridge link show
ip link show br0
ip link del br0
ip link show v0
