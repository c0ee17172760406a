#!/usr/bin/env bash
# compare.sh: runs the same workloads in tsunagi and, when run as root beside ../shared/tools,
# on the real Linux kernel, and prints both wall-clock times (medians) and their ratio.
#
#   bench/compare.sh [RUNS]     RUNS tsunagi runs per workload (default 5); Linux runs once
#
# Workloads:
#   chain200  a linear chain of 200 routers built with plain ip commands, then one ping across
#   flood     ping -f -c 20000 across three routers
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
oracle=../shared/tools/linux-oracle
cargo build --release -q
bin=${CARGO_TARGET_DIR:-target}/release/tsunagi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
bench/chain.sh 200 >"$work/chain200.sh"
bench/flood.sh 20000 >"$work/flood.sh"

seconds() { # command... -> wall seconds
  local t0 t1
  t0=$(date +%s.%N)
  "$@" >/dev/null 2>&1 || true
  t1=$(date +%s.%N)
  echo "$t1 - $t0" | bc -l
}
median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

printf '%-10s %14s %14s %10s\n' workload tsunagi_s linux_s ratio
for w in chain200 flood; do
  t=$(for _ in $(seq "$runs"); do seconds "$bin" run "$work/$w.sh"; done | median)
  l=-
  if [[ $(id -u) == 0 && -x $oracle ]]; then l=$(seconds "$oracle" "$work/$w.sh" </dev/null); fi
  if [[ $l != - ]]; then r=$(echo "$l / $t" | bc -l); else r=-; fi
  printf '%-10s %14.4f %14s %10s\n' "$w" "$t" "$l" "$( [[ $r == - ]] && echo - || printf '%.0fx' "$r")"
done
