# The bridge program's own messages for bad input.
ip link add br0 type bridge
ip link add v0 type veth peer name v1
ip link set v0 master br0
bridge -x; echo "status $?"
bridge help; echo "status $?"
bridge fdb help; echo "status $?"
bridge fdb foo; echo "status $?"
bridge link foo; echo "status $?"
bridge link help; echo "status $?"
bridge fdb show dev; echo "status $?"
bridge fdb show br; echo "status $?"
bridge fdb add 02:00:00:00:00:01 dev; echo "status $?"
bridge fdb add 02:00:00:00:00:01 02:00:00:00:00:02 dev v0; echo "status $?"
bridge fdb add 02:00:00:00:00:01 dev nosuch; echo "status $?"
bridge fdb del 02:00:00:00:00:01; echo "status $?"
bridge fdb show state bogus; echo "status $?"
bridge fdb show state permanent | grep -c .
bridge fdb show dynamic; echo "status $?"
bridge fdb show vlan; echo "status $?"
bridge link show dev; echo "status $?"
bridge fdb add 02:00:00:00:00:05 dev br0 master; echo "status $?"
bridge fdb show br br0 | grep 02:00
bridge fdb add 01:00:5e:00:00:fb dev v0; echo "status $?"
bridge fdb show dev v0
bridge fdb del 01:00:5e:00:00:fb dev v0; echo "status $?"
bridge fdb add 02:00:00:00:00:07 dev v1 master; echo "status $?"
bridge fdb add 02:00:00:00:00:07 dev lo; echo "status $?"
