//! The `einsum` dialect: every compute operation as one perfectly nested loop over named
//! dimensions, with, per operand and for the result, an affine projection of the loop indices
//! — the Timeloop/ZigZag view of a layer that the cost model and the schedulers work on.
//!
//! `einsum.op` carries:
//! - `kind`: `"mac"` (multiply-accumulate: conv, matmul, gemm — runs on the PE array),
//!   `"elementwise"`, `"reduction"` (reductions and normalisations: softmax, layer norms) or
//!   `"data_movement"` (transposes, reshapes, slices, gathers) — the last three run on a vector
//!   unit or the memory system, never for free;
//! - `dims` (names) and `sizes` of the loop nest, outermost first;
//! - `maps`: one affine map per operand and a last one for the result, each from the loop
//!   indices `(d0, …)` to that tensor's indices (`h = stride·p + dilation·r − pad` for a
//!   convolution's input);
//! - `source`: the graph op it came from (the cost model weights vector work by it), and
//!   `source_attrs`, that op's attributes (epsilon, approximation, triangle, …), so no
//!   semantics is lost in lowering;
//! - `part`, for the einsums of a composite source op (`graph.attention`): which step of it
//!   this one computes (`scores`, `scale`, `mask`, `softmax`, `nan_to_zero`, `context`), so the
//!   steps stay distinguishable while sharing `source`, and later fusion can group them.
//!
//! Dimensions absent from the result map are reduced; normalisations (softmax, layer norms)
//! list the dimensions they reduce over and broadcast back in `normalized`. Per-operand element
//! widths come from the operand types ([`operand_bits`]). Data-dependent accesses (gathers) are
//! marked with `indirect = [operand, index position]` and use 0 at that position of the map. A
//! data-movement einsum with several inputs (concatenation) reads each input where its map is
//! in bounds.

pub mod patterns;

use dnnc_ir::dialect::{AttrKind, AttrSpec, Dialect, OpDef, Traits, TypeConstraint, ValueSpec};
use dnnc_ir::{AffineMap, Attribute, Context, OpId};

pub const OP: &str = "einsum.op";

/// The kinds of work an einsum describes.
pub const KINDS: &[&str] = &["mac", "elementwise", "reduction", "data_movement"];

static OPS: &[OpDef] = &[OpDef {
    operands: &[ValueSpec::variadic("inputs", TypeConstraint::AnyTensor)],
    results: &[ValueSpec::one("output", TypeConstraint::AnyTensor)],
    attrs: &[
        AttrSpec::required("kind", AttrKind::String, "mac, elementwise, reduction or data_movement"),
        AttrSpec::required("dims", AttrKind::Array, "loop dimension names, outermost first"),
        AttrSpec::required("sizes", AttrKind::IntArray, "loop trip counts"),
        AttrSpec::required("maps", AttrKind::Array, "per operand, then the result: loop indices -> tensor indices"),
        AttrSpec::required("source", AttrKind::String, "the graph op this einsum computes"),
        AttrSpec::optional("indirect", AttrKind::IntArray, "[operand, position]: a data-dependent index"),
        AttrSpec::optional("normalized", AttrKind::IntArray, "dims a normalisation reduces over and broadcasts back"),
        AttrSpec::optional(
            "source_attrs",
            AttrKind::Dict,
            "the source op's attributes (its semantics beyond the maps)",
        ),
        AttrSpec::optional("part", AttrKind::String, "the step of a composite source op this einsum computes"),
    ],
    traits: Traits::PURE,
    verify: Some(verify),
    ..OpDef::new(OP, "A loop nest over named dimensions with affine operand accesses")
}];

pub static DIALECT: Dialect = Dialect {
    name: "einsum",
    summary: "Compute ops as loop nests",
    ops: OPS,
    types: &[],
    attrs: &[],
    materialize_constant: None,
};

/// A read-only view of an `einsum.op`'s loop nest.
pub struct Einsum<'a> {
    pub kind: &'a str,
    pub dims: Vec<&'a str>,
    pub sizes: Vec<i64>,
    pub maps: Vec<&'a AffineMap>,
    pub source: &'a str,
    /// The step of a composite source op (see `part` above), if any.
    pub part: Option<&'a str>,
}

impl<'a> Einsum<'a> {
    /// Reads the op's attributes; `None` if it is not a well-formed einsum.
    pub fn of(cx: &'a Context, op: OpId) -> Option<Self> {
        if !cx.is(op, OP) {
            return None;
        }
        let dims = cx.attr(op, "dims")?.as_array()?.iter().map(Attribute::as_str).collect::<Option<Vec<_>>>()?;
        let maps = cx.attr(op, "maps")?.as_array()?.iter().map(Attribute::as_affine_map).collect::<Option<Vec<_>>>()?;
        Some(Einsum {
            kind: cx.attr(op, "kind")?.as_str()?,
            dims,
            sizes: cx.attr(op, "sizes")?.as_int_array()?,
            maps,
            source: cx.attr(op, "source")?.as_str()?,
            part: cx.attr(op, "part").and_then(Attribute::as_str),
        })
    }

    /// Points of the iteration space: MACs for a `mac` einsum.
    pub fn points(&self) -> i64 {
        self.sizes.iter().fold(1i64, |acc, &s| acc.saturating_mul(s))
    }

    /// Names of the dimensions the result does not index (reduced dimensions).
    pub fn reduced_dims(&self) -> Vec<&'a str> {
        let Some(out) = self.maps.last() else { return Vec::new() };
        (0..self.dims.len())
            .filter(|&d| !out.results.iter().any(|e| uses_dim(e, d as u32)))
            .map(|d| self.dims[d])
            .collect()
    }
}

/// ONNX's value of a float attribute that a source op may omit (`graph.leaky_relu`'s `alpha`,
/// …), so every reader of an einsum applies the same default.
pub fn source_default(source: &str, key: &str) -> Option<f64> {
    match (source.strip_prefix("graph.").unwrap_or(source), key) {
        ("leaky_relu", "alpha") => Some(0.01),
        ("hard_sigmoid", "alpha") => Some(0.2),
        ("hard_sigmoid", "beta") => Some(0.5),
        ("elu", "alpha") => Some(1.0),
        _ => None,
    }
}

pub fn uses_dim(e: &dnnc_ir::AffineExpr, d: u32) -> bool {
    use dnnc_ir::AffineExpr::*;
    match e {
        Dim(i) => *i == d,
        Symbol(_) | Const(_) => false,
        Add(a, b) | Mul(a, b) | FloorDiv(a, b) | CeilDiv(a, b) | Mod(a, b) => uses_dim(a, d) || uses_dim(b, d),
    }
}

/// Element widths in bits of each operand and then the result.
pub fn operand_bits(cx: &Context, op: OpId) -> Vec<u32> {
    cx.operands(op)
        .iter()
        .copied()
        .chain(cx.results(op))
        .map(|v| cx.type_data(cx.element_type(cx.value_type(v))).scalar_bits().unwrap_or(0))
        .collect()
}

/// Elements of tensor value `v` (1 for a scalar or an unranked value).
pub fn elements(cx: &Context, v: dnnc_ir::ValueId) -> f64 {
    cx.tensor_shape(cx.value_type(v)).map_or(1.0, |(s, _)| s.iter().map(|&d| d.max(1) as f64).product())
}

/// Each operand of einsum `op` with the elements it reads of it: all of them, except that a
/// gather (`indirect`) reads only as many elements of a table as it produces. What a vector
/// einsum moves through off-chip memory when none of its operands is kept on chip.
pub fn operand_traffic_elements(cx: &Context, op: OpId) -> Vec<(dnnc_ir::ValueId, f64)> {
    let produced = cx.results(op).map(|v| elements(cx, v)).sum::<f64>();
    let gather = cx.attr(op, "indirect").is_some();
    cx.operands(op).iter().map(|&v| (v, if gather { elements(cx, v).min(produced) } else { elements(cx, v) })).collect()
}

fn verify(cx: &Context, op: OpId, errors: &mut Vec<String>) {
    let Some(e) = Einsum::of(cx, op) else {
        errors.push("'dims' must be strings and 'maps' affine maps".into());
        return;
    };
    if !KINDS.contains(&e.kind) {
        errors.push(format!("kind '{}' is not one of {}", e.kind, KINDS.join(", ")));
    }
    if e.dims.len() != e.sizes.len() {
        errors.push(format!("{} dims but {} sizes", e.dims.len(), e.sizes.len()));
    }
    if e.sizes.iter().any(|&s| s < 1) {
        errors.push(format!("sizes {:?} must be positive", e.sizes));
    }
    let mut names = e.dims.clone();
    names.sort_unstable();
    if names.windows(2).any(|w| w[0] == w[1]) {
        errors.push(format!("dimension names {:?} repeat", e.dims));
    }
    let tensors: Vec<_> = cx.operands(op).iter().copied().chain(cx.results(op)).collect();
    if e.maps.len() != tensors.len() {
        errors.push(format!("{} maps for {} operands and 1 result", e.maps.len(), tensors.len() - 1));
        return;
    }
    let indirect = cx.attr(op, "indirect").and_then(Attribute::as_int_array);
    for (i, (map, &v)) in e.maps.iter().zip(&tensors).enumerate() {
        let what = if i + 1 == tensors.len() { "the result".to_string() } else { format!("operand #{i}") };
        let Some((shape, _)) = cx.tensor_shape(cx.value_type(v)) else { continue };
        if map.num_dims as usize != e.dims.len() || map.num_symbols != 0 || map.results.len() != shape.len() {
            errors.push(format!(
                "map of {what} must take the {} loop indices to its {} indices, but is {map}",
                e.dims.len(),
                shape.len()
            ));
            continue;
        }
        // The result is written exactly within bounds; inputs may reach into padding.
        if i + 1 == tensors.len() {
            let last: Vec<i64> = e.sizes.iter().map(|s| s - 1).collect();
            let zeros = vec![0; e.sizes.len()];
            let in_bounds =
                |p: &[i64]| map.eval(p, &[]).is_some_and(|ix| ix.iter().zip(shape).all(|(&x, &n)| (0..n).contains(&x)));
            if !in_bounds(&zeros) || !in_bounds(&last) {
                errors.push(format!("map of the result {map} leaves its shape {shape:?} over sizes {:?}", e.sizes));
            }
        }
    }
    if let Some(ind) = indirect
        && (ind.len() != 2 || ind[0] < 0 || ind[0] as usize >= tensors.len() - 1)
    {
        errors.push(format!("indirect {ind:?} must name an operand and one of its index positions"));
    }
}

/// The name a layer goes by in reports and in other tools' files: its location's name (the
/// ONNX node name the frontend records), `file:line:col`, or `-`.
pub fn layer_name(loc: &dnnc_ir::Location) -> String {
    use dnnc_ir::Location;
    match loc {
        Location::Name { name, .. } => name.to_string(),
        Location::FileLineCol { file, line, col } => format!("{file}:{line}:{col}"),
        Location::Fused(locs) => locs.iter().map(layer_name).collect::<Vec<_>>().join("+"),
        Location::Unknown => "-".into(),
    }
}

/// How many vector einsums [`mac_producer`] steps through, by default: a path longer than
/// this (a bias, an activation, a residual add, a pooling, a few layout changes) is not one
/// fusion candidates are looked for along.
pub const MAC_PATH_LIMIT: usize = 8;

/// The `mac` einsum whose result `v` derives from through non-MAC einsums (bias adds,
/// activations, residual adds, …), with those einsums, producer-most last. Through an einsum
/// with several einsum-produced inputs it follows the one defined last (the freshest data: a
/// residual add follows the block's main path, not its skip). `None` past `limit` steps, or
/// when the chain reaches anything but an einsum.
pub fn mac_producer(cx: &Context, v: dnnc_ir::ValueId, limit: usize) -> Option<(OpId, Vec<OpId>)> {
    let mut path = Vec::new();
    let mut v = v;
    for _ in 0..=limit {
        let def = cx.defining_op(v)?;
        let e = Einsum::of(cx, def)?;
        if e.kind == "mac" {
            return Some((def, path));
        }
        path.push(def);
        // The input defined last in program order within the same block.
        let block = cx.parent_block(def)?;
        let order: Vec<OpId> = cx.block_ops(block).collect();
        let pos = |op: OpId| order.iter().position(|&o| o == op);
        v = cx
            .operands(def)
            .iter()
            .copied()
            .filter(|&x| cx.defining_op(x).is_some_and(|d| Einsum::of(cx, d).is_some()))
            .max_by_key(|&x| cx.defining_op(x).and_then(pos))?;
    }
    None
}

/// How a set of einsums can run as one stream of equal steps: per einsum (in the order given)
/// the loop dimension it steps along, and the dimension's extent, the same for all.
#[derive(Clone, Debug, PartialEq)]
pub struct Stream {
    pub dims: Vec<usize>,
    pub extent: i64,
    /// Every operand of every MAC einsum is indexed by its stream dimension (attention's
    /// heads, a batch): no step of a MAC einsum re-reads what another step read, as opposed to
    /// a row stream that reads a layer's whole weights at every step. (A vector einsum may
    /// still read a broadcast operand, such as an attention mask, at every step.)
    pub partitions_macs: bool,
}

/// The dimension along which einsums `ops` can stream together, if any: each einsum steps
/// along a dimension that indexes its result and every value it reads from another of `ops`
/// at one position as a plain loop index (no window: halos are not modelled), and a value
/// passed between two of them is cut along the same axis on both sides. Operands from outside
/// `ops` may or may not be indexed by it (a layer's weights are re-read at each step). Among
/// the possible streams, one that partitions every MAC einsum's operands is preferred, then the one with the
/// largest extent, then the first found (deterministic).
///
/// Operands from outside `ops` need not be plain indices: a head folded into a wider tensor's
/// columns (`h * 64 + d`) still partitions it.
pub fn stream_dims(cx: &Context, ops: &[OpId]) -> Option<Stream> {
    let mut best: Option<Stream> = None;
    for stream in streams(cx, ops) {
        let better =
            best.as_ref().is_none_or(|b| (stream.partitions_macs, stream.extent) > (b.partitions_macs, b.extent));
        if better {
            best = Some(stream);
        }
    }
    best
}

/// The dimensions of the first of `ops` along which all of `ops` stream together
/// ([`streams`]), sorted and without repeats.
pub fn chain_stream_dims(cx: &Context, ops: &[OpId]) -> Vec<usize> {
    let mut dims: Vec<usize> = streams(cx, ops).into_iter().filter_map(|s| s.dims.first().copied()).collect();
    dims.sort_unstable();
    dims.dedup();
    dims
}

/// Every way einsums `ops` can stream together (see [`stream_dims`]), one per dimension of the
/// last einsum that starts one, in dimension order.
pub fn streams(cx: &Context, ops: &[OpId]) -> Vec<Stream> {
    use dnnc_ir::AffineExpr;
    let Some(einsums) = ops.iter().map(|&o| Einsum::of(cx, o)).collect::<Option<Vec<Einsum<'_>>>>() else {
        return Vec::new();
    };
    let member = |v: dnnc_ir::ValueId| cx.defining_op(v).and_then(|d| ops.iter().position(|&o| o == d));
    // The axis of a map's results that is exactly loop index `d`.
    let axis_of = |map: &AffineMap, d: usize| map.results.iter().position(|r| *r == AffineExpr::Dim(d as u32));
    // Per einsum: the dimensions it could step along.
    let candidates: Vec<Vec<usize>> = ops
        .iter()
        .zip(&einsums)
        .map(|(&op, e)| {
            let out = e.maps.last().copied();
            // A normalisation (softmax, a layer norm) needs all of the dims it reduces over.
            let normalized: Vec<i64> = cx.attr(op, "normalized").and_then(|a| a.as_int_array()).unwrap_or_default();
            (0..e.dims.len())
                .filter(|&d| e.sizes[d] > 1 && out.is_some_and(|m| axis_of(m, d).is_some()))
                .filter(|&d| !normalized.contains(&(d as i64)))
                .filter(|&d| {
                    cx.operands(op).iter().zip(&e.maps).all(|(&v, m)| member(v).is_none() || axis_of(m, d).is_some())
                })
                .collect()
        })
        .collect();
    // Internal edges: (producer index, consumer index, consumer operand slot).
    let mut edges = Vec::new();
    for (c, &op) in ops.iter().enumerate() {
        for (k, &v) in cx.operands(op).iter().enumerate() {
            if let Some(p) = member(v) {
                edges.push((p, c, k));
            }
        }
    }
    let Some(last) = ops.len().checked_sub(1) else { return Vec::new() };
    let mut found = Vec::new();
    for &start in &candidates[last] {
        let mut dims: Vec<Option<usize>> = vec![None; ops.len()];
        dims[last] = Some(start);
        let mut ok = true;
        let mut changed = true;
        while ok && changed {
            changed = false;
            for &(p, c, k) in &edges {
                let (ep, ec) = (&einsums[p], &einsums[c]);
                // A malformed einsum (the verifier rejects it) has no stream.
                let (Some(&out_p), Some(&in_c)) = (ep.maps.last(), ec.maps.get(k)) else {
                    ok = false;
                    break;
                };
                let implied = match (dims[p], dims[c]) {
                    // Forward: the producer's axis, read by the consumer as one of its indices.
                    (Some(dp), None) => axis_of(out_p, dp).and_then(|a| match in_c.results.get(a) {
                        Some(AffineExpr::Dim(x)) => Some((c, *x as usize)),
                        _ => None,
                    }),
                    // Backward: the consumer's axis of the value, produced by one of the producer's indices.
                    (None, Some(dc)) => axis_of(in_c, dc).and_then(|a| match out_p.results.get(a) {
                        Some(AffineExpr::Dim(x)) => Some((p, *x as usize)),
                        _ => None,
                    }),
                    (Some(dp), Some(dc)) => {
                        ok &= axis_of(out_p, dp).is_some() && axis_of(out_p, dp) == axis_of(in_c, dc);
                        continue;
                    }
                    (None, None) => continue,
                };
                match implied {
                    Some((i, d)) if candidates[i].contains(&d) => {
                        dims[i] = Some(d);
                        changed = true;
                    }
                    _ => ok = false,
                }
            }
        }
        let Some(dims) = dims.into_iter().collect::<Option<Vec<usize>>>().filter(|_| ok) else { continue };
        let extent = einsums[last].sizes[start];
        if dims.iter().zip(&einsums).any(|(&d, e)| e.sizes[d] != extent) {
            continue;
        }
        let partitions_macs =
            ops.iter().zip(&einsums).zip(&dims).filter(|((_, e), _)| e.kind == "mac").all(|((&op, e), &d)| {
                e.maps[..cx.operands(op).len()].iter().all(|m| m.results.iter().any(|r| uses_dim(r, d as u32)))
            });
        found.push(Stream { dims, extent, partitions_macs });
    }
    found
}
