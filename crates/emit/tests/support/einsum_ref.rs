//! An einsum interpreter for tests: evaluates a function of `einsum.op`s directly from each
//! op's dims, sizes, maps and source (written independently of the HLS emitter, in f64), so the
//! emitted C++ can be checked against it.

use std::collections::HashMap;

use dnnc_ir::{AffineExpr, Attribute, Context, OpId, ValueId};

/// A dense row-major tensor.
#[derive(Clone, Debug)]
pub struct Tensor {
    pub shape: Vec<i64>,
    pub data: Vec<f64>,
}

impl Tensor {
    fn zeros(shape: &[i64]) -> Tensor {
        Tensor { shape: shape.to_vec(), data: vec![0.0; shape.iter().product::<i64>().max(1) as usize] }
    }

    /// The flat offset of `idx`, or `None` when it is out of bounds.
    fn offset(&self, idx: &[i64]) -> Option<usize> {
        let mut off = 0i64;
        for (&i, &n) in idx.iter().zip(&self.shape) {
            if i < 0 || i >= n {
                return None;
            }
            off = off * n + i;
        }
        Some(off as usize)
    }

    fn get(&self, idx: &[i64]) -> Option<f64> {
        self.offset(idx).map(|o| self.data[o])
    }
}

/// Every point of an iteration space of `sizes`, row-major.
fn points(sizes: &[i64]) -> Vec<Vec<i64>> {
    let total: i64 = sizes.iter().product();
    let mut out = Vec::with_capacity(total.max(0) as usize);
    let mut p = vec![0i64; sizes.len()];
    for _ in 0..total {
        out.push(p.clone());
        for j in (0..p.len()).rev() {
            p[j] += 1;
            if p[j] < sizes[j] {
                break;
            }
            p[j] = 0;
        }
    }
    out
}

fn source_attr(cx: &Context, op: OpId, key: &str) -> Option<f64> {
    let a = cx.attr(op, "source_attrs")?.as_dict()?.get(key)?;
    a.as_float().or_else(|| a.as_int().map(|v| v as f64))
}

fn source_str<'a>(cx: &'a Context, op: OpId, key: &str) -> Option<&'a str> {
    cx.attr(op, "source_attrs")?.as_dict()?.get(key)?.as_str()
}

fn uses_dim(e: &AffineExpr, d: u32) -> bool {
    use AffineExpr::*;
    match e {
        Dim(i) => *i == d,
        Symbol(_) | Const(_) => false,
        Add(a, b) | Mul(a, b) | FloorDiv(a, b) | CeilDiv(a, b) | Mod(a, b) => uses_dim(a, d) || uses_dim(b, d),
    }
}

fn is_bool(cx: &Context, v: ValueId) -> bool {
    let e = cx.element_type(cx.value_type(v));
    cx.type_data(e).scalar_bits() == Some(1)
}

/// Evaluates the first function of `module`: `inputs` by argument position, `weights` by name.
pub fn evaluate(
    cx: &Context,
    module: OpId,
    inputs: &[Tensor],
    weights: &HashMap<String, Tensor>,
) -> Result<Vec<Tensor>, String> {
    let func = cx.nested_ops(module).into_iter().find(|&o| cx.is(o, "func.func")).ok_or("no function")?;
    let body = cx.body(func, 0).ok_or("no body")?;
    let mut vals: HashMap<ValueId, Tensor> = HashMap::new();
    for (i, &a) in cx.block_args(body).iter().enumerate() {
        vals.insert(a, inputs.get(i).cloned().ok_or("missing input")?);
    }
    for op in cx.block_ops(body) {
        let name = cx.name(op);
        if name == "func.return" {
            return cx.operands(op).iter().map(|v| vals.get(v).cloned().ok_or("unknown value".to_string())).collect();
        }
        let shape = cx.tensor_shape(cx.value_type(cx.result(op, 0))).map(|(s, _)| s.to_vec()).unwrap_or_default();
        let t = match name {
            "graph.weight" => {
                let n = cx.attr(op, "name").and_then(Attribute::as_str).ok_or("weight without name")?;
                weights.get(n).cloned().ok_or_else(|| format!("no data for weight {n}"))?
            }
            "graph.constant" => {
                let mut t = Tensor::zeros(&shape);
                let num = |a: &Attribute| match a {
                    Attribute::Float { value, .. } => *value,
                    Attribute::Int { value, .. } => *value as f64,
                    Attribute::Bool(b) => f64::from(u8::from(*b)),
                    _ => f64::NAN,
                };
                if let Some(vs) = cx.attr(op, "value").and_then(Attribute::as_array) {
                    t.data = vs.iter().map(num).collect();
                } else if let Some(s) = cx.attr(op, "splat") {
                    t.data.iter_mut().for_each(|x| *x = num(s));
                } else {
                    return Err("constant without value".into());
                }
                t
            }
            "einsum.op" => {
                let ins: Vec<&Tensor> =
                    cx.operands(op).iter().map(|v| vals.get(v).ok_or("unknown operand")).collect::<Result<_, _>>()?;
                einsum(cx, op, &ins, &shape)?
            }
            other => return Err(format!("the reference cannot evaluate {other}")),
        };
        vals.insert(cx.result(op, 0), t);
    }
    Err("function without return".into())
}

fn einsum(cx: &Context, op: OpId, ins: &[&Tensor], shape: &[i64]) -> Result<Tensor, String> {
    let e = dnnc_einsum::Einsum::of(cx, op).ok_or("malformed einsum")?;
    let src = e.source.strip_prefix("graph.").unwrap_or(e.source);
    let mut out = Tensor::zeros(shape);
    let omap = *e.maps.last().unwrap();
    let at = |i: usize, p: &[i64]| -> Option<f64> { ins[i].get(&e.maps[i].eval(p, &[])?) };
    let oidx = |p: &[i64]| -> usize { out_offset(shape, &omap.eval(p, &[]).unwrap()) };
    match e.kind {
        "mac" => {
            for p in points(&e.sizes) {
                if let (Some(a), Some(b)) = (at(0, &p), at(1, &p)) {
                    let o = oidx(&p);
                    out.data[o] += a * b;
                }
            }
        }
        "elementwise" => {
            for p in points(&e.sizes) {
                let xs: Option<Vec<f64>> = (0..ins.len()).map(|i| at(i, &p)).collect();
                let o = oidx(&p);
                out.data[o] = match xs {
                    Some(xs) => scalar(cx, op, src, e.part, &xs, &p, &e.sizes)?,
                    None => 0.0,
                };
            }
            if is_bool(cx, cx.result(op, 0)) {
                out.data.iter_mut().for_each(|x| *x = f64::from(u8::from(*x != 0.0)));
            }
        }
        "data_movement" => {
            let indirect = cx.attr(op, "indirect").and_then(Attribute::as_int_array);
            for p in points(&e.sizes) {
                let o = oidx(&p);
                out.data[o] = match &indirect {
                    Some(ind) => {
                        let pos = ind[1] as usize;
                        let mut idx = e.maps[0].eval(&p, &[]).unwrap();
                        let mut k = at(1, &p).unwrap_or(0.0) as i64;
                        if k < 0 {
                            k += ins[0].shape[pos];
                        }
                        idx[pos] = k;
                        ins[0].get(&idx).unwrap_or(0.0)
                    }
                    None => (0..ins.len()).find_map(|i| at(i, &p)).unwrap_or(0.0),
                };
            }
        }
        "reduction" => {
            let norm = cx.attr(op, "normalized").and_then(Attribute::as_int_array);
            match norm {
                Some(norm) => normalise(cx, op, src, e.part, &e.dims, &e.sizes, &norm, ins, &e.maps, &mut out)?,
                None => {
                    let mode = match src {
                        "reduce_sum" | "einsum" => 0,
                        "reduce_mean" | "global_average_pool" | "average_pool" => 1,
                        "reduce_max" | "max_pool" => 2,
                        other => return Err(format!("reference: no reduction {other}")),
                    };
                    let mut count = vec![0f64; out.data.len()];
                    if mode == 2 {
                        out.data.iter_mut().for_each(|x| *x = f64::NEG_INFINITY);
                    }
                    for p in points(&e.sizes) {
                        if let Some(x) = at(0, &p) {
                            let o = oidx(&p);
                            count[o] += 1.0;
                            if mode == 2 {
                                out.data[o] = out.data[o].max(x);
                            } else {
                                out.data[o] += x;
                            }
                        }
                    }
                    if mode == 1 {
                        for (x, c) in out.data.iter_mut().zip(&count) {
                            *x /= c;
                        }
                    }
                }
            }
        }
        k => return Err(format!("reference: kind {k}")),
    }
    let _ = uses_dim;
    Ok(out)
}

fn out_offset(shape: &[i64], idx: &[i64]) -> usize {
    idx.iter().zip(shape).fold(0i64, |acc, (&i, &n)| acc * n + i) as usize
}

#[allow(clippy::too_many_arguments)]
fn normalise(
    cx: &Context,
    op: OpId,
    src: &str,
    part: Option<&str>,
    dims: &[&str],
    sizes: &[i64],
    norm: &[i64],
    ins: &[&Tensor],
    maps: &[&dnnc_ir::AffineMap],
    out: &mut Tensor,
) -> Result<(), String> {
    let inner: Vec<usize> = norm.iter().map(|&d| d as usize).collect();
    let outer: Vec<usize> = (0..dims.len()).filter(|d| !inner.contains(d)).collect();
    let osizes: Vec<i64> = outer.iter().map(|&d| sizes[d]).collect();
    let isizes: Vec<i64> = inner.iter().map(|&d| sizes[d]).collect();
    let eps = source_attr(cx, op, "epsilon").unwrap_or(1e-5);
    for po in points(&osizes) {
        let full = |pi: &[i64]| -> Vec<i64> {
            let mut p = vec![0; dims.len()];
            for (k, &d) in outer.iter().enumerate() {
                p[d] = po[k];
            }
            for (k, &d) in inner.iter().enumerate() {
                p[d] = pi[k];
            }
            p
        };
        let row: Vec<Vec<i64>> = points(&isizes).into_iter().map(|pi| full(&pi)).collect();
        let x = |p: &[i64]| ins[0].get(&maps[0].eval(p, &[]).unwrap()).unwrap();
        let arg = |i: usize, p: &[i64]| ins.get(i).map(|t| t.get(&maps[i].eval(p, &[]).unwrap()).unwrap());
        let n = row.len() as f64;
        let omap = maps[ins.len()];
        let set = |out: &mut Tensor, p: &[i64], v: f64| {
            let o = out_offset(&out.shape.clone(), &omap.eval(p, &[]).unwrap());
            out.data[o] = v;
        };
        match (src, part) {
            ("softmax", _) | ("attention", Some("softmax")) => {
                let m = row.iter().map(|p| x(p)).fold(f64::NEG_INFINITY, f64::max);
                let s: f64 = row.iter().map(|p| (x(p) - m).exp()).sum();
                for p in &row {
                    set(out, p, (x(p) - m).exp() / s);
                }
            }
            ("layer_normalization", _) => {
                let mean = row.iter().map(|p| x(p)).sum::<f64>() / n;
                let var = row.iter().map(|p| (x(p) - mean).powi(2)).sum::<f64>() / n;
                for p in &row {
                    let v = (x(p) - mean) / (var + eps).sqrt() * arg(1, p).unwrap_or(1.0) + arg(2, p).unwrap_or(0.0);
                    set(out, p, v);
                }
            }
            ("rms_normalization", _) => {
                let ms = row.iter().map(|p| x(p).powi(2)).sum::<f64>() / n;
                for p in &row {
                    set(out, p, x(p) / (ms + eps).sqrt() * arg(1, p).unwrap_or(1.0));
                }
            }
            other => return Err(format!("reference: no normalisation {other:?}")),
        }
    }
    Ok(())
}

fn scalar(
    cx: &Context,
    op: OpId,
    src: &str,
    part: Option<&str>,
    x: &[f64],
    p: &[i64],
    sizes: &[i64],
) -> Result<f64, String> {
    let b = |v: bool| f64::from(u8::from(v));
    let _ = sizes;
    Ok(match (src, part) {
        ("attention", Some("scale")) => x[0] * source_attr(cx, op, "scale").ok_or("scale")?,
        ("attention", Some("mask")) => {
            let fill = source_attr(cx, op, "mask_fill").unwrap_or(f64::NEG_INFINITY);
            match source_str(cx, op, "mask_kind").unwrap_or("additive") {
                "additive" => x[0] + x[1],
                "keep" => {
                    if x[1] != 0.0 {
                        x[0]
                    } else {
                        fill
                    }
                }
                _ => {
                    if x[1] != 0.0 {
                        fill
                    } else {
                        x[0]
                    }
                }
            }
        }
        ("attention", Some("nan_to_zero")) => {
            if x[0].is_nan() {
                0.0
            } else {
                x[0]
            }
        }
        ("relu", _) => x[0].max(0.0),
        ("clip", _) => {
            let lo = source_attr(cx, op, "min").unwrap_or(f64::NEG_INFINITY);
            let hi = source_attr(cx, op, "max").unwrap_or(f64::INFINITY);
            x[0].max(lo).min(hi)
        }
        ("leaky_relu" | "elu" | "hard_sigmoid", _) => {
            let param = |k: &str| source_attr(cx, op, k).or_else(|| dnnc_einsum::source_default(src, k));
            let alpha = param("alpha").ok_or("alpha")?;
            match src {
                "hard_sigmoid" => (alpha * x[0] + param("beta").ok_or("beta")?).clamp(0.0, 1.0),
                _ if x[0] >= 0.0 => x[0],
                "elu" => alpha * (x[0].exp() - 1.0),
                _ => alpha * x[0],
            }
        }
        ("prelu", _) => {
            if x[0] >= 0.0 {
                x[0]
            } else {
                x[1] * x[0]
            }
        }
        ("hard_swish", _) => x[0] * (x[0] / 6.0 + 0.5).clamp(0.0, 1.0),
        ("softplus", _) => x[0].exp().ln_1p(),
        ("sigmoid", _) => 1.0 / (1.0 + (-x[0]).exp()),
        ("silu", _) => x[0] / (1.0 + (-x[0]).exp()),
        ("tanh", _) => x[0].tanh(),
        ("sqrt", _) => x[0].sqrt(),
        ("exp", _) => x[0].exp(),
        ("log", _) => x[0].ln(),
        ("cos", _) => x[0].cos(),
        ("sin", _) => x[0].sin(),
        ("abs", _) => x[0].abs(),
        ("floor", _) => x[0].floor(),
        ("ceil", _) => x[0].ceil(),
        ("round", _) => x[0].round_ties_even(),
        ("sign", _) => {
            if x[0] > 0.0 {
                1.0
            } else if x[0] < 0.0 {
                -1.0
            } else {
                0.0
            }
        }
        ("neg", _) => -x[0],
        ("reciprocal", _) => 1.0 / x[0],
        ("gelu", _) => {
            let v = x[0];
            if source_str(cx, op, "approximate") == Some("tanh") {
                0.5 * v * (1.0 + ((2.0 / std::f64::consts::PI).sqrt() * (v + 0.044715 * v.powi(3))).tanh())
            } else {
                // erf by its series / continued fraction is not in std; tanh-free Abramowitz-Stegun 7.1.26.
                0.5 * v * (1.0 + erf(v / std::f64::consts::SQRT_2))
            }
        }
        ("add" | "gemm" | "conv" | "conv_transpose", _) => x[0] + x[1],
        ("sub", _) => x[0] - x[1],
        ("mul", _) => x[0] * x[1],
        ("div", _) => x[0] / x[1],
        ("pow", _) => x[0].powf(x[1]),
        ("max", _) => x[0].max(x[1]),
        ("min", _) => x[0].min(x[1]),
        ("equal", _) => b(x[0] == x[1]),
        ("less", _) => b(x[0] < x[1]),
        ("less_or_equal", _) => b(x[0] <= x[1]),
        ("greater", _) => b(x[0] > x[1]),
        ("and", _) => b(x[0] != 0.0 && x[1] != 0.0),
        ("or", _) => b(x[0] != 0.0 || x[1] != 0.0),
        ("not", _) => b(x[0] == 0.0),
        ("where", _) => {
            if x[0] != 0.0 {
                x[1]
            } else {
                x[2]
            }
        }
        ("cast", _) => x[0],
        ("trilu", _) => {
            let n = p.len();
            let (r, c) = (p[n - 2], p[n - 1]);
            let k = source_attr(cx, op, "k").unwrap_or(0.0) as i64;
            let keep = if source_attr(cx, op, "upper").unwrap_or(1.0) != 0.0 { c - r >= k } else { c - r <= k };
            if keep { x[0] } else { 0.0 }
        }
        other => return Err(format!("reference: no elementwise {other:?}")),
    })
}

/// The error function to ~1e-7 (Abramowitz and Stegun 7.1.26 is 1.5e-7).
fn erf(x: f64) -> f64 {
    let t = 1.0 / (1.0 + 0.3275911 * x.abs());
    let y = 1.0
        - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592)
            * t
            * (-x * x).exp();
    if x >= 0.0 { y } else { -y }
}
