# bridge fdb replace and append: an existing entry is updated (moved to another port, given
# another state) where add refuses it.
ip link add br0 type bridge
ip link add v0 type veth peer name v1
ip link add v2 type veth peer name v3
ip link set v0 master br0
ip link set v2 master br0
bridge fdb replace 02:00:00:00:00:01 dev v0 master static; echo "status $?"
bridge fdb show br br0 | grep 02:00:00:00:00:01
bridge fdb replace 02:00:00:00:00:01 dev v2 master static; echo "status $?"
bridge fdb show br br0 | grep 02:00:00:00:00:01
bridge fdb replace 02:00:00:00:00:01 dev v2 master; echo "status $?"
bridge fdb show br br0 | grep 02:00:00:00:00:01
bridge fdb append 02:00:00:00:00:02 dev v0; echo "status $?"
bridge fdb show dev v0 | grep 02:00
bridge fdb replace 02:00:00:00:00:02 dev v0; echo "status $?"
bridge fdb add 02:00:00:00:00:02 dev v0; echo "status $?"
bridge fdb show dev v0 | grep 02:00
