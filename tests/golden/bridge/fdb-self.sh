# The entries bridge fdb show lists as 'self permanent': the multicast addresses each device
# listens to, in the order it joined them, as links go up and down and IPv6 is turned off.
ip link add br0 type bridge
ip link set br0 address 02:00:00:00:00:b0
ip link add v0 type veth peer name v1
ip link set v0 address 02:00:00:00:00:01
ip link set v1 address 02:00:00:00:00:02
bridge fdb show
ip link set br0 up
ip link set v0 master br0
ip link set v0 up
ip link set v1 up
sleep 3
bridge fdb show | grep -v "dev v0 master"
ip link set v0 down
bridge fdb show dev v0
ip link set v0 up
bridge fdb show dev v0
ip link set v0 address 02:00:00:00:00:03
bridge fdb show dev v0
ip link set br0 down
bridge fdb show dev br0
ip link set br0 up
sleep 3
bridge fdb show dev br0
sysctl -q -w net.ipv6.conf.v1.disable_ipv6=1
bridge fdb show dev v1
ip link set v1 down
ip link set v1 up
bridge fdb show dev v1
ip link set br0 type bridge mcast_snooping 0
bridge fdb show dev br0
ip link set br0 nomaster 2>&1
