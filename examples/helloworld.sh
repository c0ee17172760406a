# A network namespace is an isolated copy of the network stack.
ip netns add helloworld
ip netns list
# A new namespace has only a loopback interface, and it is down.
ip netns exec helloworld ip address show
# ...and an empty routing table.
ip netns exec helloworld ip route show
ip netns delete helloworld
ip netns list
