#!/usr/bin/env bash
# Cost speed, two ways:
#  1. in-process: benches/cost.rs (divan) times the engine against parsing the
#     plan into serde_json::Value. Goal: ratio <= 1.5.
#  2. whole process, as users run it: `driftcost cost breakdown --plan P
#     --format json > /dev/null` (and `--format table`) against
#     benches/yardstick/json_roundtrip.rs, which reads the same plan into
#     serde_json::Value and writes it back out. Runs alternate (A B A B ...),
#     wall time and peak RSS are the median of RUNS pairs (hyperfine is not
#     needed: GNU time reads the kernel's accounting of each finished process).
#     Goals: json wall <= 1.5x, json peak RSS <= 2x, table wall <= 1.2x.
# Usage: scripts/bench-cost.sh [--process-only] ; RUNS=N (default 9).
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-9}

to_ms() { # "12.3 ms" / "850 µs" / "1.2 s" -> milliseconds
  awk -v v="$1" -v u="$2" 'BEGIN { f = (u=="s") ? 1000 : (u=="ms") ? 1 : (u=="µs"||u=="us") ? 0.001 : (u=="ns") ? 0.000001 : 0; printf "%.3f", v*f }'
}

if [[ "${1:-}" != "--process-only" ]]; then
  out=$(cargo bench --bench cost 2>/dev/null | tee /dev/stderr)
  median() { # column 4 of divan's table is the median
    echo "$out" | grep -E "$1" | awk -F'│' '{print $3}' | awk '{print $1, $2}'
  }
  read -r pv pu <<<"$(median parse_value_baseline)"
  read -r cv cu <<<"$(median 'cost_plan_end_to_end  ')"
  read -r tv tu <<<"$(median cost_plan_end_to_end_with_teardown)"
  read -r lv lu <<<"$(median pricing_table_load)"
  p=$(to_ms "$pv" "$pu"); c=$(to_ms "$cv" "$cu"); l=$(to_ms "$lv" "$lu"); t=$(to_ms "$tv" "$tu")
  echo "parse to serde_json::Value (median): ${p} ms"
  echo "cost end to end (median):            ${c} ms"
  echo "cost end to end + teardown (median): ${t} ms"
  echo "pricing table load (median):         ${l} ms"
  awk -v c="$c" -v p="$p" 'BEGIN { printf "ratio cost/parse: %.2fx (goal <= 1.5x)\n", c/p }'
  awk -v t="$t" -v p="$p" 'BEGIN { printf "ratio with teardown: %.2fx (the parse frees its Value outside the clock)\n", t/p }'
fi

# --- whole process, as users run it
cargo build --quiet --profile bench --bin driftcost --example json_roundtrip --bench cost
bench_bin=$(find target/release/deps -maxdepth 1 -type f -executable -name 'cost-*' -newer Cargo.toml | head -n1)
DRIFTCOST_BENCH_ONCE=none "$bench_bin" >/dev/null # writes the generated plan
plan="${TMPDIR:-/tmp}/driftcost-bench/plan-10k.json"
[[ -s "$plan" ]] || { echo "generated plan $plan missing" >&2; exit 1; }
driftcost=target/release/driftcost
yardstick=target/release/examples/json_roundtrip
[[ -x "$driftcost" && -x "$yardstick" ]] || { echo "bench binaries not built" >&2; exit 1; }

# one run: prints "wall_seconds peak_kb"; the command's stdout goes to /dev/null
measure() {
  local tf; tf=$(mktemp)
  /usr/bin/time -f '%e %M' -o "$tf" "$@" >/dev/null
  cat "$tf"; rm -f "$tf"
}
median_of() { sort -g | awk '{ a[NR] = $1 } END { if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

compare() { # label, then the driftcost arguments
  local label=$1; shift
  local wa=() ma=() wb=() mb=() ratios=() i
  measure "$driftcost" "$@" >/dev/null; measure "$yardstick" "$plan" >/dev/null # warm-up
  for ((i = 0; i < RUNS; i++)); do
    read -r w m <<<"$(measure "$driftcost" "$@")"; wa+=("$w"); ma+=("$m")
    read -r w2 m2 <<<"$(measure "$yardstick" "$plan")"; wb+=("$w2"); mb+=("$m2")
    ratios+=("$(awk -v a="$w" -v b="$w2" 'BEGIN { printf "%.4f", (b > 0) ? a / b : 0 }')")
  done
  local mwa mwb mma mmb mr
  mwa=$(printf '%s\n' "${wa[@]}" | median_of); mwb=$(printf '%s\n' "${wb[@]}" | median_of)
  mma=$(printf '%s\n' "${ma[@]}" | median_of); mmb=$(printf '%s\n' "${mb[@]}" | median_of)
  mr=$(printf '%s\n' "${ratios[@]}" | median_of)
  printf '%-7s driftcost %6.3f s %7.1f MB | json_roundtrip %6.3f s %7.1f MB | wall %.2fx (pairwise median %.2fx), peak RSS %.2fx\n' \
    "$label" "$mwa" "$(awk -v k="$mma" 'BEGIN{print k/1024}')" "$mwb" "$(awk -v k="$mmb" 'BEGIN{print k/1024}')" \
    "$(awk -v a="$mwa" -v b="$mwb" 'BEGIN{print a/b}')" "$mr" "$(awk -v a="$mma" -v b="$mmb" 'BEGIN{print a/b}')" >&2
  # for the summary line: pairwise wall ratio and peak RSS ratio
  echo "$mr $(awk -v a="$mma" -v b="$mmb" 'BEGIN{printf "%.2f", a/b}')"
}
echo "whole process on $plan ($(du -h "$plan" | cut -f1)), $RUNS alternating runs, medians:"
read -r json_wall json_rss < <(compare json cost breakdown --plan "$plan" --format json)
read -r table_wall _ < <(compare table cost breakdown --plan "$plan" --format table)
printf 'ratios (driftcost / json_roundtrip): json wall %.2fx (goal <= 1.5x), json peak RSS %.2fx (goal <= 2x), table wall %.2fx (goal <= 1.2x)\n' \
  "$json_wall" "$json_rss" "$table_wall"
