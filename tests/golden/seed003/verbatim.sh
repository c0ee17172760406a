sudo ip netns add helloworld #作成
ip netns list #一覧表示
sudo ip netns exec helloworld ip address show #NN上でコマンドを実行
sudo ip netns exec helloworld bash #NN上でシェルを起動
sudo ip netns delete helloworld #削除
sudo ip netns add ns1
sudo ip netns add ns2
sudo ip link add ns1-veth0 type veth peer name ns2-veth0
ip link show #確認
sudo ip link set ns1-veth0 netns ns1
sudo ip link set ns2-veth0 netns ns2
ip link show #コマンド実行後は先程のvethが見えなくなっている
sudo ip netns exec ns1 ip address add 192.0.2.1/24 dev ns1-veth0
sudo ip netns exec ns2 ip address add 192.0.2.2/24 dev ns2-veth0
sudo ip netns exec ns1 ip link set ns1-veth0 up
sudo ip netns exec ns2 ip link set ns2-veth0 up
sudo ip netns exec ns1 ping -c 3 192.0.2.2
sudo ip netns exec ns2 ping -c 3 192.0.2.1
sudo ip netns add ns1
sudo ip netns add ns2
sudo ip netns add router
sudo ip link add ns1-veth0 type veth peer name gw-veth0
sudo ip link add ns2-veth0 type veth peer name gw-veth1
sudo ip link set ns1-veth0 netns ns1
sudo ip link set gw-veth0 netns router
sudo ip link set ns2-veth0 netns ns2
sudo ip link set gw-veth1 netns router
sudo ip netns exec ns1 ip link set ns1-veth0 up
sudo ip netns exec router ip link set gw-veth0 up
sudo ip netns exec ns2 ip link set ns2-veth0 up
sudo ip netns exec router ip link set gw-veth1 up
sudo ip netns exec ns1 ip address add 192.0.2.1/24 dev ns1-veth0
sudo ip netns exec router ip address add 192.0.2.254/24 dev gw-veth0
sudo ip netns exec ns2 ip address add 198.51.100.1/24 dev ns2-veth0
sudo ip netns exec router ip address add 198.51.100.254/24 dev gw-veth1
sudo ip netns exec ns1 ping -c 3 192.0.2.254 #ns1からrouter 問題なし
sudo ip netns exec router ping -c 3 192.0.2.1 #routerからns1 問題なし
sudo ip netns exec ns2 ping -c 3 198.51.100.254 #ns2からrouter 問題なし
sudo ip netns exec router ping -c 3 198.51.100.1 #routerからns2 問題なし
sudo ip netns exec ns1 ping -c 3 198.51.100.1 #ns1からns2 エラーとなる
sudo ip netns exec ns1 ip route show
# 192.0.2.0/24 dev ns1-veth0 proto kernel scope link src 192.0.2.1 
sudo ip netns exec ns1 ip route add default via 192.0.2.254
sudo ip netns exec ns2 ip route add default via 198.51.100.254
sudo ip netns exec router sysctl net.ipv4.ip_forward=1
sudo ip netns exec ns1 ping -c 3 198.51.100.1
sudo ip netns exec ns2 ping -c 3 192.0.2.1
sudo ip netns add ns1
sudo ip netns add ns2
sudo ip netns add router1
sudo ip netns add router2
sudo ip link add ns1-veth0 type veth peer name gw1-veth0
sudo ip link add gw1-veth1 type veth peer name gw2-veth0
sudo ip link add gw2-veth1 type veth peer name ns2-veth0
sudo ip link set ns1-veth0 netns ns1
sudo ip link set gw1-veth0 netns router1
sudo ip link set gw1-veth1 netns router1
sudo ip link set gw2-veth0 netns router2
sudo ip link set gw2-veth1 netns router2
sudo ip link set ns2-veth0 netns ns2
sudo ip netns exec ns1 ip link set ns1-veth0 up
sudo ip netns exec router1 ip link set gw1-veth0 up
sudo ip netns exec router1 ip link set gw1-veth1 up
sudo ip netns exec router2 ip link set gw2-veth0 up
sudo ip netns exec router2 ip link set gw2-veth1 up
sudo ip netns exec ns2 ip link set ns2-veth0 up
sudo ip netns exec ns1 ip address add 192.0.2.1/24 dev ns1-veth0
sudo ip netns exec router1 ip address add 192.0.2.254/24 dev gw1-veth0
sudo ip netns exec router1 ip address add 203.0.113.1/24 dev gw1-veth1
sudo ip netns exec router2 ip address add 203.0.113.2/24 dev gw2-veth0
sudo ip netns exec router2 ip address add 198.51.100.254/24 dev gw2-veth1
sudo ip netns exec ns2 ip address add 198.51.100.1/24 dev ns2-veth0
sudo ip netns exec ns1 ip route add default via 192.0.2.254
sudo ip netns exec ns2 ip route add default via 198.51.100.254
sudo ip netns exec router1 sysctl net.ipv4.ip_forward=1
sudo ip netns exec router2 sysctl net.ipv4.ip_forward=1
sudo ip netns exec ns1 ping -c 3 198.51.100.1
# From 192.0.2.254 icmp_seq=1 Destination Net Unreachable
sudo ip netns exec router1 ip route add 198.51.100.0/24 via 203.0.113.2
sudo ip netns exec router2 ip route add 192.0.2.0/24 via 203.0.113.1
sudo ip netns exec ns1 ping -c 3 198.51.100.1 #OK
sudo ip netns exec ns2 ping -c 3 192.0.2.1 #OK
