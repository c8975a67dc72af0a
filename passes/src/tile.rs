//! `tile`: chooses every MAC einsum's mapping on an accelerator — spatial unrolling over the
//! PE array, temporal tiling per memory level, loop order, bypass — by FADiff's gradient
//! search on the differentiable cost model (`dnnc-search`), and records it, with its cost, as
//! the einsum's `mapping` attribute (`dnnc-sched`). Non-MAC einsums get their vector-unit
//! `cost`.
//! Layers of the same shape are searched once.

use dnnc_arch::Accelerator;
use dnnc_einsum::{Einsum, layer_name};
use dnnc_ir::pass::{OptionKind, PassOptionDef, PassOptions};
use dnnc_ir::{Attribute, Changed, Context, Diagnostic, Diagnostics, OpId, Pass, PassContext, PassInfo};
use dnnc_search::{Options, search_layers};

pub static INFO: PassInfo = PassInfo {
    argument: "tile",
    summary: "Choose each MAC einsum's mapping on an accelerator by FADiff gradient search",
    description: "For every `einsum.op` of kind `mac`: many starts (spatial unrolls by PE \
        utilisation x stationarity loop orders) descend the relaxed cost model with Adam on log \
        tile factors, with capacity and divisibility penalties; the best start is rounded to \
        dividing factors and polished by local search on the exact model. The mapping and its \
        cost become the op's `mapping` attribute; non-MAC einsums get the vector unit's `cost`. The same `seed` gives the same schedule whatever the thread count.",
    anchor: None,
    options: &[
        crate::target::ARCH,
        crate::target::CAPACITY,
        crate::target::OBJECTIVE,
        PassOptionDef { name: "seed", kind: OptionKind::UInt, default: "0", help: "search seed" },
        PassOptionDef { name: "starts", kind: OptionKind::UInt, default: "8", help: "spatial unrolls tried per layer" },
        PassOptionDef { name: "steps", kind: OptionKind::UInt, default: "120", help: "gradient steps per start" },
        PassOptionDef {
            name: "spatial",
            kind: OptionKind::String,
            default: "",
            help: "fix the spatial unrolling, e.g. \"D1=K:32,D2=C:32\" (array dim = layer dim : factor)",
        },
        PassOptionDef {
            name: "search",
            kind: OptionKind::Enum(&["fadiff", "random", "exhaustive"]),
            default: "fadiff",
            help: "FADiff, or a baseline: random sampling at FADiff's evaluation budget, exhaustive (small layers)",
        },
    ],
    statistics: &[
        ("layers", "MAC einsums mapped"),
        ("searches", "distinct layer shapes searched"),
        ("vector-layers", "non-MAC einsums costed on the vector unit"),
    ],
    create,
};

fn create(opts: &PassOptions) -> Result<Box<dyn Pass>, String> {
    let (arch, objective) = crate::target::read(opts)?;
    let search = Options {
        objective,
        seed: opts.uint("seed"),
        spatial_candidates: opts.uint("starts").max(1) as usize,
        steps: opts.uint("steps") as usize,
        method: dnnc_search::Method::parse(opts.string("search"))
            .ok_or("search must be fadiff, random or exhaustive")?,
        fixed_spatial: parse_spatial(opts.string("spatial"))?,
        ..Options::default()
    };
    Ok(Box::new(Tile { arch, search }))
}

/// Parses `D1=K:32,D2=C:32` (empty: the search chooses).
fn parse_spatial(text: &str) -> Result<Option<dnnc_search::FixedSpatial>, String> {
    if text.trim().is_empty() {
        return Ok(None);
    }
    let bad = |item: &str| format!("spatial: expected ARRAY_DIM=LAYER_DIM:FACTOR, got '{item}'");
    text.split(',')
        .map(|item| {
            let (array_dim, rest) = item.split_once('=').ok_or_else(|| bad(item))?;
            let (dim, factor) = rest.split_once(':').ok_or_else(|| bad(item))?;
            let factor: u64 = factor.trim().parse().map_err(|_| bad(item))?;
            if factor == 0 {
                return Err(bad(item));
            }
            Ok((array_dim.trim().to_string(), dim.trim().to_string(), factor))
        })
        .collect::<Result<Vec<_>, _>>()
        .map(Some)
}

struct Tile {
    arch: Accelerator,
    search: Options,
}

fn cost_attr(entries: &[(&str, f64)], unit: &str) -> Attribute {
    Attribute::dict(
        entries.iter().map(|&(k, v)| (k.into(), Attribute::f64(v))).chain([("unit".into(), Attribute::string(unit))]),
    )
}

impl Pass for Tile {
    fn run(&mut self, cx: &mut Context, root: OpId, pcx: &mut PassContext) -> Result<Changed, Diagnostics> {
        let arch = &self.arch;
        let einsums: Vec<OpId> = cx.nested_ops(root).into_iter().filter(|&o| Einsum::of(cx, o).is_some()).collect();
        let mut macs = Vec::new();
        let mut layers = Vec::new();
        let mut errors = Vec::new();
        let mut vector = 0u64;
        for &op in &einsums {
            let kind = Einsum::of(cx, op).map(|e| e.kind == "mac").unwrap_or(false);
            if kind {
                match dnnc_cost::layer_of(cx, op, &layer_name(cx.loc(op)), arch.array.precision) {
                    Ok(layer) => {
                        macs.push(op);
                        layers.push(layer);
                    }
                    Err(e) => errors.push(Diagnostic::at_op(cx, op, format!("cannot cost this einsum: {e}"))),
                }
            } else {
                let cost = dnnc_cost::vector_work(cx, op)
                    .map_err(|e| e.to_string())
                    .and_then(|w| dnnc_cost::evaluate_vector(arch, &w).map_err(|e| e.to_string()));
                match cost {
                    Ok(c) => {
                        let attr = cost_attr(
                            &[
                                ("energy_pj", c.energy),
                                ("latency_cycles", c.latency),
                                ("compute_cycles", c.compute_cycles),
                                ("memory_cycles", c.memory_cycles),
                            ],
                            "vector_unit",
                        );
                        cx.set_attr(op, "cost", attr);
                        vector += 1;
                    }
                    Err(e) => errors.push(Diagnostic::at_op(cx, op, e)),
                }
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let (found, searches) = search_layers(arch, &layers, &self.search);
        for ((&op, layer), result) in macs.iter().zip(&layers).zip(found) {
            let c = match result {
                Ok(c) => c,
                Err(e) => {
                    errors.push(Diagnostic::at_op(cx, op, format!("no mapping on {}: {e}", arch.name)));
                    continue;
                }
            };
            cx.set_attr(op, "mapping", dnnc_sched::mapping_attr_with_cost(arch, layer, &c.mapping, &c.cost));
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        pcx.add_stat("layers", macs.len() as u64);
        pcx.add_stat("searches", searches as u64);
        pcx.add_stat("vector-layers", vector);
        Ok(Changed::Yes)
    }
}
