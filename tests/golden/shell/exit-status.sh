# The script's own exit status comes from exit N (or the last command).
echo "about to exit"
(exit 7); echo "subshell exited $?"
sh -c 'exit 9'; echo "sh exited $?"
bash -c 'echo "bash -c ran"; exit 11'; echo "bash exited $?"
exit 3
echo "never printed"
