# ip route add: unreachable gateway, duplicate, bad prefix, missing device.
ip link add v0 type veth peer name v1
ip address add 192.0.2.1/24 dev v0
ip link set v0 up
ip link set v1 up
ip route add default via 198.51.100.254
echo "status $?"
ip route add 203.0.113.0/24 via 198.51.100.254
echo "status $?"
ip route add 203.0.113.0/24 via 192.0.2.254
ip route add 203.0.113.0/24 via 192.0.2.254
echo "status $?"
ip route add 203.0.113.0/24 via 192.0.2.253
echo "status $?"
ip route add 203.0.113.0/33 via 192.0.2.254
echo "status $?"
ip route add 203.0.113.1/24 via 192.0.2.254
echo "status $?"
ip route add 198.51.100.0/24 dev nosuch
echo "status $?"
ip route add 198.51.100.0/24 via 192.0.2.254 dev nosuch
echo "status $?"
ip route add 198.51.100.0/24 via 192.0.2.254 dev v1
echo "status $?"
ip route add 198.51.100.0/24
echo "status $?"
ip route add foo via 192.0.2.254
echo "status $?"
ip route add 198.51.100.0/24 via foo
echo "status $?"
ip route add 198.51.100.0/24 via 192.0.2.1
echo "status $?"
ip route add
echo "status $?"
ip route add default via 192.0.2.254 metric abc
echo "status $?"
ip route show
