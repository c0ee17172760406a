# Pipelines, && and ||, $?, PIPESTATUS, negation.
echo hello | cat
printf 'b\na\nc\n' | sort | head -n 2
echo one two three | wc -w
true && echo "and runs"
false && echo "not printed"
false || echo "or runs"
true || echo "not printed"
false; echo "status $?"
true; echo "status $?"
false | true; echo "status $?"
true | false; echo "status $?"
true | false | true; echo "pipestatus ${PIPESTATUS[*]}"
! false; echo "negated $?"
! true; echo "negated $?"
false && echo no || echo "chain $?"
echo a | { read x; echo "read $x"; }
seq 3 | while read n; do echo "line $n"; done
echo "last $?"
