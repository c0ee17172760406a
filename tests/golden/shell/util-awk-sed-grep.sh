# awk, sed, grep, cut, sort, uniq, tr on the kind of text ip prints.
cat > net.txt <<'EOF'
1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN group default qlen 1000
    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00
    inet 127.0.0.1/8 scope host lo
       valid_lft forever preferred_lft forever
2: eth0@if3: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP group default qlen 1000
    link/ether 0a:1b:2c:3d:4e:5f brd ff:ff:ff:ff:ff:ff link-netnsid 0
    inet 192.0.2.1/24 scope global eth0
       valid_lft forever preferred_lft forever
EOF
awk '/inet / {print $2}' net.txt
awk '/inet / {split($2, a, "/"); print a[1], a[2]}' net.txt
grep -oE '([0-9]{1,3}\.){3}[0-9]{1,3}/[0-9]+' net.txt
grep -E '^[0-9]+:' net.txt | cut -d: -f2 | tr -d ' '
sed -n 's/.*inet \([0-9.]*\).*/\1/p' net.txt
awk -F': ' '/^[0-9]/ {print $2}' net.txt
grep -c inet net.txt; grep -w lo net.txt | head -1
awk '{ for (i = 1; i <= NF; i++) if ($i == "mtu") print $(i+1) }' net.txt
ip=$(awk '/inet / && !/127/ {print $2}' net.txt | cut -d/ -f1); echo "ip=$ip"
sed -e '/valid_lft/d' -e 's/^ *//' net.txt | head -3
awk 'NR % 2 == 0' net.txt | wc -l
awk '{ n[$1]++ } END { print length(n) }' net.txt
awk 'BEGIN { printf "%-10s|%5s\n", "name", "val"; printf "%-10s|%5d\n", "x", 42 }'
echo "a,b,c" | awk -F, '{ $2 = "B"; print }' OFS=,
echo "  spaced   out  " | awk '{ $1 = $1; print "[" $0 "]" }'
printf '3\n1\n2\n' | sort -n | tr '\n' ' '; echo
printf 'x\ny\nx\n' | sort | uniq -c | sort -rn
seq 1 10 | awk '$1 % 3 == 0 { s += $1 } END { print s }'
seq 5 | sed -n '2,4p'; seq 5 | sed '3q'; seq 5 | tail -n 2; seq 10 | head -n -7
echo "hello world" | sed 's/\(hello\) \(world\)/\2 \1/'; echo abc | sed 's/b*/X/g'
echo "path/to/file.txt" | sed 's#/#\\#g'
echo "aaa" | sed 's/a/b/2'; echo "hello" | sed 'y/el/ip/'
printf 'a\nb\nc\n' | sed -n '/b/{p;q}'; printf 'a\nb\n' | sed '1!G;h;$!d'
printf 'k1 v1\nk2 v2\n' | while read k v; do echo "$k => $v"; done
echo "A-B-C" | tr '-' '\n' | tr 'A-Z' 'a-z'
echo "tabs	and spaces" | tr -s '[:space:]' ' '
printf '%s\n' one two three | grep -n t
printf '%s\n' one two three | grep -v -e one -e two
echo "ERR: x" | grep -i err >/dev/null && echo matched
grep -q nosuch net.txt; echo "q=$?"
awk 'END { print NR }' /dev/null
echo 5 | awk '{ print $1 * 1.5, $1 / 2, int($1 / 2), $1 % 2, -$1 }'
echo "a b" | awk '{ print NF; NF = 1; print }'
awk 'BEGIN { x = "10"; y = 9; print (x > y), ("10" > "9") }'
awk 'BEGIN { s = sprintf("%05.1f|%x|%o|%e", 3.14159, 255, 8, 1234.5); print s }'
awk 'BEGIN { print substr("hello", 2, 3), index("hello", "ll"), toupper("abc"), length("hello") }'
echo "x=1;y=2" | awk -F';' '{ for (i=1;i<=NF;i++) { split($i, kv, "="); print kv[1] " is " kv[2] } }'
awk 'BEGIN { while (("echo a; echo b" | getline line) > 0) print "got " line }'
