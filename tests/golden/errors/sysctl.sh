# sysctl: unknown key, bad value, -w without =.
sysctl net.ipv4.nosuch
echo "status $?"
sysctl -w net.ipv4.nosuch=1
echo "status $?"
sysctl net.ipv4.nosuch=1
echo "status $?"
sysctl -w net.ipv4.ip_forward=abc
echo "status $?"
sysctl -w net.ipv4.ip_forward=
echo "status $?"
sysctl -w net.ipv4.ip_forward
echo "status $?"
sysctl -q net.ipv4.nosuch
echo "status $?"
sysctl -e net.ipv4.nosuch
echo "status $?"
sysctl --foo
echo "status $?"
sysctl net.ipv4.ip_forward net.ipv4.nosuch net.ipv4.ip_default_ttl
echo "status $?"
sysctl -w net.ipv4.ip_default_ttl=0
echo "status $?"
sysctl -w net.ipv4.ip_default_ttl=256
echo "status $?"
sysctl net.ipv4.ip_default_ttl
echo "status $?"
