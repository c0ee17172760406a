# ip link delete: missing device; deleting one veth end removes both.
ip link delete nosuch
echo "status $?"
ip link del dev nosuch
echo "status $?"
ip link delete
echo "status $?"
ip link delete lo
echo "status $?"
ip link add v0 type veth peer name v1
ip link delete v1
echo "status $?"
ip link show v0
echo "status $?"
ip -br link
