# The bridge program's global options.
bridge -; echo "status $?"
bridge --; echo "status $?"
bridge -s; echo "status $?"
bridge -j -s fdb show dev lo; echo "status $?"
bridge -V; echo "status $?"
bridge -Version; echo "status $?"
bridge -h; echo "status $?"
bridge -x fdb; echo "status $?"
bridge -n nosuch fdb; echo "status $?"
ip netns add x
ip netns exec x ip link add br0 type bridge
ip netns exec x ip link add v0 type veth peer name v1
ip netns exec x ip link set v0 master br0
bridge -n x link show
bridge -netns x -s -d link show
bridge --json -n x link
bridge -n x -c fdb show dev br0 | grep -c self
bridge -family inet6 link show; echo "status $?"
bridge -family ipx link show; echo "status $?"
