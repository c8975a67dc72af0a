//! From dataflow IR to the stream model's [`Design`] (`dnnc-stream`), which the FIFO-sizing LP,
//! the resource allocation, the partitioning and the simulator work on.
//!
//! One design per block of dataflow ops (a function body, or a `dataflow.region`'s body):
//!
//! | IR | design kernel |
//! | --- | --- |
//! | `dataflow.kernel` | `Compute`: firings = iterations of its loop nest, `work` = iteration points per firing ([`crate::estimate`]), lanes from its `parallelism`, lane cost by element type, tile buffers as BRAM |
//! | `dataflow.converter` | `Converter`: one token per cycle in and out, its ping-pong buffer as BRAM/URAM, `lead` = the tokens that fill its buffer before the first output |
//! | `dataflow.fork`, `dataflow.join` | `Fork`: one token per cycle |
//! | `dataflow.dma_load`, `dataflow.dma_store` | `DmaLoad`/`DmaStore`: one byte per lane-cycle, up to [`DMA_MAX_BYTES_PER_CYCLE`] (AXI ports of 512 bits striped over as many HBM pseudo channels as that takes), HBM bytes = the stream's |
//! | a kernel operand read whole, a kernel result written whole | a synthetic `DmaLoad`/`DmaStore` moving the tensor at the kernel's firing rate, with the fewest lanes that keep up with the kernel's `ii` |
//!
//! Every stream use is a channel (through any `dataflow.fifo` on the way, whose `depth` it
//! takes): tokens = the itensor's [`ITensor::tokens`], width = its tile's bits. A tensor that
//! one DMA (or whole-tensor write) of the block stores and another loads is a dependency
//! through memory: a one-token, one-bit channel from the writer to the reader, pushed at the
//! writer's last firing, so the read starts only after the write has finished.

use dnnc_ir::{Attribute, BlockId, Context, OpId, ValueDef, ValueId};
use dnnc_stream::{ChannelId, Design, Kernel, KernelId, KernelKind, Resources};

use crate::estimate;
use crate::{CONVERTER, DMA_LOAD, DMA_STORE, FIFO, FORK, ITensor, JOIN, KERNEL, REGION};

/// Cycles from a DMA request to its first data (the stream model's HBM latency).
pub const DMA_LATENCY: u64 = dnnc_stream::partition::DMA_LATENCY;
/// Bytes a DMA engine moves per cycle at most (several 512-bit AXI ports striped over HBM
/// pseudo channels; the board's HBM budget bounds the sum).
pub const DMA_MAX_BYTES_PER_CYCLE: u64 = dnnc_stream::partition::DMA_MAX_BYTES_PER_CYCLE;
/// Bytes of one 36 Kb block RAM and one 288 Kb UltraRAM.
pub const BRAM36_BYTES: u64 = 4608;
pub const URAM_BYTES: u64 = 36864;

/// Where a channel of the design is in the IR: the stream `value` consumed by operand `index`
/// of `consumer`, through `fifo` when there is one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Edge {
    pub value: ValueId,
    pub consumer: OpId,
    pub index: usize,
    pub fifo: Option<OpId>,
}

/// A design with the IR positions of its parts.
#[derive(Clone, Debug)]
pub struct DesignMap {
    pub design: Design,
    /// Per design kernel: its IR op, and whether it is the synthetic DMA of one of that op's
    /// operands or results rather than the op itself.
    pub kernel_ops: Vec<(OpId, Option<Synthetic>)>,
    /// Per channel: its edge in the IR (`None` for the channels of synthetic DMA).
    pub edges: Vec<Option<Edge>>,
}

/// A DMA that a kernel's whole-tensor operand or result implies.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Synthetic {
    Operand(usize),
    Result(usize),
}

impl DesignMap {
    /// The design kernel of an IR op (not its synthetic DMA).
    pub fn kernel_of(&self, op: OpId) -> Option<KernelId> {
        self.kernel_ops.iter().position(|&(o, s)| o == op && s.is_none()).map(|i| KernelId(i as u32))
    }
}

/// Whether an op is a node of the design (a stage); `dataflow.fifo` is a channel.
pub fn is_node(cx: &Context, op: OpId) -> bool {
    [KERNEL, CONVERTER, FORK, JOIN, DMA_LOAD, DMA_STORE].iter().any(|n| cx.is(op, n))
}

/// The blocks under `root` that hold dataflow stages: bodies of `dataflow.region`s, and other
/// blocks (function bodies) with stages directly in them. In program order.
pub fn dataflow_blocks(cx: &Context, root: OpId) -> Vec<BlockId> {
    let mut out: Vec<BlockId> = Vec::new();
    cx.walk(root, &mut |cx, op| {
        if is_node(cx, op)
            && let Some(b) = cx.parent_block(op)
            && !out.contains(&b)
        {
            out.push(b);
        }
    });
    out
}

/// The function a dataflow block belongs to (the block's own op when it is a function body).
pub fn function_of(cx: &Context, block: BlockId) -> Option<OpId> {
    let mut op = cx.block_parent_op(block)?;
    while !cx.is(op, "func.func") {
        op = cx.parent_op(op)?;
    }
    Some(op)
}

/// The allocated HBM bytes per cycle of the DMA engine behind a kernel's whole-tensor operand
/// or result `port` (`in0`, `out1`, …): its `memory_bytes_per_cycle` entry.
fn memory_lanes(cx: &Context, kernel: OpId, port: &str) -> Option<u64> {
    let ports = cx.attr(kernel, "memory_bytes_per_cycle")?.as_dict()?;
    ports.iter().find(|(k, _)| k.as_ref() == port).and_then(|(_, v)| v.as_int()).map(|b| b.max(1) as u64)
}

fn int(cx: &Context, op: OpId, key: &str) -> Option<i64> {
    cx.attr(op, key).and_then(Attribute::as_int)
}

fn memory(bytes: u64) -> Resources {
    if bytes > 4 * URAM_BYTES {
        Resources { uram: bytes.div_ceil(URAM_BYTES), ..Resources::default() }
    } else {
        Resources { bram36: bytes.div_ceil(BRAM36_BYTES), ..Resources::default() }
    }
}

fn dma_kernel(name: String, kind: KernelKind, tokens: u64, bytes_per_token: u64, lanes: Option<u64>) -> Kernel {
    let bytes_per_token = bytes_per_token.max(1);
    let mut k = Kernel::new(name, kind, tokens.max(1), 1, DMA_LATENCY);
    k.work = bytes_per_token;
    k.max_parallelism = bytes_per_token.clamp(1, DMA_MAX_BYTES_PER_CYCLE);
    k.lane = Resources { hbm_bytes_per_cycle: 1.0, lut: 20, ..Resources::default() };
    k.base = Resources { lut: 2000, ..Resources::default() };
    k.hbm_bytes = tokens.max(1) * bytes_per_token;
    k.set_parallelism(lanes.unwrap_or(k.max_parallelism).clamp(1, k.max_parallelism));
    k
}

/// Whether `op` is a constant whose values the IR keeps (`graph.constant` with a `value` or a
/// `splat`): the emitted C++ holds it as an array of its own, not a tensor in HBM.
pub fn is_kept_constant(cx: &Context, op: OpId) -> bool {
    cx.is(op, "graph.constant") && (cx.attr(op, "value").is_some() || cx.attr(op, "splat").is_some())
}

/// The constants kernel `op` reads whose values the IR keeps ([`is_kept_constant`], through
/// the operands of the regions around it), by op index, sorted.
fn kept_constants(cx: &Context, op: OpId) -> Vec<usize> {
    let mut out = Vec::new();
    for &v in cx.operands(op) {
        let mut v = v;
        for _ in 0..64 {
            match cx.value_def(v) {
                ValueDef::BlockArg { block, index } => match cx.block_parent_op(block) {
                    Some(parent) if cx.is(parent, REGION) => v = cx.operand(parent, index as usize),
                    _ => break,
                },
                ValueDef::OpResult { op: def, .. } => {
                    if is_kept_constant(cx, def) {
                        out.push(def.index());
                    }
                    break;
                }
            }
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// The stream model of a compute kernel op at its current `parallelism`.
pub fn compute_kernel(cx: &Context, op: OpId) -> Kernel {
    let name = cx.attr(op, "name").and_then(Attribute::as_str).unwrap_or("kernel").to_string();
    let firings = crate::firings(cx, op).max(1) as u64;
    let work = estimate::work_per_firing(cx, op);
    let kind = estimate::kernel_kind(cx, op);
    let lane = estimate::kernel_lane_cost(cx, op);
    let p = int(cx, op, "parallelism").unwrap_or(1).max(1) as u64;
    let (ii, latency) = estimate::timing(cx, op, p);
    let mut k = Kernel::new(name, KernelKind::Compute, firings, 1, latency);
    let nest = cx.attr(op, "loops").map(|a| format!("{a:?}")).unwrap_or_default();
    k.program = format!("{nest}; roms {:?}", kept_constants(cx, op));
    k.work = work;
    k.depth = Some(latency - ii);
    k.max_parallelism = work.max(1);
    k.lane = Resources { dsp: lane.dsp, lut: lane.lut, ..Resources::default() };
    // Double-buffered tiles of every streamed operand and result.
    let tiles: i64 = cx
        .operands(op)
        .iter()
        .copied()
        .chain(cx.results(op))
        .filter_map(|v| ITensor::of(cx, cx.value_type(v)))
        .map(|t| t.tile_bytes())
        .sum();
    k.base = memory(2 * tiles as u64).add(&Resources { lut: 1000, ..Resources::default() });
    if kind == "mac" {
        k.macs = work * firings;
    }
    k.set_parallelism(p.min(k.max_parallelism));
    k
}

/// Follows a stream back through FIFOs: the producing op and the FIFO passed, if any.
fn producer_of(cx: &Context, v: ValueId) -> (Option<OpId>, Option<OpId>, ValueId) {
    let mut v = v;
    let mut fifo = None;
    loop {
        match cx.defining_op(v) {
            Some(d) if cx.is(d, FIFO) => {
                fifo = Some(d);
                v = cx.operand(d, 0);
            }
            d => return (d, fifo, v),
        }
    }
}

/// The lead of a converter's input channel: the input tokens that fill its buffer (`fill`)
/// beyond those its rate already takes before its first output. The converter fires
/// `max(t_in, t_out)` times; its first output comes at firing `⌈F / t_out⌉ − 1`, by which its
/// rate has popped `⌈⌈F / t_out⌉ · t_in / F⌉` tokens. A converter that reorders tiles one for
/// one needs `fill − 1` more up front; one that gathers `t_in / t_out` tiles into each output
/// token (a row panel of 16×16 tiles for a whole-row consumer) pops a block per output through
/// its rate alone, so it needs none: a lead there would wait for two blocks before the first
/// output.
pub fn converter_lead(fill: u64, t_in: u64, t_out: u64) -> u64 {
    let (t_in, t_out) = (t_in.max(1), t_out.max(1));
    let f = t_in.max(t_out);
    let first = f.div_ceil(t_out);
    let by_rate = dnnc_stream::design::mul_div_ceil(first, t_in, f);
    fill.saturating_sub(by_rate).min(t_in - 1)
}

/// The design of the dataflow stages in `block`, named `name`.
pub fn design_of(cx: &Context, block: BlockId, name: &str) -> Result<DesignMap, String> {
    let mut design = Design::new(name);
    let mut kernel_ops = Vec::new();
    let mut edges = Vec::new();
    let nodes: Vec<OpId> = cx.block_ops(block).filter(|&o| is_node(cx, o)).collect();
    let mut id_of = std::collections::HashMap::new();
    let label = |cx: &Context, op: OpId, i: usize| -> String {
        match cx.attr(op, "name").and_then(Attribute::as_str) {
            Some(n) => n.to_string(),
            None => format!("{}{i}", cx.name(op).trim_start_matches("dataflow.")),
        }
    };
    for (i, &op) in nodes.iter().enumerate() {
        let kernel = if cx.is(op, KERNEL) {
            compute_kernel(cx, op)
        } else if cx.is(op, DMA_LOAD) || cx.is(op, DMA_STORE) {
            let stream = if cx.is(op, DMA_LOAD) { cx.result(op, 0) } else { cx.operand(op, 0) };
            let t = ITensor::of(cx, cx.value_type(stream)).ok_or("a DMA without a stream")?;
            let kind = if cx.is(op, DMA_LOAD) { KernelKind::DmaLoad } else { KernelKind::DmaStore };
            let lanes = int(cx, op, "bytes_per_cycle").map(|b| b.max(1) as u64);
            dma_kernel(label(cx, op, i), kind, t.tokens() as u64, t.tile_bytes() as u64, lanes)
        } else if cx.is(op, CONVERTER) {
            let a = ITensor::of(cx, cx.value_type(cx.operand(op, 0))).ok_or("converter input is not a stream")?;
            let b = ITensor::of(cx, cx.value_type(cx.result(op, 0))).ok_or("converter output is not a stream")?;
            let firings = a.tokens().max(b.tokens()) as u64;
            let mut k = Kernel::new(label(cx, op, i), KernelKind::Converter, firings, 1, 2);
            let bytes = int(cx, op, "bytes").unwrap_or(0).max(0) as u64;
            k.base = memory(bytes).add(&Resources { lut: 500, ..Resources::default() });
            k
        } else {
            let t = ITensor::of(cx, cx.value_type(cx.result(op, 0))).ok_or("fork/join output is not a stream")?;
            Kernel::new(label(cx, op, i), KernelKind::Fork, t.tokens().max(1) as u64, 1, 1)
        };
        let id = design.add_kernel(kernel);
        id_of.insert(op, id);
        kernel_ops.push((op, None));
    }
    // Tensors in external memory written and read within the block: (writer, reader) pairs.
    let mut writer_of: std::collections::HashMap<ValueId, KernelId> = std::collections::HashMap::new();
    let mut readers: Vec<(ValueId, KernelId)> = Vec::new();
    for &op in &nodes {
        if cx.is(op, DMA_STORE) {
            writer_of.insert(cx.result(op, 0), id_of[&op]);
        } else if cx.is(op, DMA_LOAD) {
            readers.push((cx.operand(op, 0), id_of[&op]));
        }
    }
    for &op in &nodes {
        let v_id = id_of[&op];
        for (i, &v) in cx.operands(op).iter().enumerate() {
            let ty = cx.value_type(v);
            if let Some(t) = ITensor::of(cx, ty) {
                let (Some(p), fifo, src) = producer_of(cx, v) else { continue };
                let Some(&u_id) = id_of.get(&p) else { continue };
                let cname = format!("{}->{}.{i}", design.kernel(u_id).name, design.kernel(v_id).name);
                let c = design.connect(cname, u_id, v_id, t.tile_bits() as u64, t.tokens() as u64);
                if let Some(f) = fifo {
                    design.channel_mut(c).depth = int(cx, f, "depth").unwrap_or(2).max(1) as u64;
                }
                if cx.is(op, CONVERTER) {
                    let buffer: i64 =
                        cx.attr(op, "buffer").and_then(Attribute::as_int_array).map_or(1, |b| b.iter().product());
                    let fill = (buffer / t.tile_elems().max(1)) as u64;
                    let out = ITensor::of(cx, cx.value_type(cx.result(op, 0))).map_or(1, |o| o.tokens() as u64);
                    design.channel_mut(c).lead = converter_lead(fill, t.tokens() as u64, out);
                }
                edges.push(Some(Edge { value: src, consumer: op, index: i, fifo }));
            } else if cx.is(op, KERNEL) && cx.type_data(ty).is_tensor() {
                // A whole-tensor read: a DMA at the kernel's firing rate.
                let firings = design.kernel(v_id).firings;
                let bytes = gathered_bytes(cx, op, i).unwrap_or_else(|| tensor_bytes(cx, ty));
                let name = format!("{}.in{i}", design.kernel(v_id).name);
                let per = bytes.div_ceil(firings);
                let lanes = memory_lanes(cx, op, &format!("in{i}")).unwrap_or(per.div_ceil(design.kernel(v_id).ii));
                let d = design.add_kernel(dma_kernel(name.clone(), KernelKind::DmaLoad, firings, per, Some(lanes)));
                kernel_ops.push((op, Some(Synthetic::Operand(i))));
                design.connect(name, d, v_id, bytes.div_ceil(firings).max(1) * 8, firings);
                edges.push(None);
                readers.push((v, d));
            }
        }
        if cx.is(op, KERNEL) {
            for (i, r) in cx.results(op).enumerate() {
                let ty = cx.value_type(r);
                if ITensor::of(cx, ty).is_none() && cx.type_data(ty).is_tensor() {
                    let firings = design.kernel(v_id).firings;
                    let bytes = tensor_bytes(cx, ty);
                    let name = format!("{}.out{i}", design.kernel(v_id).name);
                    let per = bytes.div_ceil(firings);
                    let lanes =
                        memory_lanes(cx, op, &format!("out{i}")).unwrap_or(per.div_ceil(design.kernel(v_id).ii));
                    let d =
                        design.add_kernel(dma_kernel(name.clone(), KernelKind::DmaStore, firings, per, Some(lanes)));
                    kernel_ops.push((op, Some(Synthetic::Result(i))));
                    design.connect(name, v_id, d, bytes.div_ceil(firings).max(1) * 8, firings);
                    edges.push(None);
                    writer_of.insert(r, d);
                }
            }
        }
    }
    // A read of a tensor written in the same block starts once the write has finished: one
    // 1-bit token the writer pushes at its last firing and the reader pops at its first.
    for (v, reader) in readers {
        if let Some(&writer) = writer_of.get(&v) {
            let name = format!("{}=>{}", design.kernel(writer).name, design.kernel(reader).name);
            design.connect(name, writer, reader, 1, 1);
            edges.push(None);
        }
    }
    design.validate().map_err(|e| e.to_string())?;
    Ok(DesignMap { design, kernel_ops, edges })
}

/// Bytes a gather kernel reads of its table operand `i`: one row per result element group, at
/// most the table — a gather (`indirect`) touches only the rows its indices select, not the
/// whole table (GPT-2's 154 MB token embedding yields 3 MB at sequence 1024). `None` when
/// operand `i` is not a gather's table.
fn gathered_bytes(cx: &Context, kernel: OpId, i: usize) -> Option<u64> {
    let body = cx.body(kernel, 0)?;
    let einsums: Vec<OpId> = cx.block_ops(body).filter(|&o| cx.is(o, dnnc_einsum::OP)).collect();
    let [e] = einsums[..] else { return None };
    let ind = cx.attr(e, "indirect").and_then(Attribute::as_int_array)?;
    if ind.first() != Some(&(i as i64)) || cx.operand(e, i) != cx.block_args(body)[i] {
        return None;
    }
    let table = cx.value_type(cx.operand(kernel, i));
    let (shape, _) = cx.tensor_shape(cx.value_type(cx.result(e, 0)))?;
    let bits = cx.type_data(cx.element_type(table)).scalar_bits().unwrap_or(8) as u64;
    let read = (shape.iter().product::<i64>().max(1) as u64 * bits).div_ceil(8);
    Some(read.min(tensor_bytes(cx, table)))
}

/// The HBM bytes any design of function `func` must move: each of its inputs, weights,
/// constants and outputs once — what the dataflow design reads and writes outside itself,
/// spills between regions and repeated reads aside. The roofline's memory side.
pub fn compulsory_bytes(cx: &Context, func: OpId) -> u64 {
    let Some(body) = cx.body(func, 0) else { return 0 };
    let mut seen: Vec<ValueId> = cx.block_args(body).to_vec();
    for op in cx.block_ops(body) {
        if cx.is(op, "func.return") {
            seen.extend(cx.operands(op).iter().copied());
        } else if !is_node(cx, op) && !cx.is(op, REGION) && !cx.is(op, FIFO) {
            // Weights and constants the dataflow ops read.
            seen.extend(cx.results(op));
        }
    }
    seen.sort();
    seen.dedup();
    seen.into_iter()
        .filter(|&v| cx.type_data(cx.value_type(v)).is_tensor())
        .map(|v| tensor_bytes(cx, cx.value_type(v)))
        .sum()
}

/// Bytes of the tensors function `func` spills to HBM between its regions (`dma_store`s with
/// reason `spill`): what the host keeps one copy of per request in flight.
pub fn spill_bytes(cx: &Context, func: OpId) -> u64 {
    let mut total = 0;
    cx.walk(func, &mut |cx, op| {
        if cx.is(op, DMA_STORE) && cx.attr(op, "reason").and_then(Attribute::as_str) == Some("spill") {
            total += tensor_bytes(cx, cx.value_type(cx.result(op, 0)));
        }
    });
    total
}

fn tensor_bytes(cx: &Context, ty: dnnc_ir::TypeId) -> u64 {
    let Some((shape, elem)) = cx.tensor_shape(ty) else { return 1 };
    let bits = cx.type_data(elem).scalar_bits().unwrap_or(8) as u64;
    (shape.iter().product::<i64>().max(1) as u64 * bits).div_ceil(8)
}

/// The channel of an edge, if the design has one.
pub fn channel_of(map: &DesignMap, value: ValueId, consumer: OpId, index: usize) -> Option<ChannelId> {
    map.edges
        .iter()
        .position(|e| e.is_some_and(|e| e.value == value && e.consumer == consumer && e.index == index))
        .map(|i| ChannelId(i as u32))
}
