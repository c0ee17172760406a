# IPv6 link-local addresses are "tentative" until duplicate address detection ends (1-2 s after carrier).
ip link add v0 type veth peer name v1
ip link set v0 up
ip link set v1 up
ip addr show
sleep 0.5
ip -6 addr
sleep 2.5
ip -6 addr
ip -6 route show
