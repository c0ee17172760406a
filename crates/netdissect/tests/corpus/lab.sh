set -u
ip netns add h1; ip netns add r; ip netns add h2; ip netns add h3
ip link add h1-eth0 type veth peer name r-eth0
ip link add h2-eth0 type veth peer name r-eth1
ip link add h3-eth0 type veth peer name r-eth2
ip link set h1-eth0 netns h1; ip link set r-eth0 netns r
ip link set h2-eth0 netns h2; ip link set r-eth1 netns r
ip link set h3-eth0 netns h3; ip link set r-eth2 netns r
for n in h1 r h2 h3; do ip netns exec $n ip link set lo up; done
ip netns exec r sysctl -qw net.ipv4.ip_forward=1
ip netns exec r sysctl -qw net.ipv6.conf.all.forwarding=1
ip netns exec r tcpdump -i any -U -s 0 -w /tmp/any.pcap 2>/dev/null &
# A bridge with STP between h4 and h5, watched from h4.
ip netns add sw; ip netns add h4; ip netns add h5
ip link add h4-eth0 type veth peer name sw-p1
ip link add h5-eth0 type veth peer name sw-p2
ip link set h4-eth0 netns h4; ip link set sw-p1 netns sw
ip link set h5-eth0 netns h5; ip link set sw-p2 netns sw
ip netns exec sw ip link add br0 type bridge stp_state 1
ip netns exec sw ip link set br0 type bridge hello_time 100 forward_delay 400
for p in sw-p1 sw-p2; do ip netns exec sw ip link set $p master br0; ip netns exec sw ip link set $p up; done
ip netns exec sw ip link set br0 up
ip netns exec h4 ip link set h4-eth0 up
ip netns exec h4 tcpdump -i h4-eth0 -U -s 0 -w /tmp/bridge.pcap 2>/dev/null &
sleep 0.5
ip netns exec h4 ip addr add 192.168.5.4/24 dev h4-eth0
ip netns exec h5 ip addr add 192.168.5.5/24 dev h5-eth0
ip netns exec h5 ip link set h5-eth0 up
sleep 1
ip netns exec h1 ip addr add 10.0.1.1/24 dev h1-eth0
ip netns exec h1 ip addr add 2001:db8:1::1/64 dev h1-eth0
ip netns exec r ip addr add 10.0.1.254/24 dev r-eth0
ip netns exec r ip addr add 2001:db8:1::fe/64 dev r-eth0
ip netns exec r ip addr add 10.0.2.254/24 dev r-eth1
ip netns exec r ip addr add 2001:db8:2::fe/64 dev r-eth1
ip netns exec r ip addr add 10.0.3.254/24 dev r-eth2
ip netns exec h2 ip addr add 10.0.2.1/24 dev h2-eth0
ip netns exec h2 ip addr add 2001:db8:2::1/64 dev h2-eth0
for l in "r r-eth0" "r r-eth1" "r r-eth2"; do set -- $l; ip netns exec $1 ip link set $2 up; done
ip netns exec r tcpdump -i r-eth0 -U -s 0 -w /tmp/eth0.pcap 2>/dev/null &
ip netns exec r tcpdump -i r-eth2 -U -s 0 -w /tmp/eth2.pcap 2>/dev/null &
ip netns exec r tcpdump -i r-eth1 -U -s 90 -w /tmp/eth1-s90.pcap 2>/dev/null &
sleep 0.5
for l in "h1 h1-eth0" "h2 h2-eth0" "h3 h3-eth0"; do set -- $l; ip netns exec $1 ip link set $2 up; done
ip netns exec h1 ip route add default via 10.0.1.254
ip netns exec h2 ip route add default via 10.0.2.254
ip netns exec h1 ip -6 route add default via 2001:db8:1::fe
ip netns exec h2 ip -6 route add default via 2001:db8:2::fe
sleep 3
ip netns exec h1 ping -c 2 -i 0.2 10.0.2.1 >/dev/null
ip netns exec h1 ping -c 1 -s 1600 10.0.2.1 >/dev/null
ip netns exec h1 ping -c 1 -t 1 10.0.2.1 >/dev/null
ip netns exec h1 ping -c 1 -R 10.0.2.1 >/dev/null
ip netns exec h1 ping -c 1 10.9.9.9 >/dev/null
ip netns exec h1 ping -6 -c 2 -i 0.2 2001:db8:2::1 >/dev/null
ip netns exec h1 ping -6 -c 1 -t 1 2001:db8:2::1 >/dev/null
ip netns exec h1 traceroute -n -q 1 -m 3 10.0.2.1 >/dev/null
ip netns exec h1 traceroute -n -q 1 -m 2 -I 10.0.2.1 >/dev/null
ip netns exec h1 traceroute -n -q 1 -m 2 -T -p 22 10.0.2.1 >/dev/null
# DNS server on h2
cat > /tmp/hosts.dns <<H
10.0.2.1 www.example.com
2001:db8:2::1 www.example.com
H
ip netns exec h2 dnsmasq --no-daemon --no-resolv --no-hosts --addn-hosts=/tmp/hosts.dns --listen-address=10.0.2.1 --bind-interfaces --mx-host=example.com,mail.example.com,10 --txt-record=example.com,"hello world" --pid-file=/tmp/dns.pid -u root 2>/dev/null &
sleep 1
ip netns exec h1 dig +tries=1 +time=1 @10.0.2.1 www.example.com A >/dev/null
ip netns exec h1 dig +tries=1 +time=1 @10.0.2.1 www.example.com AAAA >/dev/null
ip netns exec h1 dig +tries=1 +time=1 @10.0.2.1 example.com MX >/dev/null
ip netns exec h1 dig +tries=1 +time=1 @10.0.2.1 example.com TXT >/dev/null
ip netns exec h1 dig +tries=1 +time=1 @10.0.2.1 nothere.example.org A >/dev/null
ip netns exec h1 dig +tries=1 +time=1 @10.0.2.1 -x 10.0.2.1 >/dev/null
ip netns exec h1 dig +tries=1 +time=1 +tcp @10.0.2.1 www.example.com A >/dev/null
# TCP and UDP with nc
ip netns exec h2 nc -l -p 8080 >/dev/null &
sleep 0.5
printf 'GET / HTTP/1.1\r\nHost: x\r\n\r\n' | ip netns exec h1 nc -q 1 10.0.2.1 8080
ip netns exec h2 nc -l -p 2222 >/dev/null &
sleep 0.5
head -c 3000 /dev/zero | tr '\0' 'a' | ip netns exec h1 nc -q 1 2001:db8:2::1 2222
ip netns exec h1 nc -z -w 1 10.0.2.1 9999
ip netns exec h2 nc -u -l -p 5000 >/dev/null &
sleep 0.3
echo hello-udp | ip netns exec h1 nc -u -q 1 -w 1 10.0.2.1 5000
echo syslog | ip netns exec h1 nc -u -q 0 -w 1 10.0.2.1 514
echo u6 | ip netns exec h1 nc -u -q 0 -w 1 2001:db8:2::1 7777
# DHCP on r-eth2 for h3
ip netns exec r dnsmasq --no-daemon --no-resolv --no-hosts --port=0 --interface=r-eth2 --bind-interfaces --dhcp-range=10.0.3.10,10.0.3.20,12h --dhcp-leasefile=/tmp/leases --pid-file=/tmp/dhcp.pid -u root 2>/dev/null &
sleep 1
mkdir -p /var/lib/dhcp
ip netns exec h3 timeout 10 dhclient -v -1 -pf /tmp/dhclient.pid -lf /tmp/dhclient.leases h3-eth0 >/dev/null 2>&1
ip netns exec h3 dhclient -r -pf /tmp/dhclient.pid -lf /tmp/dhclient.leases h3-eth0 >/dev/null 2>&1
ip netns exec h1 ip neigh flush dev h1-eth0
ip netns exec h1 ping -c 1 10.0.1.254 >/dev/null
ip netns exec h1 arping -c 1 -I h1-eth0 10.0.1.254 >/dev/null 2>&1
sleep 5
ip netns exec h4 ping -c 2 -i 0.2 192.168.5.5 >/dev/null
ip netns exec h4 ping -6 -c 1 ff02::1%h4-eth0 >/dev/null
ip netns exec sw ip link set sw-p2 down
sleep 1.5
sleep 1
kill $(jobs -p) 2>/dev/null
sleep 1
kill $(jobs -p) 2>/dev/null
sleep 0.5
for f in any eth0 eth2 eth1-s90 bridge; do echo "=== $f"; base64 -w0 /tmp/$f.pcap; echo; done
