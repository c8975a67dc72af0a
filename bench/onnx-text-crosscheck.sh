#!/usr/bin/env bash
# Cross-checks dnnc's ONNX text parser (crates/onnx/src/text) against Python's onnx.parser.
#
# Creates a virtual environment in a temporary directory, installs `onnx` from PyPI into it
# (ONNX_VERSION=1.23.2 pins a version), and for every model in test-suite/onnxtxt/:
#   - parses it with onnx.parser.parse_model and with dnnc (the onnxtxt_to_pb example, which
#     writes dnnc's ModelProto as protobuf bytes);
#   - compares the two ModelProtos field by field: every set field of the model, graph, nodes,
#     attributes, tensors, value infos and types, including which optional fields are present
#     (floats compared bit for bit, so NaN matches NaN); also notes whether the serialized bytes
#     are identical.
# Models in test-suite/onnxtxt/invalid/ must be rejected by both parsers.
# Prints a table and ends with one line `files=N matched=M mismatched=K`; exits 1 on a mismatch.
#
# Usage: bench/onnx-text-crosscheck.sh   (needs python3 with venv, network access to PyPI, cargo)
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/onnx-text-crosscheck.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

python3 -m venv "$tmp/venv"
"$tmp/venv/bin/pip" install --quiet --disable-pip-version-check "onnx${ONNX_VERSION:+==$ONNX_VERSION}" >&2

cargo build --quiet --manifest-path "$root/Cargo.toml" -p dnnc-onnx --example onnxtxt_to_pb
target_dir=$(cargo metadata --format-version 1 --no-deps --manifest-path "$root/Cargo.toml" |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')
converter="$target_dir/debug/examples/onnxtxt_to_pb"

cat > "$tmp/crosscheck.py" <<'PY'
import glob, os, re, struct, subprocess, sys

import onnx
import onnx.parser
from google.protobuf.descriptor import FieldDescriptor as FD

root, converter, tmp = sys.argv[1:4]


def same_scalar(field, a, b):
    if field.type == FD.TYPE_FLOAT:
        return struct.pack("<f", a) == struct.pack("<f", b)
    if field.type == FD.TYPE_DOUBLE:
        return struct.pack("<d", a) == struct.pack("<d", b)
    return a == b


def first_difference(a, b, path):
    """The path of the first field that differs between messages a (onnx) and b (dnnc)."""
    fa = {f.name: (f, v) for f, v in a.ListFields()}
    fb = {f.name: (f, v) for f, v in b.ListFields()}
    for name in sorted(set(fa) | set(fb)):
        at = f"{path}.{name}"
        if name not in fb:
            return f"{at} set by onnx.parser only"
        if name not in fa:
            return f"{at} set by dnnc only"
        field, va = fa[name]
        vb = fb[name][1]
        message = field.type == FD.TYPE_MESSAGE
        if field.is_repeated:
            if len(va) != len(vb):
                return f"{at}: {len(va)} vs {len(vb)} entries"
            for i, (x, y) in enumerate(zip(va, vb)):
                if message:
                    d = first_difference(x, y, f"{at}[{i}]")
                    if d:
                        return d
                elif not same_scalar(field, x, y):
                    return f"{at}[{i}]: {x!r} vs {y!r}"
        elif message:
            d = first_difference(va, vb, at)
            if d:
                return d
        elif not same_scalar(field, va, vb):
            return f"{at}: {va!r} vs {vb!r}"
    return None


def onnx_parse(text):
    try:
        return onnx.parser.parse_model(text), None
    except Exception as e:  # ParseError, or RuntimeError/IndexError for some bad literals
        m = re.search(r"line: (\d+) column: (\d+)", str(e))
        return None, f"{m.group(1)}:{m.group(2)}" if m else type(e).__name__


def dnnc_parse(path):
    out = os.path.join(tmp, "dnnc.pb")
    r = subprocess.run([converter, path, out], capture_output=True, text=True)
    if r.returncode != 0:
        m = re.match(r".*?:(\d+):(\d+): ", r.stderr)
        return None, f"{m.group(1)}:{m.group(2)}" if m else r.stderr.strip().splitlines()[0]
    model = onnx.ModelProto()
    with open(out, "rb") as f:
        model.ParseFromString(f.read())
    return model, None


base = os.path.join(root, "test-suite", "onnxtxt")
files = [(p, True) for p in sorted(glob.glob(os.path.join(base, "*.onnxtxt")))]
files += [(p, False) for p in sorted(glob.glob(os.path.join(base, "invalid", "*.onnxtxt")))]
rows, matched = [], 0
for path, valid in files:
    name = os.path.relpath(path, base)
    with open(path, encoding="utf-8") as f:
        text = f.read()
    theirs, their_error = onnx_parse(text)
    ours, our_error = dnnc_parse(path)
    describe = lambda m, e: "parsed" if m is not None else f"rejected {e}"
    if theirs is not None and ours is not None:
        diff = first_difference(theirs, ours, "model")
        identical = theirs.SerializeToString() == ours.SerializeToString()
        ok = diff is None
        detail = diff or ("same fields, identical bytes" if identical else "same fields")
    elif theirs is None and ours is None:
        ok = not valid
        detail = "both reject" if ok else "both reject a model expected to parse"
    else:
        ok = False
        detail = "only onnx.parser accepts" if theirs is not None else "only dnnc accepts"
    matched += ok
    rows.append((name, describe(theirs, their_error), describe(ours, our_error), "match" if ok else "MISMATCH", detail))

header = ("file", "onnx.parser", "dnnc", "result", "detail")
widths = [max(len(str(r[i])) for r in rows + [header]) for i in range(4)]
print(f"onnx {onnx.__version__}")
for r in [header] + rows:
    print("  ".join(str(c).ljust(w) for c, w in zip(r, widths)) + "  " + r[4])
print(f"files={len(rows)} matched={matched} mismatched={len(rows) - matched}")
sys.exit(0 if matched == len(rows) else 1)
PY

"$tmp/venv/bin/python" "$tmp/crosscheck.py" "$root" "$converter" "$tmp"
