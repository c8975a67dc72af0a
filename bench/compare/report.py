#!/usr/bin/env python3
"""The table of bench/compare/compare.sh (stdlib only).

  report.py MANIFEST.tsv [--json SUMMARY.json] [--no-summary]

MANIFEST.tsv (written by compare.sh): workload, accel, loma_json (loma.py), score_json (score_mapping.py on dnnc's
mapping), dnnc_wall_s, dnnc_json (`dnnc --emit=json` output or `-`), dnnc_mapping. Prints the comparison table, a
timing/detail table, dnnc's own cost model against ZigZag's score when dnnc_json is there, the footer, and as the last
line `key=value` pairs: edp_ratio_geomean, edp_ratio_max, speedup_geomean, workloads, pairs, and fusion_gain_cnn /
fusion_gain_gpt2 only when dnnc's schedule JSON has fused groups and its totals give the layer-by-layer latency
(--no-summary: no key=value line).
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import re
import sys

FUSION_KEYS = {"cnn_resnet18_stage1": "fusion_gain_cnn", "gpt2_block": "fusion_gain_gpt2"}
# a totals key holding the layer-by-layer (unfused) latency: `layerwise_latency_cycles`, `unfused_latency_cycles`,
# `layer_by_layer_latency_cycles`, ... (the schema adds it later; any of these spellings is accepted)
UNFUSED_KEY = re.compile(r"^(layer_?wise|layer_by_layer|unfused)_?latency(_cycles)?$"
                         r"|^latency(_cycles)?_(layer_?wise|layer_by_layer|unfused)$")
FUSED_KEYS = ("fused_latency_cycles", "latency_cycles")
DEVIATION_NOTE = 0.05  # footer line for pairs where ZigZag's score and dnnc's prediction differ by more than this


def g(x: float) -> str:
    return f"{x:.4g}"


def sci(x: float) -> str:
    return f"{x:.4e}"


def geomean(xs: list[float]) -> float:
    return math.exp(sum(math.log(x) for x in xs) / len(xs)) if xs else float("nan")


def fusion_gain(sched: dict) -> tuple[float | None, str]:
    """(layer-by-layer latency / fused latency, how it was found) when the schedule fuses anything (`groups` with
    non-empty member lists) and its totals give the layer-by-layer latency; (None, why not) otherwise."""
    groups = [grp for grp in sched.get("groups") or [] if isinstance(grp, dict) and (grp.get("layers") or
                                                                                    grp.get("members"))]
    if not groups:
        return None, "no fused groups"
    totals = sched.get("totals") or {}
    unfused_key = next((k for k in totals if UNFUSED_KEY.match(k) and isinstance(totals[k], (int, float))), None)
    fused_key = next((k for k in FUSED_KEYS if isinstance(totals.get(k), (int, float)) and totals[k] > 0), None)
    if unfused_key is None or fused_key is None:
        return None, f"{len(groups)} fused group(s) but totals has no layer-by-layer latency"
    return totals[unfused_key] / totals[fused_key], f"totals.{unfused_key} / totals.{fused_key}"


def dnnc_model(sched: dict, scored_layers: list[dict]) -> dict | None:
    """dnnc's own prediction for the layers ZigZag scored (PE-array MAC layers matched by name)."""
    by_name: dict[str, list[dict]] = {}
    for layer in sched.get("layers") or []:
        if layer.get("kind") == "mac" and layer.get("unit", "pe_array") == "pe_array":
            by_name.setdefault(layer.get("name"), []).append(layer)
    e = lat = 0.0
    worst = (0.0, "", "")
    for z in scored_layers:
        mine = by_name.get(z["name"])
        if not mine:
            return None
        de = sum(x["cost"]["energy_pj"] for x in mine)
        dl = sum(x["cost"]["latency_cycles"] for x in mine)
        e += de
        lat += dl
        for what, d, zz in (("E", de, z["energy_pj"]), ("L", dl, z["latency_cycles"])):
            if d and abs(zz / d - 1) > abs(worst[0]):
                worst = (zz / d - 1, z["name"], what)
    return {"energy_pj": e, "latency_cycles": lat, "edp": e * lat, "worst": worst}


def table(headers: list[str], rows: list[list[str]]) -> str:
    w = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(headers)]
    line = lambda cells: "| " + " | ".join(c.rjust(w[i]) if i > 1 else c.ljust(w[i]) for i, c in enumerate(cells)) + " |"
    return "\n".join([line(headers), "|" + "|".join("-" * (x + 2) for x in w) + "|"] + [line(r) for r in rows])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("manifest")
    ap.add_argument("--json", help="also write the numbers here")
    ap.add_argument("--no-summary", action="store_true", help="no key=value line (incomplete run)")
    a = ap.parse_args()

    with open(a.manifest, newline="") as f:
        entries = list(csv.DictReader(f, delimiter="\t"))
    rows, detail, model_rows, pairs = [], [], [], []
    fusion: dict[str, list[tuple[str, float]]] = {}
    marks = set()
    fusion_notes: set[str] = set()
    for ent in entries:
        loma = json.load(open(ent["loma_json"]))
        score = json.load(open(ent["score_json"]))
        sched = json.load(open(ent["dnnc_json"])) if ent["dnnc_json"] not in ("", "-") else None
        zt, dt = loma["totals"], score["totals"]
        dnnc_wall = float(ent["dnnc_wall_s"])
        zz_wall = float(loma["wall_s_process"])
        ratio = dt["edp"] / zt["edp"]
        speedup = zz_wall / dnnc_wall if dnnc_wall > 0 else float("inf")
        mark = ""
        if not dt.get("all_orderings_honoured", True):
            mark += "*"
            marks.add("*")
        if not dt.get("all_spatial_honoured", True):
            mark += "+"
            marks.add("+")
        rows.append([ent["workload"], ent["accel"], sci(zt["energy_pj"]), sci(zt["latency_cycles"]), sci(zt["edp"]),
                     f"{zz_wall:.2f}", sci(dt["energy_pj"]), sci(dt["latency_cycles"]), sci(dt["edp"]) + mark,
                     f"{dnnc_wall:.3f}", f"{ratio:.3f}", f"{speedup:.1f}"])
        detail.append([ent["workload"], ent["accel"], f"{loma['wall_s_tool']:.2f}", str(zt.get("cost_model_evals", "")),
                       str(dt["n_layers"]), f"{g(dt['energy_pj'] / zt['energy_pj'])}",
                       f"{g(dt['latency_cycles'] / zt['latency_cycles'])}",
                       "yes" if dt.get("all_orderings_exact") else ("merged" if dt.get("all_orderings_honoured")
                                                                    else "NO"),
                       "yes" if dt.get("all_spatial_honoured") else "NO"])
        pair = {"workload": ent["workload"], "accel": ent["accel"],
                "zigzag": {"energy_pj": zt["energy_pj"], "latency_cycles": zt["latency_cycles"], "edp": zt["edp"],
                           "wall_s_process": zz_wall, "wall_s_tool": loma["wall_s_tool"],
                           "cost_model_evals": zt.get("cost_model_evals")},
                "dnnc": {"energy_pj": dt["energy_pj"], "latency_cycles": dt["latency_cycles"], "edp": dt["edp"],
                         "wall_s": dnnc_wall, "orderings_honoured": dt.get("all_orderings_honoured"),
                         "spatial_honoured": dt.get("all_spatial_honoured")},
                "edp_ratio": ratio, "speedup": speedup,
                "files": {"loma": ent["loma_json"], "score": ent["score_json"], "dnnc_mapping": ent["dnnc_mapping"],
                          "dnnc_json": ent["dnnc_json"]}}
        if sched is not None:
            fg, fg_how = fusion_gain(sched)
            fusion_notes.add(fg_how)
            if fg is not None:
                pair["fusion_gain"] = fg
                fusion.setdefault(ent["workload"], []).append((ent["accel"], fg))
            mdl = dnnc_model(sched, score["layers"])
            if mdl is not None:
                pair["dnnc_model"] = mdl
                we, wname, wwhat = mdl["worst"]
                model_rows.append([ent["workload"], ent["accel"], sci(mdl["energy_pj"]), sci(mdl["latency_cycles"]),
                                   g(dt["energy_pj"] / mdl["energy_pj"]) if mdl["energy_pj"] else "-",
                                   g(dt["latency_cycles"] / mdl["latency_cycles"]) if mdl["latency_cycles"] else "-",
                                   f"{we:+.1%} ({wname} {wwhat})" if wname else "0",
                                   g(fg) if fg is not None else "-"])
        pairs.append(pair)

    print("dnnc vs ZigZag 3.9.1 LOMA: both mappings costed by ZigZag (E pJ, L = latency_total2 cycles, "
          "EDP = E*L, summed over the Conv/MatMul/Gemm layers)\n")
    print(table(["workload", "accel", "ZigZag E", "ZigZag L", "ZigZag EDP", "ZigZag wall s", "dnnc E", "dnnc L",
                 "dnnc EDP", "dnnc wall s", "EDP dnnc/ZZ", "speedup"], rows))
    print()
    print(table(["workload", "accel", "ZZ search s", "ZZ evals", "layers", "E dnnc/ZZ", "L dnnc/ZZ",
                 "dnnc order costed as given", "dnnc spatial as given"], detail))
    if model_rows:
        print("\ndnnc's own cost model (--emit=json) for the same layers vs ZigZag's score of dnnc's mapping:\n")
        print(table(["workload", "accel", "dnnc-model E", "dnnc-model L", "E ZZ/model", "L ZZ/model",
                     "largest per-layer deviation", "fusion gain"], model_rows))
    print("""
Notes:
* ZigZag: LOMA (lpf 6, minimal latency) under a FIXED spatial mapping: tpu_like uses ZigZag's bundled tpu_like
  mapping (K32 | C32 on every layer; conv1 clipped to C3), eyeriss_like uses the HAND-WRITTEN row-stationary-like
  mapping bench/zigzag/mappings/eyeriss_like_rs.yaml (Conv OY14 | FY3.K4, MatMul D14 | K12). dnnc chooses its own
  spatial mapping on both, so its rows compare dnnc's full search with LOMA's temporal search under that spatial
  mapping.
* dnnc E/L/EDP are ZigZag's cost of dnnc's mapping file (score_mapping.py: no search). ZigZag places dnnc's loop
  order into its memories with its own greedy allocator, so dnnc's intended per-operand cuts may differ.
* Only Conv/MatMul/Gemm layers are costed (ZigZag charges nothing for other ops); 8-bit I/W, 16-bit partial sums
  (ZigZag's defaults) on both sides.
* ZigZag wall = the whole loma.py process (interpreter start-up, imports, parsing, search; "ZZ search s" is the
  time inside ZigZag's pipeline); dnnc wall = the whole dnnc process (release build, build time excluded). Cached
  LOMA results keep the times of the run that produced them (compare.sh --regen-loma to re-time).
* speedup = ZigZag wall / dnnc wall; EDP dnnc/ZZ < 1 means dnnc's mapping is better by ZigZag's own measure.""")
    off = [f"{p['workload']}/{p['accel']} (E x{p['dnnc']['energy_pj'] / p['dnnc_model']['energy_pj']:.3g}, "
           f"L x{p['dnnc']['latency_cycles'] / p['dnnc_model']['latency_cycles']:.3g})"
           for p in pairs if "dnnc_model" in p and p["dnnc_model"]["energy_pj"] and p["dnnc_model"]["latency_cycles"]
           and max(abs(p["dnnc"]["energy_pj"] / p["dnnc_model"]["energy_pj"] - 1),
                   abs(p["dnnc"]["latency_cycles"] / p["dnnc_model"]["latency_cycles"] - 1)) > DEVIATION_NOTE]
    if off:
        print(f"* ZigZag's score of dnnc's mapping differs from dnnc's own prediction by more than "
              f"{DEVIATION_NOTE:.0%} on: {', '.join(off)}. Usual cause: ZigZag's allocator cut the loop order into "
              f"memory levels differently from dnnc (compare layers[].mapping.operands[].cuts in dnnc's JSON with "
              f"`temporal` in the score JSON).")
    if fusion_notes:
        print(f"* Fusion gain (dnnc's own model): {'; '.join(sorted(fusion_notes))}.")
    if "*" in marks:
        print("* EDP marked *: ZigZag did not cost some ordering of dnnc's exactly as given (see score JSON).")
    if "+" in marks:
        print("* EDP marked +: ZigZag altered some spatial mapping of dnnc's (see score JSON warnings).")

    ratios = [p["edp_ratio"] for p in pairs]
    speedups = [p["speedup"] for p in pairs if math.isfinite(p["speedup"])]
    summary = {
        "edp_ratio_geomean": geomean(ratios), "edp_ratio_max": max(ratios) if ratios else float("nan"),
        "speedup_geomean": geomean(speedups), "workloads": len({p["workload"] for p in pairs}), "pairs": len(pairs),
    }
    # fusion gain per workload: the first accelerator's (compare.sh's order: tpu_like first)
    for wl, key in FUSION_KEYS.items():
        if fusion.get(wl):
            summary[key] = fusion[wl][0][1]
    if a.json:
        with open(a.json, "w") as f:
            json.dump({"summary": summary, "pairs": pairs}, f, indent=1)
            f.write("\n")
    if not a.no_summary and pairs:
        fmt = lambda v: str(v) if isinstance(v, int) else f"{v:.4g}"
        print()
        print(" ".join(f"{k}={fmt(v)}" for k, v in summary.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
