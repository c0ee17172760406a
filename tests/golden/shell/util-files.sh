# mkdir, cd, ls, pwd, rm, touch, test on files, in the fresh working directory.
ls
mkdir dir1
mkdir -p dir2/sub/deeper
touch a.txt b.txt dir1/c.txt
ls
ls dir1
ls -a dir1
ls -1
ls -d dir*
ls nosuch
echo "status $?"
mkdir dir1
echo "status $?"
cd dir2/sub
ls
cd ../..
ls -R dir2
( cd /usr/bin && pwd; cd .. && pwd; cd / && pwd; cd /usr/share; cd -; cd /nonexistent; echo "status $?"; pwd )
ls -d dir1
test -d dir1 && echo "dir1 is a directory"
test -f a.txt && echo "a.txt is a file"
[ -e nosuch ] || echo "nosuch does not exist"
[ -s a.txt ] || echo "a.txt is empty"
echo data > a.txt
[ -s a.txt ] && echo "a.txt has data"
rm b.txt
ls
rm b.txt
echo "status $?"
rm -f b.txt
echo "status $?"
rm dir1
echo "status $?"
rmdir dir1
echo "status $?"
rm -r dir1
ls
rm -rf dir2
ls
rm -rf nosuch
echo "status $?"
mv a.txt moved.txt
cp moved.txt copy.txt
ls
cat copy.txt
