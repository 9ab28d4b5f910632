#!/usr/bin/env bash
# Fleet report time and peak memory on a generated store: 1,000 workspaces ×
# 90 days of runs (4 scans a day: 360,000 runs; drift comes and goes, about a
# third of the runs carry 1-3 drift items), SQLite.
#   scripts/bench-report.sh [--workspaces N] [--days D] [--per-day K]
# Reports read the drift episodes kept as runs complete (migration 0009).
# Uses $DRIFTCOST, else target/release/driftcost, else a debug build (slower:
# say which in any figure you quote). Prints seconds and peak RSS per format.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"; cd "$root"
workspaces=1000 days=90 per_day=4
while [[ $# -gt 0 ]]; do
  case "$1" in
    --workspaces) workspaces=$2; shift 2 ;;
    --days) days=$2; shift 2 ;;
    --per-day) per_day=$2; shift 2 ;;
    *) echo "usage: $0 [--workspaces N] [--days D] [--per-day K]" >&2; exit 1 ;;
  esac
done
bin="${DRIFTCOST:-}"
if [[ -z "$bin" ]]; then
  if [[ -x target/release/driftcost ]]; then bin="$root/target/release/driftcost"; else
    cargo build --quiet --bin driftcost
    bin="$root/target/debug/driftcost"
  fi
fi
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
store="$tmp/driftcost.db"
# The real schema, made by driftcost itself.
"$bin" token create --store "$store" --role read --label bench >/dev/null 2>&1
start=$(date +%s.%N)
python3 - "$store" "$workspaces" "$days" "$per_day" <<'PY'
import json, random, sqlite3, sys
from datetime import datetime, timedelta, timezone
path, n_ws, days, per_day = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
rnd = random.Random(42)
db = sqlite3.connect(path)
db.execute("PRAGMA synchronous = OFF")
now = datetime.now(timezone.utc)
t0 = now - timedelta(days=days)
types = ["aws_instance", "aws_security_group", "aws_s3_bucket", "aws_db_instance", "aws_lb", "aws_iam_role"]
paths = ["tags.owner", "tags.team", "instance_type", "ingress[0].cidr_blocks[0]", "versioning[0].enabled", "allocated_storage"]
def ts(t): return t.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
run_id, runs, items = 0, [], []
step = timedelta(hours=24 / per_day)
for w in range(n_ws):
    ws = f"ws-{w:04d}"
    open_fps = {}
    t = t0 + timedelta(minutes=rnd.randrange(60))
    while t < now:
        run_id += 1
        status = "succeeded" if rnd.random() > 0.03 else rnd.choice(["failed", "timed_out"])
        if status == "succeeded":
            if rnd.random() < 0.02:  # new drift
                fp = f"{ws}-{run_id}"
                open_fps[fp] = (rnd.choice(types), rnd.sample(paths, rnd.randint(1, 2)))
            if open_fps and rnd.random() < 0.05:  # someone fixed one
                open_fps.pop(rnd.choice(list(open_fps)))
        drift = list(open_fps.items())[:3] if status == "succeeded" else []
        cost = None
        if drift and rnd.random() > 0.1:
            cost = f"{rnd.randint(1, 50000) / 100:.2f}"
        runs.append((run_id, ws, "schedule", status, ts(t), ts(t), ts(t + timedelta(seconds=40)),
                     40000, len(drift), cost))
        for seq, (fp, (rtype, ps)) in enumerate(drift):
            item = json.dumps({"address": f"{rtype}.r{seq}", "resource_type": rtype, "name": f"r{seq}",
                               "kind": "changed", "cause": "changed_outside_terraform",
                               "changes": [{"path": p, "before": "a", "after": "b", "sensitive": False,
                                            "fingerprint": fp + p} for p in ps], "fingerprint": fp})
            items.append((run_id, seq, f"{rtype}.r{seq}", rtype, "changed", fp, item))
        t += step
db.executemany("INSERT INTO runs (id, workspace, triggered_by, status, queued_at, started_at, finished_at, duration_ms, drift_count, cost_delta) VALUES (?,?,?,?,?,?,?,?,?,?)", runs)
db.executemany("INSERT INTO drift_items (run_id, seq, address, resource_type, kind, fingerprint, item) VALUES (?,?,?,?,?,?,?)", items)
db.commit()
print(f"generated {len(runs)} runs, {len(items)} drift items over {n_ws} workspaces × {days} days", file=sys.stderr)
PY
echo "generation: $(echo "$(date +%s.%N) - $start" | bc) s; store $(du -h "$store" | cut -f1)"
echo "binary: $bin"
# The runs above were written around driftcost, so nothing folded them into
# drift episodes as they completed (the worker does, in the same transaction);
# the first report folds them once, as after upgrading a store. Timed apart.
/usr/bin/time -f "%e %M" -o "$tmp/time" "$bin" report --store "$store" --since "${days}d" \
  --format json --out "$tmp/first.json"
read -r secs kb <"$tmp/time"
printf 'first report (folds %s runs once) %6.2f s  peak RSS %5d MB\n' "$((workspaces * days * per_day))" "$secs" $((kb / 1024))
for fmt in json table csv parquet html; do
  out="$tmp/report.$fmt"
  /usr/bin/time -f "%e %M" -o "$tmp/time" "$bin" report --store "$store" --since "${days}d" \
    --format "$fmt" --out "$out"
  read -r secs kb <"$tmp/time"
  printf 'report --format %-8s %6.2f s  peak RSS %5d MB  (%s)\n' "$fmt" "$secs" $((kb / 1024)) "$(du -h "$out" | cut -f1)"
done
