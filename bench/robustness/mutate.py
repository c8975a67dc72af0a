"""Structure-aware mutation of ONNX models: every mutated model must make dnnc either succeed
or fail with a message and exit code 1 or 2 (never a panic, a signal or a hang).

Each mutation edits a copy of a real model with one to three changes that a hand-edited or
buggy exporter could produce: an attribute set to 0, -1, a huge value, NaN or infinity; a node
input dropped or rewired to another value; an op type swapped for another operator; a graph
input's or initializer's dimension set to 0 or beyond 2^31; a Constant's integer changed; a
node removed. Every mutated model runs through dnnc once per (arch, emit) pair given.

    python3 mutate.py DNNC OUT_DIR SEED COUNT MODEL... -- ARCH:EMIT...

Prints one row per model and ends with a key=value line; saves each model that crashed or
hung in OUT_DIR.
"""
import os
import random
import shutil
import subprocess
import sys

import onnx

OPS = [
    "Conv", "MatMul", "Gemm", "Add", "Relu", "Reshape", "Transpose", "Softmax", "Concat", "Slice",
    "Gather", "MaxPool", "Resize", "Pad", "Clip", "Split", "ReduceMean", "LayerNormalization",
    "Expand", "Where", "CumSum", "ConvTranspose", "Tile", "Einsum", "GatherND", "LogSoftmax",
    "InstanceNormalization", "GroupNormalization", "DepthToSpace", "SpaceToDepth", "ReduceL2",
    "Mish", "Unknown",
]
INTS = [0, -1, -2, 1, 2, 3, 7, 1 << 20, -(1 << 40), 65536]
FLOATS = [0.0, -1.0, float("nan"), float("inf"), 1e30]
TIMEOUT_S = 120


def mutate(model, rng):
    """One to three random edits of `model` in place; returns what was done."""
    g = model.graph
    done = []
    for _ in range(rng.randint(1, 3)):
        r = rng.random()
        node = rng.choice(g.node)
        if r < 0.35 and node.attribute:
            a = rng.choice(node.attribute)
            if a.ints:
                a.ints[rng.randrange(len(a.ints))] = rng.choice(INTS)
                if rng.random() < 0.3:
                    a.ints.append(rng.choice(INTS))
            elif a.type == onnx.AttributeProto.INT:
                a.i = rng.choice(INTS)
            elif a.type == onnx.AttributeProto.FLOAT:
                a.f = rng.choice(FLOATS)
            done.append(f"attribute {node.op_type}.{a.name}")
        elif r < 0.5 and node.input:
            k = rng.randrange(len(node.input))
            if rng.random() < 0.5:
                del node.input[k]
                done.append(f"input dropped from {node.op_type}")
            else:
                node.input[k] = rng.choice([o for n in g.node for o in n.output] + [""])
                done.append(f"input of {node.op_type} rewired")
        elif r < 0.6:
            old, node.op_type = node.op_type, rng.choice(OPS)
            done.append(f"{old} -> {node.op_type}")
        elif r < 0.75 and g.input:
            dims = rng.choice(list(g.input)).type.tensor_type.shape.dim
            if dims:
                rng.choice(dims).dim_value = rng.choice([0, 1, 3, 17, 1 << 31])
                done.append("graph input dimension")
        elif r < 0.85 and g.initializer:
            t = rng.choice(g.initializer)
            if t.dims:
                t.dims[rng.randrange(len(t.dims))] = rng.choice([0, 1, 5, 1 << 33])
                done.append(f"initializer {t.name} dimension")
        elif r < 0.95:
            consts = [n for n in g.node if n.op_type == "Constant" and n.attribute]
            if consts:
                t = rng.choice(consts).attribute[0].t
                if t.int64_data:
                    t.int64_data[rng.randrange(len(t.int64_data))] = rng.choice(INTS)
                elif t.raw_data and t.data_type == onnx.TensorProto.INT64 and len(t.raw_data) >= 8:
                    raw = bytearray(t.raw_data)
                    k = rng.randrange(len(raw) // 8) * 8
                    raw[k : k + 8] = rng.choice(INTS).to_bytes(8, "little", signed=True)
                    t.raw_data = bytes(raw)
                done.append("Constant value")
        else:
            del g.node[rng.randrange(len(g.node))]
            done.append("node removed")
    return done


def main():
    split = sys.argv.index("--")
    dnnc, out_dir, seed, count, *models = sys.argv[1:split]
    runs = [a.split(":", 1) for a in sys.argv[split + 1 :]]
    rng = random.Random(int(seed))
    os.makedirs(out_dir, exist_ok=True)
    totals = {"mutations": 0, "runs": 0, "accepted": 0, "rejected": 0, "panics": 0, "timeouts": 0}
    print("| model | mutations | runs | accepted | rejected | panics | timeouts |")
    print("|---|---|---|---|---|---|---|")
    for path in models:
        base = onnx.load(path, load_external_data=False)
        # The model as bundled must go through every run, or its mutations say nothing.
        for arch, emit in runs:
            r = subprocess.run([dnnc, path, "--arch", arch, f"--emit={emit}"], capture_output=True, timeout=TIMEOUT_S)
            if r.returncode != 0:
                sys.exit(f"{path} itself fails ({arch}, {emit}): {r.stderr.decode(errors='replace')[-300:]}")
        row = dict.fromkeys(totals, 0)
        for i in range(int(count)):
            model = onnx.ModelProto()
            model.CopyFrom(base)
            what = mutate(model, rng)
            candidate = os.path.join(out_dir, "candidate.onnx")
            onnx.save(model, candidate)
            row["mutations"] += 1
            for arch, emit in runs:
                row["runs"] += 1
                try:
                    r = subprocess.run(
                        [dnnc, candidate, "--arch", arch, f"--emit={emit}"], capture_output=True, timeout=TIMEOUT_S
                    )
                except subprocess.TimeoutExpired:
                    row["timeouts"] += 1
                    keep = os.path.join(out_dir, f"timeout-{os.path.basename(path)}-{i}.onnx")
                    shutil.copy(candidate, keep)
                    print(f"timeout: {keep} ({arch}, {emit}): {'; '.join(what)}", file=sys.stderr)
                    continue
                if r.returncode == 0:
                    row["accepted"] += 1
                elif r.returncode in (1, 2) and b"panicked" not in r.stderr and r.stderr.strip():
                    row["rejected"] += 1
                else:
                    row["panics"] += 1
                    keep = os.path.join(out_dir, f"crash-{os.path.basename(path)}-{i}.onnx")
                    shutil.copy(candidate, keep)
                    tail = r.stderr.decode(errors="replace")[-300:]
                    print(f"crash: {keep} ({arch}, {emit}, exit {r.returncode}): {'; '.join(what)}\n{tail}", file=sys.stderr)
        for k in totals:
            totals[k] += row[k]
        name = os.path.relpath(path)
        print(f"| {name} | {row['mutations']} | {row['runs']} | {row['accepted']} | {row['rejected']} | {row['panics']} | {row['timeouts']} |")
        sys.stdout.flush()
    candidate = os.path.join(out_dir, "candidate.onnx")
    if os.path.exists(candidate):
        os.remove(candidate)
    print()
    print(f"models={len(models)} " + " ".join(f"{k}={v}" for k, v in totals.items()))
    sys.exit(1 if totals["panics"] or totals["timeouts"] else 0)


if __name__ == "__main__":
    main()
