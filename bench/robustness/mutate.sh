#!/usr/bin/env bash
# Robustness of the whole driver against malformed models: bench/robustness/mutate.py edits
# copies of bundled models (attributes, inputs, op types, dimensions, constants, nodes) and runs
# each through `dnnc` on a spatial accelerator (schedule JSON) and on the U55C (HLS). Every run
# must exit 0, or 1/2 with a message: a panic, a signal or a 120 s hang fails the bench.
#
# Creates a virtual environment with `onnx` from PyPI in a temporary directory (ONNX_VERSION
# pins it; PYTHON picks the interpreter), builds dnnc (release), and prints a table with one row
# per model and a last line `models=… mutations=… runs=… accepted=… rejected=… panics=0
# timeouts=0`. Models that crash or hang are kept in $DNNC_BENCH_WORK/robustness (default
# ~/.cache/dnnc-bench/robustness).
#
# Usage: bench/robustness/mutate.sh [--count N (default 50)] [--seed S (default 1)]
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
count=50
seed=1
while [ $# -gt 0 ]; do
  case "$1" in
    --count) count=$2; shift 2 ;;
    --seed) seed=$2; shift 2 ;;
    *) echo "usage: $0 [--count N] [--seed S]" >&2; exit 2 ;;
  esac
done
out=${DNNC_BENCH_WORK:-$HOME/.cache/dnnc-bench}/robustness
mkdir -p "$out"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/dnnc-mutate.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

"${PYTHON:-python3}" -m venv "$tmp/venv"
"$tmp/venv/bin/pip" install --quiet --disable-pip-version-check "onnx${ONNX_VERSION:+==$ONNX_VERSION}" >&2
dnnc=$(cd "$root" && cargo build --release -p dnnc --message-format=json-render-diagnostics 2>/dev/null |
  "$tmp/venv/bin/python" -c 'import json, sys
for line in sys.stdin:
    m = json.loads(line)
    if m.get("reason") == "compiler-artifact" and m.get("executable") and m["target"]["name"] == "dnnc":
        print(m["executable"])')
[ -x "$dnnc" ] || { echo "mutate.sh: cargo build did not report a dnnc executable" >&2; exit 1; }

models=(
  "$root/test-suite/models/resnet18.onnx"
  "$root/test-suite/models/gpt2_l2_s128.onnx"
  "$root/test-suite/models/llama_l2_s256.onnx"
  "$root/test-suite/models/torchvision/mobilenet_v2.onnx"
  "$root/test-suite/models/torchvision/squeezenet1_1.onnx"
  "$root/test-suite/models/hf/qwen2.onnx"
  "$root/test-suite/models/hf/t5_encoder.onnx"
)
cd "$root"
"$tmp/venv/bin/python" "$here/mutate.py" "$dnnc" "$out" "$seed" "$count" "${models[@]}" -- tpu_like:json u55c:hls
