# Duplicate address detection that finds a duplicate: w0's link-local address is valid when
# w1 comes up with the same MAC (so the same address); w1's solicitation from :: is answered
# by an advertisement to all nodes from w0, and w1's address stays "dadfailed tentative"
# (no local route, no router solicitation). w0 keeps its address.
ip netns add ns1
ip netns add ns2
ip link add w0 netns ns1 address 00:00:5e:00:53:02 type veth peer name w1 netns ns2
ip -n ns1 link set w0 up
ip -n ns2 link set w1 up
sleep 3
ip -n ns2 link set w1 down
ip -n ns2 link set w1 address 00:00:5e:00:53:02
ip netns exec ns1 tcpdump -nn -e -t -i w0 -c 2 icmp6 2>&1 &
sleep 1
ip -n ns2 link set w1 up
wait
sleep 2
ip -n ns1 -6 address show dev w0
ip -n ns2 -6 address show dev w1
ip -n ns2 -6 route show table all
ip -n ns2 -s link show w1
