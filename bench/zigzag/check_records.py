#!/usr/bin/env python3
"""Independent consistency check of a records.jsonl written by gen_records.py (standard library only; does not
import zigzag). For every record:

  * all schema keys are present; `temporal[op]` has one list per memory level of `levels[op]`;
  * the concatenation of the loops over the levels (inner -> outer) is the same sequence for every operand
    (ZigZag's stationarity merge-down moves loops between levels but must not reorder them) and, for random
    records, equals the temporal ordering that was given to ZigZag;
  * per layer dim, the product of the temporal loops equals ceil(size / product of its user-level spatial factors);
  * ZigZag's totals add up: energy = mac + mem energy = mac + sum(energy_breakdown); latency_total0 =
    ideal_temporal_cycle + ss; latency_total1 = latency_total0 + onload; latency = latency_total1 + offload + drain;
  * the GEMM 512x768x768 LOMA record on tpu_like reproduces zigzag-model.md section 7
    (energy 193,795,473.408 pJ, latency 344,128 cycles).

Usage: check_records.py records.jsonl   (exit status 1 if any check fails)
"""

import json
import math
import sys
from collections import Counter

KEYS = ["workload", "arch", "layer", "source", "index", "dims", "operands", "memory_operand", "relevant", "pr",
        "pr_sizes", "precision", "spatial", "levels", "temporal", "temporal_ordering", "zigzag"]
ZKEYS = ["energy", "latency", "mac_energy", "mem_energy", "latency_total0", "latency_total1", "ideal_cycle",
         "energy_breakdown", "ss", "onload", "offload"]


def close(a, b, rel=1e-9):
    return abs(a - b) <= rel * max(abs(a), abs(b), 1.0)


def check(r) -> list[str]:
    errs = []
    missing = [k for k in KEYS if k not in r] + ["zigzag." + k for k in ZKEYS if k not in r.get("zigzag", {})]
    if missing:
        return [f"missing keys {missing}"]
    ops = r["operands"]
    seqs = {}
    for op in ops:
        if len(r["temporal"][op]) != len(r["levels"][op]):
            errs.append(f"{op}: {len(r['temporal'][op])} temporal levels vs {len(r['levels'][op])} memories")
        seqs[op] = [tuple(loop) for lvl in r["temporal"][op] for loop in lvl]
    first = seqs[ops[0]]
    for op in ops[1:]:
        if seqs[op] != first:
            errs.append(f"loop order of {op} differs from {ops[0]}: {seqs[op]} vs {first}")
    if r["source"] == "random" and [tuple(x) for x in r["temporal_ordering"]] != first:
        errs.append(f"costed order {first} differs from the given {r['temporal_ordering']}")
    tprod = Counter()
    for d, f in first:
        tprod[d] = tprod.get(d, 1) * f
    for d, n in r["dims"].items():
        sp = math.prod(m.get(d, 1) for m in r["spatial"].values())
        want = -(-n // sp)
        if tprod.get(d, 1) != want:
            errs.append(f"dim {d}: temporal product {tprod.get(d, 1)} != ceil({n}/{sp}) = {want}")
    for d in tprod:
        if d not in r["dims"]:
            errs.append(f"temporal loop over unknown dim {d}")
    z = r["zigzag"]
    if not close(z["energy"], z["mac_energy"] + z["mem_energy"]):
        errs.append("energy != mac_energy + mem_energy")
    if not close(z["mem_energy"], sum(sum(v) for v in z["energy_breakdown"].values())):
        errs.append("mem_energy != sum(energy_breakdown)")
    if "ideal_temporal_cycle" in z and not close(z["latency_total0"], z["ideal_temporal_cycle"] + z["ss"]):
        errs.append("latency_total0 != ideal_temporal_cycle + ss")
    if not close(z["latency_total1"], z["latency_total0"] + z["onload"]):
        errs.append("latency_total1 != latency_total0 + onload")
    if "drain" in z and not close(z["latency"], z["latency_total1"] + z["offload"] + z["drain"]):
        errs.append("latency != latency_total1 + offload + drain")
    if (r["workload"], r["arch"], r["layer"], r["source"]) == ("gemm_512x768x768", "tpu_like", "gemm", "loma"):
        if not (close(z["energy"], 193795473.408, 1e-12) and z["latency"] == 344128):
            errs.append(f"GEMM anchor: energy {z['energy']} latency {z['latency']} "
                        "(zigzag-model.md section 7: 193795473.408 pJ, 344128 cycles)")
    return errs


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    n = n_bad = 0
    kinds = Counter()
    seen = set()
    anchor = False
    for lineno, line in enumerate(open(sys.argv[1]), 1):
        r = json.loads(line)
        n += 1
        kinds[(r.get("arch"), r.get("source"))] += 1
        key = (r.get("workload"), r.get("arch"), r.get("layer"), r.get("source"), r.get("index"))
        errs = check(r)
        if key in seen:
            errs.append("duplicate (workload, arch, layer, source, index)")
        seen.add(key)
        anchor |= key[:4] == ("gemm_512x768x768", "tpu_like", "gemm", "loma")
        if errs:
            n_bad += 1
            if n_bad <= 20:
                print(f"line {lineno} {key}:", "; ".join(errs))
    print(f"{n} records ({', '.join(f'{a}/{s}: {c}' for (a, s), c in sorted(kinds.items()))}); "
          f"{n_bad} failed a check"
          + ("" if anchor else "; GEMM LOMA anchor record not present"))
    sys.exit(1 if n_bad else 0)


if __name__ == "__main__":
    main()
