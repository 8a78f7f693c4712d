#!/usr/bin/env bash
# Instructions per operation of every peer in every scenario of bench/
# (the same benchmarks as results.txt), counted by valgrind's callgrind.
# Unlike ns/op, the counts do not move with the load of a shared machine,
# so small ratios can be read. Each count is the difference of two runs
# (N and 6N operations), which cancels start-up and the answer checks.
#
#   ./instructions.sh                       # every scenario, every peer (~15 minutes)
#   ./instructions.sh 'User|GitHub'         # scenarios matching a pattern
#   PEERS='kaito|httprouter' ./instructions.sh
#
# The output is a table per scenario: instructions per operation (one
# request; GitHub: all 203 requests), the ratio to the runtime's hand-written
# baseline (fasthttp/router in GitHub, as in results.txt) and to httprouter.
set -euo pipefail
cd "$(dirname "$0")"
SCENARIOS=${1:-User|Create|GitHub|ClientIP|Accepts|CreateTagged|CreatePlain}
PEERS=${PEERS:-.*}
if ! command -v valgrind >/dev/null; then
  echo "instructions.sh: needs valgrind (apt-get install valgrind)" >&2
  exit 1
fi
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
bin=$dir/bench.test
go test -c -tags go_json -o "$bin" .

# Go's asynchronous preemption signals upset callgrind, and valgrind 3.19
# cannot execute RDTSCP, which the runtime uses (in lock contention) when
# the CPU has it: both are turned off. The garbage collector is off too
# (GOGC=off) unless GOGC is set: how many collections fall into a run moves
# a count by up to 15%, so with it the counts do not repeat. They are then
# the request's own work, allocating included; what the collector spends
# on those allocations later shows in ns/op (and allocs/op) instead.
GOGC=${GOGC:-off}
ir() {
  GOGC=$GOGC GODEBUG=asyncpreemptoff=1,cpu.rdtscp=off valgrind --tool=callgrind --callgrind-out-file=/dev/null "$bin" \
    -test.run '^$' -test.bench "$1" -test.benchtime "${2}x" -test.cpu 1 2>&1 | awk '/Collected/ {print $4}'
}

# The peers of each scenario, as the benchmarks name them.
"$bin" -test.run '^$' -test.bench "^Benchmark($SCENARIOS)\$" -test.benchtime 1x -test.cpu 1 |
  awk '/^Benchmark/ {sub(/^Benchmark/, "", $1); print $1}' | grep -E "peer=($PEERS)\$" >"$dir/names"

while IFS=/ read -r scenario peer; do
  n=2000
  [ "$scenario" = GitHub ] && n=60
  a=$(ir "^Benchmark$scenario\$/^$peer\$" "$n")
  z=$(ir "^Benchmark$scenario\$/^$peer\$" $((6 * n)))
  echo "$scenario ${peer#peer=} $(((z - a) / (5 * n)))"
done <"$dir/names" >"$dir/counts"

awk '
  { ir[$1, $2] = $3; if (!($1 in seen)) { seen[$1] = 1; order[++ns] = $1 }; peers[$1] = peers[$1] " " $2 }
  END {
    fast["fasthttp"]; fast["kaito-fasthttp"]; fast["fasthttp-router"]; fast["fiber-v2"]; fast["fiber-v3"]
    for (i = 1; i <= ns; i++) {
      s = order[i]
      printf "%s\n%-18s %14s %12s %12s\n", s, "peer", "instructions/op", "x own base", "x httprouter"
      n = split(peers[s], p, " ")
      for (j = 1; j <= n; j++) {
        base = (p[j] in fast) ? (s == "GitHub" ? "fasthttp-router" : "fasthttp") : "httprouter"
        own = ((s, base) in ir) ? sprintf("%.2fx", ir[s, p[j]] / ir[s, base]) : "-"
        hr = ((s, "httprouter") in ir) ? sprintf("%.2fx", ir[s, p[j]] / ir[s, "httprouter"]) : "-"
        printf "%-18s %14d %12s %12s\n", p[j], ir[s, p[j]], own, hr
      }
      print ""
    }
  }' "$dir/counts"
