# ip link set: missing device, bad mtu, bad MAC, missing netns, name taken in the target netns.
ip link add v0 type veth peer name v1
ip link set nosuch up
echo "status $?"
ip link set dev nosuch up
echo "status $?"
ip link set v0 mtu 99999999
echo "status $?"
ip link set v0 mtu 10
echo "status $?"
ip link set v0 mtu abc
echo "status $?"
ip link set v0 address zz:zz:zz:zz:zz:zz
echo "status $?"
ip link set v0 address 01:00:5e:00:00:01
echo "status $?"
ip link set v0 address 00:00:5e:00:53
echo "status $?"
ip link set v0 netns nosuch
echo "status $?"
ip link set v0 foo
echo "status $?"
ip link set v0
echo "status $?"
ip link set
echo "status $?"
ip link set v0 name v1
echo "status $?"
ip netns add ns1
ip netns exec ns1 ip link add v0 type veth peer name x0
ip link set v0 netns ns1
echo "status $?"
ip link show v0
