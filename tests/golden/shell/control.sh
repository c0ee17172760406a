# if, case, for, while, until, break, continue, [[ ]], test.
for i in 1 2 3; do
  if [ "$i" -eq 1 ]; then echo "one"
  elif [ "$i" = 2 ]; then echo "two"
  else echo "other $i"
  fi
done
for word in apple banana cherry; do
  case $word in
    a*) echo "$word starts with a" ;;
    b*|c*) echo "$word starts with b or c" ;;
    *) echo "no match" ;;
  esac
done
case "x.sh" in *.txt) echo txt ;; *.sh) echo sh ;; esac
n=0
while [ $n -lt 5 ]; do
  n=$((n + 1))
  [ $n -eq 2 ] && continue
  [ $n -eq 4 ] && break
  echo "while $n"
done
until [ $n -le 0 ]; do n=$((n - 1)); done; echo "until $n"
for ((i = 0; i < 3; i++)); do echo "c-style $i"; done
for f in; do echo never; done
if [[ abc == a* && 3 -gt 2 ]]; then echo "double bracket"; fi
[[ "a b" =~ ^a\ (.)$ ]] && echo "regex ${BASH_REMATCH[1]}"
[[ -z "" ]] && echo "empty"
[[ -n "x" ]] && echo "not empty"
test 1 -lt 2 && echo "test lt"
[ "abc" != "abd" ] && echo "strings differ"
[ -d / ] && echo "root is a dir"
[ -f /nonexistent ] || echo "no such file"
[ ! -e /nonexistent ] && echo "negated"
[ 1 -eq 1 -a 2 -eq 2 ] && echo "and"
[ 1 -eq 2 -o 2 -eq 2 ] && echo "or"
[ 1 -eq 2 ]; echo "status $?"
[ abc -eq 1 ]; echo "status $?"
[ 1 = ]; echo "status $?"
test; echo "status $?"
if false; then :; fi; echo "if status $?"
