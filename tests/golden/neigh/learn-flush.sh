# Learning from ARP requests, INCOMPLETE and FAILED over time, and flushing.
# An ARP request for one of our addresses creates (or updates) the asker's entry, STALE; a
# request for someone else only updates an entry that exists. Resolving a neighbour that does
# not answer: INCOMPLETE while broadcast requests go out (mcast_solicit 3, one a second), then
# FAILED. ip neigh flush removes what it selects but permanent and noarp entries (unless asked
# for by nud), and -s reports the rounds.
ip netns add ns1
ip netns add ns2
ip link add v1 netns ns1 type veth peer name v2 netns ns2
ip -n ns1 address add 192.0.2.1/24 dev v1
ip -n ns2 address add 192.0.2.2/24 dev v2
ip -n ns2 address add 192.0.2.3/24 dev v2
ip -n ns1 link set v1 up
ip -n ns2 link set v2 up
echo "== learned from a request for us"
ip netns exec ns1 ping -c 1 192.0.2.2 >/dev/null
ip -n ns2 neigh
echo "== a request for another address of ours, from a known asker: still one entry"
ip netns exec ns1 ping -c 1 192.0.2.3 >/dev/null
ip -n ns1 neigh | sort
ip -n ns2 neigh
echo "== INCOMPLETE, then FAILED"
ip netns exec ns1 ping -c 1 -W 5 192.0.2.9 >/dev/null &
sleep 0.5
ip -n ns1 neigh show 192.0.2.9
ip -n ns1 -s neigh show 192.0.2.9
sleep 1
ip -n ns1 -s neigh show 192.0.2.9
sleep 2
ip -n ns1 neigh show 192.0.2.9
ip -n ns1 -s neigh show 192.0.2.9
wait
# ns2 probes ns1 by unicast 5 s after it first used its entry: let that pass.
sleep 2
echo "== flush"
ip -n ns1 neigh add 192.0.2.100 lladdr 00:00:5e:00:53:64 dev v1
ip -n ns1 neigh add 192.0.2.101 dev v1 nud noarp
ip -n ns1 neigh add 192.0.2.103 lladdr 00:00:5e:00:53:67 dev v1 nud noarp
ip -n ns1 neigh add 192.0.2.102 lladdr 00:00:5e:00:53:66 dev v1 nud stale
ip -n ns1 neigh | sort
ip -n ns1 -s neigh flush 192.0.2.102
ip -n ns1 neigh flush nud failed
ip -n ns1 neigh | sort
ip -n ns1 -s neigh flush dev v1
ip -n ns1 neigh | sort
ip -n ns1 -s neigh flush all
ip -n ns1 neigh flush nud noarp
ip -n ns1 neigh | sort
ip -n ns1 neigh flush nud permanent
ip -n ns1 neigh
ip -n ns2 neigh flush all
ip -n ns2 neigh
