# A command that does not exist: message with script path and line, status 127.
echo before
nosuchcmd
echo "status $?"
nosuchcmd arg1 arg2 2>/dev/null
echo "status $?"
echo piped | nosuchcmd2 | cat
echo "status $?"
out=$(nosuchcmd3)
echo "status $? [$out]"
./nosuchfile
echo "status $?"
/nonexistent/path/cmd
echo "status $?"
touch plain.txt
./plain.txt
echo "status $?"
if nosuchcmd4; then echo yes; else echo "else branch"; fi
ip netns add ns1
ip netns exec ns1 nosuchcmd5
echo "status $?"
