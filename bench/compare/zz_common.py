"""Shared helpers of bench/compare/score_mapping.py and bench/compare/loma.py.

Importable by any Python 3: nothing here imports ZigZag at module level. `ensure_venv()` re-executes the calling
script under the bench/zigzag venv (`$DNNC_BENCH_WORK/zigzag-venv`, made by bench/zigzag/setup.sh) when ZigZag is
not importable, so the scripts can be run directly.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ZIGZAG_BENCH = os.path.join(os.path.dirname(HERE), "zigzag")
HW_DIR = os.path.join(ZIGZAG_BENCH, "hw")
MAPPING_DIR = os.path.join(ZIGZAG_BENCH, "mappings")
ZIGZAG_VERSION = "3.9.1"

# ZigZag 3.9.1's defaults as zigzag.api.get_hardware_performance_zigzag sets them (and the anchors used them)
LOMA_LPF = 6
NB_SPATIAL_MAPPINGS = 3


def work_dir() -> str:
    return os.environ.get("DNNC_BENCH_WORK", os.path.expanduser("~/.cache/dnnc-bench"))


def ensure_venv() -> None:
    """Re-exec this script with the bench/zigzag venv's Python unless ZigZag is importable here."""
    try:
        import zigzag  # noqa: F401

        return
    except ImportError:
        pass
    py = os.path.join(work_dir(), "zigzag-venv", "bin", "python")
    if os.path.exists(py) and not os.environ.get("DNNC_COMPARE_REEXEC"):
        os.environ["DNNC_COMPARE_REEXEC"] = "1"
        os.execv(py, [py, os.path.abspath(sys.argv[0])] + sys.argv[1:])
    sys.exit(f"{os.path.basename(sys.argv[0])}: ZigZag is not importable and {py} does not work; "
             f"run bench/zigzag/setup.sh first")


def resolve_accel(accel: str) -> tuple[str, str]:
    """ACCEL (a preset name: tpu_like, eyeriss_like, or a hardware YAML path) -> (name, absolute yaml path)."""
    if os.path.exists(accel):
        path = os.path.abspath(accel)
        return os.path.splitext(os.path.basename(path))[0], path
    path = os.path.join(HW_DIR, accel + ".yaml")
    if os.path.exists(path):
        return accel, path
    known = sorted(os.path.splitext(f)[0] for f in os.listdir(HW_DIR) if f.endswith(".yaml"))
    sys.exit(f"unknown accelerator {accel!r}: neither a file nor one of {', '.join(known)} in {HW_DIR}")


def sha256_file(path: str) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def process_wall_s() -> float:
    """Seconds since this process started (interpreter start-up and imports included): /proc on Linux."""
    try:
        with open("/proc/self/stat") as f:
            stat = f.read()
        start_ticks = int(stat.rsplit(")", 1)[1].split()[19])  # field 22: starttime, clock ticks after boot
        with open("/proc/uptime") as f:
            uptime = float(f.read().split()[0])
        return max(0.0, uptime - start_ticks / os.sysconf("SC_CLK_TCK"))
    except (OSError, ValueError, IndexError):
        return time.perf_counter() - _T_IMPORT


_T_IMPORT = time.perf_counter()


def num(x):
    """JSON-friendly number (numpy scalars included); integral floats stay floats."""
    if isinstance(x, (bool, int)):
        return x
    try:
        import numpy as np

        if isinstance(x, np.integer):
            return int(x)
    except ImportError:
        pass
    return float(x)


def loop_size(f):
    f = num(f)
    return int(f) if isinstance(f, float) and f.is_integer() else f


def concat_order(temporal: dict) -> dict[str, list]:
    """{operand: [[loops of a level] per level]} -> {operand: all loops inner -> outer}."""
    return {op: [loop for lvl in levels for loop in lvl] for op, levels in temporal.items()}


def merged(order: list) -> list:
    """Adjacent loops of the same dim merged into one (their product): [[C,4],[C,6]] -> [[C,24]]; size-1 loops dropped.
    Two orderings with the same merged form describe the same loop nest."""
    out: list = []
    for d, f in order:
        if f == 1:
            continue
        if out and out[-1][0] == d:
            out[-1] = [d, out[-1][1] * f]
        else:
            out.append([d, f])
    return out


def user_spatial(sm) -> dict:
    """ZigZag SpatialMapping (user level) -> {"D1": {"K": 32}, ...}."""
    return {str(oad): {str(d): loop_size(f) for d, f in m.items()} for oad, m in sm.items()}


def without_ones(sm: dict) -> dict:
    out = {}
    for oad, m in sm.items():
        mm = {d: f for d, f in m.items() if f != 1}
        if mm:
            out[oad] = mm
    return out


def cme_costs(cme) -> dict:
    """The numbers compare.sh reads, plus ZigZag's latency decomposition."""
    e = float(cme.energy_total)
    lat = float(cme.latency_total2)
    return {
        "energy_pj": e,
        "latency_cycles": lat,  # ZigZag latency_total2
        "edp": e * lat,
        "mac_energy_pj": float(cme.mac_energy),
        "mem_energy_pj": float(cme.mem_energy),
        "latency_total0": float(cme.latency_total0),
        "latency_total1": float(cme.latency_total1),
        "ideal_cycles": float(cme.ideal_cycle),
        "ideal_temporal_cycles": float(cme.ideal_temporal_cycle),
        "stall_slack": float(cme.stall_slack_comb),
        "onload_cycles": float(cme.data_onloading_cycle),
        "offload_cycles": float(cme.data_offloading_cycle),
        "drain_cycles": float(cme.systolic_drain_cycle),
        "utilization": float(cme.ideal_cycle) / lat if lat else 0.0,
        "mem_energy_breakdown_pj": {str(op): [float(v) for v in lst] for op, lst in cme.mem_energy_breakdown.items()},
    }


def cme_mapping(cme) -> dict:
    """Spatial mapping ZigZag costed and its temporal mapping per operand (memory names + loops per level)."""
    layer = cme.layer
    links = layer.memory_operand_links
    mem_h = cme.accelerator.memory_hierarchy
    tm = cme.temporal_mapping

    def levels(tmd) -> dict:
        return {str(op): [[[str(d), loop_size(f)] for d, f in lvl] for lvl in lvls] for op, lvls in tmd.items()}

    return {
        "spatial": user_spatial(layer.spatial_mapping),
        "memories": {str(op): [lv.memory_instance.name for lv in mem_h.get_memory_levels(links.layer_to_mem_op(op))]
                     for op in layer.layer_operands},
        "temporal": levels(tm.mapping_dic_stationary),
        "temporal_allocated": levels(tm.mapping_dic_origin),
    }


def layer_info(layer) -> dict:
    return {
        "name": layer.name,
        "type": layer.type,
        "dims": {str(d): int(s) for d, s in layer.layer_dim_sizes.items()},
        "macs": int(layer.total_mac_count),
        "precision": {str(k): int(v) for k, v in layer.operand_precision.data.items()},
    }


def totals(layers: list[dict]) -> dict:
    e = sum(x["energy_pj"] for x in layers)
    lat = sum(x["latency_cycles"] for x in layers)
    return {"energy_pj": e, "latency_cycles": lat, "edp": e * lat, "macs": sum(x["macs"] for x in layers),
            "n_layers": len(layers)}


def write_json(path: str, data: dict) -> None:
    os.makedirs(os.path.dirname(os.path.abspath(path)) or ".", exist_ok=True)
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        json.dump(data, f, indent=1)
        f.write("\n")
    os.replace(tmp, path)


def quiet_zigzag(verbose: bool) -> None:
    import logging

    logging.basicConfig(level=logging.INFO if verbose else logging.ERROR,
                        format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger().setLevel(logging.INFO if verbose else logging.ERROR)


def fmt_e(x: float) -> str:
    return f"{x:.4e}" if math.isfinite(x) else str(x)
