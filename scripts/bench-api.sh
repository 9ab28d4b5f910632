#!/usr/bin/env bash
# Trigger latency p50/p90/p99 of the HTTP API under loopback load (benches/api.rs).
#   scripts/bench-api.sh          release build (as `cargo bench`), built-in client
#   scripts/bench-api.sh --dev    unoptimised test build: quick to build, slower per request
#   scripts/bench-api.sh --wrk [--dev]
#                                 the server alone, driven by wrk (apt install wrk) so the
#                                 load generator does not share the server's runtime
set -euo pipefail
cd "$(dirname "$0")/.."
wrk=0 dev=0
for a in "$@"; do
  case "$a" in
    --wrk) wrk=1 ;;
    --dev) dev=1 ;;
    *) echo "usage: $0 [--dev] [--wrk]" >&2; exit 1 ;;
  esac
done
profile=(--profile bench); [[ $dev == 1 ]] && profile=(--profile test)
if [[ $wrk == 0 ]]; then
  if [[ $dev == 1 ]]; then cargo test --bench api; else cargo bench --bench api; fi
  exit
fi
command -v wrk >/dev/null || { echo "wrk not found; apt-get install wrk" >&2; exit 1; }
bin=$(cargo build --bench api "${profile[@]}" --message-format=json 2>/dev/null \
  | python3 -c 'import json,sys
for l in sys.stdin:
    m = json.loads(l)
    if m.get("reason") == "compiler-artifact" and m["target"]["name"] == "api" and m.get("executable"):
        print(m["executable"])' | tail -1)
out=$(mktemp); trap 'rm -f "$out"; [[ -n "${pid:-}" ]] && kill "$pid" 2>/dev/null || true' EXIT
DRIFTCOST_BENCH_SERVE=1 "$bin" >"$out" 2>&1 & pid=$!
for _ in $(seq 100); do grep -q listening "$out" && break; sleep 0.1; done
read -r _ _ addr _ token <"$out"
lua=$(mktemp --suffix .lua)
cat >"$lua" <<LUA
wrk.method = "POST"
wrk.headers["Authorization"] = "Bearer $token"
local i = 0
request = function()
  i = i + 1
  return wrk.format(nil, string.format("/v1/workspaces/ws-%03d/scans", i % 100))
end
LUA
IFS=, read -ra levels <<<"${DRIFTCOST_BENCH_CONCURRENCY:-1,8,32,128}"
for c in "${levels[@]}"; do
  echo "== concurrency $c"
  wrk -t1 -c"$c" -d"${DRIFTCOST_BENCH_SECONDS:-10}"s --latency -s "$lua" "http://$addr" \
    | grep -E "^\s+(50|90|99)%|Requests/sec|Non-2xx"
done
rm -f "$lua"
