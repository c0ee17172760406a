# ip link set PORT type bridge_slave ...: the port's options through ip, and their errors.
ip link add br0 type bridge
ip link add v0 type veth peer name v1
ip link set v0 address 02:00:00:00:00:01
ip link set v0 master br0
ip link set v0 type bridge_slave learning off hairpin on cost 9 priority 3 isolated on; echo "status $?"
bridge -d link show
ip link set v0 type bridge_slave learning maybe; echo "status $?"
ip link set v0 type bridge_slave bogus; echo "status $?"
ip link set v0 type bridge_slave cost x; echo "status $?"
ip link set v1 type bridge_slave learning off; echo "status $?"
ip link set v0 type bridge_slave priority 99; echo "status $?"
ip link set v0 type bridge_slave state 3; echo "status $?"
ip link set v0 type bridge_slave fdb_flush mcast_router 2 proxy_arp on; echo "status $?"
ip link set v0 type bridge ageing_time 100; echo "status $?"
ip -d link show v0 | grep -o "bridge_slave state [a-z]* priority [0-9]* cost [0-9]* hairpin [a-z]*"
