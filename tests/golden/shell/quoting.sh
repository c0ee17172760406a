# Quoting and word splitting.
x="a   b"
echo $x
echo "$x"
echo '$x' "\$x" "\"quoted\"" 'it'"'"'s'
echo "tab:	end" 'back\slash' "back\\slash" back\\slash
echo $'escape\tsequence\n(line 2)'
y=""
set -- $y; echo "words: $#"
set -- "$y"; echo "words: $#"
v="*"; echo "$v"
echo "multi
line"
echo a\
b
echo "semi;colon" 'pipe|char' "amp&" "hash#" not#comment # comment
IFS=: read -r p q <<< "left:right"; echo "$p $q"
printf '%s|' "one two" three; echo
