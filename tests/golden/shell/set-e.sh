# set -e: the script stops at the first failing simple command (not in conditions or && lists).
set -e
echo start
false || echo "|| keeps going"
if false; then echo no; fi
false && echo no
echo "still running"
grep -q nomatch /dev/null || true
ls /nonexistent
echo "never printed"
