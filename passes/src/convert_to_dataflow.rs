//! `convert-to-dataflow`: every einsum (and every fused `sched.group`) of a function becomes a
//! `dataflow.kernel`, a hardware stage that fires once per iteration of its tile loop nest.
//!
//! The loop nest comes from the einsum's `mapping` when the scheduler left one (the on-chip
//! tile: spatial factors times the temporal loops below the outermost cut of every operand;
//! the loop order: the temporal loops above it, outermost first). A vector einsum
//! (elementwise, reduction, data movement) reading a kernel's stream follows that stream's
//! tiles and loop order for the dims it walks ([`follow_producer`]), so chains of vector work
//! connect without converters. Otherwise the default tiling policy applies: every dimension is
//! tiled by its largest divisor not above `tile` (default 16; see [`default_tile`] for sizes
//! with large prime factors), except the dimensions a normalisation (softmax, layer norm)
//! reduces over, which stay whole so one firing sees whole rows. In a MAC with a weight, the
//! rows (result dims no weight uses) are tiled up to `row-tile` (default 8), or as the stream
//! they come from ([`mac_rows`]), however large the weight. A batched MAC's batch dims (used
//! by every operand: attention's heads, [`mac_batch_dims`]) are tiled by one and its rows
//! (attention's queries) up to `row-tile`. A MAC's reduced dims are tiled up to 16 · `tile`.
//! The loops run over the result's dimensions in their order — in a batched MAC its rows
//! first, then the batch dims — then the reduced ones (output-stationary: a result tile is
//! finished before the next starts).
//!
//! Each operand is read as the itensor the loop nest implies (`reads`,
//! [`dnnc_dataflow::nest_access`]): the loops over dimensions its map uses walk the tensor,
//! the others re-read it (a matmul's left operand once per column tile); a reshape read
//! through `k floordiv 64, k mod 64` streams when `k`'s tile covers whole rows of 64 (the
//! out-projection reading attention's heads). An access a stream cannot express — a gather
//! (`indirect`), a map that is not such a projection of the loop indices (convolution
//! windows, `h * 64 + d`, slices and concatenations), a stream whose tiles would not cover
//! the operand exactly — is read as a whole tensor from external memory instead (`reads`
//! entry `unit`). When that operand is a copy's result (a slice, a part of a split), the consumer reads the
//! copy's input through the composed map and the copy goes ([`fold_copies_into_whole_reads`]):
//! GPT-2's Q/K/V split is no longer a kernel, a phase and a region of its own per layer.
//! The result is streamed in the loop order restricted to its dimensions; a result whose map
//! is not such a projection is written to external memory as a tensor.
//!
//! The pass leaves a design that is correct but goes through external memory everywhere:
//! kernels read tensors, and every streamed result is written back by a `dataflow.dma_store`.
//! `insert-layout-converters` then connects producers to consumers on chip and
//! `insert-dma` streams the remaining external tensors (model inputs, weights) in.

use dnnc_dataflow::{ITensor, Loop, estimate};
use dnnc_einsum::Einsum;
use dnnc_ir::pass::{OptionKind, PassOptionDef, PassOptions};
use dnnc_ir::{
    AffineExpr, AffineMap, Attribute, Changed, Context, Diagnostic, Diagnostics, OpId, OperationState, Pass,
    PassContext, PassInfo, TypeId, ValueId,
};

pub static INFO: PassInfo = PassInfo {
    argument: "convert-to-dataflow",
    summary: "Turn every einsum and fused group into a dataflow kernel with itensor I/O",
    description: "Loop nest from the einsum's mapping (on-chip tile, outer loop order); for a vector \
        einsum reading a kernel's stream, that stream's tiles and order (up to 64 KiB per firing); \
        else the default policy (largest divisor <= tile per dim, normalised dims whole, a MAC's rows \
        up to row-tile or as the stream they come from (a batched MAC's rows up to row-tile), a MAC's batch dims (used by \
        every operand) by 1, its reduced dims up to 16x tile, result dims outermost (a batched MAC's rows before its batch dims), reduced dims innermost). Operands a stream cannot express (gathers, maps other than projections and whole-row reshapes) are read as \
        whole tensors, through any copy (slice, split part) folded into the map first; every \
        streamed result is stored by a dma_store until insert-layout-converters wires producers \
        to consumers.",
    anchor: None,
    options: &[
        PassOptionDef {
            name: "tile",
            kind: OptionKind::UInt,
            default: "16",
            help: "largest tile per dimension of the default tiling policy",
        },
        PassOptionDef {
            name: "row-tile",
            kind: OptionKind::UInt,
            default: "8",
            help: "largest tile of a MAC's row dims (result dims no weight uses): the fill of a GEMM chain is a row panel per stage",
        },
    ],
    statistics: &[
        ("kernels", "kernels created"),
        ("streamed-operands", "operands read as streams"),
        ("whole-tensor-operands", "operands read as whole tensors (gathers, non-projected maps)"),
        ("folded-copies", "reads of a copy (slice, split part) read whole, folded into the copy's input"),
    ],
    create,
};

fn create(opts: &PassOptions) -> Result<Box<dyn Pass>, String> {
    let (tile, row_tile) = (opts.uint("tile"), opts.uint("row-tile"));
    if tile == 0 || row_tile == 0 {
        return Err("tile and row-tile must be at least 1".into());
    }
    Ok(Box::new(ConvertToDataflow { tiling: Tiling { cap: tile as i64, row_cap: row_tile as i64 } }))
}

/// The default tiling policy's caps: `cap` for every dim, `row_cap` for a MAC's row dims.
#[derive(Clone, Copy, Debug)]
struct Tiling {
    cap: i64,
    row_cap: i64,
}

struct ConvertToDataflow {
    tiling: Tiling,
}

impl Pass for ConvertToDataflow {
    fn run(&mut self, cx: &mut Context, root: OpId, pcx: &mut PassContext) -> Result<Changed, Diagnostics> {
        let funcs: Vec<OpId> = cx.nested_ops(root).into_iter().filter(|&o| cx.is(o, "func.func")).collect();
        let mut changed = false;
        let mut errors = Vec::new();
        for f in funcs {
            let Some(body) = cx.body(f, 0) else { continue };
            let folded = fold_copies_into_whole_reads(cx, body);
            if folded > 0 {
                pcx.add_stat("folded-copies", folded);
                changed = true;
            }
            let ops: Vec<OpId> = cx.block_ops(body).collect();
            let mut count = 0usize;
            for op in ops {
                let made = if cx.is(op, dnnc_einsum::OP) {
                    convert_einsum(cx, op, self.tiling, count, pcx)
                } else if cx.is(op, dnnc_sched::GROUP) {
                    convert_group(cx, op, count, pcx)
                } else {
                    continue;
                };
                match made {
                    Ok(()) => {
                        count += 1;
                        changed = true;
                    }
                    Err(msg) => errors.push(Diagnostic::at_op(cx, op, msg)),
                }
            }
            pcx.add_stat("kernels", count as u64);
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(changed.into())
    }
}

/// Whether a stream can express an access through `map`: every result a distinct loop dim or
/// the constant 0 (a broadcast). Other accesses are read as whole tensors.
fn streamable(map: &AffineMap) -> bool {
    let mut seen = Vec::new();
    map.results.iter().all(|r| match r {
        AffineExpr::Dim(d) if !seen.contains(d) => {
            seen.push(*d);
            true
        }
        AffineExpr::Const(0) => true,
        _ => false,
    })
}

/// If `v` is a copy's result — a data-movement einsum of one operand (no gather) whose result
/// map is the identity, such as a slice or one part of a split — the copy and its input map.
fn copy_producer(cx: &Context, v: ValueId) -> Option<(OpId, AffineMap)> {
    let op = cx.defining_op(v).filter(|&o| cx.is(o, dnnc_einsum::OP))?;
    let e = Einsum::of(cx, op)?;
    let identity_out = e.maps.last().is_some_and(|m| **m == AffineMap::identity(m.num_dims));
    let copy = e.kind == "data_movement"
        && cx.operands(op).len() == 1
        && cx.attr(op, "indirect").is_none()
        && cx.attr(op, dnnc_sched::MAPPING).is_none()
        && identity_out;
    copy.then(|| (op, e.maps[0].clone()))
}

/// Folds copies into the einsums that read them whole: a consumer whose map for a copy's
/// result is not a stream (attention reading its Q/K/V head by head, `d1 * 64 + d4`) reads the
/// copy's input through the composed map instead (GPT-2's Q/K/V split parts: `(d2, d1 * 64 +
/// d4 + 768)` of the fused projection's result). Read whole, the copy's result would go
/// through external memory anyway, and the copy itself — a kernel reading its input whole and
/// writing its result back — would be a phase of its own between them. Copies nothing reads
/// any more are erased. Returns the reads folded.
fn fold_copies_into_whole_reads(cx: &mut Context, body: dnnc_ir::BlockId) -> u64 {
    let mut folded = 0u64;
    let ops: Vec<OpId> = cx.block_ops(body).filter(|&o| cx.is(o, dnnc_einsum::OP)).collect();
    for &op in &ops {
        let Some(e) = Einsum::of(cx, op) else { continue };
        let mut maps: Vec<AffineMap> = e.maps.iter().map(|m| (*m).clone()).collect();
        let indirect = cx.attr(op, "indirect").and_then(Attribute::as_int_array).and_then(|i| i.first().copied());
        let mut changes = Vec::new();
        let operands = cx.operands(op).len();
        for (k, map) in maps.iter_mut().enumerate().take(operands) {
            if indirect == Some(k as i64) || streamable(map) {
                continue;
            }
            let Some((copy, input_map)) = copy_producer(cx, cx.operand(op, k)) else { continue };
            if let Some(composed) = input_map.compose(map) {
                *map = composed;
                changes.push((k, cx.operand(copy, 0)));
            }
        }
        if changes.is_empty() {
            continue;
        }
        for &(k, input) in &changes {
            let copy = cx.defining_op(cx.operand(op, k));
            cx.set_operand(op, k, input);
            if let Some(c) = copy.filter(|&c| cx.uses(cx.result(c, 0)).is_empty()) {
                cx.erase_op(c);
            }
        }
        cx.set_attr(op, "maps", Attribute::array(maps.into_iter().map(Attribute::affine_map)));
        folded += changes.len() as u64;
    }
    folded
}

/// The tile of a dimension of size `n` under the default policy: its largest divisor not above
/// `cap`; when that is below `cap / 4` (sizes with large prime factors, such as a 50257-word
/// vocabulary), its smallest divisor above `cap` if within `8 · cap` instead, so such a dim is
/// not streamed one element at a time.
pub fn default_tile(n: i64, cap: i64) -> i64 {
    let below = (1..=cap.min(n).max(1)).rev().find(|d| n % d == 0).unwrap_or(1);
    if below * 4 >= cap || n <= cap {
        return below;
    }
    (cap + 1..=(8 * cap).min(n)).find(|d| n % d == 0).unwrap_or(below)
}

/// A MAC's reduced dims are tiled up to this many times `tile` (256 at the default 16): more
/// work per firing makes the initiation interval `⌈work / lanes⌉` round less (at 16·16·16 MACs
/// a firing, a GEMM at 456 lanes takes 9 cycles for 8.98 cycles of work, up to 11 % idle; at
/// 16·16·64 GPT-2's first QKV projection alone on the fabric still took 13 cycles for 12.1),
/// and it changes neither what is re-read nor the converters' buffers (the reduced dim is
/// walked within a result tile).
pub const MAC_REDUCED_TILE_FACTOR: i64 = 16;

/// The kernel loop nest of an einsum: per einsum dim (outermost first) its tile.
fn loop_nest(cx: &Context, op: OpId, e: &Einsum<'_>, tiling: Tiling) -> Vec<(usize, i64)> {
    let cap = tiling.cap;
    if let Some(nest) = cx.attr(op, dnnc_sched::MAPPING).and_then(|m| mapping_nest(m, e)) {
        return nest;
    }
    let normalized = cx.attr(op, "normalized").and_then(Attribute::as_int_array).unwrap_or_default();
    if e.kind != "mac"
        && let Some(nest) = follow_producer(cx, op, e, &normalized, cap)
    {
        return nest;
    }
    let reduced = e.reduced_dims();
    let rows = mac_rows(cx, op, e, tiling.row_cap);
    let batch = mac_batch_dims(e);
    // A batched MAC's (attention's) rows: the result dims its first input walks besides the
    // batch dims. They are tiled like a projection's rows, up to `row-tile`, so the stages after
    // attention start after a row panel as short as the projections'.
    let batch_rows: Vec<usize> = (0..e.dims.len())
        .filter(|&d| !batch.is_empty() && !batch.contains(&d) && !reduced.contains(&e.dims[d]))
        .filter(|&d| e.maps[0].results.iter().any(|r| mentions(r, d)))
        .collect();
    // The inner half of a merged result dim (a grouped convolution's channel within its group,
    // `g * q + k`) is taken whole, so the result streams.
    let merged = e.maps.last().map(|m| dnnc_dataflow::merged_inner_dims(m)).unwrap_or_default();
    let tile = |d: usize| {
        if normalized.contains(&(d as i64)) || merged.contains(&d) {
            e.sizes[d]
        } else if let Some(&(_, t)) = rows.iter().find(|&&(x, _)| x == d) {
            t
        } else if batch.contains(&d) {
            1
        } else if batch_rows.contains(&d) {
            default_tile(e.sizes[d], tiling.row_cap)
        } else if e.kind == "mac" && reduced.contains(&e.dims[d]) {
            default_tile(e.sizes[d], cap * MAC_REDUCED_TILE_FACTOR)
        } else {
            default_tile(e.sizes[d], cap)
        }
    };
    let (mut outer, inner): (Vec<usize>, Vec<usize>) = (0..e.dims.len()).partition(|&d| !reduced.contains(&e.dims[d]));
    // A batched MAC walks its rows outside the batch dims: each row panel comes out for every
    // head in turn, which is the order a row-wise consumer (the out-projection, reading the
    // heads as one row of `heads · 64`) reads it in, so the context streams into it through a
    // one-panel buffer.
    if !batch.is_empty() {
        outer.sort_by_key(|&d| {
            if e.sizes[d] == 1 || batch_rows.contains(&d) {
                0
            } else if batch.contains(&d) {
                1
            } else {
                2
            }
        });
    }
    outer.into_iter().chain(inner).map(|d| (d, tile(d))).collect()
}

/// Whether affine expression `x` mentions loop dim `d`.
fn mentions(x: &AffineExpr, d: usize) -> bool {
    match x {
        AffineExpr::Dim(i) => *i as usize == d,
        AffineExpr::Symbol(_) | AffineExpr::Const(_) => false,
        AffineExpr::Add(a, b)
        | AffineExpr::Mul(a, b)
        | AffineExpr::FloorDiv(a, b)
        | AffineExpr::CeilDiv(a, b)
        | AffineExpr::Mod(a, b) => mentions(a, d) || mentions(b, d),
    }
}

/// Whether a value is a model weight or constant (read from external memory as it is).
fn is_weight(cx: &Context, v: ValueId) -> bool {
    cx.defining_op(v).is_some_and(|d| cx.is(d, "graph.weight") || cx.is(d, "graph.constant"))
}

/// The row dims of a MAC with a weight operand and their tiles: the result dims no weight
/// operand's map mentions (a projection's tokens). Every row tile streams the weights again,
/// and the next stage of a chain starts after the first row panel, so the fill of a GEMM
/// chain is one row panel per stage: rows are tiled up to `row_tile` (8 by default, half the
/// other dims' 16, which halves the fill and doubles the weight traffic, 4 · peak MACs/cycle /
/// row tile bytes per cycle for f32 — 677 B/cycle on the U55C at its 0.75 share). A row dim
/// that an input streamed by another kernel walks keeps that stream's tile, so the stream
/// connects through a one-panel converter (a finer tile there would need the whole tensor
/// buffered). This holds for a vocabulary projection's 154 MB weight too: streamed again per
/// row panel, it stays within the bandwidth, and in panels the projection runs alongside the
/// layer before it instead of after it — in one bitstream, on that layer's region rather than
/// a fabric share of its own. Empty when the MAC has no weight operand.
fn mac_rows(cx: &Context, op: OpId, e: &Einsum<'_>, row_tile: i64) -> Vec<(usize, i64)> {
    let operands = cx.operands(op);
    let weights: Vec<usize> = (0..operands.len()).filter(|&i| is_weight(cx, operands[i])).collect();
    if e.kind != "mac" || weights.is_empty() {
        return Vec::new();
    }
    let reduced = e.reduced_dims();
    let out = e.maps.len() - 1;
    (0..e.dims.len())
        .filter(|&d| !reduced.contains(&e.dims[d]) && e.maps[out].results.iter().any(|r| mentions(r, d)))
        .filter(|&d| weights.iter().all(|&i| !e.maps[i].results.iter().any(|r| mentions(r, d))))
        .map(|d| {
            let streamed = (0..operands.len()).filter(|i| !weights.contains(i)).find_map(|i| {
                // Only a map a stream can express (dims, broadcast zeros, split dims); others
                // read whole.
                if !dnnc_dataflow::may_stream(e.maps[i]) {
                    return None;
                }
                let results = &e.maps[i].results;
                let r = results.iter().position(|x| *x == AffineExpr::Dim(d as u32))?;
                let store = cx.defining_op(operands[i]).filter(|&s| cx.is(s, dnnc_dataflow::DMA_STORE))?;
                let stream = ITensor::of(cx, cx.value_type(cx.operand(store, 0)))?;
                let t = *stream.tile.get(r)?;
                (t > 0 && e.sizes[d] % t == 0).then_some(t)
            });
            (d, streamed.unwrap_or_else(|| default_tile(e.sizes[d], row_tile)))
        })
        .collect()
}

/// The batch dims of a MAC: result dims that every operand's map mentions (attention's
/// heads). They are tiled by 1 and walked just inside the rows, so a normalisation after the
/// MAC (attention's softmax over whole key rows) waits for one head's row panel, not every
/// head's: a twelfth of the fill on GPT-2.
fn mac_batch_dims(e: &Einsum<'_>) -> Vec<usize> {
    if e.kind != "mac" || e.maps.len() < 3 {
        return Vec::new();
    }
    let reduced = e.reduced_dims();
    (0..e.dims.len())
        .filter(|&d| !reduced.contains(&e.dims[d]) && e.sizes[d] > 1)
        .filter(|&d| e.maps.iter().all(|m| m.results.iter().any(|r| mentions(r, d))))
        .collect()
}

/// The largest iteration tile (bytes of the result's element type) a vector einsum takes over
/// from its producer.
pub const FOLLOW_TILE_BYTES: i64 = 64 << 10;

/// The loop nest of a vector einsum (elementwise, reduction, data movement) that follows the
/// stream of its first operand produced by a kernel: the dims that operand's map walks take
/// the producer's tiles and loop order, so the stream connects without a converter, or with
/// the smallest one (a normalised dim stays whole); the other dims follow with the default
/// tiles, reduced dims last. `None` when no operand comes from a kernel's stream, or when the
/// tile would exceed [`FOLLOW_TILE_BYTES`].
fn follow_producer(cx: &Context, op: OpId, e: &Einsum<'_>, normalized: &[i64], cap: i64) -> Option<Vec<(usize, i64)>> {
    let reduced = e.reduced_dims();
    for (i, &v) in cx.operands(op).iter().enumerate() {
        let Some(store) = cx.defining_op(v).filter(|&d| cx.is(d, dnnc_dataflow::DMA_STORE)) else { continue };
        let Some(stream) = ITensor::of(cx, cx.value_type(cx.operand(store, 0))) else { continue };
        let map = e.maps[i];
        let mut nest: Vec<(usize, i64)> = Vec::new();
        for (l, r) in stream.loop_dims().into_iter().enumerate() {
            let Some(r) = r else { continue };
            let Some(AffineExpr::Dim(d)) = map.results.get(r) else { continue };
            let d = *d as usize;
            let t = if normalized.contains(&(d as i64)) { e.sizes[d] } else { stream.steps[l] };
            if nest.iter().any(|&(x, _)| x == d) || e.sizes[d] % t != 0 {
                return None;
            }
            nest.push((d, t));
        }
        if nest.is_empty() {
            continue;
        }
        let rest: Vec<usize> = (0..e.dims.len()).filter(|d| !nest.iter().any(|&(x, _)| x == *d)).collect();
        let (outer, inner): (Vec<usize>, Vec<usize>) = rest.into_iter().partition(|&d| !reduced.contains(&e.dims[d]));
        for d in outer.into_iter().chain(inner) {
            let t = if normalized.contains(&(d as i64)) { e.sizes[d] } else { default_tile(e.sizes[d], cap) };
            nest.push((d, t));
        }
        // Reduced dims innermost, so results are finished tile by tile.
        nest.sort_by_key(|&(d, _)| reduced.contains(&e.dims[d]));
        // A firing's tile stays within FOLLOW_TILE_BYTES; beyond, the default policy's
        // smaller tiles (and a converter) cost less on chip.
        let bits = cx.type_data(cx.element_type(cx.value_type(cx.result(op, 0)))).scalar_bits().unwrap_or(32) as i64;
        let bytes = nest.iter().map(|&(_, t)| t).product::<i64>().saturating_mul(bits) / 8;
        return (bytes <= FOLLOW_TILE_BYTES).then_some(nest);
    }
    None
}

/// The loop nest a `mapping` attribute implies, or `None` when it is relaxed (fractional) or
/// its tile does not divide the dims.
fn mapping_nest(m: &Attribute, e: &Einsum<'_>) -> Option<Vec<(usize, i64)>> {
    let d = m.as_dict()?;
    let dim_of = |name: &str| e.dims.iter().position(|&x| x == name);
    let mut tile = vec![1i64; e.dims.len()];
    for s in d.get("spatial")?.as_array()? {
        let s = s.as_array()?;
        let k = dim_of(s.get(1)?.as_str()?)?;
        tile[k] *= s.get(2)?.as_int()?;
    }
    // Temporal loops, innermost first: `[dim, trips]`.
    let loops: Vec<(usize, i64)> = d
        .get("loops")?
        .as_array()?
        .iter()
        .map(|l| {
            let l = l.as_array()?;
            Some((dim_of(l.first()?.as_str()?)?, l.get(1)?.as_int()?))
        })
        .collect::<Option<_>>()?;
    // The loops every operand runs on chip: below the smallest top-level cut.
    let on_chip = ["I", "W", "O"]
        .iter()
        .filter_map(|k| d.get(*k)?.as_dict()?.get("cuts")?.as_int_array()?.last().copied())
        .min()
        .unwrap_or(0)
        .clamp(0, loops.len() as i64) as usize;
    for &(k, t) in &loops[..on_chip] {
        tile[k] *= t;
    }
    if tile.iter().zip(&e.sizes).any(|(&t, &s)| t < 1 || s % t != 0) {
        return None;
    }
    let mut order: Vec<usize> = Vec::new();
    for &(k, _) in loops[on_chip..].iter().rev() {
        if !order.contains(&k) {
            order.push(k);
        }
    }
    for k in 0..e.dims.len() {
        if !order.contains(&k) {
            order.push(k);
        }
    }
    Some(order.into_iter().map(|k| (k, tile[k])).collect())
}

/// The stream an operand with access `map` is read as under the loop nest, or `None` when a
/// stream cannot express it (see the module doc). `reread` keeps loops over dims the map does
/// not use (inputs); results drop them.
pub fn operand_stream(
    map: &AffineMap,
    nest: &[(usize, i64)],
    sizes: &[i64],
    shape: &[i64],
    elem: TypeId,
    elem_bits: u32,
    reread: bool,
) -> Option<ITensor> {
    if shape.is_empty() || map.results.len() != shape.len() {
        return None;
    }
    let a = dnnc_dataflow::nest_access(map, nest, sizes, reread)?;
    if map.results.iter().zip(shape).any(|(r, &n)| *r == AffineExpr::Const(0) && n != 1) {
        return None;
    }
    let it = ITensor { tile: a.tile, elem, elem_bits, trips: a.trips, steps: a.steps, map: a.map };
    (it.check().is_ok() && it.full_shape() == shape).then_some(it)
}

fn kernel_name(cx: &Context, op: OpId, index: usize) -> String {
    let source = cx.attr(op, "source").and_then(Attribute::as_str).unwrap_or("group");
    let mut name = format!("k{index}_{}", source.strip_prefix("graph.").unwrap_or(source));
    if let Some(part) = cx.attr(op, "part").and_then(Attribute::as_str) {
        name.push('_');
        name.push_str(part);
    }
    name.chars().map(|c| if c.is_ascii_alphanumeric() || c == '_' { c } else { '_' }).collect()
}

fn elem_of(cx: &Context, ty: TypeId) -> (TypeId, u32) {
    let elem = cx.element_type(ty);
    (elem, cx.type_data(elem).scalar_bits().unwrap_or(8))
}

/// What a kernel is built from: `inputs` are the outside values its einsums read, `yielded`
/// the einsum values it returns, with the type each result gets.
struct KernelSpec {
    name: String,
    loops: Vec<Loop>,
    inputs: Vec<ValueId>,
    reads: Vec<Option<TypeId>>,
    yielded: Vec<(ValueId, TypeId)>,
    /// For a kernel of one einsum: the input each of its operands reads (a value it reads twice
    /// as different streams is two inputs). Empty: operands read the input holding their value.
    arg_of: Vec<usize>,
}

/// Builds the kernel before `anchor`, moves `members` (einsums in order) into its body reading
/// its block arguments, and sends every use of a yielded value outside `members` and `keep`
/// to the kernel's result (through a `dataflow.dma_store` for a stream).
fn build_kernel(cx: &mut Context, anchor: OpId, members: &[OpId], keep: &[OpId], spec: KernelSpec) -> OpId {
    let region = cx.create_region();
    let arg_types: Vec<TypeId> = spec.inputs.iter().map(|&v| cx.value_type(v)).collect();
    let block = cx.create_block(&arg_types);
    cx.append_block(region, block);
    let reads = Attribute::array(spec.reads.iter().map(|r| r.map_or(Attribute::Unit, Attribute::Type)));
    let name = cx.op_name(dnnc_dataflow::KERNEL);
    let loc = cx.loc(anchor).clone();
    let kernel = cx.create_op(
        OperationState::new(name)
            .operands(spec.inputs.iter().copied())
            .results(spec.yielded.iter().map(|&(_, t)| t))
            .attr("name", Attribute::string(spec.name.as_str()))
            .attr("loops", Attribute::array(spec.loops.iter().map(Loop::to_attr)))
            .attr("reads", reads)
            .attr("ii", Attribute::i64(1))
            .attr("latency", Attribute::i64(0))
            .attr("parallelism", Attribute::i64(1))
            .regions([region])
            .loc(loc),
    );
    cx.insert_op_before(anchor, kernel);
    // Results leave through external memory for now; uses of the einsum results move to them.
    let mut outside = Vec::new();
    for (i, &(v, ty)) in spec.yielded.iter().enumerate() {
        let r = cx.result(kernel, i);
        let out = if ITensor::of(cx, ty).is_some() {
            let tensor = cx.value_type(v);
            let store = cx.op_name(dnnc_dataflow::DMA_STORE);
            let loc = cx.loc(anchor).clone();
            let s = cx.create_op(OperationState::new(store).operands([r]).results([tensor]).loc(loc));
            cx.insert_op_before(anchor, s);
            cx.result(s, 0)
        } else {
            r
        };
        outside.push(out);
    }
    for (&(v, _), &out) in spec.yielded.iter().zip(&outside) {
        cx.replace_uses_except(v, out, |u| members.contains(&u.op) || keep.contains(&u.op));
    }
    // Move the einsums in, reading the block arguments.
    let args: Vec<ValueId> = cx.block_args(block).to_vec();
    for &m in members {
        cx.detach_op(m);
        cx.append_op(block, m);
        for i in 0..cx.operands(m).len() {
            let v = cx.operand(m, i);
            let k = match spec.arg_of.get(i) {
                Some(&k) => Some(k),
                None => spec.inputs.iter().position(|&x| x == v),
            };
            if let Some(k) = k {
                cx.set_operand(m, i, args[k]);
            }
        }
    }
    let yield_name = cx.op_name(dnnc_dataflow::YIELD);
    let y = cx.create_op(OperationState::new(yield_name).operands(spec.yielded.iter().map(|&(v, _)| v)));
    cx.append_op(block, y);
    let (ii, latency) = estimate::timing(cx, kernel, 1);
    cx.set_attr(kernel, "ii", Attribute::i64(ii as i64));
    cx.set_attr(kernel, "latency", Attribute::i64(latency as i64));
    kernel
}

fn convert_einsum(
    cx: &mut Context,
    op: OpId,
    tiling: Tiling,
    index: usize,
    pcx: &mut PassContext,
) -> Result<(), String> {
    let e = Einsum::of(cx, op).ok_or("malformed einsum")?;
    let nest = loop_nest(cx, op, &e, tiling);
    let maps: Vec<AffineMap> = e.maps.iter().map(|m| (*m).clone()).collect();
    let sizes = e.sizes.clone();
    let loops: Vec<Loop> =
        nest.iter().map(|&(d, t)| Loop { dim: e.dims[d].to_string(), trips: e.sizes[d] / t, tile: t }).collect();
    let indirect = cx.attr(op, "indirect").and_then(Attribute::as_int_array);
    // An operand that repeats an earlier one (x · x) through the same stream reads that input.
    let operands: Vec<ValueId> = cx.operands(op).to_vec();
    let (mut inputs, mut reads, mut arg_of) = (Vec::new(), Vec::new(), Vec::new());
    for (i, &v) in operands.iter().enumerate() {
        let ty = cx.value_type(v);
        let Some((shape, _)) = cx.tensor_shape(ty) else { return Err(format!("operand #{i} is not a tensor")) };
        let shape = shape.to_vec();
        let (elem, bits) = elem_of(cx, ty);
        let gathered = indirect.as_ref().is_some_and(|ind| ind.first() == Some(&(i as i64)));
        let s = if gathered { None } else { operand_stream(&maps[i], &nest, &sizes, &shape, elem, bits, true) };
        let read = s.map(|s| s.to_type(cx));
        if let Some(k) = (0..inputs.len()).find(|&k| inputs[k] == v && reads[k] == read) {
            arg_of.push(k);
            continue;
        }
        pcx.add_stat(if read.is_some() { "streamed-operands" } else { "whole-tensor-operands" }, 1);
        arg_of.push(inputs.len());
        inputs.push(v);
        reads.push(read);
    }
    let result = cx.result(op, 0);
    let rty = cx.value_type(result);
    let out_ty = match cx.tensor_shape(rty) {
        Some((shape, _)) => {
            let shape = shape.to_vec();
            let (elem, bits) = elem_of(cx, rty);
            let out_map = maps.last().ok_or("einsum without maps")?;
            match operand_stream(out_map, &nest, &sizes, &shape, elem, bits, false) {
                Some(s) => s.to_type(cx),
                None => rty,
            }
        }
        None => rty,
    };
    let spec =
        KernelSpec { name: kernel_name(cx, op, index), loops, inputs, reads, yielded: vec![(result, out_ty)], arg_of };
    build_kernel(cx, op, &[op], &[], spec);
    Ok(())
}

/// A fused group: one kernel holding its einsums. Its loop nest splits the group's `tile_dim`
/// into `tiles` steps (other dims whole); results of the last einsum whose map is a projection
/// stream in those steps, the group's inputs and other results go through external memory.
fn convert_group(cx: &mut Context, op: OpId, index: usize, pcx: &mut PassContext) -> Result<(), String> {
    let g = dnnc_sched::Group::of(cx, op).ok_or("malformed sched.group")?;
    let last = *g.einsums.last().ok_or("empty sched.group")?;
    let (tile_dim, tiles) = (g.tile_dim.to_string(), g.tiles);
    let e = Einsum::of(cx, last).ok_or("malformed einsum in group")?;
    let t = e.dims.iter().position(|&d| d == tile_dim).ok_or("tile_dim is not a dim of the last einsum")?;
    if e.sizes[t] % tiles != 0 {
        return Err(format!("tiles {tiles} does not divide the size {} of '{tile_dim}'", e.sizes[t]));
    }
    let mut nest: Vec<(usize, i64)> = vec![(t, e.sizes[t] / tiles)];
    nest.extend((0..e.dims.len()).filter(|&d| d != t).map(|d| (d, e.sizes[d])));
    let loops: Vec<Loop> =
        nest.iter().map(|&(d, ts)| Loop { dim: e.dims[d].to_string(), trips: e.sizes[d] / ts, tile: ts }).collect();
    let out_map = e.maps.last().map(|m| (*m).clone()).ok_or("einsum without maps")?;
    let sizes = e.sizes.clone();
    let body = cx.body(op, 0).ok_or("group without body")?;
    let members: Vec<OpId> = cx.block_ops(body).filter(|&o| cx.is(o, dnnc_einsum::OP)).collect();
    let term = cx.block_last(body).filter(|&o| cx.is(o, dnnc_sched::YIELD)).ok_or("group without sched.yield")?;
    // The group's block arguments stand for its operands: read them from the operands.
    let inputs: Vec<ValueId> = cx.operands(op).to_vec();
    let args: Vec<ValueId> = cx.block_args(body).to_vec();
    for &m in &members {
        for i in 0..cx.operands(m).len() {
            if let Some(k) = args.iter().position(|&a| a == cx.operand(m, i)) {
                cx.set_operand(m, i, inputs[k]);
            }
        }
    }
    pcx.add_stat("whole-tensor-operands", inputs.len() as u64);
    let mut yielded = Vec::new();
    for (i, &v) in cx.operands(term).to_vec().iter().enumerate() {
        let ty = cx.value_type(v);
        let streamed = if cx.defining_op(v) == Some(last) {
            let shape = cx.tensor_shape(ty).map(|(s, _)| s.to_vec()).unwrap_or_default();
            let (elem, bits) = elem_of(cx, ty);
            operand_stream(&out_map, &nest, &sizes, &shape, elem, bits, false).map(|s| s.to_type(cx))
        } else {
            None
        };
        // Uses of the group's result move to the einsum's value, then to the kernel's.
        cx.replace_all_uses(cx.result(op, i), v);
        yielded.push((v, streamed.unwrap_or(ty)));
    }
    let spec = KernelSpec {
        name: kernel_name(cx, last, index),
        loops,
        reads: vec![None; inputs.len()],
        inputs: inputs.clone(),
        yielded,
        arg_of: Vec::new(),
    };
    // Input values are used directly by the members now; build_kernel rewires them to args.
    build_kernel(cx, op, &members, &[term], spec);
    cx.erase_op(term);
    cx.erase_op(op);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn divisors_and_streams_of_a_matmul() {
        assert_eq!((default_tile(56, 16), default_tile(768, 16), default_tile(7, 16)), (14, 16, 7));
        assert_eq!((default_tile(50257, 16), default_tile(17, 16), default_tile(1000, 16)), (29, 17, 10));
        // (m, n, k) with tiles 16, 16, 16 over 64x32x48: A[m, k] re-read per column tile.
        let nest = [(0, 16), (1, 16), (2, 16)];
        let a = AffineMap::new(3, 0, vec![AffineExpr::Dim(0), AffineExpr::Dim(2)]);
        let s = operand_stream(&a, &nest, &[64, 32, 48], &[64, 48], TypeId::F32, 32, true).unwrap();
        assert_eq!((s.trips.clone(), s.tokens(), s.full_shape()), (vec![4, 2, 3], 24, vec![64, 48]));
        // The result drops the reduced loop.
        let c = AffineMap::new(3, 0, vec![AffineExpr::Dim(0), AffineExpr::Dim(1)]);
        let r = operand_stream(&c, &nest, &[64, 32, 48], &[64, 32], TypeId::F32, 32, false).unwrap();
        assert_eq!((r.trips.clone(), r.is_regular()), (vec![4, 2], true));
        // A window (conv input) or a gather constant is not a stream.
        let w = AffineMap::new(3, 0, vec![AffineExpr::Dim(0) + AffineExpr::Dim(2), AffineExpr::Dim(1)]);
        assert!(operand_stream(&w, &nest, &[64, 32, 48], &[112, 32], TypeId::F32, 32, true).is_none());
        // A slice (the stream would not cover the operand) is not either.
        assert!(operand_stream(&c, &nest, &[64, 32, 48], &[128, 32], TypeId::F32, 32, true).is_none());
    }
}
