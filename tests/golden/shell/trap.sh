# trap on EXIT runs when the script ends, also through exit N.
trap 'echo "cleanup (status $?)"' EXIT
echo working
f() { echo "in f"; exit 3; }
f
echo "never printed"
