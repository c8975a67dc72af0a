//! Decomposition patterns: ONNX operators that are compositions of other graph ops, rewritten
//! into them so every later layer (lowering, cost model, dataflow, HLS) handles them without
//! code of its own. Used by the `graph-canonicalize` pass.
//!
//! - `log_softmax(x)` → `(x − m) − log Σ exp(x − m)`, `m` the maximum along the axis (the
//!   stable form: no `log` of a probability that underflowed to 0);
//! - `sum(a, b, …)` → `(a + b) + …`, `mean(…)` → that sum divided by the operand count;
//!   `max` and `min` of other than two operands → a chain of pairs (one operand: itself);
//! - `mish(x)` → `x · tanh(softplus(x))`; `softsign(x)` → `x / (1 + |x|)`; `selu(x)` →
//!   `gamma · elu_alpha(x)`; `celu(x)` → `alpha · elu_1(x / alpha)`; `thresholded_relu(x)` →
//!   `where(x > alpha, x, 0)`;
//! - `reduce_l1` → `reduce_sum(abs x)`, `reduce_sum_square` → `reduce_sum(x · x)`,
//!   `reduce_l2` → `sqrt(reduce_sum(x · x))`, `reduce_log_sum_exp` →
//!   `log(reduce_sum(exp(x − m))) + m` with `m` the maximum over the axes;
//! - `instance_normalization` → a layer normalisation over the spatial dimensions (axis 2 on),
//!   then the per-channel scale and shift;
//! - `group_normalization` → the input reshaped to `[N, G, rest]`, a layer normalisation over
//!   axis 2, then the scale and shift per group (opset 18's `[G]` parameters) before reshaping
//!   back, or per channel (`[C]`, opset 21) after;
//! - `depth_to_space` / `space_to_depth` → reshape, transpose, reshape (DCR and CRD orders);
//! - `gather_nd` with index tuples of length `t > 1` → a `gather_nd` of single indices into the
//!   data reshaped to `[D0·…·D(t−1), rest…]`, at each tuple's linear index
//!   `Σ_j norm(i_j) · stride_j` (`norm` adds `D_j` to a negative component, as ONNX counts them
//!   from the end);
//! - `scatter_nd(data, indices, updates)` (values not known at import) → per row `p` of the
//!   data reshaped to `[P, rest…]`, the last update `j` whose linear index is `p` (an equality
//!   matrix `[P, J]` against an iota, `where` and `reduce_max`), gathered from the updates where
//!   there is one, the data's row elsewhere — exact while `J < 2²⁴` (the float index) and
//!   refused beyond `P · J = 2²⁶` (the matrix);
//! - `reduce_min(x)` → `−reduce_max(−x)`;
//! - `lrn(x)` → `x / (bias + alpha/size · s)^beta`, `s` the sum of `size` slices of `x²`
//!   padded with zeros along the channels (the window `c − ⌊(size−1)/2⌋ … c + ⌈(size−1)/2⌉`):
//!   `size` additions an element, as the operator costs;
//! - `one_hot(indices, [off, on])` → `where(indices (negative: plus depth) = iota, on, off)`
//!   with the iota along the new axis;
//! - `arg_max(x)` → the least index `i` (the greatest with `select_last_index`) where `x` equals
//!   its maximum along the axis: a `where` between a constant iota and a sentinel, reduced by
//!   `reduce_max` (of the negation, for the least), cast to int64 — exact up to 2²⁴ elements
//!   along the axis, which the float iota holds; `arg_min(x)` is `arg_max(−x)`.
//!
//! Every intermediate type comes from the graph dialect's own inference rules, so a rewrite
//! cannot build an ill-typed op: an input the rules refuse leaves the op as it is (the
//! lowering then names it).

use dnnc_ir::{AttrDict, Attribute, OpId, OperationState, PatternSet, RewritePattern, Rewriter, TypeId, ValueId};

/// Name prefix of every decomposition pattern (the pass counts them apart).
pub const PREFIX: &str = "graph-decompose-";

/// Adds every decomposition pattern to `set`.
pub fn add_decomposition_patterns(set: &mut PatternSet) {
    for &(op, name) in DECOMPOSED {
        set.add(Decompose { op, name });
    }
}

/// The graph ops this module rewrites, with the name of each one's pattern.
const DECOMPOSED: &[(&str, &str)] = &[
    ("graph.log_softmax", "graph-decompose-log-softmax"),
    ("graph.mish", "graph-decompose-mish"),
    ("graph.sum", "graph-decompose-sum"),
    ("graph.mean", "graph-decompose-mean"),
    ("graph.max", "graph-decompose-max"),
    ("graph.min", "graph-decompose-min"),
    ("graph.softsign", "graph-decompose-softsign"),
    ("graph.selu", "graph-decompose-selu"),
    ("graph.celu", "graph-decompose-celu"),
    ("graph.thresholded_relu", "graph-decompose-thresholded-relu"),
    ("graph.reduce_l1", "graph-decompose-reduce-l1"),
    ("graph.reduce_l2", "graph-decompose-reduce-l2"),
    ("graph.reduce_sum_square", "graph-decompose-reduce-sum-square"),
    ("graph.reduce_log_sum_exp", "graph-decompose-reduce-log-sum-exp"),
    ("graph.instance_normalization", "graph-decompose-instance-normalization"),
    ("graph.group_normalization", "graph-decompose-group-normalization"),
    ("graph.depth_to_space", "graph-decompose-depth-to-space"),
    ("graph.space_to_depth", "graph-decompose-space-to-depth"),
    ("graph.reduce_min", "graph-decompose-reduce-min"),
    ("graph.gather_nd", crate::patterns::GATHER_ND_TUPLES),
    ("graph.scatter_nd", "graph-decompose-scatter-nd"),
    ("graph.lrn", "graph-decompose-lrn"),
    ("graph.one_hot", "graph-decompose-one-hot"),
    ("graph.arg_max", "graph-decompose-arg-max"),
    ("graph.arg_min", "graph-decompose-arg-min"),
];

/// Creates the ops of one rewrite before `anchor`.
struct Builder<'r, 'a> {
    rw: &'r mut Rewriter<'a>,
    anchor: OpId,
}

impl Builder<'_, '_> {
    /// `name(operands) {attrs}` with the result type its inference rule gives.
    fn op(&mut self, name: &str, operands: &[ValueId], attrs: &[(&str, Attribute)]) -> Option<ValueId> {
        let dict: AttrDict = attrs.iter().map(|(k, v)| (std::sync::Arc::from(*k), v.clone())).collect();
        let ty = crate::infer_result_types(self.rw.context_mut(), name, operands, &dict, 1).ok()??;
        Some(self.typed(name, operands, *ty.first()?, attrs))
    }

    /// `name(operands) {attrs}` of result type `ty` (reshapes and constants).
    fn typed(&mut self, name: &str, operands: &[ValueId], ty: TypeId, attrs: &[(&str, Attribute)]) -> ValueId {
        let name = self.rw.context_mut().op_name(name);
        let mut state = OperationState::new(name).operands(operands.iter().copied()).results([ty]);
        for (k, v) in attrs {
            state = state.attr(k, v.clone());
        }
        let op = self.rw.create_before(self.anchor, state);
        self.rw.result(op, 0)
    }

    /// `x` reshaped to `shape`.
    fn reshape(&mut self, x: ValueId, shape: &[i64]) -> ValueId {
        let elem = self.rw.element_type(self.rw.value_type(x));
        let ty = self.rw.context_mut().tensor_type(shape, elem);
        self.typed("graph.reshape", &[x], ty, &[])
    }

    /// A one-element constant `value` of element type `elem`, shaped `[1]`.
    fn scalar(&mut self, value: f64, elem: TypeId) -> ValueId {
        let ty = self.rw.context_mut().tensor_type(&[1], elem);
        self.typed("graph.constant", &[], ty, &[("splat", Attribute::Float { value, ty: elem })])
    }

    fn shape(&self, v: ValueId) -> Option<(Vec<i64>, TypeId)> {
        self.rw.tensor_shape(self.rw.value_type(v)).map(|(s, e)| (s.to_vec(), e))
    }
}

/// One decomposition, by the op it rewrites.
struct Decompose {
    op: &'static str,
    name: &'static str,
}

impl RewritePattern for Decompose {
    fn name(&self) -> &'static str {
        self.name
    }

    fn root(&self) -> Option<&'static str> {
        Some(self.op)
    }

    fn match_and_rewrite(&self, op: OpId, rw: &mut Rewriter<'_>) -> bool {
        let operands = rw.operands(op).to_vec();
        // The op's declared operands (a verified op has them; anything else stays as it is).
        let expected = match self.op {
            "graph.sum" | "graph.mean" => 1..usize::MAX,
            // Pairs are what later stages take: only other counts are rewritten.
            "graph.max" | "graph.min" if operands.len() == 2 => return false,
            "graph.max" | "graph.min" => 1..usize::MAX,
            "graph.instance_normalization" | "graph.group_normalization" | "graph.scatter_nd" => 3..4,
            "graph.gather_nd" | "graph.one_hot" => 2..3,
            _ => 1..2,
        };
        if !expected.contains(&operands.len()) {
            return false;
        }
        let attr = |k: &str| rw.attr(op, k).cloned();
        let (axis, axes, keepdims) = (attr("axis"), attr("axes"), attr("keepdims"));
        let epsilon = rw.attr(op, "epsilon").and_then(Attribute::as_float).unwrap_or(1e-5);
        let groups = rw.attr(op, "num_groups").and_then(Attribute::as_int).unwrap_or(0);
        let blocksize = rw.attr(op, "blocksize").and_then(Attribute::as_int).unwrap_or(0);
        let crd = rw.attr(op, "mode").and_then(Attribute::as_str) == Some("CRD");
        let float = |k: &str| rw.attr(op, k).and_then(Attribute::as_float);
        let (alpha, gamma, beta, bias) = (float("alpha"), float("gamma"), float("beta"), float("bias"));
        let size = rw.attr(op, "size").and_then(Attribute::as_int).unwrap_or(0);
        let depth = rw.attr(op, "depth").and_then(Attribute::as_int).unwrap_or(0);
        let last = rw.attr(op, "select_last_index").and_then(Attribute::as_int).unwrap_or(0) != 0;
        let mut b = Builder { rw, anchor: op };
        let result = match self.op {
            "graph.log_softmax" => log_softmax(&mut b, operands[0], axis),
            "graph.mish" => mish(&mut b, operands[0]),
            "graph.sum" | "graph.mean" => sum(&mut b, &operands, self.op == "graph.mean"),
            "graph.max" | "graph.min" => pairwise(&mut b, self.op, &operands),
            "graph.softsign" | "graph.selu" | "graph.celu" | "graph.thresholded_relu" => {
                activation(&mut b, self.op, operands[0], alpha, gamma)
            }
            "graph.instance_normalization" => instance_norm(&mut b, &operands, epsilon),
            "graph.group_normalization" => group_norm(&mut b, &operands, epsilon, groups),
            "graph.depth_to_space" => depth_to_space(&mut b, operands[0], blocksize, crd),
            "graph.space_to_depth" => space_to_depth(&mut b, operands[0], blocksize),
            "graph.gather_nd" => gather_tuples(&mut b, operands[0], operands[1]),
            "graph.lrn" => {
                lrn(&mut b, operands[0], size, alpha.unwrap_or(1e-4), beta.unwrap_or(0.75), bias.unwrap_or(1.0))
            }
            "graph.one_hot" => one_hot(&mut b, operands[0], operands[1], depth, axis),
            "graph.scatter_nd" => scatter(&mut b, operands[0], operands[1], operands[2]),
            "graph.arg_max" | "graph.arg_min" => {
                arg_extreme(&mut b, operands[0], axis, keepdims, last, self.op == "graph.arg_min")
            }
            reduce => {
                let kept: Vec<(&str, Attribute)> =
                    [("axes", axes), ("keepdims", keepdims)].into_iter().filter_map(|(k, v)| Some((k, v?))).collect();
                reduction(&mut b, reduce, operands[0], &kept)
            }
        };
        match result {
            Some(v) => {
                rw.replace_op(op, &[v]);
                true
            }
            None => false,
        }
    }
}

fn log_softmax(b: &mut Builder<'_, '_>, x: ValueId, axis: Option<Attribute>) -> Option<ValueId> {
    let rank = b.shape(x)?.0.len() as i64;
    let axis = axis.and_then(|a| a.as_int()).unwrap_or(-1);
    let axes = Attribute::i64_array(&[if axis < 0 { axis + rank } else { axis }]);
    let keep = [("axes", axes), ("keepdims", Attribute::i64(1))];
    let max = b.op("graph.reduce_max", &[x], &keep)?;
    let shifted = b.op("graph.sub", &[x, max], &[])?;
    let exp = b.op("graph.exp", &[shifted], &[])?;
    let sum = b.op("graph.reduce_sum", &[exp], &keep)?;
    let log = b.op("graph.log", &[sum], &[])?;
    b.op("graph.sub", &[shifted, log], &[])
}

/// The sum of `operands` left to right (a single operand is itself), or their mean.
fn sum(b: &mut Builder<'_, '_>, operands: &[ValueId], mean: bool) -> Option<ValueId> {
    let (&first, rest) = operands.split_first()?;
    let mut total = first;
    for &v in rest {
        total = b.op("graph.add", &[total, v], &[])?;
    }
    if !mean || operands.len() == 1 {
        return Some(total);
    }
    let (_, elem) = b.shape(total)?;
    let count = b.scalar(operands.len() as f64, elem);
    b.op("graph.div", &[total, count], &[])
}

/// `op` (max or min) of `operands` as a left-to-right chain of pairs.
fn pairwise(b: &mut Builder<'_, '_>, op: &str, operands: &[ValueId]) -> Option<ValueId> {
    let (&first, rest) = operands.split_first()?;
    let mut acc = first;
    for &v in rest {
        acc = b.op(op, &[acc, v], &[])?;
    }
    Some(acc)
}

fn mish(b: &mut Builder<'_, '_>, x: ValueId) -> Option<ValueId> {
    let softplus = b.op("graph.softplus", &[x], &[])?;
    let tanh = b.op("graph.tanh", &[softplus], &[])?;
    b.op("graph.mul", &[x, tanh], &[])
}

/// Softsign, SELU, CELU and the thresholded ReLU (`alpha`, `gamma`: the op's attributes, ONNX's
/// defaults when absent).
fn activation(
    b: &mut Builder<'_, '_>,
    op: &str,
    x: ValueId,
    alpha: Option<f64>,
    gamma: Option<f64>,
) -> Option<ValueId> {
    let (_, elem) = b.shape(x)?;
    let float = |value: f64| Attribute::Float { value, ty: TypeId::F32 };
    match op {
        "graph.softsign" => {
            let one = b.scalar(1.0, elem);
            let abs = b.op("graph.abs", &[x], &[])?;
            let denominator = b.op("graph.add", &[abs, one], &[])?;
            b.op("graph.div", &[x, denominator], &[])
        }
        "graph.selu" => {
            let alpha = alpha.unwrap_or(1.673_263_192_176_818_8);
            let gamma = b.scalar(gamma.unwrap_or(1.050_701_022_148_132_3), elem);
            let elu = b.op("graph.elu", &[x], &[("alpha", float(alpha))])?;
            b.op("graph.mul", &[elu, gamma], &[])
        }
        "graph.celu" => {
            let alpha = alpha.unwrap_or(1.0);
            let a = b.scalar(alpha, elem);
            let scaled = b.op("graph.div", &[x, a], &[])?;
            let elu = b.op("graph.elu", &[scaled], &[("alpha", float(1.0))])?;
            b.op("graph.mul", &[elu, a], &[])
        }
        _ => {
            let threshold = b.scalar(alpha.unwrap_or(1.0), elem);
            let zero = b.scalar(0.0, elem);
            let above = b.op("graph.greater", &[x, threshold], &[])?;
            b.op("graph.where", &[above, x, zero], &[])
        }
    }
}

/// The norms and log-sum-exp over axes (`kept`: the op's `axes` and `keepdims`).
fn reduction(b: &mut Builder<'_, '_>, op: &str, x: ValueId, kept: &[(&str, Attribute)]) -> Option<ValueId> {
    match op {
        "graph.reduce_l1" => {
            let abs = b.op("graph.abs", &[x], &[])?;
            b.op("graph.reduce_sum", &[abs], kept)
        }
        "graph.reduce_min" => {
            let negated = b.op("graph.neg", &[x], &[])?;
            let max = b.op("graph.reduce_max", &[negated], kept)?;
            b.op("graph.neg", &[max], &[])
        }
        "graph.reduce_sum_square" | "graph.reduce_l2" => {
            let square = b.op("graph.mul", &[x, x], &[])?;
            let sum = b.op("graph.reduce_sum", &[square], kept)?;
            if op == "graph.reduce_l2" { b.op("graph.sqrt", &[sum], &[]) } else { Some(sum) }
        }
        _ => {
            // log Σ exp(x − m) + m, m the maximum kept as size-1 axes to broadcast against x.
            let mut keep_axes: Vec<(&str, Attribute)> = kept.iter().filter(|(k, _)| *k == "axes").cloned().collect();
            keep_axes.push(("keepdims", Attribute::i64(1)));
            let max = b.op("graph.reduce_max", &[x], &keep_axes)?;
            let shifted = b.op("graph.sub", &[x, max], &[])?;
            let exp = b.op("graph.exp", &[shifted], &[])?;
            let sum = b.op("graph.reduce_sum", &[exp], kept)?;
            let log = b.op("graph.log", &[sum], &[])?;
            let max = b.op("graph.reduce_max", &[x], kept)?;
            b.op("graph.add", &[log, max], &[])
        }
    }
}

/// `[C]` parameters as `[C, 1, …]`, to broadcast over the channel axis of a rank-`rank` tensor
/// (or of its `[N, G, rest]` view).
fn per_channel(b: &mut Builder<'_, '_>, p: ValueId, rank: usize) -> Option<ValueId> {
    let (shape, _) = b.shape(p)?;
    let mut target = shape;
    target.resize(rank - 1, 1);
    Some(b.reshape(p, &target))
}

/// `x` normalised over its dimensions from 2 on (a layer normalisation with unit scale).
fn normalize_from_axis_2(b: &mut Builder<'_, '_>, x: ValueId, epsilon: f64) -> Option<ValueId> {
    let (_, elem) = b.shape(x)?;
    let one = b.scalar(1.0, elem);
    let eps = Attribute::Float { value: epsilon, ty: TypeId::F32 };
    b.op("graph.layer_normalization", &[x, one], &[("axis", Attribute::i64(2)), ("epsilon", eps)])
}

fn instance_norm(b: &mut Builder<'_, '_>, operands: &[ValueId], epsilon: f64) -> Option<ValueId> {
    let rank = b.shape(operands[0])?.0.len();
    let normalized = normalize_from_axis_2(b, operands[0], epsilon)?;
    let scale = per_channel(b, operands[1], rank)?;
    let bias = per_channel(b, operands[2], rank)?;
    let scaled = b.op("graph.mul", &[normalized, scale], &[])?;
    b.op("graph.add", &[scaled, bias], &[])
}

fn group_norm(b: &mut Builder<'_, '_>, operands: &[ValueId], epsilon: f64, groups: i64) -> Option<ValueId> {
    let (shape, _) = b.shape(operands[0])?;
    if shape.len() < 2 || groups <= 0 || shape[1] % groups != 0 {
        return None;
    }
    let rest: i64 = shape[1..].iter().product::<i64>() / groups;
    let grouped = b.reshape(operands[0], &[shape[0], groups, rest]);
    let normalized = normalize_from_axis_2(b, grouped, epsilon)?;
    let per_group = b.shape(operands[1])?.0 == [groups] && groups != shape[1];
    if per_group {
        // Opset 18: one scale and shift per group, applied in the [N, G, rest] view.
        let scale = per_channel(b, operands[1], 3)?;
        let bias = per_channel(b, operands[2], 3)?;
        let scaled = b.op("graph.mul", &[normalized, scale], &[])?;
        let shifted = b.op("graph.add", &[scaled, bias], &[])?;
        return Some(b.reshape(shifted, &shape));
    }
    let back = b.reshape(normalized, &shape);
    let scale = per_channel(b, operands[1], shape.len())?;
    let bias = per_channel(b, operands[2], shape.len())?;
    let scaled = b.op("graph.mul", &[back, scale], &[])?;
    b.op("graph.add", &[scaled, bias], &[])
}

/// `x` viewed as `split`, permuted by `perm`, and reshaped to `out`.
fn shuffle(b: &mut Builder<'_, '_>, x: ValueId, split: &[i64], perm: &[i64], out: &[i64]) -> Option<ValueId> {
    let view = b.reshape(x, split);
    let moved = b.op("graph.transpose", &[view], &[("perm", Attribute::i64_array(perm))])?;
    Some(b.reshape(moved, out))
}

fn depth_to_space(b: &mut Builder<'_, '_>, x: ValueId, k: i64, crd: bool) -> Option<ValueId> {
    let (s, _) = b.shape(x)?;
    if s.len() != 4 || k <= 0 || s[1] % (k * k) != 0 {
        return None;
    }
    let (n, c, h, w) = (s[0], s[1] / (k * k), s[2], s[3]);
    let out = [n, c, h * k, w * k];
    if crd {
        shuffle(b, x, &[n, c, k, k, h, w], &[0, 1, 4, 2, 5, 3], &out)
    } else {
        shuffle(b, x, &[n, k, k, c, h, w], &[0, 3, 4, 1, 5, 2], &out)
    }
}

fn space_to_depth(b: &mut Builder<'_, '_>, x: ValueId, k: i64) -> Option<ValueId> {
    let (s, _) = b.shape(x)?;
    if s.len() != 4 || k <= 0 || s[2] % k != 0 || s[3] % k != 0 {
        return None;
    }
    let (n, c, h, w) = (s[0], s[1], s[2] / k, s[3] / k);
    shuffle(b, x, &[n, c, h, k, w, k], &[0, 3, 5, 1, 2, 4], &[n, c * k * k, h, w])
}

fn arg_extreme(
    b: &mut Builder<'_, '_>,
    x: ValueId,
    axis: Option<Attribute>,
    keepdims: Option<Attribute>,
    last: bool,
    minimum: bool,
) -> Option<ValueId> {
    let (shape, _) = b.shape(x)?;
    let rank = shape.len() as i64;
    let axis = axis.and_then(|a| a.as_int()).unwrap_or(0);
    let axis = if axis < 0 { axis + rank } else { axis };
    let n = *shape.get(usize::try_from(axis).ok()?)?;
    if n > 1 << 24 {
        return None;
    }
    let x = if minimum { b.op("graph.neg", &[x], &[])? } else { x };
    let axes = ("axes", Attribute::i64_array(&[axis]));
    let max = b.op("graph.reduce_max", &[x], &[axes.clone(), ("keepdims", Attribute::i64(1))])?;
    let at_max = b.op("graph.equal", &[x, max], &[])?;
    // 0, 1, … along the axis, broadcast over the others.
    let mut iota_shape = vec![1; shape.len()];
    iota_shape[axis as usize] = n;
    let f32_ty = TypeId::F32;
    let iota_ty = b.rw.context_mut().tensor_type(&iota_shape, f32_ty);
    let values = Attribute::array((0..n).map(|i| Attribute::Float { value: i as f64, ty: f32_ty }));
    let iota = b.typed("graph.constant", &[], iota_ty, &[("value", values)]);
    let keep = ("keepdims", keepdims.unwrap_or(Attribute::i64(1)));
    let index = if last {
        // The greatest index at the maximum: elsewhere −1.
        let none = b.scalar(-1.0, f32_ty);
        let candidates = b.op("graph.where", &[at_max, iota, none], &[])?;
        b.op("graph.reduce_max", &[candidates], &[axes, keep])?
    } else {
        // The least: the maximum of the negated candidates, elsewhere −n.
        let none = b.scalar(n as f64, f32_ty);
        let candidates = b.op("graph.where", &[at_max, iota, none], &[])?;
        let negated = b.op("graph.neg", &[candidates], &[])?;
        let least = b.op("graph.reduce_max", &[negated], &[axes, keep])?;
        b.op("graph.neg", &[least], &[])?
    };
    b.op("graph.cast", &[index], &[("to", Attribute::Type(TypeId::I64))])
}

/// `[D0, …, D(t−1)]`-indexed tuples `indices` (`[B…, t]`, integers) as linear indices
/// `[B…, 1]` into those dims flattened, each component counted from the end when negative.
fn linear_indices(b: &mut Builder<'_, '_>, indices: ValueId, dims: &[i64]) -> Option<ValueId> {
    let (index_shape, index_elem) = b.shape(indices)?;
    let t = dims.len();
    let strides: Vec<i64> = (0..t).map(|j| dims[j + 1..].iter().product()).collect();
    let vector_ty = b.rw.context_mut().tensor_type(&[t as i64], index_elem);
    let ints = |values: &[i64]| Attribute::array(values.iter().map(|&value| Attribute::Int { value, ty: index_elem }));
    let zero = b.typed("graph.constant", &[], vector_ty, &[("value", ints(&vec![0; t]))]);
    let sizes = b.typed("graph.constant", &[], vector_ty, &[("value", ints(dims))]);
    let stride = b.typed("graph.constant", &[], vector_ty, &[("value", ints(&strides))]);
    let negative = b.op("graph.less", &[indices, zero], &[])?;
    let wrapped = b.op("graph.add", &[indices, sizes], &[])?;
    let normal = b.op("graph.where", &[negative, wrapped, indices], &[])?;
    let scaled = b.op("graph.mul", &[normal, stride], &[])?;
    let last = Attribute::i64_array(&[index_shape.len() as i64 - 1]);
    b.op("graph.reduce_sum", &[scaled], &[("axes", last), ("keepdims", Attribute::i64(1))])
}

/// GatherND with tuples longer than 1 as one of single indices (see the module docs).
fn gather_tuples(b: &mut Builder<'_, '_>, data: ValueId, indices: ValueId) -> Option<ValueId> {
    let (data_shape, _) = b.shape(data)?;
    let (index_shape, index_elem) = b.shape(indices)?;
    let t = *index_shape.last()? as usize;
    if t <= 1 || t > data_shape.len() || !b.rw.type_data(index_elem).is_integer() {
        return None;
    }
    let linear = linear_indices(b, indices, &data_shape[..t])?;
    let mut flat = vec![data_shape[..t].iter().product()];
    flat.extend_from_slice(&data_shape[t..]);
    let flat = b.reshape(data, &flat);
    b.op("graph.gather_nd", &[flat, linear], &[])
}

/// ScatterND on values known only at run time (see the module docs).
fn scatter(b: &mut Builder<'_, '_>, data: ValueId, indices: ValueId, updates: ValueId) -> Option<ValueId> {
    let (data_shape, _) = b.shape(data)?;
    let (index_shape, index_elem) = b.shape(indices)?;
    let t = *index_shape.last()? as usize;
    if t == 0 || t > data_shape.len() || !b.rw.type_data(index_elem).is_integer() {
        return None;
    }
    let rows: i64 = data_shape[..t].iter().product();
    let count: i64 = index_shape[..index_shape.len() - 1].iter().product();
    if count >= 1 << 24 || rows.checked_mul(count)? > 1 << 26 {
        return None;
    }
    let rest = &data_shape[t..];
    let linear = linear_indices(b, indices, &data_shape[..t])?;
    let linear = b.reshape(linear, &[1, count]);
    // rows × updates: whether update j writes row p.
    let row_ty = b.rw.context_mut().tensor_type(&[rows, 1], index_elem);
    let row_ids = Attribute::array((0..rows).map(|value| Attribute::Int { value, ty: index_elem }));
    let row_iota = b.typed("graph.constant", &[], row_ty, &[("value", row_ids)]);
    let writes = b.op("graph.equal", &[row_iota, linear], &[])?;
    // The last update writing each row (−1: none), as a float index.
    let f32_ty = TypeId::F32;
    let update_ty = b.rw.context_mut().tensor_type(&[1, count], f32_ty);
    let update_ids = Attribute::array((0..count).map(|j| Attribute::Float { value: j as f64, ty: f32_ty }));
    let update_iota = b.typed("graph.constant", &[], update_ty, &[("value", update_ids)]);
    let none = b.scalar(-1.0, f32_ty);
    let candidates = b.op("graph.where", &[writes, update_iota, none], &[])?;
    let keep = [("axes", Attribute::i64_array(&[1])), ("keepdims", Attribute::i64(1))];
    let chosen = b.op("graph.reduce_max", &[candidates], &keep)?;
    let half = b.scalar(-0.5, f32_ty);
    let written = b.op("graph.greater", &[chosen, half], &[])?;
    let zero = b.scalar(0.0, f32_ty);
    let clamped = b.op("graph.max", &[chosen, zero], &[])?;
    let at = b.op("graph.cast", &[clamped], &[("to", Attribute::Type(TypeId::I64))])?;
    // Each row's update (row 0's where none writes it), then the data's row where none does.
    let mut update_rows = vec![count];
    update_rows.extend_from_slice(rest);
    let updates = b.reshape(updates, &update_rows);
    let gathered = b.op("graph.gather_nd", &[updates, at], &[])?;
    let mut data_rows = vec![rows];
    data_rows.extend_from_slice(rest);
    let flat = b.reshape(data, &data_rows);
    let mut mask_shape = vec![rows];
    mask_shape.extend(rest.iter().map(|_| 1));
    let mask = b.reshape(written, &mask_shape);
    let merged = b.op("graph.where", &[mask, gathered, flat], &[])?;
    Some(b.reshape(merged, &data_shape))
}

/// Local response normalisation across the channels (dimension 1), see the module docs.
fn lrn(b: &mut Builder<'_, '_>, x: ValueId, size: i64, alpha: f64, beta: f64, bias: f64) -> Option<ValueId> {
    let (shape, elem) = b.shape(x)?;
    if shape.len() < 2 || size < 1 {
        return None;
    }
    let channels = shape[1];
    let (before, after) = ((size - 1) / 2, size / 2);
    let square = b.op("graph.mul", &[x, x], &[])?;
    let pads = ("pads", Attribute::i64_array(&[before, after]));
    let padded = b.op("graph.pad", &[square], &[pads, ("axes", Attribute::i64_array(&[1]))])?;
    let mut window = Vec::new();
    for k in 0..size {
        let slice = [
            ("starts", Attribute::i64_array(&[k])),
            ("ends", Attribute::i64_array(&[k + channels])),
            ("axes", Attribute::i64_array(&[1])),
        ];
        window.push(b.op("graph.slice", &[padded], &slice)?);
    }
    let sum = sum(b, &window, false)?;
    let scale = b.scalar(alpha / size as f64, elem);
    let scaled = b.op("graph.mul", &[sum, scale], &[])?;
    let offset = b.scalar(bias, elem);
    let base = b.op("graph.add", &[scaled, offset], &[])?;
    let exponent = b.scalar(beta, elem);
    let denominator = b.op("graph.pow", &[base, exponent], &[])?;
    b.op("graph.div", &[x, denominator], &[])
}

/// OneHot, see the module docs; `axis` places the new axis (default last).
fn one_hot(
    b: &mut Builder<'_, '_>,
    indices: ValueId,
    values: ValueId,
    depth: i64,
    axis: Option<Attribute>,
) -> Option<ValueId> {
    let (index_shape, index_elem) = b.shape(indices)?;
    if depth < 1 || !b.rw.type_data(index_elem).is_integer() {
        return None;
    }
    let rank = index_shape.len() as i64 + 1;
    let axis = axis.and_then(|a| a.as_int()).unwrap_or(-1);
    let axis = if axis < 0 { axis + rank } else { axis } as usize;
    // The indices with a size-1 axis where the new one goes, negative ones counted from depth.
    let mut expanded = index_shape.clone();
    expanded.insert(axis, 1);
    let column = b.reshape(indices, &expanded);
    let scalar_ty = b.rw.context_mut().tensor_type(&[1], index_elem);
    let int = |value: i64| Attribute::Int { value, ty: index_elem };
    let zero = b.typed("graph.constant", &[], scalar_ty, &[("splat", int(0))]);
    let size = b.typed("graph.constant", &[], scalar_ty, &[("splat", int(depth))]);
    let negative = b.op("graph.less", &[column, zero], &[])?;
    let wrapped = b.op("graph.add", &[column, size], &[])?;
    let normal = b.op("graph.where", &[negative, wrapped, column], &[])?;
    let mut iota_shape = vec![1; rank as usize];
    iota_shape[axis] = depth;
    let iota_ty = b.rw.context_mut().tensor_type(&iota_shape, index_elem);
    let iota = b.typed("graph.constant", &[], iota_ty, &[("value", Attribute::array((0..depth).map(int)))]);
    let hot = b.op("graph.equal", &[normal, iota], &[])?;
    // values = [off, on], one element each.
    let pick = |b: &mut Builder<'_, '_>, k: i64| {
        let slice = [("starts", Attribute::i64_array(&[k])), ("ends", Attribute::i64_array(&[k + 1]))];
        b.op("graph.slice", &[values], &slice)
    };
    let (off, on) = (pick(b, 0)?, pick(b, 1)?);
    b.op("graph.where", &[hot, on, off], &[])
}
