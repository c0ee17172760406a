# od: the formats scripts use to look at bytes.
printf 'PING 1\t\n\0\377abcdefghijklmnopqrstuvwxyz' > f
od f
od -c f
od -An -c f
od -t x1 f
od -An -t x1 f
od -A x -t x1z f
od -A d -c -t x1 f
od -t x2 f
od -t d1 f
od -t u4 f
od -b f
od -x f
printf 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa' | od -c
printf 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa' | od -v -An -c | head -2
printf '\a\b\f\r\v\001\177\200' | od -c
od -t q f
echo "status $?"
od -A q f
echo "status $?"
od nosuch
echo "status $?"
printf abc | od -t x1 -N 2
printf abcdef | od -j 2 -c
printf abc | od -w4 -c
