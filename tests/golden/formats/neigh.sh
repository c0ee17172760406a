# ip neigh after pings (REACHABLE on the asking side, DELAY on the answering side), add/replace/del/flush.
ip netns add ns1
ip netns add ns2
ip link add v0 netns ns1 type veth peer name v1 netns ns2
ip -n ns1 address add 192.0.2.1/24 dev v0
ip -n ns2 address add 192.0.2.2/24 dev v1
ip -n ns1 link set v0 up
ip -n ns2 link set v1 up
ip netns exec ns1 ip neigh show
ip netns exec ns1 ping -c 2 -i 0.2 192.0.2.2 >/dev/null
ip netns exec ns1 ip neigh
ip netns exec ns1 ip neigh show
ip netns exec ns1 ip n
ip netns exec ns1 ip -4 neigh
ip netns exec ns1 ip neigh show dev v0
ip netns exec ns1 ip neigh show 192.0.2.2
ip netns exec ns1 ip neigh show nud reachable
ip netns exec ns1 ip neigh show nud stale
ip netns exec ns1 ip -br neigh
ip netns exec ns1 ip -o neigh
ip netns exec ns2 ip neigh show
# With several entries the kernel lists them in hash order, which changes from run to run: sort.
echo "== add, replace, change, del"
ip netns exec ns1 ip neigh add 192.0.2.9 lladdr 00:00:5e:00:53:09 dev v0
ip netns exec ns1 ip neigh add 192.0.2.10 lladdr 00:00:5e:00:53:0a dev v0 nud stale
ip netns exec ns1 ip neigh add 192.0.2.11 lladdr 00:00:5e:00:53:0b dev v0 nud reachable
ip netns exec ns1 ip neigh add 192.0.2.12 dev v0 nud noarp
ip netns exec ns1 ip neigh add 192.0.2.13 lladdr 00:00:5e:00:53:0d dev v0 nud noarp
ip netns exec ns1 ip neigh show dev v0 | sort
ip netns exec ns1 ip neigh replace 192.0.2.9 lladdr 00:00:5e:00:53:99 dev v0
ip netns exec ns1 ip neigh replace 192.0.2.14 lladdr 00:00:5e:00:53:0e dev v0
ip netns exec ns1 ip neigh change 192.0.2.10 lladdr 00:00:5e:00:53:aa dev v0
ip netns exec ns1 ip neigh show | sort
ip netns exec ns1 ip neigh show nud permanent | sort
ip netns exec ns1 ip neigh del 192.0.2.14 dev v0
ip netns exec ns1 ip neigh show | sort
echo "== flush"
ip netns exec ns1 ip neigh flush dev v0
echo "status $?"
ip netns exec ns1 ip neigh show | sort
ip netns exec ns1 ip neigh flush all
echo "status $?"
ip netns exec ns1 ip neigh show | sort
ip netns exec ns1 ip neigh flush nud permanent
ip netns exec ns1 ip neigh show | sort
ip netns exec ns2 ip -s neigh flush all
ip netns exec ns2 ip neigh show
