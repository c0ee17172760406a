# ip netns: lists, ids, identify, exec, -n, --all.
ip netns list
ip netns add a
ip netns add b
ip netns add c
ip netns
ip netns show
ip netns lst
ip netns list-id
ip netns list-id nsid
echo "status $?"
ip netns list-id nsid x
echo "status $?"
ip netns list-id bogus
echo "status $?"
ip link add va type veth peer name vb netns b
ip netns list
ip netns list-id
ip -n b netns list
ip -n b netns list-id
ip -n b link
ip netns exec b ip link
ip netns identify
ip netns exec c ip netns identify
ip netns identify 1 2
echo "status $?"
ip netns identify abc
echo "status $?"
ip netns pids
echo "status $?"
ip netns pids a b
echo "status $?"
ip netns set
echo "status $?"
ip netns set a
echo "status $?"
ip netns set a x
echo "status $?"
ip netns set a -1
echo "status $?"
ip netns set nosuch auto
echo "status $?"
ip netns set a auto
ip netns list
ip netns attach
echo "status $?"
ip netns attach x 0
echo "status $?"
ip --all netns exec ip -br link
ip -all netns exec
echo "status $?"
ip -all netns exec nosuchcmd
echo "status $?"
ip netns exec a
echo "status $?"
ip netns exec ""
echo "status $?"
ip netns exec a/b ip link
echo "status $?"
ip netns help
echo "status $?"
ip netns delete a extra
ip netns list
ip -all netns delete
ip netns list
