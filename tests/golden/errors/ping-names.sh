# ping: names that cannot be resolved (the nameserver is unreachable, so the lookup fails at once).
echo "nameserver 192.0.2.53" > /etc/resolv.conf
ping -c 1 nosuchhost
echo "status $?"
ping -c 1 nosuchhost.example
echo "status $?"
ping -c 1 ""
echo "status $?"
traceroute nosuchhost
echo "status $?"
