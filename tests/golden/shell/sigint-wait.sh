# SIGINT while bash waits for a foreground child: the script goes on when the child exits normally.
(sleep 1; kill -INT $$) &
sleep 2
echo "after sleep $?"
(sleep 1; kill -INT $$) &
bash -c 'sleep 2; exit 3'
echo "after bash $?"
