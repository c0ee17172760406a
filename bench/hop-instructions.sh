#!/usr/bin/env bash
# hop-instructions: instructions per forwarded packet-hop, counted by callgrind (deterministic,
# unlike wall time on a shared machine). Runs the hop_cost example with N and 2N round trips
# across a chain of routers and divides the difference by the extra hops.
#
#   bench/hop-instructions.sh [ROUTERS] [N]
set -euo pipefail
routers=${1:-200}
n=${2:-200}
cd "$(dirname "$0")/.."
cargo build --release -q -p tsunagi --example hop_cost
bin=${CARGO_TARGET_DIR:-target}/release/examples/hop_cost
count() {
    valgrind --tool=callgrind --callgrind-out-file=/dev/null "$bin" "$routers" "$1" 2>&1 |
        awk '/Collected :/ { print $4 }'
}
a=$(count "$n")
b=$(count $((2 * n)))
hops=$(( n * 2 * (routers + 1) ))
echo "$routers routers: $(( (b - a) / hops )) instructions per hop ($hops hops between runs)"
