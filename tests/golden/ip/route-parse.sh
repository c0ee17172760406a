# ip route: argument parsing, defaults and messages.
ip link add v0 type veth peer name v1
ip link set v0 up
ip link set v1 up
ip address add 192.0.2.1/24 dev v0
ip route add to 198.51.100.0/24 via 192.0.2.2
ip route add unicast 198.51.101.0/24 via 192.0.2.2
ip route add 198.51.102.0/255.255.255.0 via 192.0.2.2
ip route add 198.51.103.0/24 via inet 192.0.2.2
ip route add 198.51.104.0/24 via 192.0.2.2 via 192.0.2.3
echo "status $?"
ip route add 198.51.105.0/24 via 192.0.2.2 table main
ip route add 198.51.106.0/24 via 192.0.2.2 table bogus
echo "status $?"
ip route add 198.51.107.0/24 via 192.0.2.2 proto bogus
echo "status $?"
ip route add 198.51.108.0/24 via 192.0.2.2 proto 99
ip route add 198.51.109.0/24 via 192.0.2.2 proto 0x10
ip route add 198.51.110.0/24 via 192.0.2.2 scope bogus
echo "status $?"
ip route add 198.51.111.0/24 via 192.0.2.2 metric 5 priority 6
ip route add 198.51.112.0/24 via 192.0.2.2 tos bogus
echo "status $?"
ip route add 198.51.113.0/24 via 192.0.2.2 mtu x
echo "status $?"
ip route add 198.51.114.0/24 via 192.0.2.2 quickack 2
echo "status $?"
ip route add 198.51.115.0/24 198.51.116.0/24
echo "status $?"
ip route add default
echo "status $?"
ip route add help
echo "status $?"
ip route show
ip route show proto 99
ip route show proto dhcp
ip route show proto all
ip route show proto bogus
echo "status $?"
ip route show scope bogus
echo "status $?"
ip route show type bogus
echo "status $?"
ip route show table bogus
echo "status $?"
ip route show table help
echo "status $?"
ip route show table 100
echo "status $?"
ip route show table 0
ip route show table cache
ip route show cached
ip route show metric 6
ip route show metric x
echo "status $?"
ip route show dev nosuch
echo "status $?"
ip route show iif nosuch
echo "status $?"
ip route show mark x
echo "status $?"
ip route show src 192.0.2.1
ip route show src 192.0.2.0/24
ip route show from 0.0.0.0/0
ip route show root 198.51.100.0/23
ip route show match 198.51.100.0/23
ip route show exact 198.51.100.0/24
ip route show 198.51.100.0/23
ip route show default
ip route show all
ip route show foo
echo "status $?"
ip route get 192.0.2.9 bogus
echo "status $?"
ip route get 192.0.2.9 iif nosuch
echo "status $?"
ip route get 192.0.2.9 mark x
echo "status $?"
ip route get 192.0.2.9 uid x
echo "status $?"
ip route get 192.0.2.9 tos x
echo "status $?"
ip route get 192.0.2.9 sport x
echo "status $?"
ip route get 192.0.2.9 ipproto x
echo "status $?"
ip route get 192.0.2.9 192.0.2.10
ip route get to 192.0.2.9
ip route get 192.0.2.9 dev v0
ip route get 192.0.2.9 connected
ip route get 192.0.2.9 notify
ip route get 192.0.2.9/16
ip route get help
echo "status $?"
ip route del 198.51.111.0/24 metric 7
echo "status $?"
ip route del 198.51.111.0/24 metric 5
ip route del 198.51.108.0/24 proto static
echo "status $?"
ip route flush proto 99
ip route flush table 100
echo "status $?"
ip -s route flush table main 198.51.0.0/16
ip -s route flush table main 198.51.0.0/16
ip route show
ip route test 192.0.2.0/24 dev v0
echo "status $?"
