# set -u: an unset variable is an error and stops the script.
set -u
x=1
echo "x=$x"
echo "default ${nosuch:-fallback}"
echo "unset: $nosuch"
echo "never printed"
