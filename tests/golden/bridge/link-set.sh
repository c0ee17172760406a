# bridge link set: a port's switches, cost, priority and state, and its errors.
ip link add br0 type bridge
ip link add v0 type veth peer name v1
ip link set v0 address 02:00:00:00:00:01
ip link set v0 master br0
ip link set br0 up; ip link set v0 up; ip link set v1 up
bridge link set dev v0 learning off flood off hairpin on isolated on cost 7 priority 5 bcast_flood off mcast_flood off
echo "status $?"
bridge -d link show
bridge link set dev v0 state 1; echo "status $?"
bridge link show
bridge link set dev v0 state blocking; echo "status $?"
bridge link show
ip link show br0 | head -1
bridge link set dev v0 state 3; echo "status $?"
bridge link set dev v0 state bogus; echo "status $?"
bridge link set dev v0 state 7; echo "status $?"
bridge link set dev v0 cost 0; echo "status $?"
bridge link set dev v0 cost 70000; echo "status $?"
bridge link set dev v0 priority 64; echo "status $?"
bridge link set dev v0 learning maybe; echo "status $?"
bridge link set dev v1 learning off; echo "status $?"
bridge link set dev nosuch learning off; echo "status $?"
bridge link set learning off; echo "status $?"
bridge link set dev v0 bogus; echo "status $?"
ip link set v1 down
bridge link set dev v0 state 3; echo "status $?"
bridge link set dev v0 state 0; echo "status $?"
bridge link show
ip link set br0 type bridge stp_state 1
bridge link set dev v0 state 3; echo "status $?"
