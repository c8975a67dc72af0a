#!/usr/bin/env bash
# FADiff against its baselines at an equal evaluation budget (issue #5): random search in the
# space FADiff searches (ZigZag's greedy allocation of loops to memories) and in the raw space
# (loops cut at fixed level boundaries, as DOSA's random baseline samples), and exhaustive
# search where a layer is small enough (<= 3M points). Layers: the MAC layers of GEMM
# 512x768x768, ResNet-18 stage 1 and the GPT-2 block, on tpu_like and eyeriss_like.
# Usage: bench/search-baselines.sh [--quick]   (--quick: the small layers only)
# Last line: key=value pairs (ratios are random EDP / FADiff EDP: > 1 means FADiff is better).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo run --release -q -p dnnc-search --example baselines -- "$@"
