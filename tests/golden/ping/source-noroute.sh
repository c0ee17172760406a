# ping -I with no route: an address skips the connect() check (no lines, just loss); a device does not.
ip netns add ns1
ip link add v0 netns ns1 type veth peer name v1
ip -n ns1 address add 192.0.2.1/24 dev v0
ip -n ns1 link set v0 up
ip netns exec ns1 ping -c 2 -i 0.2 -W 1 -I 192.0.2.1 198.51.100.1
echo "status $?"
ip netns exec ns1 ping -c 2 -i 0.2 -W 1 -I v0 198.51.100.1
echo "status $?"
ip netns exec ns1 ping -c 2 -i 0.2 -W 1 -I lo 192.0.2.1
echo "status $?"
ip netns exec ns1 ping -q -c 2 -i 0.2 -W 1 -I 192.0.2.1 198.51.100.1
echo "status $?"
