#!/bin/bash
# ZigZag fidelity harness: dnnc's analytical cost model (crates/cost) vs ZigZag 3.9.1, mapping by mapping.
#
#   bench/zigzag/fidelity.sh [--per-layer N] [--seed S] [--arch tpu_like,eyeriss_like] [--regen] [-- ARGS...]
#
# 1. setup.sh: venv with zigzag-dse 3.9.1 + reference workloads in $DNNC_BENCH_WORK (default ~/.cache/dnnc-bench);
# 2. gen_records.py once per (seed, count, arch list, generator/hardware/mapping file contents): the records are
#    cached in $DNNC_BENCH_WORK/zigzag-records/ (--regen forces a rebuild) and checked with check_records.py;
# 3. cargo run --release -p dnnc-cost --example zigzag_fidelity -- --records FILE --hw bench/zigzag/hw [ARGS...]
#    whose exit status is this script's exit status.
# Defaults: 40 random mappings per layer and accelerator, seed 1 (14 layers x 2 accelerators = 1120 records,
# plus 28 LOMA reference records). Progress goes to stderr.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
work=${DNNC_BENCH_WORK:-$HOME/.cache/dnnc-bench}
per_layer=40
seed=1
arch=tpu_like,eyeriss_like
regen=0
extra=()
while [ $# -gt 0 ]; do
  case "$1" in
    --per-layer) per_layer=$2; shift 2 ;;
    --seed) seed=$2; shift 2 ;;
    --arch) arch=$2; shift 2 ;;
    --regen) regen=1; shift ;;
    --) shift; extra=("$@"); break ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    *) echo "fidelity.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done

log() { echo "[fidelity] $*" >&2; }

log "setup ($work)"
"$here/setup.sh"
py=$work/zigzag-venv/bin/python

# cache key: everything that determines the records' content
key=$(cat "$here/gen_records.py" "$here"/hw/*.yaml "$here"/mappings/*.yaml "$here/make_workloads.py" \
      | sha256sum | cut -c1-12)
rec_dir=$work/zigzag-records
records=$rec_dir/records-seed${seed}-n${per_layer}-${arch//,/+}-${key}.jsonl
mkdir -p "$rec_dir"
if [ "$regen" = 1 ] || [ ! -s "$records" ]; then
  log "generating records: --per-layer $per_layer --seed $seed --arch $arch -> $records"
  t0=$(date +%s)
  "$py" "$here/gen_records.py" --out "$records" --per-layer "$per_layer" --seed "$seed" --arch "$arch" \
    --workload-dir "$work/zigzag-workloads" --stats "${records%.jsonl}.stats.json"
  log "records generated in $(( $(date +%s) - t0 )) s"
else
  log "using cached records $records"
fi
log "checking records"
python3 "$here/check_records.py" "$records" >&2

log "running dnnc-cost zigzag_fidelity"
cd "$root"
set +e
cargo run --release -p dnnc-cost --example zigzag_fidelity -- --records "$records" --hw "$here/hw" "${extra[@]}"
rc=$?
set -e
log "zigzag_fidelity exited with status $rc"
exit $rc
