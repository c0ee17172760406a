# ip address del: address not present, missing device.
ip link add v0 type veth peer name v1
ip address add 10.0.0.1/24 dev v0
ip address del 10.0.0.2/24 dev v0
echo "status $?"
ip address del 10.0.0.1/16 dev v0
echo "status $?"
ip address del 10.0.0.1/24 dev nosuch
echo "status $?"
ip address del 10.0.0.1/24 dev v1
echo "status $?"
ip address del 10.0.0.1/24 dev v0
echo "status $?"
ip address del 10.0.0.1/24 dev v0
echo "status $?"
ip address del dev v0
echo "status $?"
ip -br addr
