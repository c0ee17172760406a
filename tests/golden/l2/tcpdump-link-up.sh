# The frames a link sends by itself when it comes up, as tcpdump shows them (the other end has
# IPv6 off and sends nothing): MLDv2 reports of the solicited-node group, twice from :: while
# the link-local address is tentative and twice from it once valid, each with its hop-by-hop
# router alert; the duplicate address detection solicitation from ::; and a router
# solicitation once the address is valid. Two captures keep each kind in its own, fixed order.
ip netns add ns1
ip netns add ns2
ip netns exec ns2 sysctl -q -w net.ipv6.conf.default.disable_ipv6=1
ip link add v0 netns ns1 address 00:00:5e:00:53:01 type veth peer name v1 netns ns2
ip -n ns2 link set v1 up
ip netns exec ns2 tcpdump -nn -e -v -t -i v1 -c 4 'ip6 proto 0' > mld.txt 2>&1 &
ip netns exec ns2 tcpdump -nn -e -t -i v1 -c 2 icmp6 > nd.txt 2>&1 &
sleep 1
ip -n ns1 link set v0 up
wait
cat mld.txt
cat nd.txt
echo "== a router: no router solicitation; the all-routers and subnet-router anycast groups"
ip netns exec ns1 sysctl -q -w net.ipv6.conf.all.forwarding=1
ip -n ns1 link set v0 down
ip netns exec ns2 tcpdump -nn -e -v -t -i v1 -c 4 'ip6 proto 0' > mld.txt 2>&1 &
sleep 1
ip -n ns1 link set v0 up
wait
cat mld.txt
ip netns exec ns2 tcpdump -nn -t -i v1 -c 2 icmp6 2>&1 &
sleep 12
kill %1
wait
