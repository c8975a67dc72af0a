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
