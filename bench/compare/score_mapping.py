#!/usr/bin/env python3
"""Score a given ZigZag mapping file with ZigZag 3.9.1, without any search.

  score_mapping.py WORKLOAD.onnx ACCEL MAPPING.yaml OUT.json [--strict] [--verbose]

ACCEL is tpu_like, eyeriss_like (bench/zigzag/hw/NAME.yaml) or a ZigZag hardware YAML path. MAPPING.yaml is a ZigZag
mapping file (e.g. from `dnnc --emit=zigzag-mapping`) with one entry per costed layer, matched by ONNX node name,
each holding a `spatial_mapping` and a *complete* `temporal_ordering` (innermost first).

For every layer ZigZag costs (Conv / MatMul / Gemm) the layer's entry goes through ZigZag's own parser and then
SpatialMappingGeneratorStage -> (temporal stage) -> CostModelStage. With a complete ordering ZigZag's temporal stage
only runs its MemoryAllocator (greedy bottom-up placement of the given loops into the memory levels) and costs that
one mapping. Where ZigZag would silently fall back to a LOMA search (ordering incomplete for the temporal loops left
by the spatial mapping) this script stops with an error instead, as it does when a layer has no entry of its own
(ZigZag would use the `default` entry), when an ordering names a dim the layer does not have (ZigZag would drop it
silently), when ZigZag cannot place the loops in its memories, or when anything but exactly one mapping is costed.

An array dimension the entry does not mention is given to ZigZag as an unrolling of factor 1 (otherwise ZigZag would
search spatial mappings for it).

Per layer OUT.json records energy (pJ), latency (`latency_total2`, cycles), the spatial mapping given and used, the
ordering given and the one ZigZag costed (`ordering_exact`: identical loop lists; `ordering_honoured`: the same loop
nest once adjacent loops of one dim are merged), and ZigZag's placement of the loops per operand and memory level.
A spatial mapping ZigZag altered or an ordering not honoured is reported (stderr, JSON) and, with --strict, an error.
Exit status: 0 scored, 1 the mapping cannot be scored as given (OUT.json then has "ok": false and the errors), 2 usage.
"""

from __future__ import annotations

import argparse
import copy
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import zz_common as zc  # noqa: E402

zc.ensure_venv()


class ScoreError(Exception):
    pass


def parse_spatial(entry_sm) -> dict:
    """Mapping-file spatial_mapping {"D1": ["K, 32", ...]} -> {"D1": {"K": 32}}."""
    out: dict = {}
    for oad, lst in (entry_sm or {}).items():
        out[str(oad)] = {}
        for s in lst or []:
            d, f = s.split(",")[0].strip(), s.split(",")[-1].strip()
            out[str(oad)][d] = int(f) if f.lstrip("-").isdigit() else f
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("workload")
    ap.add_argument("accel")
    ap.add_argument("mapping")
    ap.add_argument("out_json")
    ap.add_argument("--strict", action="store_true",
                    help="also fail when ZigZag altered a spatial mapping or did not honour an ordering")
    ap.add_argument("--verbose", action="store_true", help="ZigZag's INFO logging")
    a = ap.parse_args()
    zc.quiet_zigzag(a.verbose)

    import onnx
    import yaml
    from zigzag.mapping.spatial_mapping import MappingSingleOADim
    from zigzag.mapping.temporal_mapping import TemporalMappingType
    from zigzag.opt.loma.engine import LomaEngine
    from zigzag.opt.loma.memory_allocator import MemoryHierarchyTooSmallException, MemoryTooSmallException
    from zigzag.parser.mapping_validator import MappingValidator
    from zigzag.parser.onnx.onnx_model_parser import ONNXModelParser
    from zigzag.stages.evaluation.cost_model_evaluation import CostModelStage
    from zigzag.stages.mapping.spatial_mapping_generation import SpatialMappingGeneratorStage
    from zigzag.stages.mapping.temporal_mapping_generator_stage import TemporalMappingGeneratorStage
    from zigzag.stages.parser.accelerator_parser import AcceleratorParserStage
    from zigzag.workload.layer_node import LayerNode

    class GivenOrderingOnlyStage(TemporalMappingGeneratorStage):
        """TemporalMappingGeneratorStage that refuses ZigZag's fallback to a LOMA search: the layer's
        temporal_ordering must be complete for the temporal loops the spatial mapping leaves (ZigZag's own test)."""

        given_sm: dict = {}  # the entry's spatial mapping, for the error message

        def generate_temporal_mappings(self):
            engine = LomaEngine(accelerator=self.accelerator, layer=self.layer, spatial_mapping=self.spatial_mapping,
                                mapping_type=self.mapping_type, **self.kwargs)
            loops = engine.get_temporal_loops()
            if not self.layer.temporal_ordering.is_complete(loops):
                given: dict[str, int] = {}
                for d, f in self.layer.temporal_ordering.data:
                    given[str(d)] = given.get(str(d), 1) * (f if isinstance(f, int) else 0)
                given = {d: f for d, f in given.items() if f != 1}
                need = {str(k): zc.loop_size(v) for k, v in loops.items()}
                hint = ""
                sizes = {str(d): int(n) for d, n in self.layer.layer_dim_sizes.items()}
                unroll: dict[str, int] = {}
                for mm in self.layer.spatial_mapping.data.values():
                    for d, f in mm.items():
                        unroll[str(d)] = unroll.get(str(d), 1) * int(f)
                odd = sorted(d for d in set(need) | set(given) if d in unroll and sizes.get(d, 1) % unroll[d])
                if odd:
                    expect = ", ".join(f"{d} {sizes[d]} unrolled {unroll[d]}: ceil = {-(-sizes[d] // unroll[d])}"
                                       for d in odd)
                    hint = (f" (spatial factors that do not divide the layer dim: {expect}; ZigZag computes that "
                            f"ceiling in floating point as ceil(size / (size / ceil)), which can come out one higher)")
                used = zc.without_ones(zc.user_spatial(self.layer.spatial_mapping))
                if used != zc.without_ones(self.given_sm):
                    hint = (f" (ZigZag reduced the spatial mapping {zc.without_ones(self.given_sm)} to {used}: a "
                            f"factor exceeded the array dimension, the layer dim or a memory's capacity)")
                raise ScoreError(f"temporal_ordering is incomplete, ZigZag would search (LOMA) instead of costing it: "
                                 f"per dim the ordering multiplies to {given}, ZigZag's temporal loops left by the "
                                 f"spatial mapping are {need}{hint}")
            yield from super().generate_temporal_mappings()

    if not os.path.exists(a.workload):
        ap.error(f"no such workload {a.workload}")
    if not os.path.exists(a.mapping):
        ap.error(f"no such mapping file {a.mapping}")
    accel_name, hw_yaml = zc.resolve_accel(a.accel)
    res: dict = {
        "tool": "zigzag-dse", "version": zc.ZIGZAG_VERSION, "mode": "fixed mapping (no search)",
        "workload": os.path.abspath(a.workload), "accelerator": accel_name, "accelerator_yaml": hw_yaml,
        "mapping_yaml": os.path.abspath(a.mapping),
        "inputs_sha256": {"workload": zc.sha256_file(a.workload), "accelerator": zc.sha256_file(hw_yaml),
                          "mapping": zc.sha256_file(a.mapping)},
    }

    def fail(errors: list[str]) -> int:
        res.update(ok=False, errors=errors)
        zc.write_json(a.out_json, res)
        for e in errors:
            print(f"score_mapping: error: {e}", file=sys.stderr)
        print(f"score_mapping: {os.path.basename(a.mapping)} cannot be scored as given on {accel_name} "
              f"({len(errors)} error(s)); details in {a.out_json}", file=sys.stderr)
        return 1

    # ---- the mapping file as written, and ZigZag's validation of it ----
    with open(a.mapping) as f:
        try:
            raw = yaml.safe_load(f)
        except yaml.YAMLError as e:
            return fail([f"{a.mapping} is not valid YAML: {e}"])
    if not isinstance(raw, list) or not all(isinstance(x, dict) and "name" in x for x in raw):
        return fail([f"{a.mapping}: expected a YAML list of entries with a `name` each"])
    bad = [f"{x['name']}: {oad} {u!r}" for x in raw for oad, lst in (x.get("spatial_mapping") or {}).items()
           for u in (lst or []) if not str(u).split(",")[-1].strip().isdigit()]
    if bad:
        return fail([f"{a.mapping}: ZigZag needs integer spatial unrolling factors ('DIM, N'), found {', '.join(bad)}"])
    validator = MappingValidator(copy.deepcopy(raw))
    if not validator.validate():
        return fail([f"ZigZag rejects {a.mapping}: {validator.validator.errors or 'no `default` entry or bad entry'}"])
    by_name: dict[str, dict] = {}
    for x in raw:
        if str(x["name"]) in by_name:
            return fail([f"{a.mapping}: two entries named {x['name']!r} (ZigZag would use the first)"])
        by_name[str(x["name"])] = x

    # ---- ZigZag parses accelerator, workload and mapping ----
    t0 = time.perf_counter()
    accelerator = AcceleratorParserStage.parse_accelerator(hw_yaml)
    model = onnx.shape_inference.infer_shapes(onnx.load(a.workload))
    try:
        workload = ONNXModelParser(model, os.path.abspath(a.mapping)).run()
    except Exception as e:  # ZigZag's parsers raise assorted exceptions
        return fail([f"ZigZag cannot parse {a.workload} with {a.mapping}: {type(e).__name__}: {e}"])
    layers = [n for n in workload.topological_sort() if isinstance(n, LayerNode)]
    oa_dims = list(accelerator.operational_array.dimension_sizes)
    kwargs = dict(
        loma_lpf_limit=zc.LOMA_LPF, loma_show_progress_bar=False, nb_mappings_generated=1,
        enable_mix_spatial_mapping_generation=False, access_same_data_considered_as_no_access=True,
        temporal_mapping_type=TemporalMappingType.UNEVEN,
    )

    errors: list[str] = []
    warnings: list[str] = []
    out_layers: list[dict] = []
    for layer in layers:
        where = f"layer {layer.name!r} ({layer.type})"
        entry = by_name.get(str(layer.name))
        try:
            if entry is None:
                raise ScoreError(f"the mapping has no entry named {layer.name!r} (ZigZag would fall back to the "
                                 f"{'`' + layer.type + '`' if layer.type in by_name else '`default`'} entry); "
                                 f"entries: {', '.join(sorted(by_name))}")
            given_order = [[str(d), f] for d, f in (entry.get("temporal_ordering") or [])]
            layer_dims = {str(d) for d in layer.layer_dim_sizes.layer_dims}
            bad = sorted({d for d, f in given_order if d not in layer_dims and f != 1})
            if bad:
                raise ScoreError(f"temporal_ordering names dims {bad} this layer does not have (ZigZag's dims: "
                                 f"{ {str(d): int(s) for d, s in layer.layer_dim_sizes.items()} }); ZigZag would "
                                 f"drop those loops silently")
            given_sm = parse_spatial(entry.get("spatial_mapping"))
            bad = sorted({d for m in given_sm.values() for d in m if d not in layer_dims})
            if bad:
                raise ScoreError(f"spatial_mapping names dims {bad} this layer does not have")
            lay = copy.copy(layer)
            # every array dim needs an unrolling, or ZigZag searches spatial mappings for the missing ones
            filled = []
            sm = copy.deepcopy(lay.spatial_mapping)
            for oad in oa_dims:
                if oad not in sm or not sm[oad].items():
                    first = next(iter(layer.layer_dim_sizes.layer_dims))
                    sm[oad] = MappingSingleOADim({first: 1})
                    filled.append(str(oad))
            lay.spatial_mapping = sm
            GivenOrderingOnlyStage.given_sm = given_sm
            stage = SpatialMappingGeneratorStage([GivenOrderingOnlyStage, CostModelStage],
                                                 accelerator=accelerator, layer=lay, **kwargs)
            t1 = time.perf_counter()
            try:
                cmes = [c for c, _ in stage.run()]
            except MemoryTooSmallException as e:
                raise ScoreError(f"ZigZag cannot place the ordering in its memories (MemoryTooSmall): "
                                 f"{str(e).splitlines()[0][:300]}")
            except MemoryHierarchyTooSmallException as e:
                raise ScoreError(f"ZigZag cannot place the ordering in its memories (MemoryHierarchyTooSmall): "
                                 f"{str(e)[:300]}")
            except AssertionError as e:
                raise ScoreError(f"ZigZag assertion while costing: {e!r}"[:400])
            eval_s = time.perf_counter() - t1
            if len(cmes) != 1:
                raise ScoreError(f"ZigZag costed {len(cmes)} mappings instead of exactly the given one")
            cme = cmes[0]
        except ScoreError as e:
            errors.append(f"{where}: {e}")
            continue

        m = zc.cme_mapping(cme)
        used_sm = zc.without_ones(m["spatial"])
        spatial_honoured = used_sm == zc.without_ones(given_sm)
        given_clean = [[d, f] for d, f in given_order if f != 1 and d in layer_dims]
        costed = zc.concat_order(m["temporal"])
        allocated = zc.concat_order(m["temporal_allocated"])
        first_op = str(layer.layer_operands[0])
        exact = all(o == given_clean for o in list(costed.values()) + list(allocated.values()))
        honoured = all(zc.merged(o) == zc.merged(given_clean) for o in list(costed.values()) + list(allocated.values()))
        if not spatial_honoured:
            warnings.append(f"{where}: ZigZag altered the spatial mapping: given {zc.without_ones(given_sm)}, "
                            f"costed {used_sm}")
        if not honoured:
            warnings.append(f"{where}: ZigZag did not cost the given ordering: given {given_clean}, costed "
                            f"{ {op: o for op, o in costed.items()} }")
        rec = {
            **zc.layer_info(layer),
            **zc.cme_costs(cme),
            "spatial_given": given_sm,
            "spatial_used": m["spatial"],
            "spatial_filled_with_1": filled,
            "spatial_honoured": spatial_honoured,
            "ordering_given": given_order,
            "ordering_costed": costed[first_op],
            "ordering_exact": exact,
            "ordering_honoured": honoured,
            "memories": m["memories"],
            "temporal": m["temporal"],
            "temporal_allocated": m["temporal_allocated"],
            "eval_s": eval_s,
        }
        out_layers.append(rec)

    if a.strict:
        errors += [f"(--strict) {w}" for w in warnings]
    if errors:
        res["layers"] = out_layers
        return fail(errors)
    for w in warnings:
        print(f"score_mapping: warning: {w}", file=sys.stderr)
    unused = sorted(set(by_name) - {str(l.name) for l in layers} - {"default"})
    res.update({
        "ok": True,
        "warnings": warnings,
        "unused_entries": unused,
        "totals": {**zc.totals(out_layers),
                   "all_orderings_honoured": all(x["ordering_honoured"] for x in out_layers),
                   "all_orderings_exact": all(x["ordering_exact"] for x in out_layers),
                   "all_spatial_honoured": all(x["spatial_honoured"] for x in out_layers)},
        "wall_s_tool": time.perf_counter() - t0,
        "wall_s_process": zc.process_wall_s(),
        "layers": out_layers,
    })
    zc.write_json(a.out_json, res)
    t = res["totals"]
    print(f"[score_mapping] {os.path.basename(a.workload)} {accel_name}: E={t['energy_pj']:.6e} pJ "
          f"L={t['latency_cycles']:.6e} cc EDP={t['edp']:.4e} layers={t['n_layers']} "
          f"orderings honoured={t['all_orderings_honoured']} -> {a.out_json}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
