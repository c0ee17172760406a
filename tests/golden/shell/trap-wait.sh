# A trapped signal interrupts wait; the handler runs.
trap 'echo "trapped INT"; kill $p; ' INT
sleep 10 & p=$!
(sleep 1; kill -INT $$) &
wait $p; echo "wait returned $?"
wait
echo done
