# ip -json and -pretty: links, addresses, routes, neighbours, namespaces.
ip -j netns
ip netns add ns2
ip -j netns
ip link add v0 type veth peer name v1
ip addr add 192.0.2.1/24 brd + dev v0
ip addr add 192.0.2.9/24 dev v0
ip link set v0 up
ip route add 198.51.100.0/24 via 192.0.2.254 dev v0 onlink metric 5
ip neigh add 192.0.2.7 lladdr 00:00:5e:00:53:07 dev v0
ip -j link
ip -json link show v0
ip -j -p link show v1
ip -j addr
ip -j -p addr show dev v0
ip -j -4 addr show dev v0
ip -j -br addr
ip -j -br link
ip -j -s link show lo
ip -j -s -s link show lo
ip -j -d link show v0
ip -j link show up
ip -j route
ip -j -p route
ip -j route show table local
ip -j route show dev v0
ip -j route get 192.0.2.9
ip -j route get 192.0.2.20
ip -j neigh
ip -j -p neigh
ip -j -br neigh
ip -j neigh show 192.0.2.99
ip -j -p route show table 253
