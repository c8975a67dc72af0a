//! The `dataflow` dialect: a network as a stream-based dataflow design (StreamTensor's model).
//! Every kernel is a hardware stage that fires once per iteration of its tile loop nest;
//! tensors travel between kernels as streams of tiles, typed `!dataflow.itensor` ([`itensor`]),
//! through FIFOs; off-chip memory is touched only by DMA ops.
//!
//! | op | meaning |
//! | --- | --- |
//! | `dataflow.kernel` | a stage: its body (one block, isolated from above) holds the `einsum.op`s it computes and a `dataflow.yield`; operands are streams (or whole tensors read from external memory), results streams |
//! | `dataflow.yield` | ends a kernel or region body |
//! | `dataflow.fifo` | a channel of `depth` tokens, `width` bits wide; same itensor in and out |
//! | `dataflow.converter` | a layout buffer (ping-pong) re-streaming a tensor in another itensor layout |
//! | `dataflow.dma_load` / `dataflow.dma_store` | external memory to a stream, a stream to external memory |
//! | `dataflow.fork` | one stream copied to N consumers |
//! | `dataflow.join` | N streams concatenated along a tensor dim into one |
//! | `dataflow.region` | a sequential dataflow region (partition): regions run one after another, exchanging tensors through external memory |
//!
//! The body of a kernel sees each operand as the whole tensor it streams (block argument type
//! = the itensor's full shape), so the einsums in it keep their meaning; the kernel's `loops`
//! and the itensor types say in which order, and in which tiles, the data arrives.

pub mod access;
pub mod design;
pub mod estimate;
pub mod itensor;
pub mod summary;

pub use access::{NestAccess, Origin, may_stream, merged_inner_dims, nest_access};
pub use itensor::{ITENSOR, ITensor, min_buffer};

use dnnc_ir::dialect::{AttrKind, AttrSpec, Dialect, OpDef, ParamDef, Traits, TypeConstraint, ValueSpec};
use dnnc_ir::{Attribute, Context, OpId, TypeId};

pub const KERNEL: &str = "dataflow.kernel";
pub const YIELD: &str = "dataflow.yield";
pub const FIFO: &str = "dataflow.fifo";
pub const CONVERTER: &str = "dataflow.converter";
pub const DMA_LOAD: &str = "dataflow.dma_load";
pub const DMA_STORE: &str = "dataflow.dma_store";
pub const FORK: &str = "dataflow.fork";
pub const JOIN: &str = "dataflow.join";
pub const REGION: &str = "dataflow.region";

/// Attribute of a function split into `dataflow.region`s: how its regions share the fabric
/// ([`RegionMode`], written by `allocate-resources`).
pub const REGIONS_ATTR: &str = "regions";

/// Attribute of a function whose regions `allocate-resources{regions=pipelined}` allocated
/// resident because pipelining them would not have been faster: the period pipelining would
/// have reached, cycles.
pub const DECLINED_PERIOD_ATTR: &str = "pipelined_period_declined";

/// How a function's sequential regions share the fabric.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RegionMode {
    /// One bitstream holds every distinct region design; one request at a time.
    Resident,
    /// One bitstream; each distinct design works on another request at the same time.
    Pipelined,
    /// Every region on the whole fabric (a bound: the fabric swaps region designs).
    TimeShared,
}

impl RegionMode {
    pub const NAMES: [&str; 3] = ["resident", "pipelined", "time-shared"];

    pub fn parse(text: &str) -> Option<RegionMode> {
        match text {
            "resident" => Some(RegionMode::Resident),
            "pipelined" => Some(RegionMode::Pipelined),
            "time-shared" => Some(RegionMode::TimeShared),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        Self::NAMES[self as usize]
    }

    /// The mode recorded on function `func` (resident when it records none).
    pub fn of_function(cx: &Context, func: OpId) -> RegionMode {
        cx.attr(func, REGIONS_ATTR)
            .and_then(Attribute::as_str)
            .and_then(RegionMode::parse)
            .unwrap_or(RegionMode::Resident)
    }
}

const STREAM: TypeConstraint = TypeConstraint::Dialect(ITENSOR);

static OPS: [OpDef; 9] = [
    OpDef {
        operands: &[ValueSpec::variadic("inputs", TypeConstraint::Any)],
        results: &[ValueSpec::variadic("outputs", TypeConstraint::Any)],
        attrs: &[
            AttrSpec::required("name", AttrKind::String, "the kernel's name (unique in its function)"),
            AttrSpec::required(
                "loops",
                AttrKind::Array,
                "the tile loop nest, outermost first: [dim, trips, tile] per loop (one firing per iteration)",
            ),
            AttrSpec::required(
                "reads",
                AttrKind::Array,
                "per operand, the itensor type the loop nest reads it as, or unit for whole-tensor (random) access",
            ),
            AttrSpec::required("ii", AttrKind::Int, "initiation interval: cycles between firings"),
            AttrSpec::required("latency", AttrKind::Int, "pipeline depth: cycles from a firing's start to its output"),
            AttrSpec::required("parallelism", AttrKind::Int, "operations per cycle (unroll factor)"),
            AttrSpec::optional("resources", AttrKind::Dict, "estimated use: {dsp, bram, uram, lut}"),
            AttrSpec::optional(
                "memory_bytes_per_cycle",
                AttrKind::Dict,
                "HBM bytes per cycle of the DMA engines behind its whole-tensor operands (inN) and results (outN), as allocated",
            ),
        ],
        regions: 1,
        traits: Traits::ISOLATED_FROM_ABOVE.union(Traits::SINGLE_BLOCK),
        verify: Some(verify_kernel),
        ..OpDef::new(KERNEL, "A dataflow stage computing its einsums tile by tile over streams")
    },
    OpDef {
        operands: &[ValueSpec::variadic("results", TypeConstraint::AnyTensor)],
        traits: Traits::TERMINATOR,
        verify: Some(verify_yield),
        ..OpDef::new(YIELD, "Returns a dataflow.kernel's or dataflow.region's results")
    },
    OpDef {
        operands: &[ValueSpec::one("input", STREAM)],
        results: &[ValueSpec::one("output", STREAM)],
        attrs: &[
            AttrSpec::required("depth", AttrKind::Int, "capacity in tokens (tiles), at least 1"),
            AttrSpec::required("width", AttrKind::Int, "bits transferred per cycle, at least 1"),
        ],
        traits: Traits::SAME_OPERANDS_AND_RESULT_TYPE,
        verify: Some(verify_fifo),
        ..OpDef::new(FIFO, "A FIFO channel between two stages")
    },
    OpDef {
        operands: &[ValueSpec::one("input", STREAM)],
        results: &[ValueSpec::one("output", STREAM)],
        attrs: &[
            AttrSpec::required("buffer", AttrKind::IntArray, "the buffered window per tensor dim, in elements"),
            AttrSpec::required("bytes", AttrKind::Int, "on-chip bytes: two (ping-pong) buffers"),
        ],
        verify: Some(verify_converter),
        ..OpDef::new(CONVERTER, "A layout buffer re-streaming a tensor in another itensor layout")
    },
    OpDef {
        operands: &[ValueSpec::one("source", TypeConstraint::AnyTensor)],
        results: &[ValueSpec::one("output", STREAM)],
        attrs: &[
            AttrSpec::optional("reason", AttrKind::String, "input, weight or spill"),
            AttrSpec::optional("bytes_per_cycle", AttrKind::Int, "HBM bandwidth the engine claims"),
        ],
        verify: Some(verify_dma_load),
        ..OpDef::new(DMA_LOAD, "Streams a tensor from external memory")
    },
    OpDef {
        operands: &[ValueSpec::one("input", STREAM)],
        results: &[ValueSpec::one("target", TypeConstraint::AnyTensor)],
        attrs: &[
            AttrSpec::optional("reason", AttrKind::String, "output or spill"),
            AttrSpec::optional("bytes_per_cycle", AttrKind::Int, "HBM bandwidth the engine claims"),
        ],
        verify: Some(verify_dma_store),
        ..OpDef::new(DMA_STORE, "Writes a stream to external memory")
    },
    OpDef {
        operands: &[ValueSpec::one("input", STREAM)],
        results: &[ValueSpec::variadic("outputs", STREAM)],
        verify: Some(verify_fork),
        ..OpDef::new(FORK, "Copies one stream to several consumers")
    },
    OpDef {
        operands: &[ValueSpec::variadic("inputs", STREAM)],
        results: &[ValueSpec::one("output", STREAM)],
        attrs: &[AttrSpec::required("dim", AttrKind::Int, "the tensor dim the inputs are concatenated along")],
        verify: Some(verify_join),
        ..OpDef::new(JOIN, "Concatenates streams along a tensor dim, draining the inputs in order")
    },
    OpDef {
        operands: &[ValueSpec::variadic("inputs", TypeConstraint::AnyTensor)],
        results: &[ValueSpec::variadic("outputs", TypeConstraint::AnyTensor)],
        attrs: &[
            AttrSpec::required("partition", AttrKind::Int, "position in the sequence of regions"),
            AttrSpec::optional("resources", AttrKind::Dict, "the region's use: {dsp, bram, uram, lut}"),
        ],
        regions: 1,
        traits: Traits::ISOLATED_FROM_ABOVE.union(Traits::SINGLE_BLOCK),
        verify: Some(verify_region),
        ..OpDef::new(REGION, "A sequential dataflow region: its kernels run concurrently, regions one after another")
    },
];

static TYPES: [ParamDef; 1] = [ParamDef {
    name: ITENSOR,
    summary: "An iterative tensor: a tensor streamed as tiles (tile, trips, steps, iteration map)",
    verify: Some(itensor::verify_type),
}];

pub static DIALECT: Dialect = Dialect {
    name: "dataflow",
    summary: "Stream-based dataflow designs: kernels, itensor streams, FIFOs, converters, DMA",
    ops: &OPS,
    types: &TYPES,
    attrs: &[],
    materialize_constant: None,
};

/// One loop of a kernel's tile loop nest.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Loop {
    /// The einsum dimension it walks.
    pub dim: String,
    /// Iterations.
    pub trips: i64,
    /// Elements of `dim` per iteration.
    pub tile: i64,
}

impl Loop {
    pub fn to_attr(&self) -> Attribute {
        Attribute::array([Attribute::string(self.dim.as_str()), Attribute::i64(self.trips), Attribute::i64(self.tile)])
    }

    pub fn from_attr(a: &Attribute) -> Result<Loop, String> {
        match a.as_array() {
            Some([d, t, s]) => match (d.as_str(), t.as_int(), s.as_int()) {
                (Some(dim), Some(trips), Some(tile)) => Ok(Loop { dim: dim.to_string(), trips, tile }),
                _ => Err("must be [dim name, trips, tile]".into()),
            },
            _ => Err("must be [dim name, trips, tile]".into()),
        }
    }
}

/// A kernel's `loops`.
pub fn kernel_loops(cx: &Context, op: OpId) -> Result<Vec<Loop>, String> {
    let list = cx.attr(op, "loops").and_then(Attribute::as_array).ok_or("'loops' must be an array")?;
    list.iter().enumerate().map(|(i, a)| Loop::from_attr(a).map_err(|e| format!("loops[{i}] {e}"))).collect()
}

/// Iterations of a kernel's loop nest (its firings).
pub fn firings(cx: &Context, op: OpId) -> i64 {
    kernel_loops(cx, op).map_or(1, |l| l.iter().map(|l| l.trips).product())
}

/// The type a kernel's body sees for an operand or result of type `ty`: the streamed tensor
/// for an itensor, the type itself otherwise.
pub fn value_view(cx: &mut Context, ty: TypeId) -> TypeId {
    match ITensor::of(cx, ty) {
        Some(t) => t.tensor_type(cx),
        None => ty,
    }
}

/// [`value_view`] without interning: shape and element type of the tensor a value stands for.
pub fn viewed_shape(cx: &Context, ty: TypeId) -> Option<(Vec<i64>, TypeId)> {
    if let Some(t) = ITensor::of(cx, ty) {
        return Some((t.full_shape(), t.elem));
    }
    cx.tensor_shape(ty).map(|(s, e)| (s.to_vec(), e))
}

fn show(cx: &Context, ty: TypeId) -> String {
    cx.show_type(ty).to_string()
}

fn show_view(cx: &Context, ty: TypeId) -> String {
    match (ITensor::of(cx, ty), viewed_shape(cx, ty)) {
        (Some(_), Some((s, e))) => {
            format!("tensor<{}x{}>", s.iter().map(i64::to_string).collect::<Vec<_>>().join("x"), show(cx, e))
        }
        _ => show(cx, ty),
    }
}

fn is_stream_or_tensor(cx: &Context, ty: TypeId) -> bool {
    ITensor::of(cx, ty).is_some() || cx.type_data(ty).is_tensor()
}

fn positive(cx: &Context, op: OpId, key: &str, min: i64, errors: &mut Vec<String>) {
    if let Some(v) = cx.attr(op, key).and_then(Attribute::as_int)
        && v < min
    {
        errors.push(format!("'{key}' must be at least {min}, but is {v}"));
    }
}

fn verify_kernel(cx: &Context, op: OpId, errors: &mut Vec<String>) {
    for (i, &v) in cx.operands(op).iter().enumerate() {
        if !is_stream_or_tensor(cx, cx.value_type(v)) {
            errors.push(format!("operand #{i} is {}; a kernel reads itensors or tensors", show(cx, cx.value_type(v))));
        }
    }
    for (i, v) in cx.results(op).enumerate() {
        if !is_stream_or_tensor(cx, cx.value_type(v)) {
            errors
                .push(format!("result #{i} is {}; a kernel produces itensors or tensors", show(cx, cx.value_type(v))));
        }
    }
    match kernel_loops(cx, op) {
        Err(e) => errors.push(e),
        Ok(loops) => {
            let mut seen = Vec::new();
            for l in &loops {
                if l.trips < 1 || l.tile < 1 {
                    errors.push(format!(
                        "loop '{}' needs positive trips and tile, has {} and {}",
                        l.dim, l.trips, l.tile
                    ));
                }
                if seen.contains(&&l.dim) {
                    errors.push(format!("loop '{}' appears twice", l.dim));
                }
                seen.push(&l.dim);
            }
        }
    }
    match cx.attr(op, "reads").and_then(Attribute::as_array) {
        Some(reads) if reads.len() == cx.operands(op).len() => {
            for (i, (r, &v)) in reads.iter().zip(cx.operands(op)).enumerate() {
                let ty = cx.value_type(v);
                match r {
                    Attribute::Unit => {
                        if ITensor::of(cx, ty).is_some() {
                            errors
                                .push(format!("operand #{i} is a stream but reads[{i}] is unit (whole-tensor access)"));
                        }
                    }
                    Attribute::Type(want) => match ITensor::from_type(cx, *want) {
                        Err(e) => errors.push(format!("reads[{i}]: {e}")),
                        Ok(w) => {
                            if viewed_shape(cx, ty) != Some((w.full_shape(), w.elem)) {
                                errors.push(format!(
                                    "reads[{i}] streams {} but operand #{i} is {}",
                                    show_view(cx, *want),
                                    show_view(cx, ty)
                                ));
                            } else if ITensor::of(cx, ty).is_some() && ty != *want {
                                errors.push(format!(
                                    "operand #{i} arrives as {} but the kernel reads {}; a converter must sit between",
                                    show(cx, ty),
                                    show(cx, *want)
                                ));
                            }
                        }
                    },
                    _ => errors.push(format!("reads[{i}] must be an itensor type or unit")),
                }
            }
        }
        Some(reads) => errors.push(format!("{} reads for {} operands", reads.len(), cx.operands(op).len())),
        None => {}
    }
    positive(cx, op, "ii", 1, errors);
    positive(cx, op, "latency", 0, errors);
    positive(cx, op, "parallelism", 1, errors);
    if let Some(r) = cx.attr(op, "resources") {
        verify_resources(r, errors);
    }
    let Some(body) = cx.body(op, 0) else {
        errors.push("body must have one block holding its einsums".into());
        return;
    };
    let args = cx.block_args(body);
    if args.len() != cx.operands(op).len()
        || args.iter().zip(cx.operands(op)).any(|(&a, &v)| {
            viewed_shape(cx, cx.value_type(a)) != viewed_shape(cx, cx.value_type(v))
                || ITensor::of(cx, cx.value_type(a)).is_some()
        })
    {
        let want: Vec<String> = cx.operands(op).iter().map(|&v| show_view(cx, cx.value_type(v))).collect();
        let have: Vec<String> = args.iter().map(|&a| show(cx, cx.value_type(a))).collect();
        errors.push(format!(
            "body arguments ({}) must be the tensors its operands stream ({})",
            have.join(", "),
            want.join(", ")
        ));
    }
    let mut einsums = 0;
    for o in cx.block_ops(body) {
        if cx.is(o, dnnc_einsum::OP) {
            einsums += 1;
        } else if !cx.is(o, YIELD) {
            errors.push(format!(
                "holds '{}'; a kernel holds only '{}' ops and a '{YIELD}'",
                cx.name(o),
                dnnc_einsum::OP
            ));
        }
    }
    if einsums == 0 {
        errors.push("holds no einsum".into());
    }
}

fn verify_resources(r: &Attribute, errors: &mut Vec<String>) {
    let Some(d) = r.as_dict() else { return };
    for (k, v) in d.iter() {
        if !matches!(&**k, "dsp" | "bram" | "uram" | "lut") {
            errors.push(format!("resources: unknown entry '{k}' (dsp, bram, uram, lut)"));
        } else if v.as_int().is_none_or(|n| n < 0) {
            errors.push(format!("resources: '{k}' must be a non-negative integer"));
        }
    }
}

fn verify_yield(cx: &Context, op: OpId, errors: &mut Vec<String>) {
    let Some(parent) = cx.parent_op(op).filter(|&p| cx.is(p, KERNEL) || cx.is(p, REGION)) else {
        errors.push(format!("must be nested in a '{KERNEL}' or '{REGION}'"));
        return;
    };
    let yielded: Vec<_> = cx.operands(op).iter().map(|&v| viewed_shape(cx, cx.value_type(v))).collect();
    let results: Vec<_> = cx.results(parent).map(|v| viewed_shape(cx, cx.value_type(v))).collect();
    if yielded != results {
        let y: Vec<String> = cx.operands(op).iter().map(|&v| show(cx, cx.value_type(v))).collect();
        let r: Vec<String> = cx.results(parent).map(|v| show_view(cx, cx.value_type(v))).collect();
        errors.push(format!("yields ({}) but the {} produces ({})", y.join(", "), cx.name(parent), r.join(", ")));
    }
}

fn verify_fifo(cx: &Context, op: OpId, errors: &mut Vec<String>) {
    positive(cx, op, "depth", 1, errors);
    positive(cx, op, "width", 1, errors);
}

fn stream(cx: &Context, ty: TypeId) -> Option<ITensor> {
    ITensor::of(cx, ty)
}

fn verify_converter(cx: &Context, op: OpId, errors: &mut Vec<String>) {
    let (Some(a), Some(b)) =
        (stream(cx, cx.value_type(cx.operand(op, 0))), stream(cx, cx.value_type(cx.result(op, 0))))
    else {
        return;
    };
    let full = a.full_shape();
    if full != b.full_shape() || a.elem != b.elem {
        errors.push(format!(
            "converts {} to {}: a converter changes the layout, not the tensor",
            show_view(cx, cx.value_type(cx.operand(op, 0))),
            show_view(cx, cx.value_type(cx.result(op, 0)))
        ));
        return;
    }
    let Some(buffer) = cx.attr(op, "buffer").and_then(Attribute::as_int_array) else { return };
    if buffer.len() != full.len() || buffer.iter().zip(&full).any(|(&x, &n)| x < 1 || x > n) {
        errors.push(format!("buffer {buffer:?} must give each of the tensor's {full:?} dims a size within it"));
        return;
    }
    let need = min_buffer(&a, &b);
    if buffer.iter().zip(&need).any(|(x, n)| x < n) {
        errors.push(format!("buffer {buffer:?} is smaller than the {need:?} the two layouts need"));
    }
    let bytes = converter_bytes(&buffer, a.elem_bits);
    if let Some(b) = cx.attr(op, "bytes").and_then(Attribute::as_int)
        && b != bytes
    {
        errors.push(format!("bytes {b} but two buffers of {buffer:?} take {bytes}"));
    }
}

/// On-chip bytes of a converter: two (ping-pong) buffers of `buffer` elements.
pub fn converter_bytes(buffer: &[i64], elem_bits: u32) -> i64 {
    2 * ((buffer.iter().product::<i64>() * elem_bits as i64 + 7) / 8)
}

fn same_tensor(cx: &Context, tensor: TypeId, s: TypeId) -> bool {
    viewed_shape(cx, tensor) == viewed_shape(cx, s)
}

fn verify_dma_load(cx: &Context, op: OpId, errors: &mut Vec<String>) {
    let (src, out) = (cx.value_type(cx.operand(op, 0)), cx.value_type(cx.result(op, 0)));
    if stream(cx, out).is_some() && !same_tensor(cx, src, out) {
        errors.push(format!("loads {} as a stream of {}", show(cx, src), show_view(cx, out)));
    }
}

fn verify_dma_store(cx: &Context, op: OpId, errors: &mut Vec<String>) {
    let (input, dst) = (cx.value_type(cx.operand(op, 0)), cx.value_type(cx.result(op, 0)));
    if stream(cx, input).is_some() && !same_tensor(cx, dst, input) {
        errors.push(format!("stores a stream of {} as {}", show_view(cx, input), show(cx, dst)));
    }
}

fn verify_fork(cx: &Context, op: OpId, errors: &mut Vec<String>) {
    let input = cx.value_type(cx.operand(op, 0));
    if cx.num_results(op) < 2 {
        errors.push(format!("has {} outputs; a fork feeds at least 2", cx.num_results(op)));
    }
    for (i, v) in cx.results(op).enumerate() {
        if cx.value_type(v) != input {
            errors.push(format!("output #{i} is {} but the input is {}", show(cx, cx.value_type(v)), show(cx, input)));
        }
    }
}

fn verify_join(cx: &Context, op: OpId, errors: &mut Vec<String>) {
    let ins: Vec<Option<ITensor>> = cx.operands(op).iter().map(|&v| stream(cx, cx.value_type(v))).collect();
    let Some(out) = stream(cx, cx.value_type(cx.result(op, 0))) else { return };
    if ins.len() < 2 {
        errors.push(format!("has {} inputs; a join merges at least 2", ins.len()));
    }
    let Some(dim) = cx.attr(op, "dim").and_then(Attribute::as_int) else { return };
    let rank = out.tile.len();
    if dim < 0 || dim as usize >= rank {
        errors.push(format!("dim {dim} is not a dim of the rank-{rank} result"));
        return;
    }
    let d = dim as usize;
    let full = out.full_shape();
    let mut along = 0;
    let mut tokens = 0;
    for (i, t) in ins.iter().enumerate() {
        let Some(t) = t else { continue };
        let s = t.full_shape();
        if t.elem != out.elem || t.tile != out.tile {
            errors.push(format!(
                "input #{i} streams {:?} tiles of another element type or shape than the result's {:?}",
                t.tile, out.tile
            ));
        }
        if s.len() != rank || s.iter().zip(&full).enumerate().any(|(k, (a, b))| k != d && a != b) {
            errors.push(format!("input #{i} of shape {s:?} differs from the result {full:?} outside dim {dim}"));
        }
        along += s.get(d).copied().unwrap_or(0);
        tokens += t.tokens();
    }
    if along != full[d] {
        errors.push(format!("inputs sum to {along} along dim {dim} but the result has {}", full[d]));
    }
    if tokens != out.tokens() {
        errors.push(format!("inputs carry {tokens} tokens but the result {}", out.tokens()));
    }
}

fn verify_region(cx: &Context, op: OpId, errors: &mut Vec<String>) {
    positive(cx, op, "partition", 0, errors);
    if let Some(r) = cx.attr(op, "resources") {
        verify_resources(r, errors);
    }
    let Some(body) = cx.body(op, 0) else {
        errors.push("body must have one block".into());
        return;
    };
    let args: Vec<TypeId> = cx.block_args(body).iter().map(|&a| cx.value_type(a)).collect();
    let ins: Vec<TypeId> = cx.operands(op).iter().map(|&v| cx.value_type(v)).collect();
    if args != ins {
        let a: Vec<String> = args.iter().map(|&t| show(cx, t)).collect();
        let i: Vec<String> = ins.iter().map(|&t| show(cx, t)).collect();
        errors.push(format!("body arguments ({}) must match the operands ({})", a.join(", "), i.join(", ")));
    }
    for o in cx.block_ops(body) {
        if cx.name(o).starts_with("dataflow.") && !cx.is(o, REGION) {
            continue;
        }
        // Weights are named constants in external memory; a region may define the ones it loads.
        if cx.is(o, "graph.weight") {
            continue;
        }
        errors.push(format!("holds '{}'; a region holds dataflow ops and weights (no nested regions)", cx.name(o)));
    }
}

#[cfg(test)]
mod tests;
