//! Recognition patterns: composite operators that exporters decompose, put back together so
//! later layers cost and schedule them as one kernel — GELU (Erf and Tanh forms), SiLU, and
//! RMSNorm (with its scale). Used by the `graph-canonicalize` pass.
//!
//! Matching is structural and checks every constant's value, operand order either way round
//! for the commutative ops, and that the intermediate values have no other users (so nothing
//! is computed twice after the rewrite).

use dnnc_ir::{Attribute, Context, OpId, OperationState, PatternSet, RewritePattern, Rewriter, ValueId};

/// Adds every recognition pattern to `set`.
pub fn add_recognition_patterns(set: &mut PatternSet) {
    set.add(Silu);
    set.add(GeluErf);
    set.add(GeluTanh);
    set.add(RmsNorm);
    set.add(RmsNormScale);
    set.add(LayerNormDecomposed);
}

/// The op defining `v` if it is named `name`.
fn def(cx: &Context, v: ValueId, name: &str) -> Option<OpId> {
    cx.defining_op(v).filter(|&op| cx.is(op, name))
}

/// The scalar value of a constant (a `splat`, or a single-element `value`).
fn scalar(cx: &Context, v: ValueId) -> Option<f64> {
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
