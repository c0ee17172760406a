# Unknown objects, commands and options.
ip foo
echo "status $?"
ip natns exec lan ip link show
echo "status $?"
ip link foo
echo "status $?"
ip addr foo
echo "status $?"
ip route foo
echo "status $?"
ip netns foo
echo "status $?"
ip neigh foo
echo "status $?"
ip -z link
echo "status $?"
ip --foo link
echo "status $?"
ip link show nosuch
echo "status $?"
ip addr show dev nosuch
echo "status $?"
ip route show dev nosuch
echo "status $?"
ip link show dev
echo "status $?"
