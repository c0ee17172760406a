# ping: argument and setup errors (no packets leave).
ip link add v0 type veth peer name v1
ip address add 192.0.2.1/24 dev v0
ip link set v0 up
ip link set v1 up
ping
echo "status $?"
ping -c 1 -Z 192.0.2.2
echo "status $?"
ping -c 0 192.0.2.2
echo "status $?"
ping -c -1 192.0.2.2
echo "status $?"
ping -c abc 192.0.2.2
echo "status $?"
ping -c 1 -W 1 -s 70000 192.0.2.2
echo "status $?"
ping -c 1 -s 65508 192.0.2.2
echo "status $?"
ping -c 1 -t 0 192.0.2.2
echo "status $?"
ping -c 1 -t 256 192.0.2.2
echo "status $?"
ping -c 1 -i abc 192.0.2.2
echo "status $?"
ping -c 1 -W -1 192.0.2.2
echo "status $?"
ping -c 1 -I 203.0.113.9 192.0.2.2
echo "status $?"
ping -c 1 -I nosuchdev 192.0.2.2
echo "status $?"
ping -c 1 198.51.100.1
echo "status $?"
ping -c 1 192.0.2.255
echo "status $?"
ping -c 1 255.255.255.255
echo "status $?"
ping -c 1 256.1.1.1
echo "status $?"
ping -c 1 192.0.2.2 192.0.2.3
echo "status $?"
