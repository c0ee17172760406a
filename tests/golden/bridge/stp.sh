# With the spanning tree on, a port walks through listening and learning, one forward delay
# each, before it forwards; the bridge gets carrier when the first port forwards.
ip link add br0 type bridge stp_state 1 forward_delay 400
ip link add v0 type veth peer name v1
ip link set v0 master br0
ip link set br0 up
ip link set v1 up
ip link set v0 up
bridge link show
ip link show br0
sleep 2
bridge link show
sleep 4
bridge link show
ip link show br0
sleep 4
bridge link show
ip link show br0
# Turning it off leaves forwarding ports as they are; a port enabled later forwards at once.
ip link set br0 type bridge stp_state 0
ip link add v2 type veth peer name v3
ip link set v2 master br0
ip link set v3 up
ip link set v2 up
bridge link show
ip -d link show br0 | grep -o 'bridge forward_delay.*vlan_filtering [0-9]*'
