# ip link add: name taken, missing peer name, unknown type, bad names.
ip link add v0 type veth peer name v1
ip link add v0 type veth peer name v2
echo "status $?"
ip link add v2 type veth peer name v1
echo "status $?"
ip link add v3 type veth peer name v3
echo "status $?"
ip link add v4 type veth peer
echo "status $?"
ip link add v4 type veth peer name
echo "status $?"
ip link add v5 type nosuchtype
echo "status $?"
ip link add v6
echo "status $?"
ip link add type veth
echo "status $?"
ip link add name abcdefghijklmnopq type veth peer name p0
echo "status $?"
ip link add lo type veth peer name p1
echo "status $?"
ip link show
