#!/usr/bin/env bash
# The DESIGN.md targets, measured as paired, interleaved rounds: each round
# runs every benchmark the targets need once, one after the other, so that
# load from other processes on a shared machine falls on all of them alike
# rather than on whichever peer ran during a burst (go test -count N runs a
# benchmark's N runs back to back).
#
#   ./targets.sh              # 8 rounds of 300ms each, ~2 minutes
#   ROUNDS=10 BENCHTIME=1s ./targets.sh
set -euo pipefail
cd "$(dirname "$0")"
ROUNDS=${ROUNDS:-8}
BENCHTIME=${BENCHTIME:-300ms}
out=${OUT:-results-targets.txt}
pattern='(User|Create)/peer=(httprouter|kaito-nethttp|gin|echo|chi|huma|fasthttp|kaito-fasthttp|fiber-v2|fiber-v3)$'
: >"$out"
for i in $(seq "$ROUNDS"); do
  echo "round $i/$ROUNDS" >&2
  go test -tags go_json -run '^$' -bench "$pattern" -benchmem -count 1 -benchtime "$BENCHTIME" >>"$out"
done
go run ./cmd/report -in "$out" -only targets
