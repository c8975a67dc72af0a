#!/usr/bin/env bash
# Checks dnnc's graph-dialect IR with MLIR's own tools: loads the generated IRDL definitions
# (dialects/*/*.irdl.mlir) into mlir-opt-22 and parses + verifies the imported graph of every
# sample model, printed in the generic form. Installs Debian's mlir-22-tools if mlir-opt-22 is
# missing (needs root and apt). Ends with one key=value line.
#
# The einsum IR is not checked this way: IRDL binds a variadic group to one type, and an
# einsum's inputs differ in type (see crates/ir/src/irdl.rs).
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v mlir-opt-22 >/dev/null; then
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends mlir-22-tools >/dev/null
fi
cargo build -q --release -p dnnc
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cat dialects/*/*.irdl.mlir > "$work/dnnc.irdl.mlir"
mlir-opt-22 "$work/dnnc.irdl.mlir" > /dev/null

passed=0
failed=0
printf '%-22s %s\n' model result
for model in test-suite/models/*.onnx; do
    name=$(basename "$model" .onnx)
    ./target/release/dnnc "$model" --emit=graph --print-op-generic -o "$work/$name.mlir"
    if mlir-opt-22 --irdl-file="$work/dnnc.irdl.mlir" "$work/$name.mlir" > /dev/null 2> "$work/$name.err"; then
        printf '%-22s %s\n' "$name" verified
        passed=$((passed + 1))
    else
        printf '%-22s %s\n' "$name" "FAILED: $(head -n 1 "$work/$name.err")"
        failed=$((failed + 1))
    fi
done
echo "models=$((passed + failed)) verified=$passed failed=$failed"
[ "$failed" -eq 0 ]
