#!/usr/bin/env python3
"""ZigZag 3.9.1's own mapping search (LOMA) on a workload, as the anchors ran it.

  loma.py WORKLOAD.onnx ACCEL MAPPING.yaml OUT.json [--lpf 6] [--emit-mapping FILE.yaml] [--keep-dump DIR] [--verbose]

ACCEL is tpu_like, eyeriss_like (bench/zigzag/hw/NAME.yaml) or a ZigZag hardware YAML path. MAPPING.yaml is the
ZigZag mapping file that fixes the spatial mapping (bench/zigzag/mappings/tpu_like.yaml: K32|C32;
bench/zigzag/mappings/eyeriss_like_rs.yaml: Conv OY14|FY3.K4, MatMul D14|K12) and the memory operand links.

The stage pipeline is zigzag.api.get_hardware_performance_zigzag's with its defaults (ONNX parser -> accelerator
parser -> save -> sum -> per layer -> minimal latency over spatial mappings -> SpatialMappingGenerator (3) ->
minimal latency over temporal mappings -> LOMA (lpf 6, uneven) -> cost model), the pipeline of the anchor runs
(anchors: run_zigzag.py --engine loma --lpf 6 --opt latency); ZigZag's dump folder goes to a temporary directory.

OUT.json: per layer energy (pJ), latency (`latency_total2`, cycles), the chosen spatial mapping and ordering, the
loops per operand and memory level, the search time of the layer and its number of cost-model evaluations; totals;
`wall_s_tool` (time inside ZigZag's pipeline) and `wall_s_process` (the whole process: interpreter start-up, imports,
parsing, search). --emit-mapping also writes LOMA's choice as a fixed mapping file (complete temporal_ordering per
layer) that score_mapping.py costs without search: a round-trip check of the two scripts.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import zz_common as zc  # noqa: E402

zc.ensure_venv()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("workload")
    ap.add_argument("accel")
    ap.add_argument("mapping")
    ap.add_argument("out_json")
    ap.add_argument("--lpf", type=int, default=zc.LOMA_LPF, help="LOMA loop-prime-factor limit (default 6)")
    ap.add_argument("--emit-mapping", help="write LOMA's choice as a fixed ZigZag mapping file here")
    ap.add_argument("--keep-dump", help="keep ZigZag's dump folder (loop_ordering.txt, JSON) in this directory")
    ap.add_argument("--verbose", action="store_true", help="ZigZag's INFO logging")
    a = ap.parse_args()
    zc.quiet_zigzag(a.verbose)

    import onnx
    import yaml
    import zigzag.cost_model.cost_model as cm
    from zigzag.mapping.temporal_mapping import TemporalMappingType
    from zigzag.parser.mapping_factory import MappingFactory
    from zigzag.stages.evaluation.cost_model_evaluation import CostModelStage
    from zigzag.stages.main import MainStage
    from zigzag.stages.mapping.spatial_mapping_generation import SpatialMappingGeneratorStage
    from zigzag.stages.mapping.temporal_mapping_generator_stage import TemporalMappingGeneratorStage
    from zigzag.stages.parser.accelerator_parser import AcceleratorParserStage
    from zigzag.stages.parser.onnx_model_parser import ONNXModelParserStage
    from zigzag.stages.parser.workload_parser import WorkloadParserStage
    from zigzag.stages.results.reduce_stages import MinimalLatencyStage, SumStage
    from zigzag.stages.results.save import CompleteSaveStage, SimpleSaveStage
    from zigzag.stages.results.visualization import VisualizationStage
    from zigzag.stages.stage import Stage
    from zigzag.stages.workload_iterator import WorkloadStage

    for p, what in ((a.workload, "workload"), (a.mapping, "mapping file")):
        if not os.path.exists(p):
            ap.error(f"no such {what} {p}")
    accel_name, hw_yaml = zc.resolve_accel(a.accel)

    # count cost-model evaluations (LOMA runs in this process)
    n_evals = [0]
    orig_init = cm.CostModelEvaluation.__init__

    def counted_init(self, *args, **kwargs):
        n_evals[0] += 1
        orig_init(self, *args, **kwargs)

    cm.CostModelEvaluation.__init__ = counted_init
    per_layer_time: dict[str, dict] = {}

    class LayerTimerStage(Stage):
        """Pass-through below WorkloadStage: wall time and cost-model evaluations of each layer's search."""

        def run(self):
            layer = self.kwargs["layer"]
            t, n = time.perf_counter(), n_evals[0]
            sub = self.list_of_callables[0](self.list_of_callables[1:], **self.kwargs)
            results = list(sub.run())
            per_layer_time[layer.name] = {"search_s": time.perf_counter() - t, "evals": n_evals[0] - n}
            yield from results

    dump = a.keep_dump or tempfile.mkdtemp(prefix="dnnc-compare-loma-")
    model = onnx.shape_inference.infer_shapes(onnx.load(a.workload))
    stages = [
        ONNXModelParserStage, AcceleratorParserStage, SimpleSaveStage, SumStage, WorkloadStage, LayerTimerStage,
        VisualizationStage, CompleteSaveStage, MinimalLatencyStage, SpatialMappingGeneratorStage, MinimalLatencyStage,
        TemporalMappingGeneratorStage, CostModelStage,
    ]
    main_stage = MainStage(
        list_of_callables=stages, accelerator=hw_yaml, workload=model, mapping=os.path.abspath(a.mapping),
        dump_folder=dump, loma_lpf_limit=a.lpf, loma_show_progress_bar=False,
        nb_mappings_generated=zc.NB_SPATIAL_MAPPINGS, enable_mix_spatial_mapping_generation=False,
        access_same_data_considered_as_no_access=True, temporal_mapping_type=TemporalMappingType.UNEVEN,
    )
    t0 = time.perf_counter()
    try:
        cmes = main_stage.run()
    finally:
        if not a.keep_dump:
            shutil.rmtree(dump, ignore_errors=True)
    wall_tool = time.perf_counter() - t0
    _total, per_layer = cmes[0]

    # the spatial mapping the file asks for, per layer (ZigZag clips it to the layer: conv1 C32 -> C3)
    data = WorkloadParserStage.parse_mapping_data(os.path.abspath(a.mapping))
    layers = []
    emitted = []
    for cme, _ in per_layer:
        layer = cme.layer
        m = zc.cme_mapping(cme)
        origin = zc.concat_order(m["temporal_allocated"])
        first_op = str(layer.layer_operands[0])
        ordering = origin[first_op]
        requested = zc.user_spatial(MappingFactory(layer.name, layer.type, data).create_spatial_mapping())
        layers.append({
            **zc.layer_info(layer),
            **zc.cme_costs(cme),
            "spatial_requested": requested,
            "spatial": m["spatial"],
            "ordering": ordering,
            "ordering_same_for_all_operands": all(o == ordering for o in origin.values()),
            "memories": m["memories"],
            "temporal": m["temporal"],
            "temporal_allocated": m["temporal_allocated"],
            **per_layer_time.get(layer.name, {}),
        })
        emitted.append({
            "name": str(layer.name),
            "spatial_mapping": {oad: [f"{d}, {f}" for d, f in mm.items()] for oad, mm in m["spatial"].items()},
            "temporal_ordering": ordering,
            "memory_operand_links": {str(k): str(v) for k, v in layer.memory_operand_links.data.items()},
        })
    res = {
        "tool": "zigzag-dse", "version": zc.ZIGZAG_VERSION,
        "mode": f"LOMA lpf {a.lpf}, minimal latency_total2, fixed spatial mapping from the mapping file",
        "workload": os.path.abspath(a.workload), "accelerator": accel_name, "accelerator_yaml": hw_yaml,
        "mapping_yaml": os.path.abspath(a.mapping),
        "inputs_sha256": {"workload": zc.sha256_file(a.workload), "accelerator": zc.sha256_file(hw_yaml),
                          "mapping": zc.sha256_file(a.mapping)},
        "settings": {"lpf": a.lpf, "opt": "latency", "nb_spatial_mappings": zc.NB_SPATIAL_MAPPINGS,
                     "temporal_mapping_type": "uneven", "mix_spatial": False},
        "ok": True,
        "totals": {**zc.totals(layers), "cost_model_evals": n_evals[0]},
        "wall_s_tool": wall_tool,
        "wall_s_process": zc.process_wall_s(),
        "layers": layers,
    }
    zc.write_json(a.out_json, res)
    if a.emit_mapping:
        default = {k: v for k, v in emitted[0].items() if k != "temporal_ordering"} if emitted else {}
        default["name"] = "default"
        os.makedirs(os.path.dirname(os.path.abspath(a.emit_mapping)) or ".", exist_ok=True)
        with open(a.emit_mapping, "w") as f:
            f.write(f"# ZigZag {zc.ZIGZAG_VERSION} LOMA (lpf {a.lpf}, min latency) choice for "
                    f"{os.path.basename(a.workload)} on {accel_name}, written by bench/compare/loma.py\n")
            dumper = type("NoAliases", (yaml.SafeDumper,), {"ignore_aliases": lambda self, data: True})
            yaml.dump([default] + emitted, f, Dumper=dumper, sort_keys=False, default_flow_style=None)
    t = res["totals"]
    print(f"[loma] {os.path.basename(a.workload)} {accel_name}: E={t['energy_pj']:.6e} pJ L={t['latency_cycles']:.6e} "
          f"cc EDP={t['edp']:.4e} layers={t['n_layers']} evals={t['cost_model_evals']} search {wall_tool:.2f} s, "
          f"process {res['wall_s_process']:.2f} s -> {a.out_json}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
