#!/usr/bin/env bash
# Dataflow (StreamTensor-style) designs of LLM prefill on an FPGA board, measured with the
# stream model and the discrete-event simulator.
#
# For each model: dnnc's dataflow pipeline (convert-to-dataflow, insert-layout-converters,
# insert-dma, partition-dataflow, allocate-resources, size-fifos) for the board, then per
# sequential region the analytic models (paced schedule = the FIFO LP's schedule and an upper
# bound; flow estimate = firing curves with back-pressure) and the simulator with the LP's
# FIFO depths (crates/sim/examples/dataflow_bench.rs). Columns:
#   latency      flow-estimate latency of one prefill (all regions + region switches)
#   sim          simulated latency; err = |sim - model| / model
#   tok/s        prompt tokens / latency
#   on-chip      kernel buffers + FIFOs of every distinct region design, MB (whole BRAM/URAM
#                blocks): one bitstream holds them all
#   roofline     board roofline bound (max(MACs / DSP peak, HBM bytes / bandwidth)) / latency,
#                peak = all DSPs of the board / DSPs per MAC of the design's datatype, HBM
#                bytes = the network's compulsory traffic (inputs, weights, outputs once)
#   fifo+conv    on-chip FIFO bytes (streams not straight from HBM) + converter buffers, MB
#   dbuf         full-tensor double buffering of every tensor a compute kernel streams, MB
#   ratio        fifo+conv / dbuf
#   designs      distinct region designs: the pipeline allocates one bitstream
#                (allocate-resources' default, regions=resident): every distinct design on the
#                fabric at once, identical regions (repeated layers) sharing one instance, the
#                budget split between the distinct designs
#   ts_ms ts_rf  what-if: every region on the whole share (regions=time-shared), the bound of
#                a fabric that swaps region designs in 10 us: latency, roofline
#   pipe_ms pipe_rf  the same bitstream with each distinct design working on another request
#                (regions=pipelined, its own allocation, HBM bandwidth split too): period
#                between requests (stream model) and the roofline at that throughput; the
#                stderr line adds a request's latency, requests in flight and the simulator's
#                period
# Last line: key=value for GPT-2 prefill at sequence 1024.
#
# Usage: bench/dataflow/run.sh [--board u55c] [--fraction F]   (from the repository root)
set -euo pipefail
cd "$(dirname "$0")/../.."

board=u55c
extra=()
while [ $# -gt 0 ]; do
  case "$1" in
    --board) board="$2"; shift 2 ;;
    --fraction) extra+=(--fraction "$2"); shift 2 ;;
    *) echo "usage: $0 [--board NAME] [--fraction F]" >&2; exit 2 ;;
  esac
done

cargo build --release -q -p dnnc-sim --features pipeline --example dataflow_bench
bin=target/release/examples/dataflow_bench

models=(
  "gpt2_l2_s128 128"
  "gpt2_l12_s1024 1024"
  "llama_l2_s256 256"
)

get() { tr ' ' '\n' <<<"$2" | awk -F= -v k="$1" '$1 == k { print $2 }'; }

printf '%-16s %6s %4s %11s %11s %9s %8s %8s %9s %10s %7s %7s %5s %7s %10s %6s %10s %7s\n' \
  model tokens regs latency_ms sim_ms tok/s onchipMB roofline fifo+cMB dbufMB ratio err dlock designs ts_ms ts_rf pipe_ms pipe_rf
last=""
for entry in "${models[@]}"; do
  read -r name tokens <<<"$entry"
  line=$("$bin" "test-suite/models/$name.onnx" --tokens "$tokens" --board "$board" "${extra[@]}")
  fc=$(awk -v a="$(get fifo_mb "$line")" -v b="$(get converter_mb "$line")" 'BEGIN { printf "%.3f", a + b }')
  printf '%-16s %6s %4s %11s %11s %9s %8s %8s %9s %10s %7s %7s %5s %7s %10s %6s %10s %7s\n' \
    "$name" "$tokens" "$(get regions "$line")" "$(get latency_ms "$line")" "$(get sim_latency_ms "$line")" \
    "$(get tokens_per_s "$line")" "$(get onchip_mb "$line")" "$(get roofline_fraction "$line")" "$fc" \
    "$(get double_buffer_mb "$line")" "$(get fifo_bytes_ratio "$line")" "$(get sim_vs_model_err "$line")" \
    "$(get deadlocks "$line")" "$(get distinct_designs "$line")" "$(get time_shared_latency_ms "$line")" \
    "$(get time_shared_roofline_fraction "$line")" "$(get pipelined_period_ms "$line")" \
    "$(get pipelined_roofline_fraction "$line")"
  echo "  $name: paced bound $(get paced_latency_ms "$line") ms (sim vs paced $(get sim_vs_paced_err "$line")), $(get gmacs "$line") GMAC, HBM $(get hbm_mb "$line") MB moved (compulsory $(get compulsory_hbm_mb "$line") MB), memory_bound=$(get memory_bound "$line"), $(get kernels "$line") kernels, sim $(get sim_events "$line") events in $(get sim_s "$line") s" >&2
  echo "  $name pipelined: period $(get pipelined_period_ms "$line") ms (sim $(get pipelined_sim_period_ms "$line") ms, err $(get pipelined_sim_vs_model_err "$line")), a request $(get pipelined_request_latency_ms "$line") ms, $(get pipelined_in_flight "$line") in flight, $(get pipelined_tokens_per_s "$line") tok/s, DSP $(get pipelined_dsp "$line"), HBM $(get pipelined_hbm_gbps "$line") GB/s, deadlocks $(get pipelined_deadlocks "$line")" >&2
  if [ "$name" = gpt2_l12_s1024 ]; then last=$line; fi
done
echo "board=$board model=gpt2_l12_s1024 roofline_fraction=$(get roofline_fraction "$last") fifo_bytes_ratio=$(get fifo_bytes_ratio "$last") sim_vs_model_err=$(get sim_vs_model_err "$last") deadlocks=$(get deadlocks "$last") latency_ms=$(get latency_ms "$last") sim_latency_ms=$(get sim_latency_ms "$last") tokens_per_s=$(get tokens_per_s "$last") onchip_mb=$(get onchip_mb "$last") sim_vs_paced_err=$(get sim_vs_paced_err "$last") distinct_designs=$(get distinct_designs "$last") time_shared_latency_ms=$(get time_shared_latency_ms "$last") time_shared_roofline_fraction=$(get time_shared_roofline_fraction "$last") pipelined_roofline_fraction=$(get pipelined_roofline_fraction "$last") pipelined_period_ms=$(get pipelined_period_ms "$last") pipelined_tokens_per_s=$(get pipelined_tokens_per_s "$last") pipelined_request_latency_ms=$(get pipelined_request_latency_ms "$last") pipelined_sim_vs_model_err=$(get pipelined_sim_vs_model_err "$last") pipelined_deadlocks=$(get pipelined_deadlocks "$last")"
