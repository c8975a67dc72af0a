//! Fused groups: several layers run tile by tile so the intermediates between them stay on
//! chip. Priced with the single-layer model, not a second one:
//!
//! * a fused intermediate's *top* level is its highest on-chip memory instead of DRAM: the
//!   producer's output and the consumer's input are evaluated with that operand's DRAM level
//!   dropped, so their traffic is priced (energy and bandwidth) at the on-chip memory;
//! * each edge carries a fusion probability `s ∈ [0, 1]` (FADiff's relaxation): a layer touched
//!   by `k` edges is the multilinear blend of its `2^k` fused/unfused evaluations, exact at
//!   `s ∈ {0, 1}` and differentiable in between;
//! * the group runs in `tiles` steps along its outer dimension; a windowed consumer needs its
//!   producer's tile plus a halo of `R − stride` rows per step, which the producer recomputes
//!   (extra MACs, energy and cycles in proportion);
//! * weights of every layer stay resident for the whole group, and a fused intermediate
//!   occupies one tile (with halo) on chip: their sum against the on-chip capacity gives the
//!   capacity use, which the optimiser penalises (FADiff's softplus barrier,
//!   [`GroupCost::capacity_penalty`]).

use dnnc_arch::{Accelerator, Operand};

use crate::layer_model::{Cost, evaluate, evaluate_relaxed};
use crate::mapping::Mapping;
use crate::problem::{Layer, op_index};
use crate::real::Real;

/// One layer of a group with its own mapping.
#[derive(Clone, Debug)]
pub struct Member<'a, S> {
    pub layer: &'a Layer,
    pub mapping: Mapping<S>,
}

/// A producer → consumer intermediate.
#[derive(Clone, Debug)]
pub struct Edge<S> {
    pub producer: usize,
    pub consumer: usize,
    /// Which input of the consumer the intermediate is (I or W).
    pub operand: Operand,
    /// Fusion probability: 1 keeps the intermediate on chip, 0 sends it through DRAM.
    pub fused: S,
    /// Halo rows per tile the consumer reads beyond its share (`R − stride` for a
    /// convolution consumer streamed along rows, 0 for matmuls).
    pub halo_rows: f64,
    /// Rows of the intermediate along the streamed dimension.
    pub rows: f64,
}

#[derive(Clone, Debug)]
pub struct FusedGroup<'a, S> {
    /// Members in topological order.
    pub members: Vec<Member<'a, S>>,
    pub edges: Vec<Edge<S>>,
    /// Steps the group's outer dimension is split into (≥ 1).
    pub tiles: S,
}

#[derive(Clone, Debug)]
pub struct GroupCost<S> {
    pub energy: S,
    pub latency: S,
    /// Per member, its blended cost (recompute included).
    pub members: Vec<Cost<S>>,
    /// DRAM traffic fusion avoids, in bits.
    pub dram_bits_saved: S,
    /// On-chip bits the group keeps resident: weights plus fused intermediate tiles.
    pub on_chip_bits: S,
    /// Capacity of the on-chip memories that can hold them.
    pub on_chip_capacity_bits: f64,
    /// MACs recomputed for halos.
    pub recompute_macs: S,
}

impl<S: Real> GroupCost<S> {
    /// FADiff's capacity barrier: `softplus((U − 0.95·C) / (0.05·C))²`, ≈ 0 well inside the
    /// capacity and growing quadratically beyond it.
    pub fn capacity_penalty(&self) -> S {
        let c = self.on_chip_capacity_bits;
        let x = ((self.on_chip_bits - 0.95 * c) / (0.05 * c)).softplus();
        x * x
    }
}

/// Why a group cannot be evaluated.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum GroupError {
    #[error("edge {0}: member index out of range or not producer-before-consumer")]
    BadEdge(usize),
    #[error("edge {0}: the consumer operand must be I or W")]
    BadOperand(usize),
    #[error("edge {edge}: operand {operand:?} has no on-chip level to keep the intermediate in")]
    NoOnChipLevel { edge: usize, operand: Operand },
}

/// `mapping` with `op`'s top (off-chip) level dropped: the loops that ran out of it now run
/// out of its highest on-chip level.
pub fn keep_on_chip<S: Real>(mapping: &Mapping<S>, op: Operand) -> Option<Mapping<S>> {
    let o = op_index(op);
    if mapping.levels[o].len() < 2 {
        return None;
    }
    let mut m = mapping.clone();
    m.levels[o].pop();
    m.cuts[o].pop();
    Some(m)
}

/// One of `tiles` equal steps of `layer` along dimension `dim`, with `mapping` cut to match:
/// the temporal loops over `dim` give up a factor `tiles` between them, outermost first. A
/// group streamed along a dimension that indexes every fused value runs each member as
/// `tiles` such steps, so an intermediate is on chip one step's slice at a time; operands the
/// dimension does not index (a layer's weights) are read again at every step, which
/// evaluating the step prices. `None` if `dim` feeds a sliding window (a halo is not modelled)
/// or `tiles` does not divide the dimension's temporal loops.
pub fn stream_step(layer: &Layer, mapping: &Mapping<f64>, dim: usize, tiles: u64) -> Option<(Layer, Mapping<f64>)> {
    if dim >= layer.rank() || tiles == 0 || !layer.sizes[dim].is_multiple_of(tiles) {
        return None;
    }
    if layer.access.iter().any(|a| crate::problem::contains(a.windowed(), dim)) {
        return None;
    }
    let mut step = mapping.clone();
    let mut left = tiles;
    for l in step.loops.iter_mut().rev().filter(|l| l.dim == dim) {
        let size = l.size.round() as u64;
        let g = crate::problem::gcd(size, left);
        l.size = (size / g) as f64;
        left /= g;
    }
    if left != 1 {
        return None;
    }
    let dims: Vec<(&str, u64)> = layer
        .dim_names
        .iter()
        .zip(&layer.sizes)
        .enumerate()
        .map(|(d, (n, &s))| (n.as_str(), if d == dim { s / tiles } else { s }))
        .collect();
    let shrunk = Layer::new(layer.name.clone(), &dims, layer.access.clone(), layer.order, layer.precision);
    Some((shrunk, step))
}

/// `cost` of one step run `times` times in a row.
pub fn repeated(cost: &Cost<f64>, times: f64) -> Cost<f64> {
    Cost { ideal_cycles: cost.ideal_cycles * times, ..scale(cost, times) }
}

/// Steps in which a MAC layer under `mapping` finishes its output in order along `dims`: the
/// product of its outermost temporal loops while they run over `dims`. The first loop over
/// any other dimension ends the count — below a reduction loop no output is final until it
/// ends, and a dimension outside `dims` cannot be handed on part by part.
pub fn finished_steps(mapping: &Mapping<f64>, dims: &[usize]) -> f64 {
    let mut steps = 1.0;
    for l in mapping.loops.iter().rev().filter(|l| l.size > 1.0) {
        if !dims.contains(&l.dim) {
            break;
        }
        steps *= l.size;
    }
    steps
}

/// Cycles a vector stage adds after its producer when the vector unit works on the producer's
/// output beside the array, one finished step at a time: a two-stage pipeline of `steps` equal
/// steps, the producer taking `producer` cycles in all and the stage `vector`. The stage's last
/// step always shows; on the others only what it lags behind the producer:
/// `vector / n + max(0, vector − producer) · (n − 1) / n`, which is all of `vector` at one step.
pub fn pipelined_tail(producer: f64, vector: f64, steps: f64) -> f64 {
    let n = steps.max(1.0);
    vector / n + (vector - producer).max(0.0) * (n - 1.0) / n
}

/// Evaluates a fused group. `exact` selects [`evaluate`] (rounded) or [`evaluate_relaxed`].
pub fn evaluate_group<S: Real>(
    arch: &Accelerator,
    group: &FusedGroup<'_, S>,
    exact: bool,
) -> Result<GroupCost<S>, GroupError> {
    let zero = S::cst(0.0);
    let one = S::cst(1.0);
    let n = group.members.len();
    for (i, e) in group.edges.iter().enumerate() {
        if e.producer >= n || e.consumer >= n || e.producer >= e.consumer {
            return Err(GroupError::BadEdge(i));
        }
        if e.operand == Operand::O {
            return Err(GroupError::BadOperand(i));
        }
        for (member, op) in [(e.producer, Operand::O), (e.consumer, e.operand)] {
            if group.members[member].mapping.levels[op_index(op)].len() < 2 {
                return Err(GroupError::NoOnChipLevel { edge: i, operand: op });
            }
        }
    }
    let eval =
        |layer: &Layer, m: &Mapping<S>| if exact { evaluate(arch, layer, m) } else { evaluate_relaxed(arch, layer, m) };

    let mut members = Vec::with_capacity(n);
    let (mut energy, mut latency, mut recompute_macs) = (zero, zero, zero);
    for (i, member) in group.members.iter().enumerate() {
        // The edges touching this member and the operand each one moves on chip.
        let touching: Vec<(usize, Operand)> = group
            .edges
            .iter()
            .enumerate()
            .filter_map(|(k, e)| {
                if e.producer == i {
                    Some((k, Operand::O))
                } else if e.consumer == i {
                    Some((k, e.operand))
                } else {
                    None
                }
            })
            .collect();
        // Multilinear blend over fused/unfused choices of the touching edges.
        let mut blended: Option<Cost<S>> = None;
        for choice in 0u32..(1 << touching.len()) {
            let mut mapping = member.mapping.clone();
            let mut weight = one;
            for (bit, &(k, op)) in touching.iter().enumerate() {
                let s = group.edges[k].fused;
                if choice & (1 << bit) != 0 {
                    // Validated above: the operand has an on-chip level.
                    mapping = keep_on_chip(&mapping, op).unwrap_or(mapping);
                    weight *= s;
                } else {
                    weight *= one - s;
                }
            }
            if weight.value() == 0.0 && touching.iter().all(|&(k, _)| group.edges[k].fused.value().fract() == 0.0) {
                continue;
            }
            let c = eval(member.layer, &mapping);
            blended = Some(match blended {
                None => scale(&c, weight),
                Some(b) => add(&b, &scale(&c, weight)),
            });
        }
        let mut cost = blended.unwrap_or_else(|| eval(member.layer, &member.mapping));
        // Halo recompute: a producer streamed in `tiles` steps computes `halo` extra rows
        // per step for each fused windowed consumer.
        let mut extra = zero;
        for e in group.edges.iter().filter(|e| e.producer == i && e.halo_rows > 0.0) {
            // Every step but the first recomputes the halo rows the previous step also made.
            extra += e.fused * (group.tiles - 1.0).max_c(0.0) * e.halo_rows / e.rows;
        }
        if extra.value() > 0.0 {
            let f = one + extra;
            recompute_macs += extra * member.layer.macs() as f64;
            cost = scale(&cost, f);
        }
        energy += cost.energy;
        latency += cost.latency;
        members.push(cost);
    }

    // DRAM traffic avoided and on-chip residency.
    let mut saved = zero;
    let mut on_chip = zero;
    for e in &group.edges {
        let p = group.members[e.producer].layer;
        let bits = p.size(Operand::O) as f64 * p.precision.output_bits as f64;
        saved += e.fused * (2.0 * bits);
        let tile_rows = group.tiles.recip() * e.rows + e.halo_rows;
        on_chip += e.fused * bits * (tile_rows / e.rows).min_c(1.0);
    }
    for m in &group.members {
        on_chip += S::cst(m.layer.size(Operand::W) as f64 * m.layer.precision.weight_bits as f64);
    }
    let on_chip_capacity_bits = on_chip_capacity(arch);
    Ok(GroupCost {
        energy,
        latency,
        members,
        dram_bits_saved: saved,
        on_chip_bits: on_chip,
        on_chip_capacity_bits,
        recompute_macs,
    })
}

/// Bits of every on-chip memory (all but each operand's top level), counting every instance.
pub fn on_chip_capacity(arch: &Accelerator) -> f64 {
    let tops: Vec<usize> = Operand::ALL.iter().filter_map(|&op| arch.levels(op).last().copied()).collect();
    let pes = arch.array.pe_count() as f64;
    arch.memories
        .iter()
        .enumerate()
        .filter(|(m, _)| !tops.contains(m))
        .map(|(_, mem)| {
            let shared: f64 =
                mem.served_dims.iter().filter_map(|d| arch.array.dims.get(d)).map(|&s| s as f64).product();
            mem.size_bits as f64 * (pes / shared.max(1.0))
        })
        .sum()
}

fn scale<S: Real>(c: &Cost<S>, w: S) -> Cost<S> {
    Cost {
        energy: c.energy * w,
        latency: c.latency * w,
        mac_energy: c.mac_energy * w,
        memory_energy: c.memory_energy * w,
        compute_cycles: c.compute_cycles * w,
        stall_cycles: c.stall_cycles * w,
        onload_cycles: c.onload_cycles * w,
        offload_cycles: c.offload_cycles * w,
        drain_cycles: c.drain_cycles * w,
        ideal_cycles: c.ideal_cycles,
    }
}

fn add<S: Real>(a: &Cost<S>, b: &Cost<S>) -> Cost<S> {
    Cost {
        energy: a.energy + b.energy,
        latency: a.latency + b.latency,
        mac_energy: a.mac_energy + b.mac_energy,
        memory_energy: a.memory_energy + b.memory_energy,
        compute_cycles: a.compute_cycles + b.compute_cycles,
        stall_cycles: a.stall_cycles + b.stall_cycles,
        onload_cycles: a.onload_cycles + b.onload_cycles,
        offload_cycles: a.offload_cycles + b.offload_cycles,
        drain_cycles: a.drain_cycles + b.drain_cycles,
        ideal_cycles: a.ideal_cycles,
    }
}

/// Soft choice among alternatives (loop orders, spatial unrolls): the costs of each
/// alternative weighted by `softmax(logits)` — FADiff's relaxation of a discrete choice, exact
/// when one weight dominates and differentiable in the logits.
pub fn soft_choice<S: Real>(costs: &[Cost<S>], logits: &[S]) -> Cost<S> {
    assert!(!costs.is_empty() && costs.len() == logits.len(), "one logit per alternative");
    let top = logits.iter().map(|l| l.value()).fold(f64::NEG_INFINITY, f64::max);
    let exps: Vec<S> = logits.iter().map(|&l| (l - top).exp()).collect();
    let total = exps.iter().fold(S::cst(0.0), |a, &e| a + e);
    let mut out = scale(&costs[0], exps[0] / total);
    for (c, &e) in costs.iter().zip(&exps).skip(1) {
        out = add(&out, &scale(c, e / total));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mapping::Loop;

    fn nest(loops: &[(usize, f64)]) -> Mapping<f64> {
        Mapping {
            spatial: Vec::new(),
            loops: loops.iter().map(|&(dim, size)| Loop { dim, size }).collect(),
            levels: [vec![0], vec![0], vec![0]],
            cuts: [vec![], vec![], vec![]],
        }
    }

    #[test]
    fn output_steps_are_the_outer_loops_over_the_streamed_dims() {
        // Innermost first: C 8 (reduction), then K 4, then P 7 outermost; a unit loop is no loop.
        let m = nest(&[(2, 8.0), (0, 4.0), (3, 1.0), (1, 7.0)]);
        assert_eq!(finished_steps(&m, &[0, 1]), 28.0);
        assert_eq!(finished_steps(&m, &[1]), 7.0, "K is not streamed: the count stops there");
        assert_eq!(finished_steps(&m, &[0]), 1.0, "P outermost is not streamed: one step");
        // A reduction outermost: nothing is final before the end.
        assert_eq!(finished_steps(&nest(&[(0, 4.0), (2, 8.0)]), &[0, 1]), 1.0);
    }

    #[test]
    fn a_pipelined_stage_shows_its_last_step_and_its_lag() {
        assert_eq!(pipelined_tail(100.0, 40.0, 1.0), 40.0, "one step: all of it");
        assert_eq!(pipelined_tail(100.0, 40.0, 4.0), 10.0, "faster than the producer: its last step");
        // Slower than the producer: each step waits on it; the array's time hides 3/4 of 100.
        assert_eq!(pipelined_tail(100.0, 200.0, 4.0), 50.0 + 75.0);
        assert_eq!(pipelined_tail(100.0, 0.0, 4.0), 0.0);
    }
}
