# Here-documents: expansions, line continuation, in functions, several at once, fed to bash.
x=5
cat <<EOF
a "quoted" 'single' \$escaped \\ back
$(echo "cmd $x")
line \
continued
$((x + 1)) ${x}
EOF
cat <<"EOF"
$x literal \
EOF
cat <<EOF | sed 's/^/> /'
piped
EOF
v=$(cat <<EOF
inside cmdsub $x
EOF
)
echo "$v"
f() {
	cat <<-END
	tabbed in function $1
		double tab
	END
}
f arg
cat <<A <<B
from A
A
from B
B
while read -r l; do echo "[$l]"; done <<EOF
 lead space
trail space 
EOF
bash <<'EOF'
echo "nested bash $((2+2))"
exit 3
EOF
echo "nested=$?"
