# Redirections: > >> < 2> 2>&1 &> >&2 /dev/null, here in the fresh working directory.
echo first > out.txt
echo second >> out.txt
cat out.txt
cat < out.txt | wc -l
ls nosuchfile 2> err.txt; echo "status $?"
cat err.txt
ls nosuchfile out.txt > both.txt 2>&1
cat both.txt
ls nosuchfile out.txt &> all.txt
cat all.txt
echo "to stderr" >&2
echo "to stderr, hidden" 2>/dev/null >&2
ls nosuchfile 2>/dev/null || echo "failed quietly"
echo replaced > out.txt; cat out.txt
: > empty.txt; wc -c empty.txt
{ echo grouped; echo lines; } > group.txt; cat group.txt
( echo subshell ) >> group.txt; tail -n 1 group.txt
exec 3> fd3.txt; echo "via fd 3" >&3; exec 3>&-; cat fd3.txt
cat nosuchfile
echo "status $?"
echo hi > /nonexistent/dir/file
echo "status $?"
< out.txt read first; echo "read: $first"
