//! Which layers to fuse: FADiff's relaxation of the fusion decisions. Each candidate edge
//! (a MAC layer's output feeding another MAC layer, possibly through vector work) gets a
//! fusion probability `s = sigmoid(logit)`; a layer's cost is the multilinear blend of its
//! exact costs with each incident intermediate off or on chip (the cost model's fused
//! pricing, `dnnc_cost::fused`); capacity enters the loss as FADiff's softplus barrier on the
//! on-chip memory that must hold the fused intermediates next to each layer's own working set.
//! Adam on the logits, rounding at ½, a repair that unfuses until every group fits, and a
//! greedy pass of single flips on the exact cost finish it.

// Per-layer tables are parallel arrays indexed by layer.
#![allow(clippy::needless_range_loop)]

use dnnc_arch::{Accelerator, Operand};
use dnnc_cost::fused::{finished_steps, keep_on_chip, pipelined_tail};
use dnnc_cost::{Cost, Layer, LayerModel, Mapping, Real, op_index};
use num_dual::DualSVec64;

use crate::objective::{Objective, capacity_barrier};

/// A candidate intermediate: layer `producer`'s output is layer `consumer`'s input `operand`.
#[derive(Clone, Debug, PartialEq)]
pub struct Edge {
    pub producer: usize,
    pub consumer: usize,
    pub operand: Operand,
    /// The most equal steps the two layers (and the vector einsums between them) can stream
    /// the intermediate in along a dimension that partitions every operand of the MAC layers (attention's
    /// heads), so that only one step's slice of it is on chip at a time; 1 if none.
    pub steps: u64,
}

/// A vector einsum on candidate edges' paths (a bias add, activation or pooling between two
/// MAC layers). While any edge through it is fused it runs inside the group on on-chip
/// values; otherwise it reads its operands from and writes its result to off-chip memory, as
/// a layer outside any group does. Pricing it lets the search see what fusing an edge saves
/// beside the two MAC layers: on a CNN the round trips of a ReLU and a pooling layer can
/// outweigh the MAC layers' own gain.
#[derive(Clone, Debug, PartialEq)]
pub struct PathOp {
    /// The candidate edges whose path runs through it.
    pub edges: Vec<usize>,
    /// (energy, latency) with its operands and result on chip.
    pub on_chip: (f64, f64),
    /// (energy, latency) with them moved through off-chip memory.
    pub off_chip: (f64, f64),
    /// The MAC layer its path starts from.
    pub producer: usize,
    /// The producer's dimensions along which the producer and all its path ops stream
    /// together (`dnnc_einsum::streams`): fused, the vector unit takes each step of the
    /// producer's output as it is finished, beside the array.
    pub stream_dims: Vec<usize>,
}

/// The network's MAC layers (in execution order) with their mappings, the vector work that
/// fusion does not change, and the candidate edges.
pub struct Problem<'a> {
    pub arch: &'a Accelerator,
    pub layers: &'a [Layer],
    pub mappings: &'a [Mapping<f64>],
    /// Energy and latency of everything else (vector layers not on a candidate path), added
    /// to the totals.
    pub other: (f64, f64),
    pub edges: Vec<Edge>,
    /// The vector einsums on candidate paths, priced by the decision.
    pub path_ops: Vec<PathOp>,
}

/// (energy, latency) of the path ops at fusion probabilities `s`: each op's off-chip cost
/// weighted by the probability that none of its edges is fused, its on-chip cost by the rest
/// (multilinear, exact at 0/1). On chip, the vector unit works beside the array: of a
/// producer's path ops only their [`pipelined_tail`] behind it adds latency.
pub fn path_cost<S: Real>(p: &Problem<'_>, s: &[S]) -> (S, S) {
    path_cost_with(p, s, &visible_fractions(p))
}

/// [`path_cost`] with each op's visible fraction given ([`visible_fractions`], which evaluates
/// the producers: the search computes it once, not at every step).
fn path_cost_with<S: Real>(p: &Problem<'_>, s: &[S], visible: &[f64]) -> (S, S) {
    let (mut energy, mut latency) = (S::cst(0.0), S::cst(0.0));
    for (op, &keep) in p.path_ops.iter().zip(visible) {
        let mut off = S::cst(1.0);
        for &e in &op.edges {
            off *= S::cst(1.0) - s[e];
        }
        let on = S::cst(1.0) - off;
        energy += off * op.off_chip.0 + on * op.on_chip.0;
        latency += off * op.off_chip.1 + on * (op.on_chip.1 * keep);
    }
    (energy, latency)
}

/// Per path op, the fraction of its on-chip latency that is not hidden behind its producer:
/// the producer's path ops together are one pipelined stage behind it
/// ([`pipelined_tail`] over the steps in which the producer finishes its output along their
/// common stream dimensions), each keeping its share of the stage's tail.
fn visible_fractions(p: &Problem<'_>) -> Vec<f64> {
    let mut keep = vec![1.0; p.path_ops.len()];
    let mut producers: Vec<usize> = p.path_ops.iter().map(|op| op.producer).collect();
    producers.sort_unstable();
    producers.dedup();
    for j in producers {
        let Some(mapping) = p.mappings.get(j) else { continue };
        let fraction = visible_fraction(p, j, mapping);
        for (k, op) in p.path_ops.iter().enumerate() {
            if op.producer == j {
                keep[k] = fraction;
            }
        }
    }
    keep
}

/// The fraction of producer `j`'s path ops' on-chip latency left after pipelining them behind
/// it under `mapping` (1: nothing hidden).
pub(crate) fn visible_fraction(p: &Problem<'_>, j: usize, mapping: &Mapping<f64>) -> f64 {
    let ops = p.path_ops.iter().filter(|op| op.producer == j);
    let vector: f64 = ops.clone().map(|op| op.on_chip.1).sum();
    let Some(first) = ops.clone().next() else { return 1.0 };
    let steps = finished_steps(mapping, &first.stream_dims);
    let Some(layer) = p.layers.get(j) else { return 1.0 };
    if vector <= 0.0 || steps <= 1.0 {
        return 1.0;
    }
    let on_chip = keep_on_chip(mapping, Operand::O).unwrap_or_else(|| mapping.clone());
    let producer = dnnc_cost::evaluate(p.arch, layer, &on_chip).latency;
    pipelined_tail(producer, vector, steps) / vector
}

/// Latency of producer `j`'s path ops under a rounded decision with `mapping` for it: each off
/// chip unless one of its edges is fused, the fused ones pipelined behind the producer.
pub(crate) fn path_latency_of(p: &Problem<'_>, j: usize, mapping: &Mapping<f64>, fused: &[bool]) -> f64 {
    let fraction = visible_fraction(p, j, mapping);
    p.path_ops
        .iter()
        .filter(|op| op.producer == j)
        .map(|op| if op.edges.iter().any(|&e| fused[e]) { op.on_chip.1 * fraction } else { op.off_chip.1 })
        .sum()
}

/// [`path_cost`] of a rounded decision.
pub fn path_cost_of(p: &Problem<'_>, fused: &[bool]) -> (f64, f64) {
    let s: Vec<f64> = fused.iter().map(|&f| if f { 1.0 } else { 0.0 }).collect();
    path_cost(p, &s)
}

/// The decision and what it costs.
#[derive(Clone, Debug)]
pub struct Decision {
    pub fused: Vec<bool>,
    /// Per layer, its cost under the decision.
    pub costs: Vec<Cost<f64>>,
    pub energy: f64,
    pub latency: f64,
    /// The on-chip memory holding fused intermediates (None if no edge can fuse).
    pub memory: Option<usize>,
}

/// The on-chip memory an edge's intermediate would live in: the highest on-chip level of both
/// the producer's output and the consumer's operand, shared by the whole array.
pub fn intermediate_memory(
    arch: &Accelerator,
    producer: &Mapping<f64>,
    consumer: &Mapping<f64>,
    operand: Operand,
) -> Option<usize> {
    let below_top = |levels: &[usize]| (levels.len() >= 2).then(|| levels[levels.len() - 2]);
    let m = below_top(producer.levels(Operand::O))?;
    let shared = arch.array.dims.keys().all(|d| arch.memories[m].served_dims.contains(d));
    (below_top(consumer.levels(operand)) == Some(m) && shared).then_some(m)
}

struct Prepared {
    /// Per layer: incident edges (edge index, operand moved on chip).
    incident: Vec<Vec<(usize, Operand)>>,
    /// Per layer, per subset of its incident edges fused (bit i = incident[i]): exact cost.
    table: Vec<Vec<Cost<f64>>>,
    /// Per layer, bits of its own working set in the intermediates' memory, per operand.
    working: Vec<[f64; 3]>,
    /// Per edge, bits of the intermediate.
    bits: Vec<LiveBits>,
    capacity: f64,
    memory: Option<usize>,
    /// Per path op, the fraction of its on-chip latency its producer does not hide.
    visible: Vec<f64>,
}

/// The on-chip memory fused intermediates live in (that of the first candidate edge; every
/// candidate shares it), if any edge can fuse.
pub(crate) fn shared_memory(p: &Problem<'_>) -> Option<usize> {
    p.edges
        .first()
        .and_then(|e| intermediate_memory(p.arch, &p.mappings[e.producer], &p.mappings[e.consumer], e.operand))
}

/// Per layer, its incident edges: (edge index, the operand that moves on chip when it fuses).
pub(crate) fn incidence(p: &Problem<'_>) -> Vec<Vec<(usize, Operand)>> {
    let mut incident = vec![Vec::new(); p.layers.len()];
    for (i, e) in p.edges.iter().enumerate() {
        incident[e.producer].push((i, Operand::O));
        incident[e.consumer].push((i, e.operand));
    }
    incident
}

/// The bits an edge keeps on chip: the producer's result while the producer runs, the value
/// the consumer reads while the consumer runs (smaller when a pooling or slice on the path
/// shrinks it), the larger of the two in between.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct LiveBits {
    pub produced: f64,
    pub consumed: f64,
}

impl LiveBits {
    /// Live while MAC layer `j` runs (`edge.producer <= j <= edge.consumer`): one step's
    /// slice when the edge streams.
    pub(crate) fn at(&self, edge: &Edge, j: usize) -> f64 {
        let whole = if j == edge.producer {
            self.produced
        } else if j == edge.consumer {
            self.consumed
        } else {
            self.peak()
        };
        whole / edge.steps.max(1) as f64
    }

    pub(crate) fn peak(&self) -> f64 {
        self.produced.max(self.consumed)
    }

    /// What the edge adds to layer `j`'s own working set, `own[op]` bits per operand in the
    /// intermediates' memory: at either end the layer's tile of the intermediate is part of
    /// the whole intermediate kept there, so it is not counted twice.
    pub(crate) fn beyond<S: Real>(&self, edge: &Edge, j: usize, own: impl Fn(Operand) -> S) -> S {
        let at = S::cst(self.at(edge, j));
        let tile = if j == edge.producer {
            own(Operand::O)
        } else if j == edge.consumer {
            own(edge.operand)
        } else {
            S::cst(0.0)
        };
        (at - tile).max_c(0.0)
    }
}

/// Bits per operand (I, W, O) of a layer's footprints in memory `mem`.
pub(crate) fn own_bits<S: Real>(footprints: &[dnnc_cost::Footprint<S>], mem: usize) -> [S; 3] {
    let mut own = [S::cst(0.0); 3];
    for f in footprints.iter().filter(|f| f.memory == mem) {
        own[dnnc_cost::op_index(f.operand)] += f.bits;
    }
    own
}

/// Per edge, the bits of its intermediate at either end.
pub(crate) fn intermediate_bits(p: &Problem<'_>) -> Vec<LiveBits> {
    p.edges
        .iter()
        .map(|e| {
            let (l, c) = (&p.layers[e.producer], &p.layers[e.consumer]);
            let read_bits = if e.operand == Operand::W { c.precision.weight_bits } else { c.precision.input_bits };
            LiveBits {
                produced: l.size(Operand::O) as f64 * l.precision.output_bits as f64,
                consumed: c.size(e.operand) as f64 * read_bits as f64,
            }
        })
        .collect()
}

/// A layer's mapping in a fusion state (`fused(i)` for its `i`-th incident edge): an input a
/// fused edge brings stays on chip; its output stays on chip only when every edge leaving it
/// is fused (an unfused consumer still reads it from off chip). Each operand moves once.
pub(crate) fn fused_mapping<S: Real>(
    mapping: &Mapping<S>,
    incident: &[(usize, Operand)],
    fused: impl Fn(usize) -> bool,
) -> Mapping<S> {
    let mut on_chip: Vec<Operand> = Vec::new();
    let outgoing: Vec<usize> = (0..incident.len()).filter(|&i| incident[i].1 == Operand::O).collect();
    if !outgoing.is_empty() && outgoing.iter().all(|&i| fused(i)) {
        on_chip.push(Operand::O);
    }
    for (i, &(_, op)) in incident.iter().enumerate() {
        if op != Operand::O && fused(i) && !on_chip.contains(&op) {
            on_chip.push(op);
        }
    }
    let mut m = mapping.clone();
    for op in on_chip {
        m = keep_on_chip(&m, op).unwrap_or(m);
    }
    m
}

fn prepare(p: &Problem<'_>) -> Prepared {
    let n = p.layers.len();
    let memory = shared_memory(p);
    let incident = incidence(p);
    let mut table = Vec::with_capacity(n);
    let mut working = Vec::with_capacity(n);
    for j in 0..n {
        let model = LayerModel::new(p.arch, &p.layers[j]);
        let k = incident[j].len();
        let mut costs = Vec::with_capacity(1 << k);
        for subset in 0u32..(1 << k) {
            let m = fused_mapping(&p.mappings[j], &incident[j], |bit| subset & (1 << bit) != 0);
            costs.push(model.evaluate(&m));
        }
        table.push(costs);
        working.push(memory.map_or([0.0; 3], |mem| own_bits(&model.footprints(&p.mappings[j], true), mem)));
    }
    let bits = intermediate_bits(p);
    let capacity = memory.map_or(0.0, |m| p.arch.memories[m].size_bits as f64);
    Prepared { incident, table, working, bits, capacity, memory, visible: visible_fractions(p) }
}

/// Energy, latency and capacity overshoot at fusion probabilities `s` (exact at 0/1).
fn blended<S: Real>(p: &Problem<'_>, pre: &Prepared, s: &[S]) -> (S, S, S) {
    let (path_energy, path_latency) = path_cost_with(p, s, &pre.visible);
    let (mut energy, mut latency) = (path_energy + p.other.0, path_latency + p.other.1);
    let mut penalty = S::cst(0.0);
    for j in 0..p.layers.len() {
        for (subset, c) in pre.table[j].iter().enumerate() {
            let mut w = S::cst(1.0);
            for (bit, &(e, _)) in pre.incident[j].iter().enumerate() {
                w *= if subset & (1 << bit) != 0 { s[e] } else { S::cst(1.0) - s[e] };
            }
            energy += w * c.energy;
            latency += w * c.latency;
        }
        if pre.capacity > 0.0 {
            // Live intermediates while layer j runs: produced at or before j, consumed at or after.
            let own = pre.working[j];
            let mut need = S::cst(own.iter().sum());
            for (e, edge) in p.edges.iter().enumerate() {
                if edge.producer <= j && j <= edge.consumer {
                    need += s[e] * pre.bits[e].beyond(edge, j, |op| S::cst(own[op_index(op)]));
                }
            }
            penalty += capacity_barrier(need, pre.capacity);
        }
    }
    (energy, latency, penalty)
}

/// Exact energy and latency of the network under a fusion decision, and whether every fused
/// intermediate fits next to the working sets.
pub fn evaluate_decision(p: &Problem<'_>, fused: &[bool]) -> (f64, f64, bool) {
    exact(p, &prepare(p), fused)
}

fn exact(p: &Problem<'_>, pre: &Prepared, fused: &[bool]) -> (f64, f64, bool) {
    let s: Vec<f64> = fused.iter().map(|&f| if f { 1.0 } else { 0.0 }).collect();
    let (e, l, _) = blended(p, pre, &s);
    let fits = (0..p.layers.len()).all(|j| {
        let own = pre.working[j];
        let live: Vec<f64> = p
            .edges
            .iter()
            .enumerate()
            .filter(|(e, edge)| fused[*e] && edge.producer <= j && j <= edge.consumer)
            .map(|(e, edge)| pre.bits[e].beyond(edge, j, |op| own[op_index(op)]))
            .collect();
        live.is_empty() || own.iter().sum::<f64>() + live.iter().sum::<f64>() <= pre.capacity
    });
    (e, l, fits)
}

/// Searches the fusion decisions.
pub fn search_fusion(p: &Problem<'_>, objective: Objective, steps: usize) -> Decision {
    let pre = prepare(p);
    let n = p.edges.len();
    let value = |e: f64, l: f64| {
        objective.value(&Cost {
            energy: e,
            latency: l,
            mac_energy: 0.0,
            memory_energy: 0.0,
            compute_cycles: 0.0,
            stall_cycles: 0.0,
            onload_cycles: 0.0,
            offload_cycles: 0.0,
            drain_cycles: 0.0,
            ideal_cycles: 0.0,
        })
    };
    // Adam on logits, forward-mode gradient in chunks of 16 edges.
    let mut logits = vec![0.85_f64; n]; // sigmoid ≈ 0.7, FADiff's initial fusion probability
    let (b1, b2, lr) = (0.9, 0.999, 0.1);
    let (mut m1, mut m2) = (vec![0.0; n], vec![0.0; n]);
    for step in 1..=steps {
        let mut grad = vec![0.0; n];
        for start in (0..n).step_by(16) {
            let s: Vec<DualSVec64<16>> = logits
                .iter()
                .enumerate()
                .map(|(i, &x)| {
                    let v = DualSVec64::<16>::from_re(x);
                    (if i >= start && i < start + 16 { v.derivative(i - start) } else { v }).sigmoid()
                })
                .collect();
            let (e, l, pen) = blended(p, &pre, &s);
            let loss = match objective {
                Objective::Edp => e.ln() + l.ln(),
                Objective::Latency => l.ln(),
                Objective::Energy => e.ln(),
            } + pen;
            let g = dnnc_cost::real::gradient(&loss);
            let end = (start + 16).min(n);
            grad[start..end].copy_from_slice(&g[..end - start]);
        }
        for i in 0..n {
            m1[i] = b1 * m1[i] + (1.0 - b1) * grad[i];
            m2[i] = b2 * m2[i] + (1.0 - b2) * grad[i] * grad[i];
            let (mh, vh) = (m1[i] / (1.0 - b1.powi(step as i32)), m2[i] / (1.0 - b2.powi(step as i32)));
            logits[i] -= lr * mh / (vh.sqrt() + 1e-8);
        }
    }
    let mut fused: Vec<bool> = logits.iter().map(|&x| x > 0.0).collect();
    // Repair: unfuse the edge with the largest intermediate until everything fits.
    while !exact(p, &pre, &fused).2 {
        let Some(worst) = (0..n)
            .filter(|&e| fused[e])
            .max_by(|&a, &b| pre.bits[a].peak().total_cmp(&pre.bits[b].peak()).then(b.cmp(&a)))
        else {
            break;
        };
        fused[worst] = false;
    }
    // Greedy polish: flip single edges while the exact objective improves and it fits.
    loop {
        let (e0, l0, _) = exact(p, &pre, &fused);
        let best = value(e0, l0);
        let mut improved = None;
        for e in 0..n {
            let mut f = fused.clone();
            f[e] = !f[e];
            let (e1, l1, fits) = exact(p, &pre, &f);
            if fits && value(e1, l1) < best * (1.0 - 1e-12) && improved.is_none_or(|(_, v)| value(e1, l1) < v) {
                improved = Some((e, value(e1, l1)));
            }
        }
        match improved {
            Some((e, _)) => fused[e] = !fused[e],
            None => break,
        }
    }
    let costs = (0..p.layers.len())
        .map(|j| {
            let subset = pre.incident[j]
                .iter()
                .enumerate()
                .filter(|(_, (e, _))| fused[*e])
                .fold(0usize, |s, (bit, _)| s | (1 << bit));
            pre.table[j][subset]
        })
        .collect();
    let (energy, latency, _) = exact(p, &pre, &fused);
    Decision { fused, costs, energy, latency, memory: pre.memory }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_edge_adds_only_what_the_layers_own_tile_of_it_does_not_already_hold() {
        let edge = Edge { producer: 2, consumer: 5, operand: Operand::I, steps: 1 };
        let bits = LiveBits { produced: 100.0, consumed: 40.0 };
        let own = |o: f64, i: f64| {
            move |op: Operand| {
                if op == Operand::O {
                    o
                } else if op == Operand::I {
                    i
                } else {
                    7.0
                }
            }
        };
        // The producer holds a 30-bit tile of its output: the whole output adds 70.
        assert_eq!(bits.beyond(&edge, 2, own(30.0, 0.0)), 70.0);
        // The consumer's 50-bit input tile already covers the 40 bits it reads.
        assert_eq!(bits.beyond(&edge, 5, own(0.0, 50.0)), 0.0);
        // A layer in between holds none of it: the larger end counts.
        assert_eq!(bits.beyond(&edge, 3, own(30.0, 50.0)), 100.0);
        // Streamed in 4 steps, one step's slice is live.
        let streamed = Edge { steps: 4, ..edge.clone() };
        assert_eq!(bits.at(&streamed, 2), 25.0);
        assert_eq!(bits.beyond(&streamed, 2, own(5.0, 0.0)), 20.0);
    }
}
