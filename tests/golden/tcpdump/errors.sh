# tcpdump's messages and exit statuses for bad command lines and devices.
ip netns add ns1
ip link add va type veth peer name vb
ip link set va netns ns1
ip link set vb netns ns1
ip netns exec ns1 tcpdump -D; echo "status $?"
ip netns exec ns1 tcpdump -i va -c 1; echo "status $?"
ip netns exec ns1 ip link set va up
ip netns exec ns1 tcpdump -D; echo "status $?"
ip netns exec ns1 ip link set vb up
ip netns exec ns1 ip link set lo up
ip netns exec ns1 tcpdump -D; echo "status $?"
ip netns exec ns1 tcpdump -i nosuch -c 1; echo "status $?"
ip netns exec ns1 tcpdump -i 42 -c 1; echo "status $?"
ip netns exec ns1 tcpdump -i va -c 1 'ip and and'; echo "status $?"
ip netns exec ns1 tcpdump -i va -c 1 'tcp port 99999'; echo "status $?"
ip netns exec ns1 tcpdump -i va -c 1 'host nosuchhost.example'; echo "status $?"
ip netns exec ns1 tcpdump -i va -c 1 'ip and not ip'; echo "status $?"
tcpdump -c x; echo "status $?"
tcpdump -c 0; echo "status $?"
tcpdump -s 999999; echo "status $?"
tcpdump -s abc; echo "status $?"
tcpdump -Q sideways; echo "status $?"
tcpdump -tttttt -r x; echo "status $?"
tcpdump -k > out.txt 2>&1; echo "status $?"; head -3 out.txt
tcpdump -i > out.txt 2>&1; echo "status $?"; head -1 out.txt
tcpdump --bogus > out.txt 2>&1; echo "status $?"; head -1 out.txt
tcpdump --n > out.txt 2>&1; echo "status $?"; head -1 out.txt
tcpdump --version; echo "status $?"
tcpdump -h; echo "status $?"
