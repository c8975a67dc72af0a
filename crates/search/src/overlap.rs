//! Loop orders that let fused vector work hide behind the array. Inside a fused group the
//! vector unit takes a MAC layer's output step by step as the layer finishes it
//! (`dnnc_cost::fused::finished_steps`): only the layer's outermost loops over dimensions its
//! vector ops stream along count, and a reduction loop outermost (a convolution's input
//! channels, a projection's contraction) leaves the whole output final only at the end, so an
//! activation, pooling or normalisation after it waits. The per-layer search cannot see that:
//! it orders loops for the layer alone. This step, after the fusion decision, tries for each
//! producer of fused vector work the orders that finish its output in more steps — a stream
//! loop hoisted outermost, or the outermost blocking loop moved inward — and keeps one only if
//! the whole network's exact objective improves (the layer's own cost may rise where its
//! partial sums now leave and return).

use dnnc_cost::{Cost, LayerModel, Loop, Mapping, zigzag_cuts};

use crate::fusion::{Problem, evaluate_decision, incidence, intermediate_bits, path_latency_of, shared_memory};
use crate::joint::FusedContext;
use crate::objective::Objective;

/// Improvement rounds per producer (each keeps the best single reorder).
const ROUNDS: usize = 4;

/// The mappings with producers of fused vector work reordered where that improves the exact
/// objective under the decision `fused`, or `None` when no reorder does.
pub fn reorder_for_overlap(p: &Problem<'_>, fused: &[bool], objective: Objective) -> Option<Vec<Mapping<f64>>> {
    let mut producers: Vec<usize> = p
        .path_ops
        .iter()
        .filter(|op| !op.stream_dims.is_empty() && op.edges.iter().any(|&e| fused[e]))
        .map(|op| op.producer)
        .collect();
    producers.sort_unstable();
    producers.dedup();
    if producers.is_empty() {
        return None;
    }
    let incident = incidence(p);
    let bits = intermediate_bits(p);
    let memory = shared_memory(p);
    let capacity = memory.map_or(0.0, |m| p.arch.memories[m].size_bits as f64);
    let context = FusedContext { p, fused, incident: &incident, bits: &bits, memory, capacity };
    let (energy0, latency0, fits0) = evaluate_decision(p, fused);
    if !fits0 {
        return None;
    }
    let (mut energy, mut latency) = (energy0, latency0);
    let mut mappings = p.mappings.to_vec();
    for j in producers {
        let model = LayerModel::new(p.arch, &p.layers[j]);
        let dims = &p.path_ops.iter().find(|op| op.producer == j).expect("a producer has path ops").stream_dims;
        let Some(mut cost) = context.layer_cost(j, &model, &mappings[j]) else { continue };
        let mut path = path_latency_of(p, j, &mappings[j], fused);
        for _ in 0..ROUNDS {
            let mut best: Option<(Mapping<f64>, Cost<f64>, f64, f64)> = None;
            let current = objective.value_of(energy, latency);
            for candidate in reorders(p, j, &mappings[j], dims) {
                let Some(c) = context.layer_cost(j, &model, &candidate) else { continue };
                let candidate_path = path_latency_of(p, j, &candidate, fused);
                let value = objective.value_of(
                    energy - cost.energy + c.energy,
                    latency - cost.latency - path + c.latency + candidate_path,
                );
                if value < best.as_ref().map_or(current, |b| b.3) * (1.0 - 1e-9) {
                    best = Some((candidate, c, candidate_path, value));
                }
            }
            let Some((m, c, candidate_path, _)) = best else { break };
            energy += c.energy - cost.energy;
            latency += c.latency - cost.latency + candidate_path - path;
            (mappings[j], cost, path) = (m, c, candidate_path);
        }
    }
    // The exact cost of the whole result decides (capacity included).
    let reordered = Problem { mappings: &mappings, edges: p.edges.clone(), path_ops: p.path_ops.clone(), ..*p };
    let (e, l, fits) = evaluate_decision(&reordered, fused);
    (fits && mappings != p.mappings && objective.value_of(e, l) < objective.value_of(energy0, latency0))
        .then_some(mappings)
}

/// Reorders of layer `j`'s loop nest that finish more of its output early along `dims`: each
/// loop over one of `dims` not yet in the outermost run moved outermost, and the outermost
/// loop over another dimension moved to each position inside it. Re-cut by ZigZag's allocator
/// and checked; a mapping not cut by that allocator (a user's bypass) is left as it is.
fn reorders(p: &Problem<'_>, j: usize, m: &Mapping<f64>, dims: &[usize]) -> Vec<Mapping<f64>> {
    let layer = &p.layers[j];
    let mut out = Vec::new();
    if zigzag_cuts(p.arch, layer, &m.spatial, &m.loops).as_ref() != Some(&m.cuts) {
        return out;
    }
    let loops: Vec<Loop<f64>> = m.loops.iter().copied().filter(|l| l.size > 1.0).collect();
    // Innermost first: the outermost run over `dims` is a suffix; `blocker` ends it.
    let blocker = loops.iter().rposition(|l| !dims.contains(&l.dim));
    let mut orders: Vec<Vec<Loop<f64>>> = Vec::new();
    for a in 0..blocker.unwrap_or(0) {
        if dims.contains(&loops[a].dim) {
            let mut order = loops.clone();
            let l = order.remove(a);
            order.push(l);
            orders.push(order);
        }
    }
    if let Some(b) = blocker {
        for to in 0..b {
            let mut order = loops.clone();
            let l = order.remove(b);
            order.insert(to, l);
            orders.push(order);
        }
    }
    for order in orders {
        let Some(cuts) = zigzag_cuts(p.arch, layer, &m.spatial, &order) else { continue };
        let candidate = Mapping { spatial: m.spatial.clone(), loops: order, levels: m.levels.clone(), cuts };
        if dnnc_cost::check(p.arch, layer, &candidate).is_ok() && !out.contains(&candidate) {
            out.push(candidate);
        }
    }
    out
}
