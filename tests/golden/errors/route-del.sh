# ip route del: route not present.
ip link add v0 type veth peer name v1
ip address add 192.0.2.1/24 dev v0
ip link set v0 up
ip link set v1 up
ip route del default
echo "status $?"
ip route del 203.0.113.0/24
echo "status $?"
ip route add 203.0.113.0/24 via 192.0.2.254
ip route del 203.0.113.0/24 via 192.0.2.253
echo "status $?"
ip route del 203.0.113.0/25
echo "status $?"
ip route del 203.0.113.0/24 dev nosuch
echo "status $?"
ip route del 203.0.113.0/24
echo "status $?"
ip route del 203.0.113.0/24
echo "status $?"
ip route del
echo "status $?"
ip route show
