# true, false, sleep, test/[, :, basename/dirname, read, export, env.
true; echo "true $?"
false; echo "false $?"
:; echo "colon $?"
sleep 0.1; echo "slept $?"
sleep 0; echo "slept $?"
sleep abc
echo "status $?"
test 5 -gt 3; echo "test $?"
[ 5 -lt 3 ]; echo "bracket $?"
[ -z "" ]; echo "empty $?"
[ "$UNSET_VAR" = "" ] && echo "unset equals empty"
basename /usr/local/bin/tool.sh
basename /usr/local/bin/tool.sh .sh
dirname /usr/local/bin/tool.sh
export MYVAR=exported
bash -c 'echo "child sees $MYVAR"'
NOTEXPORTED=hidden
bash -c 'echo "child sees [$NOTEXPORTED]"'
ONESHOT=temp bash -c 'echo "one-shot $ONESHOT"'
echo "after [$ONESHOT]"
env | grep '^MYVAR='
read -r line <<< "read a line"; echo "$line"
echo "x" | read v; echo "pipe read in subshell: [$v]"
type echo
type ip
command -v ip
which ping
echo $((RANDOM >= 0))
