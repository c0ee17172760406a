# ip link set: rename, mtu, MAC address, up/down, several at once, alias.
ip link add v0 type veth peer name v1
ip link set v0 name eth0
ip link show
ip link set dev eth0 mtu 9000
ip link set eth0 address 00:00:5e:00:53:01
ip link set v1 address 00:00:5E:00:53:02
ip link show
ip link set eth0 up mtu 1400
ip link set v1 up
ip link show
ip -br link
# This kernel lets an interface be renamed while it is up.
ip link set eth0 name v0
echo "status $?"
ip link show
ip link set v0 alias "to the router"
ip link show v0
ip -br link show v1
ip link set v1 down
ip link set v1 up
ip -br link show v1
ip link show type veth
ip link show up
