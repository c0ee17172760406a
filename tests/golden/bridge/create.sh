# A bridge alone: its random address, its own fdb entry, and the details ip -d prints.
ip link add br0 type bridge
ip link show br0
ip -d link show br0 | sed 's/ether [0-9a-f:]* /ether MAC /'
bridge fdb show | sed 's/^[0-9a-f:]* dev br0 master/MAC dev br0 master/'
ip link set br0 up
ip link show br0
bridge fdb show | grep -v '33:33:ff'
# Options at creation and later.
ip link add br1 type bridge ageing_time 1000 forward_delay 400 hello_time 100 max_age 1000 priority 100
ip -d link show br1 | grep -o 'bridge forward_delay.*vlan_filtering [0-9]*'
ip link set br1 type bridge ageing_time 2000 stp_state 1 priority 7
ip -d link show br1 | grep -o 'bridge forward_delay.*vlan_filtering [0-9]*'
ip link add br2 type bridge forward_delay 100 stp_state 1
ip -d link show br2 | grep -o 'bridge forward_delay.*vlan_filtering [0-9]*'
ip link show type bridge | grep -c mtu
ip link del br1
ip link del br2
ip link show type bridge
