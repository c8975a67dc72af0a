#!/usr/bin/env bash
# Wall time and peak memory of scheduling the bundled models end to end (the transformer and
# ResNet samples, then a few of test-suite/models/torchvision and hf)
# (import, lowering, per-layer mapping search, fusion search, JSON output) on an accelerator.
# Target (issue #5): the 12-layer GPT-2 at sequence 1024 in <= 2 s on a 2-core machine.
# Usage: bench/schedule-scale.sh [ACCEL] [REPEAT]   (default tpu_like, best of 3)
# Last line: key=value pairs.
set -euo pipefail
cd "$(dirname "$0")/.."
arch=${1:-tpu_like}
repeat=${2:-3}
cargo build --release -q -p dnnc
bin=target/release/dnnc
models=(resnet18 gpt2_l2_s128 bert_base_l2_s128 llama_l2_s256 gpt2_l12_s1024
  torchvision/mobilenet_v2 torchvision/efficientnet_b0 torchvision/densenet121 torchvision/vit_b_16 torchvision/swin_t
  hf/llama3)
printf '%-30s %10s %10s %12s %14s\n' model best_s rss_mb searches latency_cycles
summary=()
for m in "${models[@]}"; do
  best=
  rss=
  for ((i = 0; i < repeat; i++)); do
    out=$( { /usr/bin/time -f '%e %M' "$bin" "test-suite/models/$m.onnx" --arch "$arch" --emit=json -o /tmp/dnnc-scale.json; } 2>&1 | tail -1)
    t=${out% *}
    kb=${out#* }
    if [[ -z $best ]] || awk "BEGIN{exit !($t < $best)}"; then best=$t; rss=$kb; fi
  done
  read -r searches latency < <(python3 -c "import json;t=json.load(open('/tmp/dnnc-scale.json'))['totals'];print(t['searches'], t['latency_cycles'])")
  printf '%-30s %10s %10.1f %12s %14.4g\n' "$m" "$best" "$(echo "$rss / 1024" | bc -l)" "$searches" "$latency"
  summary+=("${m##*/}_s=$best")
done
echo "arch=$arch ${summary[*]}"
