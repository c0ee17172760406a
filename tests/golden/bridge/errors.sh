# Errors of ip link with bridges and of the bridge program.
ip link add br0 type bridge
ip link add v0 type veth peer name v1
ip link add br1 type bridge max_age 100; echo "status $?"
ip link add br1 type bridge hello_time 10; echo "status $?"
ip link add br1 type bridge priority 70000; echo "status $?"
ip link set br0 type bridge ageing_time foo; echo "status $?"
ip link set br0 type bridge stp_state; echo "status $?"
ip link set br0 type bridge bogus 1; echo "status $?"
ip link set lo master br0; echo "status $?"
ip link set br0 master br0; echo "status $?"
ip link set nosuch master br0; echo "status $?"
ip link set v0 master nosuch; echo "status $?"
ip link set v0 master v1; echo "status $?"
ip netns add other
ip link set br0 netns other; echo "status $?"
ip link show type bridge
bridge; echo "status $?"
bridge foo; echo "status $?"
bridge -V; echo "status $?"
bridge fdb show dev nosuch; echo "status $?"
bridge fdb show br nosuch; echo "status $?"
bridge fdb show dev lo; echo "status $?"
bridge link show dev nosuch; echo "status $?"
bridge fdb add zz dev v0; echo "status $?"
bridge fdb add 02:00:00:00:00:06; echo "status $?"
ip link set v0 master br0
bridge fdb add 02:00:00:00:00:01 dev v0; echo "status $?"
bridge fdb add 02:00:00:00:00:02 dev v0 master; echo "status $?"
bridge fdb add 02:00:00:00:00:03 dev v0 master static; echo "status $?"
bridge fdb add 02:00:00:00:00:04 dev v0 master dynamic; echo "status $?"
bridge fdb add 02:00:00:00:00:02 dev v0 master; echo "status $?"
bridge fdb show dev v0 | grep 02:00
bridge fdb del 02:00:00:00:00:02 dev v0 master; echo "status $?"
bridge fdb del 02:00:00:00:00:02 dev v0 master; echo "status $?"
bridge fdb del 02:00:00:00:00:01 dev v0; echo "status $?"
bridge fdb del 02:00:00:00:00:09 dev v0; echo "status $?"
bridge fdb show dev v0 | grep 02:00
