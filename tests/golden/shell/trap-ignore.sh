# An ignored signal (trap '' SIG) stays ignored in children and across exec; a handler or
# trap - restores delivery.
trap '' INT
bash -c 'kill -INT $$; echo "child survived SIGINT"'
sleep 2 &
kill -INT $!
wait $!
echo "background sleep: $?"
trap - INT
bash -c 'kill -INT $$; echo "not printed"'
echo "child status $?"
bash -c 'trap "echo caught" INT; kill -INT $$; echo "after handler"'
# Without job control bash starts `&` commands with SIGINT ignored (the child sets that up
# just after fork, so give it a moment).
sleep 3 &
sleep 0.5
kill -INT $!
wait $!
echo "background sleep without job control: $?"
sleep 2 &
sleep 0.5
kill -TERM $!
wait $!
echo "SIGTERM still ends it: $?"
