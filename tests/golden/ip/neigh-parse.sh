# ip neigh: argument parsing and messages; entries that need no traffic. The kernel lists
# several entries in hash order, so each listing here selects at most one.
ip link add v0 type veth peer name v1
ip address add 192.0.2.1/24 dev v0
ip neigh add 192.0.2.2 lladdr 00:00:5e:00:53:02 dev v0
ip neigh show
ip neigh show dev v0
ip neigh add 192.0.2.3 dev v0 l 00:00:5e:00:53:03 nud perm
ip neigh show 192.0.2.3
ip neigh add to 192.0.2.4 dev v0 lladdr 00:00:5e:00:53:04 nud 0x80
ip neigh show to 192.0.2.4
ip neigh add 192.0.2.5 dev v0 lladdr 00:00:5e:00:53:05 nud 3
echo "status $?"
ip neigh add 192.0.2.6 dev v0 lladdr 00:00:5e:00:53:06 lladdr 00:00:5e:00:53:06
echo "status $?"
ip neigh add 192.0.2.7 192.0.2.8 dev v0
echo "status $?"
ip neigh add 192.0.2.9 dev v0 lladdr 00:00:5e:00:53:09 router
ip neigh show 192.0.2.9
ip neigh show 192.0.2.9 dev v0
ip neigh add 192.0.2.10 dev v0 lladdr null nud noarp
ip neigh show 192.0.2.10
ip neigh show 192.0.2.10 nud noarp
ip neigh show 192.0.2.10 nud all
ip neigh add dev v0
echo "status $?"
ip neigh add 192.0.2.11 dev v0 nud
echo "status $?"
ip neigh show dev v0 dev v0
echo "status $?"
ip neigh show nud bogus
echo "status $?"
ip neigh show 192.0.2.2/32 proxy
ip neigh show 192.0.2.2 unused
ip neigh show 192.0.2.2 nomaster
ip neigh show master nosuch
echo "status $?"
ip -br neigh show 192.0.2.2
ip -4 neigh show 192.0.2.2
ip -6 neigh show 192.0.2.2
ip -o neigh show 192.0.2.2
ip neigh show 192.0.2.0/30 nud reachable
ip neigh get 192.0.2.2 dev v0
ip neigh get 192.0.2.2
echo "status $?"
ip neigh get 192.0.2.2 dev nosuch
echo "status $?"
ip neigh get 192.0.2.99 dev v0
echo "status $?"
ip neigh change 192.0.2.2 lladdr 00:00:5e:00:53:22 dev v0
ip neigh show 192.0.2.2
ip neigh change 192.0.2.2 dev v0 nud stale
ip neigh show 192.0.2.2
ip neigh replace 192.0.2.20 lladdr 00:00:5e:00:53:20 dev v0
ip neigh show 192.0.2.20
ip neigh del 192.0.2.20 dev v0
ip neigh del 192.0.2.20 dev v0
echo "status $?"
ip -s neigh flush dev v0
ip -s neigh flush dev v0
ip neigh show 192.0.2.2
ip neigh show 192.0.2.3
ip neigh flush nud permanent
echo "status $?"
ip neigh show 192.0.2.3
ip neigh help
echo "status $?"
