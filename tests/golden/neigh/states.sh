# The neighbour state machine over time, with short timers (base_reachable_time_ms 4000: a
# reachable time of 2-6 s; delay_first_probe_time 1 s). REACHABLE becomes STALE when the
# reachable time has passed and the entry was not used meanwhile; using a STALE entry makes it
# DELAY; a DELAY entry not confirmed within delay_first_probe_time is probed by unicast
# (PROBE) and becomes REACHABLE again when answered, or FAILED after ucast_solicit (3)
# unanswered probes. ip -s neigh shows the ages (used/confirmed/updated), the probes sent, and
# a reference while a timer runs.
ip netns add ns1
ip netns add ns2
ip link add v0 netns ns1 type veth peer name v1 netns ns2
ip -n ns1 address add 192.0.2.1/24 dev v0
ip -n ns2 address add 192.0.2.2/24 dev v1
ip netns exec ns1 sysctl -w net.ipv4.neigh.v0.base_reachable_time_ms=4000
ip netns exec ns1 sysctl -w net.ipv4.neigh.v0.delay_first_probe_time=1
ip -n ns1 link set v0 up
ip -n ns2 link set v1 up
echo "== resolved: REACHABLE; the other side learned from the request"
ip netns exec ns1 ping -c 1 192.0.2.2 >/dev/null
ip -n ns1 neigh
ip -n ns1 -s neigh
ip -n ns2 neigh
ip -n ns2 -s neigh
echo "== after the reachable time: STALE"
sleep 7
ip -n ns1 neigh
ip -n ns1 neigh show nud stale
echo "== used again: DELAY, then probed by unicast and confirmed: REACHABLE"
ip netns exec ns1 ping -c 1 192.0.2.2 >/dev/null
ip -n ns1 neigh
ip -n ns1 -s neigh
sleep 1.5
ip -n ns1 neigh
ip -n ns1 -s neigh
echo "== the neighbour stops answering: DELAY, PROBE, FAILED"
sleep 6.5
ip -n ns1 neigh
ip -n ns2 address del 192.0.2.2/24 dev v1
ip netns exec ns1 ping -c 1 -W 6 192.0.2.2 >/dev/null &
sleep 0.5
ip -n ns1 -s neigh
sleep 1
ip -n ns1 neigh
ip -n ns1 -s neigh
sleep 1
ip -n ns1 -s neigh
sleep 2
ip -n ns1 neigh
ip -n ns1 -s neigh
ip -n ns1 neigh show nud failed
wait
echo "ping status $?"
echo "== a FAILED entry is resolved again when used"
ip -n ns2 address add 192.0.2.2/24 dev v1
ip netns exec ns1 ping -c 1 192.0.2.2 >/dev/null
echo "ping status $?"
ip -n ns1 -s neigh
ip -n ns1 neigh add 192.0.2.9 lladdr 00:00:5e:00:53:09 dev v0
ip -n ns1 -s neigh show 192.0.2.9
ip -n ns1 neigh flush all
ip -n ns1 neigh
