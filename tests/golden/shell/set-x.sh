# set -x: commands are traced on stderr with "+ ".
set -x
echo hello world
x=$((1 + 2))
echo "x is $x"
ls /nonexistent 2>/dev/null || echo "traced in ||"
f() { echo "in f $1"; }
f arg
if [ $x -eq 3 ]; then echo three; fi
set +x
echo "trace off"
