//! Recognition patterns: composite operators that exporters decompose, put back together so
//! later layers cost and schedule them as one kernel — GELU (Erf and Tanh forms), SiLU, RMSNorm
//! (with its scale), LayerNorm, scaled dot-product attention — the fold of an
//! inference-mode batch normalisation into the convolution before it. Used by the
//! `graph-canonicalize` pass.
//!
//! Matching is structural and checks every constant's value, operand order either way round
//! for the commutative ops, and that the intermediate values have no other users (so nothing
//! is computed twice after the rewrite).

use dnnc_ir::{
    Attribute, Context, FloatKind, Location, OpId, OperationState, PatternSet, RewritePattern, Rewriter, TypeData,
    TypeId, ValueId,
};

/// Adds every recognition pattern to `set`.
pub fn add_recognition_patterns(set: &mut PatternSet) {
    set.add(Silu);
    set.add(GeluErf);
    set.add(GeluTanh);
    set.add(RmsNorm);
    set.add(RmsNormScale);
    set.add(LayerNormDecomposed);
    set.add(Attention);
    set.add(FoldBatchNormIntoConv);
    set.add(ConcatDropsEmptyParts);
}

/// Name of the pattern folding batch normalisations into convolutions (the pass counts its
/// applications apart from the recognitions).
pub const FOLD_BATCH_NORM: &str = "graph-fold-batch-norm-into-conv";

/// Name of the pattern rewriting GatherND's index tuples to linear indices (counted apart too;
/// it is one of [`crate::decompose`]'s).
pub const GATHER_ND_TUPLES: &str = "graph-gather-nd-tuples";

/// The op defining `v` if it is named `name`.
fn def(cx: &Context, v: ValueId, name: &str) -> Option<OpId> {
    cx.defining_op(v).filter(|&op| cx.is(op, name))
}

/// The scalar value of a constant (a `splat`, or a single-element `value`).
pub fn scalar(cx: &Context, v: ValueId) -> Option<f64> {
    let op = def(cx, v, "graph.constant")?;
    let attr = match (cx.attr(op, "splat"), cx.attr(op, "value").and_then(Attribute::as_array)) {
        (Some(a), _) => a,
        (None, Some([a])) => a,
        _ => return None,
    };
    attr.as_float().or_else(|| attr.as_int().map(|i| i as f64))
}

fn is_scalar(cx: &Context, v: ValueId, expected: f64, tolerance: f64) -> bool {
    scalar(cx, v).is_some_and(|x| (x - expected).abs() <= tolerance * expected.abs().max(1.0))
}

/// The operands of binary op `op` named `name`, in the order (either way round) for which
/// `accept(first, second)` holds.
fn either(cx: &Context, op: OpId, name: &str, accept: impl Fn(ValueId, ValueId) -> bool) -> Option<(ValueId, ValueId)> {
    if !cx.is(op, name) || cx.operands(op).len() != 2 {
        return None;
    }
    let (a, b) = (cx.operand(op, 0), cx.operand(op, 1));
    if accept(a, b) {
        Some((a, b))
    } else if accept(b, a) {
        Some((b, a))
    } else {
        None
    }
}

/// Whether `v` has exactly one use (so rewriting its consumer lets its producer die).
fn single_use(cx: &Context, v: ValueId) -> bool {
    cx.uses(v).len() == 1
}

fn same_type(cx: &Context, a: ValueId, b: ValueId) -> bool {
    cx.value_type(a) == cx.value_type(b)
}

/// Replaces `root` with `name(operands)` carrying `attrs`, typed like `root`'s result.
fn replace(rw: &mut Rewriter<'_>, root: OpId, name: &str, operands: &[ValueId], attrs: &[(&str, Attribute)]) {
    let ty = rw.value_type(rw.result(root, 0));
    let name = rw.context_mut().op_name(name);
    let mut state = OperationState::new(name).operands(operands.iter().copied()).results([ty]);
    for (k, v) in attrs {
        state = state.attr(k, v.clone());
    }
    rw.replace_op_with(root, state);
}

/// `concat(a, empty, b)` → `concat(a, b)`, and `concat(a)` → `a`: an operand with no elements
/// along the axis (Phi-3's rotary embedding concatenates the part beyond a rotary dimension
/// that spans the whole head) adds nothing, and the empty op that made it then dies — no later
/// stage has to handle a tensor with a zero-sized dimension.
struct ConcatDropsEmptyParts;

impl RewritePattern for ConcatDropsEmptyParts {
    fn name(&self) -> &'static str {
        "graph-concat-drops-empty-parts"
    }

    fn root(&self) -> Option<&'static str> {
        Some("graph.concat")
    }

    fn match_and_rewrite(&self, op: OpId, rw: &mut Rewriter<'_>) -> bool {
        let cx: &Context = rw;
        let empty = |v: ValueId| cx.tensor_shape(cx.value_type(v)).is_some_and(|(s, _)| s.contains(&0));
        let parts: Vec<ValueId> = cx.operands(op).iter().copied().filter(|&v| !empty(v)).collect();
        if parts.len() == cx.operands(op).len() || empty(cx.result(op, 0)) {
            return false;
        }
        if let [only] = parts[..] {
            rw.replace_op(op, &[only]);
        } else {
            let attrs: Vec<(&str, Attribute)> = rw.attr(op, "axis").map(|a| ("axis", a.clone())).into_iter().collect();
            replace(rw, op, "graph.concat", &parts, &attrs);
        }
        true
    }
}

/// `x * sigmoid(x)` → `silu(x)`.
struct Silu;

impl RewritePattern for Silu {
    fn name(&self) -> &'static str {
        "graph-recognize-silu"
    }

    fn root(&self) -> Option<&'static str> {
        Some("graph.mul")
    }

    fn match_and_rewrite(&self, op: OpId, rw: &mut Rewriter<'_>) -> bool {
        let cx: &Context = rw;
        let sigmoid_of = |s: ValueId, x: ValueId| def(cx, s, "graph.sigmoid").is_some_and(|g| cx.operand(g, 0) == x);
        let matched = either(cx, op, "graph.mul", sigmoid_of)
            .filter(|&(s, x)| single_use(cx, s) && same_type(cx, x, cx.result(op, 0)))
            .map(|(_, x)| x);
        let Some(x) = matched else { return false };
        replace(rw, op, "graph.silu", &[x], &[]);
        true
    }
}

/// `(x * (erf(x / √2) + 1)) * 0.5` → `gelu(x)` (BERT's export).
struct GeluErf;

impl RewritePattern for GeluErf {
    fn name(&self) -> &'static str {
        "graph-recognize-gelu-erf"
    }

    fn root(&self) -> Option<&'static str> {
        Some("graph.mul")
    }

    fn match_and_rewrite(&self, op: OpId, rw: &mut Rewriter<'_>) -> bool {
        let cx: &Context = rw;
        let matched = (|| {
            let (_, prod) = either(cx, op, "graph.mul", |v, _| is_scalar(cx, v, 0.5, 1e-6))?;
            let prod_op = def(cx, prod, "graph.mul").filter(|_| single_use(cx, prod))?;
            let erf_plus_one = |v: ValueId| {
                def(cx, v, "graph.add").is_some_and(|a| {
                    either(cx, a, "graph.add", |c, e| is_scalar(cx, c, 1.0, 1e-6) && def(cx, e, "graph.erf").is_some())
                        .is_some()
                })
            };
            let (sum, x) = either(cx, prod_op, "graph.mul", |v, _| erf_plus_one(v))?;
            let sum_op = def(cx, sum, "graph.add").filter(|_| single_use(cx, sum))?;
            let (_, e) = either(cx, sum_op, "graph.add", |v, _| is_scalar(cx, v, 1.0, 1e-6))?;
            let erf = def(cx, e, "graph.erf").filter(|_| single_use(cx, e))?;
            let div = def(cx, cx.operand(erf, 0), "graph.div").filter(|_| single_use(cx, cx.operand(erf, 0)))?;
            let ok = cx.operand(div, 0) == x
                && is_scalar(cx, cx.operand(div, 1), std::f64::consts::SQRT_2, 1e-6)
                && same_type(cx, x, cx.result(op, 0));
            ok.then_some(x)
        })();
        let Some(x) = matched else { return false };
        replace(rw, op, "graph.gelu", &[x], &[("approximate", Attribute::string("none"))]);
        true
    }
}

/// `(x * 0.5) * (tanh((x + x^3 * 0.044715) * √(2/π)) + 1)` → `gelu(x) {approximate = "tanh"}`
/// (GPT-2's export).
struct GeluTanh;

impl RewritePattern for GeluTanh {
    fn name(&self) -> &'static str {
        "graph-recognize-gelu-tanh"
    }

    fn root(&self) -> Option<&'static str> {
        Some("graph.mul")
    }

    fn match_and_rewrite(&self, op: OpId, rw: &mut Rewriter<'_>) -> bool {
        let cx: &Context = rw;
        let sqrt_2_over_pi = (2.0 / std::f64::consts::PI).sqrt();
        let matched = (|| {
            let (half_x, sum) = either(cx, op, "graph.mul", |v, _| {
                def(cx, v, "graph.mul")
                    .is_some_and(|m| either(cx, m, "graph.mul", |c, _| is_scalar(cx, c, 0.5, 1e-6)).is_some())
            })?;
            let half_op = def(cx, half_x, "graph.mul").filter(|_| single_use(cx, half_x))?;
            let (_, x) = either(cx, half_op, "graph.mul", |c, _| is_scalar(cx, c, 0.5, 1e-6))?;
            let sum_op = def(cx, sum, "graph.add").filter(|_| single_use(cx, sum))?;
            let (_, t) = either(cx, sum_op, "graph.add", |v, _| is_scalar(cx, v, 1.0, 1e-6))?;
            let tanh = def(cx, t, "graph.tanh").filter(|_| single_use(cx, t))?;
            let scaled = cx.operand(tanh, 0);
            let scaled_op = def(cx, scaled, "graph.mul").filter(|_| single_use(cx, scaled))?;
            let (_, inner) = either(cx, scaled_op, "graph.mul", |c, _| is_scalar(cx, c, sqrt_2_over_pi, 1e-4))?;
            let inner_op = def(cx, inner, "graph.add").filter(|_| single_use(cx, inner))?;
            let (_, cubic) = either(cx, inner_op, "graph.add", |v, _| v == x)?;
            let cubic_op = def(cx, cubic, "graph.mul").filter(|_| single_use(cx, cubic))?;
            let (_, pow) = either(cx, cubic_op, "graph.mul", |c, _| is_scalar(cx, c, 0.044715, 1e-4))?;
            let pow_op = def(cx, pow, "graph.pow").filter(|_| single_use(cx, pow))?;
            let ok = cx.operand(pow_op, 0) == x
                && is_scalar(cx, cx.operand(pow_op, 1), 3.0, 1e-6)
                && same_type(cx, x, cx.result(op, 0));
            ok.then_some(x)
        })();
        let Some(x) = matched else { return false };
        replace(rw, op, "graph.gelu", &[x], &[("approximate", Attribute::string("tanh"))]);
        true
    }
}

/// `x * 1/sqrt(mean(x^2, last axis) + eps)` → `rms_normalization(x) {epsilon}` (Llama's
/// export).
struct RmsNorm;

impl RewritePattern for RmsNorm {
    fn name(&self) -> &'static str {
        "graph-recognize-rms-norm"
    }

    fn root(&self) -> Option<&'static str> {
        Some("graph.mul")
    }

    fn match_and_rewrite(&self, op: OpId, rw: &mut Rewriter<'_>) -> bool {
        let cx: &Context = rw;
        let matched = (|| {
            let (r, x) = either(cx, op, "graph.mul", |v, _| def(cx, v, "graph.reciprocal").is_some())?;
            let recip = def(cx, r, "graph.reciprocal").filter(|_| single_use(cx, r))?;
            let s = cx.operand(recip, 0);
            let sqrt = def(cx, s, "graph.sqrt").filter(|_| single_use(cx, s))?;
            let a = cx.operand(sqrt, 0);
            let add = def(cx, a, "graph.add").filter(|_| single_use(cx, a))?;
            let (m, eps) = either(cx, add, "graph.add", |v, _| def(cx, v, "graph.reduce_mean").is_some())?;
            let eps = scalar(cx, eps)?;
            let mean = def(cx, m, "graph.reduce_mean").filter(|_| single_use(cx, m))?;
            let rank = cx.tensor_shape(cx.value_type(x))?.0.len() as i64;
            let last_axis = matches!(cx.attr(mean, "axes").and_then(Attribute::as_int_array).as_deref(), Some([a]) if *a == -1 || *a == rank - 1);
            let keepdims = cx.attr(mean, "keepdims").and_then(Attribute::as_int).unwrap_or(1) == 1;
            let p = cx.operand(mean, 0);
            let pow = def(cx, p, "graph.pow").filter(|_| single_use(cx, p))?;
            let ok = last_axis
                && keepdims
                && cx.operand(pow, 0) == x
                && is_scalar(cx, cx.operand(pow, 1), 2.0, 1e-6)
                && same_type(cx, x, cx.result(op, 0));
            ok.then_some((x, eps))
        })();
        let Some((x, eps)) = matched else { return false };
        let eps = Attribute::Float { value: eps, ty: dnnc_ir::TypeId::F32 };
        replace(rw, op, "graph.rms_normalization", &[x], &[("axis", Attribute::i64(-1)), ("epsilon", eps)]);
        true
    }
}

/// `scale * rms_normalization(x)` → `rms_normalization(x, scale)` when `scale` has the
/// normalised (last) dimension's shape.
struct RmsNormScale;

impl RewritePattern for RmsNormScale {
    fn name(&self) -> &'static str {
        "graph-fold-rms-norm-scale"
    }

    fn root(&self) -> Option<&'static str> {
        Some("graph.mul")
    }

    fn match_and_rewrite(&self, op: OpId, rw: &mut Rewriter<'_>) -> bool {
        let cx: &Context = rw;
        let matched = (|| {
            let (n, scale) = either(cx, op, "graph.mul", |v, _| {
                def(cx, v, "graph.rms_normalization").is_some_and(|r| cx.operands(r).len() == 1)
            })?;
            let norm = def(cx, n, "graph.rms_normalization").filter(|_| single_use(cx, n))?;
            let x = cx.operand(norm, 0);
            let (xs, _) = cx.tensor_shape(cx.value_type(x))?;
            let (ss, _) = cx.tensor_shape(cx.value_type(scale))?;
            let ok = xs.last().is_some_and(|&d| ss == [d]) && same_type(cx, x, cx.result(op, 0));
            ok.then(|| (x, scale, cx.attrs(norm).clone()))
        })();
        let Some((x, scale, attrs)) = matched else { return false };
        let ty = rw.value_type(rw.result(op, 0));
        let name = rw.context_mut().op_name("graph.rms_normalization");
        let mut state = OperationState::new(name).operands([x, scale]).results([ty]);
        state.attrs = attrs;
        rw.replace_op_with(op, state);
        true
    }
}

/// The last-axis reduction `reduce_mean(v, axes = [-1], keepdims = 1)` defining `m`, if it is one.
fn last_axis_mean(cx: &Context, m: ValueId) -> Option<ValueId> {
    let mean = def(cx, m, "graph.reduce_mean")?;
    let v = cx.operand(mean, 0);
    let rank = cx.tensor_shape(cx.value_type(v))?.0.len() as i64;
    let axes = cx.attr(mean, "axes").and_then(Attribute::as_int_array)?;
    let keepdims = cx.attr(mean, "keepdims").and_then(Attribute::as_int).unwrap_or(1) == 1;
    (keepdims && matches!(axes[..], [a] if a == -1 || a == rank - 1)).then_some(v)
}

/// `(x - mean(x)) / sqrt(mean((x - mean(x))^2) + eps)` over the last axis: `(x, eps)`.
fn decomposed_layer_norm(cx: &Context, n: ValueId) -> Option<(ValueId, f64)> {
    let div = def(cx, n, "graph.div").filter(|_| single_use(cx, n))?;
    let (centered, s) = (cx.operand(div, 0), cx.operand(div, 1));
    let sub = def(cx, centered, "graph.sub").filter(|_| cx.uses(centered).len() == 2)?;
    let (x, m) = (cx.operand(sub, 0), cx.operand(sub, 1));
    if last_axis_mean(cx, m)? != x || !single_use(cx, m) {
        return None;
    }
    let sqrt = def(cx, s, "graph.sqrt").filter(|_| single_use(cx, s))?;
    let a = cx.operand(sqrt, 0);
    let add = def(cx, a, "graph.add").filter(|_| single_use(cx, a))?;
    let (var, eps) = either(cx, add, "graph.add", |v, _| def(cx, v, "graph.reduce_mean").is_some())?;
    let eps = scalar(cx, eps)?;
    let squared = last_axis_mean(cx, var).filter(|_| single_use(cx, var))?;
    let pow = def(cx, squared, "graph.pow").filter(|_| single_use(cx, squared))?;
    let ok = cx.operand(pow, 0) == centered && is_scalar(cx, cx.operand(pow, 1), 2.0, 1e-6);
    ok.then_some((x, eps))
}

/// `decomposed * gamma (+ beta)` → `layer_normalization(x, gamma[, beta])` when gamma (and
/// beta) have the last dimension's shape — LayerNorm as opsets before 17 export it.
struct LayerNormDecomposed;

impl RewritePattern for LayerNormDecomposed {
    fn name(&self) -> &'static str {
        "graph-recognize-layer-norm"
    }

    fn root(&self) -> Option<&'static str> {
        None
    }

    fn match_and_rewrite(&self, op: OpId, rw: &mut Rewriter<'_>) -> bool {
        let cx: &Context = rw;
        let matched = (|| {
            // Root either `add(mul(n, gamma), beta)` or a `mul(n, gamma)` not feeding such an add.
            let (product, beta) = match cx.name(op) {
                "graph.add" => {
                    let (p, b) = either(cx, op, "graph.add", |v, _| def(cx, v, "graph.mul").is_some())?;
                    (Some(p).filter(|&p| single_use(cx, p))?, Some(b))
                }
                "graph.mul" => {
                    // Leave `mul` to the `add` root when a per-channel shift follows it.
                    let r = cx.result(op, 0);
                    let shifted = cx.uses(r).first().filter(|_| single_use(cx, r)).is_some_and(|u| {
                        cx.is(u.op, "graph.add")
                            && cx.operands(u.op).iter().any(|&o| o != r && cx.value_type(o) != cx.value_type(r))
                    });
                    if shifted {
                        return None;
                    }
                    (r, None)
                }
                _ => return None,
            };
            let mul = def(cx, product, "graph.mul")?;
            let (n, gamma) = either(cx, mul, "graph.mul", |v, _| decomposed_layer_norm(cx, v).is_some())?;
            let (x, eps) = decomposed_layer_norm(cx, n)?;
            let last = *cx.tensor_shape(cx.value_type(x))?.0.last()?;
            let per_channel = |v: ValueId| cx.tensor_shape(cx.value_type(v)).is_some_and(|(s, _)| s == [last]);
            let ok = per_channel(gamma) && beta.is_none_or(per_channel) && same_type(cx, x, cx.result(op, 0));
            ok.then_some((x, gamma, beta, eps))
        })();
        let Some((x, gamma, beta, eps)) = matched else { return false };
        let mut operands = vec![x, gamma];
        operands.extend(beta);
        let eps = Attribute::Float { value: eps, ty: dnnc_ir::TypeId::F32 };
        replace(rw, op, "graph.layer_normalization", &operands, &[("axis", Attribute::i64(-1)), ("epsilon", eps)]);
        true
    }
}

fn shape_of(cx: &Context, v: ValueId) -> Option<&[i64]> {
    cx.tensor_shape(cx.value_type(v)).map(|(s, _)| s)
}

/// `v` with scalar constant factors peeled off — `x·c`, `c·x` or `x/c`, any number of times,
/// each product used only by the next step and shaped like `x`: `(x, product of the factors)`.
fn peel_scale(cx: &Context, mut v: ValueId) -> (ValueId, f64) {
    let mut scale = 1.0;
    while single_use(cx, v) {
        let Some(op) = cx.defining_op(v) else { break };
        let step = match cx.name(op) {
            "graph.mul" => {
                either(cx, op, "graph.mul", |_, c| scalar(cx, c).is_some()).and_then(|(x, c)| Some((x, scalar(cx, c)?)))
            }
            "graph.div" if cx.operands(op).len() == 2 => {
                scalar(cx, cx.operand(op, 1)).filter(|&c| c != 0.0).map(|c| (cx.operand(op, 0), 1.0 / c))
            }
            _ => None,
        };
        match step {
            Some((x, factor)) if same_type(cx, x, v) && factor.is_finite() => {
                scale *= factor;
                v = x;
            }
            _ => break,
        }
    }
    (v, scale)
}

/// Whether `perm` exchanges the last two of its dimensions and keeps the others.
fn swaps_last_two(perm: &[i64]) -> bool {
    let n = perm.len();
    n >= 2
        && perm.iter().enumerate().all(|(i, &p)| {
            p as usize
                == if i + 2 == n {
                    n - 1
                } else if i + 1 == n {
                    n - 2
                } else {
                    i
                }
        })
}

/// K for the right operand `b` of `Q·Kᵀ`: `(K, k_transposed, scale)`. Scalar factors are
/// peeled off; then, if `b` is `K` with its last two dimensions exchanged — by one transpose,
/// with reshapes that keep the last two dimensions around it and the same leading dimensions
/// at both ends, each step used only by the next — `K` itself (`k_transposed` false);
/// otherwise `b` as given (`k_transposed` true).
fn peel_key(cx: &Context, b: ValueId) -> (ValueId, bool, f64) {
    let (b, scale) = peel_scale(cx, b);
    let Some(lead) = shape_of(cx, b).filter(|s| s.len() >= 2).map(|s| &s[..s.len() - 2]) else {
        return (b, true, scale);
    };
    let mut best = (b, true, scale);
    let (mut v, mut swapped, mut s) = (b, false, scale);
    while single_use(cx, v) {
        let Some(op) = cx.defining_op(v) else { break };
        let Some(vs) = shape_of(cx, v) else { break };
        let n = vs.len();
        let next = match cx.name(op) {
            "graph.reshape" => {
                let x = cx.operand(op, 0);
                shape_of(cx, x).filter(|xs| xs.len() >= 2 && xs[xs.len() - 2..] == vs[n - 2..]).map(|_| x)
            }
            "graph.transpose" if !swapped => {
                let perm = cx
                    .attr(op, "perm")
                    .and_then(Attribute::as_int_array)
                    .unwrap_or_else(|| (0..n as i64).rev().collect());
                swapped = swaps_last_two(&perm);
                swapped.then(|| cx.operand(op, 0))
            }
            "graph.mul" | "graph.div" => {
                let (x, factor) = peel_scale(cx, v);
                (x != v).then(|| {
                    s *= factor;
                    x
                })
            }
            _ => None,
        };
        let Some(x) = next else { break };
        v = x;
        if swapped && shape_of(cx, v).is_some_and(|xs| xs.len() >= 2 && xs[..xs.len() - 2] == *lead) {
            best = (v, false, s);
        }
    }
    best
}

/// The scores `scale·(Q·Kᵀ)` computed into `a` (used only there): `(Q, K, k_transposed, scale)`.
fn scores(cx: &Context, a: ValueId) -> Option<(ValueId, ValueId, bool, f64)> {
    if !single_use(cx, a) {
        return None;
    }
    let (raw, outer) = peel_scale(cx, a);
    let mm = def(cx, raw, "graph.matmul").filter(|&m| single_use(cx, raw) && cx.operands(m).len() == 2)?;
    let (q, q_scale) = peel_scale(cx, cx.operand(mm, 0));
    let (k, k_transposed, k_scale) = peel_key(cx, cx.operand(mm, 1));
    Some((q, k, k_transposed, outer * q_scale * k_scale))
}

/// Whether `v` is a scalar constant standing for −∞ in a softmax: −∞ itself or the lowest
/// finite value of `elem`.
fn is_minus_infinity(cx: &Context, v: ValueId, elem: TypeId) -> bool {
    let max = match cx.type_data(elem) {
        TypeData::Float(FloatKind::F16) => 65504.0,
        TypeData::Float(FloatKind::BF16) => 3.389_531_389_251_535_5e38,
        TypeData::Float(FloatKind::F32) => f32::MAX as f64,
        TypeData::Float(FloatKind::F64) => f64::MAX,
        _ => return false,
    };
    scalar(cx, v).is_some_and(|x| x == f64::NEG_INFINITY || x <= -max * (1.0 - 1e-6))
}

/// `where(is_nan(p), 0, p)` defining `v`: `p`.
fn nan_guard(cx: &Context, v: ValueId) -> Option<ValueId> {
    let w = def(cx, v, "graph.where")?;
    let (c, zero, p) = (cx.operand(w, 0), cx.operand(w, 1), cx.operand(w, 2));
    let test = def(cx, c, "graph.is_nan").filter(|&t| single_use(cx, c) && cx.operand(t, 0) == p)?;
    let only_guard = cx.uses(p).len() == 2 && cx.uses(p).iter().all(|u| u.op == test || (u.op == w && u.index == 2));
    (only_guard && is_scalar(cx, zero, 0.0, 0.0) && same_type(cx, p, v)).then_some(p)
}

/// What the softmax of an attention reads, taken apart.
struct Scores {
    q: ValueId,
    k: ValueId,
    k_transposed: bool,
    scale: f64,
    /// The mask, its kind and, for a boolean mask, the fill constant.
    mask: Option<(ValueId, &'static str, Option<Attribute>)>,
}

/// `s` as `scale·Q·Kᵀ`, plus a mask (`+ mask`, `where(mask, scores, −∞)` or
/// `where(mask, −∞, scores)`), or neither.
fn masked_scores(cx: &Context, s: ValueId) -> Option<Scores> {
    let elem = cx.element_type(cx.value_type(s));
    let plain = |(q, k, k_transposed, scale)| Scores { q, k, k_transposed, scale, mask: None };
    let op = cx.defining_op(s)?;
    let with_mask = |a: ValueId, mask, kind, fill| {
        let sc = scores(cx, a).filter(|_| same_type(cx, a, s))?;
        Some(Scores { mask: Some((mask, kind, fill)), ..plain(sc) })
    };
    match cx.name(op) {
        "graph.add" if single_use(cx, s) => {
            let (a, m) = either(cx, op, "graph.add", |a, _| scores(cx, a).is_some())?;
            with_mask(a, m, "additive", None)
        }
        "graph.where" if single_use(cx, s) => {
            let (m, x, y) = (cx.operand(op, 0), cx.operand(op, 1), cx.operand(op, 2));
            let fill = |v: ValueId| scalar(cx, v).map(|value| Attribute::Float { value, ty: elem });
            if is_minus_infinity(cx, y, elem) {
                with_mask(x, m, "keep", fill(y))
            } else if is_minus_infinity(cx, x, elem) {
                with_mask(y, m, "drop", fill(x))
            } else {
                None
            }
        }
        _ => scores(cx, s).map(plain),
    }
}

/// `softmax(scale·Q·Kᵀ [masked]) · V` → `attention(Q, K, V[, mask])`, when the scale is
/// 1/√d for Q's last dimension d, the softmax is over the last axis, and every intermediate
/// (scores, scaled scores, masked scores, probabilities, and the transposes that made Kᵀ when
/// they are absorbed) is used only by the next step. Torch's NaN guard after the softmax,
/// `where(is_nan(p), 0, p)`, becomes `nan_to_zero = 1`.
struct Attention;

impl RewritePattern for Attention {
    fn name(&self) -> &'static str {
        "graph-recognize-attention"
    }

    fn root(&self) -> Option<&'static str> {
        Some("graph.matmul")
    }

    fn match_and_rewrite(&self, op: OpId, rw: &mut Rewriter<'_>) -> bool {
        let cx: &Context = rw;
        let matched = (|| {
            if cx.operands(op).len() != 2 {
                return None;
            }
            let (p, v) = (cx.operand(op, 0), cx.operand(op, 1));
            if !single_use(cx, p) {
                return None;
            }
            let (probs, nan_to_zero) = match nan_guard(cx, p) {
                Some(x) => (x, true),
                None => (p, false),
            };
            let softmax = def(cx, probs, "graph.softmax")?;
            let rank = shape_of(cx, probs)?.len() as i64;
            let axis = cx.attr(softmax, "axis").map_or(Some(-1), Attribute::as_int)?;
            let s = cx.operand(softmax, 0);
            if (axis != -1 && axis != rank - 1) || !single_use(cx, s) {
                return None;
            }
            let sc = masked_scores(cx, s)?;
            // The scale must be the standard 1/√d.
            let d = *shape_of(cx, sc.q)?.last()?;
            let expected = 1.0 / (d as f64).sqrt();
            if d <= 0 || (sc.scale - expected).abs() > 1e-5 * expected {
                return None;
            }
            let mut attrs = dnnc_ir::AttrDict::new();
            attrs.insert("scale".into(), Attribute::Float { value: sc.scale, ty: TypeId::F64 });
            attrs.insert("k_transposed".into(), Attribute::i64(i64::from(sc.k_transposed)));
            let mut operands = vec![sc.q, sc.k, v];
            if let Some((m, kind, fill)) = sc.mask {
                operands.push(m);
                attrs.insert("mask_kind".into(), Attribute::string(kind));
                if kind != "additive" {
                    attrs.insert("mask_fill".into(), fill?);
                }
            }
            if nan_to_zero {
                attrs.insert("nan_to_zero".into(), Attribute::i64(1));
            }
            // The composite's own shape rule must give the matmul's result.
            let shaped: Vec<(&[i64], TypeId)> =
                operands.iter().map(|&o| cx.tensor_shape(cx.value_type(o))).collect::<Option<_>>()?;
            let inferred = crate::infer("graph.attention", &crate::InferInput { operands: &shaped, attrs: &attrs }, 1)?;
            let result = cx.tensor_shape(cx.value_type(cx.result(op, 0)))?;
            let ok = matches!(inferred.ok()?.as_slice(), [(s, e)] if s.as_slice() == result.0 && *e == result.1);
            ok.then_some((operands, attrs))
        })();
        let Some((operands, attrs)) = matched else { return false };
        let ty = rw.value_type(rw.result(op, 0));
        let name = rw.context_mut().op_name("graph.attention");
        let mut state = OperationState::new(name).operands(operands).results([ty]);
        state.attrs = attrs;
        rw.replace_op_with(op, state);
        true
    }
}

/// A tensor a folded weight can be derived from: a model weight (not itself derived) or a
/// constant whose value is kept. Its label for derived names and its `folded_from` entry.
fn fold_source(cx: &Context, v: ValueId) -> Option<(String, Attribute)> {
    let op = cx.defining_op(v)?;
    match cx.name(op) {
        "graph.weight" if cx.attr(op, "fold").is_none() => {
            let name = cx.attr(op, "name")?.as_str()?;
            Some((name.to_string(), Attribute::string(name)))
        }
        "graph.constant" => {
            let value = cx.attr(op, "splat").or_else(|| cx.attr(op, "value"))?;
            let number = |a: &Attribute| a.as_float().is_some() || a.as_int().is_some();
            let ok = number(value) || value.as_array().is_some_and(|items| items.iter().all(number));
            ok.then(|| ("const".to_string(), value.clone()))
        }
        _ => None,
    }
}

/// `batch_normalization(conv(X, W[, B]), scale, bias, mean, var)` in inference mode, the
/// convolution used only there and every parameter a weight or a constant of shape [K] →
/// `conv(X, W', B')`, where `W'` and `B'` are new `graph.weight`s whose `fold`,
/// `folded_from` and `epsilon` say how to compute them: W' = W·scale/√(var+ε) per output
/// channel, B' = (B−mean)·scale/√(var+ε)+bias (B = 0 without a conv bias). They are named
/// `<W>+<scale>` and `<B or W>+<bias>` (`const` for a constant), made unique in the block.
struct FoldBatchNormIntoConv;

impl RewritePattern for FoldBatchNormIntoConv {
    fn name(&self) -> &'static str {
        FOLD_BATCH_NORM
    }

    fn root(&self) -> Option<&'static str> {
        Some("graph.batch_normalization")
    }

    fn match_and_rewrite(&self, op: OpId, rw: &mut Rewriter<'_>) -> bool {
        let cx: &Context = rw;
        let matched = (|| {
            let inference = match cx.attr(op, "training_mode") {
                None => true,
                Some(a) => a.as_int() == Some(0) || a.as_bool() == Some(false),
            };
            if !inference || cx.num_results(op) != 1 || cx.operands(op).len() != 5 {
                return None;
            }
            let y = cx.operand(op, 0);
            let conv = def(cx, y, "graph.conv").filter(|&c| single_use(cx, y) && cx.num_results(c) == 1)?;
            let (ys, elem) = cx.tensor_shape(cx.value_type(y))?;
            let w = cx.operand(conv, 1);
            let k = *shape_of(cx, w)?.first()?;
            if ys.len() < 3 || ys[1] != k || !matches!(cx.type_data(elem), TypeData::Float(_)) {
                return None;
            }
            let per_channel = |v: ValueId| cx.tensor_shape(cx.value_type(v)) == Some((&[k][..], elem));
            let mut params = Vec::new();
            for i in 1..5 {
                let v = cx.operand(op, i);
                params.push(fold_source(cx, v).filter(|_| per_channel(v))?);
            }
            let weight = fold_source(cx, w)?;
            let bias = match cx.operands(conv).get(2) {
                Some(&b) => Some(fold_source(cx, b).filter(|_| per_channel(b))?),
                None => None,
            };
            let eps = cx.attr(op, "epsilon").cloned().unwrap_or(Attribute::Float { value: 1e-5, ty: TypeId::F32 });
            eps.as_float()?;
            let taken: std::collections::HashSet<String> = cx
                .parent_block(op)
                .map(|b| {
                    cx.block_ops(b)
                        .filter(|&o| cx.is(o, "graph.weight"))
                        .filter_map(|o| cx.attr(o, "name").and_then(Attribute::as_str).map(str::to_string))
                        .collect()
                })
                .unwrap_or_default();
            let unique = |base: String, also: Option<&str>| {
                (0..)
                    .map(|n| if n == 0 { base.clone() } else { format!("{base}#{n}") })
                    .find(|name| !taken.contains(name) && Some(name.as_str()) != also)
                    .expect("unbounded")
            };
            let w_name = unique(format!("{}+{}", weight.0, params[0].0), None);
            let b_base = format!("{}+{}", bias.as_ref().unwrap_or(&weight).0, params[1].0);
            let b_name = unique(b_base, Some(&w_name));
            let zero = Attribute::Float { value: 0.0, ty: elem };
            let b_src = bias.map_or(zero, |b| b.1);
            let [scale, beta, mean, var] = [0, 1, 2, 3].map(|i| params[i].1.clone());
            let w_inputs = vec![weight.1, scale.clone(), var.clone()];
            let b_inputs = vec![b_src, scale, beta, mean, var];
            let loc = Location::fused([cx.loc(conv).clone(), cx.loc(op).clone()]);
            let conv_attrs = cx.attrs(conv).clone();
            let b_ty = (vec![k], elem);
            Some((
                cx.operand(conv, 0),
                (w_name, cx.value_type(w), w_inputs),
                (b_name, b_ty, b_inputs),
                eps,
                conv_attrs,
                loc,
            ))
        })();
        let Some((x, (w_name, w_ty, w_inputs), (b_name, (b_shape, elem), b_inputs), eps, conv_attrs, loc)) = matched
        else {
            return false;
        };
        let b_ty = rw.context_mut().tensor_type(&b_shape, elem);
        let weight_op = rw.context_mut().op_name("graph.weight");
        let derived = |rw: &mut Rewriter<'_>, name: String, ty: TypeId, fold: &str, inputs: Vec<Attribute>| {
            let state = OperationState::new(weight_op)
                .results([ty])
                .attr("name", Attribute::string(name.as_str()))
                .attr("fold", Attribute::string(fold))
                .attr("folded_from", Attribute::array(inputs))
                .attr("epsilon", eps.clone())
                .loc(Location::name(name));
            let w = rw.create_before(op, state);
            rw.result(w, 0)
        };
        let w = derived(rw, w_name, w_ty, "conv_bn_weight", w_inputs);
        let b = derived(rw, b_name, b_ty, "conv_bn_bias", b_inputs);
        let ty = rw.value_type(rw.result(op, 0));
        let conv_name = rw.context_mut().op_name("graph.conv");
        let mut state = OperationState::new(conv_name).operands([x, w, b]).results([ty]).loc(loc);
        state.attrs = conv_attrs;
        rw.replace_op_with(op, state);
        true
    }
}
