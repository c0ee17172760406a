# ip address: argument parsing, defaults and messages.
ip link add v0 type veth peer name v1
ip address add 192.0.2.1/24 dev v0 brd +
ip address add 192.0.2.2/24 dev v0 brd -
ip address add 192.0.2.3/255.255.255.0 dev v0 broadcast 192.0.2.127
ip address add 198.51.100.1/30 brd + dev v0
ip address add 198.51.100.10/31 brd + dev v0
ip address add 203.0.113.1/24 dev v0 scope host
ip address add 203.0.113.2/24 dev v0 scope 7
ip address add 203.0.113.3/24 dev v0 scope bogus
echo "status $?"
ip address add 127.1.0.1/8 dev v0
ip address add 10.9.0.1/24 dev v0 label v0:x
ip address add local 10.8.0.1/24 dev v0
ip address add 10.8.0.2/24 local 10.8.0.3/24 dev v0
echo "status $?"
ip address add 10.7.0.1/24 dev v0 nodad
ip address add 10.7.0.2/24 dev v0 secondary
ip address add 10.7.0.3/24 dev v0 tentative
ip address add 10.7.0.4/24 dev v0 noprefixroute
ip address add 10.7.0.5/24 dev v0 metric x
echo "status $?"
ip address add 10.7.0.6/24 dev v0 valid_lft x
echo "status $?"
ip address add 10.7.0.7/24 dev v0 valid_lft 10 valid_lft 20
echo "status $?"
ip address add 10.7.0.8/24 dev v0 valid_lft 0
echo "status $?"
ip address add 10.7.0.9/24 dev v0 valid_lft 10 preferred_lft 20
echo "status $?"
ip address add 10.7.0.10/24 dev v0 brd 10.7.0.255 brd 10.7.0.255
echo "status $?"
ip address add 10.7.0.11/24 dev v0 peer 10.7.0.12 peer 10.7.0.13
echo "status $?"
ip address add 10.7.0.14/24 dev v0 brd foo
echo "status $?"
ip address add 2001:db8::1/64 dev v0 brd +
echo "status $?"
ip address add 10.7.0.15/24 dev v0 autojoin
echo "status $?"
ip -6 address add 10.7.0.16/24 dev v0
echo "status $?"
ip -4 address add 2001:db8::2/64 dev v0
echo "status $?"
ip address add help
echo "status $?"
ip address del 10.9.0.1 dev v0
echo "status $?"
ip address show dev v0
ip address show dev v0 label v0:x
ip address show dev v0 scope host
ip address show dev v0 scope all
ip address show dev v0 scope bogus
echo "status $?"
ip address show dev v0 to 198.51.100.0/24
ip address show dev v0 -secondary
ip address show dev v0 permanent
ip address show dev v0 dynamic
ip address show v0 v1
echo "status $?"
ip address show dev nosuch
echo "status $?"
ip address show to foo
echo "status $?"
ip address flush
echo "status $?"
ip -0 address flush dev v0
echo "status $?"
ip -s address flush dev v0 label v0:x
ip -s -s address flush dev v0 to 127.0.0.0/8
ip -s address flush dev v0 to 127.0.0.0/8
ip address flush dev v0 secondary
ip -br address show dev v0
ip address flush dev v0 primary
ip -br address show dev v0
ip address change 10.6.0.1/24 dev v0
echo "status $?"
ip address replace 10.6.0.1/24 dev v0
ip address replace 10.6.0.1/24 dev v0
ip -br address show dev v0
ip address showdump
echo "status $?"
