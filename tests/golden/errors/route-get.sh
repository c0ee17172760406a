# ip route get: no route, bad address.
ip route get 192.0.2.1
echo "status $?"
ip link add v0 type veth peer name v1
ip address add 192.0.2.1/24 dev v0
ip link set v0 up
ip link set v1 up
ip route get 198.51.100.1
echo "status $?"
ip route get 198.51.100.1 from 192.0.2.1
echo "status $?"
ip route get foo
echo "status $?"
ip route get
echo "status $?"
ip route get 192.0.2.9 dev nosuch
echo "status $?"
ip route get 192.0.2.9 from 203.0.113.5
echo "status $?"
