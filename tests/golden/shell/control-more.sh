# break/continue N, empty "$@", functions and exit, arrays in loops, substrings, PIPESTATUS.
for i in 1 2 3; do for j in a b c; do [ $j = b ] && continue 2; [ $i = 3 ] && break 2; echo "$i$j"; done; done
e=(); set -- "${e[@]}"; echo "n=$#"
f() { echo start; return; echo no; }; f; echo "f=$?"
g() { exit 7; }; (g); echo "g=$?"
echo x | { g; }; echo "pipe=$?"
h() { local i; for i in 1 2; do echo "h$i"; done; }; i=outer; h; echo "i=$i"
counter() { count=$((count+1)); }; count=0; counter; counter; echo "count=$count"
echo "a b c" | { read -r first rest; echo "$first|$rest"; }
arr=(x y z); for idx in "${!arr[@]}"; do echo "$idx=${arr[idx]}"; done
unset 'arr[1]'; echo "${arr[@]} ${#arr[@]}"
declare -A assoc 2>/dev/null; echo "assoc st=$?"
s="hello"; echo ${s:1:-1} ${s: -3} ${s:10}
[ -n "$undefined" ] || echo "empty test"
x=010; echo $((x)) $((10#$x))
echo $((RANDOM < 32768))
printf '%s\n' "${PIPESTATUS[@]}"
true | false | true; echo "${PIPESTATUS[@]}"
cd /tmp; echo "$PWD $OLDPWD" | sed 's|/tmp/[^ ]*|X|g'; cd - >/dev/null
echo "$0" | sed 's|.*/||'
echo $(( $(echo 3) * 2 ))
v=abc; case "$v" in a?c) echo "q-match";; esac
case x in [[:alpha:]]) echo class;; esac
case "a.b" in *.*) echo dot;; esac
if [ -e /etc/hosts ] && grep -q localhost /etc/hosts; then echo hosts-ok; fi
