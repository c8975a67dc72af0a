//! `--emit=hls`: the dataflow design as Vitis-HLS-style C++.
//!
//! - a top function with one `m_axi` array argument per external tensor (inputs, weights,
//!   constants without kept values, outputs, spills between regions, in [`HlsDesign::args`]
//!   order) holding `#pragma HLS
//!   DATAFLOW` over the design's nodes (or, for a partitioned design, calling one DATAFLOW
//!   function per distinct region design, once per region, in sequence: each design's function
//!   is wrapped in an `extern "C"` kernel of its own and the top is the host's order for one
//!   request);
//! - one `hls::stream<token, depth>` per channel (depth from the IR's `dataflow.fifo`s), a token
//!   being one itensor tile (`struct tok_f32_8 { float v[8]; }`);
//! - one function per kernel: a kernel whose streams follow its loop nest computes firing by
//!   firing, one token per input stream, MACs and reductions into an accumulator of the live
//!   output tiles (hls/firing.rs); any other reads its input streams into whole-tensor buffers
//!   first (and says why in the code). Each einsum is a loop nest (`PIPELINE II` and `UNROLL
//!   factor=parallelism` on the innermost loop, `ARRAY_PARTITION` of the local arrays by the
//!   same factor) that really computes it; results are written tile by tile in the output
//!   itensor order;
//! - an external tensor that a DMA engine of several AXI ports moves (one per HBM pseudo
//!   channel its bandwidth needs, [`crate::hbm`]) is striped over that many `m_axi` arguments
//!   ([`crate::kernels::Striping`], docs/kernels.md);
//! - converters as ping-pong buffers over the window the IR gives (whole tensor when the two
//!   layouts do not walk the windows in the same order), DMA as functions reading or writing
//!   the top-level arrays tile by tile, forks and joins as stream copies.
//!
//! Semantics come from each einsum's kind, maps and `source` (and `source_attrs`, `part`,
//! `normalized`, `indirect`); an einsum the emitter has no code for is an error naming it,
//! never approximate code. The output compiles with g++ against the `hls_stream.h` shim in
//! test-suite/hls/ (pragmas are ignored there) and computes what the einsum IR computes.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write;

use dnnc_dataflow::RegionMode;
use dnnc_dataflow::{ITensor, kernel_loops};
use dnnc_ir::types::{FloatKind, Signedness, TypeData};
use dnnc_ir::{AffineExpr, AffineMap, Attribute, Context, OpId, TypeId, ValueId};

use crate::kernels::{NodeKind, Role, Striping, Topology, beat_elems, ident, kept_in_ir, port_name};

mod firing;

/// Splat constants up to this many elements are written out element by element.
const SPELLED_SPLAT: i64 = 1 << 16;

/// One argument of the top function.
#[derive(Clone, Debug, PartialEq)]
pub struct TopArg {
    /// The C++ parameter name (= the tensor's name in the kernel descriptors).
    pub name: String,
    pub role: Role,
    /// C++ element type.
    pub ctype: String,
    pub shape: Vec<i64>,
    /// How the tensor lies over the argument's AXI ports: with one port the argument is one
    /// pointer `name` to the row-major tensor; with `P` ports it is `P` pointers `name_p0`, …,
    /// each on its own `m_axi` bundle, holding the interleaved beats ([`Striping`]).
    pub striping: Striping,
    /// Elements of one 64-byte beat.
    pub beat: i64,
}

impl TopArg {
    pub fn elems(&self) -> i64 {
        self.shape.iter().product()
    }

    /// The C++ parameter names: `name`, or `name_p0`, … for a striped tensor.
    pub fn params(&self) -> Vec<String> {
        port_params(&self.name, self.striping.ports)
    }

    /// Elements of each parameter's array.
    pub fn port_elems(&self) -> i64 {
        self.striping.port_elems(self.elems().max(1), self.beat)
    }
}

/// The parameter names of tensor `name` over `ports` AXI ports.
fn port_params(name: &str, ports: u32) -> Vec<String> {
    if ports <= 1 { vec![name.to_string()] } else { (0..ports).map(|k| format!("{name}_p{k}")).collect() }
}

/// The emitted C++ and its interface.
#[derive(Clone, Debug)]
pub struct HlsDesign {
    pub code: String,
    /// Name of the top function.
    pub top: String,
    pub args: Vec<TopArg>,
    /// The `extern "C"` kernels a v++ link instantiates: the top function, or with several
    /// regions one per distinct design.
    pub kernels: Vec<HlsKernel>,
    /// Whether each kernel is a bitstream of its own (time-shared regions).
    pub kernel_per_bitstream: bool,
    /// Every array a node function declares (stream tokens aside), in emission order.
    pub buffers: Vec<LocalBuffer>,
}

/// A kernel of the design and where its memory arguments go.
#[derive(Clone, Debug, PartialEq)]
pub struct HlsKernel {
    pub name: String,
    /// Each pointer parameter and the HBM pseudo channel of its `m_axi` bundle.
    pub ports: Vec<(String, u32)>,
}

/// An on-chip array of one node function: what the design stores besides its FIFOs.
#[derive(Clone, Debug, PartialEq)]
pub struct LocalBuffer {
    /// The node (kernel, converter) declaring it.
    pub node: String,
    /// Its C++ name in that function.
    pub name: String,
    pub elems: i64,
    pub bytes: i64,
    /// `accumulator` (partial results of a streaming MAC or reduction), `whole input` /
    /// `whole result` (a kernel that cannot stream holds the tensor), `converter` (both
    /// ping-pong halves), `read counts` (a mean over the reads inside a padded input counts
    /// them per output).
    pub role: &'static str,
}

/// Whether C++ `text` names identifier `name` (not as part of a longer identifier).
fn mentions(text: &str, name: &str) -> bool {
    let ident = |c: char| c.is_ascii_alphanumeric() || c == '_';
    text.match_indices(name).any(|(i, _)| {
        !text[..i].chars().next_back().is_some_and(ident) && !text[i + name.len()..].chars().next().is_some_and(ident)
    })
}

/// The name of the load (`ld`) or store (`st`) function of a striped tensor.
fn accessor(kind: &str, ctype: &str, ports: u32, beat: i64, rotate: i64) -> String {
    format!("dnnc_{kind}_{}_{ports}x{beat}r{rotate}", ctype.trim_end_matches("_t"))
}

/// Bytes of a C++ element type.
fn c_bytes(c: &str) -> i64 {
    match c {
        "bool" | "int8_t" | "uint8_t" => 1,
        "half" | "int16_t" | "uint16_t" => 2,
        "double" | "int64_t" | "uint64_t" => 8,
        _ => 4,
    }
}

/// Emits the dataflow design in `module` as HLS C++.
pub fn hls_design(cx: &Context, module: OpId, board: &dnnc_arch::fpga::FpgaBoard) -> Result<HlsDesign, String> {
    let topo = Topology::of(cx, module)?;
    let plan = topo.hbm_plan(cx, board);
    let mut e = Emitter {
        cx,
        topo: &topo,
        tokens: BTreeMap::new(),
        buffers: Vec::new(),
        striping: plan.striping,
        striped_access: std::collections::BTreeSet::new(),
        tensor_channels: plan.tensor_channels,
        kernels: Vec::new(),
    };
    e.emit(board)
}

/// [`hls_design`]'s code.
pub fn hls_cpp(cx: &Context, module: OpId, board: &dnnc_arch::fpga::FpgaBoard) -> Result<String, String> {
    hls_design(cx, module, board).map(|d| d.code)
}

/// The v++ link configuration of the dataflow design in `module` (`v++ --link --config`):
/// one compute unit per kernel of [`hls_design`], each memory argument on the HBM pseudo
/// channel its `m_axi` bundle stands for (docs/kernels.md, "HBM placement"), and the kernel
/// clock. Without it v++ connects every memory interface to one bank, and the design would
/// stream through one pseudo channel instead of the bandwidth its model counts on. With
/// time-shared regions every design is a bitstream of its own: one configuration per kernel,
/// one after another, each headed by the file name it is meant for.
pub fn vitis_link(cx: &Context, module: OpId, board: &dnnc_arch::fpga::FpgaBoard) -> Result<String, String> {
    let d = hls_design(cx, module, board)?;
    let mut out = String::new();
    let function = d.top.trim_end_matches("_top");
    writeln!(out, "# Generated by dnnc --emit=vitis-link: v++ link configuration of '{function}' for {}.", board.name)
        .unwrap();
    out.push_str(
        "# Use with the C++ of --emit=hls compiled by v++ -c, one .xo per kernel:\n\
         #   v++ --link --platform <the board's platform> --config <this file> <the .xo files>\n\
         # Each memory argument goes to the HBM pseudo channel its bundle names (hbm<c> on HBM[c]).\n",
    );
    let hz = (board.clock_mhz * 1e6).round() as u64;
    let config = |out: &mut String, kernels: &[&HlsKernel]| {
        out.push_str("\n[connectivity]\n");
        for k in kernels {
            writeln!(out, "nk={}:1:{}_1", k.name, k.name).unwrap();
        }
        for k in kernels {
            for (param, channel) in &k.ports {
                writeln!(out, "sp={}_1.{param}:HBM[{channel}]", k.name).unwrap();
            }
        }
        out.push_str("\n[clock]\n");
        for k in kernels {
            writeln!(out, "freqHz={hz}:{}_1", k.name).unwrap();
        }
    };
    if d.kernel_per_bitstream {
        out.push_str(
            "# Time-shared regions: each design kernel is a bitstream of its own, which the host loads\n\
             # before the regions that call it. One configuration per bitstream follows, each headed by\n\
             # the file it is meant for.\n",
        );
        for k in &d.kernels {
            writeln!(out, "\n# ---- {}.cfg (v++ --link ... --config {}.cfg {}.xo)", k.name, k.name, k.name).unwrap();
            config(&mut out, &[k]);
        }
    } else {
        config(&mut out, &d.kernels.iter().collect::<Vec<_>>());
    }
    Ok(out)
}

/// The C++ type of an element type.
pub fn ctype(cx: &Context, ty: TypeId) -> Result<&'static str, String> {
    Ok(match cx.type_data(ty) {
        TypeData::Float(FloatKind::F32) => "float",
        TypeData::Float(FloatKind::F64) => "double",
        TypeData::Float(FloatKind::F16) => "half",
        TypeData::Integer { width: 1, .. } => "bool",
        TypeData::Integer { width, signedness } => {
            let unsigned = *signedness == Signedness::Unsigned;
            match (width, unsigned) {
                (8, false) => "int8_t",
                (8, true) => "uint8_t",
                (16, false) => "int16_t",
                (16, true) => "uint16_t",
                (32, false) => "int32_t",
                (32, true) => "uint32_t",
                (64, false) => "int64_t",
                (64, true) => "uint64_t",
                _ => return Err(format!("element type {} has no C++ type", cx.show_type(ty))),
            }
        }
        TypeData::Index => "int64_t",
        _ => return Err(format!("element type {} has no HLS C++ type", cx.show_type(ty))),
    })
}

/// Indented C++ text.
struct Code {
    text: String,
    depth: usize,
}

impl Code {
    fn new(depth: usize) -> Code {
        Code { text: String::new(), depth }
    }

    fn line(&mut self, s: impl AsRef<str>) {
        for _ in 0..self.depth {
            self.text.push_str("  ");
        }
        self.text.push_str(s.as_ref());
        self.text.push('\n');
    }

    fn open(&mut self, s: impl AsRef<str>) {
        self.line(s);
        self.depth += 1;
    }

    fn close(&mut self) {
        self.depth -= 1;
        self.line("}");
    }
}

/// An affine expression as C++ over the given names of the map's dims.
fn aff(e: &AffineExpr, dims: &[String]) -> String {
    match e {
        AffineExpr::Dim(i) => dims.get(*i as usize).cloned().unwrap_or_else(|| "0".into()),
        AffineExpr::Symbol(_) => "0".into(),
        AffineExpr::Const(c) => format!("{c}LL"),
        AffineExpr::Add(a, b) => format!("({} + {})", aff(a, dims), aff(b, dims)),
        AffineExpr::Mul(a, b) => format!("({} * {})", aff(a, dims), aff(b, dims)),
        AffineExpr::FloorDiv(a, b) => format!("dnnc_floordiv({}, {})", aff(a, dims), aff(b, dims)),
        AffineExpr::CeilDiv(a, b) => format!("dnnc_ceildiv({}, {})", aff(a, dims), aff(b, dims)),
        AffineExpr::Mod(a, b) => format!("dnnc_mod({}, {})", aff(a, dims), aff(b, dims)),
    }
}

/// `i0 * s1 * s2 + i1 * s2 + i2` for indices of a row-major tensor of `shape`.
fn linear(idx: &[String], shape: &[i64]) -> String {
    if idx.is_empty() {
        return "0".into();
    }
    let mut stride = 1i64;
    let mut terms = Vec::new();
    for (i, s) in idx.iter().zip(shape).rev() {
        terms.push(if stride == 1 { format!("({i})") } else { format!("({i}) * {stride}LL") });
        stride *= s;
    }
    terms.reverse();
    terms.join(" + ")
}

/// A C++ floating literal of value `v` in type `t`.
fn lit(v: f64, t: &str) -> String {
    if v.is_infinite() {
        let inf = format!("std::numeric_limits<{t}>::infinity()");
        return if v > 0.0 { inf } else { format!("(-{inf})") };
    }
    if v.is_nan() {
        return format!("std::numeric_limits<{t}>::quiet_NaN()");
    }
    format!("(({t}){v:?})")
}

/// The bounds check and linear index of an access through `map` into `buf` from loop
/// variables `vars` ranging over `sizes`: the guards keep the access inside the tensor
/// (`buf.full`), the index is into the local array (the tensor itself, or one tile of it at
/// `buf.origin`).
fn access(map: &AffineMap, buf: &Buf, vars: &[String], sizes: &[i64]) -> (Vec<String>, String) {
    let mut guards = Vec::new();
    let mut idx = Vec::new();
    for (j, e) in map.results.iter().enumerate() {
        let n = buf.full.get(j).copied().unwrap_or(1);
        let text = aff(e, vars);
        let safe = e.range(sizes).is_some_and(|(lo, hi)| lo >= 0 && hi < n);
        if !safe {
            guards.push(format!("({text}) >= 0 && ({text}) < {n}LL"));
        }
        match buf.origin.as_ref().and_then(|o| o.get(j)).filter(|o| o.as_str() != "0") {
            Some(o) => idx.push(format!("{text} - {o}")),
            None => idx.push(text),
        }
    }
    (guards, linear(&idx, &buf.shape))
}

/// What a kernel's einsum code reads or writes: a whole tensor (a local buffer or a memory
/// port), or one tile of it (a stream token, an accumulator) — C++ array `name` of `shape`,
/// holding the tensor of shape `full` from coordinates `origin` on.
#[derive(Clone)]
struct Buf {
    name: String,
    shape: Vec<i64>,
    ctype: &'static str,
    full: Vec<i64>,
    /// Per tensor dim, the C++ expression of the coordinate of the array's first element
    /// (`None`: the array is the whole tensor).
    origin: Option<Vec<String>>,
    /// A tensor in external memory interleaved over this many ports (`name_p0`, …) in beats of
    /// this many elements rotating every this many beats ([`Striping`]), read and written
    /// through `dnnc_ld_*` / `dnnc_st_*`.
    stripe: Option<(u32, i64, i64)>,
}

impl Buf {
    /// A whole tensor.
    fn whole(name: impl Into<String>, shape: Vec<i64>, ctype: &'static str) -> Buf {
        Buf { name: name.into(), full: shape.clone(), shape, ctype, origin: None, stripe: None }
    }

    fn elems(&self) -> i64 {
        self.shape.iter().product()
    }

    /// The element at linear index `idx` (from [`access`]).
    fn at(&self, idx: &str) -> String {
        match self.stripe {
            Some((p, w, r)) => format!("{}({}, {idx})", accessor("ld", self.ctype, p, w, r), self.ports().join(", ")),
            None => format!("{}[{idx}]", self.name),
        }
    }

    /// The statement storing `value` at linear index `idx`.
    fn store(&self, idx: &str, value: &str) -> String {
        match self.stripe {
            Some((p, w, r)) => {
                format!("{}({}, {idx}, {value});", accessor("st", self.ctype, p, w, r), self.ports().join(", "))
            }
            None => format!("{}[{idx}] = {value};", self.name),
        }
    }

    fn ports(&self) -> Vec<String> {
        port_params(&self.name, self.stripe.map_or(1, |s| s.0))
    }
}

struct Emitter<'a> {
    cx: &'a Context,
    topo: &'a Topology,
    /// (C type, tile elements) → token struct name.
    tokens: BTreeMap<(String, i64), String>,
    buffers: Vec<LocalBuffer>,
    /// External tensors by name: their ports (tensors absent here have one).
    striping: HashMap<String, Striping>,
    /// (C type, ports, beat elements, rotation) of the striped accessors the code calls.
    striped_access: std::collections::BTreeSet<(String, u32, i64, i64)>,
    /// External tensors by name: the pseudo channel of each port.
    tensor_channels: HashMap<String, Vec<u32>>,
    /// The kernels emitted so far.
    kernels: Vec<HlsKernel>,
}

impl Emitter<'_> {
    fn token(&mut self, t: &ITensor) -> Result<String, String> {
        let c = ctype(self.cx, t.elem)?;
        let key = (c.to_string(), t.tile_elems());
        let name = format!("tok_{}_{}", c.trim_end_matches("_t"), t.tile_elems());
        Ok(self.tokens.entry(key).or_insert(name).clone())
    }

    fn stream_type(&mut self, v: ValueId) -> Result<(ITensor, String), String> {
        let t = ITensor::from_type(self.cx, self.cx.value_type(v))?;
        let tok = self.token(&t)?;
        Ok((t, tok))
    }

    fn emit(&mut self, board: &dnnc_arch::fpga::FpgaBoard) -> Result<HlsDesign, String> {
        let cx = self.cx;
        let topo = self.topo;
        // Functions first (they register token types), then the file around them.
        let mut node_funcs = Vec::with_capacity(topo.nodes.len());
        for ni in 0..topo.nodes.len() {
            let f = match topo.nodes[ni].kind {
                NodeKind::Kernel => self.kernel(ni)?,
                NodeKind::Converter => self.converter(ni)?,
                NodeKind::DmaLoad | NodeKind::DmaStore => self.dma(ni)?,
                NodeKind::Fork => self.fork(ni)?,
                NodeKind::Join => self.join(ni)?,
            };
            node_funcs.push(f);
        }
        // Top-level arguments: inputs, weights, constants whose values the importer did not keep
        // (the host supplies them from the model, like weights), outputs, spills. Constants with
        // values are file-level arrays.
        let kept = |t: &crate::kernels::Tensor| kept_in_ir(cx, t);
        let mut args = Vec::new();
        for role in [Role::Input, Role::Weight, Role::Constant, Role::Output, Role::Spill] {
            for t in topo.tensors.iter().filter(|t| t.role == role && !(role == Role::Constant && kept(t))) {
                args.push(TopArg {
                    name: t.name.clone(),
                    role,
                    ctype: ctype(cx, t.elem)?.to_string(),
                    shape: t.shape.clone(),
                    striping: self.striping_of(&t.name),
                    beat: beat_elems(cx.type_data(t.elem).scalar_bits().unwrap_or(8)),
                });
            }
        }
        let mut consts = String::new();
        let mut const_init = Vec::new();
        for t in topo.tensors.iter().filter(|t| t.role == Role::Constant && kept(t)) {
            let c = ctype(cx, t.elem)?;
            let n: i64 = t.shape.iter().product();
            let op = t.def.expect("constants have a defining op");
            let scalar = |a: &Attribute| -> Option<String> {
                match a {
                    Attribute::Float { value, .. } => Some(lit(*value, c)),
                    Attribute::Int { value, .. } => Some(format!("(({c}){value}LL)")),
                    Attribute::Bool(b) => Some(format!("(({c}){b})")),
                    _ => None,
                }
            };
            if let Some(values) = cx.attr(op, "value").and_then(Attribute::as_array) {
                let items: Option<Vec<String>> = values.iter().map(scalar).collect();
                let items = items.ok_or_else(|| format!("constant {}: elements must be numbers", t.name))?;
                if items.len() as i64 != n {
                    return Err(format!("constant {}: {} elements for {n}", t.name, items.len()));
                }
                writeln!(consts, "static const {c} {}[{n}] = {{{}}};", t.name, items.join(", ")).unwrap();
            } else if let Some(v) = cx.attr(op, "splat").and_then(scalar) {
                // Spelled out, so the DATAFLOW region holds nothing but streams and calls; a
                // huge splat is filled once before the region instead.
                if n <= SPELLED_SPLAT {
                    let items = vec![v.as_str(); n.max(1) as usize].join(", ");
                    writeln!(consts, "static const {c} {}[{n}] = {{{items}}};", t.name).unwrap();
                } else {
                    writeln!(consts, "static {c} {}[{n}];", t.name).unwrap();
                    const_init
                        .push((t.name.clone(), format!("for (long long i = 0; i < {n}LL; ++i) {}[i] = {v};", t.name)));
                }
            }
        }
        let top = format!("{}_top", topo.func_name);
        let params: Vec<String> = args
            .iter()
            .map(|a| {
                let konst = if matches!(a.role, Role::Input | Role::Weight | Role::Constant) { "const " } else { "" };
                a.params().iter().map(|p| format!("{konst}{} *{p}", a.ctype)).collect::<Vec<_>>().join(", ")
            })
            .collect();
        // Regions run as the host starts them (the stream model's region switch is that start):
        // each distinct design is a kernel of its own, with its own ports, which the host starts
        // once per region of that design with the region's tensors; the top function is then
        // the host's order for one request. Resident, the kernels share one bitstream and run
        // one after another; pipelined (`regions=pipelined`) they share it and each works on
        // another request; time-shared each takes the whole fabric, a bitstream of its own.
        let mode = RegionMode::of_function(cx, topo.func);
        let own_kernels = topo.regions.len() > 1;
        let pipelined = own_kernels && mode == RegionMode::Pipelined;
        let time_shared = own_kernels && mode == RegionMode::TimeShared;
        let mut body = Code::new(1);
        if !own_kernels {
            self.interface_pragmas(&top, &args, &mut body);
            for (_, l) in &const_init {
                body.line(l);
            }
        }
        let mut regions = String::new();
        let arg_names: Vec<String> = args.iter().map(|a| a.params().join(", ")).collect();
        // Node functions to leave out: those of regions that call another region's design.
        let mut shared_away = vec![false; topo.nodes.len()];
        // One region is the top function itself, unless constants must be filled before it.
        let mut kernels = Vec::new();
        let kernel_name = |d: usize| format!("{}_design{d}", topo.func_name);
        if topo.regions.len() == 1 && const_init.is_empty() {
            self.region_body(0, &mut body)?;
        } else {
            // Regions that are the same design (the repeated layers of a transformer, their
            // tensors at other addresses) call one function: one instance on the fabric, as
            // `allocate-resources{regions=resident}` allocates it.
            let mut designs: Vec<(String, Vec<usize>)> = Vec::new();
            let mut design_of = Vec::with_capacity(topo.regions.len());
            let mut texts = Vec::with_capacity(topo.regions.len());
            for ri in 0..topo.regions.len() {
                let mut rb = Code::new(1);
                self.region_body(ri, &mut rb)?;
                // The region takes the external tensors its nodes touch (file-level constants
                // are visible anyway), in the order its nodes first touch them: regions that are
                // the same design then take their tensors in the same order.
                let mine: Vec<usize> =
                    topo.region_tensors(cx, ri).iter().filter_map(|t| args.iter().position(|a| &a.name == t)).collect();
                let key = self.region_key(ri, &rb.text, &mine, &args, &params, &node_funcs);
                let d = match designs.iter().position(|(k, _)| *k == key) {
                    Some(d) => d,
                    None => {
                        designs.push((key, Vec::new()));
                        designs.len() - 1
                    }
                };
                designs[d].1.push(ri);
                design_of.push(d);
                texts.push((rb.text, mine));
            }
            for (d, (_, uses)) in designs.iter().enumerate() {
                let first = uses[0];
                for &ri in &uses[1..] {
                    for (ni, n) in topo.nodes.iter().enumerate() {
                        shared_away[ni] |= n.region == ri;
                    }
                }
                let (text, mine) = &texts[first];
                let called = if uses.len() == 1 {
                    format!("region {first} (partition {})", topo.regions[first].1)
                } else {
                    let list: Vec<String> = uses.iter().map(|r| r.to_string()).collect();
                    format!("regions {} (one instance, called once per region)", list.join(", "))
                };
                let signature = mine.iter().map(|&k| params[k].as_str()).collect::<Vec<_>>().join(", ");
                writeln!(
                    regions,
                    "// Dataflow design {d}: {called}.\nstatic void design{d}({signature}) {{\n{text}}}\n"
                )
                .unwrap();
                if own_kernels {
                    // A kernel of its own around the dataflow function: its ports, and the huge
                    // splats the design reads filled before it runs.
                    let kernel = kernel_name(d);
                    let mut wrapper = Code::new(1);
                    self.interface_pragmas(&kernel, mine.iter().map(|&k| &args[k]), &mut wrapper);
                    let reads = |name: &str| {
                        topo.nodes.iter().zip(&node_funcs).any(|(n, f)| n.region == first && mentions(f, name))
                    };
                    for (_, l) in const_init.iter().filter(|(name, _)| reads(name)) {
                        wrapper.line(l);
                    }
                    let call: Vec<&str> = mine.iter().map(|&k| arg_names[k].as_str()).collect();
                    wrapper.line(format!("design{d}({});", call.join(", ")));
                    writeln!(
                        regions,
                        "// Design {d} as a kernel of its own ({} regions).\n\
                         extern \"C\" void {kernel}({signature}) {{\n{}}}\n",
                        mode.as_str(),
                        wrapper.text
                    )
                    .unwrap();
                    kernels.push(kernel);
                }
            }
            for (ri, (_, mine)) in texts.iter().enumerate() {
                let after = if ri == 0 { String::new() } else { format!(" // region {ri}, after region {}", ri - 1) };
                let callee = if own_kernels { kernel_name(design_of[ri]) } else { format!("design{}", design_of[ri]) };
                body.line(format!(
                    "{callee}({});{after}",
                    mine.iter().map(|&k| arg_names[k].as_str()).collect::<Vec<_>>().join(", ")
                ));
            }
        }
        let mut funcs = String::new();
        for (f, _) in node_funcs.iter().zip(&shared_away).filter(|(_, away)| !**away) {
            funcs.push_str(f);
            funcs.push('\n');
        }
        let mut out = String::new();
        writeln!(
            out,
            "// Generated by dnnc --emit=hls: dataflow design of '{}' for {} ({} MHz kernel clock).",
            topo.func_name, board.name, board.clock_mhz
        )
        .unwrap();
        if pipelined {
            out.push_str(&format!(
                "// Kernels (pipelined regions: each works on another request at the same time): {}.\n\
                 // {top} is the host's order for one request, not a kernel; with requests in flight the host\n\
                 // starts each kernel on its own request and keeps a copy of every spill per request in flight.\n",
                kernels.join(", ")
            ));
        } else if own_kernels && !time_shared {
            out.push_str(&format!(
                "// Kernels (resident regions: one bitstream holds them all; the host starts each region's kernel in\n\
                 // turn, one kernel for all the regions of one design): {}.\n\
                 // {top} is the host's order for one request, not a kernel.\n",
                kernels.join(", ")
            ));
        } else if time_shared {
            out.push_str(&format!(
                "// Kernels (time-shared regions: each on the whole fabric, a bitstream of its own): {}.\n\
                 // {top} is the host's order for one request, not a kernel; the host loads the bitstream of\n\
                 // each region's kernel before starting it.\n",
                kernels.join(", ")
            ));
        }
        out.push_str("// Top function: ");
        out.push_str(&top);
        out.push_str("; arguments in order: ");
        out.push_str(&args.iter().map(|a| format!("{} ({})", a.name, a.role.as_str())).collect::<Vec<_>>().join(", "));
        out.push_str(".\n");
        out.push_str(PRELUDE);
        for ((c, n), name) in &self.tokens {
            writeln!(out, "struct {name} {{\n  {c} v[{n}];\n}};").unwrap();
        }
        out.push('\n');
        if !self.striped_access.is_empty() {
            out.push_str(STRIPING);
            for (c, p, w, r) in &self.striped_access {
                out.push_str(&striped_accessors(c, *p, *w, *r));
            }
            out.push('\n');
        }
        out.push_str(&consts);
        if !consts.is_empty() {
            out.push('\n');
        }
        out.push_str(&funcs);
        out.push_str(&regions);
        // The top is the kernel unless the designs are kernels of their own.
        let linkage = if own_kernels { "" } else { "extern \"C\" " };
        writeln!(out, "{linkage}void {top}({}) {{\n{}}}", params.join(", "), body.text).unwrap();
        Ok(HlsDesign {
            code: out,
            top,
            args,
            kernels: std::mem::take(&mut self.kernels),
            kernel_per_bitstream: time_shared,
            buffers: std::mem::take(&mut self.buffers),
        })
    }

    /// What makes region `ri` the design it is, names aside: its node functions (each with its
    /// own name replaced by its position in the region, comments dropped: a DMA's says which
    /// tensor it moves), its body with node, stream and tensor
    /// names replaced by their positions, and the C types of its parameters. Two regions with
    /// the same key compute the same thing on their own arguments, so one function serves both.
    fn region_key(
        &self,
        ri: usize,
        body: &str,
        mine: &[usize],
        args: &[TopArg],
        params: &[String],
        node_funcs: &[String],
    ) -> String {
        let topo = self.topo;
        let mut names: HashMap<String, String> = HashMap::new();
        let mut key = String::new();
        for (i, (ni, n)) in topo.nodes.iter().enumerate().filter(|(_, n)| n.region == ri).enumerate() {
            let f = func_name(n.kind, &n.name);
            let code = without_comments(&node_funcs[ni]);
            key.push_str(&rename_idents(&code, &HashMap::from([(f.clone(), format!("@N{i}"))])));
            names.insert(f, format!("@N{i}"));
        }
        for (j, c) in topo.channels.iter().filter(|c| c.region == ri).enumerate() {
            names.insert(c.name.clone(), format!("@S{j}"));
        }
        for (k, &a) in mine.iter().enumerate() {
            for (q, p) in args[a].params().iter().enumerate() {
                names.insert(p.clone(), format!("@A{k}.{q}"));
            }
            key.push_str(&rename_idents(&params[a], &names));
            key.push(';');
        }
        key.push_str(&rename_idents(body, &names));
        key
    }

    /// The interface pragmas of a kernel taking `args`: each port of a tensor on the `hbm<c>`
    /// bundle of its HBM pseudo channel (`crate::hbm` places every tensor a DMA engine or a
    /// kernel touches, which are all the arguments). The kernel is recorded for the v++ link
    /// configuration ([`vitis_link`]).
    fn interface_pragmas<'t>(&mut self, kernel: &str, args: impl IntoIterator<Item = &'t TopArg>, body: &mut Code) {
        let mut ports = Vec::new();
        for a in args {
            let channels = self.channels_of(&a.name);
            for (k, p) in a.params().into_iter().enumerate() {
                let channel = channels.get(k).copied().unwrap_or(0);
                body.line(format!("#pragma HLS INTERFACE m_axi port={p} offset=slave bundle=hbm{channel}"));
                ports.push((p, channel));
            }
        }
        body.line("#pragma HLS INTERFACE s_axilite port=return");
        self.kernels.push(HlsKernel { name: kernel.to_string(), ports });
    }

    /// Stream declarations and node calls of region `ri`.
    fn region_body(&mut self, ri: usize, code: &mut Code) -> Result<(), String> {
        let cx = self.cx;
        let topo = self.topo;
        code.line("#pragma HLS DATAFLOW");
        for c in topo.channels.iter().filter(|c| c.region == ri) {
            let tok = self.token(&c.itensor)?;
            code.line(format!("hls::stream<{tok}, {}> {};", c.depth, c.name));
            code.line(format!("#pragma HLS STREAM variable={} depth={}", c.name, c.depth));
        }
        for (ni, n) in topo.nodes.iter().enumerate().filter(|(_, n)| n.region == ri) {
            let mut call = Vec::new();
            for (i, &v) in cx.operands(n.op).iter().enumerate() {
                match topo.input_channel(ni, i) {
                    Some(c) => call.push(c.name.clone()),
                    None => {
                        let t = self.tensor_arg(v, &n.name)?;
                        call.extend(port_params(&t, self.striping_of(&t).ports));
                    }
                }
            }
            for (i, v) in cx.results(n.op).enumerate() {
                match topo.output_channel(ni, i) {
                    Some(c) => call.push(c.name.clone()),
                    None => {
                        let t = self.tensor_arg(v, &n.name)?;
                        call.extend(port_params(&t, self.striping_of(&t).ports));
                    }
                }
            }
            code.line(format!("{}({});", func_name(n.kind, &n.name), call.join(", ")));
        }
        Ok(())
    }

    /// How external tensor `name` lies over its ports.
    /// The pseudo channel of each port of external tensor `name` (empty for a tensor no DMA
    /// touches).
    fn channels_of(&self, name: &str) -> Vec<u32> {
        self.tensor_channels.get(name).cloned().unwrap_or_default()
    }

    fn striping_of(&self, name: &str) -> Striping {
        self.striping.get(name).copied().unwrap_or(Striping { ports: 1, rotate: 1 })
    }

    /// The array of external tensor `name` as a kernel or DMA function sees it: parameter
    /// `param` (`param_p0`, … when striped).
    fn memory_buf(&mut self, name: &str, param: &str, shape: Vec<i64>, c: &'static str, bits: u32) -> Buf {
        let mut b = Buf::whole(param, shape, c);
        let s = self.striping_of(name);
        if s.ports > 1 {
            let w = beat_elems(bits);
            self.striped_access.insert((c.to_string(), s.ports, w, s.rotate));
            b.stripe = Some((s.ports, w, s.rotate));
        }
        b
    }

    /// Function parameters of a memory array `b` (`konst`: read only).
    fn memory_params(b: &Buf, konst: bool) -> String {
        let k = if konst { "const " } else { "" };
        b.ports().iter().map(|p| format!("{k}{} *{p}", b.ctype)).collect::<Vec<_>>().join(", ")
    }

    fn tensor_arg(&self, v: ValueId, node: &str) -> Result<String, String> {
        self.topo
            .tensor(self.cx, v)
            .map(|t| t.name.clone())
            .ok_or_else(|| format!("{node}: an operand is neither a stream nor an external tensor"))
    }

    /// Reads every token of `stream` (itensor `t`, token type `tok`) into `buf` (the full
    /// tensor, row-major), walking the iteration space outermost first.
    #[allow(clippy::too_many_arguments)]
    fn read_stream(&self, code: &mut Code, stream: &str, t: &ITensor, tok: &str, buf: &Buf, label: &str, ii: i64) {
        let full = t.full_shape();
        self.walk_tokens(code, t, label, ii, |code, origin| {
            code.line(format!("{tok} tk = {stream}.read();"));
            self.tile_loop(code, t, &full, origin, |code, coords, e| {
                code.line(buf.store(&linear(coords, &full), &format!("tk.v[{e}]")));
            });
        });
    }

    /// Writes `buf` to `stream` token by token.
    #[allow(clippy::too_many_arguments)]
    fn write_stream(&self, code: &mut Code, stream: &str, t: &ITensor, tok: &str, buf: &Buf, label: &str, ii: i64) {
        let full = t.full_shape();
        self.walk_tokens(code, t, label, ii, |code, origin| {
            code.line(format!("{tok} tk;"));
            self.tile_loop(code, t, &full, origin, |code, coords, e| {
                code.line(format!("tk.v[{e}] = {}[{}];", buf.name, linear(coords, &full)));
            });
            code.line(format!("{stream}.write(tk);"));
        });
    }

    /// The itensor's iteration loops (one token per iteration, `ii` cycles apart), with `body`
    /// given the tile's origin per tensor dim.
    fn walk_tokens(&self, code: &mut Code, t: &ITensor, label: &str, ii: i64, body: impl FnOnce(&mut Code, &[String])) {
        let vars: Vec<String> = (0..t.trips.len()).map(|i| format!("{label}_i{i}")).collect();
        for (i, v) in vars.iter().enumerate() {
            code.open(format!("{label}_l{i}: for (long long {v} = 0; {v} < {}LL; ++{v}) {{", t.trips[i]));
        }
        if vars.is_empty() {
            code.open("{");
        }
        code.line(format!("#pragma HLS PIPELINE II={}", ii.max(1)));
        let scaled: Vec<String> = vars.iter().zip(&t.steps).map(|(v, s)| format!("({v} * {s}LL)")).collect();
        let origin: Vec<String> = t.map.results.iter().map(|e| aff(e, &scaled)).collect();
        body(code, &origin);
        for _ in 0..vars.len().max(1) {
            code.close();
        }
    }

    /// Loops over the elements of one tile at `origin` (clipped to `full`); `body` gets the
    /// tensor coordinates and the element's index in the token.
    fn tile_loop(
        &self,
        code: &mut Code,
        t: &ITensor,
        full: &[i64],
        origin: &[String],
        body: impl FnOnce(&mut Code, &[String], String),
    ) {
        let n = t.tile.len();
        let evars: Vec<String> = (0..n).map(|j| format!("e{j}")).collect();
        let mut opened = 0;
        for (j, v) in evars.iter().enumerate() {
            if t.tile[j] > 1 {
                code.open(format!("for (long long {v} = 0; {v} < {}LL; ++{v}) {{", t.tile[j]));
                code.line("#pragma HLS UNROLL");
                opened += 1;
            } else {
                code.open("{");
                code.line(format!("const long long {v} = 0;"));
                opened += 1;
            }
        }
        let coords: Vec<String> = (0..n).map(|j| format!("c{j}")).collect();
        for (j, o) in origin.iter().enumerate().take(n) {
            code.line(format!("const long long c{j} = {o} + e{j};"));
        }
        let guard: Vec<String> = (0..n).map(|j| format!("c{j} < {}LL", full[j])).collect();
        let e = linear(&evars, &t.tile);
        if guard.is_empty() {
            body(code, &coords, e);
        } else {
            code.open(format!("if ({}) {{", guard.join(" && ")));
            body(code, &coords, e);
            code.close();
        }
        for _ in 0..opened {
            code.close();
        }
    }

    fn kernel(&mut self, ni: usize) -> Result<String, String> {
        let cx = self.cx;
        let topo = self.topo;
        let n = &topo.nodes[ni];
        let op = n.op;
        let kname = n.name.clone();
        let loops = kernel_loops(cx, op).map_err(|e| format!("kernel {kname}: {e}"))?;
        let ii = cx.attr(op, "ii").and_then(Attribute::as_int).unwrap_or(1).max(1);
        let par = cx.attr(op, "parallelism").and_then(Attribute::as_int).unwrap_or(1).max(1);
        let body = cx.body(op, 0).ok_or_else(|| format!("kernel {kname} has no body"))?;
        let mut params = Vec::new();
        let mut code = Code::new(1);
        let mut bufs: HashMap<ValueId, Buf> = HashMap::new();
        let args = cx.block_args(body).to_vec();
        let mut reads = Vec::new();
        for (i, (&v, &a)) in cx.operands(op).iter().zip(&args).enumerate() {
            let (shape, elem) = dnnc_dataflow::viewed_shape(cx, cx.value_type(v))
                .ok_or_else(|| format!("kernel {kname}: operand #{i} is not a tensor or stream"))?;
            let c = ctype(cx, elem).map_err(|e| format!("kernel {kname}: {e}"))?;
            if ITensor::of(cx, cx.value_type(v)).is_some() {
                let (t, tok) = self.stream_type(v)?;
                params.push(format!("hls::stream<{tok}> &{}", port_name(true, i)));
                let buf = Buf::whole(format!("b_in{i}"), shape, c);
                reads.push((i, t, tok, buf.clone()));
                bufs.insert(a, buf);
            } else {
                let name = self.tensor_arg(v, &kname)?;
                let bits = cx.type_data(elem).scalar_bits().unwrap_or(8);
                let b = self.memory_buf(&name, &port_name(true, i), shape, c, bits);
                params.push(Self::memory_params(&b, true));
                bufs.insert(a, b);
            }
        }
        let mut writes = Vec::new();
        // Results no stream can follow (a scatter such as a padded transposed convolution's)
        // are written whole to external memory through the kernel's own port.
        let mut stored = Vec::new();
        for (i, v) in cx.results(op).enumerate() {
            if ITensor::of(cx, cx.value_type(v)).is_none() {
                let (shape, elem) = dnnc_dataflow::viewed_shape(cx, cx.value_type(v))
                    .ok_or_else(|| format!("kernel {kname}: result #{i} is not a tensor or stream"))?;
                let c = ctype(cx, elem).map_err(|e| format!("kernel {kname}: {e}"))?;
                let name = self.tensor_arg(v, &kname)?;
                let bits = cx.type_data(elem).scalar_bits().unwrap_or(8);
                let b = self.memory_buf(&name, &port_name(false, i), shape, c, bits);
                params.push(Self::memory_params(&b, false));
                stored.push((i, b));
                continue;
            }
            let (t, tok) = self.stream_type(v)?;
            params.push(format!("hls::stream<{tok}> &{}", port_name(false, i)));
            writes.push((i, t, tok));
        }
        let loop_text: Vec<String> = loops.iter().map(|l| format!("{}: {} x {}", l.dim, l.trips, l.tile)).collect();
        code.line(format!(
            "// tile loops [{}]; II={ii}, parallelism={par}, {} firing(s)",
            loop_text.join(", "),
            loops.iter().map(|l| l.trips).product::<i64>()
        ));
        let streams: Vec<firing::StreamPort> =
            reads.iter().map(|(i, t, tok, _)| (*i, t.clone(), tok.clone())).collect();
        let firing = if stored.is_empty() {
            self.firing_kernel(ni, &streams, &writes, ii, par, &mut code)?
        } else {
            Err("a result is written to memory whole".to_string())
        };
        let why = match firing {
            Ok(()) => {
                return Ok(format!(
                    "static void {}({}) {{\n{}}}\n",
                    func_name(NodeKind::Kernel, &kname),
                    params.join(", "),
                    code.text
                ));
            }
            Err(why) => why,
        };
        // Local buffers of the streamed inputs: the whole tensors, because the kernel's
        // streams cannot be consumed firing by firing.
        for (_, _, _, b) in &reads {
            code.line(format!("// {} held whole: {why}", b.name));
            self.buffers.push(LocalBuffer {
                node: kname.clone(),
                name: b.name.clone(),
                elems: b.elems().max(1),
                bytes: b.elems().max(1) * c_bytes(b.ctype),
                role: "whole input",
            });
            code.line(format!("{} {}[{}];", b.ctype, b.name, b.elems().max(1)));
            if par > 1 {
                code.line(format!("#pragma HLS ARRAY_PARTITION variable={} cyclic factor={par}", b.name));
            }
        }
        for (i, t, tok, b) in &reads {
            let ii = token_ii(t, topo.input_channel(ni, *i).map(|c| c.width));
            self.read_stream(&mut code, &port_name(true, *i), t, tok, b, &format!("read_in{i}"), ii);
        }
        let ops: Vec<OpId> = cx.block_ops(body).collect();
        let mut k = 0;
        for &o in &ops {
            if cx.is(o, dnnc_dataflow::YIELD) {
                continue;
            }
            let r = cx.result(o, 0);
            let (shape, elem) = cx
                .tensor_shape(cx.value_type(r))
                .map(|(s, e)| (s.to_vec(), e))
                .ok_or_else(|| format!("kernel {kname}: an einsum result is not a tensor"))?;
            let out = Buf::whole(format!("t{k}"), shape, ctype(cx, elem)?);
            k += 1;
            self.buffers.push(LocalBuffer {
                node: kname.clone(),
                name: out.name.clone(),
                elems: out.elems().max(1),
                bytes: out.elems().max(1) * c_bytes(out.ctype),
                role: "whole result",
            });
            let reduction = dnnc_einsum::Einsum::of(cx, o).filter(|e| e.kind == "reduction");
            if let Some(e) = reduction.filter(|_| cx.attr(o, "normalized").is_none()) {
                let source = e.source.strip_prefix("graph.").unwrap_or(e.source);
                if counted_mean(cx, o, source, e.source, cx.operands(o).len()) {
                    self.buffers.push(LocalBuffer {
                        node: kname.clone(),
                        name: format!("{}_cnt", out.name),
                        elems: out.elems().max(1),
                        bytes: out.elems().max(1) * 8,
                        role: "read counts",
                    });
                }
            }
            code.line(format!("{} {}[{}];", out.ctype, out.name, out.elems().max(1)));
            if par > 1 {
                code.line(format!("#pragma HLS ARRAY_PARTITION variable={} cyclic factor={par}", out.name));
            }
            let ins: Vec<Buf> = cx
                .operands(o)
                .iter()
                .map(|v| bufs.get(v).cloned().ok_or_else(|| format!("kernel {kname}: an einsum operand is not local")))
                .collect::<Result<_, _>>()?;
            let ctx = EinsumCtx { kernel: &kname, loops: &loops, ii, par, firing: false };
            einsum(cx, o, &ins, &out, &ctx, &mut code)?;
            bufs.insert(r, out);
        }
        let y = ops.last().copied().filter(|&o| cx.is(o, dnnc_dataflow::YIELD));
        let y = y.ok_or_else(|| format!("kernel {kname}: body does not end in dataflow.yield"))?;
        for (i, t, tok) in &writes {
            let v = cx.operand(y, *i);
            let b = bufs.get(&v).cloned().ok_or_else(|| format!("kernel {kname}: yields a value it does not hold"))?;
            let ii = token_ii(t, topo.output_channel(ni, *i).map(|c| c.width));
            self.write_stream(&mut code, &port_name(false, *i), t, tok, &b, &format!("write_out{i}"), ii);
        }
        for (i, mem) in &stored {
            let v = cx.operand(y, *i);
            let b = bufs.get(&v).cloned().ok_or_else(|| format!("kernel {kname}: yields a value it does not hold"))?;
            code.open(format!("store_out{i}: for (long long n = 0; n < {}LL; ++n) {{", b.elems().max(1)));
            code.line("#pragma HLS PIPELINE II=1");
            code.line(mem.store("n", &b.at("n")));
            code.close();
        }
        Ok(format!("static void {}({}) {{\n{}}}\n", func_name(NodeKind::Kernel, &kname), params.join(", "), code.text))
    }

    fn converter(&mut self, ni: usize) -> Result<String, String> {
        let cx = self.cx;
        let n = &self.topo.nodes[ni];
        let (a, ta) = self.stream_type(cx.operand(n.op, 0))?;
        let (b, tb) = self.stream_type(cx.result(n.op, 0))?;
        let c = ctype(cx, a.elem)?;
        let full = a.full_shape();
        let buffer = cx.attr(n.op, "buffer").and_then(Attribute::as_int_array).unwrap_or_else(|| full.clone());
        let window = converter_windows(&a, &b, &buffer).unwrap_or_else(|| (full.clone(), 1));
        let (win, nw) = window;
        let elems: i64 = win.iter().product();
        let mut code = Code::new(1);
        code.line(format!("// layout converter: buffer {:?} ({} windows of {:?}); ping-pong halves", buffer, nw, win));
        self.buffers.push(LocalBuffer {
            node: n.name.clone(),
            name: "buf".into(),
            elems: 2 * elems,
            bytes: 2 * elems * c_bytes(c),
            role: "converter",
        });
        code.line(format!("{c} buf[2][{elems}];"));
        code.line("#pragma HLS ARRAY_PARTITION variable=buf complete dim=1");
        let (tin, tout) = (a.tokens() / nw, b.tokens() / nw);
        code.line("long long ic = 0, oc = 0;");
        code.open(format!("windows: for (long long w = 0; w < {nw}LL; ++w) {{"));
        code.line(format!("{c} *half = buf[w & 1];"));
        for (side, t, tok, count) in [("in", &a, &ta, tin), ("out", &b, &tb, tout)] {
            let counter = if side == "in" { "ic" } else { "oc" };
            code.open(format!("{side}_tokens: for (long long k = 0; k < {count}LL; ++k, ++{counter}) {{"));
            code.line("#pragma HLS PIPELINE II=1");
            // Decompose the running token count into the iteration indices.
            let mut idx = Vec::new();
            let mut inner = 1i64;
            for (j, &trips) in t.trips.iter().enumerate().rev() {
                // A loop the map does not use re-streams tiles: it needs no index.
                if t.map.results.iter().any(|e| uses(e, j as u32)) {
                    code.line(format!("const long long i{j} = ({counter} / {inner}LL) % {trips}LL;"));
                }
                inner *= trips;
                idx.push(j);
            }
            let scaled: Vec<String> = (0..t.trips.len()).map(|j| format!("(i{j} * {}LL)", t.steps[j])).collect();
            let origin: Vec<String> = t.map.results.iter().map(|e| aff(e, &scaled)).collect();
            if side == "in" {
                code.line(format!("{tok} tk = in.read();"));
            } else {
                code.line(format!("{tok} tk;"));
            }
            let local = |coords: &[String]| -> String {
                let l: Vec<String> = coords.iter().zip(&win).map(|(c, w)| format!("dnnc_mod({c}, {w}LL)")).collect();
                linear(&l, &win)
            };
            self.tile_loop(&mut code, t, &full, &origin, |code, coords, e| {
                if side == "in" {
                    code.line(format!("half[{}] = tk.v[{e}];", local(coords)));
                } else {
                    code.line(format!("tk.v[{e}] = half[{}];", local(coords)));
                }
            });
            if side == "out" {
                code.line("out.write(tk);");
            }
            code.close();
        }
        code.close();
        Ok(format!(
            "static void {}(hls::stream<{ta}> &in, hls::stream<{tb}> &out) {{\n{}}}\n",
            func_name(NodeKind::Converter, &n.name),
            code.text
        ))
    }

    fn dma(&mut self, ni: usize) -> Result<String, String> {
        let cx = self.cx;
        let n = &self.topo.nodes[ni];
        let load = n.kind == NodeKind::DmaLoad;
        let (tensor_v, stream_v) =
            if load { (cx.operand(n.op, 0), cx.result(n.op, 0)) } else { (cx.result(n.op, 0), cx.operand(n.op, 0)) };
        let (t, tok) = self.stream_type(stream_v)?;
        let c = ctype(cx, t.elem)?;
        let tensor = self.tensor_arg(tensor_v, &n.name)?;
        let full = t.full_shape();
        let mut code = Code::new(1);
        let mem = self.memory_buf(&tensor, "mem", full.clone(), c, t.elem_bits);
        let stripes = self.striping_of(&tensor);
        let what = if load { "load" } else { "store" };
        if stripes.ports > 1 {
            let channels: Vec<String> = self.channels_of(&tensor).iter().map(u32::to_string).collect();
            code.line(format!(
                "// {what} {tensor} over {} AXI ports interleaved in 64-byte beats (HBM pseudo channels {})",
                stripes.ports,
                channels.join(", ")
            ));
        } else {
            match self.channels_of(&tensor).first() {
                Some(channel) => code.line(format!("// {what} {tensor} over HBM pseudo channel {channel}")),
                None => code.line(format!("// {what} {tensor} from its array in this file (its values are in the IR)")),
            }
        }
        // One token per `ii` cycles: the engine's bandwidth when allocated, else the channel's.
        let ii = match cx.attr(n.op, "bytes_per_cycle").and_then(Attribute::as_int) {
            Some(bpc) if bpc > 0 => (t.tile_bytes() + bpc - 1) / bpc,
            _ => {
                let port = if load { self.topo.output_channel(ni, 0) } else { self.topo.input_channel(ni, 0) };
                token_ii(&t, port.map(|c| c.width))
            }
        };
        if load {
            // Tiles past the tensor's edge carry zeros.
            self.walk_tokens(&mut code, &t, "dma", ii, |code, origin| {
                code.line(format!("{tok} tk;"));
                code.line(format!("for (int z = 0; z < {}; ++z) tk.v[z] = ({c})0;", t.tile_elems()));
                self.tile_loop(code, &t, &full, origin, |code, coords, e| {
                    code.line(format!("tk.v[{e}] = {};", mem.at(&linear(coords, &mem.shape))));
                });
                code.line("out.write(tk);");
            });
            Ok(format!(
                "static void {}({}, hls::stream<{tok}> &out) {{\n{}}}\n",
                func_name(n.kind, &n.name),
                Self::memory_params(&mem, true),
                code.text
            ))
        } else {
            self.read_stream(&mut code, "in", &t, &tok, &mem, "dma", ii);
            Ok(format!(
                "static void {}(hls::stream<{tok}> &in, {}) {{\n{}}}\n",
                func_name(n.kind, &n.name),
                Self::memory_params(&mem, false),
                code.text
            ))
        }
    }

    fn fork(&mut self, ni: usize) -> Result<String, String> {
        let cx = self.cx;
        let n = &self.topo.nodes[ni];
        let (t, tok) = self.stream_type(cx.operand(n.op, 0))?;
        let outs = cx.num_results(n.op);
        let mut params = vec![format!("hls::stream<{tok}> &in")];
        params.extend((0..outs).map(|i| format!("hls::stream<{tok}> &out{i}")));
        let mut code = Code::new(1);
        code.open(format!("copy: for (long long k = 0; k < {}LL; ++k) {{", t.tokens()));
        code.line("#pragma HLS PIPELINE II=1");
        code.line(format!("{tok} tk = in.read();"));
        for i in 0..outs {
            code.line(format!("out{i}.write(tk);"));
        }
        code.close();
        Ok(format!("static void {}({}) {{\n{}}}\n", func_name(n.kind, &n.name), params.join(", "), code.text))
    }

    fn join(&mut self, ni: usize) -> Result<String, String> {
        let cx = self.cx;
        let n = &self.topo.nodes[ni];
        let (_, tok) = self.stream_type(cx.result(n.op, 0))?;
        let mut params = Vec::new();
        let mut code = Code::new(1);
        for (i, &v) in cx.operands(n.op).iter().enumerate() {
            let (t, _) = self.stream_type(v)?;
            params.push(format!("hls::stream<{tok}> &in{i}"));
            code.open(format!("drain{i}: for (long long k = 0; k < {}LL; ++k) {{", t.tokens()));
            code.line("#pragma HLS PIPELINE II=1");
            code.line(format!("out.write(in{i}.read());"));
            code.close();
        }
        params.push(format!("hls::stream<{tok}> &out"));
        Ok(format!("static void {}({}) {{\n{}}}\n", func_name(n.kind, &n.name), params.join(", "), code.text))
    }
}

/// Cycles per token of a stream `width` bits wide (one token per cycle when unknown).
fn token_ii(t: &ITensor, width: Option<i64>) -> i64 {
    match width {
        Some(w) if w > 0 => ((t.tile_bits() + w - 1) / w).max(1),
        _ => 1,
    }
}

/// `text` without its `//` comments (the emitted code has no string literals).
fn without_comments(text: &str) -> String {
    text.lines().map(|l| l.split("//").next().unwrap_or("")).collect::<Vec<_>>().join("\n")
}

/// `text` with every C identifier that `names` maps replaced (whole identifiers only).
fn rename_idents(text: &str, names: &HashMap<String, String>) -> String {
    let mut out = String::with_capacity(text.len());
    let mut ident = String::new();
    let flush = |ident: &mut String, out: &mut String| {
        if !ident.is_empty() {
            out.push_str(names.get(ident.as_str()).map_or(ident.as_str(), String::as_str));
            ident.clear();
        }
    };
    for ch in text.chars() {
        if ch == '_' || ch.is_ascii_alphanumeric() {
            if ident.is_empty() && ch.is_ascii_digit() {
                out.push(ch);
            } else {
                ident.push(ch);
            }
        } else {
            flush(&mut ident, &mut out);
            out.push(ch);
        }
    }
    flush(&mut ident, &mut out);
    out
}

fn func_name(kind: NodeKind, name: &str) -> String {
    match kind {
        NodeKind::Kernel => format!("kernel_{name}"),
        _ => format!("node_{name}"),
    }
}

/// The converter's window and the number of windows, when both streams walk the windows of
/// `buffer` in the same order, each window's tokens contiguous; `None` otherwise (the whole
/// tensor is buffered then).
fn converter_windows(a: &ITensor, b: &ITensor, buffer: &[i64]) -> Option<(Vec<i64>, i64)> {
    let full = a.full_shape();
    if buffer.len() != full.len() || buffer == full.as_slice() || buffer.iter().any(|&x| x < 1) {
        return None;
    }
    const LIMIT: i64 = 1 << 20;
    if a.tokens() > LIMIT || b.tokens() > LIMIT {
        return None;
    }
    let blocks = |t: &ITensor| -> Option<Vec<Vec<i64>>> {
        let mut seq: Vec<Vec<i64>> = Vec::new();
        let mut idx = vec![0i64; t.trips.len()];
        for _ in 0..t.tokens() {
            let scaled: Vec<i64> = idx.iter().zip(&t.steps).map(|(i, s)| i * s).collect();
            let origin = t.map.eval(&scaled, &[])?;
            let block: Vec<i64> = origin.iter().zip(buffer).map(|(o, w)| o.div_euclid(*w)).collect();
            // A tile must sit in one window.
            for (j, o) in origin.iter().enumerate() {
                let last = (o + t.tile[j] - 1).min(full[j] - 1);
                if o.div_euclid(buffer[j]) != last.div_euclid(buffer[j]) {
                    return None;
                }
            }
            seq.push(block);
            for j in (0..idx.len()).rev() {
                idx[j] += 1;
                if idx[j] < t.trips[j] {
                    break;
                }
                idx[j] = 0;
            }
        }
        Some(seq)
    };
    let (sa, sb) = (blocks(a)?, blocks(b)?);
    let groups = |s: &[Vec<i64>]| -> Option<(Vec<Vec<i64>>, usize)> {
        let mut order: Vec<Vec<i64>> = Vec::new();
        let mut size = 0usize;
        let mut run = 0usize;
        for (i, blk) in s.iter().enumerate() {
            if i > 0 && *blk != s[i - 1] {
                if size == 0 {
                    size = run;
                } else if run != size {
                    return None;
                }
                run = 0;
            }
            if run == 0 {
                if order.contains(blk) {
                    return None;
                }
                order.push(blk.clone());
            }
            run += 1;
        }
        if size != 0 && run != size {
            return None;
        }
        Some((order, if size == 0 { run } else { size }))
    };
    let (oa, _) = groups(&sa)?;
    let (ob, _) = groups(&sb)?;
    if oa != ob {
        return None;
    }
    let nw = oa.len() as i64;
    if a.tokens() % nw != 0 || b.tokens() % nw != 0 {
        return None;
    }
    Some((buffer.to_vec(), nw))
}

/// What an einsum's code needs from its kernel.
struct EinsumCtx<'a> {
    kernel: &'a str,
    loops: &'a [dnnc_dataflow::Loop],
    ii: i64,
    par: i64,
    /// The code runs inside one firing (a streaming kernel's body): each dim a loop walks
    /// spans that loop's tile from the firing's origin ([`firing_origin`]), other dims whole.
    firing: bool,
}

/// The C++ variable holding the current firing's first coordinate along einsum dim `dim`.
fn firing_origin(dim: &str) -> String {
    format!("fo_{}", ident(dim))
}

/// Loop variable names of an einsum's dims.
fn vars(dims: &[&str]) -> Vec<String> {
    dims.iter().map(|d| format!("v_{}", ident(d))).collect()
}

/// Opens the loop nest over the einsum's dims: the kernel's tile loops (for dims it tiles)
/// outside, then one loop per dim inside the tile (or over the whole dim). Returns how many
/// blocks to close. The innermost loop carries PIPELINE (the II that gives the kernel its
/// firing interval) and UNROLL by the kernel's parallelism.
fn open_nest(code: &mut Code, dims: &[&str], sizes: &[i64], ctx: &EinsumCtx, tiled: bool, label: &str) -> usize {
    let vs = vars(dims);
    let mut opened = 0;
    let tile_of = |d: &str| -> Option<&dnnc_dataflow::Loop> {
        if ctx.firing {
            ctx.loops.iter().find(|l| l.dim == d)
        } else if tiled {
            ctx.loops.iter().find(|l| l.dim == d && l.trips > 1)
        } else {
            None
        }
    };
    for l in ctx.loops.iter().filter(|_| !ctx.firing) {
        let Some(k) = dims.iter().position(|d| *d == l.dim) else { continue };
        if tile_of(dims[k]).is_none() {
            continue;
        }
        let t = format!("{}_t", vs[k]);
        code.open(format!("{label}_{}_tiles: for (long long {t} = 0; {t} < {}LL; ++{t}) {{", ident(dims[k]), l.trips));
        opened += 1;
    }
    for (k, d) in dims.iter().enumerate() {
        let v = &vs[k];
        let last = k + 1 == dims.len();
        match tile_of(d) {
            Some(l) if ctx.firing => {
                let i = format!("{v}_i");
                let o = firing_origin(d);
                code.open(format!(
                    "{label}_{}: for (long long {i} = 0; {i} < {}LL && {o} + {i} < {}LL; ++{i}) {{",
                    ident(d),
                    l.tile,
                    sizes[k]
                ));
                code.line(format!("const long long {v} = {o} + {i};"));
            }
            Some(l) => {
                let i = format!("{v}_i");
                code.open(format!(
                    "{label}_{}: for (long long {i} = 0; {i} < {}LL && {v}_t * {}LL + {i} < {}LL; ++{i}) {{",
                    ident(d),
                    l.tile,
                    l.tile,
                    sizes[k]
                ));
                code.line(format!("const long long {v} = {v}_t * {}LL + {i};", l.tile));
            }
            None => {
                code.open(format!("{label}_{}: for (long long {v} = 0; {v} < {}LL; ++{v}) {{", ident(d), sizes[k]));
            }
        }
        opened += 1;
        if last {
            // The kernel's II is cycles per firing; a firing covers `points` iterations of this
            // nest, `par` of them per cycle.
            let points: i64 =
                dims.iter().zip(sizes).map(|(d, &s)| tile_of(d).map_or(s, |l| l.tile.min(s))).product::<i64>().max(1);
            code.line(format!("#pragma HLS PIPELINE II={}", (ctx.ii * ctx.par / points).max(1)));
            if ctx.par > 1 {
                code.line(format!("#pragma HLS UNROLL factor={}", ctx.par));
            }
        }
    }
    if dims.is_empty() {
        code.open("{");
        opened += 1;
    }
    opened
}

fn close_n(code: &mut Code, n: usize) {
    for _ in 0..n {
        code.close();
    }
}

fn attr_f(cx: &Context, op: OpId, key: &str) -> Option<f64> {
    let d = cx.attr(op, "source_attrs")?.as_dict()?;
    let a = d.get(key)?;
    a.as_float().or_else(|| a.as_int().map(|i| i as f64))
}

fn attr_s<'a>(cx: &'a Context, op: OpId, key: &str) -> Option<&'a str> {
    cx.attr(op, "source_attrs")?.as_dict()?.get(key)?.as_str()
}

/// Emits the loop nest computing einsum `o` from `ins` into `out`.
fn einsum(cx: &Context, o: OpId, ins: &[Buf], out: &Buf, ctx: &EinsumCtx, code: &mut Code) -> Result<(), String> {
    let e = dnnc_einsum::Einsum::of(cx, o).ok_or_else(|| format!("kernel {}: malformed einsum", ctx.kernel))?;
    let what = match e.part {
        Some(p) => format!("'{}' ({p})", e.source),
        None => format!("'{}'", e.source),
    };
    let fail = |why: &str| -> String {
        format!("kernel {}: einsum {what} of kind {} cannot be emitted as HLS C++: {why}", ctx.kernel, e.kind)
    };
    if e.maps.len() != ins.len() + 1 {
        return Err(fail("its maps do not match its operands"));
    }
    let vs = vars(&e.dims);
    let acc = |i: usize| access(e.maps[i], &ins[i], &vs, &e.sizes);
    // The einsum verifier checks that the result map stays inside the result (a scatter such
    // as a transposed convolution's `h * 2 + r` included), so its guards are always true.
    let (_, oidx) = access(e.maps[ins.len()], out, &vs, &e.sizes);
    let t = out.ctype;
    let source = e.source.strip_prefix("graph.").unwrap_or(e.source);
    code.line(format!("// {} {what}: dims {:?} sizes {:?}", e.kind, e.dims, e.sizes));
    let label = ident(&out.name);
    match e.kind {
        "mac" => {
            if ins.len() != 2 {
                return Err(fail("a MAC einsum multiplies two operands"));
            }
            if source == "gemm" {
                for key in ["alpha", "beta"] {
                    if attr_f(cx, o, key).is_some_and(|v| v != 1.0) {
                        return Err(fail(&format!("gemm {key} != 1 is not represented in the einsum")));
                    }
                }
            }
            code.open(format!("{label}_init: for (long long n = 0; n < {}LL; ++n) {{", out.elems().max(1)));
            code.line("#pragma HLS PIPELINE II=1");
            code.line(format!("{}[n] = ({t})0;", out.name));
            code.close();
            let (ga, ia) = acc(0);
            let (gb, ib) = acc(1);
            let opened = open_nest(code, &e.dims, &e.sizes, ctx, true, &label);
            let guards: Vec<String> = ga.into_iter().chain(gb).collect();
            let stmt = format!("{} += ({t}){} * ({t}){};", out.at(&oidx), ins[0].at(&ia), ins[1].at(&ib));
            guarded(code, &guards, &stmt);
            close_n(code, opened);
        }
        "elementwise" => {
            let mut operands = Vec::new();
            let mut guards = Vec::new();
            for (i, b) in ins.iter().enumerate() {
                let (g, idx) = acc(i);
                guards.extend(g);
                operands.push(b.at(&idx));
            }
            let expr = elementwise_expr(cx, o, &e, source, &operands, ins, t, &vs).map_err(|w| fail(&w))?;
            let opened = open_nest(code, &e.dims, &e.sizes, ctx, true, &label);
            if guards.is_empty() {
                code.line(format!("{} = {expr};", out.at(&oidx)));
            } else {
                code.line(format!("{} = ({}) ? ({t})({expr}) : ({t})0;", out.at(&oidx), guards.join(" && ")));
            }
            close_n(code, opened);
        }
        "data_movement" => data_movement(cx, o, &e, ins, out, &vs, &oidx, ctx, code).map_err(|w| fail(&w))?,
        "reduction" => reduction(cx, o, &e, source, ins, out, &vs, &oidx, ctx, code).map_err(|w| fail(&w))?,
        other => return Err(fail(&format!("unknown kind {other}"))),
    }
    Ok(())
}

fn guarded(code: &mut Code, guards: &[String], stmt: &str) {
    if guards.is_empty() {
        code.line(stmt);
    } else {
        code.open(format!("if ({}) {{", guards.join(" && ")));
        code.line(stmt);
        code.close();
    }
}

#[allow(clippy::too_many_arguments)]
fn elementwise_expr(
    cx: &Context,
    o: OpId,
    e: &dnnc_einsum::Einsum,
    source: &str,
    a: &[String],
    ins: &[Buf],
    t: &str,
    vs: &[String],
) -> Result<String, String> {
    let need = |n: usize| -> Result<(), String> {
        if a.len() == n { Ok(()) } else { Err(format!("expected {n} operand(s), has {}", a.len())) }
    };
    let f = |v: f64| lit(v, t);
    let x = a.first().map(|s| format!("({t}){s}")).unwrap_or_default();
    let y = a.get(1).map(|s| format!("({t}){s}")).unwrap_or_default();
    // Math in the operand type for comparisons, in the result type otherwise.
    let raw = |i: usize| a[i].clone();
    // A float attribute of the source op, or ONNX's default for it.
    let param = |key: &str| {
        attr_f(cx, o, key)
            .or_else(|| dnnc_einsum::source_default(source, key))
            .ok_or_else(|| format!("{source} has no {key}"))
    };
    Ok(match (source, e.part) {
        ("attention", Some("scale")) => {
            need(1)?;
            let s = attr_f(cx, o, "scale").ok_or("attention scale missing")?;
            format!("{x} * {}", f(s))
        }
        ("attention", Some("mask")) => {
            need(2)?;
            let fill = attr_f(cx, o, "mask_fill").unwrap_or(f64::NEG_INFINITY);
            match attr_s(cx, o, "mask_kind").unwrap_or("additive") {
                "additive" => format!("{x} + {y}"),
                "keep" => format!("({}) ? {x} : {}", raw(1), f(fill)),
                "drop" => format!("({}) ? {} : {x}", raw(1), f(fill)),
                k => return Err(format!("mask_kind {k}")),
            }
        }
        ("attention", Some("nan_to_zero")) => {
            need(1)?;
            format!("std::isnan({x}) ? ({t})0 : {x}")
        }
        ("attention", p) => return Err(format!("attention step {p:?}")),
        ("relu", _) => {
            need(1)?;
            format!("({x} > ({t})0 ? {x} : ({t})0)")
        }
        ("sigmoid", _) => {
            need(1)?;
            format!("({t})1 / (({t})1 + std::exp(-{x}))")
        }
        ("silu", _) => {
            need(1)?;
            format!("{x} / (({t})1 + std::exp(-{x}))")
        }
        ("tanh" | "erf" | "sqrt" | "exp" | "log" | "cos" | "sin", _) => {
            need(1)?;
            format!("std::{source}({x})")
        }
        ("abs", _) => {
            need(1)?;
            format!("std::fabs({x})")
        }
        ("floor" | "ceil", _) => {
            need(1)?;
            format!("std::{source}({x})")
        }
        ("round", _) => {
            // The default rounding mode rounds halves to even, as ONNX's Round does.
            need(1)?;
            format!("std::nearbyint({x})")
        }
        ("sign", _) => {
            need(1)?;
            format!("({t})(({x} > ({t})0) - ({x} < ({t})0))")
        }
        ("neg", _) => {
            need(1)?;
            format!("-{x}")
        }
        ("reciprocal", _) => {
            need(1)?;
            format!("({t})1 / {x}")
        }
        ("clip", _) => {
            need(1)?;
            let mut v = x.clone();
            if let Some(lo) = attr_f(cx, o, "min") {
                v = format!("({v} < {lo} ? {lo} : {v})", lo = f(lo));
            }
            if let Some(hi) = attr_f(cx, o, "max") {
                v = format!("({v} > {hi} ? {hi} : {v})", hi = f(hi));
            }
            v
        }
        ("leaky_relu" | "elu", _) => {
            need(1)?;
            let alpha = param("alpha")?;
            let below = if source == "elu" {
                format!("{} * (std::exp({x}) - ({t})1)", f(alpha))
            } else {
                format!("{} * {x}", f(alpha))
            };
            format!("({x} >= ({t})0 ? {x} : {below})")
        }
        ("prelu", _) => {
            need(2)?;
            format!("({x} >= ({t})0 ? {x} : {y} * {x})")
        }
        ("hard_sigmoid", _) => {
            need(1)?;
            let (alpha, beta) = (param("alpha")?, param("beta")?);
            format!("std::fmax(({t})0, std::fmin(({t})1, {} * {x} + {}))", f(alpha), f(beta))
        }
        ("hard_swish", _) => {
            need(1)?;
            format!("{x} * std::fmax(({t})0, std::fmin(({t})1, {x} / {} + {}))", f(6.0), f(0.5))
        }
        ("softplus", _) => {
            need(1)?;
            format!("std::log1p(std::exp({x}))")
        }
        ("gelu", _) => {
            need(1)?;
            match attr_s(cx, o, "approximate").unwrap_or("none") {
                "tanh" => format!(
                    "{} * {x} * ({t})(1 + std::tanh({} * ({x} + {} * {x} * {x} * {x})))",
                    f(0.5),
                    f((2.0 / std::f64::consts::PI).sqrt()),
                    f(0.044715)
                ),
                "none" => {
                    format!("{} * {x} * ({t})(1 + std::erf({x} * {}))", f(0.5), f(std::f64::consts::FRAC_1_SQRT_2))
                }
                other => return Err(format!("gelu approximate = {other}")),
            }
        }
        ("add" | "gemm" | "conv" | "conv_transpose", _) => {
            need(2)?;
            format!("{x} + {y}")
        }
        ("sub", _) => {
            need(2)?;
            format!("{x} - {y}")
        }
        ("mul", _) => {
            need(2)?;
            format!("{x} * {y}")
        }
        ("div", _) => {
            need(2)?;
            format!("{x} / {y}")
        }
        ("pow", _) => {
            need(2)?;
            format!("std::pow({x}, {y})")
        }
        ("max", _) => {
            need(2)?;
            format!("({x} > {y} ? {x} : {y})")
        }
        ("min", _) => {
            need(2)?;
            format!("({x} < {y} ? {x} : {y})")
        }
        ("equal" | "less" | "less_or_equal" | "greater", _) => {
            need(2)?;
            let op = match source {
                "equal" => "==",
                "less" => "<",
                "less_or_equal" => "<=",
                _ => ">",
            };
            format!("({} {op} {})", raw(0), raw(1))
        }
        ("and" | "or", _) => {
            need(2)?;
            let op = if source == "and" { "&&" } else { "||" };
            format!("((bool){} {op} (bool){})", raw(0), raw(1))
        }
        ("not", _) => {
            need(1)?;
            format!("(!(bool){})", raw(0))
        }
        ("is_nan", _) => {
            need(1)?;
            format!("std::isnan((double){})", raw(0))
        }
        ("where", _) => {
            need(3)?;
            format!("((bool){} ? ({t}){} : ({t}){})", raw(0), raw(1), raw(2))
        }
        ("cast", _) => {
            need(1)?;
            format!("({t}){}", raw(0))
        }
        ("batch_normalization", _) => {
            need(5)?;
            let eps = attr_f(cx, o, "epsilon").unwrap_or(1e-5);
            let (s, b, m, v) = (&a[1], &a[2], &a[3], &a[4]);
            format!("({x} - ({t}){m}) / std::sqrt(({t}){v} + {}) * ({t}){s} + ({t}){b}", f(eps))
        }
        ("trilu", _) => {
            if a.is_empty() || ins.is_empty() {
                return Err("trilu needs its input".into());
            }
            let n = vs.len();
            if n < 2 {
                return Err("trilu needs two dims".into());
            }
            let k = attr_f(cx, o, "k").unwrap_or(0.0) as i64;
            let upper = attr_f(cx, o, "upper").unwrap_or(1.0) != 0.0;
            let (r, c) = (&vs[n - 2], &vs[n - 1]);
            let keep = if upper { format!("({c} - {r} >= {k}LL)") } else { format!("({c} - {r} <= {k}LL)") };
            format!("{keep} ? {x} : ({t})0")
        }
        _ => return Err(format!("no elementwise code for '{}'", e.source)),
    })
}

#[allow(clippy::too_many_arguments)]
fn data_movement(
    cx: &Context,
    o: OpId,
    e: &dnnc_einsum::Einsum,
    ins: &[Buf],
    out: &Buf,
    vs: &[String],
    oidx: &str,
    ctx: &EinsumCtx,
    code: &mut Code,
) -> Result<(), String> {
    let t = out.ctype;
    let label = ident(&out.name);
    let indirect = cx.attr(o, "indirect").and_then(Attribute::as_int_array);
    let opened = open_nest(code, &e.dims, &e.sizes, ctx, true, &label);
    match indirect {
        Some(ind) => {
            let (src, pos) = (ind[0] as usize, ind[1] as usize);
            if src != 0 || ins.len() != 2 {
                return Err("an indirect access reads operand 0 indexed by operand 1".into());
            }
            let (gi, ii) = access(e.maps[1], &ins[1], vs, &e.sizes);
            let data = &ins[0];
            if data.origin.is_some() {
                return Err("a gather reads its table whole".into());
            }
            let n = data.shape.get(pos).copied().ok_or("indirect position outside the data")?;
            code.line(format!("long long ix = (long long){};", ins[1].at(&ii)));
            code.line(format!("if (ix < 0) ix += {n}LL;"));
            let mut idx: Vec<String> = e.maps[0].results.iter().map(|r| aff(r, vs)).collect();
            idx[pos] = "ix".into();
            let mut guards = gi;
            guards.push(format!("ix >= 0 && ix < {n}LL"));
            code.line(format!(
                "{} = ({}) ? ({t}){} : ({t})0;",
                out.at(oidx),
                guards.join(" && "),
                data.at(&linear(&idx, &data.shape))
            ));
        }
        None => {
            // Each input where its map is in bounds (several only for concatenation).
            let mut chain = format!("({t})0");
            for (i, b) in ins.iter().enumerate().rev() {
                let (g, idx) = access(e.maps[i], b, vs, &e.sizes);
                let read = format!("({t}){}", b.at(&idx));
                chain = if g.is_empty() { read } else { format!("(({}) ? {read} : {chain})", g.join(" && ")) };
            }
            code.line(format!("{} = {chain};", out.at(oidx)));
        }
    }
    close_n(code, opened);
    Ok(())
}

/// Normalisations (softmax, layer and RMS norms) and plain reductions (sum, mean, max, pools).
#[allow(clippy::too_many_arguments)]
fn reduction(
    cx: &Context,
    o: OpId,
    e: &dnnc_einsum::Einsum,
    source: &str,
    ins: &[Buf],
    out: &Buf,
    vs: &[String],
    oidx: &str,
    ctx: &EinsumCtx,
    code: &mut Code,
) -> Result<(), String> {
    let t = out.ctype;
    let label = ident(&out.name);
    let normalized = cx.attr(o, "normalized").and_then(Attribute::as_int_array);
    let plain = EinsumCtx {
        kernel: ctx.kernel,
        loops: if ctx.firing { ctx.loops } else { &[] },
        ii: ctx.ii,
        par: 1,
        firing: ctx.firing,
    };
    let acc = |i: usize| access(e.maps[i], &ins[i], vs, &e.sizes);
    if let Some(norm) = normalized {
        let norm: Vec<usize> = norm.iter().map(|&d| d as usize).collect();
        if norm.iter().any(|&d| d >= e.dims.len()) {
            return Err("normalized dims outside the loop nest".into());
        }
        let outer: Vec<usize> = (0..e.dims.len()).filter(|d| !norm.contains(d)).collect();
        let inner_count: i64 = norm.iter().map(|&d| e.sizes[d]).product();
        let pick = |ds: &[usize]| -> (Vec<&str>, Vec<i64>) {
            (ds.iter().map(|&d| e.dims[d]).collect(), ds.iter().map(|&d| e.sizes[d]).collect())
        };
        let (od, os) = pick(&outer);
        let (nd, ns) = pick(&norm);
        let (gx, ix) = acc(0);
        if !gx.is_empty() {
            return Err("a normalisation reads its input out of bounds".into());
        }
        let x = format!("({t}){}", ins[0].at(&ix));
        let opened = open_nest(code, &od, &os, &plain, false, &format!("{label}_rows"));
        let inner = |code: &mut Code, tag: &str| open_nest(code, &nd, &ns, &plain, false, &format!("{label}_{tag}"));
        let kind = match (source, e.part) {
            ("softmax", _) | ("attention", Some("softmax")) => "softmax",
            ("layer_normalization", _) => "layer_norm",
            ("rms_normalization", _) => "rms_norm",
            _ => return Err(format!("no normalisation code for '{}'", e.source)),
        };
        match kind {
            "softmax" => {
                code.line(format!("{t} mx = -std::numeric_limits<{t}>::infinity();"));
                let n = inner(code, "max");
                code.line(format!("mx = {x} > mx ? {x} : mx;"));
                close_n(code, n);
                code.line(format!("{t} sum = ({t})0;"));
                let n = inner(code, "sum");
                code.line(format!("sum += std::exp({x} - mx);"));
                close_n(code, n);
                let n = inner(code, "div");
                code.line(format!("{} = std::exp({x} - mx) / sum;", out.at(oidx)));
                close_n(code, n);
            }
            _ => {
                let eps = attr_f(cx, o, "epsilon").unwrap_or(1e-5);
                let gamma = ins.get(1).map(|b| {
                    let (_, i) = acc(1);
                    format!("({t}){}", b.at(&i))
                });
                let beta = ins.get(2).map(|b| {
                    let (_, i) = acc(2);
                    format!("({t}){}", b.at(&i))
                });
                if kind == "layer_norm" {
                    code.line(format!("{t} mean = ({t})0;"));
                    let n = inner(code, "mean");
                    code.line(format!("mean += {x};"));
                    close_n(code, n);
                    code.line(format!("mean /= ({t}){inner_count};"));
                    code.line(format!("{t} var = ({t})0;"));
                    let n = inner(code, "var");
                    code.line(format!("var += ({x} - mean) * ({x} - mean);"));
                    close_n(code, n);
                    code.line(format!("var /= ({t}){inner_count};"));
                    code.line(format!("const {t} inv = ({t})1 / std::sqrt(var + {});", lit(eps, t)));
                    let n = inner(code, "out");
                    let mut v = format!("({x} - mean) * inv");
                    if let Some(g) = &gamma {
                        v = format!("{v} * {g}");
                    }
                    if let Some(b) = &beta {
                        v = format!("{v} + {b}");
                    }
                    code.line(format!("{} = {v};", out.at(oidx)));
                    close_n(code, n);
                } else {
                    code.line(format!("{t} ms = ({t})0;"));
                    let n = inner(code, "ms");
                    code.line(format!("ms += {x} * {x};"));
                    close_n(code, n);
                    code.line(format!("ms /= ({t}){inner_count};"));
                    code.line(format!("const {t} inv = ({t})1 / std::sqrt(ms + {});", lit(eps, t)));
                    let n = inner(code, "out");
                    let mut v = format!("{x} * inv");
                    if let Some(g) = &gamma {
                        v = format!("{v} * {g}");
                    }
                    code.line(format!("{} = {v};", out.at(oidx)));
                    close_n(code, n);
                }
            }
        }
        close_n(code, opened);
        return Ok(());
    }
    // Plain reductions: the dims the result map does not use are reduced.
    let op = plain_reduction(source, e.source, ins.len())?;
    let n = out.elems().max(1);
    let init = if op == "max" { lowest(t) } else { format!("({t})0") };
    // A mean over the reads inside the tensor counts them (`counted_mean`).
    let counted = counted_mean(cx, o, source, e.source, ins.len());
    if counted {
        code.line(format!("long long {label}_cnt[{n}];"));
    }
    code.open(format!("{label}_init: for (long long n = 0; n < {n}LL; ++n) {{"));
    code.line(format!("{}[n] = {init};", out.name));
    if counted {
        code.line(format!("{label}_cnt[n] = 0;"));
    }
    code.close();
    let (g, ix) = acc(0);
    let x = format!("({t}){}", ins[0].at(&ix));
    let opened = open_nest(code, &e.dims, &e.sizes, &plain, false, &label);
    let count = if counted { format!(" {label}_cnt[{oidx}] += 1;") } else { String::new() };
    let update = if op == "max" {
        format!("{{ if ({x} > {o}) {o} = {x};{count} }}", o = format!("{}[{oidx}]", out.name))
    } else {
        format!("{{ {}[{oidx}] += {x};{count} }}", out.name)
    };
    guarded(code, &g, &update);
    close_n(code, opened);
    if op == "mean" {
        let include_pad = !counted;
        let window: i64 = {
            let out_map = e.maps[1];
            (0..e.dims.len())
                .filter(|&d| !out_map.results.iter().any(|r| uses(r, d as u32)))
                .map(|d| e.sizes[d])
                .product()
        };
        code.open(format!("{label}_mean: for (long long n = 0; n < {n}LL; ++n) {{"));
        if include_pad {
            code.line(format!("{}[n] /= ({t}){window};", out.name));
        } else {
            code.line(format!("if ({label}_cnt[n] > 0) {}[n] /= ({t}){label}_cnt[n];", out.name));
        }
        code.close();
    }
    Ok(())
}

/// The identity of a maximum in C++ type `t`: −∞ where the type has it, else its lowest value
/// (an integer maximum starting at −∞ would start at 0).
pub(crate) fn lowest(t: &str) -> String {
    format!(
        "(std::numeric_limits<{t}>::has_infinity ? -std::numeric_limits<{t}>::infinity() : \
         std::numeric_limits<{t}>::lowest())"
    )
}

/// Whether plain reduction `o` (of graph op `source`, einsum source `full`) is a mean over only
/// the reads inside its input (padding excluded, as pooling without `count_include_pad`
/// defines it): its kernel then counts them per output in an array `<result>_cnt`.
pub(crate) fn counted_mean(cx: &Context, o: OpId, source: &str, full: &str, inputs: usize) -> bool {
    plain_reduction(source, full, inputs) == Ok("mean") && attr_f(cx, o, "count_include_pad").unwrap_or(0.0) == 0.0
}

/// The combining operation of a plain reduction (`sum`, `mean` or `max`) reading `inputs`
/// operands, for the graph op `source` (without its dialect prefix) of einsum source `full`.
fn plain_reduction(source: &str, full: &str, inputs: usize) -> Result<&'static str, String> {
    let op = match source {
        "reduce_sum" | "einsum" => "sum",
        "reduce_mean" | "global_average_pool" | "average_pool" => "mean",
        "reduce_max" | "max_pool" => "max",
        _ => return Err(format!("no reduction code for '{full}'")),
    };
    if inputs != 1 {
        return Err("a reduction reads one operand".into());
    }
    Ok(op)
}

fn uses(e: &AffineExpr, d: u32) -> bool {
    match e {
        AffineExpr::Dim(i) => *i == d,
        AffineExpr::Symbol(_) | AffineExpr::Const(_) => false,
        AffineExpr::Add(a, b)
        | AffineExpr::Mul(a, b)
        | AffineExpr::FloorDiv(a, b)
        | AffineExpr::CeilDiv(a, b)
        | AffineExpr::Mod(a, b) => uses(a, d) || uses(b, d),
    }
}

/// The interleaving of striped tensors (docs/kernels.md, [`Striping`]).
const STRIPING: &str = r#"// Tensors striped over P AXI ports: the row-major tensor in beats of W elements (64 bytes);
// beat b = i / W on port (b + b / R) % P, at beat b / P of that port's array (R: the beats of a
// row of the innermost dim, rounded up to a multiple of P).
static inline long long dnnc_port(long long i, long long w, long long p, long long r) {
  const long long b = i / w;
  return (b + b / r) % p;
}
static inline long long dnnc_slot(long long i, long long w, long long p) { return (i / w / p) * w + i % w; }
"#;

/// Load and store functions of a tensor of C type `c` striped over `ports` ports in beats of
/// `beat` elements: a switch over the ports, as HLS needs one `m_axi` argument per port.
fn striped_accessors(c: &str, ports: u32, beat: i64, rotate: i64) -> String {
    let args = |konst: &str| (0..ports).map(|k| format!("{konst}{c} *m{k}")).collect::<Vec<_>>().join(", ");
    let mut s = String::new();
    let head = format!(
        "  const long long s = dnnc_slot(i, {beat}LL, {ports}LL);\n  switch (dnnc_port(i, {beat}LL, {ports}LL, {rotate}LL)) {{\n"
    );
    writeln!(s, "static inline {c} {}({}, long long i) {{", accessor("ld", c, ports, beat, rotate), args("const "))
        .unwrap();
    s.push_str(&head);
    for k in 0..ports {
        let case = if k + 1 == ports { "default".to_string() } else { format!("case {k}") };
        writeln!(s, "    {case}: return m{k}[s];").unwrap();
    }
    s.push_str("  }\n}\n");
    writeln!(s, "static inline void {}({}, long long i, {c} v) {{", accessor("st", c, ports, beat, rotate), args(""))
        .unwrap();
    s.push_str(&head);
    for k in 0..ports {
        let case = if k + 1 == ports { "default".to_string() } else { format!("case {k}") };
        writeln!(s, "    {case}: m{k}[s] = v; break;").unwrap();
    }
    s.push_str("  }\n}\n");
    s
}

const PRELUDE: &str = r#"
#include <cmath>
#include <cstdint>
#include <limits>
#include "hls_stream.h"

// Euclidean division and remainder for affine index expressions.
static inline long long dnnc_floordiv(long long a, long long b) {
  long long q = a / b;
  return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}
static inline long long dnnc_ceildiv(long long a, long long b) { return -dnnc_floordiv(-a, b); }
static inline long long dnnc_mod(long long a, long long b) {
  long long r = a % b;
  return r < 0 ? r + b : r;
}

// One stream token per itensor tile.
"#;

#[cfg(test)]
mod tests {
    use super::*;
    use dnnc_ir::{ParseOptions, parse_source};
    use std::sync::Arc;

    const S: &str =
        "!dataflow.itensor<2x4xf32, trips = [4, 2], steps = [2, 4], map = affine_map<(d0, d1) -> (d0, d1)>>";
    const T: &str =
        "!dataflow.itensor<2x4xf32, trips = [2, 4], steps = [4, 2], map = affine_map<(d0, d1) -> (d1, d0)>>";

    /// A one-kernel design: load, kernel computing `source` (kind `kind`), converter, store.
    fn design(kind: &str, source: &str, extra: &str) -> String {
        format!(
            r#""func.func"() ({{
^bb0(%x: tensor<8x8xf32>):
  %s = "dataflow.dma_load"(%x) {{reason = "input"}} : (tensor<8x8xf32>) -> {S}
  %f = "dataflow.fifo"(%s) {{depth = 3, width = 256}} : ({S}) -> {S}
  %k = "dataflow.kernel"(%f) ({{
  ^bb0(%a: tensor<8x8xf32>):
    %r = "einsum.op"(%a) {{kind = "{kind}", dims = ["D0", "D1"], sizes = [8, 8], maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], source = "{source}"{extra}}} : (tensor<8x8xf32>) -> tensor<8x8xf32>
    "dataflow.yield"(%r) : (tensor<8x8xf32>) -> ()
  }}) {{name = "act", loops = [["D0", 4, 2], ["D1", 2, 4]], reads = [{S}], ii = 8, latency = 4, parallelism = 2}} : ({S}) -> {S}
  %c = "dataflow.converter"(%k) {{buffer = [8, 8], bytes = 512}} : ({S}) -> {T}
  %o = "dataflow.dma_store"(%c) : ({T}) -> tensor<8x8xf32>
  "func.return"(%o) : (tensor<8x8xf32>) -> ()
}}) {{function_type = (tensor<8x8xf32>) -> tensor<8x8xf32>, sym_name = "f"}} : () -> ()
"#
        )
    }

    fn emit(text: &str) -> Result<HlsDesign, String> {
        let mut cx = Context::new(Arc::new(dnnc_passes::dialects()));
        let m = parse_source(&mut cx, "t.mlir", text, ParseOptions::default()).map_err(|d| d.message)?;
        dnnc_ir::verify(&cx, m).map_err(|d| format!("{:?}", d.iter().map(|d| &d.message).collect::<Vec<_>>()))?;
        hls_design(&cx, m, &dnnc_arch::fpga::preset("u55c").unwrap())
    }

    #[test]
    fn a_small_design_has_every_part() {
        // A transpose: the kernel buffers its input, then runs the tiled loop nest.
        let text = design("data_movement", "graph.transpose", "").replacen(
            "maps = [affine_map<(d0, d1) -> (d0, d1)>",
            "maps = [affine_map<(d0, d1) -> (d1, d0)>",
            1,
        );
        let d = emit(&text).unwrap();
        assert_eq!(d.top, "f_top");
        let names: Vec<&str> = d.args.iter().map(|a| a.name.as_str()).collect();
        assert_eq!(names, ["arg0", "result0"]);
        let c = &d.code;
        for want in [
            "#pragma HLS DATAFLOW",
            "hls::stream<tok_float_8, 3> load0_out0_to_act_in0;",
            "#pragma HLS STREAM variable=load0_out0_to_act_in0 depth=3",
            "static void kernel_act(hls::stream<tok_float_8> &in0, hls::stream<tok_float_8> &out0)",
            "#pragma HLS UNROLL factor=2",
            "#pragma HLS ARRAY_PARTITION variable=b_in0 cyclic factor=2",
            "t0_D0_tiles: for (long long v_D0_t = 0; v_D0_t < 4LL; ++v_D0_t)",
            "t0[(v_D0) * 8LL + (v_D1)] = (float)b_in0[(v_D1) * 8LL + (v_D0)];",
            "static void node_convert0(hls::stream<tok_float_8> &in, hls::stream<tok_float_8> &out)",
            "float buf[2][64];",
            "#pragma HLS INTERFACE m_axi port=arg0 offset=slave bundle=hbm0",
            "node_store0(convert0_out0_to_store0_in0, result0);",
        ] {
            assert!(c.contains(want), "missing {want:?} in\n{c}");
        }
        // 8 points per firing (2 x 4 tile), 2 per cycle, one firing every 8 cycles: II = 2.
        assert!(c.contains("#pragma HLS PIPELINE II=2"), "{c}");
    }

    #[test]
    fn elementwise_kernels_stream_tile_by_tile() {
        let d = emit(&design("elementwise", "graph.relu", "")).unwrap();
        let c = &d.code;
        let kernel = &c[c.find("static void kernel_act").unwrap()..];
        let kernel = &kernel[..kernel.find("\n}\n").unwrap()];
        for want in [
            "// streaming",
            "const tok_float_8 tk0 = in0.read();",
            "to.v[(v_D0 - fo_D0) * 4LL + (v_D1 - fo_D1)] = ",
            "out0.write(to);",
        ] {
            assert!(kernel.contains(want), "missing {want:?} in\n{kernel}");
        }
        assert!(!kernel.contains("b_in0["), "a streaming kernel holds no tensor buffer:\n{kernel}");
        assert!(d.buffers.iter().all(|b| b.node != "act"), "{:?}", d.buffers);
    }

    /// A MAC kernel whose reduced loop K runs outside the result loop N: its accumulator holds
    /// the partial sums of a 4x8 row panel (both N tiles), written when K completes.
    #[test]
    fn a_mac_accumulates_the_tiles_live_across_its_reduced_loop() {
        let text =
            std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../test-suite/hls/matmul_k_outer.mlir"))
                .unwrap();
        let d = emit(&text).unwrap();
        let acc: Vec<&LocalBuffer> = d.buffers.iter().filter(|b| b.node == "mm").collect();
        assert_eq!(acc.len(), 1, "{:?}", d.buffers);
        assert_eq!((acc[0].name.as_str(), acc[0].elems, acc[0].role), ("acc", 32, "accumulator"));
        let c = &d.code;
        for want in [
            "float acc[32];",
            "const tok_float_16 tk0 = in0.read();",
            "if (f_K == 0) {",
            "if (f_K == 2LL) {",
            "acc[(v_M - fo_M) * 8LL + (v_N)] += (float)tk0.v[(v_M - fo_M) * 4LL + (v_K - fo_K)] * (float)tk1.v[(v_K - fo_K) * 4LL + (v_N - fo_N)];",
        ] {
            assert!(c.contains(want), "missing {want:?} in\n{c}");
        }
    }

    /// A stream that does not follow the kernel's loop nest (here a transpose read in the
    /// tensor's own order) keeps the whole-tensor buffer, and the code says why.
    #[test]
    fn a_stream_off_the_nest_is_held_whole_and_says_so() {
        let text = design("data_movement", "graph.transpose", "").replacen(
            "maps = [affine_map<(d0, d1) -> (d0, d1)>",
            "maps = [affine_map<(d0, d1) -> (d1, d0)>",
            1,
        );
        let d = emit(&text).unwrap();
        assert!(d.code.contains("// b_in0 held whole: the stream of in0 does not follow the loop nest"), "{}", d.code);
        let held: Vec<(&str, i64, &str)> =
            d.buffers.iter().filter(|b| b.node == "act").map(|b| (b.name.as_str(), b.elems, b.role)).collect();
        assert_eq!(held, [("b_in0", 64, "whole input"), ("t0", 64, "whole result")]);
    }

    /// A DMA engine of 170 bytes per cycle uses 4 AXI ports (one U55C pseudo channel sustains
    /// 44.1 bytes per 300 MHz cycle): its tensor is 4 `m_axi` arguments on four pseudo
    /// channels, read through the striped accessor; the store (40 bytes per cycle, one port)
    /// runs at the same time, so it gets a channel of its own.
    #[test]
    fn a_wide_dma_stripes_its_tensor_over_several_ports() {
        let text = design("elementwise", "graph.relu", "")
            .replace(r#"{reason = "input"}"#, r#"{reason = "input", bytes_per_cycle = 170}"#)
            .replace(r#""dataflow.dma_store"(%c) :"#, r#""dataflow.dma_store"(%c) {bytes_per_cycle = 40} :"#);
        let d = emit(&text).unwrap();
        let arg0 = &d.args[0];
        assert_eq!((arg0.striping.ports, arg0.beat, arg0.port_elems()), (4, 16, 16));
        assert_eq!(d.args[1].striping.ports, 1);
        let c = &d.code;
        for want in [
            "void f_top(const float *arg0_p0, const float *arg0_p1, const float *arg0_p2, const float *arg0_p3, float *result0)",
            "#pragma HLS INTERFACE m_axi port=arg0_p3 offset=slave bundle=hbm3",
            "#pragma HLS INTERFACE m_axi port=result0 offset=slave bundle=hbm4",
            "static void node_load0(const float *mem_p0, const float *mem_p1, const float *mem_p2, const float *mem_p3, hls::stream<tok_float_8> &out)",
            "tk.v[(e0) * 4LL + (e1)] = dnnc_ld_float_4x16r4(mem_p0, mem_p1, mem_p2, mem_p3, (c0) * 8LL + (c1));",
            "node_load0(arg0_p0, arg0_p1, arg0_p2, arg0_p3, load0_out0_to_act_in0);",
        ] {
            assert!(c.contains(want), "missing {want:?} in\n{c}");
        }
    }

    #[test]
    fn unknown_ops_are_errors_naming_them() {
        let e = emit(&design("elementwise", "graph.mystery", "")).unwrap_err();
        assert!(e.contains("kernel act") && e.contains("'graph.mystery'") && e.contains("elementwise"), "{e}");
        let e = emit(&design("reduction", "graph.reduce_prod", "")).unwrap_err();
        assert!(e.contains("'graph.reduce_prod'") && e.contains("no reduction code"), "{e}");
        let e = emit(&design("elementwise", "graph.gelu", r#", source_attrs = {approximate = "cubic"}"#)).unwrap_err();
        assert!(e.contains("gelu approximate = cubic"), "{e}");
    }

    #[test]
    fn a_stream_with_two_consumers_is_an_error() {
        let text = design("elementwise", "graph.relu", "").replace(
            r#"  %c = "dataflow.converter"(%k)"#,
            &format!("  %d = \"dataflow.dma_store\"(%k) : ({S}) -> tensor<8x8xf32>\n  %c = \"dataflow.converter\"(%k)"),
        );
        let e = emit(&text).unwrap_err();
        assert!(e.contains("has 2 consumers"), "{e}");
    }

    #[test]
    fn converter_windows_follow_the_shared_outer_loops() {
        let f32 = dnnc_ir::TypeId::F32;
        // Row tiles 2x8 in, 2x4 tiles walking rows then columns out: both walk row blocks of 2.
        let a = ITensor::regular(&[8, 8], f32, 32, &[2, 8], &[0, 1]);
        let b = ITensor::regular(&[8, 8], f32, 32, &[2, 4], &[0, 1]);
        assert_eq!(converter_windows(&a, &b, &[2, 8]), Some((vec![2, 8], 4)));
        // A transpose walk shares no outer loop: whole tensor.
        let t = ITensor::regular(&[8, 8], f32, 32, &[2, 4], &[1, 0]);
        assert_eq!(converter_windows(&a, &t, &[2, 8]), None);
        assert_eq!(converter_windows(&a, &t, &[8, 8]), None);
        // Rows in panels of 2 out, consumed in panels of 4 (dnnc_dataflow::min_buffer): two
        // windows of one consumer panel each, filled by two producer panels.
        let c = ITensor::regular(&[8, 8], f32, 32, &[4, 4], &[0, 1]);
        let buffer = dnnc_dataflow::min_buffer(&a, &c);
        assert_eq!(buffer, vec![4, 8]);
        assert_eq!(converter_windows(&a, &c, &buffer), Some((vec![4, 8], 2)));
        assert_eq!(converter_windows(&c, &a, &buffer), Some((vec![4, 8], 2)));
    }
}
