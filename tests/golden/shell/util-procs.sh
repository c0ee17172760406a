# timeout, expr, pgrep/pkill.
pgrep nosuch; echo "pgrep=$?"
pkill nosuch; echo "pkill=$?"
timeout 0.5 sleep 3; echo "to=$?"
timeout -s INT 0.2 sleep 1; echo "to=$?"
timeout 1 true; echo "to=$?"
timeout x sleep 1; echo "to=$?"
timeout 1 nosuch; echo "to=$?"
expr 1 + 2; expr 5 \* 3; expr abc : 'a\(.\)'; expr length hello; expr 3 \> 2; expr 1 / 0; echo "e=$?"; expr; echo "e=$?"
expr abc : 'x'; echo "e=$?"; n=$(expr 10 - 3); echo "n=$n"; expr substr hello 2 3; expr index hello l
