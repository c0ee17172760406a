# ip route: show forms, via/dev/src/metric, special types, replace, change, del, flush.
ip netns add ns1
ip netns add ns2
ip link add v0 netns ns1 type veth peer name v1 netns ns2
ip -n ns1 address add 192.0.2.1/24 dev v0
ip -n ns2 address add 192.0.2.254/24 dev v1
ip -n ns1 link set v0 up
ip -n ns2 link set v1 up
ip -n ns1 link set lo up
sleep 3
ip netns exec ns1 ip route add default via 192.0.2.254
ip netns exec ns1 ip route add 198.51.100.0/24 via 192.0.2.254 metric 100
ip netns exec ns1 ip route add 198.51.100.0/24 via 192.0.2.253 metric 200
ip netns exec ns1 ip route add 203.0.113.0/24 dev v0 src 192.0.2.1
ip netns exec ns1 ip route add 203.0.113.128/25 via 192.0.2.254 dev v0 metric 10 src 192.0.2.1
ip netns exec ns1 ip route add 198.51.100.1 via 192.0.2.254
ip netns exec ns1 ip route add 198.51.100.2/32 via 192.0.2.254 proto static
ip netns exec ns1 ip route add blackhole 10.0.0.0/8
ip netns exec ns1 ip route add unreachable 10.1.0.0/16
ip netns exec ns1 ip route add prohibit 10.2.0.0/16
ip netns exec ns1 ip route add 10.3.0.0/16 via 192.0.2.254 dev v0 onlink
echo "== show"
ip netns exec ns1 ip route show
ip netns exec ns1 ip route
ip netns exec ns1 ip r
ip netns exec ns1 ip route list
ip netns exec ns1 ip -4 route
ip netns exec ns1 ip -o route
ip netns exec ns1 ip route show table main
ip netns exec ns1 ip route show table local
ip netns exec ns1 ip route show 198.51.100.0/24
ip netns exec ns1 ip route show to 198.51.100.0/24
ip netns exec ns1 ip route show root 198.51.100.0/24
ip netns exec ns1 ip route show match 198.51.100.7
ip netns exec ns1 ip route show exact 198.51.100.0/24
ip netns exec ns1 ip route show dev v0
ip netns exec ns1 ip route show via 192.0.2.254
ip netns exec ns1 ip route show proto kernel
ip netns exec ns1 ip route show scope link
ip netns exec ns1 ip route show type blackhole
ip netns exec ns1 ip route show default
ip netns exec ns1 ip -6 route show
echo "== get"
ip netns exec ns1 ip route get 192.0.2.1
ip netns exec ns1 ip route get 192.0.2.254
ip netns exec ns1 ip route get 192.0.2.7
ip netns exec ns1 ip route get 198.51.100.1
ip netns exec ns1 ip route get 198.51.100.9
ip netns exec ns1 ip route get 203.0.113.9
ip netns exec ns1 ip route get 203.0.113.200
ip netns exec ns1 ip route get 8.8.8.8
ip netns exec ns1 ip route get 8.8.8.8 from 192.0.2.1
ip netns exec ns1 ip route get 127.0.0.1
ip netns exec ns1 ip route get 127.1.2.3
ip netns exec ns1 ip route get 192.0.2.255
ip netns exec ns1 ip route get 255.255.255.255
ip netns exec ns1 ip route get 224.0.0.1
ip netns exec ns1 ip route get to 10.3.0.1
ip netns exec ns1 ip route get 10.0.0.1
echo "status $?"
ip netns exec ns1 ip route get 10.1.0.1
echo "status $?"
ip netns exec ns1 ip route get 10.2.0.1
echo "status $?"
ip netns exec ns1 ip route get fibmatch 198.51.100.9
ip netns exec ns1 ip route get 198.51.100.9 oif v0
ip netns exec ns1 ip -o route get 198.51.100.9
echo "== replace, change, append, del"
ip netns exec ns1 ip route replace 198.51.100.0/24 via 192.0.2.253 metric 100
ip netns exec ns1 ip route replace 203.0.113.64/26 via 192.0.2.254
ip netns exec ns1 ip route change default via 192.0.2.253
ip netns exec ns1 ip route append 10.4.0.0/16 via 192.0.2.254
ip netns exec ns1 ip route append 10.4.0.0/16 via 192.0.2.253
ip netns exec ns1 ip route show
ip netns exec ns1 ip route del 198.51.100.0/24
ip netns exec ns1 ip route show 198.51.100.0/24
ip netns exec ns1 ip route del 198.51.100.0/24 via 192.0.2.253 metric 200
ip netns exec ns1 ip route del default
ip netns exec ns1 ip route delete blackhole 10.0.0.0/8
ip netns exec ns1 ip route show
echo "== flush"
ip netns exec ns1 ip route flush 10.4.0.0/16
ip netns exec ns1 ip route flush proto static
ip netns exec ns1 ip route show
ip netns exec ns1 ip route flush dev v0
ip netns exec ns1 ip route show
ip netns exec ns1 ip route add 198.51.100.0/24 via 192.0.2.254
echo "status $?"
ip netns exec ns1 ip route flush table main
ip netns exec ns1 ip route show
echo "status $?"
ip netns exec ns1 ip route show table local
