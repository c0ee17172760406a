# The book's chapter 4 (seed 003's section ④, whose copy stops at the heading) as one session:
# every command as the book types it, with sudo. tcpdump and the endless ping run in other
# terminals in the book; here they run in the background and are stopped as a person would
# stop them (Ctrl-C is SIGINT).
# 4.2 on the single segment of section 3.2.
sudo ip netns add ns1
sudo ip netns add ns2
sudo ip link add ns1-veth0 type veth peer name ns2-veth0
sudo ip link set ns1-veth0 netns ns1
sudo ip link set ns2-veth0 netns ns2
sudo ip netns exec ns1 ip address add 192.0.2.1/24 dev ns1-veth0
sudo ip netns exec ns2 ip address add 192.0.2.2/24 dev ns2-veth0
sudo ip netns exec ns1 ip link set ns1-veth0 up
sudo ip netns exec ns2 ip link set ns2-veth0 up
sudo ip netns exec ns1 ip link set dev ns1-veth0 address 00:00:5E:00:53:01
sudo ip netns exec ns2 ip link set dev ns2-veth0 address 00:00:5E:00:53:02
sudo ip netns exec ns1 ip link show | grep link/ether
sudo ip netns exec ns2 ip link show | grep link/ether
sudo ip netns exec ns1 tcpdump -tnel -i ns1-veth0 icmp &
sleep 1
sudo ip netns exec ns1 ping -c 3 192.0.2.2 -I 192.0.2.1
sleep 1
kill -INT $!; wait
# 4.3 ARP. ns2 still knows ns1 from 4.2 and checks that entry again with a unicast request
# when its (random) reachable time runs out, so where those two frames fall among the others
# varies from run to run: the capture goes to a file and is shown sorted.
sudo ip netns exec ns1 ip neigh flush all
sudo ip netns exec ns1 tcpdump -tnel -i ns1-veth0 icmp or arp > arp.txt 2>&1 &
sleep 1
sudo ip netns exec ns1 ping -c 3 192.0.2.2 -I 192.0.2.1
sleep 1
sudo ip netns exec ns1 ip neigh
sleep 6
kill -INT $!; wait
sort arp.txt
# 4.4 across a router, on the network of section 3.4
sudo ip --all netns delete
sudo ip netns add ns1
sudo ip netns add ns2
sudo ip netns add router
sudo ip link add ns1-veth0 type veth peer name gw-veth0
sudo ip link add ns2-veth0 type veth peer name gw-veth1
sudo ip link set ns1-veth0 netns ns1
sudo ip link set gw-veth0 netns router
sudo ip link set ns2-veth0 netns ns2
sudo ip link set gw-veth1 netns router
sudo ip netns exec ns1 ip link set ns1-veth0 up
sudo ip netns exec router ip link set gw-veth0 up
sudo ip netns exec ns2 ip link set ns2-veth0 up
sudo ip netns exec router ip link set gw-veth1 up
sudo ip netns exec ns1 ip address add 192.0.2.1/24 dev ns1-veth0
sudo ip netns exec router ip address add 192.0.2.254/24 dev gw-veth0
sudo ip netns exec ns2 ip address add 198.51.100.1/24 dev ns2-veth0
sudo ip netns exec router ip address add 198.51.100.254/24 dev gw-veth1
sudo ip netns exec ns1 ip route add default via 192.0.2.254
sudo ip netns exec ns2 ip route add default via 198.51.100.254
sudo ip netns exec router sysctl net.ipv4.ip_forward=1
sudo ip netns exec ns1 ip link set dev ns1-veth0 address 00:00:5E:00:53:11
sudo ip netns exec router ip link set dev gw-veth0 address 00:00:5E:00:53:12
sudo ip netns exec router ip link set dev gw-veth1 address 00:00:5E:00:53:21
sudo ip netns exec ns2 ip link set dev ns2-veth0 address 00:00:5E:00:53:22
sudo ip netns exec router tcpdump -tnel -i gw-veth0 icmp or arp > gw-veth0.txt 2>&1 &
t1=$!
sudo ip netns exec router tcpdump -tnel -i gw-veth1 icmp or arp > gw-veth1.txt 2>&1 &
t2=$!
sleep 1
sudo ip netns exec ns1 ping -c 3 198.51.100.1 -I 192.0.2.1
sleep 1
kill -INT $t1 $t2; wait
cat gw-veth0.txt gw-veth1.txt
sudo ip netns exec ns1 ip route show
sudo ip netns exec router ip route show
# 4.5 a bridge in its own namespace
sudo ip --all netns delete
sudo ip netns add ns1
sudo ip netns add ns2
sudo ip netns add ns3
sudo ip netns add bridge
sudo ip link add ns1-veth0 type veth peer name ns1-br0
sudo ip link add ns2-veth0 type veth peer name ns2-br0
sudo ip link add ns3-veth0 type veth peer name ns3-br0
sudo ip link set ns1-veth0 netns ns1
sudo ip link set ns2-veth0 netns ns2
sudo ip link set ns3-veth0 netns ns3
sudo ip link set ns1-br0 netns bridge
sudo ip link set ns2-br0 netns bridge
sudo ip link set ns3-br0 netns bridge
sudo ip netns exec ns1 ip link set ns1-veth0 up
sudo ip netns exec ns2 ip link set ns2-veth0 up
sudo ip netns exec ns3 ip link set ns3-veth0 up
sudo ip netns exec bridge ip link set ns1-br0 up
sudo ip netns exec bridge ip link set ns2-br0 up
sudo ip netns exec bridge ip link set ns3-br0 up
sudo ip netns exec ns1 ip address add 192.0.2.1/24 dev ns1-veth0
sudo ip netns exec ns2 ip address add 192.0.2.2/24 dev ns2-veth0
sudo ip netns exec ns3 ip address add 192.0.2.3/24 dev ns3-veth0
sudo ip netns exec ns1 ip link set dev ns1-veth0 address 00:00:5E:00:53:01
sudo ip netns exec ns2 ip link set dev ns2-veth0 address 00:00:5E:00:53:02
sudo ip netns exec ns3 ip link set dev ns3-veth0 address 00:00:5E:00:53:03
sudo ip netns exec bridge ip link add dev br0 type bridge
sudo ip netns exec bridge ip link set br0 up
sudo ip netns exec bridge ip link set ns1-br0 master br0
sudo ip netns exec bridge ip link set ns2-br0 master br0
sudo ip netns exec bridge ip link set ns3-br0 master br0
sudo ip netns exec ns1 ping -c 3 192.0.2.2 -I 192.0.2.1
sudo ip netns exec ns1 ping -c 3 192.0.2.3 -I 192.0.2.1
sudo ip netns exec ns1 ping 192.0.2.2 -I 192.0.2.1 > ping.txt &
p=$!
sleep 2.5
sudo ip netns exec ns2 tcpdump -tnel -i ns2-veth0 icmp > ns2.txt 2>&1 &
t2=$!
sudo ip netns exec ns3 tcpdump -tnel -i ns3-veth0 icmp > ns3.txt 2>&1 &
t3=$!
sleep 2
kill -INT $t2 $t3; wait $t2 $t3
kill -INT $p; wait
cat ping.txt ns2.txt ns3.txt
sudo ip netns exec bridge bridge fdb show br br0 | grep -i 00:00:5e
