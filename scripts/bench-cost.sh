#!/usr/bin/env bash
# Runs benches/cost.rs (release) and prints costing time / parse time.
# Goal from the cost-engine issue: ratio <= 1.5.
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(cargo bench --bench cost 2>/dev/null | tee /dev/stderr)
to_ms() { # "12.3 ms" / "850 µs" / "1.2 s" -> milliseconds
  awk -v v="$1" -v u="$2" 'BEGIN { f = (u=="s") ? 1000 : (u=="ms") ? 1 : (u=="µs"||u=="us") ? 0.001 : (u=="ns") ? 0.000001 : 0; printf "%.3f", v*f }'
}
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
