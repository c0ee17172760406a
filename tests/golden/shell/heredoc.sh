# Here-documents and here-strings.
name=lab
cat <<EOF2
Hello $name
  indented $((1 + 1))
EOF2
cat <<'EOF2'
literal $name $(date)
EOF2
cat <<-EOF2
	leading tabs removed
	for $name
	EOF2
cat <<EOF2 | tr a-z A-Z
piped $name
EOF2
wc -l <<EOF2
one
two
EOF2
grep b <<< "abc
xyz
bcd"
read a b <<< "first second third"
echo "a=$a b=$b"
while read line; do echo "> $line"; done <<EOF2
x y
z
EOF2
