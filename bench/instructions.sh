#!/usr/bin/env bash
# Instructions per operation of the library's own side-by-side benchmarks
# (GET /users/:id and the typed POST, kaito beside the hand-written
# handlers), counted by valgrind's callgrind. Unlike ns/op, the counts do
# not move with the load of a shared machine, so small ratios can be read.
# Each count is the difference of two runs (60000 and 10000 operations),
# which cancels start-up.
#
#   bench/instructions.sh
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v valgrind >/dev/null; then
  apt-get update -qq && apt-get install -y -qq valgrind >/dev/null
fi
bin=$(mktemp -d)/kaito.test
go test -c -o "$bin" .
ir() {
  # Go's asynchronous preemption signals upset callgrind: turn it off.
  GODEBUG=asyncpreemptoff=1 valgrind --tool=callgrind --callgrind-out-file=/dev/null "$bin" \
    -test.run '^$' -test.bench "$1" -test.benchtime "${2}x" -test.cpu 1 2>&1 | awk '/Collected/ {print $4}'
}
printf '%-34s %12s\n' benchmark instructions/op
for b in GetUser/handwritten GetUser/kaito GetUserFastHTTP/handwritten GetUserFastHTTP/kaito PostUser/handwritten PostUser/kaito; do
  pattern="^Benchmark${b%%/*}\$/^${b##*/}\$"
  a=$(ir "$pattern" 10000)
  z=$(ir "$pattern" 60000)
  printf '%-34s %12d\n' "$b" $(( (z - a) / 50000 ))
done
