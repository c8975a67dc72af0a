#!/usr/bin/env bash
# FADiff against its baselines (issue #5), in two tables; see bench/search-baselines.md.
# 1. Random search at FADiff's own evaluation budget, in the space FADiff searches (ZigZag's
#    greedy allocation of loops to memories) and in the raw space (loops cut at fixed level
#    boundaries, as DOSA's random baseline samples; also at 100x the budget). Layers: two small
#    ones and the MAC layers of GEMM 512x768x768, ResNet-18 stage 1 and the GPT-2 block.
# 2. Exhaustive search (every distinct mapping of the space FADiff searches: its true optimum)
#    on 6 small layers (GEMMs, a per-head batched matmul, 3x3 convolutions), FADiff with its
#    default options and seed; points, points scored, optimum, FADiff / optimum, wall times.
# Both on tpu_like and eyeriss_like. About 3-4 min of CPU (2 cores: ~2-3 min when idle, ~8 min
# under a load of 6).
# Usage: bench/search-baselines.sh [--quick] [--all]
#   --quick: table 1 without the reference layers; --all: table 2 adds two 3x3 convolutions
#   with 11-17 M points each (several minutes each).
# Last line: key=value pairs (random_over_fadiff: random EDP / FADiff EDP, > 1 means FADiff is
# better; fadiff_over_exhaustive: FADiff EDP / the optimum, 1 means FADiff found it).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo run --release -q -p dnnc-search --example baselines -- "$@"
