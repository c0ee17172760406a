# source, eval, exec redirections, functions with redirections, command -v, type, getopts.
cat > lib.sh <<'EOF'
libvar=fromlib
libfn() { echo "libfn $1"; }
echo "sourced with $# args: $*"
return 3
echo never
EOF
. ./lib.sh a b; echo "ret=$? $libvar"; libfn x
source lib.sh; echo "ret=$?"
source nosuch.sh; echo "st=$?"
eval 'echo evaled; y=7'; echo "y=$y"
cmd="echo hi there"; eval $cmd
eval "for i in 1 2; do echo e\$i; done"
eval 'echo "a' ; echo "after bad eval $?"
exec 4>fd4.txt; echo four >&4; exec 4>&-; cat fd4.txt
exec 5<fd4.txt; read line <&5; echo "read $line"; exec 5<&-
f() { echo "in f"; echo "err in f" >&2; } 
f > fout.txt 2>&1; cat fout.txt
g() { cat; } <<EOF
heredoc to function
EOF
g
command -v echo; command -v cat; command -v nosuch; echo "cv=$?"
type -t echo cat f if; type nosuch; echo "type=$?"
while getopts "ab:c" opt -a -b val -c -d; do echo "opt=$opt arg=${OPTARG-}"; done 2>&1; echo "OPTIND=$OPTIND"
set -e
(false; echo "not reached in subshell"); echo "never"
