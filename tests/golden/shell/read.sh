# read: one line at a time, IFS splitting, -r, -a, -n, -d, -p, here-strings, mapfile.
printf 'a b c\nd e\n\nlast' > in.txt
while read x y; do echo "x=[$x] y=[$y]"; done < in.txt
while IFS= read -r line; do echo "line=[$line]"; done < in.txt
read -r first < in.txt; echo "first=$first"
{ read l1; read l2; } < in.txt; echo "$l1|$l2"
cat in.txt | { read a; cat; }
echo
echo 'a\tb\\c' | { read v; echo "$v"; }
echo 'a\tb\\c' | { read -r v; echo "$v"; }
printf 'x\\\ny\n' | { read v; echo "[$v]"; }
echo "one two three" | { read -a arr; echo "${arr[1]} ${#arr[@]}"; }
read -n 3 c3 <<< "abcdef"; echo "$c3"
read -d , tok <<< "p,q"; echo "$tok"
read nothing < /dev/null; echo "eof=$?"
echo "k=v" | { IFS== read k v; echo "$k -> $v"; }
mapfile -t lines < in.txt; echo "${#lines[@]} ${lines[0]}"
read -p "prompt: " pp <<< "answer"; echo "$pp"
