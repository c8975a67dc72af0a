#!/usr/bin/env python3
"""The table of bench/compare/stream.sh (stdlib only): Stream's fusion gain next to dnnc's.

  stream_report.py MANIFEST.tsv [--json SUMMARY.json]

MANIFEST.tsv (written by stream.sh): kind (`stream1`: Stream on the single-core system of an accelerator dnnc
schedules, `stream4`: Stream's own tpu_like_quad_core, `dnnc`: dnnc's schedule JSON, `dnnc-latency`: the same
with `--objective latency`), workload, accel, system,
fusion (per-layer | auto | attn+ffn | fadiff), json. Stream's gain = its per-layer latency / its best fused latency
(the fastest of the fused settings that Stream could allocate); dnnc's = report.py's fusion_gain (totals'
layer-by-layer latency / fused latency). Last line: key=value pairs: stream_gain_{cnn,gpt2}_1core and dnnc_gain_
{cnn,gpt2} (tpu_like), stream_gain_{cnn,gpt2}_4core (Stream's quad core), then the same with an _eyeriss_like
suffix, Stream's auto-only gain where a hand fusion was faster (..._auto), and the fused schedules' off-chip
traffic over the compulsory minimum (stream_dram_over_min_..., dnnc_dram_over_min_...), and dnnc's fused latency
scheduled for latency over Stream's fused latency (dnnc_latency_obj_fused_over_stream_fused_...).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from report import fusion_gain, table  # noqa: E402  (bench/compare/report.py: one definition of the gain)

SHORT = {"cnn_resnet18_stage1": "cnn", "gpt2_block": "gpt2", "gemm_512x768x768": "gemm"}
FUSED_MODES = ("auto", "attn+ffn")


def sci(x: float | None) -> str:
    return "-" if x is None else f"{x:.4e}"


def ratio(x: float | None, y: float | None) -> float | None:
    return x / y if x is not None and y else None


def fmt(x: float | None, spec: str = ".3f") -> str:
    return "-" if x is None else format(x, spec)


def stream_side(runs: dict[str, dict]) -> dict:
    """Per-layer and best fused Stream result of one workload x system."""
    pl = runs.get("per-layer")
    fused = [(m, r) for m, r in runs.items() if m in FUSED_MODES and r.get("ok")]
    best_mode, best = min(fused, key=lambda mr: mr[1]["latency_cycles"]) if fused else (None, None)
    pl_l = pl["latency_cycles"] if pl and pl.get("ok") else None
    f_l = best["latency_cycles"] if best else None
    comp = next((r["compulsory_offchip_bits"]["total"] for r in runs.values()), None)
    return {
        "per_layer_latency": pl_l, "fused_latency": f_l, "fused_mode": best_mode, "gain": ratio(pl_l, f_l),
        "per_layer_offchip_bits": pl["offchip_bits"] if pl and pl.get("ok") else None,
        "fused_offchip_bits": best["offchip_bits"] if best else None,
        "per_layer_energy_pj": pl["energy_pj"] if pl and pl.get("ok") else None,
        "fused_energy_pj": best["energy_pj"] if best else None,
        "compulsory_offchip_bits": comp,
        "modes": {m: ({"latency_cycles": r["latency_cycles"], "energy_pj": r["energy_pj"], "groups": r["n_groups"],
                       "offchip_bits": r["offchip_bits"], "wall_s": r["wall_s"]} if r.get("ok")
                      else {"error": r.get("error")}) for m, r in runs.items()},
    }


def mac_names(scheds: list[dict]) -> set[str]:
    """Names of the layers dnnc runs on the PE array (the MAC layers), from any of its schedules of a workload."""
    return {la["name"] for sch in scheds for la in sch.get("layers") or [] if la.get("unit") == "pe_array"}


def split_per_layer(run: dict | None, macs: set[str]) -> tuple[float | None, float | None]:
    """(cycles of the MAC groups, cycles of the other groups) of a Stream per-layer run; a node belongs to the dnnc
    layer of its name or of its name's prefix (Stream splits softmax into softmax_max, softmax_exp, ...)."""
    if not run or not run.get("ok") or not macs:
        return None, None
    mac = other = 0.0
    for g in run["groups"]:
        is_mac = any(n in macs or n.rsplit("_", 1)[0] in macs for n in g["nodes"])
        cycles = float((g.get("latency") or {}).get("total", 0))
        if is_mac:
            mac += cycles
        else:
            other += cycles
    return mac, other


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("manifest")
    ap.add_argument("--json", help="also write the numbers here")
    a = ap.parse_args()
    with open(a.manifest, newline="") as f:
        entries = list(csv.DictReader(f, delimiter="\t"))

    stream: dict[tuple[str, str, str], dict[str, dict]] = {}
    dnnc: dict[tuple[str, str], dict] = {}
    dnnc_latency: dict[tuple[str, str], dict] = {}  # dnnc --objective latency
    run_rows = []
    for ent in entries:
        with open(ent["json"]) as f:
            data = json.load(f)
        if ent["kind"] == "dnnc":
            dnnc[(ent["workload"], ent["accel"])] = data
            continue
        if ent["kind"] == "dnnc-latency":
            dnnc_latency[(ent["workload"], ent["accel"])] = data
            continue
        stream.setdefault((ent["kind"], ent["workload"], ent["accel"]), {})[ent["fusion"]] = data
        ok = data.get("ok")
        run_rows.append([ent["workload"], ent["accel"], ent["fusion"], str(data.get("n_groups", "-")),
                         sci(data.get("latency_cycles")), sci(data.get("energy_pj")), sci(data.get("offchip_bits")),
                         f"{data.get('wall_s', 0):.1f}", "ok" if ok else f"FAILED: {str(data.get('error'))[:70]}"])

    rows, pairs, split_rows = [], [], []
    summary: dict[str, float | int] = {}
    for (kind, wl, acc), runs in stream.items():
        s = stream_side(runs)
        pair = {"workload": wl, "hardware": acc, "cores": 1 if kind == "stream1" else 4, "stream": s}
        d_gain = d_lw = d_f = d_off = d_comp = None
        note = ""
        if kind == "stream1" and (wl, acc) in dnnc:
            sched = dnnc[(wl, acc)]
            totals = sched.get("totals") or {}
            d_gain, note = fusion_gain(sched)
            d_lw = next((v for k, v in totals.items() if k in ("layerwise_latency_cycles", "unfused_latency_cycles",
                                                                 "layer_by_layer_latency_cycles")), None)
            d_f = totals.get("latency_cycles")
            if d_gain is None and d_lw is not None and d_f:
                d_gain = d_lw / d_f  # no fused group: gain 1 by construction (report.py's gain needs a group)
            d_off, d_comp = totals.get("offchip_bits"), totals.get("compulsory_offchip_bits")
            pair["dnnc"] = {"layerwise_latency": d_lw, "fused_latency": d_f, "gain": d_gain, "gain_note": note,
                            "offchip_bits": d_off, "compulsory_offchip_bits": d_comp,
                            "layerwise_energy_pj": totals.get("layerwise_energy_pj"),
                            "fused_energy_pj": totals.get("energy_pj")}
        d_lat = None
        if kind == "stream1" and (wl, acc) in dnnc_latency:
            lt = dnnc_latency[(wl, acc)].get("totals") or {}
            d_lat = lt.get("latency_cycles")
            pair["dnnc_latency_objective"] = {"layerwise_latency": lt.get("layerwise_latency_cycles"),
                                              "fused_latency": d_lat, "fused_energy_pj": lt.get("energy_pj")}
        pairs.append(pair)
        hw = f"{acc} (1 core)" if kind == "stream1" else f"{acc} (Stream's, fp16)"
        s_mac, s_other = split_per_layer(runs.get("per-layer"), mac_names([v for (w, _), v in dnnc.items() if w == wl]))
        d_other = None
        if kind == "stream1" and (wl, acc) in dnnc and d_lw is not None:
            d_other = sum(la["cost"]["latency_cycles"] for la in dnnc[(wl, acc)].get("layers") or []
                          if la.get("unit") != "pe_array")
        if s_mac is not None:
            pair["stream"]["per_layer_split"] = {"mac_cycles": s_mac, "other_cycles": s_other}
            split_rows.append([wl, hw, sci(s_mac), sci(s_other),
                               sci(d_lw - d_other) if d_other is not None else "-", sci(d_other)])
        rows.append([wl, hw, sci(s["per_layer_latency"]), sci(s["fused_latency"]),
                     s["fused_mode"] or "-", fmt(s["gain"]), sci(d_lw), sci(d_f), fmt(d_gain),
                     fmt(ratio(s["per_layer_offchip_bits"], s["compulsory_offchip_bits"]), ".2f"),
                     fmt(ratio(s["fused_offchip_bits"], s["compulsory_offchip_bits"]), ".2f"),
                     fmt(ratio(d_off, d_comp), ".2f") if kind == "stream1" else "-",
                     sci(d_lat), fmt(ratio(d_lat, s["fused_latency"]))])
        short = SHORT.get(wl)
        tail = "" if acc == "tpu_like" else f"_{acc}"
        if short in ("cnn", "gpt2") and s["gain"] is not None:
            if kind == "stream1":
                summary[f"stream_gain_{short}_1core{tail}"] = s["gain"]
                auto = runs.get("auto")
                if s["fused_mode"] != "auto" and auto and auto.get("ok"):
                    summary[f"stream_gain_{short}_1core{tail}_auto"] = s["per_layer_latency"] / auto["latency_cycles"]
                if (r := ratio(s["fused_offchip_bits"], s["compulsory_offchip_bits"])) is not None:
                    summary[f"stream_dram_over_min_{short}_1core{tail}"] = r
            else:
                summary[f"stream_gain_{short}_4core"] = s["gain"]
        if kind == "stream1" and short in ("cnn", "gpt2") and (r := ratio(d_lat, s["fused_latency"])) is not None:
            summary[f"dnnc_latency_obj_fused_over_stream_fused_{short}{tail}"] = r
        if kind == "stream1" and short in ("cnn", "gpt2") and d_gain is not None:
            summary[f"dnnc_gain_{short}{tail}"] = d_gain
            if (r := ratio(d_off, d_comp)) is not None:
                summary[f"dnnc_dram_over_min_{short}{tail}"] = r
    order = ["stream_gain_cnn_1core", "stream_gain_gpt2_1core", "dnnc_gain_cnn", "dnnc_gain_gpt2",
             "stream_gain_cnn_4core", "stream_gain_gpt2_4core"]
    summary = {k: summary[k] for k in order if k in summary} | {k: v for k, v in sorted(summary.items())
                                                                  if k not in order}

    print("Fusion gain = layer-by-layer latency / fused latency (cycles), each tool by its own model, same workloads "
          "(8-bit operands, 16-bit partial sums on both sides, except the quad-core rows)\n")
    print(table(["workload", "hardware", "Stream per-layer L", "Stream fused L", "fused by", "Stream gain",
                 "dnnc layer-wise L", "dnnc fused L", "dnnc gain", "Stream DRAM/min per-layer",
                 "Stream DRAM/min fused", "dnnc DRAM/min fused", "dnnc fused L, latency obj.",
                 "that / Stream fused L"], rows))
    if split_rows:
        print("\nThe layer-by-layer baselines split: MAC layers (Conv/MatMul) and the others (ReLU, pooling, adds, "
              "softmax, norms, GELU), cycles:\n")
        print(table(["workload", "hardware", "Stream per-layer MAC", "Stream per-layer other", "dnnc layer-wise MAC",
                     "dnnc layer-wise other"], split_rows))
    print("\nEvery Stream run (L cycles, E pJ, off-chip bits read + written):\n")
    print(table(["workload", "system", "fusion", "groups", "L", "E", "off-chip bits", "wall s", "status"], run_rows))
    print("""
Notes:
* Stream per-layer: one fused group per node (Stream's layer-by-layer schedule, every tensor to and from DRAM).
  Stream fused: the faster of `auto` (Stream's generic mapping generator decides the groups and tiles) and, for the
  GPT-2 block, `attn+ffn` (the anchors' hand fusion: qk..av and up.gelu.down as groups, the 1.22x setting).
* 1-core rows: bench/compare/hw_stream/<accel>_1core.yaml = dnnc's preset as one Stream core, dnnc's vector unit
  as a second core with its own copy of the SRAM the vector unit uses, and the DRAM as Stream's off-chip core.
  Quad-core rows: Stream's bundled tpu_like_quad_core on the fp16 workloads (the anchors' setting; no dnnc
  counterpart).
* DRAM/min = off-chip bits (read + written) / compulsory bits (every weight, model input and output moved once, at
  8 bits; fp16 for the quad-core rows). Stream's from its memory-access estimate, dnnc's from totals.offchip_bits
  of its fused schedule (dnnc does not report the layer-wise traffic).
* dnnc gain with no fused group is layer-wise / fused latency all the same (1 or close to it).
* dnnc's default objective is EDP; "dnnc fused L, latency obj." is its fused schedule with `--objective latency`
  (the quantity the gain measures) and "that / Stream fused L" below 1 means dnnc's fused schedule is the faster.
* Split table: Stream's per-layer groups of a MAC node vs the rest (a node is a MAC node when dnnc runs the layer
  of that name on the PE array); dnnc's other = its vector-unit layers, MAC = the rest of its layer-wise latency.
  Both layer-by-layer baselines round-trip every tensor of a non-MAC layer through DRAM (dnnc's since 2026-11-24);
  dnnc's split shows its vector-unit layers' cost in the fused schedule (the JSON has no stand-alone cost per
  layer), so its MAC column is the layer-wise total minus that.""")
    if a.json:
        with open(a.json, "w") as f:
            json.dump({"summary": summary, "pairs": pairs}, f, indent=1)
            f.write("\n")
    print()
    print(" ".join(f"{k}={v:.4g}" for k, v in summary.items()))
    missing = [k for k in order if k not in summary]
    if missing:
        print(f"stream_report.py: no value for {', '.join(missing)} (a run failed or was not asked for)",
              file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
