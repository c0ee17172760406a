# ip netns delete: missing namespace, missing name.
ip netns delete ns1
echo "status $?"
ip netns del nosuch
echo "status $?"
ip netns delete
echo "status $?"
ip netns add ns1
ip netns delete ns1
echo "status $?"
ip netns delete ns1
echo "status $?"
# With no namespaces at all, --all succeeds quietly.
ip --all netns delete
echo "status $?"
