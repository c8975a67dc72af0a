//! `--emit=kernels`: the dataflow design as **kernel descriptors** (JSON, schema
//! `dnnc.kernels/1`, docs/kernels.md and docs/kernels.schema.json) — what a hardware flow needs
//! to build the design: every kernel with its tile loop nest, the einsums it computes and the
//! itensor layout of each port; every channel with its producer and consumer ports, depth and
//! width; the layout converters with their buffers; the DMA transfers with their HBM channel;
//! the resources each kernel uses.
//!
//! The descriptors are read from dataflow IR (the `dataflow` dialect after the dataflow
//! pipeline). [`Topology`] is the walk both this emitter and the HLS one share, so a node or
//! channel has the same name in the JSON and in the C++.

use std::collections::HashMap;

use dnnc_dataflow::{ITensor, kernel_loops};
use dnnc_ir::{Attribute, BlockId, Context, OpId, ValueDef, ValueId};
use serde::{Deserialize, Serialize};

/// The `schema` field of the JSON.
pub const SCHEMA: &str = "dnnc.kernels/1";

/// Depth of a channel wired kernel to kernel without a `dataflow.fifo`: a minimal
/// double-buffered handshake, as HLS gives a stream without a depth pragma.
pub const IMPLICIT_DEPTH: i64 = 2;

/// The whole design.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct KernelDesign {
    pub schema: String,
    /// The function the design implements.
    pub function: String,
    pub board: BoardRef,
    /// Sequential dataflow regions (partitions), in execution order; a design without
    /// `dataflow.region` ops has one.
    pub regions: Vec<RegionDesc>,
    /// How the regions share the fabric, as `allocate-resources` allocated them.
    pub execution: ExecutionDesc,
    pub kernels: Vec<KernelDesc>,
    pub channels: Vec<ChannelDesc>,
    pub converters: Vec<ConverterDesc>,
    pub dma: Vec<DmaDesc>,
    pub forks: Vec<ForkDesc>,
    pub joins: Vec<JoinDesc>,
    /// External tensors: model inputs, weights, constants, outputs, spills between regions.
    pub tensors: Vec<TensorDesc>,
    /// Where the tensors lie in HBM (`crate::hbm`).
    pub hbm: HbmDesc,
    pub totals: Totals,
}

/// The HBM placement's load.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HbmDesc {
    /// What one AXI port moves per kernel cycle at most: the smaller of a 512-bit beat and
    /// one pseudo channel's bandwidth.
    pub port_bytes_per_cycle: f64,
    /// Per pseudo channel: the most bytes per cycle its engines ask for at any one time.
    pub peak_load: Vec<f64>,
}

/// The board the design targets.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BoardRef {
    pub name: String,
    pub clock_mhz: f64,
    pub hbm_channels: u32,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RegionDesc {
    pub index: usize,
    /// The region's `partition` attribute (its position in the sequence).
    pub partition: i64,
    /// The distinct design the region runs (index of its first region): regions of one design
    /// are one instance on the fabric, called once per region (`dnnc_stream::structure_key`).
    pub design: usize,
    pub kernels: Vec<String>,
}

/// How the regions share the fabric (`allocate-resources{regions=…}`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ExecutionDesc {
    /// `resident` (one request at a time), `pipelined` (each distinct design on another
    /// request at the same time) or `time-shared` (each region on the whole fabric: a bound).
    pub regions: String,
    /// Pipelined regions: each distinct design is a kernel the host starts per request.
    pub pipeline: Option<PipelineDesc>,
}

/// A stream of requests through pipelined regions (`dnnc_stream::pipeline_schedule`, at the
/// regions' flow-estimate latencies).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PipelineDesc {
    /// Cycles between two requests, in steady state.
    pub period_cycles: f64,
    /// Cycles from a request's arrival to its end.
    pub request_latency_cycles: f64,
    /// Requests in flight at most: the copies of each spill buffer the host keeps.
    pub in_flight: usize,
}

/// One loop of a kernel's tile loop nest.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LoopDesc {
    pub dim: String,
    pub trips: i64,
    pub tile: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct KernelDesc {
    pub name: String,
    pub region: usize,
    /// Tile loops, outermost first; one firing per iteration.
    pub loops: Vec<LoopDesc>,
    pub firings: i64,
    /// Cycles between firings.
    pub ii: i64,
    /// Cycles from a firing's start to its output.
    pub latency: i64,
    /// Operations per cycle (unroll factor).
    pub parallelism: i64,
    pub einsums: Vec<EinsumDesc>,
    pub inputs: Vec<PortDesc>,
    pub outputs: Vec<PortDesc>,
    pub resources: Option<Resources>,
}

/// One einsum of a kernel body, with operands named by port (`in0`, …) or by the local value
/// of an earlier einsum (`t0`, …).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EinsumDesc {
    pub result: String,
    pub kind: String,
    pub source: String,
    pub part: Option<String>,
    pub dims: Vec<String>,
    pub sizes: Vec<i64>,
    /// Affine maps per operand and last the result, `(d0, …) -> (…)`.
    pub maps: Vec<String>,
    pub operands: Vec<String>,
    pub normalized: Option<Vec<i64>>,
    pub indirect: Option<Vec<i64>>,
    /// The source op's attributes, printed in IR syntax.
    pub source_attrs: std::collections::BTreeMap<String, String>,
}

/// A kernel port: a stream (with its channel) or a whole tensor read from external memory.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PortDesc {
    pub name: String,
    pub channel: Option<String>,
    pub tensor: Option<String>,
    pub elem: String,
    pub shape: Vec<i64>,
    pub layout: Option<Layout>,
}

/// An itensor layout.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Layout {
    pub tile: Vec<i64>,
    pub trips: Vec<i64>,
    pub steps: Vec<i64>,
    pub map: String,
    pub regular: bool,
    pub tokens: i64,
    pub tile_bytes: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Endpoint {
    pub node: String,
    pub port: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ChannelDesc {
    pub name: String,
    pub region: usize,
    pub producer: Endpoint,
    pub consumer: Endpoint,
    /// Capacity in tokens (tiles).
    pub depth: i64,
    /// Bits moved per cycle.
    pub width_bits: i64,
    pub token_bits: i64,
    pub tokens: i64,
    /// On-chip bytes: depth × token bytes.
    pub bytes: i64,
    /// Whether the IR sized it with a `dataflow.fifo` (else a direct wire of depth
    /// [`IMPLICIT_DEPTH`]).
    pub fifo: bool,
    pub elem: String,
    pub layout: Layout,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ConverterDesc {
    pub name: String,
    pub region: usize,
    pub elem: String,
    pub shape: Vec<i64>,
    pub input: Layout,
    pub output: Layout,
    /// The buffered window per tensor dim, in elements (one of the two ping-pong halves).
    pub buffer: Vec<i64>,
    /// Both halves, bytes.
    pub bytes: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DmaDesc {
    pub name: String,
    pub region: usize,
    /// `load` (memory to stream) or `store`.
    pub direction: String,
    pub tensor: String,
    pub reason: Option<String>,
    /// Bytes moved: tokens × tile bytes (re-streamed tiles are read again).
    pub bytes: i64,
    /// The HBM pseudo channel of the engine's first port: its tensor's first channel
    /// (`crate::hbm`: placed by load, or pinned by an `hbm_channel` attribute).
    pub hbm_channel: u32,
    /// AXI ports the engine moves its tensor over, each on its own pseudo channel: the
    /// tensor's `ports` (at least `⌈bytes_per_cycle / port rate⌉`, the port rate being the
    /// smaller of a 64-byte beat and one pseudo channel's bandwidth per cycle).
    pub ports: u32,
    /// The engine's bandwidth as `allocate-resources` set it, bytes per kernel cycle (`null`
    /// before allocation).
    pub bytes_per_cycle: Option<i64>,
    pub elem: String,
    pub layout: Layout,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ForkDesc {
    pub name: String,
    pub region: usize,
    pub outputs: usize,
    pub layout: Layout,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct JoinDesc {
    pub name: String,
    pub region: usize,
    pub dim: i64,
    pub inputs: usize,
    pub layout: Layout,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TensorDesc {
    pub name: String,
    /// `input`, `weight`, `constant`, `output` or `spill`.
    pub role: String,
    pub elem: String,
    pub shape: Vec<i64>,
    pub bytes: i64,
    /// AXI ports the tensor is interleaved over in 64-byte beats ([`Striping`]); 1: one plain
    /// row-major array. Tensors no DMA touches have 1.
    pub ports: u32,
    /// The HBM pseudo channel of each port (empty for a tensor no DMA touches).
    pub hbm_channels: Vec<u32>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Resources {
    pub dsp: i64,
    pub bram: i64,
    pub uram: i64,
    pub lut: i64,
}

impl Resources {
    /// Adds `r` in place.
    fn add(&mut self, r: &Resources) {
        self.dsp += r.dsp;
        self.bram += r.bram;
        self.uram += r.uram;
        self.lut += r.lut;
    }
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Totals {
    pub kernels: usize,
    pub channels: usize,
    pub fifo_bytes: i64,
    pub converter_bytes: i64,
    pub dma_bytes: i64,
    /// Sums of the kernels' resources (those that have them).
    pub resources: Resources,
    /// What one bitstream holds: the kernels' resources summed over one region of each distinct
    /// design (regions of one design share one instance).
    pub instance_resources: Resources,
}

// ----- the walk ------------------------------------------------------------------------------

/// What a node of the design is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NodeKind {
    Kernel,
    Converter,
    DmaLoad,
    DmaStore,
    Fork,
    Join,
}

/// A dataflow op other than a FIFO (FIFOs are channels).
#[derive(Clone, Debug)]
pub struct Node {
    pub op: OpId,
    pub kind: NodeKind,
    pub name: String,
    pub region: usize,
}

/// A stream from one node's output port to another's input port, through at most a chain of
/// `dataflow.fifo`s.
#[derive(Clone, Debug)]
pub struct Channel {
    pub name: String,
    pub region: usize,
    pub producer: (usize, usize),
    pub consumer: (usize, usize),
    pub depth: i64,
    pub width: i64,
    pub fifo: bool,
    pub itensor: ITensor,
}

/// Role of an external tensor.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    Input,
    Weight,
    Constant,
    Output,
    Spill,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Input => "input",
            Role::Weight => "weight",
            Role::Constant => "constant",
            Role::Output => "output",
            Role::Spill => "spill",
        }
    }
}

/// A tensor in external memory (or, for constants, in the design).
#[derive(Clone, Debug)]
pub struct Tensor {
    pub name: String,
    pub role: Role,
    pub shape: Vec<i64>,
    pub elem: dnnc_ir::TypeId,
    /// The op defining it (`graph.weight`, `graph.constant`, `dataflow.dma_store`), or `None`
    /// for a function argument.
    pub def: Option<OpId>,
}

/// The dataflow design of one function: nodes, channels and external tensors, named.
pub struct Topology {
    pub func: OpId,
    pub func_name: String,
    /// Region bodies in execution order, with their `partition` (`None` for a flat design).
    pub regions: Vec<(Option<OpId>, i64, BlockId)>,
    pub nodes: Vec<Node>,
    pub channels: Vec<Channel>,
    pub tensors: Vec<Tensor>,
    node_of: HashMap<OpId, usize>,
    /// (node, input port) → channel.
    in_channel: HashMap<(usize, usize), usize>,
    /// (node, output port) → channel.
    out_channel: HashMap<(usize, usize), usize>,
    /// Canonical tensor value → index in `tensors`.
    tensor_of: HashMap<ValueId, usize>,
}

/// Replaces characters a C++ identifier cannot hold.
pub fn ident(name: &str) -> String {
    let mut s: String = name.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '_' }).collect();
    if s.is_empty() || s.starts_with(|c: char| c.is_ascii_digit()) {
        s.insert(0, '_');
    }
    s
}

fn elem_name(cx: &Context, ty: dnnc_ir::TypeId) -> String {
    cx.show_type(ty).to_string()
}

fn err_at(cx: &Context, op: OpId, message: impl std::fmt::Display) -> String {
    let loc = dnnc_einsum::layer_name(cx.loc(op));
    if loc == "-" { format!("'{}': {message}", cx.name(op)) } else { format!("'{}' ({loc}): {message}", cx.name(op)) }
}

impl Topology {
    /// Reads the design of the first function in `module` that holds dataflow ops.
    pub fn of(cx: &Context, module: OpId) -> Result<Topology, String> {
        let func = cx
            .nested_ops(module)
            .into_iter()
            .find(|&o| cx.is(o, "func.func") && cx.nested_ops(o).iter().any(|&k| cx.is(k, dnnc_dataflow::KERNEL)))
            .ok_or("the module holds no dataflow kernels (run the dataflow pipeline first)")?;
        let body = cx.body(func, 0).ok_or("the function has no body")?;
        let func_name = cx.attr(func, "sym_name").and_then(Attribute::as_str).map_or_else(|| "main".to_string(), ident);
        let mut regions = Vec::new();
        let region_ops: Vec<OpId> = cx.block_ops(body).filter(|&o| cx.is(o, dnnc_dataflow::REGION)).collect();
        if region_ops.is_empty() {
            regions.push((None, 0, body));
        } else {
            let mut rs: Vec<(Option<OpId>, i64, BlockId)> = region_ops
                .iter()
                .map(|&r| {
                    let p = cx.attr(r, "partition").and_then(Attribute::as_int).unwrap_or(0);
                    (Some(r), p, cx.body(r, 0).expect("a verified region has a body"))
                })
                .collect();
            rs.sort_by_key(|r| r.1);
            regions = rs;
        }
        for o in cx.block_ops(body) {
            let n = cx.name(o);
            if !region_ops.is_empty() && n.starts_with("dataflow.") && !cx.is(o, dnnc_dataflow::REGION) {
                return Err(err_at(cx, o, "a design with regions holds its dataflow ops inside them"));
            }
            if cx.is(o, dnnc_einsum::OP) {
                return Err(err_at(cx, o, "an einsum outside any dataflow kernel cannot be emitted"));
            }
        }
        let mut t = Topology {
            func,
            func_name,
            regions,
            nodes: Vec::new(),
            channels: Vec::new(),
            tensors: Vec::new(),
            node_of: HashMap::new(),
            in_channel: HashMap::new(),
            out_channel: HashMap::new(),
            tensor_of: HashMap::new(),
        };
        t.collect_nodes(cx)?;
        t.collect_tensors(cx)?;
        t.collect_channels(cx)?;
        Ok(t)
    }

    fn collect_nodes(&mut self, cx: &Context) -> Result<(), String> {
        let mut counts: HashMap<&str, usize> = HashMap::new();
        let mut used = std::collections::HashSet::new();
        for (ri, &(_, _, block)) in self.regions.iter().enumerate() {
            for op in cx.block_ops(block) {
                let kind = match cx.name(op) {
                    dnnc_dataflow::KERNEL => NodeKind::Kernel,
                    dnnc_dataflow::CONVERTER => NodeKind::Converter,
                    dnnc_dataflow::DMA_LOAD => NodeKind::DmaLoad,
                    dnnc_dataflow::DMA_STORE => NodeKind::DmaStore,
                    dnnc_dataflow::FORK => NodeKind::Fork,
                    dnnc_dataflow::JOIN => NodeKind::Join,
                    _ => continue,
                };
                let base = match kind {
                    NodeKind::Kernel => {
                        ident(cx.attr(op, "name").and_then(Attribute::as_str).ok_or_else(|| err_at(cx, op, "no name"))?)
                    }
                    NodeKind::Converter => "convert".into(),
                    NodeKind::DmaLoad => "load".into(),
                    NodeKind::DmaStore => "store".into(),
                    NodeKind::Fork => "fork".into(),
                    NodeKind::Join => "join".into(),
                };
                let name = if kind == NodeKind::Kernel && !used.contains(&base) {
                    base
                } else {
                    let key: &str = match kind {
                        NodeKind::Kernel => "kernel",
                        NodeKind::Converter => "convert",
                        NodeKind::DmaLoad => "load",
                        NodeKind::DmaStore => "store",
                        NodeKind::Fork => "fork",
                        NodeKind::Join => "join",
                    };
                    let n = counts.entry(key).or_insert(0);
                    let mut name = format!("{base}{n}");
                    *n += 1;
                    while used.contains(&name) {
                        name.push('_');
                    }
                    name
                };
                used.insert(name.clone());
                self.node_of.insert(op, self.nodes.len());
                self.nodes.push(Node { op, kind, name, region: ri });
            }
        }
        Ok(())
    }

    /// Follows a tensor value across region boundaries to the value that defines it at the
    /// function level (an argument, a weight, a constant) or to the `dma_store` that writes it.
    fn canonical(&self, cx: &Context, mut v: ValueId) -> ValueId {
        for _ in 0..64 {
            match cx.value_def(v) {
                ValueDef::BlockArg { block, index } => {
                    let Some(parent) = cx.block_parent_op(block) else { return v };
                    if cx.is(parent, dnnc_dataflow::REGION) {
                        v = cx.operand(parent, index as usize);
                    } else {
                        return v;
                    }
                }
                ValueDef::OpResult { op, index } => {
                    if cx.is(op, dnnc_dataflow::REGION) {
                        let Some(body) = cx.body(op, 0) else { return v };
                        let Some(y) = cx.block_last(body) else { return v };
                        v = cx.operand(y, index as usize);
                    } else {
                        return v;
                    }
                }
            }
        }
        v
    }

    fn collect_tensors(&mut self, cx: &Context) -> Result<(), String> {
        let body = cx.body(self.func, 0).expect("checked");
        // Outputs: what the function returns, traced to the stores that write it.
        let mut output_of: HashMap<ValueId, usize> = HashMap::new();
        if let Some(ret) = cx.block_last(body).filter(|&o| cx.is(o, "func.return")) {
            for (i, &v) in cx.operands(ret).iter().enumerate() {
                output_of.entry(self.canonical(cx, v)).or_insert(i);
            }
        }
        let add = |t: &mut Topology, v: ValueId, tensor: Tensor| {
            if !t.tensor_of.contains_key(&v) {
                t.tensor_of.insert(v, t.tensors.len());
                t.tensors.push(tensor);
            }
        };
        let shape_of = |v: ValueId| -> Option<(Vec<i64>, dnnc_ir::TypeId)> {
            cx.tensor_shape(cx.value_type(v)).map(|(s, e)| (s.to_vec(), e))
        };
        for (i, &a) in cx.block_args(body).iter().enumerate() {
            if let Some((shape, elem)) = shape_of(a) {
                add(self, a, Tensor { name: format!("arg{i}"), role: Role::Input, shape, elem, def: None });
            }
        }
        let mut spills = 0;
        let mut consts = 0;
        let mut names: std::collections::HashSet<String> = self.tensors.iter().map(|t| t.name.clone()).collect();
        // Every value an op writes to external memory: weights, constants, DMA stores, and a
        // kernel's results written whole (a scatter no stream follows).
        let mut ops = Vec::new();
        cx.walk(self.func, &mut |cx, o| {
            if cx.is(o, "graph.weight") || cx.is(o, "graph.constant") || cx.is(o, dnnc_dataflow::DMA_STORE) {
                ops.push((o, cx.result(o, 0)));
            } else if cx.is(o, dnnc_dataflow::KERNEL) {
                ops.extend(cx.results(o).filter(|&r| ITensor::of(cx, cx.value_type(r)).is_none()).map(|r| (o, r)));
            }
        });
        for (o, v) in ops {
            let Some((shape, elem)) = shape_of(v) else { continue };
            let (mut name, role) = if cx.is(o, "graph.weight") {
                (ident(cx.attr(o, "name").and_then(Attribute::as_str).unwrap_or("weight")), Role::Weight)
            } else if cx.is(o, "graph.constant") {
                consts += 1;
                (format!("const{}", consts - 1), Role::Constant)
            } else if let Some(&i) = output_of.get(&v) {
                (format!("result{i}"), Role::Output)
            } else {
                spills += 1;
                (format!("spill{}", spills - 1), Role::Spill)
            };
            while names.contains(&name) {
                name.push('_');
            }
            names.insert(name.clone());
            add(self, v, Tensor { name, role, shape, elem, def: Some(o) });
        }
        // Every result must have a buffer the design writes: a value returned twice, or one no
        // op writes (a scalar argument returned as it is), would leave a host buffer unwritten.
        if let Some(ret) = cx.block_last(body).filter(|&o| cx.is(o, "func.return")) {
            for (i, &v) in cx.operands(ret).iter().enumerate() {
                let canonical = self.canonical(cx, v);
                let written =
                    output_of.get(&canonical) == Some(&i) && self.tensor(cx, v).is_some_and(|t| t.role == Role::Output);
                if !written {
                    return Err(format!(
                        "result {i} is not written by the design (the same value as an earlier result, or a \
                         scalar returned as it is)"
                    ));
                }
            }
        }
        Ok(())
    }

    /// The external tensor a (tensor-typed) value stands for.
    pub fn tensor(&self, cx: &Context, v: ValueId) -> Option<&Tensor> {
        self.tensor_of.get(&self.canonical(cx, v)).map(|&i| &self.tensors[i])
    }

    fn collect_channels(&mut self, cx: &Context) -> Result<(), String> {
        for ni in 0..self.nodes.len() {
            let op = self.nodes[ni].op;
            for (port, v) in cx.results(op).enumerate() {
                let Some(itensor) = ITensor::of(cx, cx.value_type(v)) else { continue };
                let (mut depth, mut width, mut fifo) = (0i64, 0i64, false);
                let mut cur = v;
                let user = loop {
                    let uses = cx.uses(cur);
                    match uses {
                        [] => {
                            return Err(err_at(
                                cx,
                                op,
                                format!("output #{port} ({}) is never consumed", self.nodes[ni].name),
                            ));
                        }
                        [u] if cx.is(u.op, dnnc_dataflow::FIFO) => {
                            depth += cx.attr(u.op, "depth").and_then(Attribute::as_int).unwrap_or(IMPLICIT_DEPTH);
                            width = width.max(cx.attr(u.op, "width").and_then(Attribute::as_int).unwrap_or(0));
                            fifo = true;
                            cur = cx.result(u.op, 0);
                        }
                        [u] => break *u,
                        many => {
                            return Err(err_at(
                                cx,
                                op,
                                format!(
                                    "output #{port} of {} has {} consumers; a stream has one (a dataflow.fork copies it)",
                                    self.nodes[ni].name,
                                    many.len()
                                ),
                            ));
                        }
                    }
                };
                let Some(&ci) = self.node_of.get(&user.op) else {
                    return Err(err_at(
                        cx,
                        user.op,
                        format!("consumes the stream of {} but is not a dataflow node", self.nodes[ni].name),
                    ));
                };
                if !fifo {
                    depth = IMPLICIT_DEPTH;
                }
                if width == 0 {
                    width = itensor.tile_bits();
                }
                let name = format!(
                    "{}_{}_to_{}_{}",
                    self.nodes[ni].name,
                    port_name(false, port),
                    self.nodes[ci].name,
                    port_name(true, user.index as usize)
                );
                let id = self.channels.len();
                self.out_channel.insert((ni, port), id);
                self.in_channel.insert((ci, user.index as usize), id);
                self.channels.push(Channel {
                    name,
                    region: self.nodes[ni].region,
                    producer: (ni, port),
                    consumer: (ci, user.index as usize),
                    depth,
                    width,
                    fifo,
                    itensor,
                });
            }
        }
        Ok(())
    }

    /// The channel feeding input `port` of node `node`.
    pub fn input_channel(&self, node: usize, port: usize) -> Option<&Channel> {
        self.in_channel.get(&(node, port)).map(|&c| &self.channels[c])
    }

    /// The channel leaving output `port` of node `node`.
    pub fn output_channel(&self, node: usize, port: usize) -> Option<&Channel> {
        self.out_channel.get(&(node, port)).map(|&c| &self.channels[c])
    }

    /// The tensor a DMA node moves.
    pub fn dma_tensor(&self, cx: &Context, node: usize) -> Option<&Tensor> {
        let n = &self.nodes[node];
        match n.kind {
            NodeKind::DmaLoad => self.tensor(cx, cx.operand(n.op, 0)),
            NodeKind::DmaStore => self.tensor(cx, cx.result(n.op, 0)),
            _ => None,
        }
    }

    /// The external tensors region `ri`'s nodes read or write directly (not through a stream),
    /// in the order the nodes first touch them.
    pub fn region_tensors(&self, cx: &Context, ri: usize) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for (ni, n) in self.nodes.iter().enumerate().filter(|(_, n)| n.region == ri) {
            let inputs = cx.operands(n.op).iter().enumerate().filter(|&(k, _)| self.input_channel(ni, k).is_none());
            let outputs = cx.results(n.op).enumerate().filter(|&(k, _)| self.output_channel(ni, k).is_none());
            for (_, v) in inputs.map(|(k, &v)| (k, v)).chain(outputs) {
                if let Some(t) = self.tensor(cx, v)
                    && !out.contains(&t.name)
                {
                    out.push(t.name.clone());
                }
            }
        }
        out
    }

    /// Each region's distinct design (`dnnc_stream::classes` of the regions' stream models:
    /// what `allocate-resources` shares one instance among), or `None` when a region has no
    /// stream model.
    pub fn region_classes(&self, cx: &Context) -> Option<Vec<usize>> {
        let designs: Option<Vec<dnnc_stream::Design>> = self
            .regions
            .iter()
            .map(|&(_, _, block)| dnnc_dataflow::design::design_of(cx, block, &self.func_name).ok().map(|m| m.design))
            .collect();
        Some(dnnc_stream::classes(&designs?))
    }
}

/// Whether a constant's values are in the IR: then it is a file-level array of the C++, not
/// a tensor in HBM.
pub fn kept_in_ir(cx: &Context, t: &Tensor) -> bool {
    t.role == Role::Constant && t.def.is_some_and(|op| dnnc_dataflow::design::is_kept_constant(cx, op))
}

/// Bytes one AXI port moves per cycle (a 512-bit beat); the interleaving granule of a striped
/// tensor. The stream model's `DMA_PORT_BYTES_PER_CYCLE` (crates/stream/src/partition.rs).
pub const BEAT_BYTES: i64 = 64;

/// How a tensor lies in external memory: over `ports` arrays, one per AXI port, each on an HBM
/// pseudo channel of its own (`crate::hbm::HbmPlan::channels_of`).
///
/// Interleaving: the row-major tensor is cut into 64-byte beats ([`BEAT_BYTES`]); beat `b`
/// goes to port `(b + ⌊b/R⌋) mod P` at beat `⌊b/P⌋` of that port's array, where `R`
/// (`rotate`) is the beats of one row of the innermost dim rounded up to a multiple of `P`.
/// Each aligned group of `P` beats lies in one block of `R` and fills one beat of every port
/// (so the arrays are dense, each `⌈beats / P⌉` beats); the rotation by one port per block —
/// per row when rows are a multiple of `P` beats — spreads the rows of a tile over the ports
/// (round-robin alone would put every row of a one-beat-wide tile of a 768-wide `f32` tensor
/// on the same port). With one port the array is the plain row-major tensor.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Striping {
    pub ports: u32,
    /// `R`: beats after which the assignment rotates by one port.
    pub rotate: i64,
}

impl Striping {
    /// The port and the index in that port's array of element `i` (row-major) of a tensor with
    /// `beat` elements per 64-byte beat.
    pub fn locate(&self, i: i64, beat: i64) -> (i64, i64) {
        let p = self.ports as i64;
        let b = i / beat;
        ((b + b / self.rotate.max(1)) % p, (b / p) * beat + i % beat)
    }

    /// Elements of each port's array for a tensor of `elems` elements.
    pub fn port_elems(&self, elems: i64, beat: i64) -> i64 {
        let beats = (elems + beat - 1) / beat;
        let p = self.ports as i64;
        if p == 1 { elems } else { (beats + p - 1) / p * beat }
    }
}

/// Elements of one 64-byte beat for elements of `bits` bits, each stored in whole bytes.
pub fn beat_elems(bits: u32) -> i64 {
    (BEAT_BYTES / ((bits.max(1) as i64 + 7) / 8)).max(1)
}

/// `in0`, `out1`, …
pub fn port_name(input: bool, i: usize) -> String {
    if input { format!("in{i}") } else { format!("out{i}") }
}

fn layout(t: &ITensor) -> Layout {
    Layout {
        tile: t.tile.clone(),
        trips: t.trips.clone(),
        steps: t.steps.clone(),
        map: t.map.to_string(),
        regular: t.is_regular(),
        tokens: t.tokens(),
        tile_bytes: t.tile_bytes(),
    }
}

fn stream_of(cx: &Context, v: ValueId) -> Result<ITensor, String> {
    ITensor::from_type(cx, cx.value_type(v))
}

/// `x` to three decimals: loads are sums of shares, whose last digits say nothing.
fn thousandths(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

/// Builds the descriptors of the dataflow design in `module` for `board`.
pub fn kernel_design(cx: &Context, module: OpId, board: &dnnc_arch::fpga::FpgaBoard) -> Result<KernelDesign, String> {
    let topo = Topology::of(cx, module)?;
    let hbm = topo.hbm_plan(cx, board);
    // Each region's design: the first region with the same structure.
    let design_of_region: Vec<usize> = match topo.region_classes(cx) {
        Some(class_of) => class_of.iter().map(|&c| class_of.iter().position(|&k| k == c).unwrap_or(0)).collect(),
        None => (0..topo.regions.len()).collect(),
    };
    let mode = dnnc_dataflow::RegionMode::of_function(cx, topo.func);
    let pipeline = if mode == dnnc_dataflow::RegionMode::Pipelined {
        let summary = dnnc_dataflow::summary::summarize(cx, module, &dnnc_stream::Budgets::from(board))?;
        summary.pipeline.map(|p| PipelineDesc {
            period_cycles: p.period_cycles,
            request_latency_cycles: p.request_latency_cycles,
            in_flight: p.in_flight,
        })
    } else {
        None
    };
    let mut d = KernelDesign {
        schema: SCHEMA.into(),
        function: topo.func_name.clone(),
        board: BoardRef { name: board.name.clone(), clock_mhz: board.clock_mhz, hbm_channels: board.hbm_channels },
        execution: ExecutionDesc { regions: mode.as_str().into(), pipeline },
        regions: topo
            .regions
            .iter()
            .enumerate()
            .map(|(i, r)| RegionDesc { index: i, partition: r.1, design: design_of_region[i], kernels: Vec::new() })
            .collect(),
        kernels: Vec::new(),
        channels: Vec::new(),
        converters: Vec::new(),
        dma: Vec::new(),
        forks: Vec::new(),
        joins: Vec::new(),
        tensors: topo
            .tensors
            .iter()
            .map(|t| TensorDesc {
                name: t.name.clone(),
                role: t.role.as_str().into(),
                elem: elem_name(cx, t.elem),
                shape: t.shape.clone(),
                bytes: (t.shape.iter().product::<i64>() * cx.type_data(t.elem).scalar_bits().unwrap_or(0) as i64 + 7)
                    / 8,
                ports: hbm.striping.get(&t.name).map_or(1, |s| s.ports),
                hbm_channels: hbm.channels_of(&t.name),
            })
            .collect(),
        hbm: HbmDesc {
            port_bytes_per_cycle: thousandths(hbm.port_bytes_per_cycle),
            peak_load: hbm.peak_load.iter().map(|&l| thousandths(l)).collect(),
        },
        totals: Totals::default(),
    };
    for (ni, n) in topo.nodes.iter().enumerate() {
        let op = n.op;
        match n.kind {
            NodeKind::Kernel => {
                let k = kernel_desc(cx, &topo, ni)?;
                d.regions[n.region].kernels.push(k.name.clone());
                if let Some(r) = &k.resources {
                    d.totals.resources.add(r);
                    if design_of_region[n.region] == n.region {
                        d.totals.instance_resources.add(r);
                    }
                }
                d.kernels.push(k);
            }
            NodeKind::Converter => {
                let (a, b) = (stream_of(cx, cx.operand(op, 0))?, stream_of(cx, cx.result(op, 0))?);
                let buffer = cx.attr(op, "buffer").and_then(Attribute::as_int_array).unwrap_or_else(|| a.full_shape());
                let bytes = cx
                    .attr(op, "bytes")
                    .and_then(Attribute::as_int)
                    .unwrap_or_else(|| dnnc_dataflow::converter_bytes(&buffer, a.elem_bits));
                d.totals.converter_bytes += bytes;
                d.converters.push(ConverterDesc {
                    name: n.name.clone(),
                    region: n.region,
                    elem: elem_name(cx, a.elem),
                    shape: a.full_shape(),
                    input: layout(&a),
                    output: layout(&b),
                    buffer,
                    bytes,
                });
            }
            NodeKind::DmaLoad | NodeKind::DmaStore => {
                let load = n.kind == NodeKind::DmaLoad;
                let (tensor_v, stream_v) =
                    if load { (cx.operand(op, 0), cx.result(op, 0)) } else { (cx.result(op, 0), cx.operand(op, 0)) };
                let s = stream_of(cx, stream_v)?;
                let tensor = topo.tensor(cx, tensor_v).map_or_else(|| "?".to_string(), |t| t.name.clone());
                let bytes = s.tokens() * s.tile_bytes();
                let ports = hbm.striping.get(&tensor).map_or(1, |s| s.ports);
                let hbm_channel = hbm.channels_of(&tensor).first().copied().unwrap_or(0);
                d.totals.dma_bytes += bytes;
                d.dma.push(DmaDesc {
                    name: n.name.clone(),
                    region: n.region,
                    direction: if load { "load" } else { "store" }.into(),
                    tensor,
                    reason: cx.attr(op, "reason").and_then(Attribute::as_str).map(str::to_string),
                    bytes,
                    hbm_channel,
                    ports,
                    bytes_per_cycle: cx.attr(op, "bytes_per_cycle").and_then(Attribute::as_int),
                    elem: elem_name(cx, s.elem),
                    layout: layout(&s),
                });
            }
            NodeKind::Fork => {
                let s = stream_of(cx, cx.operand(op, 0))?;
                d.forks.push(ForkDesc {
                    name: n.name.clone(),
                    region: n.region,
                    outputs: cx.num_results(op),
                    layout: layout(&s),
                });
            }
            NodeKind::Join => {
                let s = stream_of(cx, cx.result(op, 0))?;
                d.joins.push(JoinDesc {
                    name: n.name.clone(),
                    region: n.region,
                    dim: cx.attr(op, "dim").and_then(Attribute::as_int).unwrap_or(0),
                    inputs: cx.operands(op).len(),
                    layout: layout(&s),
                });
            }
        }
    }
    for c in &topo.channels {
        let bytes = c.depth * c.itensor.tile_bytes();
        d.totals.fifo_bytes += bytes;
        d.channels.push(ChannelDesc {
            name: c.name.clone(),
            region: c.region,
            producer: Endpoint { node: topo.nodes[c.producer.0].name.clone(), port: port_name(false, c.producer.1) },
            consumer: Endpoint { node: topo.nodes[c.consumer.0].name.clone(), port: port_name(true, c.consumer.1) },
            depth: c.depth,
            width_bits: c.width,
            token_bits: c.itensor.tile_bits(),
            tokens: c.itensor.tokens(),
            bytes,
            fifo: c.fifo,
            elem: elem_name(cx, c.itensor.elem),
            layout: layout(&c.itensor),
        });
    }
    d.totals.kernels = d.kernels.len();
    d.totals.channels = d.channels.len();
    Ok(d)
}

fn kernel_desc(cx: &Context, topo: &Topology, ni: usize) -> Result<KernelDesc, String> {
    let n = &topo.nodes[ni];
    let op = n.op;
    let loops = kernel_loops(cx, op).map_err(|e| err_at(cx, op, e))?;
    let int = |k: &str| cx.attr(op, k).and_then(Attribute::as_int).unwrap_or(1);
    let port = |input: bool, i: usize, v: ValueId| -> PortDesc {
        let ty = cx.value_type(v);
        let (shape, elem) = dnnc_dataflow::viewed_shape(cx, ty).unwrap_or_else(|| (Vec::new(), ty));
        let it = ITensor::of(cx, ty);
        let channel = if input { topo.input_channel(ni, i) } else { topo.output_channel(ni, i) };
        PortDesc {
            name: port_name(input, i),
            channel: channel.map(|c| c.name.clone()),
            tensor: if it.is_none() { topo.tensor(cx, v).map(|t| t.name.clone()) } else { None },
            elem: elem_name(cx, elem),
            shape,
            layout: it.as_ref().map(layout),
        }
    };
    let inputs: Vec<PortDesc> = cx.operands(op).iter().enumerate().map(|(i, &v)| port(true, i, v)).collect();
    let outputs: Vec<PortDesc> = cx.results(op).enumerate().map(|(i, v)| port(false, i, v)).collect();
    let body = cx.body(op, 0).ok_or_else(|| err_at(cx, op, "no body"))?;
    let mut local: HashMap<ValueId, String> = HashMap::new();
    for (i, &a) in cx.block_args(body).iter().enumerate() {
        local.insert(a, port_name(true, i));
    }
    let mut einsums = Vec::new();
    for (k, o) in cx.block_ops(body).filter(|&o| cx.is(o, dnnc_einsum::OP)).enumerate() {
        let e = dnnc_einsum::Einsum::of(cx, o).ok_or_else(|| err_at(cx, o, "malformed einsum"))?;
        let result = format!("t{k}");
        local.insert(cx.result(o, 0), result.clone());
        let source_attrs = cx
            .attr(o, "source_attrs")
            .and_then(Attribute::as_dict)
            .map(|d| d.iter().map(|(k, v)| (k.to_string(), cx.show_attr(v).to_string())).collect())
            .unwrap_or_default();
        einsums.push(EinsumDesc {
            result,
            kind: e.kind.into(),
            source: e.source.into(),
            part: e.part.map(str::to_string),
            dims: e.dims.iter().map(|s| s.to_string()).collect(),
            sizes: e.sizes.clone(),
            maps: e.maps.iter().map(|m| m.to_string()).collect(),
            operands: cx.operands(o).iter().map(|v| local.get(v).cloned().unwrap_or_else(|| "?".into())).collect(),
            normalized: cx.attr(o, "normalized").and_then(Attribute::as_int_array),
            indirect: cx.attr(o, "indirect").and_then(Attribute::as_int_array),
            source_attrs,
        });
    }
    let resources = cx.attr(op, "resources").and_then(Attribute::as_dict).map(|r| {
        let get = |k: &str| r.get(k).and_then(Attribute::as_int).unwrap_or(0);
        Resources { dsp: get("dsp"), bram: get("bram"), uram: get("uram"), lut: get("lut") }
    });
    Ok(KernelDesc {
        name: n.name.clone(),
        region: n.region,
        firings: loops.iter().map(|l| l.trips).product(),
        loops: loops.into_iter().map(|l| LoopDesc { dim: l.dim, trips: l.trips, tile: l.tile }).collect(),
        ii: int("ii"),
        latency: cx.attr(op, "latency").and_then(Attribute::as_int).unwrap_or(0),
        parallelism: int("parallelism"),
        einsums,
        inputs,
        outputs,
        resources,
    })
}

/// The descriptors as pretty JSON with a trailing newline.
pub fn kernels_json(cx: &Context, module: OpId, board: &dnnc_arch::fpga::FpgaBoard) -> Result<String, String> {
    let d = kernel_design(cx, module, board)?;
    let mut text = serde_json::to_string_pretty(&d).map_err(|e| format!("cannot write JSON: {e}"))?;
    text.push('\n');
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The interleaving fills every port's array densely, once per element, and spreads a
    /// 16x16 f32 tile of a 768-wide tensor (rows a multiple of 8 beats) over all 8 ports.
    #[test]
    fn striping_is_dense_and_spreads_tiles() {
        for (ports, elems, beat, rotate) in [(8u32, 768 * 32, 16, 48), (3, 1000, 16, 3), (5, 77, 8, 5), (1, 10, 16, 1)]
        {
            let s = Striping { ports, rotate };
            let n = s.port_elems(elems, beat);
            let mut seen = vec![vec![false; n as usize]; ports as usize];
            for i in 0..elems {
                let (p, k) = s.locate(i, beat);
                assert!(!seen[p as usize][k as usize], "{ports} ports: element {i} shares a slot");
                seen[p as usize][k as usize] = true;
            }
            let holes: usize = seen.iter().map(|a| a.iter().filter(|&&x| !x).count()).sum();
            assert!((holes as i64) < ports as i64 * beat, "{ports} ports, {elems} elements: {holes} unused slots");
        }
        let s = Striping { ports: 8, rotate: 48 };
        for (r0, c0) in [(0, 0), (16, 48), (112, 752)] {
            let mut beats = [0; 8];
            for r in r0..r0 + 16 {
                beats[s.locate(r * 768 + c0, 16).0 as usize] += 1;
            }
            assert_eq!(beats, [2; 8], "tile at ({r0}, {c0}): beats per port");
        }
    }

    #[test]
    fn a_beat_is_64_bytes_of_whole_byte_elements() {
        assert_eq!((beat_elems(32), beat_elems(64), beat_elems(16), beat_elems(1)), (16, 8, 32, 64));
    }
}
