//! `allocate-resources`: the parallelism of every kernel under the board's budgets. Per block
//! of dataflow stages (a function body, or each `dataflow.region`), the design's stream model
//! ([`dnnc_dataflow::design::design_of`]) goes to `dnnc_stream::allocate_resources`, which
//! finds the shortest period (slowest stage's busy cycles) whose minimal lanes fit the DSP,
//! BRAM, URAM, LUT and HBM-bandwidth budgets — balancing the stages — and the answer is
//! written back: each kernel's `parallelism`, the `ii` and `latency` it implies and its
//! `resources`; each DMA engine's `bytes_per_cycle`. A block that does not fit even at one
//! lane per kernel is an error asking for `partition-dataflow` first.
//!
//! A function's sequential regions are allocated as one bitstream holds them
//! (`regions=resident`, the default): every distinct region design stays on the fabric, regions
//! that are the same hardware (repeated layers) share one instance — the emitted HLS calls one
//! function for them — and the distinct designs split the budgets between them
//! (`dnnc_stream::allocate_resident`, minimising the summed latency); distinct designs that do
//! not fit side by side are an error. `regions=pipelined` keeps the same bitstream busy with a
//! stream of requests: each distinct design works on another request at once
//! (`dnnc_stream::allocate_pipelined`), so HBM bandwidth is split between them too and the
//! shares minimise the period, the busiest design's time per request — where that beats one
//! request at a time on the resident allocation (designs bound by HBM bandwidth gain nothing
//! from sharing it), else the function is allocated resident (statistic `resident-instead`;
//! attribute `pipelined_period_declined`, the period pipelining would have reached).
//! `regions=time-shared`
//! gives every region the whole budget instead: the bound of a fabric that swaps region designs
//! between invocations, which an FPGA does only by reconfiguring (milliseconds, where the model
//! charges 10 µs).
//!
//! A function split into regions records the choice in its `regions` attribute, which the
//! report and the HLS emitter read.

use dnnc_dataflow::design::{DesignMap, Synthetic, dataflow_blocks, design_of, function_of};
use dnnc_dataflow::{DECLINED_PERIOD_ATTR, DMA_LOAD, DMA_STORE, KERNEL, REGION, REGIONS_ATTR, RegionMode, estimate};
use dnnc_ir::pass::{OptionKind, PassOptionDef, PassOptions};
use dnnc_ir::{Attribute, Changed, Context, Diagnostic, Diagnostics, OpId, Pass, PassContext, PassInfo};
use dnnc_stream::Budgets;

use crate::dataflow_pipeline::{BOARD, FRACTION, budgets};

pub static INFO: PassInfo = PassInfo {
    argument: "allocate-resources",
    summary: "Choose each dataflow kernel's parallelism under the board's DSP, memory and HBM budgets",
    description: "Per function body or dataflow.region: the stream model's balanced allocation \
        (shortest slowest-stage period whose minimal lanes fit the budgets), written back as each \
        kernel's parallelism, ii, latency and resources, and each DMA's bytes_per_cycle. A function's \
        sequential regions share one bitstream (regions=resident): identical regions share one \
        instance and the distinct designs split the budgets, minimising the summed latency; \
        regions=pipelined keeps the designs of one bitstream busy with different requests at once (HBM \
        bandwidth split too, the shares minimising the busiest design's time per request), where that \
        beats one request at a time on the resident allocation; \
        regions=time-shared gives each region the whole budget (a bound: the fabric swapping region designs). \
        A function with regions records the choice in its `regions` attribute.",
    anchor: None,
    options: &[BOARD, FRACTION, REGIONS],
    statistics: &[
        ("blocks", "designs allocated (function bodies or regions)"),
        ("period-cycles", "largest period over the designs (slowest stage's busy cycles)"),
        ("dsp", "DSP slices used, summed over designs"),
        ("distinct-designs", "distinct region designs on the fabric side by side (regions=resident or pipelined)"),
        (
            "resident-instead",
            "functions allocated resident although regions=pipelined: one request at a time is as fast (their designs \
             share HBM bandwidth), or only it fits (their minimum HBM claims do not fit side by side)",
        ),
    ],
    create,
};

/// `regions=resident|pipelined|time-shared`: how a function's sequential regions share the fabric.
pub const REGIONS: PassOptionDef = PassOptionDef {
    name: "regions",
    kind: OptionKind::Enum(&RegionMode::NAMES),
    default: "resident",
    help: "resident: one bitstream, every distinct region design on the fabric at once (identical regions \
        share one instance), the budgets split between them, one request at a time; pipelined: the same \
        bitstream with each distinct design working on another request at once (HBM bandwidth split \
        too); time-shared: each region on the whole budget (a bound: the fabric swaps region designs)",
};

fn create(opts: &PassOptions) -> Result<Box<dyn Pass>, String> {
    let regions = opts.string("regions");
    let mode = RegionMode::parse(regions).ok_or_else(|| format!("unknown regions mode '{regions}'"))?;
    Ok(Box::new(AllocateResources { budgets: budgets(opts)?, mode }))
}

struct AllocateResources {
    budgets: Budgets,
    mode: RegionMode,
}

/// Writes a design's parallelism back into the IR.
pub fn write_back(cx: &mut Context, map: &DesignMap) {
    // The DMA engines behind kernels' whole-tensor operands and results, per kernel op.
    let mut memory: Vec<(OpId, Vec<(String, Attribute)>)> = Vec::new();
    for (k, &(op, synthetic)) in map.kernel_ops.iter().enumerate() {
        let kern = &map.design.kernels[k];
        if let Some(s) = synthetic {
            let port = match s {
                Synthetic::Operand(i) => format!("in{i}"),
                Synthetic::Result(i) => format!("out{i}"),
            };
            let entry = (port, Attribute::i64(kern.parallelism as i64));
            match memory.iter_mut().find(|(o, _)| *o == op) {
                Some((_, ports)) => ports.push(entry),
                None => memory.push((op, vec![entry])),
            }
            continue;
        }
        if cx.is(op, KERNEL) {
            let p = kern.parallelism;
            let (ii, latency) = estimate::timing(cx, op, p);
            cx.set_attr(op, "ii", Attribute::i64(ii as i64));
            cx.set_attr(op, "latency", Attribute::i64(latency as i64));
            cx.set_attr(op, "parallelism", Attribute::i64(p as i64));
            let r = kern.resources();
            let res = [("dsp", r.dsp), ("bram", r.bram36), ("uram", r.uram), ("lut", r.lut)];
            cx.set_attr(op, "resources", Attribute::dict(res.map(|(k, v)| (k.into(), Attribute::i64(v as i64)))));
        } else if cx.is(op, DMA_LOAD) || cx.is(op, DMA_STORE) {
            cx.set_attr(op, "bytes_per_cycle", Attribute::i64(kern.parallelism as i64));
        }
    }
    for (op, ports) in memory {
        cx.set_attr(op, "memory_bytes_per_cycle", Attribute::dict(ports.into_iter().map(|(k, v)| (k.into(), v))));
    }
}

/// In debug builds (the tests): the IR written back models as the design that was allocated —
/// every kernel's lanes, `ii` and latency — so what the allocation optimised is what the IR,
/// the report and the HLS say.
fn debug_assert_round_trip(cx: &Context, block: dnnc_ir::BlockId, allocated: &DesignMap) {
    if cfg!(debug_assertions) {
        let again = design_of(cx, block, &allocated.design.name).expect("the block modelled before");
        for (a, b) in allocated.design.kernels.iter().zip(&again.design.kernels) {
            assert_eq!(
                (a.parallelism, a.ii, a.latency, a.firings),
                (b.parallelism, b.ii, b.latency, b.firings),
                "{}: kernel {} as allocated (lanes, ii, latency, firings) vs as written back",
                allocated.design.name,
                a.name
            );
        }
    }
}

/// A name for the design of a block: its function's or region's.
pub fn block_name(cx: &Context, block: dnnc_ir::BlockId) -> String {
    let Some(op) = cx.block_parent_op(block) else { return "design".into() };
    if let Some(p) = cx.attr(op, "partition").and_then(Attribute::as_int) {
        let f = cx.parent_op(op).and_then(|f| cx.attr(f, "sym_name")).and_then(Attribute::as_str).unwrap_or("design");
        return format!("{f}.region{p}");
    }
    cx.attr(op, "sym_name").and_then(Attribute::as_str).unwrap_or("design").to_string()
}

/// A diagnostic at the op holding `block`.
fn at_block(cx: &Context, block: dnnc_ir::BlockId, msg: String) -> Diagnostic {
    match cx.block_parent_op(block) {
        Some(op) => Diagnostic::at_op(cx, op, msg),
        None => Diagnostic::error(msg),
    }
}

/// Raises the `period-cycles` statistic (a maximum over designs; statistics only add) to `period`.
fn raise_period_stat(pcx: &mut PassContext, period: u64) {
    let prev = pcx.statistics().get("period-cycles").copied().unwrap_or(0);
    if period > prev {
        pcx.add_stat("period-cycles", period - prev);
    }
}

impl AllocateResources {
    /// Allocates `maps` (one function's blocks) together, side by side in one bitstream. Returns
    /// how the regions share the fabric, and the period pipelining would have reached when it
    /// was asked for and declined.
    fn allocate_group(
        &self,
        maps: &mut [DesignMap],
        pcx: &mut PassContext,
    ) -> Result<(RegionMode, Option<f64>), String> {
        let mut designs: Vec<_> = maps.iter().map(|m| m.design.clone()).collect();
        let resident = |designs: &mut [dnnc_stream::Design]| {
            dnnc_stream::allocate_resident(designs, &self.budgets).map_err(|e| e.to_string())
        };
        let mut declined = None;
        let (mode, dsp, distinct) = if self.mode == RegionMode::Pipelined && designs.len() > 1 {
            // Pipelined only where it raises the throughput: when the designs are bound by HBM
            // bandwidth, which they then share, one request at a time on the resident
            // allocation is as fast or faster; and when their minimum HBM claims do not fit
            // side by side, only one request at a time fits.
            let mut piped = designs.clone();
            let pipelined = dnnc_stream::allocate_pipelined(&mut piped, &self.budgets);
            let alone = resident(&mut designs)?;
            match pipelined {
                Ok(plan) if plan.schedule.period_cycles < alone.latency_cycles => {
                    designs = piped;
                    (RegionMode::Pipelined, plan.resources.dsp, plan.uses.len())
                }
                Ok(plan) => {
                    pcx.add_stat("resident-instead", 1);
                    declined = Some(plan.schedule.period_cycles);
                    (RegionMode::Resident, alone.resources.dsp, alone.uses.len())
                }
                Err(_) => {
                    pcx.add_stat("resident-instead", 1);
                    (RegionMode::Resident, alone.resources.dsp, alone.uses.len())
                }
            }
        } else {
            let plan = resident(&mut designs)?;
            (self.mode, plan.resources.dsp, plan.uses.len())
        };
        for (map, d) in maps.iter_mut().zip(designs) {
            map.design = d;
        }
        pcx.add_stat("blocks", maps.len() as u64);
        pcx.add_stat("dsp", dsp);
        pcx.add_stat("distinct-designs", distinct as u64);
        let period = maps.iter().map(|m| dnnc_stream::analysis::period(&m.design).0 as u64).max().unwrap_or(0);
        raise_period_stat(pcx, period);
        Ok((mode, declined))
    }
}

impl Pass for AllocateResources {
    fn run(&mut self, cx: &mut Context, root: OpId, pcx: &mut PassContext) -> Result<Changed, Diagnostics> {
        let mut errors = Vec::new();
        let mut changed = false;
        let blocks = dataflow_blocks(cx, root);
        // Functions split into regions record how their regions share the fabric.
        let mut split: Vec<OpId> = blocks
            .iter()
            .filter(|&&b| cx.block_parent_op(b).is_some_and(|op| cx.is(op, REGION)))
            .filter_map(|&b| function_of(cx, b))
            .collect();
        split.dedup();
        if self.mode != RegionMode::TimeShared {
            // One group per function, its blocks in order.
            let mut groups: Vec<(Option<OpId>, Vec<dnnc_ir::BlockId>)> = Vec::new();
            for &block in &blocks {
                let f = function_of(cx, block);
                match groups.iter_mut().find(|(g, _)| *g == f) {
                    Some((_, bs)) => bs.push(block),
                    None => groups.push((f, vec![block])),
                }
            }
            for (f, group) in groups {
                let mut maps = Vec::new();
                for &block in &group {
                    match design_of(cx, block, &block_name(cx, block)) {
                        Ok(m) => maps.push(m),
                        Err(e) => errors.push(at_block(cx, block, format!("cannot model the dataflow design: {e}"))),
                    }
                }
                if maps.len() != group.len() {
                    continue;
                }
                match self.allocate_group(&mut maps, pcx) {
                    Ok((mode, declined)) => {
                        for (map, &block) in maps.iter().zip(&group) {
                            write_back(cx, map);
                            debug_assert_round_trip(cx, block, map);
                        }
                        if let Some(f) = f.filter(|f| split.contains(f)) {
                            cx.set_attr(f, REGIONS_ATTR, Attribute::string(mode.as_str()));
                            // A decline recorded by an earlier run does not outlive this one.
                            match declined {
                                Some(period) => cx.set_attr(f, DECLINED_PERIOD_ATTR, Attribute::f64(period)),
                                None => {
                                    cx.remove_attr(f, DECLINED_PERIOD_ATTR);
                                }
                            }
                        }
                        changed = true;
                    }
                    Err(e) => errors.push(match f {
                        Some(f) => Diagnostic::at_op(cx, f, e),
                        None => Diagnostic::error(e),
                    }),
                }
            }
        } else {
            for &f in &split {
                cx.set_attr(f, REGIONS_ATTR, Attribute::string(self.mode.as_str()));
                cx.remove_attr(f, DECLINED_PERIOD_ATTR);
            }
            for &block in &blocks {
                let name = block_name(cx, block);
                let mut map = match design_of(cx, block, &name) {
                    Ok(m) => m,
                    Err(e) => {
                        errors.push(at_block(cx, block, format!("cannot model the dataflow design: {e}")));
                        continue;
                    }
                };
                match dnnc_stream::allocate_resources(&mut map.design, &self.budgets) {
                    Ok(a) => {
                        write_back(cx, &map);
                        debug_assert_round_trip(cx, block, &map);
                        changed = true;
                        pcx.add_stat("blocks", 1);
                        pcx.add_stat("dsp", a.resources.dsp);
                        raise_period_stat(pcx, a.period);
                    }
                    Err(e) => errors.push(at_block(cx, block, e.to_string())),
                }
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(changed.into())
    }
}
