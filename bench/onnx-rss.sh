#!/usr/bin/env bash
# Peak resident memory of reading ONNX models with dnnc_onnx::read_model. Generates a model with
# ONNX_RSS_MB (default 300) MiB of inline raw_data initializers, then measures, each in its own
# process (crates/onnx/examples/onnx_rss.rs, release build; peak = VmHWM of /proc/self/status):
#   - read_model on the generated file,
#   - the naive reference that decodes from a borrowed slice and so copies every raw_data,
#   - read_model on test-suite/models/gpt2_l12_s1024.onnx (metadata only, external weights).
# Target: reading a file of N MB costs about N MB (the file buffer, which the decoded tensors
# share) plus a small overhead, not 2N. Prints a table; the last line is key=value pairs.
set -euo pipefail
cd "$(dirname "$0")/.."

mb=${ONNX_RSS_MB:-300}
cargo build --release -p dnnc-onnx --example onnx_rss >&2
bin=target/release/examples/onnx_rss
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

"$bin" generate "$tmp/inline.onnx" "$mb"
zero_copy=$("$bin" measure "$tmp/inline.onnx")
copying=$("$bin" measure-copying "$tmp/inline.onnx")
gpt2=$("$bin" measure test-suite/models/gpt2_l12_s1024.onnx)
# Cross-check the self-reported peak with GNU time where it is installed (max RSS in KiB).
time_kb=""
if [ -x /usr/bin/time ]; then
    time_kb=$( { /usr/bin/time -f "%M" "$bin" measure "$tmp/inline.onnx" >/dev/null; } 2>&1 | tail -n 1)
fi

python3 - "$zero_copy" "$copying" "$gpt2" "$time_kb" <<'PY'
import sys
rows = [("read_model, generated inline", sys.argv[1]),
        ("copying decode (reference)", sys.argv[2]),
        ("read_model, gpt2_l12_s1024", sys.argv[3])]
parsed = [(label, dict(kv.split("=", 1) for kv in line.split())) for label, line in rows]
print(f"{'reader':<30} {'file MB':>9} {'peak RSS MB':>12} {'overhead MB':>12} {'decode ms':>10} {'nodes':>6} {'inits':>6}")
for label, r in parsed:
    overhead = float(r["peak_rss_mb"]) - float(r["file_mb"])
    print(f"{label:<30} {float(r['file_mb']):>9.1f} {float(r['peak_rss_mb']):>12.1f} {overhead:>12.1f} "
          f"{float(r['decode_ms']):>10.1f} {r['nodes']:>6} {r['initializers']:>6}")
z, c, g = (r for _, r in parsed)
time_kb = sys.argv[4].strip()
if time_kb.isdigit():
    print(f"GNU time max RSS of read_model on the generated file: {int(time_kb) / 1024:.1f} MB")
pairs = {
    "file_mb": f"{float(z['file_mb']):.1f}",
    "peak_rss_mb": z["peak_rss_mb"],
    "baseline_rss_mb": z["baseline_rss_mb"],
    "overhead_mb": f"{float(z['peak_rss_mb']) - float(z['file_mb']):.1f}",
    "peak_over_file": f"{float(z['peak_rss_mb']) / float(z['file_mb']):.3f}",
    "decode_ms": z["decode_ms"],
    "copying_peak_rss_mb": c["peak_rss_mb"],
    "gpt2_l12_peak_rss_mb": g["peak_rss_mb"],
    "gpt2_l12_file_mb": g["file_mb"],
}
print(" ".join(f"{k}={v}" for k, v in pairs.items()))
PY
