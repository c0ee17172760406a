# tcpdump -w and -r: the file tcpdump writes, reading it back with filters and counts.
ip netns add ns1
ip netns add ns2
ip link add ns1-veth0 type veth peer name ns2-veth0
ip link set ns1-veth0 netns ns1
ip link set ns2-veth0 netns ns2
ip netns exec ns1 ip link set ns1-veth0 up
ip netns exec ns2 ip link set ns2-veth0 up
ip netns exec ns1 ip address add 192.0.2.1/24 dev ns1-veth0
ip netns exec ns2 ip address add 192.0.2.2/24 dev ns2-veth0
ip netns exec ns1 ip link set dev ns1-veth0 address 00:00:5e:00:53:01
ip netns exec ns2 ip link set dev ns2-veth0 address 00:00:5e:00:53:02
sleep 3
ip netns exec ns1 ip neigh flush all
ip netns exec ns1 tcpdump -i ns1-veth0 -w cap.pcap icmp or arp &
sleep 1
ip netns exec ns1 ping -c 2 192.0.2.2 > /dev/null
sleep 1; kill -INT $!; wait
echo "status $?"
od -A d -t x1 -N 24 cap.pcap
tcpdump -r cap.pcap -tn; echo "status $?"
tcpdump -r cap.pcap -tne arp; echo "status $?"
tcpdump -r cap.pcap -tn -c 1 icmp; echo "status $?"
tcpdump -r cap.pcap --count; echo "status $?"
tcpdump -r cap.pcap -tnq 'icmp[icmptype] == icmp-echoreply'; echo "status $?"
tcpdump -r cap.pcap -tn 'ip and and'; echo "status $?"
tcpdump -r nonexist.pcap; echo "status $?"
tcpdump -r .; echo "status $?"
printf 'abc' > short.pcap
tcpdump -r short.pcap; echo "status $?"
echo hello > text.pcap
tcpdump -r text.pcap; echo "status $?"
head -c 100 cap.pcap > trunc.pcap
tcpdump -r trunc.pcap -tn; echo "status $?"
ip netns exec ns1 tcpdump -i any -w any.pcap -c 2 icmp &
sleep 1; ip netns exec ns1 ping -c 1 192.0.2.2 > /dev/null; wait
od -A d -t x1 -N 24 any.pcap
tcpdump -r any.pcap -tn 2>&1 | sed 's/^[a-z0-9-]* *//'
ip netns exec ns1 tcpdump -w /nonexist/dir/f; echo "status $?"
tcpdump -r cap.pcap -w icmp.pcap icmp; echo "status $?"
tcpdump -r icmp.pcap -tn; echo "status $?"
tcpdump -r cap.pcap -w - arp | tcpdump -r - -tn; echo "status $?"
tcpdump -r cap.pcap -w arp.pcap --print -tn arp; echo "status $?"
tcpdump -r arp.pcap -tn; echo "status $?"
