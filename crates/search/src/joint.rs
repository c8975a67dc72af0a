//! FADiff's joint step: the tile sizes of every MAC layer and the fusion probabilities of
//! every candidate intermediate descend *one* loss together, so a layer may re-tile to suit
//! the fusion around it (an operand kept on chip changes which reuse matters) and shrink its
//! working set to make room for intermediates (the capacity barrier couples the two).
//!
//! It refines a solution of the two-step search (per-layer [`crate::search`], then
//! [`search_fusion`]): each layer keeps its loop order, spatial unroll and memory allocation;
//! its temporal loop sizes relax to `exp(θ)` with a penalty holding each dimension's product
//! at its size. After Adam, sizes round to divisors, ZigZag's allocator re-cuts the loops,
//! and the fusion decision is searched again on the exact model; the result is kept only if
//! its exact objective beats the start's.
//!
//! Gradients are exact and cheap because the loss is a sum over layers: layer `j`'s energy,
//! latency and penalties depend only on its own sizes and the probabilities of the edges
//! touching it or live across it, so one forward-mode pass per layer (at most 16 local
//! variables) gives every partial derivative; the log objective is chained on top.

// Per-layer tables are parallel arrays indexed by layer.
#![allow(clippy::needless_range_loop)]

use dnnc_arch::Operand;
use dnnc_cost::{Cost, LayerModel, Loop, Mapping, Real, Unroll, op_index, zigzag_cuts};
use num_dual::DualSVec64;
use rayon::prelude::*;

use crate::fusion::{
    Decision, LiveBits, Problem, fused_mapping, incidence, intermediate_bits, own_bits, path_cost_of, search_fusion,
    shared_memory,
};
use crate::objective::{Objective, below_one_penalty, capacity_barrier};
use crate::space::{Space, divisors, prime_factors};

/// Local variables per layer: its loop sizes, then its edges.
const LOCAL: usize = 16;
type D = DualSVec64<LOCAL>;

/// A term's value and its partial derivatives by (global variable, derivative).
type Term = (f64, Vec<(usize, f64)>);

/// The refined mappings and fusion decision, when they beat the start.
pub struct Refined {
    pub mappings: Vec<Mapping<f64>>,
    pub decision: Decision,
}

/// One layer's share of the loss: which global variables its local ones are.
struct LayerVars {
    /// Global index of the first of its loop-size variables (`None`: too many variables to
    /// differentiate locally, so its sizes stay fixed).
    theta: Option<usize>,
    loops: usize,
    /// Edges it depends on (incident or live across it), as edge indices.
    edges: Vec<usize>,
    /// Its incident edges: position in `edges` and the operand kept on chip.
    incident: Vec<(usize, Operand)>,
    /// Per loop dimension: the loops of that dimension and the product they must keep.
    dims: Vec<(Vec<usize>, f64)>,
}

/// Refines `start` (the decision found for `p`'s mappings) by `steps` of joint descent.
/// Returns `None` when the refinement does not improve the exact objective.
pub fn refine(p: &Problem<'_>, start: &Decision, objective: Objective, steps: usize) -> Option<Refined> {
    let n = p.layers.len();
    if p.edges.is_empty() || steps == 0 {
        return None;
    }
    let incident = incidence(p);
    let bits = intermediate_bits(p);
    let memory = shared_memory(p);
    let capacity = memory.map_or(0.0, |m| p.arch.memories[m].size_bits as f64);
    let models: Vec<LayerModel<'_>> = p.layers.iter().map(|l| LayerModel::new(p.arch, l)).collect();
    let spaces: Vec<Option<Space<'_>>> = p.layers.iter().map(|l| Space::new(p.arch, l).ok()).collect();

    // Variables: all layers' log loop sizes, then one logit per edge.
    let mut vars = Vec::new();
    let mut layout = Vec::with_capacity(n);
    for j in 0..n {
        let mut edges: Vec<usize> = incident[j].iter().map(|&(e, _)| e).collect();
        for (e, edge) in p.edges.iter().enumerate() {
            if edge.producer <= j && j <= edge.consumer && !edges.contains(&e) {
                edges.push(e);
            }
        }
        let local_incident =
            incident[j].iter().map(|&(e, op)| (edges.iter().position(|&x| x == e).unwrap(), op)).collect();
        let loops = &p.mappings[j].loops;
        // Only mappings ZigZag's allocator cut are re-cut by it after rounding; others (a
        // user's bypasses, say) keep their sizes.
        let fits = loops.len() + edges.len() <= LOCAL;
        let allocated =
            zigzag_cuts(p.arch, &p.layers[j], &p.mappings[j].spatial, loops).as_ref() == Some(&p.mappings[j].cuts);
        let theta = (fits && allocated).then(|| {
            let first = vars.len();
            vars.extend(loops.iter().map(|l| l.size.ln()));
            first
        });
        let mut dims: Vec<(Vec<usize>, f64)> = Vec::new();
        for (i, l) in loops.iter().enumerate() {
            match dims.iter_mut().find(|(ls, _)| loops[ls[0]].dim == l.dim) {
                Some((ls, total)) => {
                    ls.push(i);
                    *total *= l.size;
                }
                None => dims.push((vec![i], l.size)),
            }
        }
        layout.push(LayerVars { theta, loops: loops.len(), edges, incident: local_incident, dims });
    }
    let first_logit = vars.len();
    // Start at the decision, not at certainty: a fused edge at s ≈ 0.82, an unfused one at 0.18.
    vars.extend(start.fused.iter().map(|&f| if f { 1.5 } else { -1.5 }));

    let layer_terms = |vars: &[f64], j: usize| -> [Term; 3] {
        let lv = &layout[j];
        let m0 = &p.mappings[j];
        // Local variables as duals (loop sizes first, then edges) and the global variable each
        // one is; a layer with fixed sizes takes them as constants.
        let mut local: Vec<usize> = Vec::with_capacity(LOCAL);
        let theta: Vec<D> = match lv.theta {
            Some(t) => (0..lv.loops)
                .map(|i| {
                    local.push(t + i);
                    D::from_re(vars[t + i]).derivative(i)
                })
                .collect(),
            None => m0.loops.iter().map(|l| D::cst(l.size.ln())).collect(),
        };
        let offset = local.len();
        let s: Vec<D> = lv
            .edges
            .iter()
            .enumerate()
            .map(|(k, &e)| {
                local.push(first_logit + e);
                D::from_re(vars[first_logit + e]).derivative(offset + k).sigmoid()
            })
            .collect();
        let mapping = Mapping::<D> {
            spatial: m0
                .spatial
                .iter()
                .map(|u| Unroll { array_dim: u.array_dim, dim: u.dim, factor: D::cst(u.factor) })
                .collect(),
            loops: m0.loops.iter().zip(&theta).map(|(l, t)| Loop { dim: l.dim, size: t.exp() }).collect(),
            levels: m0.levels.clone(),
            cuts: m0.cuts.clone(),
        };
        let (mut energy, mut latency) = (D::cst(0.0), D::cst(0.0));
        let global: Vec<(usize, Operand)> = lv.incident.iter().map(|&(k, op)| (lv.edges[k], op)).collect();
        for subset in 0u32..(1 << lv.incident.len()) {
            let mut w = D::cst(1.0);
            for (bit, &(k, _)) in lv.incident.iter().enumerate() {
                w *= if subset & (1 << bit) != 0 { s[k] } else { D::cst(1.0) - s[k] };
            }
            let m = fused_mapping(&mapping, &global, |bit| subset & (1 << bit) != 0);
            let c: Cost<D> = models[j].evaluate_relaxed(&m);
            energy += w * c.energy;
            latency += w * c.latency;
        }
        let mut penalty = D::cst(0.0);
        if let Some(space) = &spaces[j] {
            for (used, cap) in space.capacity_use(&mapping, false) {
                penalty += capacity_barrier(used, cap);
            }
        }
        if let Some(mem) = memory {
            let own = own_bits(&models[j].footprints(&mapping, false), mem);
            let mut need = own[0] + own[1] + own[2];
            for (k, &e) in lv.edges.iter().enumerate() {
                let edge = &p.edges[e];
                if edge.producer <= j && j <= edge.consumer {
                    need += s[k] * bits[e].beyond(edge, j, |op| own[op_index(op)]);
                }
            }
            penalty += capacity_barrier(need, capacity);
        }
        if lv.theta.is_some() {
            for (loops, total) in &lv.dims {
                let mut log = D::cst(-total.ln());
                for &i in loops {
                    log += theta[i];
                }
                penalty += log * log * 10.0;
            }
            for &t in &theta {
                penalty += below_one_penalty(t);
            }
        }
        let split = |x: D| {
            let g = dnnc_cost::real::gradient(&x);
            (x.re, local.iter().enumerate().map(|(k, &global)| (global, g[k])).collect())
        };
        [split(energy), split(latency), split(penalty)]
    };

    let (b1, b2, lr) = (0.9, 0.999, 0.2);
    let (mut m1, mut m2) = (vec![0.0; vars.len()], vec![0.0; vars.len()]);
    // The path ops enter the descent's loss weights at the start's decision; their pull on the
    // fusion logits is left to the re-decision (`search_fusion`) after rounding.
    let (path_energy, path_latency) = path_cost_of(p, &start.fused);
    for step in 1..=steps {
        let terms: Vec<[Term; 3]> = (0..n).into_par_iter().map(|j| layer_terms(&vars, j)).collect();
        let energy = p.other.0 + path_energy + terms.iter().map(|t| t[0].0).sum::<f64>();
        let latency = p.other.1 + path_latency + terms.iter().map(|t| t[1].0).sum::<f64>();
        let (we, wl) = match objective {
            Objective::Edp => (1.0 / energy, 1.0 / latency),
            Objective::Latency => (0.0, 1.0 / latency),
            Objective::Energy => (1.0 / energy, 0.0),
        };
        let mut grad = vec![0.0; vars.len()];
        for t in &terms {
            for (weight, part) in [(we, &t[0].1), (wl, &t[1].1), (1.0, &t[2].1)] {
                for &(i, g) in part {
                    grad[i] += weight * g;
                }
            }
        }
        if !grad.iter().all(|g| g.is_finite()) {
            return None;
        }
        for i in 0..vars.len() {
            m1[i] = b1 * m1[i] + (1.0 - b1) * grad[i];
            m2[i] = b2 * m2[i] + (1.0 - b2) * grad[i] * grad[i];
            let (mh, vh) = (m1[i] / (1.0 - b1.powi(step as i32)), m2[i] / (1.0 - b2.powi(step as i32)));
            vars[i] -= lr * mh / (vh.sqrt() + 1e-8);
        }
    }

    // Round every layer's sizes and re-allocate; a layer that no longer fits keeps its mapping.
    let mappings: Vec<Mapping<f64>> = (0..n)
        .map(|j| {
            let lv = &layout[j];
            let m0 = &p.mappings[j];
            let Some(t) = lv.theta else { return m0.clone() };
            rounded(p, j, m0, &vars[t..t + lv.loops], &lv.dims).unwrap_or_else(|| m0.clone())
        })
        .collect();
    // Both the descended point and the start are polished on the exact model in the start's
    // fused context (FADiff's rounding + local search), then fusion is re-decided on them.
    let context = FusedContext { p, fused: &start.fused, incident: &incident, bits: &bits, memory, capacity };
    let value = |d: &Decision| objective.value_of(d.energy, d.latency);
    let mut best: Option<Refined> = None;
    for seeds in [mappings, p.mappings.to_vec()] {
        let polished = context.polish(seeds, objective);
        if polished.as_slice() == p.mappings {
            continue;
        }
        let refined = Problem { mappings: &polished, edges: p.edges.clone(), path_ops: p.path_ops.clone(), ..*p };
        let decision = search_fusion(&refined, objective, steps);
        if value(&decision) < best.as_ref().map_or(value(start), |b| value(&b.decision)) * (1.0 - 1e-9) {
            best = Some(Refined { mappings: polished, decision });
        }
    }
    best
}

/// The exact objective of a network with a fixed fusion decision, for the local search.
pub(crate) struct FusedContext<'a, 'p> {
    pub(crate) p: &'a Problem<'p>,
    pub(crate) fused: &'a [bool],
    pub(crate) incident: &'a [Vec<(usize, Operand)>],
    pub(crate) bits: &'a [LiveBits],
    pub(crate) memory: Option<usize>,
    pub(crate) capacity: f64,
}

impl FusedContext<'_, '_> {
    /// Layer `j`'s exact cost with its fused operands on chip, `None` if its working set and
    /// the intermediates live across it overflow the shared memory.
    pub(crate) fn layer_cost(&self, j: usize, model: &LayerModel<'_>, mapping: &Mapping<f64>) -> Option<Cost<f64>> {
        let m = fused_mapping(mapping, &self.incident[j], |i| self.fused[self.incident[j][i].0]);
        if let Some(mem) = self.memory {
            let live: Vec<usize> = (0..self.p.edges.len())
                .filter(|&e| self.fused[e] && self.p.edges[e].producer <= j && j <= self.p.edges[e].consumer)
                .collect();
            if !live.is_empty() {
                let own = own_bits(&model.footprints(mapping, true), mem);
                let beyond: f64 =
                    live.iter().map(|&e| self.bits[e].beyond(&self.p.edges[e], j, |op| own[op_index(op)])).sum();
                if own.iter().sum::<f64>() + beyond > self.capacity {
                    return None;
                }
            }
        }
        Some(model.evaluate(&m))
    }

    /// Greedy local search over every layer's loop sizes (one prime factor moved between two
    /// loops of the same dimension; order, spatial unroll and allocation rule kept), on the
    /// whole network's exact objective, until no move improves it.
    fn polish(&self, mut mappings: Vec<Mapping<f64>>, objective: Objective) -> Vec<Mapping<f64>> {
        let p = self.p;
        let models: Vec<LayerModel<'_>> = p.layers.iter().map(|l| LayerModel::new(p.arch, l)).collect();
        let mut costs: Vec<Cost<f64>> = Vec::with_capacity(mappings.len());
        for j in 0..mappings.len() {
            match self.layer_cost(j, &models[j], &mappings[j]) {
                Some(c) => costs.push(c),
                None => return p.mappings.to_vec(),
            }
        }
        // The path ops' cost under the decision, at the starting tilings: a constant here (how
        // much of it hides behind its producer moves a little with the producer's tiling; the
        // re-decision on the polished mappings prices that exactly).
        let (path_energy, path_latency) = path_cost_of(p, self.fused);
        let totals = |costs: &[Cost<f64>]| {
            let e = p.other.0 + path_energy + costs.iter().map(|c| c.energy).sum::<f64>();
            let l = p.other.1 + path_latency + costs.iter().map(|c| c.latency).sum::<f64>();
            (e, l)
        };
        let score = |e: f64, l: f64| objective.value_of(e, l);
        for _round in 0..POLISH_ROUNDS {
            let (e0, l0) = totals(&costs);
            let mut improved: Option<(usize, Mapping<f64>, Cost<f64>, f64)> = None;
            for j in 0..mappings.len() {
                let others = (e0 - costs[j].energy, l0 - costs[j].latency);
                for candidate in moves(p, j, &mappings[j]) {
                    let Some(c) = self.layer_cost(j, &models[j], &candidate) else { continue };
                    let v = score(others.0 + c.energy, others.1 + c.latency);
                    if v < improved.as_ref().map_or(score(e0, l0), |b| b.3) * (1.0 - 1e-12) {
                        improved = Some((j, candidate, c, v));
                    }
                }
            }
            match improved {
                Some((j, m, c, _)) => {
                    mappings[j] = m;
                    costs[j] = c;
                }
                None => break,
            }
        }
        mappings
    }
}

/// Rounds of the joint local search (each takes the best single move over all layers).
const POLISH_ROUNDS: usize = 64;

/// Layer `j`'s neighbours: one prime factor of a loop moved to another loop of the same
/// dimension (unit loops dropped), re-cut by ZigZag's allocator and checked.
fn moves(p: &Problem<'_>, j: usize, m: &Mapping<f64>) -> Vec<Mapping<f64>> {
    let mut out = Vec::new();
    if zigzag_cuts(p.arch, &p.layers[j], &m.spatial, &m.loops).as_ref() != Some(&m.cuts) {
        return out; // not cut by ZigZag's allocator (a user's bypass, say): left as it is
    }
    for a in 0..m.loops.len() {
        for f in prime_factors(m.loops[a].size as u64).into_iter().collect::<std::collections::BTreeSet<u64>>() {
            for b in 0..m.loops.len() {
                if a == b || m.loops[a].dim != m.loops[b].dim {
                    continue;
                }
                let mut loops = m.loops.clone();
                loops[a].size /= f as f64;
                loops[b].size *= f as f64;
                loops.retain(|l| l.size > 1.0);
                let Some(cuts) = zigzag_cuts(p.arch, &p.layers[j], &m.spatial, &loops) else { continue };
                let candidate = Mapping { spatial: m.spatial.clone(), loops, levels: m.levels.clone(), cuts };
                if dnnc_cost::check(p.arch, &p.layers[j], &candidate).is_ok() {
                    out.push(candidate);
                }
            }
        }
    }
    out
}

/// Layer `j`'s mapping with loop sizes rounded from `log_sizes`: per dimension, inner loops
/// take the divisor of what remains nearest their relaxed size (in log), the outermost the
/// rest; unit loops are dropped and ZigZag's allocator cuts the new nest.
fn rounded(
    p: &Problem<'_>,
    j: usize,
    m0: &Mapping<f64>,
    log_sizes: &[f64],
    dims: &[(Vec<usize>, f64)],
) -> Option<Mapping<f64>> {
    let mut sizes: Vec<f64> = m0.loops.iter().map(|l| l.size).collect();
    for (loops, total) in dims {
        let mut rest = total.round() as u64;
        for (pos, &i) in loops.iter().enumerate() {
            if pos + 1 == loops.len() {
                sizes[i] = rest as f64;
            } else {
                let want = log_sizes[i];
                let q = divisors(rest)
                    .into_iter()
                    .min_by(|&a, &b| {
                        ((a as f64).ln() - want).abs().total_cmp(&((b as f64).ln() - want).abs()).then(a.cmp(&b))
                    })
                    .unwrap_or(1);
                sizes[i] = q as f64;
                rest /= q;
            }
        }
    }
    let loops: Vec<Loop<f64>> =
        m0.loops.iter().zip(&sizes).filter(|&(_, &s)| s > 1.0).map(|(l, &s)| Loop { dim: l.dim, size: s }).collect();
    let cuts = zigzag_cuts(p.arch, &p.layers[j], &m0.spatial, &loops)?;
    let mapping = Mapping { spatial: m0.spatial.clone(), loops, levels: m0.levels.clone(), cuts };
    dnnc_cost::check(p.arch, &p.layers[j], &mapping).ok()?;
    Some(mapping)
}
