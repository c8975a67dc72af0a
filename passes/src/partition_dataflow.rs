//! `partition-dataflow`: splits a dataflow design into sequential `dataflow.region`s. First at
//! its barriers (`dnnc_stream::phases`): stages that wait for a tensor another stage of the
//! block writes to HBM (or for a whole-tensor block) never run together with that writer, so
//! each such phase gets its own regions: in one bitstream the phases that repeat (a
//! transformer's layers) are then one design that `allocate-resources` and the HLS emitter
//! share, and on a time-shared fabric each phase gets the whole fabric. Then, within a phase, the stream
//! model's `dnnc_stream::partition` packs stages in topological order into regions that each
//! fit the budgets at one lane per kernel (a cut never points backwards, so a region only
//! reads what earlier ones wrote). Then:
//!
//! - a DMA load moves to its consumer's region and a DMA store to its producer's (they are
//!   sources and sinks, so this keeps the order and avoids cutting a stream that already
//!   comes from memory);
//! - a stream between regions is spilled: a `dataflow.dma_store` (reason `spill`) in the
//!   producer's region, a `dataflow.dma_load` of the same layout in the consumer's;
//! - each region's ops move into a `dataflow.region` (`partition` = its position) whose
//!   operands are the tensors it reads from outside (model inputs, weights, earlier regions'
//!   spills) and whose results are the tensors later regions or the function return use.
//!
//! A design without barriers that fits stays as it is (one implicit region). Regions run one after
//! another; `allocate-resources` then splits the budgets between the distinct region designs
//! (or gives each region all of them, `regions=time-shared`) and `size-fifos` works per region.

use std::collections::HashMap;

use dnnc_dataflow::design::{design_of, is_node};
use dnnc_dataflow::{CONVERTER, DMA_LOAD, DMA_STORE, FIFO, ITensor, REGION, YIELD};
use dnnc_ir::pass::PassOptions;
use dnnc_ir::{
    Attribute, BlockId, Changed, Context, Diagnostic, Diagnostics, OpId, OperationState, Pass, PassContext, PassInfo,
    ValueId,
};
use dnnc_stream::{Budgets, Design, Kernel, KernelKind, Resources};

use crate::dataflow_pipeline::{BOARD, FRACTION, budgets};
use crate::insert_dma::{dma_load, dma_store};

pub static INFO: PassInfo = PassInfo {
    argument: "partition-dataflow",
    summary: "Split a dataflow design into sequential dataflow regions at its barriers and where it exceeds the board",
    description: "Phases split at barriers (a stage reading back a tensor the block writes to HBM, or \
        a whole-tensor block, waits for the writer's last firing: they never run together, so each \
        phase is its own design, and phases that repeat are one design); within a phase, stages packed in topological order into regions \
        that fit the budgets at one lane per kernel (the stream model's partitioning); streams crossing a cut are spilled through \
        HBM (dma_store + dma_load); each region becomes a dataflow.region reading and writing \
        tensors. A design without barriers that fits is left unchanged.",
    anchor: None,
    options: &[BOARD, FRACTION],
    statistics: &[
        ("regions", "sequential regions"),
        ("spills", "streams spilled through HBM at the cuts"),
        ("spill-bytes", "bytes written and read back at the cuts"),
    ],
    create,
};

fn create(opts: &PassOptions) -> Result<Box<dyn Pass>, String> {
    Ok(Box::new(PartitionDataflow { budgets: budgets(opts)? }))
}

struct PartitionDataflow {
    budgets: Budgets,
}

impl Pass for PartitionDataflow {
    fn run(&mut self, cx: &mut Context, root: OpId, pcx: &mut PassContext) -> Result<Changed, Diagnostics> {
        let funcs: Vec<OpId> = cx.nested_ops(root).into_iter().filter(|&o| cx.is(o, "func.func")).collect();
        let mut changed = false;
        for f in funcs {
            let Some(body) = cx.body(f, 0) else { continue };
            if !cx.block_ops(body).any(|o| is_node(cx, o)) {
                continue;
            }
            let name = cx.attr(f, "sym_name").and_then(Attribute::as_str).unwrap_or("design").to_string();
            let map = design_of(cx, body, &name)
                .map_err(|e| vec![Diagnostic::at_op(cx, f, format!("cannot model the dataflow design: {e}"))])?;
            let (placement, count) =
                plan_regions(&map.design, &self.budgets).map_err(|e| vec![Diagnostic::at_op(cx, f, e)])?;
            pcx.add_stat("regions", count as u64);
            if count < 2 {
                continue;
            }
            let mut region_of: HashMap<OpId, usize> = HashMap::new();
            // Synthetic DMA (whole-tensor reads and writes) follow their kernel.
            for (k, &(op, synthetic)) in map.kernel_ops.iter().enumerate() {
                if synthetic.is_none() {
                    region_of.insert(op, placement[k]);
                }
            }
            let spilled = split(cx, body, &mut region_of);
            pcx.add_stat("spills", spilled.0);
            pcx.add_stat("spill-bytes", spilled.1);
            build_regions(cx, body, &region_of, count);
            changed = true;
        }
        Ok(changed.into())
    }
}

/// Minimum resources of a kernel: its buffers and one lane (or its fixed lanes).
fn min_resources(k: &Kernel) -> Resources {
    k.base.add(&k.lane.scale(if k.work == 0 { k.parallelism.max(1) } else { 1 }))
}

/// Memory blocks of a FIFO of the smallest depth (two tokens of `width_bits`); buffers up to
/// 1 Kb sit in LUTs.
fn fifo_blocks(width_bits: u64) -> Resources {
    let bytes = (2 * width_bits).div_ceil(8);
    if bytes * 8 <= 1024 {
        return Resources::default();
    }
    let (uram, bram) = (dnnc_dataflow::design::URAM_BYTES, dnnc_dataflow::design::BRAM36_BYTES);
    if bytes > 4 * uram {
        Resources { uram: bytes.div_ceil(uram), ..Resources::default() }
    } else {
        Resources { bram36: bytes.div_ceil(bram), ..Resources::default() }
    }
}

/// What one spill DMA engine (a store or a load at a cut) takes at one lane.
const SPILL: Resources = Resources { dsp: 0, bram36: 0, uram: 0, lut: 2020, hbm_bytes_per_cycle: 1.0 };

/// The region of every design kernel, and the number of regions.
///
/// First the design is split at its barriers ([`dnnc_stream::phases`]): a tensor a DMA store
/// (or a whole-tensor write) puts in HBM and a load of the same block reads back, or a block
/// buffering a whole tensor, means the reader's first firing waits for the writer's last, so
/// the two never run at the same time; in one region they would split the fabric between them
/// while each waits for the other. Every phase becomes its own regions, each on the whole
/// fabric. Within a phase, DMA engines are packed with the stage they serve (a load with its
/// consumer, a store with its producer), so the stream model partitions the stages with their
/// DMA costs included; a region that its FIFOs (at the smallest depth) and the spills at its
/// cuts would push over the budgets makes that phase's packing budgets shrink by 15 % and its
/// packing run again.
fn plan_regions(d: &Design, budgets: &Budgets) -> Result<(Vec<usize>, usize), String> {
    let n = d.kernels.len();
    let (ins, outs) = d.ports();
    let attach: Vec<Option<usize>> = (0..n)
        .map(|k| match d.kernels[k].kind {
            KernelKind::DmaLoad => outs[k].first().map(|&c| d.channel(c).consumer.index()),
            KernelKind::DmaStore => ins[k].first().map(|&c| d.channel(c).producer.index()),
            // A converter is placed with its consumer: where a cut separates it from its
            // producer, the spill's load delivers the converted layout itself (`split`).
            KernelKind::Converter => outs[k].first().map(|&c| d.channel(c).consumer.index()),
            _ => None,
        })
        .collect();
    let phase = dnnc_stream::phases(d).map_err(|e| e.to_string())?;
    // DMA engines follow the stage they serve, whatever their own phase.
    let stage_phase = |k: usize| phase[k];
    let mut phases: Vec<usize> = (0..n).filter(|&k| attach[k].is_none()).map(stage_phase).collect();
    phases.sort_unstable();
    phases.dedup();
    let mut region = vec![0usize; n];
    let mut count = 0usize;
    for &p in &phases {
        let stages: Vec<usize> = (0..n).filter(|&k| attach[k].is_none() && stage_phase(k) == p).collect();
        let (local, regions) = pack_phase(d, &attach, &stages, budgets)?;
        for (&k, &r) in stages.iter().zip(&local) {
            region[k] = count + r;
        }
        count += regions;
    }
    for k in 0..n {
        if let Some(s) = attach[k] {
            region[k] = region[s];
        }
    }
    Ok((region, count))
}

/// Packs the `stages` of one phase (with the DMA `attach`ed to them) into regions that fit
/// the budgets with their FIFOs and the spills at their cuts: the region of every stage,
/// counted from 0, and the number of regions.
fn pack_phase(
    d: &Design,
    attach: &[Option<usize>],
    stages: &[usize],
    budgets: &Budgets,
) -> Result<(Vec<usize>, usize), String> {
    let n = d.kernels.len();
    let mut pack = Design::new(d.name.clone());
    let mut pack_id = vec![None; n];
    for &k in stages {
        let mut kern = d.kernels[k].clone();
        for j in (0..n).filter(|&j| attach[j] == Some(k)) {
            kern.base = kern.base.add(&min_resources(&d.kernels[j]));
        }
        pack_id[k] = Some(pack.add_kernel(kern));
    }
    for ch in &d.channels {
        if let (Some(u), Some(v)) = (pack_id[ch.producer.index()], pack_id[ch.consumer.index()]) {
            pack.connect(ch.name.clone(), u, v, ch.width_bits, ch.tokens);
        }
    }
    // The stage a design kernel belongs to (itself, or the stage its DMA serves).
    let owner = |k: usize| attach[k].unwrap_or(k);
    let scale = |b: &Budgets, f: f64| Budgets {
        dsp: (b.dsp as f64 * f) as u64,
        bram36: (b.bram36 as f64 * f) as u64,
        uram: (b.uram as f64 * f) as u64,
        lut: (b.lut as f64 * f) as u64,
        hbm_bytes_per_cycle: b.hbm_bytes_per_cycle * f,
        ..b.clone()
    };
    let mut packing = budgets.clone();
    let no_fit =
        || format!("design '{}': no partition into regions fits the budgets with the spills at its cuts", d.name);
    for attempt in 0..40 {
        let part = match dnnc_stream::partition(&pack, &packing) {
            Ok(p) => p,
            Err(e) if attempt == 0 => return Err(e.to_string()),
            Err(_) => return Err(no_fit()),
        };
        let count = part.regions.len();
        let region_of = |k: usize| pack_id[owner(k)].map(|id| part.placement[id.index()].0);
        let mut used = vec![Resources::default(); count];
        for k in 0..n {
            if let Some(r) = region_of(k) {
                used[r] = used[r].add(&min_resources(&d.kernels[k]));
            }
        }
        for ch in &d.channels {
            // A store's outgoing channel is a dependency through memory, not a stream.
            if d.kernel(ch.producer).kind == KernelKind::DmaStore {
                continue;
            }
            let (ru, rv) = (region_of(ch.producer.index()), region_of(ch.consumer.index()));
            match (ru, rv) {
                (Some(ru), Some(rv)) if ru == rv => used[ru] = used[ru].add(&fifo_blocks(ch.width_bits)),
                _ => {
                    // A stream crossing a cut (or leaving the phase) is spilled on both sides.
                    for r in [ru, rv].into_iter().flatten() {
                        used[r] = used[r].add(&SPILL).add(&fifo_blocks(ch.width_bits));
                    }
                }
            }
        }
        if used.iter().all(|r| budgets.fits(r)) {
            let local = stages.iter().map(|&k| part.placement[pack_id[k].expect("a stage").index()].0).collect();
            return Ok((local, count));
        }
        packing = scale(&packing, 0.85);
    }
    Err(no_fit())
}

/// The region of every stage and FIFO, DMA moved next to the stage it serves; spills every
/// stream that crosses regions. Returns the spills and their bytes (written plus read).
fn split(cx: &mut Context, body: BlockId, region_of: &mut HashMap<OpId, usize>) -> (u64, u64) {
    let ops: Vec<OpId> = cx.block_ops(body).collect();
    // Loads join their consumer (through FIFOs), stores their producer.
    let consumer_region = |cx: &Context, region_of: &HashMap<OpId, usize>, v: ValueId| -> Option<usize> {
        let mut v = v;
        loop {
            let u = cx.uses(v).first()?.op;
            if cx.is(u, FIFO) {
                v = cx.result(u, 0);
                continue;
            }
            return region_of.get(&u).copied();
        }
    };
    for &op in &ops {
        if cx.is(op, DMA_LOAD)
            && let Some(r) = consumer_region(cx, region_of, cx.result(op, 0))
        {
            region_of.insert(op, r);
        }
    }
    for &op in &ops {
        if cx.is(op, DMA_STORE) || cx.is(op, FIFO) {
            let mut v = cx.operand(op, 0);
            while let Some(d) = cx.defining_op(v).filter(|&d| cx.is(d, FIFO)) {
                v = cx.operand(d, 0);
            }
            if let Some(r) = cx.defining_op(v).and_then(|d| region_of.get(&d).copied()) {
                region_of.insert(op, r);
            }
        }
    }
    // Spill streams between regions.
    let (mut spills, mut bytes) = (0u64, 0u64);
    for &op in &ops {
        let Some(&rv) = region_of.get(&op) else { continue };
        for i in 0..cx.operands(op).len() {
            let v = cx.operand(op, i);
            let Some(t) = ITensor::of(cx, cx.value_type(v)) else { continue };
            let Some(d) = cx.defining_op(v) else { continue };
            let Some(&ru) = region_of.get(&d) else { continue };
            if ru == rv {
                continue;
            }
            let after = cx.next_op(d).unwrap_or(op);
            let tensor = dma_store(cx, v, "spill", after);
            let store = cx.defining_op(tensor).expect("store op");
            region_of.insert(store, ru);
            spills += 1;
            if cx.is(op, CONVERTER) {
                // The tensor goes through HBM anyway: load it in the layout the converter
                // would have made, and drop the converter with its buffers.
                let out = cx.result(op, 0);
                let loaded = dma_load(cx, tensor, cx.value_type(out), "spill", op);
                let load = cx.defining_op(loaded).expect("load op");
                region_of.insert(load, rv);
                let read = ITensor::of(cx, cx.value_type(out)).map_or(0, |o| o.tokens() * o.tile_bytes());
                bytes += (t.tokens() * t.tile_bytes() + read) as u64;
                cx.replace_all_uses(out, loaded);
                region_of.remove(&op);
                cx.erase_op(op);
                break;
            }
            let loaded = dma_load(cx, tensor, cx.value_type(v), "spill", op);
            let load = cx.defining_op(loaded).expect("load op");
            region_of.insert(load, rv);
            cx.set_operand(op, i, loaded);
            bytes += 2 * (t.tokens() * t.tile_bytes()) as u64;
        }
    }
    (spills, bytes)
}

/// Moves the ops of each region into a `dataflow.region` placed before the function's
/// terminator, in region order.
fn build_regions(cx: &mut Context, body: BlockId, region_of: &HashMap<OpId, usize>, count: usize) {
    let Some(term) = cx.block_last(body) else { return };
    let ops: Vec<OpId> = cx.block_ops(body).collect();
    for r in 0..count {
        let members: Vec<OpId> = ops.iter().copied().filter(|o| region_of.get(o) == Some(&r)).collect();
        if members.is_empty() {
            continue;
        }
        // Values read from outside, in first-use order.
        let mut inputs: Vec<ValueId> = Vec::new();
        for &m in &members {
            for &v in cx.operands(m) {
                let inside = cx.defining_op(v).is_some_and(|d| members.contains(&d));
                if !inside && !inputs.contains(&v) {
                    inputs.push(v);
                }
            }
        }
        // Values used outside.
        let mut outputs: Vec<ValueId> = Vec::new();
        for &m in &members {
            for v in cx.results(m) {
                if cx.uses(v).iter().any(|u| !members.contains(&u.op)) {
                    outputs.push(v);
                }
            }
        }
        let region = cx.create_region();
        let arg_types: Vec<_> = inputs.iter().map(|&v| cx.value_type(v)).collect();
        let block = cx.create_block(&arg_types);
        cx.append_block(region, block);
        let name = cx.op_name(REGION);
        let loc = cx.loc(members[0]).clone();
        let result_types: Vec<_> = outputs.iter().map(|&v| cx.value_type(v)).collect();
        let op = cx.create_op(
            OperationState::new(name)
                .operands(inputs.iter().copied())
                .results(result_types)
                .attr("partition", Attribute::i64(r as i64))
                .regions([region])
                .loc(loc),
        );
        cx.insert_op_before(term, op);
        for (k, &v) in outputs.iter().enumerate() {
            let res = cx.result(op, k);
            cx.replace_uses_except(v, res, |u| members.contains(&u.op));
        }
        for &m in &members {
            cx.detach_op(m);
            cx.append_op(block, m);
        }
        let args: Vec<ValueId> = cx.block_args(block).to_vec();
        for (k, &v) in inputs.iter().enumerate() {
            cx.replace_uses_except(v, args[k], |u| !members.contains(&u.op));
        }
        let y = cx.op_name(YIELD);
        let yield_op = cx.create_op(OperationState::new(y).operands(outputs.iter().copied()));
        cx.append_op(block, yield_op);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn budgets() -> Budgets {
        Budgets {
            dsp: 1000,
            bram36: 100,
            uram: 10,
            lut: 1_000_000,
            hbm_bytes_per_cycle: 512.0,
            hbm_channel_bytes_per_cycle: 0.0,
            clock_mhz: 300.0,
            dsp_per_mac: 1.0,
            region_switch_cycles: 3000,
        }
    }

    /// load → a → store, then a load of the stored tensor → b → store: the memory dependency
    /// (store ⇒ load) is a barrier, so a and b go to different regions although both fit,
    /// each with its DMA.
    #[test]
    fn a_memory_dependency_splits_regions() {
        let mut d = Design::new("f");
        let x = d.add_kernel(Kernel::new("x", KernelKind::DmaLoad, 16, 1, 1));
        let a = d.add_kernel(Kernel::new("a", KernelKind::Compute, 16, 1, 1));
        let st = d.add_kernel(Kernel::new("st", KernelKind::DmaStore, 16, 1, 1));
        let ld = d.add_kernel(Kernel::new("ld", KernelKind::DmaLoad, 16, 1, 1));
        let b = d.add_kernel(Kernel::new("b", KernelKind::Compute, 16, 1, 1));
        let out = d.add_kernel(Kernel::new("out", KernelKind::DmaStore, 16, 1, 1));
        d.connect("x", x, a, 8, 16);
        d.connect("a", a, st, 8, 16);
        d.connect("st=>ld", st, ld, 1, 1);
        d.connect("t", ld, b, 8, 16);
        d.connect("b", b, out, 8, 16);
        let (region, count) = plan_regions(&d, &budgets()).unwrap();
        assert_eq!((region, count), (vec![0, 0, 0, 1, 1, 1], 2));
        // Without the dependency (b streams a's output), one region.
        let mut e = Design::new("g");
        let x = e.add_kernel(Kernel::new("x", KernelKind::DmaLoad, 16, 1, 1));
        let a = e.add_kernel(Kernel::new("a", KernelKind::Compute, 16, 1, 1));
        let b = e.add_kernel(Kernel::new("b", KernelKind::Compute, 16, 1, 1));
        e.connect("x", x, a, 8, 16);
        e.connect("a", a, b, 8, 16);
        assert_eq!(plan_regions(&e, &budgets()).unwrap(), (vec![0, 0, 0], 1));
    }

    /// Two stages of 60 BRAMs each in one phase on a 100-BRAM board: packed into two regions.
    #[test]
    fn a_phase_that_does_not_fit_is_packed() {
        let mut d = Design::new("f");
        let a = d.add_kernel(Kernel::new("a", KernelKind::Compute, 16, 1, 1));
        let b = d.add_kernel(Kernel::new("b", KernelKind::Compute, 16, 1, 1));
        d.kernel_mut(a).base.bram36 = 60;
        d.kernel_mut(b).base.bram36 = 60;
        d.connect("a", a, b, 8, 16);
        assert_eq!(plan_regions(&d, &budgets()).unwrap(), (vec![0, 1], 2));
    }
}
