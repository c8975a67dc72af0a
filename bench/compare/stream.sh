#!/bin/bash
# dnnc's fusion gain next to Stream 2.1.1's, on the same workloads and the same single core.
#
#   bench/compare/stream.sh [--workloads gemm_512x768x768,cnn_resnet18_stage1,gpt2_block]
#                           [--accels tpu_like,eyeriss_like] [--no-quad] [--nb-spatial N] [--jobs N] [--regen]
#                           [--out DIR]
#
# Stream's published-anchor gains (ResNet-18 stage 1 4.1x, GPT-2 block 1.22x) are on `tpu_like_quad_core` (four
# tpu_like cores + pooling + SIMD, layers pipelined across cores) against Stream's layer-by-layer schedule on the
# same quad core; dnnc schedules one core. This script measures Stream's gain on the hardware dnnc schedules:
#   1. bench/zigzag/setup.sh: the fp16 workloads (as bench/compare/compare.sh uses them);
#   2. a Python >= 3.12 venv with stream-dse==2.1.1 in $DNNC_ANCHORS_WORK/stream-venv (default
#      ~/.cache/dnnc-anchors; PY312=/path/to/python3.12 picks the interpreter, else pyenv's 3.12.*, else python3 if
#      it is >= 3.12, else this script stops and says so);
#   3. 8-bit copies of the workloads (stream_run.py int8): Stream takes operand widths from the ONNX dtype, dnnc and
#      ZigZag use 8-bit operands and 16-bit partial sums, so both sides cost the same bits;
#   4. Stream on bench/compare/hw_stream/{tpu_like,eyeriss_like}_1core.yaml (dnnc's preset as one Stream core +
#      dnnc's vector unit as a second core + the DRAM as Stream's off-chip core; what had to be added and why is in
#      those files and in README.md), per-layer and auto fusion, and for the GPT-2 block also the anchors' hand
#      fusion (attention: qk..av in one group, FFN: up.gelu.down in one group), which is where the 1.22x came from;
#   5. for the record, Stream's own tpu_like_quad_core on the fp16 workloads (the anchors' setting) the same way
#      (--no-quad skips it);
#   6. dnnc WORKLOAD --arch ACCEL --emit=json (its default search: FADiff with fusion), whose totals carry the
#      layer-by-layer and the fused latency (report.py's fusion_gain);
#   7. stream_report.py: the table, last line key=value.
# Stream results are cached in $DNNC_ANCHORS_WORK/stream-cache under a hash of the workload, the system files,
# stream_run.py and the settings (--regen reruns them). Everything else goes to --out (default
# $DNNC_ANCHORS_WORK/stream/latest, recreated each run). --nb-spatial N: spatial mappings the ZigZag inside Stream
# generates per node and core on the 1-core systems, the best kept (default 3, as the anchors' ZigZag auto-SM runs;
# Stream's own default 1 keeps the first, which on tpu_like unrolls OX x OY for the 3x3 convs, starves the array
# from the SRAM port and makes each conv 4-5x slower); the quad-core rows keep Stream's 1, as the anchors ran them.
# DNNC=/path/to/dnnc uses that binary instead of building one. A first run is ~24 min of CPU in Stream (19 jobs of
# 10 s to 5 min); --jobs N runs N Stream jobs at a time (default 1). Later runs take the cached results.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
work=${DNNC_ANCHORS_WORK:-$HOME/.cache/dnnc-anchors}
workloads=gemm_512x768x768,cnn_resnet18_stage1,gpt2_block
accels=tpu_like,eyeriss_like
quad=1
nb_spatial=3
njobs=1
regen=0
out=$work/stream/latest
while [ $# -gt 0 ]; do
  case "$1" in
    --workloads) workloads=$2; shift 2 ;;
    --accels) accels=$2; shift 2 ;;
    --no-quad) quad=0; shift ;;
    --nb-spatial) nb_spatial=$2; shift 2 ;;
    --jobs) njobs=$2; shift 2 ;;
    --regen) regen=1; shift ;;
    --out) out=$2; shift 2 ;;
    -h|--help) sed -n '2,/^set -e/{/^#/p}' "$0"; exit 0 ;;
    *) echo "stream.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done

log() { echo "[stream] $*" >&2; }
die() { echo "stream.sh: error: $*" >&2; exit 1; }

# ---- 1. workloads (and the ZigZag venv, whose Python runs the report) ----
"$root/bench/zigzag/setup.sh"
zz_py=${DNNC_BENCH_WORK:-$HOME/.cache/dnnc-bench}/zigzag-venv/bin/python
wl_dir=${DNNC_BENCH_WORK:-$HOME/.cache/dnnc-bench}/zigzag-workloads

# ---- 2. the Stream venv ----
py_ok() { "$1" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' 2>/dev/null; }
py312=${PY312:-}
if [ -z "$py312" ]; then
  for cand in /root/.pyenv/versions/3.12.*/bin/python3 "$(command -v python3 || true)"; do
    if [ -n "$cand" ] && [ -x "$cand" ] && py_ok "$cand"; then py312=$cand; break; fi
  done
fi
[ -n "$py312" ] || die "stream-dse 2.1.1 needs Python >= 3.12 and none was found (tried pyenv's /root/.pyenv/versions/3.12.*, python3 = $(python3 --version 2>&1)); set PY312=/path/to/python3.12"
py_ok "$py312" || die "PY312=$py312 is not a Python >= 3.12"
venv=$work/stream-venv
pins=(stream-dse==2.1.1 onnx==1.23.2 six==1.17.0)
mkdir -p "$work"
if [ ! -x "$venv/bin/python" ]; then
  log "creating $venv with $py312"
  "$py312" -m venv "$venv"
fi
if [ "$(cat "$venv/.dnnc-pins" 2>/dev/null)" != "${pins[*]}" ]; then
  log "installing ${pins[*]}"
  "$venv/bin/pip" install -q --disable-pip-version-check "${pins[@]}" || die "pip install ${pins[*]} failed"
  echo "${pins[*]}" > "$venv/.dnnc-pins"
fi
spy=$venv/bin/python

[[ "$njobs" =~ ^[1-9][0-9]*$ ]] || die "--jobs takes a positive integer, not $njobs"
if [ -d "$out" ] && [ -n "$(ls -A "$out")" ] && [ ! -f "$out/manifest.tsv" ]; then
  die "--out $out exists and is not a stream.sh output directory; not wiping it"
fi
rm -rf "$out"
mkdir -p "$out"
cache=$work/stream-cache
mkdir -p "$cache" "$work/stream-workloads"

# ---- 3. 8-bit workloads ----
IFS=, read -r -a wl_list <<< "$workloads"
IFS=, read -r -a acc_list <<< "$accels"
for wl in "${wl_list[@]}"; do
  [ -f "$wl_dir/$wl.onnx" ] || die "no workload $wl_dir/$wl.onnx (known: gemm_512x768x768, cnn_resnet18_stage1, gpt2_block)"
  i8=$work/stream-workloads/$wl.i8.onnx
  if [ ! -s "$i8" ] || [ "$wl_dir/$wl.onnx" -nt "$i8" ] || [ "$here/stream_run.py" -nt "$i8" ]; then
    "$spy" "$here/stream_run.py" int8 "$wl_dir/$wl.onnx" "$i8" || die "$wl: making the 8-bit copy failed"
  fi
done

# ---- 4./5. Stream runs (cached) ----
manifest=$out/manifest.tsv
printf 'kind\tworkload\taccel\tsystem\tfusion\tjson\n' > "$manifest"
# the anchors' GPT-2 hand fusion: cut after these nodes only, leaving [qk_matmul..av_matmul] (with softmax and v_proj)
# and [ffn_up, gelu, ffn_down] fused
gpt2_hand=ln1,k_proj,q_proj,av_matmul,out_proj,residual1,ln2,ffn_down
stream_run() {  # kind workload accel system onnx nb_spatial fusion_name fusion_arg
  local kind=$1 wl=$2 acc=$3 sys=$4 onnx=$5 nb=$6 fname=$7 farg=$8
  local key res
  key=$( (cat "$here/stream_run.py" "$onnx" "$sys"; find "$(dirname "$sys")" -name '*.yaml' -path '*cores*' -print0 \
          | sort -z | xargs -0 cat; echo "$farg nb=$nb") | sha256sum | cut -c1-12)
  res=$cache/$wl-$acc-$fname-$key.json
  if [ "$regen" = 1 ] || [ ! -s "$res" ]; then
    while [ "$(jobs -rp | wc -l)" -ge "$njobs" ]; do wait -n; done
    log "$wl on $acc: Stream, fusion $fname ..."
    rm -f "$res"
    # a failed allocation is a result (`"ok": false`), so the exit status is not checked; a missing file is
    ("$spy" "$here/stream_run.py" run "$onnx" "$sys" "$res" --fusion "$farg" --nb-spatial "$nb" || true) &
    pending+=("$res")
  else
    log "$wl on $acc: Stream fusion $fname cached: $res"
  fi
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$kind" "$wl" "$acc" "$sys" "$fname" "$res" >> "$manifest"
}
pending=()
stream_modes() {  # kind workload accel system onnx nb_spatial
  stream_run "$@" per-layer per-layer
  stream_run "$@" auto auto
  if [ "$2" = gpt2_block ]; then stream_run "$@" attn+ffn "$gpt2_hand"; fi
}
for wl in "${wl_list[@]}"; do
  for acc in "${acc_list[@]}"; do
    sys=$here/hw_stream/${acc}_1core.yaml
    [ -f "$sys" ] || die "no Stream system for $acc ($sys); known: tpu_like, eyeriss_like"
    stream_modes stream1 "$wl" "$acc" "$sys" "$work/stream-workloads/$wl.i8.onnx" "$nb_spatial"
  done
done
if [ "$quad" = 1 ]; then
  quad_sys=$("$spy" -c 'import os, stream; print(os.path.join(os.path.dirname(stream.__file__), "inputs/examples/hardware/tpu_like_quad_core.yaml"))')
  for wl in "${wl_list[@]}"; do
    [ "$wl" = gemm_512x768x768 ] && continue  # one layer: nothing to fuse
    stream_modes stream4 "$wl" tpu_like_quad_core "$quad_sys" "$wl_dir/$wl.onnx" 1
  done
fi
wait
for res in "${pending[@]}"; do
  [ -s "$res" ] || die "stream_run.py wrote no result $res (its error is above)"
done

# ---- 6. dnnc ----
if [ -n "${DNNC:-}" ]; then
  dnnc=$DNNC
  log "using DNNC=$dnnc"
else
  log "building dnnc (cargo build --release -p dnnc)"
  dnnc=$(cd "$root" && cargo build --release -p dnnc --message-format=json-render-diagnostics \
         | "$zz_py" -c 'import json,sys
exe=[m["executable"] for m in map(json.loads, sys.stdin) if m.get("reason")=="compiler-artifact" and m.get("executable") and m["target"]["name"]=="dnnc"]
print(exe[-1] if exe else "")') || die "cargo build --release -p dnnc failed"
  [ -n "$dnnc" ] || die "cargo build did not report a dnnc executable"
fi
[ -x "$dnnc" ] || die "dnnc binary $dnnc is not executable"
for wl in "${wl_list[@]}"; do
  for acc in "${acc_list[@]}"; do
    js=$out/$wl-$acc.dnnc-schedule.json
    log "$wl on $acc: dnnc --emit=json"
    if ! "$dnnc" "$wl_dir/$wl.onnx" --arch "$acc" --emit=json -o "$js" 2> "$out/$wl-$acc.dnnc.stderr"; then
      cat "$out/$wl-$acc.dnnc.stderr" >&2
      die "$wl on $acc: dnnc --emit=json failed (stderr above, in $out/$wl-$acc.dnnc.stderr)"
    fi
    printf 'dnnc\t%s\t%s\t-\tfadiff\t%s\n' "$wl" "$acc" "$js" >> "$manifest"
    # The gain is a latency ratio: dnnc also schedules for latency alone (its default objective is EDP).
    js=$out/$wl-$acc.dnnc-latency.json
    log "$wl on $acc: dnnc --objective latency --emit=json"
    if ! "$dnnc" "$wl_dir/$wl.onnx" --arch "$acc" --objective latency --emit=json -o "$js" \
         2> "$out/$wl-$acc.dnnc-latency.stderr"; then
      cat "$out/$wl-$acc.dnnc-latency.stderr" >&2
      die "$wl on $acc: dnnc --objective latency --emit=json failed"
    fi
    printf 'dnnc-latency\t%s\t%s\t-\tfadiff\t%s\n' "$wl" "$acc" "$js" >> "$manifest"
  done
done

# ---- 7. the table ----
"$zz_py" "$here/stream_report.py" "$manifest" --json "$out/summary.json" | tee "$out/table.txt"
