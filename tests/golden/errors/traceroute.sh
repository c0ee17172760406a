# traceroute: argument errors.
traceroute
echo "status $?"
traceroute -Z 192.0.2.1
echo "status $?"
traceroute -m 0 192.0.2.1
echo "status $?"
traceroute -m 256 192.0.2.1
echo "status $?"
traceroute -f 5 -m 3 192.0.2.1
echo "status $?"
traceroute -q 0 192.0.2.1
echo "status $?"
traceroute -q 11 192.0.2.1
echo "status $?"
traceroute -w abc 192.0.2.1
echo "status $?"
traceroute 192.0.2.1 70000
echo "status $?"
traceroute 256.1.1.1
echo "status $?"
traceroute -n 198.51.100.1
echo "status $?"
traceroute -i nosuchdev 127.0.0.1
echo "status $?"
traceroute -s 203.0.113.9 127.0.0.1
echo "status $?"
