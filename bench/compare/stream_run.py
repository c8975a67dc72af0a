#!/usr/bin/env python3
"""Stream 2.1.1 (stream-dse) on one workload and one system, for bench/compare/stream.sh. Needs Python >= 3.12
with stream-dse==2.1.1 (stream.sh makes that venv).

  stream_run.py int8 IN.onnx OUT.onnx
      OUT.onnx: IN.onnx with every fp16 tensor (inputs, outputs, value_info, initializers) retyped int8, so
      Stream, which takes each operand's width from the ONNX dtype, costs 8-bit operands like ZigZag and dnnc.
      Initializer values are zeroed (Stream reads only shapes). Not a valid ONNX model for onnx.checker (Conv and
      MatMul take no int8), which Stream does not run.

  stream_run.py run ONNX SYSTEM.yaml OUT.json [--fusion auto|per-layer|CUT,CUT,...] [--time-limit S]
      Stream's `evaluate_mapping` with its generic mapping generator; `--fusion` sets `fusion_cut_points`:
      `auto` (Stream's own choice: cuts at affine barriers, MaxPool, residual Add->Relu and weight overflow),
      `per-layer` (one group per node: Stream's layer-by-layer schedule) or node names to cut after (only those,
      plus the layout-op boundaries Stream always splits at). OUT.json: total latency (Stream's cycles = the sum
      of the groups' fill + iterations x initiation interval, plus dispatch), energy, the groups (nodes, cores,
      latency, energy), off-chip traffic (bits read and written at the off-chip core, from Stream's memory-access
      estimate) and the compulsory off-chip traffic of the workload (every initializer, model input and model
      output moved once, at its ONNX width). A Stream failure (e.g. an infeasible allocation) is `"ok": false`
      with the error, exit status 1.

Stream's output directory (OUT.json minus .json, + `_out`) is wiped first: Stream caches its per-core ZigZag
cost tables there and a rerun into it would reuse them.
"""

from __future__ import annotations

import argparse
import json
import logging
import math
import os
import shutil
import sys
import time


def to_int8(src: str, dst: str) -> int:
    import onnx  # noqa: PLC0415
    from onnx import TensorProto  # noqa: PLC0415

    model = onnx.load(src)
    n = 0
    for coll in (model.graph.input, model.graph.output, model.graph.value_info):
        for vi in coll:
            tt = vi.type.tensor_type
            if tt.elem_type == TensorProto.FLOAT16:
                tt.elem_type = TensorProto.INT8
                n += 1
    for init in model.graph.initializer:
        if init.data_type == TensorProto.FLOAT16:
            init.data_type = TensorProto.INT8
            init.raw_data = bytes(math.prod(init.dims))
            del init.int32_data[:]
            n += 1
    if n == 0:
        raise SystemExit(f"stream_run.py: {src}: no fp16 tensor to retype (expected the fp16 bench workloads)")
    onnx.save(model, dst)
    return n


def compulsory_bits(path: str) -> dict:
    """Bits every schedule must move off chip at least once: initializers, model inputs that are not
    initializers, and model outputs, at their ONNX element widths."""
    import onnx  # noqa: PLC0415
    from onnx import helper  # noqa: PLC0415

    model = onnx.load(path)
    width = lambda dt: 8 * helper.tensor_dtype_to_np_dtype(dt).itemsize  # noqa: E731
    inits = {i.name for i in model.graph.initializer}
    w = sum(math.prod(i.dims) * width(i.data_type) for i in model.graph.initializer)

    def vi_bits(vi) -> int:
        tt = vi.type.tensor_type
        return math.prod(d.dim_value for d in tt.shape.dim) * width(tt.elem_type)

    x = sum(vi_bits(v) for v in model.graph.input if v.name not in inits)
    y = sum(vi_bits(v) for v in model.graph.output)
    return {"weights": w, "inputs": x, "outputs": y, "total": w + x + y}


def offchip_traffic(accesses: dict) -> dict:
    """Bits read / written at the off-chip core over one group, from Stream's memory-access estimate (counts of
    port-width words over the whole group, per core)."""
    read = write = 0
    for core in (accesses or {}).get("cores", []):
        if core.get("is_offchip"):
            read += core["read"] * core["read_bandwidth"]
            write += core["write"] * core["write_bandwidth"]
    return {"read_bits": read, "write_bits": write, "total_bits": read + write}


def jsonable(x):
    if isinstance(x, dict):
        return {str(k): jsonable(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [jsonable(v) for v in x]
    if isinstance(x, (int, float, str, bool)) or x is None:
        return x
    return str(x)


def run(a: argparse.Namespace) -> int:
    from stream.api import SolveOptions, evaluate_mapping  # noqa: PLC0415

    logging.basicConfig(level=logging.WARNING, format="%(name)s %(levelname)s %(message)s")
    out_dir = os.path.splitext(a.out_json)[0] + "_out"
    shutil.rmtree(out_dir, ignore_errors=True)
    stage_options: dict = {}
    if a.fusion == "per-layer":
        stage_options["fusion_cut_points"] = "per-layer"
    elif a.fusion != "auto":
        stage_options["fusion_cut_points"] = [c for c in a.fusion.split(",") if c]
    if a.nb_spatial != 1:
        stage_options["nb_spatial_mappings_generated"] = a.nb_spatial
    opts = SolveOptions(time_limit_s=a.time_limit, artifacts=False, stage_options=stage_options)
    res: dict = {"tool": "stream-dse 2.1.1", "workload": os.path.abspath(a.onnx), "system": os.path.abspath(a.system),
                 "fusion": a.fusion, "nb_spatial": a.nb_spatial, "compulsory_offchip_bits": compulsory_bits(a.onnx)}
    t0 = time.perf_counter()
    try:
        est = evaluate_mapping(os.path.abspath(a.system), os.path.abspath(a.onnx), out_dir, options=opts)
    except Exception as e:  # noqa: BLE001 -- any Stream failure is a result of this run, reported as such
        res.update(ok=False, error=f"{type(e).__name__}: {e}", wall_s=time.perf_counter() - t0)
        write(a.out_json, res)
        print(f"stream_run.py: {os.path.basename(a.onnx)} on {os.path.basename(a.system)} fusion={a.fusion}: "
              f"Stream failed: {res['error'][:400]}", file=sys.stderr)
        return 1
    wall = time.perf_counter() - t0
    ctx = est.context
    allocs = ctx.get("group_allocations") or {}
    accesses = ctx.get("group_memory_accesses") or {}
    groups = []
    for i in sorted(allocs):
        ir = allocs[i]
        perf = ir.get("performance") or {}
        ss = ir.get("steady_state") or {}
        cores = {}
        for name, m in (ir.get("mapping_nodes") or {}).items():
            if not name.startswith("Transfer"):
                cores[name] = sorted({r["id"] for alt in m.get("resource_allocation") or [] for r in alt
                                      if r.get("type") == "core"})
        groups.append({
            "group": i,
            "nodes": [o["name"] for o in ss.get("operators", [])],
            "cores": cores,
            "fusion_splits": jsonable(ir.get("fusion_splits")),
            "latency": jsonable(ir.get("latency")),
            "energy_pj": (perf.get("energy") or {}).get("total_pj"),
            "offchip": offchip_traffic(accesses.get(i)),
        })
    res.update(
        ok=True,
        latency_cycles=float(est.cycles),
        dispatch_cycles=float(est.dispatch_cycles),
        energy_pj=sum(g["energy_pj"] or 0.0 for g in groups),
        offchip_bits=sum(g["offchip"]["total_bits"] for g in groups),
        n_groups=len(groups),
        groups=groups,
        wall_s=wall,
    )
    write(a.out_json, res)
    print(f"stream_run.py: {os.path.basename(a.onnx)} on {os.path.basename(a.system)} fusion={a.fusion}: "
          f"L={res['latency_cycles']:.4e} E={res['energy_pj']:.4e} groups={len(groups)} "
          f"offchip={res['offchip_bits']:.4e} b wall={wall:.1f}s", file=sys.stderr)
    return 0


def write(path: str, res: dict) -> None:
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    with open(path, "w") as f:
        json.dump(res, f, indent=1)
        f.write("\n")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("int8")
    p.add_argument("src")
    p.add_argument("dst")
    p = sub.add_parser("run")
    p.add_argument("onnx")
    p.add_argument("system")
    p.add_argument("out_json")
    p.add_argument("--fusion", default="auto")
    p.add_argument("--time-limit", type=float, default=120.0, help="OR-Tools time limit per fused group (s)")
    p.add_argument("--nb-spatial", type=int, default=1,
                   help="spatial mappings ZigZag generates per node and core (Stream's default 1), the best kept")
    a = ap.parse_args()
    if a.cmd == "int8":
        n = to_int8(a.src, a.dst)
        print(f"stream_run.py: {a.dst}: {n} fp16 tensors retyped int8", file=sys.stderr)
        return 0
    return run(a)


if __name__ == "__main__":
    sys.exit(main())
