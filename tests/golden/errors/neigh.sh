# ip neigh add/del/change errors.
ip link add v0 type veth peer name v1
ip address add 192.0.2.1/24 dev v0
ip neigh add 192.0.2.2 lladdr 00:00:5e:00:53:02 dev v0
ip neigh add 192.0.2.2 lladdr 00:00:5e:00:53:02 dev v0
echo "status $?"
ip neigh add 192.0.2.3 lladdr 00:00:5e:00:53:03 dev nosuch
echo "status $?"
ip neigh add 192.0.2.3 lladdr zz dev v0
echo "status $?"
ip neigh add 192.0.2.3 lladdr 00:00:5e:00:53:03
echo "status $?"
ip neigh add foo lladdr 00:00:5e:00:53:03 dev v0
echo "status $?"
ip neigh add 192.0.2.3 lladdr 00:00:5e:00:53:03 dev v0 nud bogus
echo "status $?"
ip neigh del 192.0.2.9 dev v0
echo "status $?"
ip neigh del 192.0.2.2
echo "status $?"
ip neigh del 192.0.2.2 dev nosuch
echo "status $?"
ip neigh change 192.0.2.9 lladdr 00:00:5e:00:53:09 dev v0
echo "status $?"
ip neigh show dev nosuch
echo "status $?"
ip neigh flush
echo "status $?"
ip neigh show
