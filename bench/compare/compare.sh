#!/bin/bash
# dnnc vs ZigZag 3.9.1: mapping quality (both scored by ZigZag's cost model) and search time.
#
#   bench/compare/compare.sh [--workloads gemm_512x768x768,cnn_resnet18_stage1,gpt2_block]
#                            [--accels tpu_like,eyeriss_like] [--seed N] [--repeat N] [--regen-loma] [--out DIR]
#
# For every workload x accelerator:
#   1. loma.py: ZigZag's own search (LOMA lpf 6, minimal latency, spatial mapping fixed by
#      bench/zigzag/mappings/tpu_like.yaml | eyeriss_like_rs.yaml), cached in $DNNC_BENCH_WORK/compare/loma-cache/
#      under a hash of the workload, hardware and mapping files and of loma.py / zz_common.py (--regen-loma reruns);
#   2. dnnc WORKLOAD --arch ACCEL --emit=zigzag-mapping --search layerwise -o FILE [--seed N] (mappings only,
#      like ZigZag: no fusion search), its wall time measured (the release
#      binary that `cargo run --release -p dnnc` runs, built once beforehand so the build is not timed; --repeat N
#      takes the fastest of N runs; DNNC=/path/to/dnnc uses that binary instead of building);
#   3. score_mapping.py: ZigZag costs dnnc's mapping file without searching; a mapping ZigZag cannot score as given
#      makes this script fail;
#   4. dnnc --emit=json (optional): dnnc's own prediction for the same layers and, when it fuses, its fusion gain.
# Then report.py prints the table; its last line is key=value pairs (edp_ratio_geomean, edp_ratio_max,
# speedup_geomean, workloads, pairs, and fusion_gain_cnn / fusion_gain_gpt2 only when dnnc reports fused groups).
# Everything generated goes to --out (default $DNNC_BENCH_WORK/compare/latest, recreated each run; DNNC_BENCH_WORK
# defaults to ~/.cache/dnnc-bench). Progress goes to stderr, the table to stdout (also --out/table.txt).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
work=${DNNC_BENCH_WORK:-$HOME/.cache/dnnc-bench}
workloads=gemm_512x768x768,cnn_resnet18_stage1,gpt2_block
accels=tpu_like,eyeriss_like
seed=
repeat=1
regen=0
out=$work/compare/latest
while [ $# -gt 0 ]; do
  case "$1" in
    --workloads) workloads=$2; shift 2 ;;
    --accels) accels=$2; shift 2 ;;
    --seed) seed=$2; shift 2 ;;
    --repeat) repeat=$2; shift 2 ;;
    --regen-loma) regen=1; shift ;;
    --out) out=$2; shift 2 ;;
    -h|--help) sed -n '2,22p' "$0"; exit 0 ;;
    *) echo "compare.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done

log() { echo "[compare] $*" >&2; }
die() { echo "compare.sh: error: $*" >&2; exit 1; }

"$root/bench/zigzag/setup.sh"
py=$work/zigzag-venv/bin/python
wl_dir=$work/zigzag-workloads
cache=$work/compare/loma-cache
mkdir -p "$cache"
if [ -d "$out" ] && [ -n "$(ls -A "$out")" ] && [ ! -f "$out/manifest.tsv" ]; then
  die "--out $out exists and is not a compare.sh output directory; not wiping it"
fi
rm -rf "$out"
mkdir -p "$out"

# ---- the dnnc binary ----
if [ -n "${DNNC:-}" ]; then
  dnnc=$DNNC
  log "using DNNC=$dnnc"
else
  log "building dnnc (cargo build --release -p dnnc)"
  dnnc=$(cd "$root" && cargo build --release -p dnnc --message-format=json-render-diagnostics \
         | "$py" -c 'import json,sys
exe=[m["executable"] for m in map(json.loads, sys.stdin) if m.get("reason")=="compiler-artifact" and m.get("executable") and m["target"]["name"]=="dnnc"]
print(exe[-1] if exe else "")') || die "cargo build --release -p dnnc failed"
  [ -n "$dnnc" ] || die "cargo build did not report a dnnc executable"
fi
[ -x "$dnnc" ] || die "dnnc binary $dnnc is not executable"
seed_args=()
[ -n "$seed" ] && seed_args=(--seed "$seed")

now() { date +%s.%N; }
manifest=$out/manifest.tsv
printf 'workload\taccel\tloma_json\tscore_json\tdnnc_wall_s\tdnnc_json\tdnnc_mapping\n' > "$manifest"
failures=()
json_note=
IFS=, read -r -a wl_list <<< "$workloads"
IFS=, read -r -a acc_list <<< "$accels"
for wl in "${wl_list[@]}"; do
  onnx=$wl_dir/$wl.onnx
  [ -f "$onnx" ] || die "no workload $onnx (known: gemm_512x768x768, cnn_resnet18_stage1, gpt2_block)"
  for acc in "${acc_list[@]}"; do
    case "$acc" in
      tpu_like) map=$root/bench/zigzag/mappings/tpu_like.yaml ;;
      eyeriss_like) map=$root/bench/zigzag/mappings/eyeriss_like_rs.yaml ;;
      *) die "no ZigZag reference mapping for accelerator $acc (tpu_like, eyeriss_like)" ;;
    esac
    hw=$root/bench/zigzag/hw/$acc.yaml
    tag=$wl-$acc

    # 1. ZigZag LOMA (cached)
    key=$(cat "$here/loma.py" "$here/zz_common.py" "$hw" "$map" "$onnx" | sha256sum | cut -c1-12)
    loma_json=$cache/$tag-$key.json
    if [ "$regen" = 1 ] || [ ! -s "$loma_json" ]; then
      log "$tag: ZigZag LOMA search (lpf 6) ..."
      "$py" "$here/loma.py" "$onnx" "$acc" "$map" "$loma_json" --emit-mapping "${loma_json%.json}.mapping.yaml" \
        || die "$tag: loma.py failed"
    else
      log "$tag: ZigZag LOMA result cached: $loma_json"
    fi

    # 2. dnnc, timed
    mapping=$out/$tag.dnnc-mapping.yaml
    best=
    for ((i = 0; i < repeat; i++)); do
      t0=$(now)
      if ! "$dnnc" "$onnx" --arch "$acc" --emit=zigzag-mapping --search layerwise -o "$mapping" "${seed_args[@]}" \
           2> "$out/$tag.dnnc.stderr"; then
        cat "$out/$tag.dnnc.stderr" >&2
        die "$tag: dnnc $wl.onnx --arch $acc --emit=zigzag-mapping failed (stderr above, in $out/$tag.dnnc.stderr)"
      fi
      t1=$(now)
      best=$(awk -v a="$t0" -v b="$t1" -v best="$best" 'BEGIN { w = b - a; if (best == "" || w < best) best = w; printf "%.6f", best }')
    done
    [ -s "$mapping" ] || die "$tag: dnnc exited 0 but wrote no mapping file $mapping"
    log "$tag: dnnc wrote $mapping in $best s"

    # 3. ZigZag scores dnnc's mapping
    score_json=$out/$tag.dnnc-score.json
    if ! "$py" "$here/score_mapping.py" "$onnx" "$acc" "$mapping" "$score_json"; then
      failures+=("$tag: ZigZag cannot score dnnc's mapping $mapping as given (errors above and in $score_json)")
      continue
    fi

    # 4. dnnc's own view (optional)
    dnnc_json=$out/$tag.dnnc-schedule.json
    if ! "$dnnc" "$onnx" --arch "$acc" --emit=json -o "$dnnc_json" "${seed_args[@]}" 2> "$out/$tag.dnnc-json.stderr"; then
      json_note="dnnc --emit=json failed (e.g. $out/$tag.dnnc-json.stderr): no dnnc-model comparison, no fusion gain"
      rm -f "$dnnc_json"
      dnnc_json=-
    fi
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$wl" "$acc" "$loma_json" "$score_json" "$best" "$dnnc_json" "$mapping" \
      >> "$manifest"
  done
done
[ -n "$json_note" ] && log "$json_note"

status=0
if [ ${#failures[@]} -gt 0 ]; then
  "$py" "$here/report.py" "$manifest" --no-summary | tee "$out/table.txt"
  for f in "${failures[@]}"; do echo "compare.sh: error: $f" >&2; done
  echo "compare.sh: error: ${#failures[@]} dnnc mapping(s) could not be scored by ZigZag; no summary line" >&2
  exit 1
fi
"$py" "$here/report.py" "$manifest" --json "$out/summary.json" | tee "$out/table.txt" || status=$?
exit $status
