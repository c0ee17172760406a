# Observing Ethernet frames (the book's section 4.2): two namespaces on one segment, with MAC
# addresses from the documentation range, and tcpdump -e showing each frame's MACs.
ip netns add ns1
ip netns add ns2
ip link add ns1-veth0 type veth peer name ns2-veth0
ip link set ns1-veth0 netns ns1
ip link set ns2-veth0 netns ns2
ip netns exec ns1 ip link set ns1-veth0 up
ip netns exec ns2 ip link set ns2-veth0 up
ip netns exec ns1 ip address add 192.0.2.1/24 dev ns1-veth0
ip netns exec ns2 ip address add 192.0.2.2/24 dev ns2-veth0
# A MAC address can be changed while the link is up; ip prints it in lower case.
ip netns exec ns1 ip link set dev ns1-veth0 address 00:00:5E:00:53:01
ip netns exec ns2 ip link set dev ns2-veth0 address 00:00:5E:00:53:02
ip netns exec ns1 ip link show | grep link/ether
ip netns exec ns2 ip link show | grep link/ether
# Capture ICMP on ns1's side (-t no time, -n numbers, -e Ethernet header, -l line by line)
# while ns1 pings ns2; tcpdump stops after six frames.
ip netns exec ns1 tcpdump -tnel -i ns1-veth0 -c 6 icmp &
sleep 1
ip netns exec ns1 ping -c 3 192.0.2.2 -I 192.0.2.1
wait
