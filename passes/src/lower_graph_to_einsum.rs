//! `lower-graph-to-einsum`: rewrites every compute op of the graph dialect as an `einsum.op`
//! loop nest (convolution as N,K,C,P,Q,R,S with `h = stride·p + dilation·r − pad`; matmul as
//! batch,M,N,K; elementwise ops over the result's dimensions with broadcasting maps; reductions,
//! normalisations and data movement with their access maps). Weights and constants stay graph
//! ops; `graph.identity` disappears. Biases become a separate elementwise einsum after the MAC.
//! A composite op becomes the einsums of its steps, each with the composite as `source` and
//! its step as `part`: `graph.attention` as the scores Q·Kᵀ (`mac`), their scale, the mask,
//! the softmax, the NaN guard when it has one, and the context P·V (`mac`).

use dnnc_ir::pass::PassOptions;
use dnnc_ir::{
    AffineBinOp, AffineExpr, AffineMap, Attribute, Changed, Context, Diagnostic, Diagnostics, OpId, OperationState,
    Pass, PassContext, PassInfo, TypeId, ValueId,
};

pub static INFO: PassInfo = PassInfo {
    argument: "lower-graph-to-einsum",
    summary: "Lower graph-dialect compute ops to einsum loop nests",
    description: "Every graph op except weights and constants becomes one or more `einsum.op`s \
        whose dims, sizes and affine operand maps describe the computation; the MAC count of a \
        network is the sum of the iteration-space sizes of its `mac` einsums. A composite op \
        becomes the einsums of its steps, all with the composite as `source` and each with its \
        step as `part`: `graph.attention` as the scores Q·Kᵀ (`mac`), their scale, the mask, \
        the softmax, the NaN guard when it has one, and the context P·V (`mac`), so its MACs \
        are those of the two matmuls it replaced. An op the pass cannot lower is an error \
        naming it.",
    anchor: None,
    options: &[],
    statistics: &[("lowered", "graph ops lowered"), ("einsums", "einsum ops created")],
    create,
};

fn create(_: &PassOptions) -> Result<Box<dyn Pass>, String> {
    Ok(Box::new(LowerGraphToEinsum))
}

struct LowerGraphToEinsum;

impl Pass for LowerGraphToEinsum {
    fn run(&mut self, cx: &mut Context, root: OpId, pcx: &mut PassContext) -> Result<Changed, Diagnostics> {
        let ops: Vec<OpId> = cx
            .nested_ops(root)
            .into_iter()
            .filter(|&o| cx.name(o).starts_with("graph.") && !cx.is(o, "graph.weight") && !cx.is(o, "graph.constant"))
            .collect();
        let mut created = 0;
        // Every op the pass cannot lower is reported, not just the first.
        let mut failed = Vec::new();
        for &op in &ops {
            let mut b = Builder { cx, anchor: op, created: 0 };
            let lowered = b.lower();
            created += b.created;
            let results = match lowered {
                Ok(results) => results,
                Err(m) => {
                    failed.push(Diagnostic::at_op(cx, op, m));
                    continue;
                }
            };
            let old: Vec<ValueId> = cx.results(op).collect();
            for (from, to) in old.into_iter().zip(results) {
                cx.replace_all_uses(from, to);
            }
            cx.erase_op(op);
        }
        if !failed.is_empty() {
            return Err(failed);
        }
        pcx.add_stat("lowered", ops.len() as u64);
        pcx.add_stat("einsums", created);
        Ok((!ops.is_empty()).into())
    }
}

/// Creates the einsums for one graph op, right before it.
struct Builder<'a> {
    cx: &'a mut Context,
    anchor: OpId,
    created: u64,
}

fn d(i: usize) -> AffineExpr {
    AffineExpr::Dim(i as u32)
}

fn c(v: i64) -> AffineExpr {
    AffineExpr::Const(v)
}

/// `a + b`, `a * k`: affine arithmetic on expressions built here (no overflow possible for
/// tensor-sized constants; falls back to the unsimplified form otherwise).
fn add(a: AffineExpr, b: AffineExpr) -> AffineExpr {
    AffineExpr::binary(AffineBinOp::Add, a.clone(), b.clone()).unwrap_or(AffineExpr::Add(Box::new(a), Box::new(b)))
}

fn mul(a: AffineExpr, k: i64) -> AffineExpr {
    AffineExpr::binary(AffineBinOp::Mul, a.clone(), c(k)).unwrap_or(AffineExpr::Mul(Box::new(a), Box::new(c(k))))
}

/// The leading dims of a (transposed) convolution, `N, [G,] K, C` (`G` only with groups), and
/// how a channel is addressed through them.
struct GroupedChannels {
    dims: Vec<String>,
    sizes: Vec<i64>,
    /// Dim indices of the group (when grouped), the output channel within it, and the input
    /// channel within it.
    g: Option<usize>,
    k: usize,
    c: usize,
}

impl GroupedChannels {
    fn new(batch: i64, group: i64, k_per_group: i64, c_per_group: i64) -> Self {
        let grouped = group > 1;
        let mut dims = vec!["N".to_string()];
        let mut sizes = vec![batch];
        if grouped {
            dims.push("G".into());
            sizes.push(group);
        }
        dims.extend(["K".to_string(), "C".to_string()]);
        sizes.extend([k_per_group, c_per_group]);
        let (g, k, c) = if grouped { (Some(1), 2, 3) } else { (None, 1, 2) };
        GroupedChannels { dims, sizes, g, k, c }
    }

    /// Channel `g · per_group + local`. With one channel per group (a depthwise convolution)
    /// the local index is always 0 and the channel is the group, so the access stays a
    /// projection that a stream can follow.
    fn channel(&self, per_group: i64, local: usize) -> AffineExpr {
        match (self.g, per_group) {
            (None, _) => d(local),
            (Some(g), 1) => d(g),
            (Some(g), _) => add(mul(d(g), per_group), d(local)),
        }
    }
}

/// ONNX Resize's input coordinate for output index `x` of an axis resized from `n_in` to
/// `n_out` at `scale`, under coordinate transformation `ctm`.
fn source_coordinate(x: i64, n_in: i64, n_out: i64, scale: f64, ctm: &str) -> Result<f64, String> {
    let xf = x as f64;
    Ok(match ctm {
        "half_pixel" => (xf + 0.5) / scale - 0.5,
        "pytorch_half_pixel" if n_out > 1 => (xf + 0.5) / scale - 0.5,
        "pytorch_half_pixel" => 0.0,
        "align_corners" if n_out > 1 => xf * (n_in - 1) as f64 / (n_out - 1) as f64,
        "align_corners" => 0.0,
        "asymmetric" => xf / scale,
        "tf_half_pixel_for_nn" => (xf + 0.5) / scale,
        other => return Err(format!("resize coordinate_transformation_mode {other:?} is not supported")),
    })
}

/// ONNX Resize's linear interpolation along one axis as a matrix `[n_out, n_in]`, row-major:
/// each output index weighs the two input indices around its source coordinate (clamped to
/// the axis, so edges repeat).
fn linear_weights(n_in: i64, n_out: i64, scale: f64, ctm: &str) -> Result<Vec<f64>, String> {
    let mut w = vec![0.0; (n_out * n_in) as usize];
    for x in 0..n_out {
        let src = source_coordinate(x, n_in, n_out, scale, ctm)?.clamp(0.0, (n_in - 1) as f64);
        let i0 = src.floor() as i64;
        let i1 = (i0 + 1).min(n_in - 1);
        let frac = src - i0 as f64;
        w[(x * n_in + i0) as usize] += 1.0 - frac;
        w[(x * n_in + i1) as usize] += frac;
    }
    Ok(w)
}

/// ONNX Resize's cubic interpolation along one axis as a matrix `[n_out, n_in]`, row-major:
/// each output index weighs the four input indices `⌊x⌋ − 1 … ⌊x⌋ + 2` around its source
/// coordinate `x` with Keys' cubic convolution kernel of coefficient `a` (−0.75 by default,
/// PyTorch's bicubic; −0.5 is TensorFlow's). Neighbours outside the axis repeat its edge, or,
/// with `exclude_outside`, weigh nothing and the other weights are renormalised. A whole
/// source coordinate takes that input exactly (ONNX's ratio of 1 on the left neighbour).
fn cubic_weights(
    n_in: i64,
    n_out: i64,
    scale: f64,
    ctm: &str,
    a: f64,
    exclude_outside: bool,
) -> Result<Vec<f64>, String> {
    let kernel = |t: f64| -> f64 {
        let t = t.abs();
        if t <= 1.0 {
            ((a + 2.0) * t - (a + 3.0)) * t * t + 1.0
        } else if t < 2.0 {
            ((a * t - 5.0 * a) * t + 8.0 * a) * t - 4.0 * a
        } else {
            0.0
        }
    };
    let mut w = vec![0.0; (n_out * n_in) as usize];
    for x in 0..n_out {
        let src = source_coordinate(x, n_in, n_out, scale, ctm)?;
        let base = src.floor() as i64;
        let taps: Vec<(i64, f64)> = (-1..=2).map(|k| (base + k, kernel(src - (base + k) as f64))).collect();
        let kept = |i: i64| !exclude_outside || (0..n_in).contains(&i);
        let total: f64 = taps.iter().filter(|&&(i, _)| kept(i)).map(|&(_, c)| c).sum();
        for (i, c) in taps {
            if kept(i) {
                let c = if exclude_outside { c / total } else { c };
                w[(x * n_in + i.clamp(0, n_in - 1)) as usize] += c;
            }
        }
    }
    Ok(w)
}

/// ONNX Resize's nearest input index for output index `x` of an axis resized from `n_in` to
/// `n_out` at `scale`.
fn nearest_sample(x: i64, n_in: i64, n_out: i64, scale: f64, ctm: &str, nearest: &str) -> Result<i64, String> {
    let original = source_coordinate(x, n_in, n_out, scale, ctm)?;
    let index = match nearest {
        "round_prefer_floor" => {
            if original.fract() == 0.5 {
                original.floor()
            } else {
                original.round()
            }
        }
        "round_prefer_ceil" => original.round(),
        "floor" => original.floor(),
        "ceil" => original.ceil(),
        other => return Err(format!("resize nearest_mode {other:?} is not supported")),
    };
    Ok((index as i64).clamp(0, n_in - 1))
}

/// Dimension names `prefix0, prefix1, …` (or just `prefix` for one).
fn names(prefix: &str, n: usize) -> Vec<String> {
    if n == 1 { vec![prefix.to_string()] } else { (0..n).map(|i| format!("{prefix}{i}")).collect() }
}

/// The map reading an operand of `shape` broadcast (numpy rules, aligned right) to an
/// iteration space whose first `out.len()` dims are the result's.
fn broadcast_map(n_dims: usize, shape: &[i64], out: &[i64]) -> AffineMap {
    let offset = out.len() - shape.len().min(out.len());
    let results = shape
        .iter()
        .enumerate()
        .map(|(j, &s)| if s == 1 && out.get(offset + j).is_some_and(|&o| o != 1) { c(0) } else { d(offset + j) })
        .collect();
    AffineMap::new(n_dims as u32, 0, results)
}

/// Maps result indices of shape `out` to the indices of the same elements in shape `input`
/// (row-major reinterpretation): dimension groups with equal products map directly when one
/// side has a single dimension, through linearisation otherwise.
fn reshape_map(input: &[i64], out: &[i64]) -> AffineMap {
    let mut results = Vec::with_capacity(input.len());
    let (mut i, mut o) = (0, 0);
    while i < input.len() {
        // Size-1 dimensions carry no index.
        if input[i] == 1 {
            results.push(c(0));
            i += 1;
            continue;
        }
        if o < out.len() && out[o] == 1 {
            o += 1;
            continue;
        }
        // The smallest groups input[i..i2], out[o..o2] holding the same number of elements.
        let (mut i2, mut o2) = (i + 1, o + 1);
        let (mut pi, mut po) = (input[i], out.get(o).copied().unwrap_or(0));
        while pi != po && pi > 0 && po > 0 {
            if pi < po && i2 < input.len() {
                pi *= input[i2];
                i2 += 1;
            } else if po < pi && o2 < out.len() {
                po *= out[o2];
                o2 += 1;
            } else {
                break;
            }
        }
        let linear = (o..o2.min(out.len())).fold(c(0), |acc, k| add(mul(acc, out[k]), d(k)));
        let mut stride = pi;
        for (j, &size) in input[i..i2].iter().enumerate() {
            stride /= size.max(1);
            let mut e = linear.clone();
            if stride > 1 {
                e = AffineExpr::binary(AffineBinOp::FloorDiv, e, c(stride)).unwrap_or(c(0));
            }
            if j > 0 {
                e = AffineExpr::binary(AffineBinOp::Mod, e, c(size)).unwrap_or(c(0));
            }
            results.push(if size == 1 { c(0) } else { e });
        }
        (i, o) = (i2, o2);
    }
    AffineMap::new(out.len() as u32, 0, results)
}

impl Builder<'_> {
    fn shape(&self, v: ValueId) -> Vec<i64> {
        self.cx.tensor_shape(self.cx.value_type(v)).map(|(s, _)| s.to_vec()).unwrap_or_default()
    }

    fn int(&self, key: &str, default: i64) -> i64 {
        self.cx.attr(self.anchor, key).and_then(Attribute::as_int).unwrap_or(default)
    }

    /// The `axis` attribute (default `default`) normalised for a tensor of `rank`.
    fn axis(&self, default: i64, rank: usize) -> usize {
        let axis = self.int("axis", default);
        (if axis < 0 { axis + rank as i64 } else { axis }) as usize
    }

    fn ints(&self, key: &str) -> Option<Vec<i64>> {
        self.cx.attr(self.anchor, key).and_then(Attribute::as_int_array)
    }

    fn result_type(&self, i: usize) -> TypeId {
        self.cx.value_type(self.cx.result(self.anchor, i))
    }

    /// Type and shape of the anchor's result `i`.
    fn result(&self, i: usize) -> (TypeId, Vec<i64>) {
        let ty = self.result_type(i);
        (ty, self.shape(self.cx.result(self.anchor, i)))
    }

    /// Creates one einsum before the anchor and returns its result.
    #[allow(clippy::too_many_arguments)]
    fn einsum(
        &mut self,
        kind: &str,
        dims: &[String],
        sizes: &[i64],
        operands: &[ValueId],
        maps: Vec<AffineMap>,
        ty: TypeId,
        extra: &[(&str, Attribute)],
    ) -> ValueId {
        let name = self.cx.op_name(dnnc_einsum::OP);
        let source = self.cx.name(self.anchor).to_string();
        let mut state = OperationState::new(name)
            .operands(operands.iter().copied())
            .results([ty])
            .attr("kind", Attribute::string(kind))
            .attr("dims", Attribute::array(dims.iter().map(|n| Attribute::string(n.as_str()))))
            .attr("sizes", Attribute::i64_array(sizes))
            .attr("maps", Attribute::array(maps.into_iter().map(Attribute::affine_map)))
            .attr("source", Attribute::string(source))
            .loc(self.cx.loc(self.anchor).clone());
        let source_attrs = self.cx.attrs(self.anchor);
        if !source_attrs.is_empty() {
            state = state.attr("source_attrs", Attribute::Dict(std::sync::Arc::new(source_attrs.clone())));
        }
        for (k, v) in extra {
            state = state.attr(k, v.clone());
        }
        let op = self.cx.create_op(state);
        self.cx.set_source_pos(op, self.cx.source_pos(self.anchor));
        self.cx.insert_op_before(self.anchor, op);
        self.created += 1;
        self.cx.result(op, 0)
    }

    /// A `graph.constant` of type `ty` holding `value` under `key` (`value`: the elements;
    /// `splat`: one value for all), before the op being lowered.
    fn constant(&mut self, ty: TypeId, key: &str, value: Attribute) -> ValueId {
        let name = self.cx.op_name("graph.constant");
        let op = self.cx.create_op(OperationState::new(name).results([ty]).attr(key, value));
        self.cx.insert_op_before(self.anchor, op);
        self.cx.result(op, 0)
    }

    /// A constant of type `ty` with every element `value` (truncated for an integer type).
    fn splat(&mut self, ty: TypeId, value: f64) -> ValueId {
        let elem = self.cx.element_type(ty);
        let v = if self.cx.type_data(elem).is_float() {
            Attribute::Float { value, ty: elem }
        } else {
            Attribute::Int { value: value as i64, ty: elem }
        };
        self.constant(ty, "splat", v)
    }

    /// A data-movement einsum over the dimensions `D0, …` of `out`.
    fn data_movement(
        &mut self,
        out: &[i64],
        operands: &[ValueId],
        maps: Vec<AffineMap>,
        ty: TypeId,
        extra: &[(&str, Attribute)],
    ) -> ValueId {
        self.einsum("data_movement", &names("D", out.len()), out, operands, maps, ty, extra)
    }

    /// An einsum over the result's dimensions `D0, …` reading each operand broadcast.
    fn elementwise(&mut self, kind: &str, operands: &[ValueId], extra: &[(&str, Attribute)]) -> ValueId {
        let (ty, out) = self.result(0);
        self.elementwise_over(kind, operands, &out, ty, extra)
    }

    /// An einsum over the dimensions `D0, …` of `out` (typed `ty`) reading each operand
    /// broadcast.
    fn elementwise_over(
        &mut self,
        kind: &str,
        operands: &[ValueId],
        out: &[i64],
        ty: TypeId,
        extra: &[(&str, Attribute)],
    ) -> ValueId {
        let n = out.len();
        let mut maps: Vec<AffineMap> = operands.iter().map(|&v| broadcast_map(n, &self.shape(v), out)).collect();
        maps.push(AffineMap::identity(n as u32));
        self.einsum(kind, &names("D", n), out, operands, maps, ty, extra)
    }

    fn lower(&mut self) -> Result<Vec<ValueId>, String> {
        let name = self.cx.name(self.anchor).strip_prefix("graph.").unwrap_or("").to_string();
        let operands: Vec<ValueId> = self.cx.operands(self.anchor).to_vec();
        Ok(vec![match name.as_str() {
            "identity" => operands[0],
            "relu" | "sigmoid" | "tanh" | "erf" | "sqrt" | "exp" | "log" | "neg" | "abs" | "floor" | "ceil"
            | "round" | "sign" | "reciprocal" | "cos" | "sin" | "gelu" | "silu" | "clip" | "leaky_relu"
            | "hard_sigmoid" | "hard_swish" | "softplus" | "elu" | "prelu" | "add" | "sub" | "mul" | "div" | "pow"
            | "max" | "min" | "equal" | "less" | "less_or_equal" | "greater" | "and" | "or" | "not" | "is_nan"
            | "where" | "expand" | "cast" | "trilu" => {
                let kind = if name == "expand" { "data_movement" } else { "elementwise" };
                self.elementwise(kind, &operands, &[])
            }
            "softmax" | "layer_normalization" | "rms_normalization" => {
                let rank = self.shape(operands[0]).len() as i64;
                let axis = self.axis(-1, rank as usize) as i64;
                let normalized: Vec<i64> = if name == "softmax" { vec![axis] } else { (axis..rank).collect() };
                self.elementwise("reduction", &operands, &[("normalized", Attribute::i64_array(&normalized))])
            }
            "batch_normalization" => {
                let out = self.shape(operands[0]);
                let n = out.len();
                let mut maps = vec![AffineMap::identity(n as u32)];
                maps.extend((1..5).map(|_| AffineMap::new(n as u32, 0, vec![d(1)])));
                maps.push(AffineMap::identity(n as u32));
                let ty = self.result_type(0);
                self.einsum("elementwise", &names("D", n), &out, &operands, maps, ty, &[])
            }
            "reduce_mean" | "reduce_sum" | "reduce_max" => {
                let input = self.shape(operands[0]);
                let n = input.len();
                let axes: Vec<usize> = match self.ints("axes") {
                    Some(a) => a.iter().map(|&a| if a < 0 { (a + n as i64) as usize } else { a as usize }).collect(),
                    None => (0..n).collect(),
                };
                let keep = self.int("keepdims", 1) != 0;
                let out = (0..n).filter_map(|k| match (axes.contains(&k), keep) {
                    (false, _) => Some(d(k)),
                    (true, true) => Some(c(0)),
                    (true, false) => None,
                });
                let maps = vec![AffineMap::identity(n as u32), AffineMap::new(n as u32, 0, out.collect())];
                let ty = self.result_type(0);
                self.einsum("reduction", &names("D", n), &input, &operands, maps, ty, &[])
            }
            "matmul" => {
                let (ty, out) = self.result(0);
                self.matmul(operands[0], operands[1], false, &out, ty, &[])
            }
            "attention" => self.attention(&operands)?,
            "gemm" => self.gemm(&operands),
            "conv" => self.conv(&operands)?,
            "conv_transpose" => self.conv_transpose(&operands)?,
            "max_pool" | "average_pool" => self.pool(&operands),
            "global_average_pool" => {
                let input = self.shape(operands[0]);
                let n = input.len();
                let out = (0..n).map(|k| if k < 2 { d(k) } else { c(0) }).collect();
                let maps = vec![AffineMap::identity(n as u32), AffineMap::new(n as u32, 0, out)];
                let ty = self.result_type(0);
                let mut dims = vec!["N".to_string(), "C".to_string()];
                dims.extend(names("H", n - 2));
                self.einsum("reduction", &dims, &input, &operands, maps, ty, &[])
            }
            "transpose" => {
                let (ty, out) = self.result(0);
                let perm = self.ints("perm").unwrap_or_else(|| (0..out.len() as i64).rev().collect());
                let input_map =
                    (0..perm.len()).map(|j| d(perm.iter().position(|&p| p == j as i64).unwrap_or(0))).collect();
                let n = out.len() as u32;
                let maps = vec![AffineMap::new(n, 0, input_map), AffineMap::identity(n)];
                self.data_movement(&out, &operands, maps, ty, &[])
            }
            "reshape" | "flatten" | "squeeze" | "unsqueeze" => {
                let (ty, out) = self.result(0);
                let maps = vec![reshape_map(&self.shape(operands[0]), &out), AffineMap::identity(out.len() as u32)];
                self.data_movement(&out, &operands, maps, ty, &[])
            }
            "slice" => {
                let input = self.shape(operands[0]);
                let (ty, out) = self.result(0);
                let starts = self.ints("starts").unwrap_or_default();
                let axes = self.ints("axes").unwrap_or_else(|| (0..starts.len() as i64).collect());
                let steps = self.ints("steps").unwrap_or_else(|| vec![1; starts.len()]);
                let mut map: Vec<AffineExpr> = (0..out.len()).map(d).collect();
                for k in 0..starts.len() {
                    let a = if axes[k] < 0 { axes[k] + input.len() as i64 } else { axes[k] } as usize;
                    let n = input[a];
                    let (lo, hi) = if steps[k] > 0 { (0, n) } else { (-1, n - 1) };
                    let start = (if starts[k] < 0 { starts[k].saturating_add(n) } else { starts[k] }).clamp(lo, hi);
                    map[a] = add(mul(d(a), steps[k]), c(start));
                }
                let maps = vec![AffineMap::new(out.len() as u32, 0, map), AffineMap::identity(out.len() as u32)];
                self.data_movement(&out, &operands, maps, ty, &[])
            }
            "cumsum" => {
                // Σ_j x[.., j, ..] · mask[i, j], mask the triangle of ones the sum runs over: j ≤ i
                // (j < i exclusive; j ≥ i, j > i reversed) — a MAC over a constant the
                // existing trilu einsum cuts from a splat of ones.
                let x = self.shape(operands[0]);
                let (ty, out) = self.result(0);
                let rank = x.len();
                let axis = self.axis(0, rank);
                let n = x[axis];
                let elem = self.cx.element_type(ty);
                let (exclusive, reverse) = (self.int("exclusive", 0) != 0, self.int("reverse", 0) != 0);
                let square = self.cx.tensor_type(&[n, n], elem);
                let ones = self.splat(square, 1.0);
                let id2 = AffineMap::identity(2);
                let mask =
                    self.einsum("elementwise", &names("D", 2), &[n, n], &[ones], vec![id2.clone(), id2], square, &[]);
                let (upper, k) = match (reverse, exclusive) {
                    (false, false) => (0, 0),
                    (false, true) => (0, -1),
                    (true, false) => (1, 0),
                    (true, true) => (1, 1),
                };
                let mask_op = self.cx.defining_op(mask).expect("just created");
                let mut tri = dnnc_ir::AttrDict::default();
                tri.insert("upper".into(), Attribute::i64(upper));
                tri.insert("k".into(), Attribute::i64(k));
                self.cx.set_attr(mask_op, "source", Attribute::string("graph.trilu"));
                self.cx.set_attr(mask_op, "source_attrs", Attribute::Dict(std::sync::Arc::new(tri)));
                self.along_axis(operands[0], mask, axis, &out, n, ty)
            }
            "tile" => {
                let input = self.shape(operands[0]);
                let (ty, out) = self.result(0);
                // Copy k of axis a reads element `d mod n`.
                let map = (0..out.len())
                    .map(|a| {
                        if out[a] == input[a] {
                            d(a)
                        } else {
                            AffineExpr::binary(AffineBinOp::Mod, d(a), c(input[a])).unwrap_or(c(0))
                        }
                    })
                    .collect();
                let maps = vec![AffineMap::new(out.len() as u32, 0, map), AffineMap::identity(out.len() as u32)];
                self.data_movement(&out, &operands, maps, ty, &[])
            }
            "pad" => {
                let input = self.shape(operands[0]);
                let (ty, out) = self.result(0);
                let mode = self.cx.attr(self.anchor, "mode").and_then(Attribute::as_str).unwrap_or("constant");
                let value = self.cx.attr(self.anchor, "value").and_then(Attribute::as_float).unwrap_or(0.0);
                let pads = self.ints("pads").unwrap_or_default();
                let amounts = dnnc_graph::pad_amounts(input.len(), &pads, self.ints("axes").as_deref())?;
                if mode != "constant" || value != 0.0 {
                    let mode = mode.to_string();
                    return self.border_pad(operands[0], &input, &amounts, &mode, value).map(|v| vec![v]);
                }
                // Out of range reads of a data movement give 0: the padding.
                let map = amounts.iter().enumerate().map(|(a, &(begin, _))| add(d(a), c(-begin))).collect();
                let maps = vec![AffineMap::new(out.len() as u32, 0, map), AffineMap::identity(out.len() as u32)];
                self.data_movement(&out, &operands, maps, ty, &[])
            }
            "resize" => {
                let input = self.shape(operands[0]);
                let (ty, out) = self.result(0);
                let text = |k: &str, default: &'static str| -> String {
                    self.cx.attr(self.anchor, k).and_then(Attribute::as_str).unwrap_or(default).to_string()
                };
                let (mode, ctm, nearest) = (
                    text("mode", "nearest"),
                    text("coordinate_transformation_mode", "half_pixel"),
                    text("nearest_mode", "round_prefer_floor"),
                );
                let scales: Option<Vec<f64>> = self
                    .cx
                    .attr(self.anchor, "scales")
                    .and_then(Attribute::as_array)
                    .map(|a| a.iter().filter_map(Attribute::as_float).collect());
                let axes: Vec<usize> = match self.ints("axes") {
                    Some(a) => {
                        a.iter().map(|&a| if a < 0 { (a + input.len() as i64) as usize } else { a as usize }).collect()
                    }
                    None => (0..input.len()).collect(),
                };
                let mut map: Vec<AffineExpr> = (0..out.len()).map(d).collect();
                let mut linear_axes = Vec::new();
                // Nearest samples along axes of no whole-number factor: gathered by index.
                let mut gathered = Vec::new();
                for a in 0..out.len() {
                    let (n_in, n_out) = (input[a], out[a]);
                    // The scale the coordinate transformation divides by: the given one, or
                    // the size ratio when sizes were given.
                    let scale = match (&scales, axes.iter().position(|&x| x == a)) {
                        (Some(sc), Some(k)) if k < sc.len() => sc[k],
                        _ => n_out as f64 / n_in as f64,
                    };
                    if n_in == n_out && scale == 1.0 {
                        continue;
                    }
                    if mode == "linear" || mode == "cubic" {
                        if self.int("antialias", 0) != 0 && n_out < n_in {
                            return Err(format!("antialiased {mode} downsampling is not supported"));
                        }
                        linear_axes.push((a, scale));
                        continue;
                    }
                    if mode != "nearest" {
                        return Err(format!("resize mode {mode:?} is not supported (nearest, linear and cubic are)"));
                    }
                    let sample = (0..n_out)
                        .map(|x| nearest_sample(x, n_in, n_out, scale, &ctm, &nearest))
                        .collect::<Result<Vec<i64>, String>>()?;
                    map[a] = if n_out % n_in == 0
                        && sample.iter().enumerate().all(|(x, &i)| i == x as i64 / (n_out / n_in))
                    {
                        AffineExpr::binary(AffineBinOp::FloorDiv, d(a), c(n_out / n_in)).unwrap_or(c(0))
                    } else if n_in % n_out == 0
                        && sample.iter().enumerate().all(|(x, &i)| i == x as i64 * (n_in / n_out))
                    {
                        mul(d(a), n_in / n_out)
                    } else {
                        gathered.push((a, sample));
                        d(a)
                    };
                }
                if mode == "linear" || mode == "cubic" {
                    let cubic = (mode == "cubic").then(|| {
                        let a = self.cx.attr(self.anchor, "cubic_coeff_a").and_then(Attribute::as_float);
                        (a.unwrap_or(-0.75), self.int("exclude_outside", 0) != 0)
                    });
                    return self
                        .interpolating_resize(operands[0], &input, &out, &linear_axes, &ctm, cubic)
                        .map(|v| vec![v]);
                }
                if gathered.is_empty() {
                    let maps = vec![AffineMap::new(out.len() as u32, 0, map), AffineMap::identity(out.len() as u32)];
                    return Ok(vec![self.data_movement(&out, &operands, maps, ty, &[])]);
                }
                // The whole-number axes by their maps first (when there are any), then a gather
                // of the sampled indices per other axis.
                let elem = self.cx.element_type(ty);
                let mut shape = input.clone();
                let mut current = operands[0];
                if map.iter().enumerate().any(|(a, e)| *e != d(a)) {
                    for (a, s) in shape.iter_mut().enumerate() {
                        if !gathered.iter().any(|&(g, _)| g == a) {
                            *s = out[a];
                        }
                    }
                    let in_map = (0..shape.len())
                        .map(|a| if gathered.iter().any(|&(g, _)| g == a) { d(a) } else { map[a].clone() })
                        .collect();
                    let maps =
                        vec![AffineMap::new(shape.len() as u32, 0, in_map), AffineMap::identity(shape.len() as u32)];
                    let ty = self.cx.tensor_type(&shape, elem);
                    current = self.data_movement(&shape, &[current], maps, ty, &[]);
                }
                for (a, sample) in gathered {
                    shape[a] = out[a];
                    let ty = self.cx.tensor_type(&shape, elem);
                    current = self.gather_constant_indices(current, a, &sample, &shape, ty);
                }
                current
            }
            "concat" => {
                let (ty, out) = self.result(0);
                let axis = self.axis(0, out.len());
                let sizes: Vec<i64> = operands.iter().map(|&v| self.shape(v)[axis]).collect();
                self.concat_along(&operands, &sizes, axis, &out, ty)
            }
            "split" => return Ok(self.split(&operands)),
            "einsum" => self.einsum_equation(&operands)?,
            "gather" => {
                let data = self.shape(operands[0]);
                let indices = self.shape(operands[1]);
                let (ty, out) = self.result(0);
                let axis = self.axis(0, data.len());
                let n = out.len() as u32;
                let data_map = (0..data.len())
                    .map(|j| match j.cmp(&axis) {
                        std::cmp::Ordering::Less => d(j),
                        std::cmp::Ordering::Equal => c(0),
                        std::cmp::Ordering::Greater => d(j + indices.len() - 1),
                    })
                    .collect();
                let index_map = (0..indices.len()).map(|j| d(axis + j)).collect();
                let maps =
                    vec![AffineMap::new(n, 0, data_map), AffineMap::new(n, 0, index_map), AffineMap::identity(n)];
                let indirect = Attribute::i64_array(&[0, axis as i64]);
                self.data_movement(&out, &operands, maps, ty, &[("indirect", indirect)])
            }
            "gather_nd" => {
                // With index tuples of length 1 (Falcon's K/V heads picked out of its fused
                // projection) this is a gather along axis 0 whose indices carry a trailing 1;
                // graph-canonicalize rewrites longer tuples into such a gather.
                let data = self.shape(operands[0]);
                let indices = self.shape(operands[1]);
                if indices.last() != Some(&1) {
                    return Err(format!(
                        "gather_nd with index tuples of length {:?} is not supported here (length 1 is; graph-canonicalize \
                         rewrites longer ones)",
                        indices.last()
                    ));
                }
                let (ty, out) = self.result(0);
                let batch = indices.len() - 1;
                let n = out.len() as u32;
                let data_map = (0..data.len()).map(|j| if j == 0 { c(0) } else { d(batch + j - 1) }).collect();
                let index_map = (0..indices.len()).map(|j| if j < batch { d(j) } else { c(0) }).collect();
                let maps =
                    vec![AffineMap::new(n, 0, data_map), AffineMap::new(n, 0, index_map), AffineMap::identity(n)];
                let indirect = Attribute::i64_array(&[0, 0]);
                self.data_movement(&out, &operands, maps, ty, &[("indirect", indirect)])
            }
            "gather_elements" => {
                let (ty, out) = self.result(0);
                let axis = self.axis(0, out.len());
                let n = out.len() as u32;
                let data_map = (0..out.len()).map(|j| if j == axis { c(0) } else { d(j) }).collect();
                let maps = vec![AffineMap::new(n, 0, data_map), AffineMap::identity(n), AffineMap::identity(n)];
                let indirect = Attribute::i64_array(&[0, axis as i64]);
                self.data_movement(&out, &operands, maps, ty, &[("indirect", indirect)])
            }
            other => return Err(format!("'graph.{other}' cannot be lowered to einsum yet")),
        }])
    }

    /// Batched matmul `a·b` (or `a·bᵀ` when `b_transposed`, exchanging b's last two
    /// dimensions) as (batch…, M, N, K) with result shape `out` typed `ty`, promoting vectors
    /// as numpy does.
    fn matmul(
        &mut self,
        lhs: ValueId,
        rhs: ValueId,
        b_transposed: bool,
        out: &[i64],
        ty: TypeId,
        extra: &[(&str, Attribute)],
    ) -> ValueId {
        let (a, b) = (self.shape(lhs), self.shape(rhs));
        let (has_m, has_n) = (a.len() > 1, b.len() > 1);
        let batch = out.len() - usize::from(has_m) - usize::from(has_n);
        let m = if has_m { a[a.len() - 2] } else { 1 };
        let n = match (has_n, b_transposed) {
            (false, _) => 1,
            (true, false) => b[b.len() - 1],
            (true, true) => b[b.len() - 2],
        };
        let k = a[a.len() - 1];
        let mut dims = names("B", batch);
        let mut sizes = out[..batch].to_vec();
        dims.extend(["M", "N", "K"].map(String::from));
        sizes.extend([m, n, k]);
        let (dm, dn, dk) = (batch, batch + 1, batch + 2);
        let nd = dims.len();
        let batch_map = |shape: &[i64], core: usize| -> Vec<AffineExpr> {
            let own = shape.len() - core;
            (0..own)
                .map(|j| if shape[j] == 1 && out[batch - own + j] != 1 { c(0) } else { d(batch - own + j) })
                .collect()
        };
        let mut am = batch_map(&a, a.len().min(2));
        if has_m {
            am.push(d(dm));
        }
        am.push(d(dk));
        let mut bm = batch_map(&b, b.len().min(2));
        if has_n && b_transposed {
            bm.push(d(dn));
        }
        bm.push(d(dk));
        if has_n && !b_transposed {
            bm.push(d(dn));
        }
        let mut om: Vec<AffineExpr> = (0..batch).map(d).collect();
        if has_m {
            om.push(d(dm));
        }
        if has_n {
            om.push(d(dn));
        }
        let maps =
            vec![AffineMap::new(nd as u32, 0, am), AffineMap::new(nd as u32, 0, bm), AffineMap::new(nd as u32, 0, om)];
        self.einsum("mac", &dims, &sizes, &[lhs, rhs], maps, ty, extra)
    }

    /// Attention as the einsums it computes, each with `part` naming its step: the scores
    /// Q·Kᵀ (a `mac` einsum like the matmul it replaced), their scaling, the mask, the softmax
    /// over the last axis, the NaN guard (`nan_to_zero`), and the context P·V (`mac`).
    fn attention(&mut self, operands: &[ValueId]) -> Result<ValueId, String> {
        let (q, k, v) = (operands[0], operands[1], operands[2]);
        let k_transposed = self.int("k_transposed", 0) != 0;
        let mut kt = self.shape(k);
        if !k_transposed && kt.len() >= 2 {
            let n = kt.len();
            kt.swap(n - 2, n - 1);
        }
        let scores = dnnc_graph::shape::matmul(&self.shape(q), &kt)?;
        let elem = self.cx.element_type(self.cx.value_type(q));
        let sty = self.cx.tensor_type(&scores, elem);
        let part = |p: &str| [("part", Attribute::string(p))];
        let mut s = self.matmul(q, k, !k_transposed, &scores, sty, &part("scores"));
        s = self.elementwise_over("elementwise", &[s], &scores, sty, &part("scale"));
        if let Some(&mask) = operands.get(3) {
            s = self.elementwise_over("elementwise", &[s, mask], &scores, sty, &part("mask"));
        }
        let normalized = ("normalized", Attribute::i64_array(&[scores.len() as i64 - 1]));
        s = self.elementwise_over("reduction", &[s], &scores, sty, &[part("softmax")[0].clone(), normalized]);
        if self.int("nan_to_zero", 0) != 0 {
            s = self.elementwise_over("elementwise", &[s], &scores, sty, &part("nan_to_zero"));
        }
        let (ty, out) = self.result(0);
        Ok(self.matmul(s, v, false, &out, ty, &part("context")))
    }

    /// Gemm as (M, N, K), with its bias as an elementwise add.
    fn gemm(&mut self, operands: &[ValueId]) -> ValueId {
        let a = self.shape(operands[0]);
        let (ty, out) = self.result(0);
        let (ta, tb) = (self.int("transA", 0) != 0, self.int("transB", 0) != 0);
        let k = if ta { a[0] } else { a[1] };
        let dims: Vec<String> = ["M", "N", "K"].map(String::from).to_vec();
        let am = if ta { vec![d(2), d(0)] } else { vec![d(0), d(2)] };
        let bm = if tb { vec![d(1), d(2)] } else { vec![d(2), d(1)] };
        let maps = vec![AffineMap::new(3, 0, am), AffineMap::new(3, 0, bm), AffineMap::new(3, 0, vec![d(0), d(1)])];
        let product = self.einsum("mac", &dims, &[out[0], out[1], k], &operands[..2], maps, ty, &[]);
        match operands.get(2) {
            Some(&bias) => self.bias(product, bias, &out),
            None => product,
        }
    }

    /// `product + bias` (bias broadcast to `out`) as an elementwise einsum.
    fn bias(&mut self, product: ValueId, bias: ValueId, out: &[i64]) -> ValueId {
        let map = broadcast_map(out.len(), &self.shape(bias), out);
        self.add_through(product, bias, map, out)
    }

    /// `product + bias[map]` as an elementwise einsum over the `out`-shaped result.
    fn add_through(&mut self, product: ValueId, bias: ValueId, map: AffineMap, out: &[i64]) -> ValueId {
        let n = out.len();
        let maps = vec![AffineMap::identity(n as u32), map, AffineMap::identity(n as u32)];
        let ty = self.cx.value_type(product);
        self.einsum("elementwise", &names("D", n), out, &[product, bias], maps, ty, &[])
    }

    /// Convolution as (N, [G,] K, C, P…, R…): input `stride·p + dilation·r − pad`.
    fn conv(&mut self, operands: &[ValueId]) -> Result<ValueId, String> {
        let (x, w) = (self.shape(operands[0]), self.shape(operands[1]));
        let (ty, out) = self.result(0);
        let spatial = x.len() - 2;
        let group = self.int("group", 1);
        let strides = self.ints("strides").unwrap_or_else(|| vec![1; spatial]);
        let pads = self.ints("pads").unwrap_or_else(|| vec![0; 2 * spatial]);
        let dilations = self.ints("dilations").unwrap_or_else(|| vec![1; spatial]);
        let (k_per_group, c_per_group) = (w[0] / group, w[1]);
        let (outs, windows): (Vec<String>, Vec<String>) = if spatial == 2 {
            (vec!["P".into(), "Q".into()], vec!["R".into(), "S".into()])
        } else {
            (names("P", spatial), names("R", spatial))
        };
        let g = GroupedChannels::new(x[0], group, k_per_group, c_per_group);
        let (mut dims, mut sizes, base) = (g.dims.clone(), g.sizes.clone(), g.dims.len());
        dims.extend(outs);
        sizes.extend(&out[2..]);
        dims.extend(windows);
        sizes.extend(&w[2..]);
        let nd = dims.len() as u32;
        let (channel, dk, dc) = (|per_group, local| g.channel(per_group, local), g.k, g.c);
        let mut xm = vec![d(0), channel(c_per_group, dc)];
        for s in 0..spatial {
            let h = add(add(mul(d(base + s), strides[s]), mul(d(base + spatial + s), dilations[s])), c(-pads[s]));
            xm.push(h);
        }
        let mut wm = vec![channel(k_per_group, dk), d(dc)];
        wm.extend((0..spatial).map(|s| d(base + spatial + s)));
        let mut om = vec![d(0), channel(k_per_group, dk)];
        om.extend((0..spatial).map(|s| d(base + s)));
        let maps = vec![AffineMap::new(nd, 0, xm), AffineMap::new(nd, 0, wm), AffineMap::new(nd, 0, om)];
        let product = self.einsum("mac", &dims, &sizes, &operands[..2], maps, ty, &[]);
        Ok(self.channel_bias(product, operands.get(2).copied(), &out))
    }

    /// Linear or cubic resize of `x` (shape `input`) to `out` along `axes` ((axis, scale)
    /// pairs): one MAC per axis against its interpolation matrix (`linear_weights`, or
    /// `cubic_weights` when `cubic` gives the coefficient and `exclude_outside`), a constant,
    /// axis by axis, as separable bilinear, trilinear and bicubic interpolation are.
    fn interpolating_resize(
        &mut self,
        x: ValueId,
        input: &[i64],
        out: &[i64],
        axes: &[(usize, f64)],
        ctm: &str,
        cubic: Option<(f64, bool)>,
    ) -> Result<ValueId, String> {
        let elem = self.cx.element_type(self.result_type(0));
        let mut current = x;
        let mut shape = input.to_vec();
        for &(a, scale) in axes {
            let (n_in, n_out) = (input[a], out[a]);
            let weights = match cubic {
                Some((a, exclude_outside)) => cubic_weights(n_in, n_out, scale, ctm, a, exclude_outside)?,
                None => linear_weights(n_in, n_out, scale, ctm)?,
            };
            let w_ty = self.cx.tensor_type(&[n_out, n_in], elem);
            let values = Attribute::array(weights.iter().map(|&v| Attribute::Float { value: v, ty: elem }));
            let w = self.constant(w_ty, "value", values);
            shape[a] = n_out;
            let ty = self.cx.tensor_type(&shape, elem);
            current = self.along_axis(current, w, a, &shape, n_in, ty);
        }
        Ok(current)
    }

    /// Pad of `x` (shape `input`) by `amounts` ((begin, end) per axis) in `mode` `reflect`,
    /// `edge` or `wrap`, or `constant` with a non-zero `value`: axis by axis, the border before
    /// and after `x` is a data movement reading `x` mirrored (`begin − i`, `n − 2 − i`), at its
    /// edge (`0`, `n − 1`) or wrapped around (`n − begin + i`, `i`) — or a splat of `value` —
    /// and a concatenation joins the three. Zero padding (one offset read) does not come here.
    fn border_pad(
        &mut self,
        x: ValueId,
        input: &[i64],
        amounts: &[(i64, i64)],
        mode: &str,
        value: f64,
    ) -> Result<ValueId, String> {
        let elem = self.cx.element_type(self.result_type(0));
        let mut current = x;
        let mut shape = input.to_vec();
        for (axis, &(begin, end)) in amounts.iter().enumerate() {
            if (begin, end) == (0, 0) {
                continue;
            }
            let n = shape[axis];
            let fits = match mode {
                "reflect" => begin < n && end < n,
                "edge" => n > 0,
                "wrap" => begin <= n && end <= n,
                "constant" => true,
                other => return Err(format!("pad mode {other:?} is not supported")),
            };
            if begin < 0 || end < 0 || !fits {
                return Err(format!(
                    "{mode} pad of axis {axis} (size {n}) by ({begin}, {end}) is not supported: pads must be \
                     non-negative{}",
                    if mode == "reflect" { " and below the size" } else { " and at most the size" }
                ));
            }
            let rank = shape.len();
            // The border before `x` (side 0) and after it (side 1), where there is one.
            let mut border = [None, None];
            for (side, amount) in [(0, begin), (1, end)] {
                if amount == 0 {
                    continue;
                }
                let mut piece = shape.clone();
                piece[axis] = amount;
                let ty = self.cx.tensor_type(&piece, elem);
                let source = match (mode, side) {
                    ("reflect", 0) => add(mul(d(axis), -1), c(begin)),
                    ("reflect", _) => add(mul(d(axis), -1), c(n - 2)),
                    ("edge", 0) => c(0),
                    ("edge", _) => c(n - 1),
                    ("wrap", 0) => add(d(axis), c(n - begin)),
                    ("wrap", _) => d(axis),
                    _ => {
                        border[side] = Some((self.splat(ty, value), amount));
                        continue;
                    }
                };
                let map = (0..rank).map(|j| if j == axis { source.clone() } else { d(j) }).collect();
                let maps = vec![AffineMap::new(rank as u32, 0, map), AffineMap::identity(rank as u32)];
                border[side] = Some((self.data_movement(&piece, &[current], maps, ty, &[]), amount));
            }
            let [before, after] = border;
            let (parts, sizes): (Vec<ValueId>, Vec<i64>) =
                before.into_iter().chain([(current, n)]).chain(after).unzip();
            shape[axis] = n + begin + end;
            let ty = self.cx.tensor_type(&shape, elem);
            current = self.concat_along(&parts, &sizes, axis, &shape, ty);
        }
        Ok(current)
    }

    /// ONNX Einsum: one einsum per pair of operands, contracted left to right — a MAC summing
    /// the labels no later operand and not the result uses, keeping the others (in the result's
    /// order at the last step) — or, for one operand, a data movement (transpose, diagonal) or a
    /// reduction summing the labels the result drops. An operand's broadcast (size-1) ellipsis
    /// dimension is read at 0.
    fn einsum_equation(&mut self, operands: &[ValueId]) -> Result<ValueId, String> {
        use dnnc_graph::einsum_equation::{ELLIPSIS, Equation, Label};
        let equation = self.cx.attr(self.anchor, "equation").and_then(Attribute::as_str).unwrap_or("").to_string();
        let shapes: Vec<Vec<i64>> = operands.iter().map(|&v| self.shape(v)).collect();
        let refs: Vec<&[i64]> = shapes.iter().map(Vec::as_slice).collect();
        let eq = Equation::parse(&equation, &refs)?;
        let (ty, _) = self.result(0);
        let elem = self.cx.element_type(ty);
        let name = |l: Label| match char::from_u32(l) {
            Some(ch) if l < ELLIPSIS => ch.to_string(),
            _ => format!("E{}", l - ELLIPSIS),
        };
        // One einsum over `inputs` (values with their labels and shapes) keeping `keep`.
        let step = |this: &mut Self, inputs: &[(ValueId, &[Label], &[i64])], keep: &[Label], ty: TypeId| {
            let mut dims: Vec<Label> = keep.to_vec();
            for &(_, labels, _) in inputs {
                for &l in labels {
                    if !dims.contains(&l) {
                        dims.push(l);
                    }
                }
            }
            let n = dims.len() as u32;
            let position = |l: Label| dims.iter().position(|&x| x == l).unwrap_or(0);
            let mut maps: Vec<AffineMap> = inputs
                .iter()
                .map(|&(_, labels, shape)| {
                    let results = labels
                        .iter()
                        .zip(shape)
                        .map(|(&l, &size)| if size == 1 && eq.sizes[&l] > 1 { c(0) } else { d(position(l)) })
                        .collect();
                    AffineMap::new(n, 0, results)
                })
                .collect();
            maps.push(AffineMap::new(n, 0, (0..keep.len()).map(d).collect()));
            let names: Vec<String> = dims.iter().map(|&l| name(l)).collect();
            let sizes: Vec<i64> = dims.iter().map(|l| eq.sizes[l]).collect();
            let values: Vec<ValueId> = inputs.iter().map(|&(v, _, _)| v).collect();
            let kind = match (inputs.len(), dims.len() > keep.len()) {
                (1, false) => "data_movement",
                (1, true) => "reduction",
                _ => "mac",
            };
            this.einsum(kind, &names, &sizes, &values, maps, ty, &[])
        };
        if operands.len() == 1 {
            return Ok(step(self, &[(operands[0], &eq.inputs[0], &shapes[0])], &eq.output, ty));
        }
        let (mut current, mut labels, mut shape) = (operands[0], eq.inputs[0].clone(), shapes[0].clone());
        for k in 1..operands.len() {
            let last = k + 1 == operands.len();
            let keep: Vec<Label> = if last {
                eq.output.clone()
            } else {
                let needed = |l: &Label| eq.output.contains(l) || eq.inputs[k + 1..].iter().any(|i| i.contains(l));
                let mut keep: Vec<Label> = Vec::new();
                for &l in labels.iter().chain(&eq.inputs[k]) {
                    if needed(&l) && !keep.contains(&l) {
                        keep.push(l);
                    }
                }
                keep
            };
            let keep_shape: Vec<i64> = keep.iter().map(|l| eq.sizes[l]).collect();
            let step_ty = if last { ty } else { self.cx.tensor_type(&keep_shape, elem) };
            let inputs =
                [(current, labels.as_slice(), shape.as_slice()), (operands[k], &eq.inputs[k][..], &shapes[k][..])];
            current = step(self, &inputs, &keep, step_ty);
            (labels, shape) = (keep, keep_shape);
        }
        Ok(current)
    }

    /// `x` gathered along `axis` at the constant `indices` (a nearest resize by a factor that is
    /// no whole number): out[.., i, ..] = x[.., indices[i], ..], shape `out`, typed `ty`.
    fn gather_constant_indices(
        &mut self,
        x: ValueId,
        axis: usize,
        indices: &[i64],
        out: &[i64],
        ty: TypeId,
    ) -> ValueId {
        let i64_ty = self.cx.integer_type(64);
        let index_ty = self.cx.tensor_type(&[indices.len() as i64], i64_ty);
        let values = Attribute::array(indices.iter().map(|&value| Attribute::Int { value, ty: i64_ty }));
        let index = self.constant(index_ty, "value", values);
        let n = out.len() as u32;
        let data_map = (0..out.len()).map(|j| if j == axis { c(0) } else { d(j) }).collect();
        let maps = vec![AffineMap::new(n, 0, data_map), AffineMap::new(n, 0, vec![d(axis)]), AffineMap::identity(n)];
        let indirect = Attribute::i64_array(&[0, axis as i64]);
        self.data_movement(out, &[x, index], maps, ty, &[("indirect", indirect)])
    }

    /// The concatenation of `parts` along `axis` (their sizes there: `sizes`) into `out`, typed
    /// `ty`: one data movement reading each part where its offset map is in bounds.
    fn concat_along(&mut self, parts: &[ValueId], sizes: &[i64], axis: usize, out: &[i64], ty: TypeId) -> ValueId {
        let rank = out.len();
        let mut offset = 0;
        let mut maps = Vec::new();
        for &size in sizes {
            let map = (0..rank).map(|j| if j == axis { add(d(j), c(-offset)) } else { d(j) }).collect();
            maps.push(AffineMap::new(rank as u32, 0, map));
            offset += size;
        }
        maps.push(AffineMap::identity(rank as u32));
        self.data_movement(out, parts, maps, ty, &[])
    }

    /// `out[.., i, ..] = Σ_k x[.., k, ..] · matrix[i, k]` along `axis`: `x`'s axis (of size
    /// `n`) contracted with a `[out[axis], n]` matrix — a running sum's triangle, a resize's
    /// interpolation.
    fn along_axis(&mut self, x: ValueId, matrix: ValueId, axis: usize, out: &[i64], n: i64, ty: TypeId) -> ValueId {
        let rank = out.len();
        let mut dims = names("D", rank);
        dims.push("K".into());
        let mut sizes = out.to_vec();
        sizes.push(n);
        let nd = (rank + 1) as u32;
        let xm = (0..rank).map(|j| if j == axis { d(rank) } else { d(j) }).collect();
        let maps = vec![
            AffineMap::new(nd, 0, xm),
            AffineMap::new(nd, 0, vec![d(axis), d(rank)]),
            AffineMap::new(nd, 0, (0..rank).map(d).collect()),
        ];
        self.einsum("mac", &dims, &sizes, &[x, matrix], maps, ty, &[])
    }

    /// `product` plus `bias` (if any) per output channel, dimension 1 of the `out`-shaped
    /// result: a convolution's optional third input.
    fn channel_bias(&mut self, product: ValueId, bias: Option<ValueId>, out: &[i64]) -> ValueId {
        let Some(bias) = bias else { return product };
        self.add_through(product, bias, AffineMap::new(out.len() as u32, 0, vec![d(1)]), out)
    }

    /// Transposed convolution as (N, [G,] K, C, H…, R…): every input pixel scatters its
    /// kernel-sized patch into the full output at `stride·h + dilation·r`, and a data movement
    /// then crops the padding (and reads zeros for an `output_padding` beyond it). With kernel
    /// = stride and no dilation (U-Net's up-convolutions) the scatter is a bijection
    /// `h * stride + r` a stream follows; otherwise patches overlap and accumulate, and the
    /// result is written whole.
    fn conv_transpose(&mut self, operands: &[ValueId]) -> Result<ValueId, String> {
        let (x, w) = (self.shape(operands[0]), self.shape(operands[1]));
        let (ty, out) = self.result(0);
        let spatial = x.len() - 2;
        let kernel = w[2..].to_vec();
        let strides = self.ints("strides").unwrap_or_else(|| vec![1; spatial]);
        let dilations = self.ints("dilations").unwrap_or_else(|| vec![1; spatial]);
        let extra = self.ints("output_padding").unwrap_or_else(|| vec![0; spatial]);
        let group = self.int("group", 1);
        // With `output_shape` ONNX derives the padding: the total, its larger half at the start.
        let pads_begin: Vec<i64> = match self.ints("output_shape") {
            Some(_) => (0..spatial)
                .map(|a| {
                    let total =
                        strides[a] * (x[a + 2] - 1) + extra[a] + (kernel[a] - 1) * dilations[a] + 1 - out[a + 2];
                    total - total / 2
                })
                .collect(),
            None => self.ints("pads").map_or_else(|| vec![0; spatial], |p| p[..spatial].to_vec()),
        };
        let (c_per_group, k_per_group) = (w[0] / group, w[1]);
        let g = GroupedChannels::new(x[0], group, k_per_group, c_per_group);
        let (mut dims, mut sizes, base) = (g.dims.clone(), g.sizes.clone(), g.dims.len());
        dims.extend(names("H", spatial));
        sizes.extend(&x[2..]);
        dims.extend(names("R", spatial));
        sizes.extend(&kernel);
        let nd = dims.len() as u32;
        let (channel, dk, dc) = (|per_group, local| g.channel(per_group, local), g.k, g.c);
        let mut xm = vec![d(0), channel(c_per_group, dc)];
        xm.extend((0..spatial).map(|s| d(base + s)));
        let mut wm = vec![channel(c_per_group, dc), d(dk)];
        wm.extend((0..spatial).map(|s| d(base + spatial + s)));
        let mut om = vec![d(0), channel(k_per_group, dk)];
        om.extend((0..spatial).map(|s| add(mul(d(base + s), strides[s]), mul(d(base + spatial + s), dilations[s]))));
        let maps = vec![AffineMap::new(nd, 0, xm), AffineMap::new(nd, 0, wm), AffineMap::new(nd, 0, om)];
        // The full (unpadded) output.
        let mut full = out[..2].to_vec();
        full.extend((0..spatial).map(|a| (x[a + 2] - 1) * strides[a] + (kernel[a] - 1) * dilations[a] + 1));
        let elem = self.cx.element_type(ty);
        let full_ty = self.cx.tensor_type(&full, elem);
        let mut product = self.einsum("mac", &dims, &sizes, &operands[..2], maps, full_ty, &[]);
        if full != out || pads_begin.iter().any(|&p| p != 0) {
            let n = out.len();
            let crop = (0..n).map(|a| if a < 2 { d(a) } else { add(d(a), c(pads_begin[a - 2])) }).collect();
            let maps = vec![AffineMap::new(n as u32, 0, crop), AffineMap::identity(n as u32)];
            product = self.data_movement(&out, &[product], maps, ty, &[]);
        }
        Ok(self.channel_bias(product, operands.get(2).copied(), &out))
    }

    /// Pooling as a reduction over (N, C, P…, R…) with the convolution's window access.
    fn pool(&mut self, operands: &[ValueId]) -> ValueId {
        let x = self.shape(operands[0]);
        let (ty, out) = self.result(0);
        let spatial = x.len() - 2;
        let kernel = self.ints("kernel_shape").unwrap_or_else(|| vec![1; spatial]);
        let strides = self.ints("strides").unwrap_or_else(|| vec![1; spatial]);
        let pads = self.ints("pads").unwrap_or_else(|| vec![0; 2 * spatial]);
        let dilations = self.ints("dilations").unwrap_or_else(|| vec![1; spatial]);
        let (outs, windows) = if spatial == 2 {
            (vec!["P".to_string(), "Q".to_string()], vec!["R".to_string(), "S".to_string()])
        } else {
            (names("P", spatial), names("R", spatial))
        };
        let mut dims = vec!["N".to_string(), "C".to_string()];
        dims.extend(outs);
        dims.extend(windows);
        let mut sizes = vec![x[0], x[1]];
        sizes.extend(&out[2..]);
        sizes.extend(&kernel);
        let nd = dims.len() as u32;
        let mut xm = vec![d(0), d(1)];
        for s in 0..spatial {
            xm.push(add(add(mul(d(2 + s), strides[s]), mul(d(2 + spatial + s), dilations[s])), c(-pads[s])));
        }
        let om = (0..2 + spatial).map(d).collect();
        let maps = vec![AffineMap::new(nd, 0, xm), AffineMap::new(nd, 0, om)];
        self.einsum("reduction", &dims, &sizes, operands, maps, ty, &[])
    }

    /// Split as one slicing einsum per result.
    fn split(&mut self, operands: &[ValueId]) -> Vec<ValueId> {
        let input = self.shape(operands[0]);
        let axis = self.axis(0, input.len());
        let mut offset = 0;
        let mut results = Vec::new();
        for r in 0..self.cx.num_results(self.anchor) {
            let (ty, out) = self.result(r);
            let mut m: Vec<AffineExpr> = (0..out.len()).map(d).collect();
            m[axis] = add(d(axis), c(offset));
            offset += out[axis];
            let maps = vec![AffineMap::new(out.len() as u32, 0, m), AffineMap::identity(out.len() as u32)];
            results.push(self.data_movement(&out, &operands[..1], maps, ty, &[]));
        }
        results
    }
}

#[cfg(test)]
mod tests {
    use super::{cubic_weights, reshape_map};

    /// `cubic_weights` against onnxruntime 1.32's Resize (mode cubic) of identity matrices,
    /// rounded to 1e-6: up-sampling at half-pixel centres, down-sampling (7 → 3, the whole
    /// source coordinate 3 taking its input exactly), and `exclude_outside` renormalising
    /// under align_corners and half-pixel.
    #[test]
    fn cubic_weights_match_onnxruntime() {
        let check = |got: Vec<f64>, expect: &[&[f64]]| {
            let n_in = expect[0].len();
            for (o, row) in expect.iter().enumerate() {
                for (i, &e) in row.iter().enumerate() {
                    let g = got[o * n_in + i];
                    assert!((g - e).abs() < 1e-6, "w[{o}, {i}] = {g}, onnxruntime {e}");
                }
            }
        };
        let up = cubic_weights(4, 8, 2.0, "half_pixel", -0.75, false).unwrap();
        check(
            up,
            &[
                &[1.1054688, -0.1054688, 0.0, 0.0],
                &[0.7734375, 0.2617188, -0.0351562, 0.0],
                &[0.2265625, 0.8789062, -0.1054688, 0.0],
                &[-0.1054688, 0.8789062, 0.2617188, -0.0351562],
                &[-0.0351562, 0.2617188, 0.8789062, -0.1054688],
                &[0.0, -0.1054688, 0.8789062, 0.2265625],
                &[0.0, -0.0351562, 0.2617188, 0.7734375],
                &[0.0, 0.0, -0.1054688, 1.1054688],
            ],
        );
        let down = cubic_weights(7, 3, 3.0 / 7.0, "half_pixel", -0.75, false).unwrap();
        check(
            down,
            &[
                &[0.3148146, 0.7962962, -0.1111112, 0.0, 0.0, 0.0, 0.0],
                &[0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0],
                &[0.0, 0.0, 0.0, 0.0, -0.1111112, 0.7962962, 0.3148143],
            ],
        );
        let aligned = cubic_weights(5, 7, 7.0 / 5.0, "align_corners", -0.5, true).unwrap();
        check(
            aligned,
            &[
                &[1.0, 0.0, 0.0, 0.0, 0.0],
                &[0.3214285, 0.75, -0.0714285, 0.0, 0.0],
                &[-0.0740743, 0.7777776, 0.3333334, -0.0370366, 0.0],
                &[0.0, 0.0, 1.0, 0.0, 0.0],
                &[0.0, -0.0370369, 0.3333332, 0.7777778, -0.074074],
                &[0.0, 0.0, -0.0714285, 0.75, 0.3214285],
                &[0.0, 0.0, 0.0, 0.0, 1.0],
            ],
        );
        let excluded = cubic_weights(5, 3, 3.0 / 5.0, "half_pixel", -0.75, true).unwrap();
        check(
            excluded,
            &[
                &[0.7166664, 0.3333332, -0.0499996, 0.0, 0.0],
                &[0.0, 0.0, 1.0, 0.0, 0.0],
                &[0.0, 0.0, -0.0500007, 0.3333337, 0.716667],
            ],
        );
    }

    fn show(input: &[i64], out: &[i64]) -> String {
        reshape_map(input, out).to_string()
    }

    #[test]
    fn reshape_maps_split_and_merge_groups() {
        assert_eq!(show(&[1, 128, 768], &[1, 128, 12, 64]), "(d0, d1, d2, d3) -> (0, d1, d2 * 64 + d3)");
        assert_eq!(show(&[1, 128, 12, 64], &[1, 128, 768]), "(d0, d1, d2) -> (0, d1, d2 floordiv 64, d2 mod 64)");
        assert_eq!(show(&[1, 512, 1, 1], &[1, 512]), "(d0, d1) -> (0, d1, 0, 0)");
        assert_eq!(show(&[128, 3072], &[1, 128, 3072]), "(d0, d1, d2) -> (d1, d2)");
        assert_eq!(show(&[6], &[2, 3]), "(d0, d1) -> (d0 * 3 + d1)");
        assert_eq!(show(&[2, 3], &[3, 2]), "(d0, d1) -> ((d0 * 2 + d1) floordiv 3, (d0 * 2 + d1) mod 3)");
    }
}
