# Functions: arguments, local, return, recursion, globals.
greet() {
  echo "hello $1 ($# args)"
}
greet world
greet "big world" extra
function twice { echo "$@"; echo "$@"; }
twice a b
counter=0
bump() { counter=$((counter + 1)); local counter=100; echo "inside $counter"; }
bump; echo "outside $counter"
check() { [ "$1" -gt 5 ]; }
check 7 && echo "7 > 5"
check 3 || echo "3 <= 5"
ret() { return 42; }
ret; echo "returned $?"
fact() { if [ $1 -le 1 ]; then echo 1; else echo $(( $1 * $(fact $(( $1 - 1 ))) )); fi; }
echo "5! = $(fact 5)"
sum() { local s=0 x; for x in "$@"; do s=$((s + x)); done; echo $s; }
echo "sum $(sum 1 2 3 4)"
type greet | head -n 1
unset -f greet
greet 2>/dev/null || echo "greet is gone"
