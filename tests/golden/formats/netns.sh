# ip netns: list order, (id: N), identify, pids, --all exec, -n, set.
ip netns
ip netns list
ip netns add red
ip netns add blue
ip netns add green
ip netns list
ip netns
ip netns list-id
# An id is given to a namespace once a peer device links to it.
ip link add v0 type veth peer name v1
ip link set v1 netns blue
ip netns list
ip netns list-id
ip netns exec blue ip netns list
ip netns exec blue ip netns list-id
ip netns set red 7
ip netns list
ip netns set green auto
ip netns list
ip netns list-id
ip netns exec red ip netns identify
ip netns exec blue bash -c 'ip netns identify $$'
ip netns identify
echo "status $?"
ip netns exec green sleep 2 &
sleep 0.5
ip netns pids green | wc -l
ip netns pids red | wc -l
wait
ip -n blue link show
ip -netns blue -br link
ip --all netns exec ip -br link
ip -all netns exec true
echo "status $?"
ip --all netns exec false
echo "status $?"
ip netns delete red
ip netns list
ip --all netns delete
ip netns list
