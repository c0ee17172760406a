# Addresses: primary and secondary, brd +, label, scope, peer, del of a primary, flush.
ip link add v0 type veth peer name v1
ip address add 192.0.2.1/24 dev v0
ip address add 192.0.2.2/24 dev v0
ip address add 192.0.2.3/24 dev v0
ip address add 198.51.100.1/24 brd + dev v0
ip address add 203.0.113.1/24 broadcast 203.0.113.255 dev v0 label v0:1
ip address add 10.0.0.1/8 dev v0 scope link
ip address add 10.1.0.1/32 dev v0
ip address add 172.16.0.1 peer 172.16.0.2 dev v0
ip addr show dev v0
ip -4 addr show v0
ip -br addr show dev v0
ip -o -4 addr show dev v0
ip addr show label v0:1
ip route show
ip route show table local
# Deleting the primary deletes its secondaries too (promote_secondaries is 0).
ip address del 192.0.2.1/24 dev v0
ip -4 addr show dev v0
ip address add 192.0.2.1/24 dev v0
ip address add 192.0.2.2/24 dev v0
sysctl -w net.ipv4.conf.v0.promote_secondaries=1
ip address del 192.0.2.1/24 dev v0
ip -4 addr show dev v0
ip addr flush dev v0
echo "flush status $?"
ip addr show dev v0
ip route show
ip address add 192.0.2.1/24 dev v0
ip address add 198.51.100.1/24 dev v1
ip addr flush 192.0.2.1/24
ip -br addr
ip addr flush dev v1 to 198.51.100.0/24
ip -br addr
