//! The single-layer model: energy and latency of one MAC einsum under one mapping.
//!
//! It follows ZigZag 3.9.1's analytical model formula by formula (docs/cost-model.md derives
//! each step), because that is the model our users calibrate against, generalised in three
//! ways: it is generic over [`Real`] (values and gradients from one implementation), operands
//! may bypass levels, and the result carries a breakdown for reports.
//!
//! Outline, per operand and memory level:
//! 1. *Data movement*: the tile an instance holds is the footprint of every loop below its
//!    cut; it is refilled once per period (the cycles of the loops below the cut), read toward
//!    the PEs once per period of the level below, multicast over spatial loops the operand is
//!    reused across and reduced over spatial loops that reduce the output. Partial sums make a
//!    read-modify-write round trip while some reduction loop is still outside.
//! 2. *Energy*: per period the bits moved are rounded up to port granules, priced as a
//!    fraction of one full-word access, times periods and active instances; plus MACs.
//! 3. *Latency*: temporal cycles, plus stalls where a port cannot move a period's data within
//!    its window (the whole period when the level is double-buffered), plus the first tiles'
//!    on-loading and the last outputs' off-loading that compute cannot hide, plus the
//!    systolic drain.

// The model indexes several parallel per-level arrays by the same level; ranges read best.
#![allow(clippy::needless_range_loop)]

use dnnc_arch::{Accelerator, Direction, Operand};

use smallvec::SmallVec;

use crate::mapping::{Mapping, Unroll};
use crate::problem::{Layer, MAX_DIMS, contains, op_index};
use crate::real::Real;

/// The most memory levels one operand may have.
pub const MAX_LEVELS: usize = 5;

/// Directions in the order the model visits them.
const DIRS: [Direction; 4] =
    [Direction::ReadToLow, Direction::WriteFromLow, Direction::ReadToHigh, Direction::WriteFromHigh];

fn dir_index(d: Direction) -> usize {
    match d {
        Direction::ReadToLow => 0,
        Direction::WriteFromLow => 1,
        Direction::ReadToHigh => 2,
        Direction::WriteFromHigh => 3,
    }
}

fn high_side(d: usize) -> bool {
    d >= 2
}

/// Energy and latency of one layer under one mapping.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Cost<S> {
    /// Total energy in pJ.
    pub energy: S,
    /// Total latency in cycles.
    pub latency: S,
    pub mac_energy: S,
    pub memory_energy: S,
    /// Temporal cycles (the loop nest's trip count).
    pub compute_cycles: S,
    /// Cycles lost when a port cannot keep up (the worst port).
    pub stall_cycles: S,
    /// Cycles to bring in the first tiles before compute starts.
    pub onload_cycles: S,
    /// Cycles to write back the last outputs after compute ends.
    pub offload_cycles: S,
    /// Systolic drain cycles.
    pub drain_cycles: S,
    /// Cycles with every PE busy every cycle: the lower bound.
    pub ideal_cycles: f64,
}

impl<S: Real> Cost<S> {
    pub fn edp(&self) -> S {
        self.energy * self.latency
    }

    pub fn values(&self) -> Cost<f64> {
        Cost {
            energy: self.energy.value(),
            latency: self.latency.value(),
            mac_energy: self.mac_energy.value(),
            memory_energy: self.memory_energy.value(),
            compute_cycles: self.compute_cycles.value(),
            stall_cycles: self.stall_cycles.value(),
            onload_cycles: self.onload_cycles.value(),
            offload_cycles: self.offload_cycles.value(),
            drain_cycles: self.drain_cycles.value(),
            ideal_cycles: self.ideal_cycles,
        }
    }
}

/// Where the energy and the time go, for reports.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Breakdown {
    /// One row per (operand, memory level).
    pub levels: Vec<LevelTraffic>,
    /// Stall cycles per (memory, port), for ports that stall.
    pub port_stalls: Vec<(String, String, f64)>,
    /// What bounds the latency: `"compute"`, `"bandwidth <memory>.<port>"`, or `"io"`.
    pub bound: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct LevelTraffic {
    pub operand: Operand,
    pub memory: String,
    /// Elements one instance holds.
    pub tile_elements: f64,
    /// Active instances.
    pub instances: f64,
    /// Full-word accesses per direction (ReadToLow, WriteFromLow, ReadToHigh, WriteFromHigh).
    pub words: [f64; 4],
    pub energy_pj: f64,
}

/// One direction of traffic at one level: `amount` elements every `period` cycles,
/// `count` times, `bits` wide.
#[derive(Clone, Copy, Debug)]
struct Flow<S> {
    amount: S,
    period: S,
    count: S,
    bits: f64,
    /// Average bandwidth demand in bits per cycle.
    bandwidth: S,
    /// Cycles available to move one period's data when the level is not double-buffered.
    window: S,
}

impl<S: Real> Flow<S> {
    fn idle() -> Self {
        let z = S::cst(0.0);
        Flow { amount: z, period: z, count: z, bits: 0.0, bandwidth: z, window: z }
    }
    fn active(&self) -> bool {
        self.amount.value() != 0.0 && self.bits != 0.0
    }
}

/// Per operand, the quantities of one spatial variant (fractional or integer unrolling).
#[derive(Clone, Copy)]
struct OperandRun<S> {
    /// Active instances of arch level `a` (a = 0: the PEs, a = m + 1: memory m).
    instances: [S; MAX_LEVELS + 1],
    /// Elements one instance of arch level `a` holds.
    tiles: [S; MAX_LEVELS + 1],
    /// Stored bits per element at arch level `a`.
    precision: [f64; MAX_LEVELS + 1],
    flows: [[Flow<S>; 4]; MAX_LEVELS],
}

impl<S: Real> OperandRun<S> {
    fn blank() -> Self {
        let one = S::cst(1.0);
        OperandRun {
            instances: [one; MAX_LEVELS + 1],
            tiles: [one; MAX_LEVELS + 1],
            precision: [0.0; MAX_LEVELS + 1],
            flows: [[Flow::idle(); 4]; MAX_LEVELS],
        }
    }
}

/// Per operand, the temporal structure (independent of the spatial variant).
struct Temporal<S> {
    levels: usize,
    mems: [usize; MAX_LEVELS],
    /// Loop range `[start, end)` of each level, cuts made stationary.
    ranges: [(usize, usize); MAX_LEVELS],
    /// Cycle length of one period at arch level a: a = 0 the innermost reuse at the PEs,
    /// a = m + 1 the loops up to and including level m.
    cycles: [S; MAX_LEVELS + 1],
    /// Product of the outermost run of relevant (resp. irrelevant) loops of level m, at m + 1.
    top_relevant: [S; MAX_LEVELS + 1],
    top_irrelevant: [S; MAX_LEVELS + 1],
}

/// Evaluates `mapping` of `layer` on `arch`. The mapping is taken as given (see
/// [`crate::check`] for validity); its cuts are made stationary first. Prepares a
/// [`LayerModel`] per call: evaluate many mappings through one [`LayerModel`] instead.
pub fn evaluate<S: Real>(arch: &Accelerator, layer: &Layer, mapping: &Mapping<S>) -> Cost<S> {
    LayerModel::new(arch, layer).evaluate(mapping)
}

/// The smooth relaxation of [`evaluate`] ([`LayerModel::evaluate_relaxed`]).
pub fn evaluate_relaxed<S: Real>(arch: &Accelerator, layer: &Layer, mapping: &Mapping<S>) -> Cost<S> {
    LayerModel::new(arch, layer).evaluate_relaxed(mapping)
}

/// [`evaluate`] with a [`Breakdown`].
pub fn evaluate_with_breakdown(arch: &Accelerator, layer: &Layer, mapping: &Mapping<f64>) -> (Cost<f64>, Breakdown) {
    LayerModel::new(arch, layer).evaluate_with_breakdown(mapping)
}

/// One layer on one accelerator, with the accelerator's port and sharing structure resolved
/// once, so evaluating a mapping allocates nothing on the common path.
pub struct LayerModel<'a> {
    arch: &'a Accelerator,
    layer: &'a Layer,
    /// Per memory, operand and direction (in `DIRS` order): the port carrying that flow.
    ports: Vec<[[Option<u8>; 4]; 3]>,
    /// Per memory, the array dimensions it serves, as a bit mask.
    served: Vec<u32>,
    /// Every physical port with the flows of this layer's operands it carries.
    io_ports: Vec<IoPort>,
}

/// A physical port and the flows it carries, in ZigZag's visiting order (the memory's operand
/// order, then the file's allocation order).
struct IoPort {
    memory: usize,
    /// It carries flows of both inputs.
    shared: bool,
    bw_max_bits: f64,
    flows: SmallVec<[(Operand, usize); 8]>,
}

impl<'a> LayerModel<'a> {
    pub fn new(arch: &'a Accelerator, layer: &'a Layer) -> Self {
        let ports = arch
            .memories
            .iter()
            .map(|mem| {
                let mut t = [[None; 4]; 3];
                for op in Operand::ALL {
                    for (d, dir) in DIRS.iter().enumerate() {
                        t[op_index(op)][d] = mem.port_for(op, *dir).map(|p| p as u8);
                    }
                }
                t
            })
            .collect();
        let served = arch
            .memories
            .iter()
            .map(|mem| {
                arch.array
                    .dims
                    .keys()
                    .enumerate()
                    .filter(|(_, n)| mem.served_dims.contains(n))
                    .fold(0, |s, (i, _)| s | 1 << i)
            })
            .collect();
        let mut io_ports = Vec::new();
        for (mi, mem) in arch.memories.iter().enumerate() {
            for (pi, port) in mem.ports.iter().enumerate() {
                let shared = [Operand::I, Operand::W].iter().all(|op| port.serves.iter().any(|(o, _)| o == op));
                let mut flows: SmallVec<[(Operand, usize); 8]> = port
                    .serves
                    .iter()
                    .filter(|(op, dir)| mem.port_for(*op, *dir) == Some(pi))
                    .map(|&(op, dir)| (op, dir_index(dir)))
                    .collect();
                flows.sort_by_key(|(o, _)| mem.operands.iter().position(|x| x == o).unwrap_or(usize::MAX));
                io_ports.push(IoPort { memory: mi, shared, bw_max_bits: port.bw_max_bits as f64, flows });
            }
        }
        LayerModel { arch, layer, ports, served, io_ports }
    }

    pub fn layer(&self) -> &Layer {
        self.layer
    }

    pub fn arch(&self) -> &Accelerator {
        self.arch
    }

    /// Energy and latency of `mapping`, rounded as the hardware counts.
    pub fn evaluate<S: Real>(&self, mapping: &Mapping<S>) -> Cost<S> {
        Evaluator { model: self, arch: self.arch, layer: self.layer, exact: true }.run(mapping, None)
    }

    /// The smooth relaxation of [`LayerModel::evaluate`]: the same formulas without rounding
    /// to whole words, loops, instances and window rows, so the value is piecewise smooth in
    /// the loop sizes and its gradient (with a dual-number `S`) matches finite differences.
    /// Decisions (which level holds partial sums, double buffering, the worst port) stay
    /// discrete.
    pub fn evaluate_relaxed<S: Real>(&self, mapping: &Mapping<S>) -> Cost<S> {
        Evaluator { model: self, arch: self.arch, layer: self.layer, exact: false }.run(mapping, None)
    }

    /// [`LayerModel::evaluate`] with a [`Breakdown`].
    pub fn evaluate_with_breakdown(&self, mapping: &Mapping<f64>) -> (Cost<f64>, Breakdown) {
        let mut breakdown = Breakdown::default();
        let ev = Evaluator { model: self, arch: self.arch, layer: self.layer, exact: true };
        let cost = ev.run(mapping, Some(&mut breakdown));
        (cost, breakdown)
    }
}

/// One evaluation: the prepared model and the rounding mode.
struct Evaluator<'m, 'a> {
    model: &'m LayerModel<'a>,
    arch: &'a Accelerator,
    layer: &'a Layer,
    /// Round word counts, trip counts and instance counts as the hardware does (`true`), or
    /// keep the smooth relaxation the optimiser descends on (`false`).
    exact: bool,
}

impl<'m, 'a> Evaluator<'m, 'a> {
    /// The port of memory `mem` carrying `op`'s flow in direction `DIRS[d]`.
    fn port(&self, mem: usize, op: Operand, d: usize) -> Option<usize> {
        self.model.ports[mem][op_index(op)][d].map(usize::from)
    }

    fn ceil<S: Real>(&self, x: S) -> S {
        if self.exact { x.ceil() } else { x }
    }
    fn floor<S: Real>(&self, x: S) -> S {
        if self.exact { x.floor() } else { x }
    }
    fn trunc<S: Real>(&self, x: S) -> S {
        if self.exact { x.trunc() } else { x }
    }
    fn round<S: Real>(&self, x: S) -> S {
        if self.exact { x.round_even() } else { x }
    }

    fn run<S: Real>(&self, mapping: &Mapping<S>, mut breakdown: Option<&mut Breakdown>) -> Cost<S> {
        let (arch, layer) = (self.arch, self.layer);
        let one = S::cst(1.0);
        let total_cycles = mapping.loops.iter().fold(one, |acc, l| acc * l.size);
        let temporal: [Temporal<S>; 3] = Operand::ALL.map(|op| self.temporal(mapping, op));

        // Spatial unrolling evened out to divide the dimension: fractional for energy (the
        // average instance count), floored for latency (the cycles of the slowest instance).
        let frac = self.unrolls(mapping, true);
        let int = self.unrolls(mapping, false);
        let mut runs_f = [OperandRun::blank(); 3];
        for op in Operand::ALL {
            self.operand_run(mapping, &temporal, &frac, op, total_cycles, &mut runs_f[op_index(op)]);
        }
        let mut runs_int;
        let runs_i = if frac.iter().zip(&int).all(|(a, b)| a.2.value() == b.2.value()) {
            &runs_f
        } else {
            runs_int = [OperandRun::blank(); 3];
            for op in Operand::ALL {
                self.operand_run(mapping, &temporal, &int, op, total_cycles, &mut runs_int[op_index(op)]);
            }
            &runs_int
        };

        // Energy.
        let mut memory_energy = S::cst(0.0);
        for op in layer.order {
            let (o, t) = (op_index(op), &temporal[op_index(op)]);
            for m in 0..t.levels {
                let mem = &arch.memories[t.mems[m]];
                let mut words = [0.0; 4];
                let mut level_energy = S::cst(0.0);
                for (d, dir) in DIRS.iter().enumerate() {
                    let f = &runs_f[o].flows[m][d];
                    let Some(port) = self.port(t.mems[m], op, d).map(|p| &mem.ports[p]) else { continue };
                    if !f.active() {
                        continue;
                    }
                    let (bmin, bmax) = (port.bw_min_bits as f64, port.bw_max_bits as f64);
                    let w = self.trunc(
                        self.ceil(f.amount * f.bits / bmin) * (bmin / bmax) * f.count * runs_f[o].instances[m + 1],
                    );
                    words[d] = w.value();
                    level_energy += w * if dir.is_read() { mem.read_pj } else { mem.write_pj };
                }
                memory_energy += level_energy;
                if let Some(b) = breakdown.as_deref_mut() {
                    b.levels.push(LevelTraffic {
                        operand: op,
                        memory: mem.name.clone(),
                        tile_elements: runs_f[o].tiles[m + 1].value(),
                        instances: runs_f[o].instances[m + 1].value(),
                        words,
                        energy_pj: level_energy.value(),
                    });
                }
            }
        }
        let macs = layer.macs() as f64;
        let mac_energy = S::cst(arch.array.mac_pj * macs);

        // Latency.
        // ZigZag decides double buffering on the fractional (average) footprints.
        let double_buffered = self.double_buffering(&temporal, &runs_f);
        let real_allowed = |op: Operand, m: usize, d: usize| -> (S, S) {
            let (o, t) = (op_index(op), &temporal[op_index(op)]);
            let mem = &arch.memories[t.mems[m]];
            let f = &runs_i[o].flows[m][d];
            let real = match self.port(t.mems[m], op, d) {
                Some(p) => self.ceil(f.amount * f.bits / mem.ports[p].bw_max_bits as f64),
                None => S::cst(0.0),
            };
            let buffered = if high_side(d) { double_buffered[o][m + 1] } else { double_buffered[o][m] };
            let allowed = self.ceil(if buffered { f.period } else { f.window });
            (real, allowed)
        };
        let (stall, worst_port) = self.stalls(&temporal, runs_i, &real_allowed, breakdown.as_deref_mut());
        let compute = total_cycles + stall;
        let (load, offload_entries) = self.io_entries(&temporal, runs_i, &real_allowed, compute);
        let onload = self.onload(&temporal, &load);
        let mut offload = S::cst(0.0);
        let out = &temporal[op_index(Operand::O)];
        for m in 0..out.levels.saturating_sub(1) {
            let a = offload_entries[m][dir_index(Direction::ReadToHigh)].0;
            let b = offload_entries[m + 1][dir_index(Direction::WriteFromLow)].0;
            offload += a.max(b);
        }
        let drain = self.drain(mapping);
        let latency = compute + onload + offload + drain;
        let pes = arch.array.pe_count() as f64;
        if let Some(b) = breakdown {
            b.bound = if stall.value() > 0.0 {
                format!("bandwidth {worst_port}")
            } else if (onload + offload).value() > 0.1 * total_cycles.value() {
                "io".to_string()
            } else {
                "compute".to_string()
            };
        }
        Cost {
            energy: memory_energy + mac_energy,
            latency,
            mac_energy,
            memory_energy,
            compute_cycles: total_cycles,
            stall_cycles: stall,
            onload_cycles: onload,
            offload_cycles: offload,
            drain_cycles: drain,
            ideal_cycles: (macs / pes).ceil(),
        }
    }

    fn temporal<S: Real>(&self, mapping: &Mapping<S>, op: Operand) -> Temporal<S> {
        let layer = self.layer;
        let one = S::cst(1.0);
        let levels = mapping.levels(op);
        let n = levels.len();
        let mut mems = [0; MAX_LEVELS];
        mems[..n].copy_from_slice(levels);
        let (relevant, irrelevant) = (layer.relevant(op), layer.irrelevant(op));
        let mut cycles = [one; MAX_LEVELS + 1];
        let mut top_relevant = [one; MAX_LEVELS + 1];
        let mut top_irrelevant = [one; MAX_LEVELS + 1];
        assert!(n <= MAX_LEVELS, "an operand has at most {MAX_LEVELS} memory levels");
        // Cuts made stationary: each moves outward past loops the operand is reused across.
        let mut ranges = [(0, 0); MAX_LEVELS];
        let nloops = mapping.loops.len();
        let mut start = 0;
        for m in 0..n {
            let mut end =
                if m + 1 == n { nloops } else { mapping.cuts(op).get(m).copied().unwrap_or(nloops).min(nloops) };
            while m + 1 < n && end < nloops && contains(irrelevant, mapping.loops[end].dim) {
                end += 1;
            }
            let end = end.max(start);
            ranges[m] = (start, end);
            start = end;
        }
        let mut acc = one;
        for m in 0..n {
            let (a, b) = ranges[m];
            let loops = &mapping.loops[a..b];
            if m == 0 && op != Operand::O {
                cycles[0] = loops.iter().take_while(|l| contains(irrelevant, l.dim)).fold(one, |p, l| p * l.size);
            }
            acc = loops.iter().fold(acc, |p, l| p * l.size);
            cycles[m + 1] = acc;
            top_relevant[m + 1] =
                loops.iter().rev().take_while(|l| contains(relevant, l.dim)).fold(one, |p, l| p * l.size);
            top_irrelevant[m + 1] =
                loops.iter().rev().take_while(|l| contains(irrelevant, l.dim)).fold(one, |p, l| p * l.size);
        }
        Temporal { levels: n, mems, ranges, cycles, top_relevant, top_irrelevant }
    }

    /// Per array dimension, the (dimension, factor) unrolls clipped to the array and evened
    /// out to divide the dimension. When one dimension is unrolled over several array
    /// dimensions, only the first with the largest factor is evened out, against what the
    /// array dimensions before it unroll.
    fn unrolls<S: Real>(&self, mapping: &Mapping<S>, fractional: bool) -> Unrolls<S> {
        let mut order: SmallVec<[&Unroll<S>; 8]> = mapping.spatial.iter().collect();
        order.sort_by_key(|u| u.array_dim);
        let mut out = Unrolls::new();
        for (i, u) in order.iter().enumerate() {
            let size = self.layer.sizes[u.dim] as f64;
            let oa = self.arch.array.dims.get_index(u.array_dim).map_or(1, |(_, &s)| s);
            let f = u.factor.min_c(oa as f64);
            let same_dim = || order.iter().filter(|v| v.dim == u.dim);
            let largest = same_dim().map(|v| v.factor.value()).fold(f64::MIN, f64::max);
            let first_largest = same_dim().find(|v| v.factor.value() == largest).map(|v| v.array_dim);
            let factor = if first_largest == Some(u.array_dim)
                && order[..i].iter().all(|v| !(v.dim == u.dim && v.array_dim == u.array_dim))
            {
                let early =
                    out.iter().filter(|(ad, d, _)| *d == u.dim && *ad < u.array_dim).fold(S::cst(1.0), |p, x| p * x.2);
                let rem = self.ceil((f * early).recip() * size);
                let even = (rem * early).recip() * size;
                if fractional { even } else { self.trunc(even) }
            } else {
                f
            };
            out.push((u.array_dim, u.dim, factor));
        }
        out
    }

    #[inline(always)]
    fn operand_run<S: Real>(
        &self,
        mapping: &Mapping<S>,
        temporal: &[Temporal<S>; 3],
        unrolls: &Unrolls<S>,
        op: Operand,
        total_cycles: S,
        out: &mut OperandRun<S>,
    ) {
        let layer = self.layer;
        let one = S::cst(1.0);
        let t = &temporal[op_index(op)];
        let n = t.levels;
        let rank = layer.rank();
        // Spatial loops directly below memory level m (slot n: served by none of them).
        let mut slots = [[one; MAX_DIMS]; MAX_LEVELS + 1];
        for &(ad, dim, f) in unrolls.iter() {
            let slot = (0..n).find(|&m| self.model.served[t.mems[m]] & (1 << ad) != 0).unwrap_or(n);
            slots[slot][dim] *= f;
        }
        let total: [S; MAX_LEVELS + 1] = std::array::from_fn(|a| slots[a][..rank].iter().fold(one, |p, &x| p * x));
        let distinct: [S; MAX_LEVELS + 1] = std::array::from_fn(|a| layer.tile(op, &slots[a][..rank], self.exact));
        let mut instances = [one; MAX_LEVELS + 1];
        let mut unique = [one; MAX_LEVELS + 2];
        let (mut acc_t, mut acc_u) = (one, one);
        for a in (0..=n).rev() {
            acc_t *= total[a];
            acc_u *= distinct[a];
            instances[a] = self.round(self.round(acc_t * 1000.0) / 1000.0);
            unique[a] = acc_u;
        }
        // Distinct data sets memory m exchanges with its children: multicast and reduction.
        let mut fanout = [one; MAX_LEVELS + 1];
        for a in 0..n {
            fanout[a] = self.round(unique[a] / unique[a + 1]);
        }
        let mut tiles = [one; MAX_LEVELS + 1];
        let mut cum = [one; MAX_DIMS];
        for a in 1..=n {
            let (s, e) = t.ranges[a - 1];
            for l in &mapping.loops[s..e] {
                cum[l.dim] *= l.size;
            }
            for d in 0..rank {
                cum[d] *= slots[a - 1][d];
            }
            tiles[a] = self.round(layer.tile(op, &cum[..rank], self.exact));
        }

        // Partial sums: level m holds them while a reduction loop is still outside it.
        let mut psum = [false; MAX_LEVELS + 1];
        if op == Operand::O {
            let ir = layer.irrelevant(op);
            let reduce_at = |a: usize| -> S {
                let mut p =
                    slots[a][..rank].iter().enumerate().filter(|(d, _)| contains(ir, *d)).fold(one, |p, (_, &x)| p * x);
                if a >= 1 {
                    let (s, e) = t.ranges[a - 1];
                    p = mapping.loops[s..e].iter().filter(|l| contains(ir, l.dim)).fold(p, |p, l| p * l.size);
                }
                p
            };
            let mut outer = [one; MAX_LEVELS + 2];
            let mut acc = one;
            for a in (0..=n).rev() {
                acc *= reduce_at(a);
                outer[a] = acc;
            }
            for m in 0..n {
                psum[m] = outer[m + 1].value() > 1.0;
            }
        }
        let stored_bits = |a: usize| -> f64 {
            match op {
                Operand::O => layer.bits(op, psum[a]) as f64,
                _ => layer.bits(op, false) as f64,
            }
        };
        let precision: [f64; MAX_LEVELS + 1] = std::array::from_fn(stored_bits);

        let flows = &mut out.flows;
        *flows = [[Flow::idle(); 4]; MAX_LEVELS];
        let demand_low = |a: usize| tiles[a] * precision[a] / t.cycles[a];
        for m in 0..n {
            let low_amount = tiles[m] * fanout[m];
            let high_amount = tiles[m + 1];
            let demand_high_m = demand_low(m) * fanout[m];
            let f = &mut flows[m];
            let (tl, fl, th, fh) = (0, 1, 2, 3);
            if op != Operand::O {
                let bits = layer.bits(op, false) as f64;
                f[tl] = Flow {
                    amount: low_amount,
                    period: t.cycles[m],
                    bits,
                    bandwidth: self.trunc(demand_high_m),
                    ..f[tl]
                };
                f[fh] = Flow {
                    amount: high_amount,
                    period: t.cycles[m + 1],
                    bits,
                    bandwidth: self.trunc(demand_low(m + 1)),
                    ..f[fh]
                };
            } else {
                let psum_bits = layer.bits(op, true) as f64;
                let final_bits = layer.bits(op, false) as f64;
                f[fl] = Flow {
                    amount: self.trunc(low_amount),
                    period: t.cycles[m],
                    bits: if psum[m] { psum_bits } else { final_bits },
                    bandwidth: self.trunc(demand_high_m),
                    ..f[fl]
                };
                f[th] = Flow {
                    amount: high_amount,
                    period: t.cycles[m + 1],
                    bits: if psum[m + 1] { psum_bits } else { final_bits },
                    bandwidth: self.trunc(demand_low(m + 1)),
                    ..f[th]
                };
                if psum[m] {
                    f[tl] = f[fl];
                }
                if psum[m + 1] {
                    f[fh] = f[th];
                }
            }
            for d in 0..4 {
                let fl_ = &mut f[d];
                if fl_.period.value() != 0.0 {
                    fl_.count = self.floor(total_cycles / fl_.period);
                    let top = if high_side(d) { t.top_irrelevant[m + 1] } else { t.top_irrelevant[m] };
                    fl_.window = self.trunc(fl_.period / top);
                }
            }
            if m == n - 1 {
                // The top level's exchanges with the outside world are not modelled: the
                // layer's tensors start and end there.
                f[th] = Flow::idle();
                f[fh] = Flow::idle();
            }
        }
        out.instances = instances;
        out.tiles = tiles;
        out.precision = precision;
    }

    /// Per operand and arch level: whether the level can double-buffer (its effective
    /// footprint, summed over every operand sharing the memory, leaves room for a second
    /// copy). Level 0 (the PEs) never does.
    fn double_buffering<S: Real>(
        &self,
        temporal: &[Temporal<S>; 3],
        runs: &[OperandRun<S>; 3],
    ) -> [[bool; MAX_LEVELS + 1]; 3] {
        let mems = &self.arch.memories;
        let mut own = [[0.0f64; MAX_LEVELS]; 3];
        for op in Operand::ALL {
            let (o, t) = (op_index(op), &temporal[op_index(op)]);
            for m in 0..t.levels {
                let bits = (runs[o].tiles[m + 1] * runs[o].precision[m + 1]).value();
                own[o][m] = (bits / t.top_relevant[m + 1].value()).floor() / mems[t.mems[m]].size_bits as f64;
            }
        }
        let level_of = |o: usize, mem: usize| temporal[o].mems[..temporal[o].levels].iter().position(|&x| x == mem);
        let mut shared = [[0.0f64; MAX_LEVELS]; 3];
        for o in 0..3 {
            for m in 0..temporal[o].levels {
                let mem = temporal[o].mems[m];
                shared[o][m] = (0..3).filter_map(|o2| level_of(o2, mem).map(|m2| own[o2][m2])).sum();
            }
        }
        let mut db = [[false; MAX_LEVELS + 1]; 3];
        for op in self.layer.order {
            let o = op_index(op);
            for m in 0..temporal[o].levels {
                db[o][m + 1] = if shared[o][m] <= 0.5 {
                    true
                } else if own[o][m] <= 1.0 - shared[o][m] {
                    let mem = temporal[o].mems[m];
                    for o2 in 0..3 {
                        if let Some(m2) = level_of(o2, mem) {
                            shared[o2][m2] += own[o][m];
                        }
                    }
                    true
                } else {
                    false
                };
            }
        }
        db
    }

    /// Stall cycles: per physical port, the periods whose data cannot be moved within their
    /// windows, net of the slack other flows on the same port leave; the worst port counts
    /// (ports work in parallel).
    fn stalls<S: Real>(
        &self,
        temporal: &[Temporal<S>; 3],
        runs: &[OperandRun<S>; 3],
        real_allowed: &dyn Fn(Operand, usize, usize) -> (S, S),
        mut breakdown: Option<&mut Breakdown>,
    ) -> (S, String) {
        let mems = &self.arch.memories;
        // Activities grouped by (memory, port), in visiting order.
        let mut acts: PortActivities<S> = SmallVec::new();
        for op in self.layer.order {
            let (o, t) = (op_index(op), &temporal[op_index(op)]);
            for m in 0..t.levels {
                for d in 0..4 {
                    let Some(p) = self.port(t.mems[m], op, d) else { continue };
                    let f = &runs[o].flows[m][d];
                    if f.count.value() <= 0.0 {
                        continue;
                    }
                    let (real, allowed) = real_allowed(op, m, d);
                    let act = Activity { real, allowed, period: self.ceil(f.period), count: f.count };
                    acts.push(((t.mems[m], p), act));
                }
            }
        }
        let mut worst = S::cst(0.0);
        let mut worst_name = String::new();
        // Group by port, in first-visit order.
        let mut done: SmallVec<[(usize, usize); 12]> = SmallVec::new();
        for &(key, _) in acts.iter() {
            if done.contains(&key) {
                continue;
            }
            done.push(key);
            let (mem, p) = (&key.0, &key.1);
            let group: SmallVec<[Activity<S>; 8]> = acts.iter().filter(|(k, _)| *k == key).map(|(_, a)| *a).collect();
            let s = port_stall(&group);
            if s.value() > 0.0
                && let Some(b) = breakdown.as_deref_mut()
            {
                b.port_stalls.push((mems[*mem].name.clone(), mems[*mem].ports[*p].name.clone(), s.value()));
            }
            if s.value() > worst.value() {
                worst = s;
                if breakdown.is_some() {
                    worst_name = format!("{}.{}", mems[*mem].name, mems[*mem].ports[*p].name);
                }
            }
        }
        (worst, worst_name)
    }

    /// Per (operand level, direction) the cycles of its first transfer outside compute, and
    /// whether its port is shared by both inputs. One-shot transfers borrow the port's spare
    /// bandwidth during compute, down to the innermost tile.
    #[allow(clippy::type_complexity)]
    fn io_entries<S: Real>(
        &self,
        temporal: &[Temporal<S>; 3],
        runs: &[OperandRun<S>; 3],
        real_allowed: &dyn Fn(Operand, usize, usize) -> (S, S),
        compute: S,
    ) -> ([[[(S, bool); 4]; MAX_LEVELS]; 2], [[(S, bool); 4]; MAX_LEVELS]) {
        let zero = (S::cst(0.0), false);
        let mut inputs = [[[zero; 4]; MAX_LEVELS]; 2];
        let mut outputs = [[zero; 4]; MAX_LEVELS];
        for io in &self.model.io_ports {
            let (mi, shared) = (io.memory, io.shared);
            {
                let mut once: SmallVec<[(Operand, usize, usize); 8]> = SmallVec::new();
                let mut repeated: SmallVec<[(Operand, usize, usize); 8]> = SmallVec::new();
                for &(op, d) in &io.flows {
                    let t = &temporal[op_index(op)];
                    let Some(m) = t.mems[..t.levels].iter().position(|&x| x == mi) else { continue };
                    if op == Operand::O && matches!(DIRS[d], Direction::ReadToLow | Direction::WriteFromHigh) {
                        continue;
                    }
                    let count = runs[op_index(op)].flows[m][d].count.value();
                    if count == 0.0 {
                        continue;
                    }
                    if count == 1.0 { once.push((op, m, d)) } else { repeated.push((op, m, d)) }
                }
                let bmax = io.bw_max_bits;
                let mut required = S::cst(0.0);
                for &(op, m, d) in &repeated {
                    required += self.ceil(runs[op_index(op)].flows[m][d].bandwidth);
                }
                let mut entries: SmallVec<[((Operand, usize, usize), S); 8]> = SmallVec::new();
                if !once.is_empty() {
                    let mut spare = ((required * -1.0 + bmax) / bmax * compute).max_c(0.0);
                    let mut rest: SmallVec<[S; 8]> = once.iter().map(|&(op, m, d)| real_allowed(op, m, d).0).collect();
                    let floor: SmallVec<[S; 8]> = once
                        .iter()
                        .map(|&(op, _, _)| {
                            let r = &runs[op_index(op)];
                            self.ceil(r.tiles[1] * r.precision[1] / bmax)
                        })
                        .collect();
                    let mut by_need: SmallVec<[usize; 8]> = (0..once.len()).collect();
                    by_need.sort_by(|&a, &b| rest[b].value().total_cmp(&rest[a].value()));
                    for i in by_need {
                        if spare.value() <= 0.0 {
                            break;
                        }
                        let cut = (rest[i] - floor[i]).max_c(0.0).min(spare);
                        rest[i] = rest[i] - cut;
                        spare = spare - cut;
                    }
                    entries.extend(once.iter().copied().zip(rest));
                }
                for &(op, m, d) in &repeated {
                    entries.push(((op, m, d), real_allowed(op, m, d).0));
                }
                for ((op, m, d), v) in entries {
                    match op {
                        Operand::O => outputs[m][d] = (v, shared),
                        _ => inputs[op_index(op)][m][d] = (v, shared),
                    }
                }
            }
        }
        (inputs, outputs)
    }

    /// Cycles before compute can start: per input, the first tile of each level pair, the
    /// transfers on ports both inputs share serialised, the others overlapped.
    fn onload<S: Real>(&self, temporal: &[Temporal<S>; 3], load: &[[[(S, bool); 4]; MAX_LEVELS]; 2]) -> S {
        let zero = S::cst(0.0);
        let inputs: Vec<Operand> = self.layer.order.iter().copied().filter(|&op| op != Operand::O).collect();
        let mut parts = [(zero, zero, zero); 2]; // (individual, half-shared, shared)
        for (k, &op) in inputs.iter().enumerate() {
            let o = op_index(op);
            for m in 0..temporal[o].levels.saturating_sub(1) {
                let e1 = load[o][m][dir_index(Direction::WriteFromHigh)];
                let e2 = load[o][m + 1][dir_index(Direction::ReadToLow)];
                let x = e1.0.max(e2.0);
                match (e1.1, e2.1) {
                    (false, false) => parts[k].0 += x,
                    (true, true) => parts[k].2 += x,
                    _ => parts[k].1 = x,
                }
            }
        }
        let [(i1, h1, s1), (i2, h2, s2)] = parts;
        let a = s1 + (s2 + h2 + i2).max(h1 + i1);
        let b = s2 + (s1 + h1 + i1).max(h2 + i2);
        a.min(b)
    }

    /// Systolic drain: along each systolic array dimension, one cycle per PE beyond the first.
    fn drain<S: Real>(&self, mapping: &Mapping<S>) -> S {
        let arch = self.arch;
        let mut drain = S::cst(0.0);
        for (ad, (name, &size)) in arch.array.dims.iter().enumerate() {
            if !arch.array.systolic_dims.contains(name) {
                continue;
            }
            let mut product: Option<S> = None;
            for u in mapping.spatial.iter().filter(|u| u.array_dim == ad) {
                let f = u.factor.min_c(size as f64).min_c(self.layer.sizes[u.dim] as f64);
                product = Some(product.map_or(f, |p| p * f));
            }
            if let Some(p) = product {
                drain += (self.ceil(p) - 1.0).max_c(0.0);
            }
        }
        drain
    }
}

/// Flows' port use, keyed by (memory, port).
type PortActivities<S> = SmallVec<[((usize, usize), Activity<S>); 24]>;

/// Evened-out unrolls: (array dimension, layer dimension, factor).
type Unrolls<S> = SmallVec<[(usize, usize, S); 8]>;

/// One flow's use of a port: `real` cycles per period needed, `allowed` available.
#[derive(Clone, Copy)]
struct Activity<S> {
    real: S,
    allowed: S,
    period: S,
    count: S,
}

/// Stall cycles of one port. Each flow overruns its window by `real − allowed` cycles in every
/// period but the first (which on-loading covers). Overruns add up; flows with slack absorb
/// them only as far as the port's busy windows leave room: the memory-updating windows of all
/// flows must fit in the union of their update windows.
fn port_stall<S: Real>(acts: &[Activity<S>]) -> S {
    let overrun = |a: &Activity<S>| (a.real - a.allowed) * (a.count - 1.0);
    if acts.len() == 1 {
        return overrun(&acts[0]);
    }
    let union = match acts.iter().find(|a| a.period.value() == a.allowed.value()) {
        Some(a) => a.period * a.count,
        None => {
            let longest = acts.iter().fold(&acts[0], |m, a| if a.period.value() > m.period.value() { a } else { m });
            S::cst(covered_cycles(acts, longest.period.value())) * longest.count
        }
    };
    let (mut positive, mut slack, mut windows) = (S::cst(0.0), S::cst(0.0), S::cst(0.0));
    for a in acts {
        let s = overrun(a);
        if s.value() > 0.0 {
            positive += s;
        } else {
            slack += s;
        }
        windows += a.allowed * (a.count - 1.0);
    }
    positive + (slack + windows - union).max_c(0.0)
}

/// Windows a port's union sweep may visit before it is estimated instead.
const SWEEP_BUDGET: u64 = 100_000;

/// Cycles in `[0, horizon)` inside at least one activity's window `[k·P, k·P + allowed)`.
fn covered_cycles<S: Real>(acts: &[Activity<S>], horizon: f64) -> f64 {
    let horizon = horizon as u64;
    // (period, window length, next period index)
    let mut windows: Vec<(u64, u64, u64)> =
        acts.iter().map(|a| (a.period.value().max(1.0) as u64, a.allowed.value().max(0.0) as u64, 0)).collect();
    if windows.iter().any(|&(p, w, _)| w >= p) {
        return horizon as f64;
    }
    // Beyond a sweep budget (ZigZag marks every cycle of the horizon, which can be tens of
    // millions), take the windows as independent: each cycle is outside all of them with
    // probability Π(1 − w/P). Exact when the periods are coprime; the budget keeps every
    // evaluation bounded.
    let count: u64 = windows.iter().map(|&(p, _, _)| horizon.div_ceil(p)).sum();
    if count > SWEEP_BUDGET {
        let outside: f64 = windows.iter().map(|&(p, w, _)| 1.0 - w as f64 / p as f64).product();
        return (horizon as f64 * (1.0 - outside)).round();
    }
    // Sweep the windows in start order, merging overlaps.
    let mut covered = 0u64;
    let mut reach = 0u64;
    while let Some((i, start)) = windows
        .iter()
        .enumerate()
        .filter(|(_, (p, _, k))| k * p < horizon)
        .map(|(i, (p, _, k))| (i, k * p))
        .min_by_key(|&(_, s)| s)
    {
        let (_, w, k) = windows[i];
        let end = (start + w).min(horizon);
        if end > reach {
            covered += end - start.max(reach);
            reach = end;
        }
        windows[i].2 = k + 1;
    }
    covered as f64
}

/// What one operand keeps in one instance of one of its memory levels.
#[derive(Clone, Debug, PartialEq)]
pub struct Footprint<S = f64> {
    pub operand: Operand,
    /// Index into the accelerator's memories.
    pub memory: usize,
    pub elements: S,
    /// Stored bits (partial sums at their width while the level accumulates).
    pub bits: S,
}

/// Per operand and level, the tile one instance holds under `mapping` (integer unrolling,
/// stationary form) — what must fit in the memory's capacity.
pub fn footprints(arch: &Accelerator, layer: &Layer, mapping: &Mapping<f64>) -> Vec<Footprint> {
    LayerModel::new(arch, layer).footprints(mapping, true)
}

impl LayerModel<'_> {
    /// Per operand and level, the tile one instance holds; `exact` as in
    /// [`LayerModel::evaluate`] vs [`LayerModel::evaluate_relaxed`] (the relaxed footprints
    /// are differentiable, for capacity penalties).
    pub fn footprints<S: Real>(&self, mapping: &Mapping<S>, exact: bool) -> Vec<Footprint<S>> {
        let ev = Evaluator { model: self, arch: self.arch, layer: self.layer, exact };
        let total_cycles = mapping.loops.iter().fold(S::cst(1.0), |acc, l| acc * l.size);
        let temporal: [Temporal<S>; 3] = Operand::ALL.map(|op| ev.temporal(mapping, op));
        let int = ev.unrolls(mapping, !exact);
        let mut out = Vec::new();
        for op in Operand::ALL {
            let t = &temporal[op_index(op)];
            let mut run = OperandRun::blank();
            ev.operand_run(mapping, &temporal, &int, op, total_cycles, &mut run);
            for m in 0..t.levels {
                let elements = run.tiles[m + 1];
                out.push(Footprint { operand: op, memory: t.mems[m], elements, bits: elements * run.precision[m + 1] });
            }
        }
        out
    }
}
