# Without exit, the script's status is that of its last command.
echo "ends with false"
false
