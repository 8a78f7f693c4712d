#!/usr/bin/env bash
# Loopback load test: scenarios 1 (GET /users/42) and 2 (POST /users, with
# post.lua) for every peer. Each peer's server (cmd/server) listens on its own
# 127.0.0.1 port; wrk drives them for a fixed time at a fixed concurrency, in
# ROUNDS interleaved rounds (peer after peer, then again), so that load from
# other processes falls on every peer alike; the table shows, per peer and
# scenario, the round with the median requests/s. Every server this script
# starts is killed when it exits.
#
#   ./load.sh                         # every peer, ~4 minutes
#   ./load.sh kaito-nethttp gin       # some peers
#   ROUNDS=5 DURATION=5s CONNS=64 ./load.sh
#
# When taskset is there and the machine has 2 CPUs or more, the servers run
# on CPU 0 and wrk on CPU 1, so that the load generator does not take the
# server's CPU.
set -euo pipefail
cd "$(dirname "$0")"

DURATION=${DURATION:-3s}
ROUNDS=${ROUNDS:-3}
CONNS=${CONNS:-32}
THREADS=${THREADS:-1}
BASE_PORT=${BASE_PORT:-18080}

if ! command -v wrk >/dev/null; then
  echo "wrk not found: installing the Debian package" >&2
  apt-get update -qq && apt-get install -y -qq wrk >/dev/null
fi
if ! command -v curl >/dev/null; then
  apt-get update -qq && apt-get install -y -qq curl >/dev/null
fi

work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

echo "building cmd/server (-tags go_json)" >&2
go build -tags go_json -o "$work/server" ./cmd/server

server_cpu=() wrk_cpu=()
if command -v taskset >/dev/null && [ "$(nproc)" -ge 2 ]; then
  server_cpu=(taskset -c 0) wrk_cpu=(taskset -c 1)
fi

peers=("$@")
[ ${#peers[@]} -gt 0 ] || mapfile -t peers < <("$work/server" -list)

body='{"name":"Gopher McGopherface","email":"gopher@example.com","age":13,"city":"Mountain View","bio":"Writes routers, reads RFCs, benchmarks twice.","tags":["go","http","json","router"],"newsletter":true}'

# Start every server, and check that it answers both scenarios correctly.
declare -A addr
up=()
port=$BASE_PORT
for peer in "${peers[@]}"; do
  port=$((port + 1))
  a=127.0.0.1:$port
  "${server_cpu[@]}" "$work/server" -peer "$peer" -addr "$a" >"$work/$peer.log" 2>&1 &
  pids+=("$!")
  ready=
  for _ in $(seq 50); do # at most 5 s
    if curl -fsS --max-time 1 -o /dev/null "http://$a/users/42" 2>/dev/null; then ready=1; break; fi
    sleep 0.1
  done
  if [ -z "$ready" ]; then
    echo "$peer: did not start; left out. Log:" >&2; cat "$work/$peer.log" >&2
    continue
  fi
  # $(<file) drops a trailing newline, which json.Encoder-based peers send.
  code=$(curl -sS --max-time 2 -o "$work/body" -w '%{http_code}' "http://$a/users/42")
  got=$(<"$work/body")
  [ "$code $got" = '200 {"id":42,"name":"gopher"}' ] || { echo "$peer: GET /users/42 answered $code $got; left out" >&2; continue; }
  code=$(curl -sS --max-time 2 -o "$work/body" -w '%{http_code}' -H 'Content-Type: application/json' -d "$body" "http://$a/users")
  got=$(<"$work/body")
  [ "$code $got" = "201 $body" ] || { echo "$peer: POST /users answered $code $got; left out" >&2; continue; }
  addr[$peer]=$a
  up+=("$peer")
done

# run_wrk URL [wrk args...] prints "requests/s p50 p90 p99 non-2xx".
run_wrk() {
  local url=$1; shift
  local out
  out=$(timeout 60 "${wrk_cpu[@]}" wrk -t"$THREADS" -c"$CONNS" -d"$DURATION" --latency "$@" "$url" 2>&1) || true
  awk '
    /Requests\/sec:/ { rps = $2 }
    /^ +50%/ { p50 = $2 } /^ +90%/ { p90 = $2 } /^ +99%/ { p99 = $2 }
    /Non-2xx or 3xx responses:/ { bad = $NF }
    END { printf "%s %s %s %s %s\n", rps ? rps : 0, p50 ? p50 : "-", p90 ? p90 : "-", p99 ? p99 : "-", bad ? bad : 0 }
  ' <<<"$out"
}

runs=$work/runs.txt
: >"$runs"
for round in $(seq "$ROUNDS"); do
  echo "round $round/$ROUNDS: ${#up[@]} servers × 2 scenarios × $DURATION" >&2
  for peer in "${up[@]}"; do
    echo "$peer GET $(run_wrk "http://${addr[$peer]}/users/42")" >>"$runs"
    echo "$peer POST $(run_wrk "http://${addr[$peer]}/users" -s post.lua)" >>"$runs"
  done
done

echo "wrk -t$THREADS -c$CONNS -d$DURATION, $ROUNDS rounds; the round with the median requests/s"
printf '%-16s %-5s %12s %22s %10s %10s %10s %8s\n' peer case "requests/s" "(min–max of rounds)" p50 p90 p99 non-2xx
for peer in "${up[@]}"; do
  for sc in GET POST; do
    grep "^$peer $sc " "$runs" | sort -k3,3 -g | awk -v n="$ROUNDS" '
      { rps[NR] = $3; line[NR] = $0 }
      END {
        m = int((NR + 1) / 2); split(line[m], f, " ")
        printf "%-16s %-5s %12.0f %22s %10s %10s %10s %8s\n", f[1], f[2], f[3], sprintf("(%.0f–%.0f)", rps[1], rps[NR]), f[4], f[5], f[6], f[7]
      }'
  done
done
