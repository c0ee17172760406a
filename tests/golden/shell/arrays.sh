# Indexed and associative arrays, keyed elements, compound assignments to declare.
declare -A m
m[ns1]=192.0.2.1
m[ns2]=198.51.100.1
echo "${m[ns1]} ${m[ns2]} ${#m[@]}"
for k in "${!m[@]}"; do echo "$k -> ${m[$k]}"; done | sort
declare -A n=([a]=1 [b]=2)
echo "${n[a]}${n[b]}"
m[ns1]+=x; echo "${m[ns1]}"
unset 'm[ns2]'; echo "${#m[@]}"
a=([2]=two [5]=five); echo "${!a[@]} ${a[@]}"
a+=(six); echo "${!a[@]}"
k=ns1; echo "${m[$k]}"
