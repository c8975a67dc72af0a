#!/usr/bin/env python3
"""Generate ZigZag 3.9.1 reference records for dnnc's cost-model fidelity harness.

For every costed layer (Conv / MatMul / Gemm) of the three reference workloads on each accelerator, this draws
--per-layer random valid mappings (seeded) and lets ZigZag cost each of them *without searching*:

  * spatial mapping: for every operational-array dimension one layer dim (sometimes two, "mixed") with a factor
    <= the array size; the factor need not divide the layer dim (ZigZag then uses a fractional unrolling for energy
    and the floored one for latency, and ceil(dim / factor) temporal iterations);
  * temporal ordering: a random permutation of the prime-factor loops of the remaining temporal sizes, innermost
    first, in ZigZag's `temporal_ordering` format [[DIM, size], ...].

Both go into the layer's mapping through ZigZag's own mapping parser (MappingValidator + MappingFactory, the code
path of a mapping YAML entry), and the layer then runs through ZigZag's stages
SpatialMappingGeneratorStage -> TemporalMappingGeneratorStage -> CostModelStage. With a *complete* temporal
ordering the TemporalMappingGeneratorStage skips LOMA: it only runs the MemoryAllocator (loops -> memory levels)
on the given ordering and yields one mapping. A stage subclass here refuses to fall back to LOMA when the ordering
is not complete, and every record is checked: one evaluation only, the spatial mapping ZigZag used is the one
given, and the costed loop order (concatenation of the levels of every operand) equals the given ordering.
Orderings ZigZag cannot allocate (MemoryTooSmall / MemoryHierarchyTooSmall) are skipped and counted.

Per layer it also emits ZigZag's own LOMA choice (lpf 6, minimal latency, as zigzag.api does) for the fixed
spatial mapping of mappings/tpu_like.yaml (K32|C32) on tpu_like and mappings/eyeriss_like_rs.yaml on
eyeriss_like, flagged "source": "loma".

One process per (workload, accelerator) pair (--jobs of them at a time); the output is one JSON object per line,
in a fixed order (workload, arch, layer order, LOMA record first), identical for identical arguments.

Usage (inside the venv made by setup.sh):
  gen_records.py --out records.jsonl --per-layer 40 --seed 1 [--arch tpu_like,eyeriss_like]
                 [--workloads gemm_512x768x768,...] [--jobs 2] [--no-loma] [--workload-dir DIR]
"""

from __future__ import annotations

import argparse
import copy
import json
import logging
import math
import multiprocessing
import os
import random
import sys
import time
from collections import Counter

HERE = os.path.dirname(os.path.abspath(__file__))
WORKLOADS = ["gemm_512x768x768", "cnn_resnet18_stage1", "gpt2_block"]
ARCHS = {
    # arch name -> (hardware yaml, mapping yaml used for the LOMA reference and for memory_operand_links)
    "tpu_like": ("hw/tpu_like.yaml", "mappings/tpu_like.yaml"),
    "eyeriss_like": ("hw/eyeriss_like.yaml", "mappings/eyeriss_like_rs.yaml"),
}
LOMA_LPF = 6
P_MIXED = 0.25  # probability that an array dimension unrolls two layer dims
P_REUSE_DIM = 0.15  # probability that a layer dim already unrolled on an earlier array dim may be picked again


def default_work_dir() -> str:
    return os.environ.get("DNNC_BENCH_WORK", os.path.expanduser("~/.cache/dnnc-bench"))


# ---------------------------------------------------------------------------------------------------------------
# random mapping generation (pure Python, no zigzag import)


def prime_factors(n: int) -> list[int]:
    out, p = [], 2
    while p * p <= n:
        while n % p == 0:
            out.append(p)
            n //= p
        p += 1
    if n > 1:
        out.append(n)
    return out


def draw_factor(rng: random.Random, size: int, limit: int) -> int:
    """A factor in [2, limit] for a layer dim of `size`: the limit itself, a divisor of size, or anything."""
    r = rng.random()
    if r < 0.4:
        return limit
    if r < 0.7:
        divs = [d for d in range(2, limit + 1) if size % d == 0]
        if divs:
            return rng.choice(divs)
    return rng.randint(2, limit)


def draw_spatial(rng: random.Random, dims: dict[str, int], oa: dict[str, int]) -> dict[str, dict[str, int]]:
    """Random user-level spatial mapping {oa_dim: {layer_dim: factor}} that ZigZag accepts unchanged:
    every factor <= min(layer dim, array dim), product per array dim <= array dim, and the total unrolling of a
    layer dim over all array dims <= its size."""
    unrolled = {d: 1 for d in dims}
    sm: dict[str, dict[str, int]] = {}
    for oad, oa_size in oa.items():

        def cap(d: str) -> int:
            return min(oa_size, dims[d] // unrolled[d])

        cands = [d for d in dims if dims[d] > 1 and cap(d) >= 2]
        fresh = [d for d in cands if unrolled[d] == 1]
        if fresh and rng.random() >= P_REUSE_DIM:
            cands = fresh
        if not cands:
            # nothing left to unroll on this array dimension: unroll some dim once (ZigZag needs every array dim)
            sm[oad] = {next(iter(dims)): 1}
            continue
        entry: dict[str, int] = {}
        if len(cands) >= 2 and oa_size >= 4 and rng.random() < P_MIXED:
            d1, d2 = rng.sample(cands, 2)
            l1 = min(cap(d1), oa_size // 2)
            if l1 >= 2:
                f1 = draw_factor(rng, dims[d1], l1)
                l2 = min(cap(d2), oa_size // f1)
                if l2 >= 2:
                    entry = {d1: f1, d2: draw_factor(rng, dims[d2], l2)}
        if not entry:
            d = rng.choice(cands)
            entry = {d: draw_factor(rng, dims[d], cap(d))}
        for d, f in entry.items():
            unrolled[d] *= f
        sm[oad] = entry
    return sm


def temporal_sizes(dims: dict[str, int], sm: dict[str, dict[str, int]]) -> dict[str, int]:
    """Temporal iterations per layer dim: ceil(size / product of its spatial factors); size-1 dims dropped."""
    out = {}
    for d, n in dims.items():
        f = math.prod(m.get(d, 1) for m in sm.values())
        t = -(-n // f)
        if t > 1:
            out[d] = t
    return out


def draw_ordering(rng: random.Random, tsizes: dict[str, int]) -> list[list]:
    loops = [[d, p] for d, t in tsizes.items() for p in prime_factors(t)]
    rng.shuffle(loops)
    return loops


# ---------------------------------------------------------------------------------------------------------------
# ZigZag side (imported in the worker processes only)


class Skip(Exception):
    def __init__(self, reason: str, detail: str = ""):
        super().__init__(f"{reason}: {detail}")
        self.reason = reason


def num(x):
    """JSON-friendly number: ints stay ints, integral floats become ints only where ZigZag keeps ints."""
    if isinstance(x, bool):
        return x
    if isinstance(x, int):
        return x
    try:
        import numpy as np

        if isinstance(x, np.integer):
            return int(x)
        if isinstance(x, np.floating):
            return float(x)
    except ImportError:
        pass
    return float(x)


def loops_json(levels) -> list:
    out = []
    for lvl in levels:
        row = []
        for d, f in lvl:
            f = num(f)
            if isinstance(f, float) and f.is_integer():
                f = int(f)
            row.append([str(d), f])
        out.append(row)
    return out


def run_job(job: dict) -> dict:
    """Worker: all records of one (workload, arch) pair."""
    logging.basicConfig(level=logging.ERROR if not job["verbose"] else logging.INFO)
    logging.getLogger().setLevel(logging.ERROR if not job["verbose"] else logging.INFO)

    from zigzag.cost_model.cost_model import CostModelEvaluation
    from zigzag.mapping.data_movement import DataDirection
    from zigzag.mapping.temporal_mapping import TemporalMappingType
    from zigzag.opt.loma.engine import LomaEngine
    from zigzag.opt.loma.memory_allocator import MemoryHierarchyTooSmallException, MemoryTooSmallException
    from zigzag.parser.mapping_factory import MappingFactory
    from zigzag.parser.mapping_validator import MappingValidator
    from zigzag.parser.onnx.onnx_model_parser import ONNXModelParser
    from zigzag.stages.evaluation.cost_model_evaluation import CostModelStage
    from zigzag.stages.mapping.spatial_mapping_generation import SpatialMappingGeneratorStage
    from zigzag.stages.mapping.temporal_mapping_generator_stage import TemporalMappingGeneratorStage
    from zigzag.stages.parser.accelerator_parser import AcceleratorParserStage
    from zigzag.stages.results.reduce_stages import MinimalLatencyStage
    from zigzag.workload.layer_node import LayerNode

    class ProvidedOrderingOnlyStage(TemporalMappingGeneratorStage):
        """TemporalMappingGeneratorStage that refuses to fall back to a LOMA search: the layer's temporal_ordering
        must be complete for the temporal loops left by the spatial mapping (ZigZag's own check)."""

        def generate_temporal_mappings(self):
            engine = LomaEngine(accelerator=self.accelerator, layer=self.layer, spatial_mapping=self.spatial_mapping,
                                mapping_type=self.mapping_type, **self.kwargs)
            loops = engine.get_temporal_loops()
            if not self.layer.temporal_ordering.is_complete(loops):
                given: dict[str, int] = {}
                for d, f in self.layer.temporal_ordering.data:
                    given[str(d)] = given.get(str(d), 1) * f
                zz = {str(k): int(v) for k, v in loops.items()}
                # ZigZag computes ceil(size / fractional factor) in floating point: for D=512 unrolled 5 the
                # fractional factor is 512/103 and ceil(512 / (512/103)) = ceil(103.00000000000001) = 104
                raise Skip("zigzag_temporal_size_rounding" if set(zz) == set(given) else "ordering_incomplete",
                           f"ceil(size/factor) gives {given}, zigzag's temporal loops are {zz}")
            yield from super().generate_temporal_mappings()

    wl, arch = job["workload"], job["arch"]
    hw_yaml = os.path.join(HERE, ARCHS[arch][0])
    map_yaml = os.path.join(HERE, ARCHS[arch][1])
    t0 = time.perf_counter()
    accelerator = AcceleratorParserStage.parse_accelerator(hw_yaml)
    workload = ONNXModelParser(os.path.join(job["workload_dir"], wl + ".onnx"), map_yaml).run()
    layers = [n for n in workload.topological_sort() if isinstance(n, LayerNode)]
    oa = {str(d): int(s) for d, s in accelerator.operational_array.dimension_sizes.items()}
    mem_h = accelerator.memory_hierarchy
    common_kwargs = dict(
        loma_lpf_limit=LOMA_LPF,
        loma_show_progress_bar=False,
        nb_mappings_generated=3,
        enable_mix_spatial_mapping_generation=False,
        access_same_data_considered_as_no_access=True,
        temporal_mapping_type=TemporalMappingType.UNEVEN,
    )

    def layer_static(layer) -> dict:
        links = layer.memory_operand_links
        ops = [str(op) for op in layer.layer_operands]
        lri = layer.loop_relevancy_info
        pr = {}
        for op in layer.layer_operands:
            prd = lri.get_pr_layer_dims(op)
            if prd:
                pr[str(op)] = {}
                for prdim in prd:
                    (da, sa), (db, sb) = layer.pr_scaling_factors[prdim]
                    pr[str(op)][str(prdim)] = [str(da), int(sa), str(db), int(sb)]
        prec = {str(k): int(v) for k, v in layer.operand_precision.data.items()}
        return {
            "layer_type": layer.type,
            "equation": str(layer.equation),
            "dims": {str(d): int(s) for d, s in layer.layer_dim_sizes.items()},
            "macs": int(layer.total_mac_count),
            "operands": ops,
            "memory_operand": {str(op): str(links.layer_to_mem_op(op)) for op in layer.layer_operands},
            "relevant": {str(op): [str(d) for d in lri.get_r_layer_dims(op)] for op in layer.layer_operands},
            "irrelevant": {str(op): sorted(str(d) for d in lri.get_ir_layer_dims(op)) for op in layer.layer_operands},
            "pr": pr,
            "pr_sizes": {str(d): int(s) for d, s in layer.pr_layer_dim_sizes.items()},
            "precision": prec,
            "levels": {str(op): [lv.memory_instance.name for lv in mem_h.get_memory_levels(links.layer_to_mem_op(op))]
                       for op in layer.layer_operands},
        }

    def cme_json(cme: CostModelEvaluation) -> dict:
        words = {}
        for op, lst in cme.memory_word_access.items():
            words[str(op)] = [{d.value: num(a.get(d)) for d in DataDirection} for a in lst]
        return {
            "energy": num(cme.energy_total),
            "latency": num(cme.latency_total2),
            "mac_energy": num(cme.mac_energy),
            "mem_energy": num(cme.mem_energy),
            "latency_total0": num(cme.latency_total0),
            "latency_total1": num(cme.latency_total1),
            "ideal_cycle": num(cme.ideal_cycle),
            "ideal_temporal_cycle": num(cme.ideal_temporal_cycle),
            "energy_breakdown": {str(op): [num(e) for e in v] for op, v in cme.mem_energy_breakdown.items()},
            "ss": num(cme.stall_slack_comb),
            "onload": num(cme.data_onloading_cycle),
            "offload": num(cme.data_offloading_cycle),
            "drain": num(cme.systolic_drain_cycle),
            "words": words,
        }

    def user_sm_json(sm) -> dict:
        return {str(oad): {str(d): num(f) for d, f in m.items()} for oad, m in sm.items()}

    def mapping_json(cme: CostModelEvaluation) -> dict:
        tm = cme.temporal_mapping
        return {
            "spatial": user_sm_json(cme.layer.spatial_mapping),
            "spatial_internal": {
                "fractional": {str(op): loops_json(v) for op, v in cme.spatial_mapping.mapping_dict_origin.items()},
                "int": {str(op): loops_json(v) for op, v in cme.spatial_mapping_int.mapping_dict_origin.items()},
            },
            "temporal": {str(op): loops_json(v) for op, v in tm.mapping_dic_stationary.items()},
            "temporal_allocated": {str(op): loops_json(v) for op, v in tm.mapping_dic_origin.items()},
        }

    def concat_order(temporal: dict) -> dict[str, list]:
        return {op: [loop for lvl in levels for loop in lvl] for op, levels in temporal.items()}

    records: list[dict] = []
    stats: Counter = Counter()
    skip_examples: dict[str, str] = {}
    n_evals = 0
    loma_s = 0.0
    rand_s = 0.0
    base_links = None
    for li, layer in enumerate(layers):
        static = layer_static(layer)
        head = {"workload": wl, "arch": arch, "layer": layer.name}
        if base_links is None:
            base_links = {str(k): str(v) for k, v in layer.memory_operand_links.data.items()}
        # ---- LOMA reference: fixed spatial mapping from the mapping file, LOMA lpf 6, minimal latency ----
        if job["loma"]:
            t1 = time.perf_counter()
            lay = copy.copy(layer)
            requested = user_sm_json(layer.spatial_mapping)
            stage = MinimalLatencyStage(
                [SpatialMappingGeneratorStage, MinimalLatencyStage, TemporalMappingGeneratorStage, CostModelStage],
                accelerator=accelerator, layer=lay, **common_kwargs)
            cme, _ = next(stage.run())
            loma_s += time.perf_counter() - t1
            m = mapping_json(cme)
            order = concat_order(m["temporal"])
            rec = {**head, "source": "loma", "index": 0, **static, **m, "spatial_requested": requested,
                   "temporal_ordering": order[static["operands"][0]], "zigzag": cme_json(cme)}
            if any(o != rec["temporal_ordering"] for o in order.values()):
                stats["loma_order_differs_between_operands"] += 1
            records.append(rec)
            stats["loma"] += 1
        # ---- random mappings, costed without search ----
        t1 = time.perf_counter()
        rng = random.Random(f"dnnc-zigzag-fidelity:{job['seed']}:{wl}:{arch}:{layer.name}")
        dims = static["dims"]
        got, attempts = 0, 0
        while got < job["per_layer"] and attempts < job["per_layer"] * job["max_attempts_factor"]:
            attempts += 1
            sm = draw_spatial(rng, dims, oa)
            ordering = draw_ordering(rng, temporal_sizes(dims, sm))
            entry = {
                # ZigZag's validator insists on a `default` entry; MappingFactory falls back to it for this layer
                "name": "default",
                "spatial_mapping": {oad: [f"{d}, {f}" for d, f in m.items()] for oad, m in sm.items()},
                "temporal_ordering": ordering,
                "memory_operand_links": base_links,
            }
            try:
                validator = MappingValidator([entry])
                data = validator.normalized_data
                if not validator.validate():
                    raise Skip("mapping_invalid", str(validator.validator.errors))
                factory = MappingFactory(layer.name, layer.type, data)
                lay = copy.copy(layer)
                lay.spatial_mapping = factory.create_spatial_mapping()
                lay.temporal_ordering = factory.create_temporal_ordering()
                lay.temporal_ordering.remove_invalid_layer_dims(layer.layer_dim_sizes, layer.name)
                stage = SpatialMappingGeneratorStage([ProvidedOrderingOnlyStage, CostModelStage],
                                                     accelerator=accelerator, layer=lay, **common_kwargs)
                try:
                    cmes = [c for c, _ in stage.run()]
                except MemoryTooSmallException as e:
                    raise Skip("memory_too_small", str(e).split("\n")[0][:200])
                except MemoryHierarchyTooSmallException as e:
                    raise Skip("hierarchy_too_small", str(e)[:200])
                except AssertionError as e:
                    raise Skip("zigzag_assertion", repr(e)[:200])
                n_evals += len(cmes)
                if len(cmes) != 1:
                    raise Skip("not_one_evaluation", f"{len(cmes)} evaluations")
                cme = cmes[0]
                m = mapping_json(cme)
                if m["spatial"] != sm:
                    raise Skip("spatial_altered", f"given {sm}, zigzag used {m['spatial']}")
                order = concat_order(m["temporal"])
                if any(o != ordering for o in order.values()):
                    raise Skip("ordering_not_honoured", f"given {ordering}, costed {order}")
                if any(o != ordering for o in concat_order(m["temporal_allocated"]).values()):
                    raise Skip("allocation_reordered", f"given {ordering}")
            except Skip as s:
                stats["skip:" + s.reason] += 1
                skip_examples.setdefault(s.reason, f"{layer.name}, spatial {sm}: {s}")
                continue
            rec = {**head, "source": "random", "index": got, **static, **m,
                   "temporal_ordering": ordering, "zigzag": cme_json(cme)}
            records.append(rec)
            got += 1
        stats["random"] += got
        if got < job["per_layer"]:
            stats["short_layers"] += 1
        rand_s += time.perf_counter() - t1
        print(f"[gen_records] {wl} {arch} {layer.name}: {got} random in {attempts} attempts", file=sys.stderr,
              flush=True)
    return {
        "workload": wl, "arch": arch, "records": records, "stats": dict(stats), "skip_examples": skip_examples,
        "n_layers": len(layers), "random_evals": n_evals, "loma_s": loma_s, "random_s": rand_s,
        "wall_s": time.perf_counter() - t0,
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", required=True)
    ap.add_argument("--per-layer", type=int, required=True, help="random mappings per layer and accelerator")
    ap.add_argument("--seed", type=int, required=True)
    ap.add_argument("--arch", default="tpu_like,eyeriss_like")
    ap.add_argument("--workloads", default=",".join(WORKLOADS))
    ap.add_argument("--workload-dir", default=os.path.join(default_work_dir(), "zigzag-workloads"))
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--no-loma", action="store_true", help="skip the LOMA reference records")
    ap.add_argument("--max-attempts-factor", type=int, default=20,
                    help="give up on a layer after per-layer * this many draws")
    ap.add_argument("--stats", help="also write the run statistics as JSON here")
    ap.add_argument("--verbose", action="store_true")
    a = ap.parse_args()

    archs = [x for x in a.arch.split(",") if x]
    wls = [x for x in a.workloads.split(",") if x]
    for x in archs:
        if x not in ARCHS:
            sys.exit(f"unknown arch {x} (known: {', '.join(ARCHS)})")
    for x in wls:
        if not os.path.exists(os.path.join(a.workload_dir, x + ".onnx")):
            sys.exit(f"missing workload {x}.onnx in {a.workload_dir} (run setup.sh)")
    jobs = [dict(workload=w, arch=ar, per_layer=a.per_layer, seed=a.seed, workload_dir=a.workload_dir,
                 loma=not a.no_loma, max_attempts_factor=a.max_attempts_factor, verbose=a.verbose)
            for w in wls for ar in archs]
    t0 = time.perf_counter()
    n_proc = max(1, min(a.jobs, len(jobs)))
    # one fresh process per (workload, arch) pair; maxtasksperchild keeps them independent
    with multiprocessing.get_context("fork").Pool(n_proc, maxtasksperchild=1) as pool:
        results = pool.map(run_job, jobs, chunksize=1)
    wall = time.perf_counter() - t0

    tmp = a.out + ".tmp"
    os.makedirs(os.path.dirname(os.path.abspath(a.out)) or ".", exist_ok=True)
    total = Counter()
    with open(tmp, "w") as f:
        for r in results:
            for rec in r["records"]:
                f.write(json.dumps(rec, separators=(",", ":")) + "\n")
            total.update(r["stats"])
    os.replace(tmp, a.out)
    skips = {k[5:]: v for k, v in total.items() if k.startswith("skip:")}
    summary = {
        "out": os.path.abspath(a.out), "seed": a.seed, "per_layer": a.per_layer, "archs": archs, "workloads": wls,
        "random_records": total["random"], "loma_records": total["loma"], "skipped": sum(skips.values()),
        "skipped_by_reason": skips, "layers_short_of_per_layer": total["short_layers"],
        "loma_order_differs_between_operands": total["loma_order_differs_between_operands"],
        "random_cost_model_evals": sum(r["random_evals"] for r in results),
        "wall_s": round(wall, 2),
        "per_job": [{"workload": r["workload"], "arch": r["arch"], "layers": r["n_layers"],
                     "wall_s": round(r["wall_s"], 2), "loma_s": round(r["loma_s"], 2),
                     "random_s": round(r["random_s"], 2), "stats": r["stats"]} for r in results],
        "skip_examples": {k: v for r in results for k, v in r["skip_examples"].items()},
    }
    if a.stats:
        with open(a.stats, "w") as f:
            json.dump(summary, f, indent=1)
    print(f"[gen_records] {summary['random_records']} random + {summary['loma_records']} LOMA records, "
          f"{summary['skipped']} skipped {skips} in {wall:.1f} s -> {a.out}", file=sys.stderr)
    for r in summary["per_job"]:
        print(f"[gen_records]   {r['workload']:<22} {r['arch']:<13} wall {r['wall_s']:6.1f} s "
              f"(LOMA {r['loma_s']:.1f} s, random {r['random_s']:.1f} s) {r['stats']}", file=sys.stderr)
    for k, v in summary["skip_examples"].items():
        print(f"[gen_records]   e.g. {k}: {v[:300]}", file=sys.stderr)


if __name__ == "__main__":
    main()
