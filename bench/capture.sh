#!/usr/bin/env bash
# capture.sh [RUNS]: what capturing a busy link costs. A `ping -f -c 20000` across three
# routers (bench/flood.sh) runs uncaptured, then with `tcpdump -w FILE` capturing the flood in
# the background on a router's link, then uncaptured under `tsunagi run --capture DIR` (every
# device of the lab); prints the medians over RUNS runs (default 7) of the wall-clock time and
# of the CPU time (user + system: steadier on a busy machine) and their ratios to the
# uncaptured run. The goal for tcpdump -w is at most 2x.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-7}
cargo build --release -q -p tsunagi
bin=${CARGO_TARGET_DIR:-target}/release/tsunagi
bin=$(readlink -f "$bin")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
bench/flood.sh 20000 >"$work/plain.sh"
bench/flood.sh 20000 flood.pcap >"$work/tcpdump.sh"

seconds() { # command... -> "wall cpu" seconds
  local TIMEFORMAT='%R %U %S'
  { time (cd "$work" && "$@" >/dev/null 2>&1 || true); } 2>&1 | awk '{printf "%s %.3f\n", $1, $2 + $3}'
}
median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
measure() { # command... -> "wall cpu" medians
  local runs_out
  runs_out=$(for _ in $(seq "$runs"); do rm -rf "$work/cap"; seconds "$@"; done)
  echo "$(cut -d' ' -f1 <<<"$runs_out" | median) $(cut -d' ' -f2 <<<"$runs_out" | median)"
}

read -r bw bc < <(measure "$bin" run plain.sh)
read -r dw dc < <(measure "$bin" run tcpdump.sh)
frames=$("$bin" run - <<<"tcpdump -r $work/flood.pcap 2>/dev/null | wc -l")
read -r lw lc < <(measure "$bin" run --capture cap plain.sh)
ratio() { printf '%.2fx' "$(echo "$1 / $2" | bc -l)"; }
printf '%-26s %8s %7s %8s %7s\n' "flood 20000 pings" wall_s ratio cpu_s ratio
printf '%-26s %8.3f %7s %8.3f %7s\n' "uncaptured" "$bw" 1.00x "$bc" 1.00x
printf '%-26s %8.3f %7s %8.3f %7s   (%s frames in the file)\n' "tcpdump -w on a link" "$dw" "$(ratio "$dw" "$bw")" "$dc" "$(ratio "$dc" "$bc")" "$frames"
printf '%-26s %8.3f %7s %8.3f %7s\n' "--capture (every device)" "$lw" "$(ratio "$lw" "$bw")" "$lc" "$(ratio "$lc" "$bc")"
