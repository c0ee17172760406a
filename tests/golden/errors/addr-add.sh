# ip address add: bad prefix, bad address, missing device, duplicate, no dev.
ip link add v0 type veth peer name v1
ip address add 10.0.0.1/33 dev v0
echo "status $?"
ip address add 10.0.0.256/24 dev v0
echo "status $?"
ip address add foo dev v0
echo "status $?"
ip address add 10.0.0.1/24 dev nosuch
echo "status $?"
ip address add 10.0.0.1/24 dev v0
ip address add 10.0.0.1/24 dev v0
echo "status $?"
ip address add 10.0.0.1/16 dev v0
echo "status $?"
ip address add 10.0.0.1/24 dev v1
echo "status $?"
ip addr add 10.0.0.1/24
echo "status $?"
ip addr add dev v0
echo "status $?"
ip addr add 10.0.0.2/24 dev v0 foo
echo "status $?"
ip addr add 10.0.0.3/-1 dev v0
echo "status $?"
ip -br addr
