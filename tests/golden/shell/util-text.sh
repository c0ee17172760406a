# cat, grep, sed, awk, head, tail, wc, sort, uniq, cut, tr, seq on small inputs.
printf 'alpha 3\nbeta 1\ngamma 2\nalpha 5\nDelta 4\n' > data.txt
cat data.txt
cat -n data.txt
echo "== grep"
grep alpha data.txt
grep -c alpha data.txt
grep -v alpha data.txt
grep -i delta data.txt
grep -n a data.txt
grep -w beta data.txt
grep -o 'a[a-z]' data.txt
grep -E 'beta|gamma' data.txt
grep -e beta -e Delta data.txt
grep '^g' data.txt
grep -q alpha data.txt; echo "status $?"
grep nomatch data.txt; echo "status $?"
grep alpha nosuchfile; echo "status $?"
grep -l alpha data.txt
grep -A 1 beta data.txt
grep -B 1 beta data.txt
echo "== sed"
sed 's/alpha/ALPHA/' data.txt
sed 's/a/A/g' data.txt | head -n 2
sed -n '2p' data.txt
sed -n '/gamma/,$p' data.txt
sed '1d' data.txt
sed -e 's/ .*//' -e 'y/abg/ABG/' data.txt
sed -E 's/([a-z]+) ([0-9])/\2 \1/' data.txt
sed '$a\last line' data.txt | tail -n 2
sed -i 's/Delta/delta/' data.txt; grep delta data.txt
echo "== awk"
awk '{print $1}' data.txt
awk '{print $2, $1}' data.txt
awk '$2 > 2 {print NR": "$0}' data.txt
awk '{s += $2} END {print "sum", s, "rows", NR}' data.txt
awk -F: '{print $1, $3}' <<< "root:x:0:0"
awk 'BEGIN {printf "%s-%d\n", "x", 3}'
awk '/alpha/ {n++} END {print n}' data.txt
awk '{print NF}' <<< "a b  c"
awk -v k=beta '$1 == k {print $2}' data.txt
echo "== head tail"
head -n 2 data.txt
head -2 data.txt
tail -n 2 data.txt
tail -n +4 data.txt
seq 20 | head
seq 20 | tail -3
head -c 5 data.txt; echo
echo "== wc"
wc -l data.txt
wc -w < data.txt
wc -c data.txt
wc data.txt
printf 'no newline' | wc -l
echo "== sort uniq"
sort data.txt
sort -r data.txt
sort -k2 -n data.txt
sort -u <<< "b
a
b"
cut -d' ' -f1 data.txt | sort | uniq
cut -d' ' -f1 data.txt | sort | uniq -c
cut -d' ' -f1 data.txt | sort | uniq -d
printf '10\n9\n100\n' | sort
printf '10\n9\n100\n' | sort -n
echo "== cut tr"
cut -d' ' -f2 data.txt
cut -c1-3 data.txt
echo "a:b:c" | cut -d: -f2-
echo "hello" | tr a-z A-Z
echo "a,b,c" | tr ',' '\n'
echo "aabbcc" | tr -d b
echo "a   b" | tr -s ' '
echo "== seq"
seq 3
seq 2 4
seq 0 5 20
seq -s, 5
seq 3 -1 1
seq -w 8 10
