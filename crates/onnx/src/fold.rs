//! Import-time evaluation of integer shape arithmetic. Exporters compute shapes with small
//! integer and boolean tensors (`ConstantOfShape`, `Mul`, `Equal`, `Where`, `Shape`,
//! `Gather`, `Concat`, …); dnnc's types are static, so the importer evaluates these when their
//! inputs are known and emits the results as constants. Float tensors whose values are all
//! integers (a mask built from counts, as Swin's shifted-window attention does with
//! `ScatterND`) are evaluated the same way, by the operations that are exact on them; division,
//! `Mod` and `Range` on floats are left to the graph.

use crate::DataType;
use dnnc_graph::shape;

/// Inputs [`eval`] reads of op `op` (beyond the first).
fn min_inputs(op: &str) -> usize {
    match op {
        "Slice" | "Where" | "Range" | "ScatterND" => 3,
        "Add" | "Sub" | "Mul" | "Div" | "Mod" | "Equal" | "Less" | "Greater" | "And" | "Or" | "Gather" | "Expand"
        | "CumSum" | "Reshape" => 2,
        _ => 1,
    }
}

/// Largest tensor the evaluator builds (shape arithmetic is tiny; masks may be larger). A
/// larger result is not evaluated: the node stays a graph op on constants.
const MAX_ELEMENTS: i64 = 1 << 16;

/// Why a node with known inputs was not evaluated.
#[derive(Clone, Debug, PartialEq)]
pub enum FoldError {
    /// The result would exceed [`MAX_ELEMENTS`]: the node is left to the graph.
    TooLarge,
    /// The node is malformed (an error to report against it).
    Invalid(String),
}

impl From<String> for FoldError {
    fn from(e: String) -> Self {
        FoldError::Invalid(e)
    }
}

impl From<&str> for FoldError {
    fn from(e: &str) -> Self {
        FoldError::Invalid(e.to_string())
    }
}

/// A known integer or boolean tensor (booleans as 0 and 1).
#[derive(Clone, Debug, PartialEq)]
pub struct IntTensor {
    pub shape: Vec<i64>,
    pub data: Vec<i64>,
    pub dtype: DataType,
}

impl IntTensor {
    pub fn vector(data: Vec<i64>) -> Self {
        IntTensor { shape: vec![data.len() as i64], data, dtype: DataType::Int64 }
    }

    fn scalar_or_vector(&self) -> &[i64] {
        &self.data
    }
}

/// What one node's evaluation sees.
pub struct EvalInput<'a> {
    pub op_type: &'a str,
    /// Known values of the inputs (`None`: not known at import time).
    pub values: &'a [Option<&'a IntTensor>],
    /// Static shapes of the inputs (for `Shape`).
    pub shapes: &'a [Option<Vec<i64>>],
    /// Integer attributes of the node, by name.
    pub int_attr: &'a dyn Fn(&str) -> Option<i64>,
    /// Integer-list attributes of the node, by name (`Transpose`'s `perm`).
    pub ints_attr: &'a dyn Fn(&str) -> Option<Vec<i64>>,
    /// The element type `Cast` converts to.
    pub cast_to: Option<DataType>,
}

/// Evaluates the node if it is shape arithmetic with known inputs; `Ok(None)` if it is not.
pub fn eval(input: &EvalInput<'_>) -> Result<Option<IntTensor>, FoldError> {
    let v = |i: usize| input.values.get(i).copied().flatten();
    let all_known = !input.values.is_empty() && input.values.iter().all(Option::is_some);
    let out = match input.op_type {
        "Shape" => {
            let Some(Some(s)) = input.shapes.first() else { return Ok(None) };
            let rank = s.len() as i64;
            let clamp = |a: i64| (if a < 0 { a + rank } else { a }).clamp(0, rank) as usize;
            let start = clamp((input.int_attr)("start").unwrap_or(0));
            let end = clamp((input.int_attr)("end").unwrap_or(rank));
            IntTensor::vector(s[start..end.max(start)].to_vec())
        }
        _ if !all_known => return Ok(None),
        // A node short of the inputs its evaluation reads (opset-1 Slice takes starts and ends
        // as attributes) is not evaluated here: the graph op reports it.
        op if input.values.len() < min_inputs(op) => return Ok(None),
        // Not exact on floats.
        "Div" | "Mod" | "Range" if input.values.iter().flatten().any(|t| t.dtype.is_float()) => return Ok(None),
        "Identity" => v(0).cloned().expect("known"),
        "Neg" => map(v(0).expect("known"), |x| x.wrapping_neg()),
        "Not" => map(v(0).expect("known"), |x| i64::from(x == 0)),
        "Cast" => match input.cast_to {
            Some(dt) if dt.is_integer() || dt == DataType::Bool || dt.is_float() => {
                let mut t = map(v(0).expect("known"), |x| if dt == DataType::Bool { i64::from(x != 0) } else { x });
                t.dtype = dt;
                t
            }
            _ => return Ok(None),
        },
        "Add" | "Sub" | "Mul" | "Div" | "Equal" | "Less" | "Greater" | "And" | "Or" => {
            let (a, b) = (v(0).expect("known"), v(1).expect("known"));
            let op = input.op_type;
            let boolean = matches!(op, "Equal" | "Less" | "Greater" | "And" | "Or");
            let mut t = zip(a, b, |x, y| match op {
                "Add" => Some(x.wrapping_add(y)),
                "Sub" => Some(x.wrapping_sub(y)),
                "Mul" => Some(x.wrapping_mul(y)),
                "Div" => x.checked_div(y),
                "Equal" => Some(i64::from(x == y)),
                "Less" => Some(i64::from(x < y)),
                "Greater" => Some(i64::from(x > y)),
                "And" => Some(i64::from(x != 0 && y != 0)),
                _ => Some(i64::from(x != 0 || y != 0)),
            })?;
            if boolean {
                t.dtype = DataType::Bool;
            }
            t
        }
        "Slice" => {
            let data = v(0).expect("known");
            let rank = data.shape.len();
            let (starts, ends) = (&v(1).expect("known").data, &v(2).expect("known").data);
            let axes: Vec<usize> = match v(3) {
                Some(a) => a.data.iter().map(|&a| shape::axis(a, rank, 0)).collect::<Result<_, _>>()?,
                None => (0..starts.len()).collect(),
            };
            let steps = v(4).map_or_else(|| vec![1; starts.len()], |s| s.data.clone());
            if ends.len() != starts.len() || axes.len() != starts.len() || steps.len() != starts.len() {
                return Err("Slice starts, ends, axes and steps differ in length".into());
            }
            // The indices kept along each dimension, with ONNX's clamping.
            let mut kept: Vec<Vec<i64>> = data.shape.iter().map(|&n| (0..n).collect()).collect();
            for k in 0..starts.len() {
                let (n, step) = (data.shape[axes[k]], steps[k]);
                if step == 0 {
                    return Err("Slice steps must not be 0".into());
                }
                let fix = |v: i64, lo: i64, hi: i64| (if v < 0 { v.saturating_add(n) } else { v }).clamp(lo, hi);
                let (lo, hi) = if step > 0 { (0, n) } else { (-1, n - 1) };
                let (start, end) = (fix(starts[k], lo, hi), fix(ends[k], lo, hi));
                let mut picked = Vec::new();
                let mut i = start;
                while (step > 0 && i < end) || (step < 0 && i > end) {
                    picked.push(i);
                    i += step;
                }
                kept[axes[k]] = picked;
            }
            let out_shape: Vec<i64> = kept.iter().map(|k| k.len() as i64).collect();
            check_size(&out_shape)?;
            let strides: Vec<i64> = (0..rank).map(|d| data.shape[d + 1..].iter().product::<i64>()).collect();
            let mut out = Vec::with_capacity(shape::numel(&out_shape) as usize);
            let mut at = vec![0usize; rank];
            for _ in 0..shape::numel(&out_shape) {
                let offset: i64 = (0..rank).map(|d| kept[d][at[d]] * strides[d]).sum();
                out.push(data.data[offset as usize]);
                for d in (0..rank).rev() {
                    at[d] += 1;
                    if at[d] < kept[d].len() {
                        break;
                    }
                    at[d] = 0;
                }
            }
            IntTensor { shape: out_shape, data: out, dtype: data.dtype }
        }
        "Transpose" => {
            let data = v(0).expect("known");
            let rank = data.shape.len();
            let perm = (input.ints_attr)("perm").unwrap_or_else(|| (0..rank as i64).rev().collect());
            let mut sorted = perm.clone();
            sorted.sort_unstable();
            if sorted != (0..rank as i64).collect::<Vec<_>>() {
                return Err(format!("Transpose perm {perm:?} is not a permutation of {rank} axes").into());
            }
            let out_shape: Vec<i64> = perm.iter().map(|&p| data.shape[p as usize]).collect();
            let strides: Vec<i64> = (0..rank).map(|d| data.shape[d + 1..].iter().product::<i64>()).collect();
            let mut out = Vec::with_capacity(data.data.len());
            let mut at = vec![0i64; rank];
            for _ in 0..data.data.len() {
                let offset: i64 = (0..rank).map(|d| at[d] * strides[perm[d] as usize]).sum();
                out.push(data.data[offset as usize]);
                for d in (0..rank).rev() {
                    at[d] += 1;
                    if at[d] < out_shape[d] {
                        break;
                    }
                    at[d] = 0;
                }
            }
            IntTensor { shape: out_shape, data: out, dtype: data.dtype }
        }
        "CumSum" => {
            // Running sums along `axis` (a scalar input), `exclusive` and `reverse` as ONNX has them.
            let (data, axis) = (v(0).expect("known"), v(1).expect("known"));
            let axis = shape::axis(*axis.data.first().ok_or("CumSum axis must be a scalar")?, data.shape.len(), 0)?;
            let (exclusive, reverse) =
                ((input.int_attr)("exclusive").unwrap_or(0) != 0, (input.int_attr)("reverse").unwrap_or(0) != 0);
            let (outer, n, inner) = split_at_axis(&data.shape, axis);
            let mut out = data.data.clone();
            for o in 0..outer {
                for i in 0..inner {
                    let at = |k: i64| ((o * n + k) * inner + i) as usize;
                    let order: Vec<i64> = if reverse { (0..n).rev().collect() } else { (0..n).collect() };
                    let mut sum = 0i64;
                    for k in order {
                        let x = data.data[at(k)];
                        out[at(k)] = if exclusive { sum } else { sum.wrapping_add(x) };
                        sum = sum.wrapping_add(x);
                    }
                }
            }
            IntTensor { shape: data.shape.clone(), data: out, dtype: data.dtype }
        }
        "Mod" => {
            // `fmod = 0` (integers): the remainder takes the divisor's sign, as Python's `%`.
            let fmod = (input.int_attr)("fmod").unwrap_or(0) != 0;
            zip(v(0).expect("known"), v(1).expect("known"), |x, y| {
                let r = x.checked_rem(y)?;
                Some(if !fmod && r != 0 && (r < 0) != (y < 0) { r + y } else { r })
            })?
        }
        "Where" => {
            let (c, x, y) = (v(0).expect("known"), v(1).expect("known"), v(2).expect("known"));
            let out = shape::broadcast(&shape::broadcast(&c.shape, &x.shape)?, &y.shape)?;
            check_size(&out)?;
            let data = (0..shape::numel(&out))
                .map(|i| {
                    let pick = |t: &IntTensor| t.data[broadcast_index(i, &out, &t.shape)];
                    if pick(c) != 0 { pick(x) } else { pick(y) }
                })
                .collect();
            IntTensor { shape: out, data, dtype: x.dtype }
        }
        "ConstantOfShape" => return Ok(None),
        // `reduction = none` (the importer evaluates no other): a copy of the data with the
        // slices the index tuples name replaced by the updates, in order.
        "ScatterND" => scatter_nd(v(0).expect("known"), v(1).expect("known"), v(2).expect("known"))?,
        "Gather" => {
            let (data, idx) = (v(0).expect("known"), v(1).expect("known"));
            let axis = shape::axis((input.int_attr)("axis").unwrap_or(0), data.shape.len(), 0)?;
            let mut out_shape = data.shape[..axis].to_vec();
            out_shape.extend_from_slice(&idx.shape);
            out_shape.extend_from_slice(&data.shape[axis + 1..]);
            check_size(&out_shape)?;
            let (outer, n, inner) = split_at_axis(&data.shape, axis);
            let mut out = Vec::new();
            for o in 0..outer {
                for &k in &idx.data {
                    let k = if k < 0 { k + n } else { k };
                    if !(0..n).contains(&k) {
                        return Err(format!("Gather index {k} is out of range for dimension of size {n}").into());
                    }
                    let base = ((o * n + k) * inner) as usize;
                    out.extend_from_slice(&data.data[base..base + inner as usize]);
                }
            }
            IntTensor { shape: out_shape, data: out, dtype: data.dtype }
        }
        "Unsqueeze" | "Squeeze" | "Reshape" => {
            let data = v(0).expect("known");
            let target = match input.op_type {
                "Reshape" => crate::reshape_target(&data.shape, v(1).expect("known").scalar_or_vector(), false)?,
                op => {
                    let axes = v(1).map(|a| a.data.clone());
                    let mut shaped = dnnc_ir::AttrDict::default();
                    if let Some(axes) = axes {
                        shaped.insert("axes".into(), dnnc_ir::Attribute::i64_array(&axes));
                    }
                    let rule = if op == "Unsqueeze" { "unsqueeze" } else { "squeeze" };
                    dnnc_graph::infer_shape(rule, &[(&data.shape, dnnc_ir::TypeId::I64)], &shaped)?
                }
            };
            IntTensor { shape: target, data: data.data.clone(), dtype: data.dtype }
        }
        "Concat" => {
            let parts: Vec<&IntTensor> = input.values.iter().map(|t| t.expect("known")).collect();
            let first = parts[0];
            let axis = shape::axis((input.int_attr)("axis").unwrap_or(0), first.shape.len(), 0)?;
            let mut out_shape = first.shape.clone();
            out_shape[axis] = parts.iter().map(|p| p.shape.get(axis).copied().unwrap_or(0)).sum();
            check_size(&out_shape)?;
            let (outer, _, inner) = split_at_axis(&first.shape, axis);
            let mut out = Vec::new();
            let compatible = |p: &&IntTensor| {
                p.shape.len() == first.shape.len()
                    && (0..p.shape.len()).all(|d| d == axis || p.shape[d] == first.shape[d])
            };
            if !parts.iter().all(compatible) {
                return Err("Concat inputs differ in shape outside the concatenation axis".into());
            }
            for o in 0..outer {
                for p in &parts {
                    let chunk = (p.shape[axis] * inner) as usize;
                    out.extend_from_slice(&p.data[o as usize * chunk..(o as usize + 1) * chunk]);
                }
            }
            IntTensor { shape: out_shape, data: out, dtype: first.dtype }
        }
        "Expand" => {
            let (data, target) = (v(0).expect("known"), v(1).expect("known"));
            let out = shape::broadcast(&data.shape, &target.data)?;
            check_size(&out)?;
            let values = (0..shape::numel(&out)).map(|i| data.data[broadcast_index(i, &out, &data.shape)]).collect();
            IntTensor { shape: out, data: values, dtype: data.dtype }
        }
        "Range" => {
            let scalar = |i: usize| v(i).expect("known").data.first().copied().ok_or("Range inputs must be scalars");
            let (start, limit, delta) = (scalar(0)?, scalar(1)?, scalar(2)?);
            if delta == 0 {
                return Err("Range delta must not be 0".into());
            }
            let count = ((limit as f64 - start as f64) / delta as f64).ceil().max(0.0);
            if count > MAX_ELEMENTS as f64 {
                return Err(FoldError::TooLarge);
            }
            let mut t =
                IntTensor::vector((0..count as i64).map(|k| start.wrapping_add(k.wrapping_mul(delta))).collect());
            t.dtype = v(0).expect("known").dtype;
            t
        }
        _ => return Ok(None),
    };
    // A float result is kept only while every value is a whole number its type holds exactly.
    if out.dtype.is_float() && !out.data.iter().all(|&x| exact_in(out.dtype, x)) {
        return Ok(None);
    }
    Ok(Some(out))
}

/// The largest magnitude below which every integer is exact in float type `dt` (2^(mantissa
/// bits + 1)); `None` for the narrow float formats, which the evaluator does not track.
fn exact_integer_limit(dt: DataType) -> Option<i64> {
    match dt {
        DataType::Double => Some(1 << 53),
        DataType::Float => Some(1 << 24),
        DataType::Float16 => Some(1 << 11),
        DataType::Bfloat16 => Some(1 << 8),
        _ => None,
    }
}

fn exact_in(dt: DataType, x: i64) -> bool {
    exact_integer_limit(dt).is_some_and(|limit| x.unsigned_abs() <= limit as u64)
}

/// `f` as an integer when it is a whole number that float type `dt` holds exactly (how the
/// importer tracks float constants for the evaluator).
pub(crate) fn whole_number(f: f64, dt: DataType) -> Option<i64> {
    (f.fract() == 0.0 && f.abs() <= 2f64.powi(53)).then_some(f as i64).filter(|&x| exact_in(dt, x))
}

/// ONNX `ScatterND` without reduction: `indices` has shape `[..., k]`; each of its `k`-tuples
/// names a slice `data[i0, …, ik-1, :, …]`, replaced by the matching slice of `updates`
/// (shape `indices.shape[..-1] ++ data.shape[k..]`). Negative indices count from the end.
fn scatter_nd(data: &IntTensor, indices: &IntTensor, updates: &IntTensor) -> Result<IntTensor, FoldError> {
    let (rank, q) = (data.shape.len(), indices.shape.len());
    let k = *indices.shape.last().ok_or("ScatterND indices must have rank at least 1")? as usize;
    if k == 0 || k > rank {
        return Err(format!("ScatterND index tuples of length {k} do not fit data of rank {rank}").into());
    }
    let mut expected = indices.shape[..q - 1].to_vec();
    expected.extend_from_slice(&data.shape[k..]);
    if updates.shape != expected {
        return Err(format!("ScatterND updates have shape {:?}, expected {expected:?}", updates.shape).into());
    }
    let slice = shape::numel(&data.shape[k..]) as usize;
    let strides: Vec<i64> = (0..k).map(|d| shape::numel(&data.shape[d + 1..])).collect();
    let mut out = data.data.clone();
    for (t, tuple) in indices.data.chunks(k).enumerate() {
        let mut offset = 0i64;
        for (d, &i) in tuple.iter().enumerate() {
            let n = data.shape[d];
            let i = if i < 0 { i + n } else { i };
            if !(0..n).contains(&i) {
                return Err(format!("ScatterND index {i} is out of range for dimension of size {n}").into());
            }
            offset += i * strides[d];
        }
        let at = offset as usize;
        out[at..at + slice].copy_from_slice(&updates.data[t * slice..(t + 1) * slice]);
    }
    Ok(IntTensor { shape: data.shape.clone(), data: out, dtype: data.dtype })
}

/// A tensor of `shape` filled with `value` (ConstantOfShape).
pub fn filled(shape: &[i64], value: i64, dtype: DataType) -> Result<IntTensor, FoldError> {
    if shape.iter().any(|&d| d < 0) {
        return Err(format!("negative dimension in shape {shape:?}").into());
    }
    check_size(shape)?;
    Ok(IntTensor { shape: shape.to_vec(), data: vec![value; shape::numel(shape) as usize], dtype })
}

fn check_size(shape: &[i64]) -> Result<(), FoldError> {
    if shape.iter().any(|&d| d < 0) {
        return Err(format!("negative dimension in shape {shape:?}").into());
    }
    if shape::numel(shape) > MAX_ELEMENTS {
        return Err(FoldError::TooLarge);
    }
    Ok(())
}

fn map(t: &IntTensor, f: impl Fn(i64) -> i64) -> IntTensor {
    IntTensor { shape: t.shape.clone(), data: t.data.iter().map(|&x| f(x)).collect(), dtype: t.dtype }
}

fn zip(a: &IntTensor, b: &IntTensor, f: impl Fn(i64, i64) -> Option<i64>) -> Result<IntTensor, FoldError> {
    let out = shape::broadcast(&a.shape, &b.shape)?;
    check_size(&out)?;
    let data = (0..shape::numel(&out))
        .map(|i| f(a.data[broadcast_index(i, &out, &a.shape)], b.data[broadcast_index(i, &out, &b.shape)]))
        .collect::<Option<Vec<i64>>>()
        .ok_or("division by zero in shape arithmetic")?;
    Ok(IntTensor { shape: out, data, dtype: a.dtype })
}

/// The linear index into a tensor of shape `from` that broadcasts to element `i` of `to`.
fn broadcast_index(mut i: i64, to: &[i64], from: &[i64]) -> usize {
    let mut index = 0i64;
    let mut stride = 1i64;
    for d in (0..to.len()).rev() {
        let coord = i % to[d];
        i /= to[d];
        let k = d as isize - (to.len() - from.len()) as isize;
        if k >= 0 {
            let size = from[k as usize];
            if size != 1 {
                index += coord * stride;
            }
            stride *= size;
        }
    }
    index as usize
}

/// Sizes before, at and after `axis`.
fn split_at_axis(shape: &[i64], axis: usize) -> (i64, i64, i64) {
    (shape::numel(&shape[..axis]), shape[axis], shape::numel(&shape[axis + 1..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(shape: &[i64], data: &[i64]) -> IntTensor {
        IntTensor { shape: shape.to_vec(), data: data.to_vec(), dtype: DataType::Int64 }
    }

    fn run(op: &str, values: &[&IntTensor]) -> IntTensor {
        try_run(op, values).unwrap().unwrap()
    }

    /// Shape arithmetic slices shape vectors: `shape[1:-1]`, `shape[::-2]`.
    #[test]
    fn slices_of_known_tensors() {
        let shape = t(&[4], &[1, 197, 12, 64]);
        assert_eq!(run("Slice", &[&shape, &t(&[1], &[1]), &t(&[1], &[-1])]).data, vec![197, 12]);
        let r = run("Slice", &[&shape, &t(&[1], &[-1]), &t(&[1], &[i64::MIN]), &t(&[1], &[0]), &t(&[1], &[-2])]);
        assert_eq!(r.data, vec![64, 197]);
        let m = t(&[2, 3], &[1, 2, 3, 4, 5, 6]);
        let r = run("Slice", &[&m, &t(&[1], &[1]), &t(&[1], &[3]), &t(&[1], &[1])]);
        assert_eq!((r.shape, r.data), (vec![2, 2], vec![2, 3, 5, 6]));
    }

    /// Swin's padding amounts come out of an integer Transpose.
    #[test]
    fn transposes_of_known_tensors() {
        let perm = |_: &str| Some(vec![1, 0]);
        let m = t(&[2, 3], &[1, 2, 3, 4, 5, 6]);
        let values = [Some(&m)];
        let r = eval(&EvalInput {
            op_type: "Transpose",
            values: &values,
            shapes: &[],
            int_attr: &|_| None,
            ints_attr: &perm,
            cast_to: None,
        })
        .unwrap()
        .unwrap();
        assert_eq!((r.shape, r.data), (vec![3, 2], vec![1, 4, 2, 5, 3, 6]));
    }

    /// A node missing inputs the evaluation needs is left to the graph op, not a panic.
    #[test]
    fn short_nodes_are_not_evaluated() {
        let x = t(&[2], &[1, 2]);
        for op in ["Slice", "Mod", "CumSum", "Add", "Where", "Gather", "Reshape"] {
            assert_eq!(try_run(op, &[&x]), Ok(None), "{op}");
        }
    }

    /// OPT's positions: the running sum of the (all ones) attention mask.
    #[test]
    fn cumulative_sums() {
        let r = run("CumSum", &[&t(&[2, 3], &[1, 1, 1, 1, 0, 1]), &t(&[], &[1])]);
        assert_eq!(r.data, vec![1, 2, 3, 1, 1, 2]);
    }

    /// ViT's exporter checks `seq_len % heads`; integer Mod follows the divisor's sign.
    #[test]
    fn integer_mod_takes_the_divisors_sign() {
        let r = run("Mod", &[&t(&[4], &[7, -7, 7, -7]), &t(&[4], &[3, 3, -3, -3])]);
        assert_eq!(r.data, vec![1, 2, -2, -1]);
    }

    #[test]
    fn bert_mask_arithmetic() {
        // Where(Equal([1, -1], [1, 1] * -1), [1, 1], [1, -1]) = [1, 1]
        let ones = filled(&[2], 1, DataType::Int64).unwrap();
        let mul = run("Mul", &[&ones, &t(&[], &[-1])]);
        let eq = run("Equal", &[&t(&[2], &[1, -1]), &mul]);
        assert_eq!(eq.data, vec![0, 1]);
        let w = run("Where", &[&eq, &ones, &t(&[2], &[1, -1])]);
        assert_eq!(w.data, vec![1, 1]);
        let e = run("Expand", &[&t(&[1, 3], &[7, 8, 9]), &t(&[2], &[2, 1])]);
        assert_eq!((e.shape, e.data), (vec![2, 3], vec![7, 8, 9, 7, 8, 9]));
    }

    #[test]
    fn gather_concat_range() {
        let g = run("Gather", &[&t(&[4], &[1, 128, 12, 64]), &t(&[], &[-1])]);
        assert_eq!((g.shape.clone(), g.data.clone()), (vec![], vec![64]));
        let c = run("Concat", &[&t(&[2], &[1, 128]), &t(&[1], &[768])]);
        assert_eq!(c.data, vec![1, 128, 768]);
        let r = run("Range", &[&t(&[], &[0]), &t(&[], &[7]), &t(&[], &[3])]);
        assert_eq!(r.data, vec![0, 3, 6]);
        let no_attr = |_: &str| None;
        let shape = eval(&EvalInput {
            op_type: "Shape",
            values: &[None],
            shapes: &[Some(vec![1, 128, 768])],
            int_attr: &no_attr,
            ints_attr: &|_| None,
            cast_to: None,
        })
        .unwrap()
        .unwrap();
        assert_eq!(shape.data, vec![1, 128, 768]);
    }

    fn try_run(op: &str, values: &[&IntTensor]) -> Result<Option<IntTensor>, FoldError> {
        let values: Vec<Option<&IntTensor>> = values.iter().map(|v| Some(*v)).collect();
        eval(&EvalInput {
            op_type: op,
            values: &values,
            shapes: &[],
            int_attr: &|_| None,
            ints_attr: &|_| None,
            cast_to: None,
        })
    }

    /// Swin's shifted-window mask: a zero float image whose regions are set to counts by
    /// `ScatterND`, row tuples and element tuples.
    #[test]
    fn scatter_nd_replaces_the_slices_its_index_tuples_name() {
        let zeros = IntTensor { shape: vec![3, 2], data: vec![0; 6], dtype: DataType::Float };
        // Rows 2 and 0 (k = 1) get whole rows.
        let rows = run("ScatterND", &[&zeros, &t(&[2, 1], &[2, 0]), &t(&[2, 2], &[5, 6, 7, 8])]);
        assert_eq!((rows.data.clone(), rows.dtype), (vec![7, 8, 0, 0, 5, 6], DataType::Float));
        // Elements (k = 2), a negative index counting from the end; later tuples win.
        let elems = run("ScatterND", &[&rows, &t(&[3, 2], &[1, 1, -1, 0, 1, 1]), &t(&[3], &[3, 4, 9])]);
        assert_eq!(elems.data, vec![7, 8, 0, 9, 4, 6]);
        // Malformed: an index out of range, updates of the wrong shape, tuples too long.
        let bad = |i: &IntTensor, u: &IntTensor| try_run("ScatterND", &[&zeros, i, u]);
        assert!(
            matches!(bad(&t(&[1, 1], &[3]), &t(&[1, 2], &[1, 1])), Err(FoldError::Invalid(e)) if e.contains("out of range"))
        );
        assert!(
            matches!(bad(&t(&[1, 1], &[0]), &t(&[1, 3], &[1, 1, 1])), Err(FoldError::Invalid(e)) if e.contains("updates"))
        );
        assert!(matches!(bad(&t(&[1, 3], &[0, 0, 0]), &t(&[1], &[1])), Err(FoldError::Invalid(_))));
    }

    /// Whole-number floats fold where the arithmetic is exact, not where it is not; a result
    /// larger than the evaluator builds is left to the graph, not an error.
    #[test]
    fn floats_fold_only_exactly_and_large_results_are_left_to_the_graph() {
        let f =
            |data: &[i64]| IntTensor { shape: vec![data.len() as i64], data: data.to_vec(), dtype: DataType::Float };
        assert_eq!(run("Sub", &[&f(&[3, 5]), &f(&[1, 1])]).data, vec![2, 4]);
        assert_eq!(run("Equal", &[&f(&[3, 5]), &f(&[3, 1])]).data, vec![1, 0]);
        assert_eq!(try_run("Div", &[&f(&[3]), &f(&[2])]), Ok(None), "1.5 is not a whole number");
        assert_eq!(try_run("Mod", &[&f(&[3]), &f(&[2])]), Ok(None));
        // Past 2^24 not every integer is a float32: a product beyond it is not kept.
        assert_eq!(try_run("Mul", &[&f(&[1 << 12]), &f(&[(1 << 12) + 1])]).unwrap().map(|t| t.data), None);
        assert_eq!(run("Mul", &[&f(&[1 << 12]), &f(&[1 << 12])]).data, vec![1 << 24]);
        let half = IntTensor { shape: vec![1], data: vec![4096], dtype: DataType::Int64 };
        let cast = |dt| {
            let v = [Some(&half)];
            eval(&EvalInput {
                op_type: "Cast",
                values: &v,
                shapes: &[],
                int_attr: &|_| None,
                ints_attr: &|_| None,
                cast_to: Some(dt),
            })
        };
        assert_eq!(cast(DataType::Float16), Ok(None), "past 2^11 not every integer is a float16");
        assert_eq!(cast(DataType::Float).unwrap().map(|t| t.data), Some(vec![4096]));
        let big = IntTensor { shape: vec![300, 1], data: vec![1; 300], dtype: DataType::Int64 };
        let wide = IntTensor { shape: vec![1, 300], data: vec![1; 300], dtype: DataType::Int64 };
        assert_eq!(try_run("Sub", &[&big, &wide]), Err(FoldError::TooLarge));
    }
}
