#!/usr/bin/env bash
# Runs the IR core's criterion benchmarks (parse, print and verify on generated modules) and
# prints a table of throughputs; the last line is key=value pairs for scripts.
# Targets (issue #2): parse and print >= 1M ops/s at 50k ops; verify linear in size.
set -euo pipefail
cd "$(dirname "$0")/.."

cargo bench -p dnnc-ir --bench ir -- "$@" >&2

python3 - <<'PY'
import json, os
root = "target/criterion/ir"
rows = []
for bench in sorted(os.listdir(root)):
    for size in sorted(os.listdir(os.path.join(root, bench)), key=lambda s: int(s) if s.isdigit() else 0):
        est = os.path.join(root, bench, size, "new", "estimates.json")
        if not size.isdigit() or not os.path.exists(est):
            continue
        mean_ns = json.load(open(est))["mean"]["point_estimate"]
        ops = int(size)
        rows.append((bench, ops, mean_ns / 1e6, ops / (mean_ns / 1e9)))
print(f"{'bench':<8} {'ops':>8} {'mean ms':>10} {'ops/s':>14}")
for bench, ops, ms, rate in rows:
    print(f"{bench:<8} {ops:>8} {ms:>10.2f} {rate:>14,.0f}")
pairs = " ".join(f"{b}_{n}_ops_per_s={r:.0f}" for b, n, _, r in rows)
verify = {n: ms for b, n, ms, _ in rows if b == "verify"}
if 10000 in verify and 100000 in verify:
    pairs += f" verify_100k_over_10k={verify[100000] / verify[10000]:.1f}"
if 100000 in verify and 300000 in verify:
    pairs += f" verify_300k_over_100k={verify[300000] / verify[100000]:.2f}"
print(pairs)
PY
