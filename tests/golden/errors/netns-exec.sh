# ip netns exec: missing namespace, missing command, command failing inside.
ip netns exec nosuch ip link show
echo "status $?"
ip netns add ns1
ip netns exec ns1 nosuchcmd
echo "status $?"
ip netns exec ns1
echo "status $?"
ip netns exec
echo "status $?"
ip netns exec ns1 false
echo "status $?"
ip netns exec ns1 sh -c 'exit 7'
echo "status $?"
ip netns exec ns1 ip link show nosuchdev
echo "status $?"
ip netns identify nosuchpid
echo "status $?"
ip netns pids nosuch
echo "status $?"
