# The state ip link shows for a veth that is up without carrier: linkwatch computes it when the
# carrier changes and keeps it. LOWERLAYERDOWN when the device its peer's index names in its
# own namespace lacks carrier too, DOWN otherwise (the peer is elsewhere, or the index is its
# own).
ip netns add ns1
ip netns add ns2
echo "== both ends in one namespace"
ip link add a0 type veth peer name a1
ip link set a0 up
ip -o link show a0 | awk '{print $2, $9}'
echo "== created in one namespace, moved apart: kept from creation"
ip link add ns1-veth0 type veth peer name ns2-veth0
ip link set ns1-veth0 netns ns1
ip link set ns2-veth0 netns ns2
ip -n ns1 link set ns1-veth0 up
ip -n ns1 -o link show ns1-veth0 | awk '{print $2, $9}'
echo "== the peer comes up, then goes down"
ip -n ns2 link set ns2-veth0 up
ip -n ns1 -o link show ns1-veth0 | awk '{print $2, $9}'
ip -n ns2 link set ns2-veth0 down
ip -n ns1 -o link show ns1-veth0 | awk '{print $2, $9}'
echo "== created across namespaces (both ends index 2)"
ip link add v0 netns ns1 type veth peer name v1 netns ns2
ip -n ns1 link set v0 up
ip -n ns1 -o link show v0 | awk '{print $2, $9}'
ip -n ns2 link set v1 up
ip -n ns2 link set v1 down
ip -n ns1 -o link show v0 | awk '{print $2, $9}'
echo "== the same pair in the root namespace, the peer going down"
ip link set a1 up
ip link set a1 down
ip -o link show a0 | awk '{print $2, $9}'
