# xargs.
echo a b c | xargs
echo a b c | xargs -n 1 echo x
printf '1\n2\n' | xargs -I{} echo "item {}"
echo "'q x' \"d y\" z\\ w" | xargs -n1
printf 'a\0b\0' | xargs -0 echo
echo | xargs -r echo nothing
echo x | xargs nosuchcmd; echo "st=$?"
echo 1 2 | xargs -t echo
