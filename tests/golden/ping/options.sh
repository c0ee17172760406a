# Less common ping options: version, help, pattern, tiny sizes, audible, outstanding, preload, tos, record route.
ip netns add ns1
ip netns add ns2
ip link add v0 netns ns1 type veth peer name v1 netns ns2
ip -n ns1 address add 192.0.2.1/24 dev v0
ip -n ns2 address add 192.0.2.2/24 dev v1
ip -n ns1 link set v0 up
ip -n ns2 link set v1 up
ping -V
echo "status $?"
ping -h 2>&1 | head -3
echo "status ${PIPESTATUS[0]}"
ip netns exec ns1 ping -c 2 -i 0.2 -p ff00 192.0.2.2
ip netns exec ns1 ping -c 1 -p xyz 192.0.2.2
echo "status $?"
ip netns exec ns1 ping -c 2 -i 0.2 -s 8 192.0.2.2
ip netns exec ns1 ping -c 1 -a 192.0.2.2 | od -c | head -3
ip netns exec ns1 ping -c 2 -i 0.2 -O 192.0.2.2
ip netns exec ns1 ping -c 2 -i 0.2 -Q 16 192.0.2.2
ip netns exec ns1 ping -c 1 -Q 300 192.0.2.2
echo "status $?"
ip netns exec ns1 ping -c 1 -R 192.0.2.2
echo "status $?"
ip netns exec ns1 ping -c 1 -M maybe 192.0.2.2
echo "status $?"
ip netns exec ns1 ping -c 1 -l 0 192.0.2.2
echo "status $?"
ip netns exec ns1 ping -c 1 -i 0.001 192.0.2.2
echo "status $?"
ip netns exec ns1 ping -c 2 -A 192.0.2.2
echo "status $?"
ip netns exec ns1 ping -c 1 -6 192.0.2.2
echo "status $?"
ip netns exec ns1 ping -c 1 -4 -6 192.0.2.2
echo "status $?"
ip netns exec ns1 ping -c 1 -w abc 192.0.2.2
echo "status $?"
ip netns exec ns1 ping -c 1 -i -1 192.0.2.2
echo "status $?"
ip netns exec ns1 ping -c1 -i0.2 -s56 192.0.2.2
echo "status $?"
ip netns exec ns1 ping -c 1 -W 1 -U 192.0.2.2
echo "status $?"
ip netns exec ns1 ping -nqc 1 192.0.2.2
echo "status $?"
ip netns exec ns1 ping -c 1 -- 192.0.2.2
echo "status $?"
ip netns exec ns1 ping -c
echo "status $?"
