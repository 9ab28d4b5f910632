#!/usr/bin/env bash
# Runs benches/policy.rs and prints evaluating 20 policies on a 10,000-resource
# plan against costing the same plan. Goals (issue 13): < 1 s and < 1/5 of the cost.
# BENCH_PROFILE=dev measures an unoptimised build (no release build needed).
set -euo pipefail
cd "$(dirname "$0")/.."
profile=${BENCH_PROFILE:-bench}
# Keep the symbol table in the bench binary (release strips it) so `perf record`
# on target/<profile>/deps/policy-* names functions; it does not change speed.
export CARGO_PROFILE_BENCH_STRIP=${CARGO_PROFILE_BENCH_STRIP:-false}
out=$(cargo bench --profile "$profile" --bench policy 2>/dev/null | tee /dev/stderr)
to_ms() {
  awk -v v="$1" -v u="$2" 'BEGIN { f = (u=="s") ? 1000 : (u=="ms") ? 1 : (u=="µs"||u=="us") ? 0.001 : (u=="ns") ? 0.000001 : 0; printf "%.3f", v*f }'
}
median() { echo "$out" | grep -E "$1" | awk -F'│' '{print $3}' | awk '{print $1, $2}'; }
read -r pv pu <<<"$(median 'policy_eval_20_on_10k_plan ')"
read -r cv cu <<<"$(median cost_same_plan_end_to_end)"
p=$(to_ms "$pv" "$pu"); c=$(to_ms "$cv" "$cu")
echo "profile: $profile"
echo "20 policies on 10k resources (median): ${p} ms (goal < 1000 ms)"
echo "cost of the same plan (median):        ${c} ms"
awk -v p="$p" -v c="$c" 'BEGIN { printf "ratio policy/cost: %.2f (goal < 0.20)\n", p/c }'
