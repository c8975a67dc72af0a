#!/bin/bash
# ZigZag fidelity harness: Python environment and reference workloads.
#   $DNNC_BENCH_WORK/zigzag-venv      Python 3 venv with zigzag-dse 3.9.1 (+ six, onnx)
#   $DNNC_BENCH_WORK/zigzag-workloads gemm_512x768x768.onnx, cnn_resnet18_stage1.onnx, gpt2_block.onnx
# DNNC_BENCH_WORK defaults to ~/.cache/dnnc-bench. Idempotent: an existing venv / workload set is reused.
# zigzag-dse 3.9.1 imports `six` without declaring it, hence the explicit pin.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
work=${DNNC_BENCH_WORK:-$HOME/.cache/dnnc-bench}
venv=$work/zigzag-venv
wl=$work/zigzag-workloads
mkdir -p "$work"
pins=(zigzag-dse==3.9.1 six==1.17.0 onnx==1.23.2)
stamp=$venv/.dnnc-pins
if [ ! -x "$venv/bin/python" ]; then
  echo "[setup] creating $venv" >&2
  python3 -m venv "$venv"
fi
if [ "$(cat "$stamp" 2>/dev/null)" != "${pins[*]}" ]; then
  echo "[setup] installing ${pins[*]}" >&2
  "$venv/bin/pip" install -q --disable-pip-version-check "${pins[@]}"
  echo "${pins[*]}" > "$stamp"
fi
if [ ! -f "$wl/.done" ] || [ "$here/make_workloads.py" -nt "$wl/.done" ]; then
  echo "[setup] building workloads in $wl" >&2
  "$venv/bin/python" "$here/make_workloads.py" --out "$wl" >&2
  touch "$wl/.done"
fi
