# ip's global options and object abbreviations (iproute2 matches prefixes in table order).
ip -V
ip -Version
ip -4 -V
ip
echo "status $?"
ip help
echo "status $?"
ip -help
echo "status $?"
ip -family foo link
echo "status $?"
ip -family
echo "status $?"
ip -f link addr
ip -f inet addr
ip -0 addr
ip -4 addr
ip -6 addr
ip a
ip addr
ip address s
ip a sh
ip a ls
ip a lst
ip address list
ip r
ip ro
ip route list
ip n
ip neighbor
ip neighbour show
ip l
ip li
ip link ls
ip link lst
ip -br a
ip -brief link
ip -o l
ip -oneline a
ip -d l
ip -details link
ip -stats link
ip -s -s l
ip -c l
ip -c -br a
ip -color=never l
ip -color=bogus l
echo "status $?"
ip -h -br link
ip -N route
ip -r route
ip -t link
echo "status $?"
ip -z link
echo "status $?"
ip --foo link
echo "status $?"
ip -n nosuch link
echo "status $?"
ip -netns
echo "status $?"
ip -rcvbuf abc link
echo "status $?"
ip -rc 1000 -br link
ip -- link
ip -
echo "status $?"
ip natns
echo "status $?"
ip ne
echo "status $?"
ip net
echo "status $?"
ip nei
echo "status $?"
