# JSON output for bridges and their ports.
ip link add br0 type bridge hello_time 300 priority 4096
ip link add v0 type veth peer name v1
ip link set v0 address 02:00:00:00:00:01
ip link set v1 address 02:00:00:00:00:02
ip link set v0 master br0
ip -j link show master br0
ip -j -d link show br0
ip -j -d link show v0
ip -p -j -d link show v0
ip -br link show type bridge_slave
ip -j link show type bridge | grep -o '"ifname":"[a-z0-9]*"'
bridge -j link show
bridge -j -p link show
bridge -j fdb show br br0
bridge -j fdb show dev v0
bridge -d link show
bridge -s fdb show dev v0
