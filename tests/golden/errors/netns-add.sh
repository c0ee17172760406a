# ip netns add: already exists, bad names, missing name.
ip netns add ns1
ip netns add ns1
echo "status $?"
ip netns add a/b
echo "status $?"
ip netns add ""
echo "status $?"
ip netns add .
echo "status $?"
ip netns add ..
echo "status $?"
ip netns add
echo "status $?"
ip netns add ns2 extra
echo "status $?"
ip netns list
