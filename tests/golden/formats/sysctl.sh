# sysctl and /proc/sys: read, write, -w, -q, -n, -N, slash form, per-namespace values.
sysctl net.ipv4.ip_forward
sysctl -w net.ipv4.ip_forward=1
sysctl net.ipv4.ip_forward
sysctl net.ipv4.ip_forward=0
sysctl -q -w net.ipv4.ip_forward=1
sysctl -n net.ipv4.ip_forward
sysctl -N net.ipv4.ip_forward
sysctl net/ipv4/ip_forward
sysctl -w net/ipv4/ip_forward=0
sysctl -w net.ipv4.ip_forward=1 net.ipv4.ip_default_ttl=63
sysctl net.ipv4.ip_forward net.ipv4.ip_default_ttl
sysctl net.ipv4.conf.all.forwarding net.ipv4.conf.default.forwarding net.ipv4.conf.lo.forwarding
sysctl -w net.ipv4.ip_forward=0 >/dev/null
sysctl net.ipv4.conf.all.forwarding
cat /proc/sys/net/ipv4/ip_forward
echo 1 > /proc/sys/net/ipv4/ip_forward
cat /proc/sys/net/ipv4/ip_forward
sysctl net.ipv4.ip_forward
echo "== a new namespace starts from the defaults"
ip netns add ns1
ip netns exec ns1 sysctl net.ipv4.ip_forward
ip netns exec ns1 cat /proc/sys/net/ipv4/ip_forward
ip netns exec ns1 sysctl net.ipv4.ip_forward=1
ip netns exec ns1 sysctl net.ipv4.ip_default_ttl
sysctl net.ipv4.ip_forward
sysctl net.ipv4.ip_default_ttl net.ipv4.icmp_echo_ignore_all net.ipv4.icmp_echo_ignore_broadcasts net.ipv4.icmp_ratelimit net.ipv4.icmp_ratemask net.ipv4.ping_group_range
sysctl net.ipv4.neigh.default.base_reachable_time_ms
sysctl net.ipv4.neigh.lo.base_reachable_time_ms net.ipv4.neigh.lo.delay_first_probe_time net.ipv4.neigh.lo.ucast_solicit net.ipv4.neigh.lo.mcast_solicit net.ipv4.neigh.lo.retrans_time_ms net.ipv4.neigh.lo.gc_stale_time net.ipv4.neigh.lo.unres_qlen
sysctl net.ipv4.conf.all.rp_filter net.ipv4.conf.default.rp_filter net.ipv4.conf.all.accept_redirects net.ipv4.conf.all.send_redirects
sysctl net.ipv4.ip_local_port_range
sysctl net.ipv6.conf.all.disable_ipv6 net.ipv6.conf.all.forwarding
sysctl -a 2>/dev/null | grep -E '^net\.ipv4\.(ip_forward|conf\.(all|default|lo)\.forwarding) '
sysctl -a -r 'ipv4\.ip_forward'
