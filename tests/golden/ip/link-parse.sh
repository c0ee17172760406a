# ip link: argument parsing and its messages (no device is needed for most).
ip link add
echo "status $?"
ip link add dev
echo "status $?"
ip link add name a dev b type veth
echo "status $?"
ip link add a name b type veth
echo "status $?"
ip link add a type veth peer foo
echo "status $?"
ip link add a type veth peer name b type veth
echo "status $?"
ip link add a type dummy foo
echo "status $?"
ip link add a type bogus foo
echo "status $?"
ip link add a type bogus help
echo "status $?"
ip link add a index 0 type veth
echo "status $?"
ip link add a index x type veth
echo "status $?"
ip link add a group 1 type veth
echo "status $?"
ip link add group 1 type veth
echo "status $?"
ip link add a mtu 1 mtu 2 type veth
echo "status $?"
ip link add a name a name b type veth
echo "status $?"
ip link add a txqueuelen x type veth
echo "status $?"
ip link add a t 100 type veth
echo "status $?"
ip link set lo index 5
echo "status $?"
ip link set lo promisc maybe
echo "status $?"
ip link set lo arp maybe
echo "status $?"
ip link set lo multicast
echo "status $?"
ip link set lo carrier maybe
echo "status $?"
ip link set lo d up
echo "status $?"
ip link set lo master nosuch
echo "status $?"
ip link set lo address 00:11
echo "status $?"
ip link set lo address 1.2.3.4
echo "status $?"
ip link set lo address 0x100
echo "status $?"
ip link set lo alias
echo "status $?"
ip link set lo group x
echo "status $?"
ip link set lo mode bogus
echo "status $?"
ip link set lo state bogus
echo "status $?"
ip link set lo addrgenmode bogus
echo "status $?"
ip link set lo gso_max_segs 70000
echo "status $?"
ip link set dev "a b" up
echo "status $?"
ip link set lo name "a b"
echo "status $?"
ip link set lo vrf x
echo "status $?"
ip link set nosuch h
echo "status $?"
ip link set
echo "status $?"
ip link delete dev
echo "status $?"
ip link delete nosuch type veth
echo "status $?"
ip link show nosuch
echo "status $?"
ip link show dev lo foo
echo "status $?"
ip link show to 1.2.3.4
echo "status $?"
ip link show lo up
ip link show type veth
ip link show type bridge
ip link show master lo
echo "status $?"
ip link show master nosuch
echo "status $?"
ip link show group default
ip link show group x
echo "status $?"
ip link show nomaster
ip link show scope host
ip link show if1
ip link xstats
echo "status $?"
ip link help veth
echo "status $?"
ip link help
echo "status $?"
ip link change lo up
echo "status $?"
ip link replace lo up
echo "status $?"
