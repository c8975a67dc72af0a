//! First-order hardware estimates of a kernel, shared by the passes that set a kernel's `ii`
//! and `latency` and by [`crate::design`], which turns kernels into the stream model's.
//!
//! A firing processes one tile-iteration of the kernel's loop nest: `work` iteration points
//! (MACs for a `mac` kernel, element operations otherwise; a normalisation — softmax, layer
//! norms — passes over its tile twice, statistics then scaling). With `p` parallel lanes the
//! initiation interval is `⌈work / p⌉` and the latency adds a fixed pipeline depth per kind.
//! Lane costs are per element type: a floating-point multiply-add takes several DSP slices
//! (f32 ≈ 5, f16/bf16 ≈ 3), an integer one of up to 18 bits one DSP48E2.

use dnnc_ir::{Attribute, Context, OpId, TypeData};

/// What one lane of a kernel costs: DSP slices and LUTs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LaneCost {
    pub dsp: u64,
    pub lut: u64,
}

/// Pipeline depth in cycles added to every firing, by einsum kind.
pub fn pipeline_depth(kind: &str) -> u64 {
    match kind {
        "mac" => 12,
        "reduction" => 12,
        "elementwise" => 8,
        _ => 2,
    }
}

/// Lane cost of an einsum kind on elements of `bits` bits (`float` for floating point).
pub fn lane_cost(kind: &str, bits: u32, float: bool) -> LaneCost {
    let mac_dsp = match (float, bits) {
        (true, b) if b > 16 => 5,
        (true, _) => 3,
        (false, b) if b > 18 => 3,
        (false, _) => 1,
    };
    match kind {
        "mac" => LaneCost { dsp: mac_dsp, lut: 120 },
        "elementwise" | "reduction" => LaneCost { dsp: if float { mac_dsp.div_ceil(2) } else { 0 }, lut: 250 },
        _ => LaneCost { dsp: 0, lut: 40 },
    }
}

/// Sources of element-wise einsums that only compare, select or flip a sign: a LUT lane, no DSP
/// (a ReLU is a comparison and a multiplexer, a NaN guard a select).
const SELECT_ONLY: &[&str] = &[
    "graph.relu",
    "graph.clip",
    "graph.where",
    "graph.and",
    "graph.or",
    "graph.not",
    "graph.xor",
    "graph.neg",
    "graph.sign",
];

/// Whether every einsum of the kernel only compares and selects ([`SELECT_ONLY`], and
/// attention's NaN guard): its lanes take LUTs and no DSPs.
pub fn select_only(cx: &Context, kernel: OpId) -> bool {
    let Some(body) = cx.body(kernel, 0) else { return false };
    let mut einsums = cx.block_ops(body).filter(|&o| cx.is(o, dnnc_einsum::OP)).peekable();
    einsums.peek().is_some()
        && einsums.all(|o| {
            let text = |k: &str| cx.attr(o, k).and_then(Attribute::as_str).map(str::to_string);
            let part = text("part");
            text("kind").as_deref() == Some("elementwise")
                && match text("source").as_deref() {
                    Some("graph.attention") => part.as_deref() == Some("nan_to_zero"),
                    Some(src) => SELECT_ONLY.contains(&src),
                    None => false,
                }
        })
}

/// The lane cost of kernel `op`: [`lane_cost`] of its kind and element type, without DSPs when
/// it only selects ([`select_only`]).
pub fn kernel_lane_cost(cx: &Context, op: OpId) -> LaneCost {
    let (bits, float) = kernel_elem(cx, op);
    let lane = lane_cost(&kernel_kind(cx, op), bits, float);
    if select_only(cx, op) { LaneCost { dsp: 0, ..lane } } else { lane }
}

/// The einsum kind a kernel computes: `mac` if any of its einsums is one, else the kind of
/// its last einsum.
pub fn kernel_kind(cx: &Context, kernel: OpId) -> String {
    let einsums: Vec<OpId> = cx
        .body(kernel, 0)
        .map(|b| cx.block_ops(b).filter(|&o| cx.is(o, dnnc_einsum::OP)).collect())
        .unwrap_or_default();
    let kind = |o: OpId| cx.attr(o, "kind").and_then(Attribute::as_str).unwrap_or("elementwise").to_string();
    if einsums.iter().any(|&o| kind(o) == "mac") {
        return "mac".into();
    }
    einsums.last().map_or_else(|| "elementwise".into(), |&o| kind(o))
}

/// Iteration points one firing of the kernel processes (at least 1).
pub fn work_per_firing(cx: &Context, kernel: OpId) -> u64 {
    let loops = crate::kernel_loops(cx, kernel).unwrap_or_default();
    let tile: i64 = loops.iter().map(|l| l.tile).product::<i64>().max(1);
    let normalizes = cx.body(kernel, 0).is_some_and(|b| cx.block_ops(b).any(|o| cx.attr(o, "normalized").is_some()));
    tile as u64 * if normalizes { 2 } else { 1 }
}

/// `(ii, latency)` of a kernel at parallelism `p`.
pub fn timing(cx: &Context, kernel: OpId, p: u64) -> (u64, u64) {
    let work = work_per_firing(cx, kernel);
    let ii = work.div_ceil(p.max(1)).max(1);
    (ii, ii + pipeline_depth(&kernel_kind(cx, kernel)))
}

/// The widest element the kernel's einsums compute on: `(bits, float)`.
pub fn kernel_elem(cx: &Context, kernel: OpId) -> (u32, bool) {
    let mut best = (8, false);
    if let Some(b) = cx.body(kernel, 0) {
        for o in cx.block_ops(b).filter(|&o| cx.is(o, dnnc_einsum::OP)) {
            for v in cx.results(o) {
                let data = cx.type_data(cx.element_type(cx.value_type(v)));
                if let Some(bits) = data.scalar_bits()
                    && bits >= best.0
                {
                    best = (bits, matches!(data, TypeData::Float(_)));
                }
            }
        }
    }
    best
}

#[cfg(test)]
mod select_tests {
    use super::*;

    /// A ReLU kernel's lanes take no DSPs; an add's take half a float MAC's.
    #[test]
    fn selecting_lanes_take_no_dsps() {
        let text = |source: &str| {
            format!(
                r#""func.func"() ({{
^bb0(%x: tensor<4x8xf32>):
  %k = "dataflow.kernel"(%x) ({{
  ^bb0(%a: tensor<4x8xf32>):
    %0 = "einsum.op"(%a, %a) {{kind = "elementwise", dims = ["D0", "D1"], sizes = [4, 8], maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], source = "{source}"}} : (tensor<4x8xf32>, tensor<4x8xf32>) -> tensor<4x8xf32>
    "dataflow.yield"(%0) : (tensor<4x8xf32>) -> ()
  }}) {{name = "k0", loops = [["D0", 4, 1], ["D1", 1, 8]]}} : (tensor<4x8xf32>) -> tensor<4x8xf32>
  "func.return"(%k) : (tensor<4x8xf32>) -> ()
}}) {{function_type = (tensor<4x8xf32>) -> tensor<4x8xf32>, sym_name = "f"}} : () -> ()"#
            )
        };
        let lane = |source: &str| {
            let registry = dnnc_ir::DialectRegistry::new()
                .with(&dnnc_func::DIALECT)
                .with(&dnnc_einsum::DIALECT)
                .with(&crate::DIALECT);
            let mut cx = Context::new(std::sync::Arc::new(registry));
            let module = dnnc_ir::parse_source(&mut cx, "t.mlir", &text(source), dnnc_ir::ParseOptions::default())
                .unwrap_or_else(|e| panic!("{e:?}"));
            let kernel = cx.nested_ops(module).into_iter().find(|&o| cx.is(o, crate::KERNEL)).unwrap();
            kernel_lane_cost(&cx, kernel)
        };
        assert_eq!(lane("graph.relu").dsp, 0);
        assert_eq!(lane("graph.where").dsp, 0);
        assert_eq!(lane("graph.add").dsp, 3);
    }
}
