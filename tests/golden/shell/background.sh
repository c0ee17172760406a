# Background jobs: &, $!, wait, jobs, kill.
sleep 0.3 &
pid=$!
[ -n "$pid" ] && [ "$pid" -gt 0 ] && echo "have a pid"
jobs
wait $pid
echo "waited $?"
(sleep 0.2; echo "from background"; exit 4) &
echo "foreground first"
wait $!
echo "background exited $?"
sleep 10 &
jobs
kill %1
wait %1 2>/dev/null
echo "killed, status $?"
sleep 10 &
kill $!
wait $! 2>/dev/null
echo "killed by pid, status $?"
for i in 1 2 3; do (sleep 0.$i; echo "job $i") & done
wait
echo "all done"
jobs
echo "no jobs left"
kill %5
echo "status $?"
kill 999999
echo "status $?"
