#!/usr/bin/env python3
"""Fail a CI check when plans raise the monthly bill by more than a limit.

    cost_gate.py LIMIT_USD REPORT.json [REPORT.json ...]

LIMIT_USD `none` only prints the total. Each REPORT is `driftcost cost diff --format json` output (contract version 1, see
src/output/JSON.md). Their `diffTotalMonthlyCost` values are added up as exact decimals
(never floats) and compared with LIMIT_USD. Exit 0 within the limit, 2 above it, 1 on bad
input (the message names the file and what to do). Resources driftcost could not price are
listed, so an unknown cost is never read as $0.
"""

import decimal
import json
import sys

D = decimal.Decimal


def main(argv):
    if len(argv) < 3:
        print("usage: cost_gate.py LIMIT_USD REPORT.json [REPORT.json ...]", file=sys.stderr)
        return 1
    try:
        limit = None if argv[1] == "none" else D(argv[1])
        if limit is not None and not limit.is_finite():
            raise decimal.InvalidOperation
    except decimal.InvalidOperation:
        print(f"error: limit {argv[1]!r} is not a decimal amount in USD, e.g. 250 or 99.50",
              file=sys.stderr)
        return 1
    total = D(0)
    unpriced = []
    for path in argv[2:]:
        try:
            with open(path, encoding="utf-8") as f:
                report = json.load(f)
        except (OSError, ValueError) as e:
            print(f"error: {path}: {e}; pass the output of `driftcost cost diff --format json`",
                  file=sys.stderr)
            return 1
        if not isinstance(report, dict) or report.get("version") != "1":
            print(f"error: {path}: not a driftcost cost report of version \"1\"; pass the "
                  "output of `driftcost cost diff --format json`", file=sys.stderr)
            return 1
        raw = report.get("diffTotalMonthlyCost")
        try:
            diff = D(raw)
        except (decimal.InvalidOperation, TypeError):
            print(f"error: {path}: diffTotalMonthlyCost is {raw!r}, not a decimal string",
                  file=sys.stderr)
            return 1
        print(f"{path}: {diff:+} USD/month")
        total += diff
        for project in report.get("projects") or []:
            unpriced.extend(project.get("unsupportedResources") or [])
    print(f"total: {total:+} USD/month" + ("" if limit is None else f" (limit +{limit})"))
    if unpriced:
        print(f"not priced (unknown cost, not $0): {', '.join(sorted(set(unpriced)))}")
    if limit is not None and total > limit:
        print(f"cost gate failed: the monthly bill rises by {total} USD, more than {limit}",
              file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
