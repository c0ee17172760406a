# set -o pipefail: a pipeline fails if any part fails.
false | true; echo "without pipefail $?"
set -o pipefail
false | true; echo "with pipefail $?"
true | (exit 3) | true; echo "with pipefail $?"
set -eo pipefail
echo ok | grep -q ok && echo "grep ok"
ls /nonexistent | cat
echo "never printed"
