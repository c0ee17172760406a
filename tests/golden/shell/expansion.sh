# Variables, parameter expansion, command substitution, arithmetic.
name=world
echo "hello $name" 'single $name' hello\ $name
echo "${name}s" ${#name} ${name:1:3} ${name^^} ${name:-x}
unset u
echo "[${u:-default}] [${u-unset}] [${u:+alt}] [${name:+alt}]"
: ${v:=assigned}; echo "$v"
f=archive.tar.gz
echo ${f%.gz} ${f%%.*} ${f#*.} ${f##*.} ${f/tar/zip} ${f//a/A}
n=$(echo 5)
echo "n=$n lines=$(printf 'a\nb\n' | wc -l) nested=$(echo $(echo deep))"
echo `echo backticks`
echo $((1 + 2 * 3)) $(( (1 + 2) * 3 )) $((7 / 2)) $((7 % 3)) $((2 ** 10)) $((-5 / 2))
i=0; i=$((i + 1)); ((i++)); ((i += 10)); echo "i=$i"
echo $((0x10)) $((010)) $((1 << 4)) $((5 > 3)) $((5 == 3)) $((i > 5 ? 1 : 0))
x=3; let "x *= 2"; echo "x=$x"
arr=(a b c)
echo "${arr[0]} ${arr[@]} ${#arr[@]} ${arr[-1]}"
arr+=(d); echo "${arr[*]}"
set -- one "two words" three
echo "$#" "$1" "$2"
for a in "$@"; do echo "[$a]"; done
for a in $*; do echo "<$a>"; done
echo "$*"
shift; echo "$1"
echo ~root
echo {1..5} {a,b}{x,y} file{1..3}.txt
echo $((10#08))
