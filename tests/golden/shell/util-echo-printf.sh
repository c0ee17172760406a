# echo and printf.
echo plain
echo -n "no newline"; echo
echo -e "tab\there\nnewline \\\\ backslash"
echo -en "a\tb\n"
echo -E "raw\tno"
echo "raw\tno (bash echo does not interpret by default)"
echo -- -n
echo
echo a b    c
printf 'hello\n'
printf '%s and %s\n' one two
printf '%s\n' a b c
printf '%d|%5d|%-5d|%05d\n' 42 42 42 42
printf '%x %X %o %e %.2f %5.1f\n' 255 255 8 1234.5 3.14159 2.25
printf '%c%c\n' hello world
printf '%%|%q|%b\n' "a b" 'x\ty'
printf '%s\n'
printf '[%3s][%-3s]\n' a b
printf '%d\n' abc
echo "status $?"
printf -v var '%03d' 7; echo "$var"
printf "%s=%s\n" key value k2 v2
