# trap ... ERR, trap reset, and exit status of the script.
trap 'echo "error at line $LINENO"' ERR
false
echo after
trap - ERR
false
trap 'echo "exiting"' EXIT
trap
exit 5
