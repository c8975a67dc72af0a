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

use std::cell::RefCell;

use dnnc_arch::{Accelerator, Direction, Operand};

use smallvec::SmallVec;

use crate::mapping::Mapping;
use crate::problem::{DimSet, Layer, MAX_DIMS, contains, op_index, span_reduced};
use crate::real::Real;

mod structure;

pub use structure::MAX_UNROLLS;
use structure::{Key, OpStructure, Structure, positions};

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

/// When to give up an evaluation ([`LayerModel::evaluate_unless`]): called with lower bounds
/// on the energy (pJ) and latency (cycles) as they tighten, it says whether no mapping with
/// those bounds can be of use. The bounds only grow; the last call's energy is the total.
pub type GiveUp<'x> = &'x dyn Fn(f64, f64) -> bool;

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

/// Rounding without libm calls on the common path (the baseline x86-64 target has no
/// rounding instruction, so `f64::ceil` and friends are function calls). For `0 ≤ x < 2⁵²`
/// (`+0` included, `−0` not) adding 2⁵² leaves no fractional bits and rounds to the nearest
/// integer, ties to even, and subtracting it back is exact; anything else (negative, huge,
/// NaN) goes to libm. Each agrees with its `f64` counterpart on every input.
const TWO_52: f64 = 4_503_599_627_370_496.0;

#[inline(always)]
fn small_non_negative(x: f64) -> bool {
    x.to_bits() < TWO_52.to_bits()
}

/// `x` rounded to the nearest integer, ties to even, for `small_non_negative(x)`.
#[inline(always)]
fn nearest(x: f64) -> f64 {
    (x + TWO_52) - TWO_52
}

#[inline(always)]
fn ceil_f64(x: f64) -> f64 {
    if small_non_negative(x) {
        let r = nearest(x);
        if r < x { r + 1.0 } else { r }
    } else {
        slow_ceil(x)
    }
}

#[inline(always)]
fn floor_f64(x: f64) -> f64 {
    if small_non_negative(x) {
        let r = nearest(x);
        if r > x { r - 1.0 } else { r }
    } else {
        slow_floor(x)
    }
}

#[inline(always)]
fn trunc_f64(x: f64) -> f64 {
    if small_non_negative(x) { floor_f64(x) } else { slow_trunc(x) }
}

#[inline(always)]
fn round_even_f64(x: f64) -> f64 {
    if small_non_negative(x) { nearest(x) } else { slow_round_even(x) }
}

#[cold]
#[inline(never)]
fn slow_ceil(x: f64) -> f64 {
    x.ceil()
}

#[cold]
#[inline(never)]
fn slow_floor(x: f64) -> f64 {
    x.floor()
}

#[cold]
#[inline(never)]
fn slow_trunc(x: f64) -> f64 {
    x.trunc()
}

#[cold]
#[inline(never)]
fn slow_round_even(x: f64) -> f64 {
    x.round_ties_even()
}

/// A divisor fixed by the accelerator: a power of two divides as a multiplication by its
/// reciprocal (the same correctly rounded result, without a division).
#[derive(Clone, Copy)]
struct Divisor {
    value: f64,
    /// `1 / value` when that is exact, else 0.
    recip: f64,
}

impl Divisor {
    fn new(value: u64) -> Self {
        Divisor { value: value as f64, recip: if value.is_power_of_two() { 1.0 / value as f64 } else { 0.0 } }
    }
    #[inline(always)]
    fn divide<S: Real>(&self, x: S) -> S {
        if self.recip != 0.0 { x * self.recip } else { x / self.value }
    }
}

/// Per operand, the quantities of one spatial variant (fractional or integer unrolling).
#[derive(Clone, Copy)]
struct OperandRun<S> {
    /// Active instances of arch level `a` (a = 0: the PEs, a = m + 1: memory m); a ≥ 1 only.
    instances: [S; MAX_LEVELS + 1],
    /// Elements one instance of arch level `a` holds.
    tiles: [S; MAX_LEVELS + 1],
    /// Distinct data sets memory `m` exchanges with its children (a < levels).
    fanout: [S; MAX_LEVELS + 1],
    /// Stored bits per element at arch level `a`.
    precision: [f64; MAX_LEVELS + 1],
    /// Memory `m` holds partial sums (the output only).
    psum: [bool; MAX_LEVELS + 1],
}

impl<S: Real> OperandRun<S> {
    fn blank() -> Self {
        let one = S::cst(1.0);
        OperandRun {
            instances: [one; MAX_LEVELS + 1],
            tiles: [one; MAX_LEVELS + 1],
            fanout: [one; MAX_LEVELS + 1],
            precision: [0.0; MAX_LEVELS + 1],
            psum: [false; MAX_LEVELS + 1],
        }
    }
}

/// Per operand, the temporal quantities (independent of the spatial variant).
#[derive(Clone, Copy)]
struct Temporal<S> {
    /// Cycle length of one period at arch level a: a = 0 the innermost reuse at the PEs,
    /// a = m + 1 the loops up to and including level m.
    cycles: [S; MAX_LEVELS + 1],
    /// Product of the outermost run of relevant loops of level m, at m + 1.
    top_relevant: [f64; MAX_LEVELS + 1],
    /// Per arch level a < levels, for the flows that move once every `cycles[a]`: how many
    /// periods there are, the period rounded up, and the window (the period over the
    /// outermost run of irrelevant loops at a) rounded up.
    count: [S; MAX_LEVELS],
    period: [S; MAX_LEVELS],
    window: [S; MAX_LEVELS],
}

/// Array dimensions whose unroll slots are tabulated.
const SLOTS: usize = 8;

impl<S: Real> Temporal<S> {
    fn blank() -> Self {
        let (zero, one) = (S::cst(0.0), S::cst(1.0));
        Temporal {
            cycles: [one; MAX_LEVELS + 1],
            top_relevant: [1.0; MAX_LEVELS + 1],
            count: [zero; MAX_LEVELS],
            period: [zero; MAX_LEVELS],
            window: [zero; MAX_LEVELS],
        }
    }
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

/// One layer on one accelerator, with the accelerator's port and sharing structure and the
/// layer's access structure resolved once, so evaluating a mapping allocates nothing on the
/// common path.
pub struct LayerModel<'a> {
    arch: &'a Accelerator,
    layer: &'a Layer,
    /// Per memory: what it serves and the port of each (operand, direction).
    mems: Vec<MemInfo>,
    /// Per port index (`PortRef::gid`): the memory, its port and the port's word in bits.
    port_names: Vec<(usize, usize, f64)>,
    /// Per operand (by [`op_index`]): how it is indexed.
    shapes: [Shape; 3],
    /// `layer.order` as operand indices.
    order: [usize; 3],
    /// The inputs in equation order.
    inputs: SmallVec<[usize; 2]>,
    /// Per array dimension: its size and whether results drain systolically along it.
    array: SmallVec<[(f64, bool); 4]>,
    /// The layer's dimension sizes.
    sizes: SmallVec<[f64; MAX_DIMS]>,
    macs: f64,
    /// Cycles with every PE busy every cycle.
    ideal_cycles: f64,
}

/// The port carrying one (operand, direction) flow of one memory, resolved.
#[derive(Clone, Copy)]
struct PortRef {
    /// Index over every port of the accelerator.
    gid: u16,
    /// The port carries flows of both inputs.
    shared: bool,
    /// Position of the flow among the port's flows in ZigZag's visiting order (the memory's
    /// operand order, then the file's allocation order).
    io_rank: u8,
    bw_min: Divisor,
    bw_max: Divisor,
    /// `bw_min / bw_max`: the fraction of a full-word access one granule costs.
    granule: f64,
    /// Energy of one full-word access in this direction.
    pj: f64,
}

struct MemInfo {
    /// The array dimensions it serves, as a bit mask.
    served: u32,
    size_bits: Divisor,
    /// Per operand and direction (in `DIRS` order), valid where `ported` has bit `d`.
    ports: [[PortRef; 4]; 3],
    ported: [u8; 3],
}

/// A sliding window of one operand, with its strides prepared.
#[derive(Clone, Copy)]
struct Win {
    outer: usize,
    inner: usize,
    /// The strides.
    sa: f64,
    sb: f64,
    /// `sa + sb − 1`.
    offset: f64,
    /// The strides over their gcd.
    ra: u64,
    rb: u64,
    extent: u64,
}

impl Win {
    /// [`crate::problem::Window::span`].
    #[inline(always)]
    fn span(&self, a: u64, b: u64) -> u64 {
        span_reduced(a, b, self.ra, self.rb, self.extent)
    }
}

/// How one operand is indexed ([`Layer::tile`], prepared).
struct Shape {
    /// Relevant dimensions (below the rank).
    relevant: DimSet,
    irrelevant: DimSet,
    /// Dimensions its tiles depend on (relevant or feeding a window).
    tile_dims: DimSet,
    windows: SmallVec<[Win; 2]>,
    /// Bits of an element as it moves (final outputs for `O`) and as a partial sum.
    bits: f64,
    psum_bits: f64,
    /// The tile of no loop at all, relaxed and exact.
    unit_tile: [f64; 2],
}

impl Shape {
    fn new(layer: &Layer, op: Operand) -> Self {
        let access = &layer.access[op_index(op)];
        let rank_mask: DimSet = ((1u32 << layer.rank()) - 1) as DimSet;
        let mut windows = SmallVec::new();
        for w in &access.windows {
            let (ra, rb) = w.reduced_strides();
            let (sa, sb) = (w.outer_stride as f64, w.inner_stride as f64);
            windows.push(Win {
                outer: w.outer,
                inner: w.inner,
                sa,
                sb,
                offset: sa + sb - 1.0,
                ra,
                rb,
                extent: w.extent,
            });
        }
        let ones = &[1.0; MAX_DIMS][..layer.rank()];
        Shape {
            relevant: access.relevant & rank_mask,
            irrelevant: layer.irrelevant(op),
            tile_dims: (access.relevant & rank_mask) | access.windowed(),
            windows,
            bits: layer.bits(op, false) as f64,
            psum_bits: layer.bits(op, true) as f64,
            unit_tile: [layer.tile(op, ones, false), layer.tile(op, ones, true)],
        }
    }
}

const O: usize = 2;

/// A port's (operand index, direction index) flows.
type PortFlows = SmallVec<[(usize, usize); 8]>;

impl<'a> LayerModel<'a> {
    pub fn new(arch: &'a Accelerator, layer: &'a Layer) -> Self {
        let none = PortRef {
            gid: 0,
            shared: false,
            io_rank: u8::MAX,
            bw_min: Divisor::new(1),
            bw_max: Divisor::new(1),
            granule: 1.0,
            pj: 0.0,
        };
        let mut mems = Vec::with_capacity(arch.memories.len());
        let mut port_names = Vec::with_capacity(arch.memories.iter().map(|m| m.ports.len()).sum());
        for (mi, mem) in arch.memories.iter().enumerate() {
            let mut served = 0;
            for (i, name) in arch.array.dims.keys().enumerate() {
                if mem.served_dims.contains(name) {
                    served |= 1 << i;
                }
            }
            // Per operand and direction, the port carrying it ([`Memory::port_for`]: the first
            // port that serves it).
            let mut port_of = [[usize::MAX; 4]; 3];
            for (pi, port) in mem.ports.iter().enumerate() {
                for &(op, dir) in &port.serves {
                    let slot = &mut port_of[op_index(op)][dir_index(dir)];
                    if *slot == usize::MAX {
                        *slot = pi;
                    }
                }
            }
            let first_gid = port_names.len();
            let mut info =
                MemInfo { served, size_bits: Divisor::new(mem.size_bits), ports: [[none; 4]; 3], ported: [0; 3] };
            for (pi, port) in mem.ports.iter().enumerate() {
                port_names.push((mi, pi, port.bw_max_bits as f64));
                let shared = [Operand::I, Operand::W].iter().all(|op| port.serves.iter().any(|(o, _)| o == op));
                // The flows it carries in ZigZag's visiting order (the memory's operand
                // order, then the file's allocation order).
                let mut flows: PortFlows = SmallVec::new();
                for &(op, dir) in &port.serves {
                    let (o, d) = (op_index(op), dir_index(dir));
                    if port_of[o][d] == pi {
                        flows.push((o, d));
                    }
                }
                if flows.len() > 1 {
                    flows.sort_by_key(|&(o, _)| {
                        mem.operands.iter().position(|x| op_index(*x) == o).unwrap_or(usize::MAX)
                    });
                }
                let (bw_min, bw_max) = (port.bw_min_bits as f64, port.bw_max_bits as f64);
                for (rank, &(o, d)) in flows.iter().enumerate() {
                    if info.ported[o] & 1 << d != 0 {
                        continue; // listed twice (validation rejects that)
                    }
                    info.ported[o] |= 1 << d;
                    info.ports[o][d] = PortRef {
                        gid: (first_gid + pi) as u16,
                        shared,
                        io_rank: rank as u8,
                        bw_min: Divisor::new(port.bw_min_bits.into()),
                        bw_max: Divisor::new(port.bw_max_bits.into()),
                        granule: bw_min / bw_max,
                        pj: if DIRS[d].is_read() { mem.read_pj } else { mem.write_pj },
                    };
                }
            }
            mems.push(info);
        }
        let mut order = [0; 3];
        for (k, op) in layer.order.iter().enumerate() {
            order[k] = op_index(*op);
        }
        let mut inputs = SmallVec::new();
        for &op in &layer.order {
            if op != Operand::O {
                inputs.push(op_index(op));
            }
        }
        let mut array = SmallVec::new();
        for (name, &size) in &arch.array.dims {
            array.push((size as f64, arch.array.systolic_dims.contains(name)));
        }
        let mut sizes = SmallVec::new();
        for &size in &layer.sizes {
            sizes.push(size as f64);
        }
        let macs = layer.macs() as f64;
        LayerModel {
            arch,
            layer,
            mems,
            port_names,
            shapes: [Shape::new(layer, Operand::I), Shape::new(layer, Operand::W), Shape::new(layer, Operand::O)],
            order,
            inputs,
            array,
            sizes,
            macs,
            ideal_cycles: (macs / arch.array.pe_count() as f64).ceil(),
        }
    }

    pub fn layer(&self) -> &Layer {
        self.layer
    }

    pub fn arch(&self) -> &Accelerator {
        self.arch
    }

    /// Energy and latency of `mapping`, rounded as the hardware counts.
    pub fn evaluate<S: Real>(&self, mapping: &Mapping<S>) -> Cost<S> {
        Evaluator::<true> { model: self }.run(&Structure::new(self, mapping), None, mapping, None, None)
    }

    /// [`LayerModel::evaluate`], given up (`None`) as soon as `give_up` holds for lower bounds
    /// on the energy and latency ([`GiveUp`]): a search that only wants mappings better than
    /// some bar skips the rest of an evaluation that cannot beat it. A result it returns is
    /// [`LayerModel::evaluate`]'s, bit for bit.
    pub fn evaluate_unless(&self, mapping: &Mapping<f64>, give_up: GiveUp<'_>) -> Option<Cost<f64>> {
        Evaluator::<true> { model: self }.run_unless(
            &Structure::new(self, mapping),
            None,
            mapping,
            None,
            None,
            Some(give_up),
        )
    }

    /// The smooth relaxation of [`LayerModel::evaluate`]: the same formulas without rounding
    /// to whole words, loops, instances and window rows, so the value is piecewise smooth in
    /// the loop sizes and its gradient (with a dual-number `S`) matches finite differences.
    /// Decisions (which level holds partial sums, double buffering, the worst port) stay
    /// discrete.
    pub fn evaluate_relaxed<S: Real>(&self, mapping: &Mapping<S>) -> Cost<S> {
        Evaluator::<false> { model: self }.run(&Structure::new(self, mapping), None, mapping, None, None)
    }

    /// [`LayerModel::evaluate`] with a [`Breakdown`].
    pub fn evaluate_with_breakdown(&self, mapping: &Mapping<f64>) -> (Cost<f64>, Breakdown) {
        let mut breakdown = Breakdown::default();
        let cost = Evaluator::<true> { model: self }.run(
            &Structure::new(self, mapping),
            None,
            mapping,
            Some(&mut breakdown),
            None,
        );
        (cost, breakdown)
    }

    /// Works out the structure of `mapping` (its loop order, memory levels and cuts, and
    /// which array dimensions unroll which layer dimensions) once, for evaluating mappings
    /// that differ from it only in loop sizes and unroll factors — as an optimiser's do
    /// while it varies tile sizes.
    pub fn prepare<S: Real>(&self, mapping: &Mapping<S>) -> Prepared<'_, 'a> {
        Prepared {
            model: self,
            key: Key::of(mapping),
            structure: Structure::new(self, mapping),
            spatial: RefCell::new(SpatialMemo::default()),
        }
    }
}

/// A [`LayerModel`] with one mapping structure worked out ([`LayerModel::prepare`]): each
/// evaluation of a mapping with that structure does only the arithmetic that depends on the
/// loop sizes and unroll factors. A mapping with another structure is evaluated as
/// [`LayerModel::evaluate`] would (the structure worked out for it alone), so results never
/// depend on which entry point computed them. It also keeps the last constant unroll
/// factors' instances and fanouts (which depend on nothing else), so it is used from one
/// thread (it is not `Sync`); prepare one per thread.
pub struct Prepared<'m, 'a> {
    model: &'m LayerModel<'a>,
    key: Key,
    structure: Structure,
    /// The spatial quantities of the last evaluation whose unroll factors were constants.
    spatial: RefCell<SpatialMemo>,
}

/// What depends only on the structure and the unroll factors (not on the loop sizes): the
/// evened-out unrolls and each operand's instances and fanouts, per rounding mode. An
/// optimiser varying tile sizes keeps the unrolls, so evaluations reuse them. Kept only for
/// constant factors (no derivatives), whose results are constants: `Real::cst` of the stored
/// values reproduces them exactly.
#[derive(Default)]
struct SpatialMemo {
    /// Per rounding mode (relaxed, exact): the factors' bits it holds, if any.
    key: [Option<SmallVec<[u64; 8]>>; 2],
    /// Per rounding mode: whether the integer unrolls differ, the fractional and integer
    /// unrolls, and per (variant, operand) the instances and fanouts.
    differ: [bool; 2],
    unrolls: [[SmallVec<[f64; 8]>; 2]; 2],
    runs: [[[SpatialRun; 3]; 2]; 2],
}

/// One operand's instances and fanouts per arch level ([`OperandRun`]'s), as values.
type SpatialRun = ([f64; MAX_LEVELS + 1], [f64; MAX_LEVELS + 1]);

impl Prepared<'_, '_> {
    /// Whether `mapping` has the prepared structure (only sizes and factors differ).
    pub fn matches<S>(&self, mapping: &Mapping<S>) -> bool {
        self.key.matches(mapping)
    }

    fn with_structure<S: Real, R>(&self, mapping: &Mapping<S>, f: impl FnOnce(&Structure) -> R) -> R {
        if self.key.matches(mapping) { f(&self.structure) } else { f(&Structure::new(self.model, mapping)) }
    }

    /// [`LayerModel::evaluate`].
    pub fn evaluate<S: Real>(&self, mapping: &Mapping<S>) -> Cost<S> {
        if self.key.matches(mapping) {
            Evaluator::<true> { model: self.model }.run(&self.structure, Some(&self.spatial), mapping, None, None)
        } else {
            self.model.evaluate(mapping)
        }
    }

    /// [`LayerModel::evaluate_unless`].
    pub fn evaluate_unless(&self, mapping: &Mapping<f64>, give_up: GiveUp<'_>) -> Option<Cost<f64>> {
        if self.key.matches(mapping) {
            Evaluator::<true> { model: self.model }.run_unless(
                &self.structure,
                Some(&self.spatial),
                mapping,
                None,
                None,
                Some(give_up),
            )
        } else {
            self.model.evaluate_unless(mapping, give_up)
        }
    }

    /// [`LayerModel::evaluate_relaxed`].
    pub fn evaluate_relaxed<S: Real>(&self, mapping: &Mapping<S>) -> Cost<S> {
        if self.key.matches(mapping) {
            Evaluator::<false> { model: self.model }.run(&self.structure, Some(&self.spatial), mapping, None, None)
        } else {
            self.model.evaluate_relaxed(mapping)
        }
    }

    /// [`Prepared::evaluate_relaxed`], with [`Prepared::footprints`] (relaxed) written to
    /// `footprints`: the evaluation works the tiles out anyway, and an optimiser penalising
    /// capacity needs both at every point.
    pub fn evaluate_relaxed_with_footprints<S: Real>(
        &self,
        mapping: &Mapping<S>,
        footprints: &mut Vec<Footprint<S>>,
    ) -> Cost<S> {
        let evaluator = Evaluator::<false> { model: self.model };
        if self.key.matches(mapping) {
            evaluator.run(&self.structure, Some(&self.spatial), mapping, None, Some(footprints))
        } else {
            evaluator.run(&Structure::new(self.model, mapping), None, mapping, None, Some(footprints))
        }
    }

    /// [`LayerModel::footprints`].
    pub fn footprints<S: Real>(&self, mapping: &Mapping<S>, exact: bool) -> Vec<Footprint<S>> {
        self.with_structure(mapping, |st| {
            if exact {
                Evaluator::<true> { model: self.model }.footprints(st, mapping)
            } else {
                Evaluator::<false> { model: self.model }.footprints(st, mapping)
            }
        })
    }
}

/// One evaluation: the prepared model and the rounding mode (`EXACT`: round word counts,
/// trip counts and instance counts as the hardware does; otherwise keep the smooth
/// relaxation the optimiser descends on).
///
/// `HW`: compiled for a CPU that rounds in hardware (SSE4.1's `roundsd`; see
/// [`Evaluator::run`]); the baseline x86-64 target rounds with [`ceil_f64`] and friends.
struct Evaluator<'m, 'a, const EXACT: bool, const HW: bool = false> {
    model: &'m LayerModel<'a>,
}

/// Evened-out unroll factors, by position in array-dimension order.
type Unrolls<S> = SmallVec<[S; 8]>;

/// One flow's use of a port: `real` cycles per period needed, `allowed` available.
#[derive(Clone, Copy)]
struct Activity<S> {
    real: S,
    allowed: S,
    period: S,
    count: S,
}

/// A flow that moves data (a port, a non-zero count), in the model's visiting order.
#[derive(Clone, Copy)]
struct Act<S> {
    gid: u16,
    /// Its port carries both inputs.
    shared: bool,
    io_rank: u8,
    o: u8,
    m: u8,
    d: u8,
    act: Activity<S>,
    /// Cycles of its first transfer outside compute.
    io: S,
}

const NO_ACT: u8 = u8::MAX;
/// More flows than an evaluation can have (3 operands × `MAX_LEVELS` × 4 directions).
const MAX_ACTS: usize = 64;

/// Flows linked per port: for each flow the next one on the same port, and per port (when
/// the accelerator has at most `MAX_ACTS` ports) the last one so far.
struct Links {
    next: [u8; MAX_ACTS],
    last: [u8; MAX_ACTS],
    /// The first flow of each port, in first-visit order.
    heads: [u8; MAX_ACTS],
    ports: usize,
}

impl Links {
    fn new() -> Self {
        Links { next: [NO_ACT; MAX_ACTS], last: [NO_ACT; MAX_ACTS], heads: [NO_ACT; MAX_ACTS], ports: 0 }
    }

    /// Appends flow `i` to the list of port `gid`; `previous` finds the port's last flow
    /// when `gid` is out of the table's range.
    #[inline(always)]
    fn push(&mut self, i: u8, gid: u16, previous: impl FnOnce() -> u8) {
        let g = gid as usize;
        let last = if g < MAX_ACTS { self.last[g] } else { previous() };
        if last == NO_ACT {
            self.heads[self.ports] = i;
            self.ports += 1;
        } else {
            self.next[last as usize] = i;
        }
        if g < MAX_ACTS {
            self.last[g] = i;
        }
    }

    fn heads(&self) -> &[u8] {
        &self.heads[..self.ports]
    }

    /// The flows of the port whose first flow is `first`, in visiting order.
    fn chain(&self, first: u8) -> Chain<'_> {
        Chain { next: &self.next, cur: first }
    }
}

#[derive(Clone, Copy)]
struct Chain<'x> {
    next: &'x [u8; MAX_ACTS],
    cur: u8,
}

impl Iterator for Chain<'_> {
    type Item = usize;
    #[inline(always)]
    fn next(&mut self) -> Option<usize> {
        if self.cur == NO_ACT {
            return None;
        }
        let c = self.cur as usize;
        self.cur = self.next[c];
        Some(c)
    }
}

impl<'m, 'a, const EXACT: bool> Evaluator<'m, 'a, EXACT> {
    /// Evaluates `mapping` of structure `st`. Rounding is a large share of an evaluation's
    /// instructions, and x86-64's baseline has no rounding instruction: on a CPU with
    /// x86-64-v3's integer and vector extensions ([`fast_cpu`]; nearly all in use) the
    /// evaluation runs as a copy compiled for them, where each rounding is one `roundsd`
    /// and bit-mask loops and moves take fewer instructions. Both copies round exactly
    /// (`tests::rounding_agrees_with_libm`) and neither fuses multiply-adds, so results are
    /// identical (`tests::portable_and_fast_evaluations_agree`).
    fn run<S: Real>(
        &self,
        st: &Structure,
        memo: Option<&RefCell<SpatialMemo>>,
        mapping: &Mapping<S>,
        breakdown: Option<&mut Breakdown>,
        footprints: Option<&mut Vec<Footprint<S>>>,
    ) -> Cost<S> {
        self.run_unless(st, memo, mapping, breakdown, footprints, None)
            .expect("an evaluation gives up only when given a test")
    }

    /// [`Evaluator::run`], given up (`None`) once `give_up` says so of lower bounds on the
    /// energy and latency ([`GiveUp`]).
    fn run_unless<S: Real>(
        &self,
        st: &Structure,
        memo: Option<&RefCell<SpatialMemo>>,
        mapping: &Mapping<S>,
        breakdown: Option<&mut Breakdown>,
        footprints: Option<&mut Vec<Footprint<S>>>,
        give_up: Option<GiveUp<'_>>,
    ) -> Option<Cost<S>> {
        #[cfg(target_arch = "x86_64")]
        if fast_cpu() {
            // SAFETY: the CPU has the features `run_fast` is compiled for.
            return unsafe { run_fast::<S, EXACT>(self.model, st, memo, mapping, breakdown, footprints, give_up) };
        }
        self.evaluate(st, memo, mapping, breakdown, footprints, give_up)
    }
}

/// Whether the CPU has every feature [`run_fast`] is compiled for (detected once).
#[cfg(target_arch = "x86_64")]
#[inline(always)]
fn fast_cpu() -> bool {
    use std::sync::atomic::{AtomicU8, Ordering};
    // 0: not detected yet, 1: no, 2: yes.
    static FAST: AtomicU8 = AtomicU8::new(0);
    match FAST.load(Ordering::Relaxed) {
        0 => {
            let fast = std::arch::is_x86_feature_detected!("sse4.1")
                && std::arch::is_x86_feature_detected!("avx2")
                && std::arch::is_x86_feature_detected!("bmi1")
                && std::arch::is_x86_feature_detected!("bmi2")
                && std::arch::is_x86_feature_detected!("lzcnt")
                && std::arch::is_x86_feature_detected!("popcnt");
            FAST.store(1 + fast as u8, Ordering::Relaxed);
            fast
        }
        v => v == 2,
    }
}

/// [`Evaluator::evaluate`] compiled for x86-64-v3's extensions but FMA ([`fast_cpu`]).
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "sse4.1,avx2,bmi1,bmi2,lzcnt,popcnt")]
unsafe fn run_fast<S: Real, const EXACT: bool>(
    model: &LayerModel<'_>,
    st: &Structure,
    memo: Option<&RefCell<SpatialMemo>>,
    mapping: &Mapping<S>,
    breakdown: Option<&mut Breakdown>,
    footprints: Option<&mut Vec<Footprint<S>>>,
    give_up: Option<GiveUp<'_>>,
) -> Option<Cost<S>> {
    Evaluator::<EXACT, true> { model }.evaluate(st, memo, mapping, breakdown, footprints, give_up)
}

impl<'m, 'a, const EXACT: bool, const HW: bool> Evaluator<'m, 'a, EXACT, HW> {
    #[inline(always)]
    fn ceil_value(x: f64) -> f64 {
        if HW { x.ceil() } else { ceil_f64(x) }
    }
    #[inline(always)]
    fn floor_value(x: f64) -> f64 {
        if HW { x.floor() } else { floor_f64(x) }
    }
    #[inline(always)]
    fn ceil<S: Real>(x: S) -> S {
        if EXACT { x.with_value(Self::ceil_value(x.value())) } else { x }
    }
    #[inline(always)]
    fn floor<S: Real>(x: S) -> S {
        if EXACT { x.with_value(Self::floor_value(x.value())) } else { x }
    }
    #[inline(always)]
    fn trunc<S: Real>(x: S) -> S {
        if !EXACT {
            x
        } else if HW {
            x.with_value(x.value().trunc())
        } else {
            x.with_value(trunc_f64(x.value()))
        }
    }
    #[inline(always)]
    fn round<S: Real>(x: S) -> S {
        if !EXACT {
            x
        } else if HW {
            x.with_value(x.value().round_ties_even())
        } else {
            x.with_value(round_even_f64(x.value()))
        }
    }

    /// [`Layer::tile`] of operand `o` over per-dimension products `cum`.
    #[inline(always)]
    fn tile<S: Real>(&self, o: usize, cum: &[S; MAX_DIMS]) -> S {
        let sh = &self.model.shapes[o];
        let mut t = S::cst(1.0);
        let mut rel = sh.relevant;
        while rel != 0 {
            t *= cum[rel.trailing_zeros() as usize];
            rel &= rel - 1;
        }
        for w in &sh.windows {
            let (x, y) = (cum[w.outer], cum[w.inner]);
            if !EXACT {
                t *= (x * w.sa + y * w.sb - w.offset).min_c(w.extent as f64);
                continue;
            }
            let span = w.span(x.value() as u64, y.value() as u64);
            if span == w.extent {
                t *= S::cst(span as f64);
            } else {
                // Straight-through: the span grows by a stride per loop step.
                t *= (x * w.sa + y * w.sb - w.offset).with_value(span as f64);
            }
        }
        t
    }

    /// The elements and bits per element of an operand's flow at level `m` in direction `d`.
    #[inline(always)]
    fn amount<S: Real>(r: &OperandRun<S>, m: usize, d: usize) -> (S, f64) {
        if high_side(d) {
            (r.tiles[m + 1], r.precision[m + 1])
        } else {
            // The output's amount is truncated to whole elements, but tiles and fanouts are
            // already whole when rounding (and nothing is when not).
            (r.tiles[m] * r.fanout[m], r.precision[m])
        }
    }

    /// Average bandwidth demand (bits per cycle) of a flow.
    #[inline(always)]
    fn bandwidth<S: Real>(r: &OperandRun<S>, t: &Temporal<S>, m: usize, d: usize) -> S {
        let demand = |a: usize| r.tiles[a] * r.precision[a] / t.cycles[a];
        if high_side(d) { Self::trunc(demand(m + 1)) } else { Self::trunc(demand(m) * r.fanout[m]) }
    }

    #[inline(always)]
    fn evaluate<S: Real>(
        &self,
        st: &Structure,
        memo: Option<&RefCell<SpatialMemo>>,
        mapping: &Mapping<S>,
        mut breakdown: Option<&mut Breakdown>,
        footprints: Option<&mut Vec<Footprint<S>>>,
        give_up: Option<GiveUp<'_>>,
    ) -> Option<Cost<S>> {
        let model = self.model;
        let arch = model.arch;
        let prefix = Self::prefix(mapping);
        let total_cycles = prefix[mapping.loops.len()];
        // Filled in place (returning these by value copies them).
        let mut temporal = [Temporal::blank(); 3];
        for o in 0..3 {
            self.temporal(&st.ops[o], o, mapping, &prefix, &mut temporal[o]);
        }

        // Spatial unrolling evened out to divide the dimension: fractional for energy (the
        // average instance count), floored for latency (the cycles of the slowest instance).
        let (mut frac, mut int) = (Unrolls::new(), Unrolls::new());
        let mut runs_f = [OperandRun::blank(); 3];
        // The integer unrolling's, where it differs.
        let mut runs_int: Option<[OperandRun<S>; 3]> = None;
        // Instances and fanouts depend on the unroll factors only: a prepared model keeps them
        // while the factors (constants) stay.
        let memo = memo.filter(|_| mapping.spatial.iter().all(|u| u.factor.is_constant()));
        let mode = EXACT as usize;
        let hit = |memo: &SpatialMemo| {
            memo.key[mode].as_ref().is_some_and(|k| {
                k.len() == mapping.spatial.len()
                    && k.iter().zip(&mapping.spatial).all(|(&b, u)| b == u.factor.value().to_bits())
            })
        };
        match memo {
            Some(memo) if hit(&memo.borrow()) => {
                let memo = memo.borrow();
                frac.extend(memo.unrolls[mode][0].iter().map(|&x| S::cst(x)));
                int.extend(memo.unrolls[mode][1].iter().map(|&x| S::cst(x)));
                if memo.differ[mode] {
                    runs_int = Some([OperandRun::blank(); 3]);
                }
                for o in 0..3 {
                    let restore = |run: &mut OperandRun<S>, v: usize| {
                        let (instances, fanout) = &memo.runs[mode][v][o];
                        run.instances = instances.map(S::cst);
                        run.fanout = fanout.map(S::cst);
                    };
                    restore(&mut runs_f[o], 0);
                    if let Some(ri) = runs_int.as_mut() {
                        restore(&mut ri[o], 1);
                    }
                }
            }
            _ => {
                if self.unrolls(st, mapping, &mut frac, &mut int) {
                    runs_int = Some([OperandRun::blank(); 3]);
                }
                for o in 0..3 {
                    self.operand_spatial(&st.ops[o], o, &frac, &mut runs_f[o]);
                    if let Some(ri) = runs_int.as_mut() {
                        self.operand_spatial(&st.ops[o], o, &int, &mut ri[o]);
                    }
                }
                if let Some(memo) = memo {
                    let mut memo = memo.borrow_mut();
                    memo.key[mode] = Some(mapping.spatial.iter().map(|u| u.factor.value().to_bits()).collect());
                    memo.differ[mode] = runs_int.is_some();
                    memo.unrolls[mode] =
                        [frac.iter().map(|x| x.value()).collect(), int.iter().map(|x| x.value()).collect()];
                    for o in 0..3 {
                        let keep =
                            |run: &OperandRun<S>| (run.instances.map(|x| x.value()), run.fanout.map(|x| x.value()));
                        memo.runs[mode][0][o] = keep(&runs_f[o]);
                        if let Some(ri) = runs_int.as_ref() {
                            memo.runs[mode][1][o] = keep(&ri[o]);
                        }
                    }
                }
            }
        }
        for o in 0..3 {
            self.operand_temporal(&st.ops[o], mapping, o, &frac, &mut runs_f[o]);
            if let Some(ri) = runs_int.as_mut() {
                self.operand_temporal(&st.ops[o], mapping, o, &int, &mut ri[o]);
            }
        }
        let same = runs_int.is_none();
        let runs_i = runs_int.as_ref().unwrap_or(&runs_f);
        if let Some(out) = footprints {
            // What `footprints` gives: the tiles under the integer unrolling where it differs.
            out.clear();
            for op in Operand::ALL {
                let o = op_index(op);
                push_footprints(out, op, &st.ops[o], &runs_i[o]);
            }
        }

        // ZigZag decides double buffering on the fractional (average) footprints.
        let double_buffered = self.double_buffering(st, &temporal, &runs_f);

        // Energy (fractional unrolling), and the flows that move data with the cycles they
        // need and are allowed per period (integer unrolling).
        let mut memory_energy = S::cst(0.0);
        let mac_energy = S::cst(arch.array.mac_pj * model.macs);
        let mut acts: SmallVec<[Act<S>; 24]> = SmallVec::new();
        let mut act_of = [[[NO_ACT; 4]; MAX_LEVELS]; 3];
        // Per port, the flows counted in its stalls and those taking part in on- and
        // off-loading.
        let (mut stall_links, mut io_links) = (Links::new(), Links::new());
        let (mut stall_flag, mut io_flag) = (0u64, 0u64);
        for &o in &model.order {
            let (op, t, rf, ri) = (&st.ops[o], &temporal[o], &runs_f[o], &runs_i[o]);
            for m in 0..op.levels {
                let mem = &model.mems[op.mems[m]];
                let mut words = [0.0; 4];
                let mut level_energy = S::cst(0.0);
                // The directions with a port and data (fractional, integer unrolling).
                let live_f = live(rf, o, m, op.levels) & mem.ported[o];
                let live_i = if same { live_f } else { live(ri, o, m, op.levels) & mem.ported[o] };
                let mut dirs = live_f | live_i;
                // An operand listing one memory twice loads through the first level.
                let first_here = op.first_here & (1 << m) != 0;
                while dirs != 0 {
                    let d = dirs.trailing_zeros() as usize;
                    dirs &= dirs - 1;
                    let port = &mem.ports[o][d];
                    let a = if high_side(d) { m + 1 } else { m };
                    let count = t.count[a];
                    let (amount_f, bits_f) = Self::amount(rf, m, d);
                    if live_f & (1 << d) != 0 && amount_f.value() != 0.0 && bits_f != 0.0 {
                        let w = Self::ceil(port.bw_min.divide(amount_f * bits_f))
                            * port.granule
                            * count
                            * rf.instances[m + 1];
                        // Whole granules, periods and instances: whole words unless a granule is
                        // a fraction of a word.
                        let w = if port.granule == 1.0 { w } else { Self::trunc(w) };
                        words[d] = w.value();
                        level_energy += w * port.pj;
                    }
                    if count.value() == 0.0 || live_i & (1 << d) == 0 {
                        continue;
                    }
                    let (amount, bits) = if same { (amount_f, bits_f) } else { Self::amount(ri, m, d) };
                    let real = Self::ceil(port.bw_max.divide(amount * bits));
                    let allowed = if double_buffered[o][a] { t.period[a] } else { t.window[a] };
                    let i = acts.len() as u8;
                    act_of[o][m][d] = i;
                    // NaN counts too, as in `!(count <= 0)`.
                    let stall = count.value() > 0.0 || count.value().is_nan();
                    // The output's partial-sum round trips are not on- or off-loaded.
                    let io_flow = first_here && !(o == O && (d == 0 || d == 3));
                    let gid = port.gid;
                    let previous = |flags: u64| {
                        (0..acts.len())
                            .rev()
                            .find(|&j| flags & (1 << j) != 0 && acts[j].gid == gid)
                            .map_or(NO_ACT, |j| j as u8)
                    };
                    if stall {
                        stall_links.push(i, gid, || previous(stall_flag));
                        stall_flag |= 1 << i;
                    }
                    if io_flow {
                        io_links.push(i, gid, || previous(io_flag));
                        io_flag |= 1 << i;
                    }
                    acts.push(Act {
                        gid,
                        shared: port.shared,
                        io_rank: port.io_rank,
                        o: o as u8,
                        m: m as u8,
                        d: d as u8,
                        act: Activity { real, allowed, period: t.period[a], count },
                        io: real,
                    });
                }
                memory_energy += level_energy;
                if let Some(b) = breakdown.as_deref_mut() {
                    b.levels.push(LevelTraffic {
                        operand: Operand::ALL[o],
                        memory: arch.memories[op.mems[m]].name.clone(),
                        tile_elements: rf.tiles[m + 1].value(),
                        instances: rf.instances[m + 1].value(),
                        words,
                        energy_pj: level_energy.value(),
                    });
                }
            }
            // The energy so far, the MACs' added as in the total, bounds the total from below
            // (every level's energy is a sum of non-negative terms, and adding one to a
            // floating-point sum never lowers it); the temporal cycles bound the latency (it
            // adds stalls, on- and off-loading and drain, none negative).
            if let Some(give_up) = give_up
                && give_up((memory_energy + mac_energy).value(), total_cycles.value())
            {
                return None;
            }
        }

        // Latency.
        let acts = acts.as_mut_slice();
        let (stall, worst_port) = self.stalls(acts, &stall_links, breakdown.as_deref_mut());
        let compute = total_cycles + stall;
        // On- and off-loading and drain only add to the compute cycles.
        if let Some(give_up) = give_up
            && give_up((memory_energy + mac_energy).value(), compute.value())
        {
            return None;
        }
        self.io_entries(&temporal, runs_i, acts, &io_links, compute);
        let io = |o: usize, m: usize, d: usize| -> (S, bool) {
            match act_of[o][m][d] {
                NO_ACT => (S::cst(0.0), false),
                i => (acts[i as usize].io, acts[i as usize].shared),
            }
        };
        let onload = self.onload(st, &io);
        let mut offload = S::cst(0.0);
        for m in 0..st.ops[O].levels.saturating_sub(1) {
            let a = io(O, m, dir_index(Direction::ReadToHigh)).0;
            let b = io(O, m + 1, dir_index(Direction::WriteFromLow)).0;
            offload += a.max(b);
        }
        let drain = self.drain(st, mapping);
        let latency = compute + onload + offload + drain;
        if let Some(b) = breakdown {
            b.bound = if stall.value() > 0.0 {
                format!("bandwidth {worst_port}")
            } else if (onload + offload).value() > 0.1 * total_cycles.value() {
                "io".to_string()
            } else {
                "compute".to_string()
            };
        }
        Some(Cost {
            energy: memory_energy + mac_energy,
            latency,
            mac_energy,
            memory_energy,
            compute_cycles: total_cycles,
            stall_cycles: stall,
            onload_cycles: onload,
            offload_cycles: offload,
            drain_cycles: drain,
            ideal_cycles: model.ideal_cycles,
        })
    }

    /// Products of the loop sizes from the innermost: entry `i` of loops `0..i` (the last is
    /// the temporal trip count).
    #[inline(always)]
    fn prefix<S: Real>(mapping: &Mapping<S>) -> SmallVec<[S; 24]> {
        // Pushed one by one: collecting through an iterator chain did not inline the
        // products of wide duals.
        let mut out = SmallVec::with_capacity(mapping.loops.len() + 1);
        let mut acc = S::cst(1.0);
        out.push(acc);
        for l in &mapping.loops {
            acc *= l.size;
            out.push(acc);
        }
        out
    }

    /// Fills `t` (blank) for operand `o` of structure `op`; `prefix` from [`Self::prefix`].
    #[inline(always)]
    fn temporal<S: Real>(&self, op: &OpStructure, o: usize, mapping: &Mapping<S>, prefix: &[S], t: &mut Temporal<S>) {
        let one = S::cst(1.0);
        let loops = &mapping.loops;
        let total_cycles = prefix[loops.len()];
        // The period at the level below (`cycles[m]`) and its outermost run of irrelevant
        // loops, each with whether it is still the constant one (no loop: dividing by it
        // changes nothing).
        let (mut below, mut below_one) = (one, true);
        let (mut top_irrelevant, mut top_irrelevant_one) = (one, true);
        for m in 0..op.levels {
            if m == 0 && o != O {
                below = prefix[op.pe_reuse];
                below_one = op.pe_reuse == 0;
                t.cycles[0] = below;
            }
            // The flows moving once every `cycles[m]`.
            if below.value() != 0.0 {
                t.count[m] = Self::floor(if below_one { total_cycles } else { total_cycles / below });
                // ceil(trunc(x)) = trunc(x)
                t.window[m] = Self::trunc(if top_irrelevant_one { below } else { below / top_irrelevant });
            }
            t.period[m] = Self::ceil(below);

            let end = op.ranges[m].1;
            t.cycles[m + 1] = prefix[end];
            (below, below_one) = (prefix[end], end == 0);
            let (s, e) = op.top_relevant[m];
            t.top_relevant[m + 1] = (s..e).rev().fold(1.0, |p, i| p * loops[i].size.value());
            let (s, e) = op.top_irrelevant[m];
            top_irrelevant = (s..e).rev().fold(one, |p, i| p * loops[i].size);
            top_irrelevant_one = s == e;
        }
    }

    /// The unroll factors, in array-dimension order, clipped to the array and evened out to
    /// divide the dimension: fractional into `frac`, and (when rounding, if any differs)
    /// integer into `int`; returns whether they differ. When one dimension is unrolled over
    /// several array dimensions, only the first with the largest factor is evened out,
    /// against what the array dimensions before it unroll.
    #[inline(always)]
    fn unrolls<S: Real>(
        &self,
        st: &Structure,
        mapping: &Mapping<S>,
        frac: &mut Unrolls<S>,
        int: &mut Unrolls<S>,
    ) -> bool {
        let factor = |j: usize| mapping.spatial[st.unrolls[j].src].factor;
        let mut differ = false;
        for (i, u) in st.unrolls.iter().enumerate() {
            let f = factor(i).min_c(u.array);
            let evened = !u.repeated && {
                let largest = positions(u.same_dim).map(|j| factor(j).value()).fold(f64::MIN, f64::max);
                let first_largest = positions(u.same_dim).find(|&j| factor(j).value() == largest);
                first_largest.map(|j| st.unrolls[j].array_dim) == Some(u.array_dim)
            };
            if evened {
                let even = |out: &Unrolls<S>| {
                    let early = positions(u.early).fold(S::cst(1.0), |p, j| p * out[j]);
                    let rem = Self::ceil((f * early).recip() * u.size);
                    (rem * early).recip() * u.size
                };
                let ef = even(frac);
                frac.push(ef);
                if EXACT {
                    // The integer unrolls are listed once they differ from the fractional
                    // ones; up to there they are the same, and so are their products.
                    if differ {
                        let ei = Self::trunc(even(int));
                        int.push(ei);
                    } else {
                        let ei = Self::trunc(ef);
                        if ei.value() != ef.value() {
                            differ = true;
                            int.extend_from_slice(&frac[..i]);
                            int.push(ei);
                        }
                    }
                }
            } else {
                frac.push(f);
                if differ {
                    int.push(f);
                }
            }
        }
        differ
    }

    /// Fills `r`'s instances and fanouts for operand `o` under the evened-out unroll factors
    /// `unrolls` (they depend on nothing else).
    #[inline(always)]
    fn operand_spatial<S: Real>(&self, op: &OpStructure, o: usize, unrolls: &[S], r: &mut OperandRun<S>) {
        let model = self.model;
        let one = S::cst(1.0);
        let n = op.levels;
        // Per spatial entry (slot, dimension): the product of its factors in unroll order.
        let factor = |k: usize| op.factor(k, unrolls);
        let slot = |a: usize| op.slot(a);
        let sh = &model.shapes[o];
        let unit = S::cst(sh.unit_tile[EXACT as usize]);
        // Instances and distinct data sets from the top down. Instances change only where a
        // slot has loops (round(round(1000) / 1000) = 1).
        let (mut acc_t, mut acc_u) = (one, one);
        let mut inst = one;
        let mut cum = [one; MAX_DIMS];
        for a in (0..=n).rev() {
            let above = acc_u;
            if op.used & (1 << a) != 0 {
                // All of the slot's loops (dimension order), and the distinct data they touch.
                let mut total = one;
                for k in slot(a) {
                    let f = factor(k);
                    cum[op.entries[k].1 as usize] = f;
                    total *= f;
                }
                acc_t *= total;
                acc_u *= self.tile(o, &cum);
                for k in slot(a) {
                    cum[op.entries[k].1 as usize] = one;
                }
                if a > 0 {
                    inst = Self::round(Self::round(acc_t * 1000.0) / 1000.0);
                }
            } else {
                acc_u *= unit;
            }
            if a > 0 {
                r.instances[a] = inst;
            }
            if a < n {
                // Distinct data sets memory a exchanges with its children: multicast and
                // reduction.
                r.fanout[a] = Self::round(acc_u / above);
            }
        }
    }

    /// Fills `r`'s tiles, stored precision and partial-sum levels for operand `o` under the
    /// evened-out unroll factors `unrolls`.
    #[inline(always)]
    fn operand_temporal<S: Real>(
        &self,
        op: &OpStructure,
        mapping: &Mapping<S>,
        o: usize,
        unrolls: &[S],
        r: &mut OperandRun<S>,
    ) {
        let model = self.model;
        let one = S::cst(1.0);
        let n = op.levels;
        let factor = |k: usize| op.factor(k, unrolls);
        let slot = |a: usize| op.slot(a);
        let sh = &model.shapes[o];
        r.precision = [sh.bits; MAX_LEVELS + 1];
        let mut cum = [one; MAX_DIMS];
        for a in 1..=n {
            let (s, e) = op.ranges[a - 1];
            for l in &mapping.loops[s..e] {
                if contains(sh.tile_dims, l.dim) {
                    cum[l.dim] *= l.size;
                }
            }
            if op.used & (1 << (a - 1)) != 0 {
                for k in slot(a - 1) {
                    cum[op.entries[k].1 as usize] *= factor(k);
                }
            }
            r.tiles[a] = Self::round(self.tile(o, &cum));
        }

        // Partial sums: level m holds them while a reduction loop is still outside it.
        if o == O {
            let ir = sh.irrelevant;
            let mut outer = 1.0;
            for a in (1..=n).rev() {
                let mut p = 1.0;
                if op.used & (1 << a) != 0 {
                    for k in slot(a) {
                        if contains(ir, op.entries[k].1 as usize) {
                            p *= factor(k).value();
                        }
                    }
                }
                let (s, e) = op.ranges[a - 1];
                for l in &mapping.loops[s..e] {
                    if contains(ir, l.dim) {
                        p *= l.size.value();
                    }
                }
                outer *= p;
                if outer > 1.0 {
                    r.psum[a - 1] = true;
                    r.precision[a - 1] = sh.psum_bits;
                }
            }
        }
    }

    /// Per operand and arch level: whether the level can double-buffer (its effective
    /// footprint, summed over every operand sharing the memory, leaves room for a second
    /// copy). Level 0 (the PEs) never does.
    #[inline(always)]
    fn double_buffering<S: Real>(
        &self,
        st: &Structure,
        temporal: &[Temporal<S>; 3],
        runs: &[OperandRun<S>; 3],
    ) -> [[bool; MAX_LEVELS + 1]; 3] {
        let mems = &self.model.mems;
        let mut own = [[0.0f64; MAX_LEVELS]; 3];
        for o in 0..3 {
            let (op, t) = (&st.ops[o], &temporal[o]);
            for m in 0..op.levels {
                let bits = (runs[o].tiles[m + 1] * runs[o].precision[m + 1]).value();
                let top = t.top_relevant[m + 1];
                let effective = Self::floor_value(if top == 1.0 { bits } else { bits / top });
                own[o][m] = mems[op.mems[m]].size_bits.divide(effective);
            }
        }
        let mut shared = [[0.0f64; MAX_LEVELS]; 3];
        for o in 0..3 {
            for m in 0..st.ops[o].levels {
                let op = &st.ops[o];
                shared[o][m] = op.peers[m][..op.peer_count[m] as usize]
                    .iter()
                    .map(|&(o2, m2)| own[o2 as usize][m2 as usize])
                    .sum();
            }
        }
        let mut db = [[false; MAX_LEVELS + 1]; 3];
        for &o in &self.model.order {
            for m in 0..st.ops[o].levels {
                db[o][m + 1] = if shared[o][m] <= 0.5 {
                    true
                } else if own[o][m] <= 1.0 - shared[o][m] {
                    let op = &st.ops[o];
                    for &(o2, m2) in &op.peers[m][..op.peer_count[m] as usize] {
                        shared[o2 as usize][m2 as usize] += own[o][m];
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
    #[inline(always)]
    fn stalls<S: Real>(&self, acts: &[Act<S>], links: &Links, mut breakdown: Option<&mut Breakdown>) -> (S, String) {
        let mems = &self.model.arch.memories;
        let mut worst = S::cst(0.0);
        let mut worst_name = String::new();
        for &first in links.heads() {
            let s = port_stall(acts, links.chain(first));
            if s.value() > 0.0 || breakdown.is_some() && s.value() > worst.value() {
                let (mem, p, _) = self.model.port_names[acts[first as usize].gid as usize];
                if s.value() > 0.0
                    && let Some(b) = breakdown.as_deref_mut()
                {
                    b.port_stalls.push((mems[mem].name.clone(), mems[mem].ports[p].name.clone(), s.value()));
                }
                if s.value() > worst.value() && breakdown.is_some() {
                    worst_name = format!("{}.{}", mems[mem].name, mems[mem].ports[p].name);
                }
            }
            if s.value() > worst.value() {
                worst = s;
            }
        }
        (worst, worst_name)
    }

    /// Per flow the cycles of its first transfer outside compute (`Act::io`, its `real`
    /// unless changed here). One-shot transfers borrow the port's spare bandwidth during
    /// compute, down to the innermost tile.
    #[inline(always)]
    fn io_entries<S: Real>(
        &self,
        temporal: &[Temporal<S>; 3],
        runs: &[OperandRun<S>; 3],
        acts: &mut [Act<S>],
        links: &Links,
        compute: S,
    ) {
        // A port carries at most one flow per operand and direction.
        const MAX_FLOWS: usize = 12;
        let zero = S::cst(0.0);
        for &first in links.heads() {
            // Only ports with one-shot transfers change anything.
            if !links.chain(first).any(|j| acts[j].act.count.value() == 1.0) {
                continue;
            }
            // The port's flows in its visiting order (insertion sort: usually in order).
            let mut flows = [0u8; MAX_FLOWS];
            let mut n = 0;
            for j in links.chain(first) {
                let rank = acts[j].io_rank;
                let mut k = n;
                while k > 0 && acts[flows[k - 1] as usize].io_rank > rank {
                    flows[k] = flows[k - 1];
                    k -= 1;
                }
                flows[k] = j as u8;
                n += 1;
            }
            let flows = &flows[..n];
            let bmax = self.model.port_names[acts[first as usize].gid as usize].2;
            let mut required = zero;
            for &j in flows {
                let a = &acts[j as usize];
                if a.act.count.value() != 1.0 {
                    let (o, m, d) = (a.o as usize, a.m as usize, a.d as usize);
                    required += Self::ceil(Self::bandwidth(&runs[o], &temporal[o], m, d));
                }
            }
            let mut spare = ((required * -1.0 + bmax) / bmax * compute).max_c(0.0);
            // The one-shot transfers: cycles needed, floor, flow; served by decreasing need
            // (a stable insertion sort).
            let (mut rest, mut floor, mut shot) = ([zero; MAX_FLOWS], [zero; MAX_FLOWS], [0u8; MAX_FLOWS]);
            let mut shots = 0;
            for &j in flows {
                let a = &acts[j as usize];
                if a.act.count.value() == 1.0 {
                    let r = &runs[a.o as usize];
                    rest[shots] = a.act.real;
                    floor[shots] = Self::ceil(r.tiles[1] * r.precision[1] / bmax);
                    shot[shots] = j;
                    shots += 1;
                }
            }
            let mut by_need = [0u8; MAX_FLOWS];
            for k in 0..shots {
                let need = rest[k].value();
                let mut i = k;
                while i > 0 && rest[by_need[i - 1] as usize].value().total_cmp(&need).is_lt() {
                    by_need[i] = by_need[i - 1];
                    i -= 1;
                }
                by_need[i] = k as u8;
            }
            for &k in &by_need[..shots] {
                if spare.value() <= 0.0 {
                    break;
                }
                let k = k as usize;
                let cut = (rest[k] - floor[k]).max_c(0.0).min(spare);
                rest[k] = rest[k] - cut;
                spare = spare - cut;
            }
            for k in 0..shots {
                acts[shot[k] as usize].io = rest[k];
            }
        }
    }

    /// Cycles before compute can start: per input, the first tile of each level pair, the
    /// transfers on ports both inputs share serialised, the others overlapped.
    #[inline(always)]
    fn onload<S: Real>(&self, st: &Structure, load: &dyn Fn(usize, usize, usize) -> (S, bool)) -> S {
        let zero = S::cst(0.0);
        let mut parts = [(zero, zero, zero); 2]; // (individual, half-shared, shared)
        for (k, &o) in self.model.inputs.iter().enumerate() {
            for m in 0..st.ops[o].levels.saturating_sub(1) {
                let e1 = load(o, m, dir_index(Direction::WriteFromHigh));
                let e2 = load(o, m + 1, dir_index(Direction::ReadToLow));
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
    #[inline(always)]
    fn drain<S: Real>(&self, st: &Structure, mapping: &Mapping<S>) -> S {
        let mut drain = S::cst(0.0);
        for (size, over) in &st.systolic {
            let mut product: Option<S> = None;
            for i in positions(*over) {
                let u = &mapping.spatial[i];
                let f = u.factor.min_c(*size).min_c(self.model.sizes[u.dim]);
                product = Some(product.map_or(f, |p| p * f));
            }
            if let Some(p) = product {
                drain += (Self::ceil(p) - 1.0).max_c(0.0);
            }
        }
        drain
    }
}

/// The directions (bit `d` for `DIRS[d]`) in which operand `o`'s data moves at level `m` (of
/// `levels`): inputs are read toward the PEs and filled from above, outputs written from below
/// and read toward above, with the partial-sum round trips while the levels hold partial
/// sums; the top level's exchanges with the outside world are not modelled (the layer's
/// tensors start and end there).
#[inline(always)]
fn live<S>(r: &OperandRun<S>, o: usize, m: usize, levels: usize) -> u8 {
    let below_top = m + 1 < levels;
    if o != O {
        1 | (below_top as u8) << 3
    } else {
        (r.psum[m] as u8) | 2 | (below_top as u8) << 2 | ((below_top && r.psum[m + 1]) as u8) << 3
    }
}

/// Stall cycles of one port, over the activities `group` of `acts`. Each flow overruns its
/// window by `real − allowed` cycles in every period but the first (which on-loading covers).
/// Overruns add up; flows with slack absorb them only as far as the port's busy windows leave
/// room: the memory-updating windows of all flows must fit in the union of their update
/// windows.
#[inline(always)]
fn port_stall<S: Real>(acts: &[Act<S>], group: Chain<'_>) -> S {
    let overrun = |a: &Activity<S>| (a.real - a.allowed) * (a.count - 1.0);
    let first = &acts[group.cur as usize].act;
    if group.next[group.cur as usize] == NO_ACT {
        return overrun(first);
    }
    let flows = group.map(|i| &acts[i].act);
    let union = match flows.clone().find(|a| a.period.value() == a.allowed.value()) {
        Some(a) => a.period * a.count,
        None => {
            let longest = flows.clone().fold(first, |m, a| if a.period.value() > m.period.value() { a } else { m });
            S::cst(covered_cycles(flows.clone(), longest.period.value())) * longest.count
        }
    };
    let (mut positive, mut slack, mut windows) = (S::cst(0.0), S::cst(0.0), S::cst(0.0));
    for a in flows {
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
fn covered_cycles<'x, S: Real + 'x>(acts: impl Iterator<Item = &'x Activity<S>>, horizon: f64) -> f64 {
    let horizon = horizon as u64;
    // (period, window length, next period index)
    let mut windows: SmallVec<[(u64, u64, u64); 8]> =
        acts.map(|a| (a.period.value().max(1.0) as u64, a.allowed.value().max(0.0) as u64, 0)).collect();
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
        .filter(|(_, (p, _, k))| k.saturating_mul(*p) < horizon)
        .map(|(i, (p, _, k))| (i, k * p))
        .min_by_key(|&(_, s)| s)
    {
        let (_, w, k) = windows[i];
        // Saturating: an absurd horizon (a non-finite latency reads as u64::MAX) must not wrap.
        let end = start.saturating_add(w).min(horizon);
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
        let st = Structure::new(self, mapping);
        if exact {
            Evaluator::<true> { model: self }.footprints(&st, mapping)
        } else {
            Evaluator::<false> { model: self }.footprints(&st, mapping)
        }
    }
}

/// Appends operand `op`'s tile at every memory level it holds (`run` is its evaluated loop run).
#[inline]
fn push_footprints<S: Real>(out: &mut Vec<Footprint<S>>, op: Operand, ops: &OpStructure, run: &OperandRun<S>) {
    for m in 0..ops.levels {
        let elements = run.tiles[m + 1];
        out.push(Footprint { operand: op, memory: ops.mems[m], elements, bits: elements * run.precision[m + 1] });
    }
}

impl<const EXACT: bool> Evaluator<'_, '_, EXACT> {
    fn footprints<S: Real>(&self, st: &Structure, mapping: &Mapping<S>) -> Vec<Footprint<S>> {
        let (mut frac, mut int) = (Unrolls::new(), Unrolls::new());
        let int = if self.unrolls(st, mapping, &mut frac, &mut int) { int } else { frac };
        let mut out = Vec::new();
        for op in Operand::ALL {
            let o = op_index(op);
            let mut run = OperandRun::blank();
            self.operand_spatial(&st.ops[o], o, &int, &mut run);
            self.operand_temporal(&st.ops[o], mapping, o, &int, &mut run);
            push_footprints(&mut out, op, &st.ops[o], &run);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mapping::{Loop, Unroll};
    use crate::problem::Access;
    use dnnc_arch::Precision;

    /// Calls `check` on 300 random mappings of a small GEMM on each preset (some loop sizes
    /// and unroll factors fractional, cuts anywhere).
    fn random_mappings(mut check: impl FnMut(&LayerModel<'_>, &Mapping<f64>)) {
        fn next(state: &mut u64, n: u64) -> u64 {
            *state ^= *state << 13;
            *state ^= *state >> 7;
            *state ^= *state << 17;
            *state % n.max(1)
        }
        fn size(state: &mut u64) -> f64 {
            match next(state, 8) {
                0 => 1.0,
                1 => 0.5 + next(state, 1000) as f64 / 400.0,
                _ => (1 + next(state, 5)) as f64,
            }
        }
        let r = &mut 0x0123_4567_89ab_cdefu64;
        let rel = |dims: &[usize]| Access { relevant: dims.iter().fold(0, |s, &x| s | (1 << x)), windows: vec![] };
        let gemm = Layer::new(
            "gemm",
            &[("C", 96), ("D", 40), ("K", 72)],
            [rel(&[1, 0]), rel(&[0, 2]), rel(&[1, 2])],
            [Operand::O, Operand::I, Operand::W],
            Precision::default(),
        );
        for preset in ["tpu_like", "eyeriss_like", "gemmini", "simba_like"] {
            let mut arch = Accelerator::preset(preset).unwrap();
            arch.vector = None;
            let model = LayerModel::new(&arch, &gemm);
            for _ in 0..300 {
                let mut spatial = Vec::new();
                for array_dim in 0..arch.array.dims.len() {
                    for _ in 0..next(r, 3) {
                        spatial.push(Unroll { array_dim, dim: next(r, 3) as usize, factor: size(r) });
                    }
                }
                let mut loops = Vec::new();
                for i in 0..9 {
                    loops.push(Loop { dim: (i + next(r, 3) as usize) % 3, size: size(r) });
                }
                let n = loops.len();
                let mut m = Mapping::new(&arch, spatial, loops, [vec![], vec![], vec![]]);
                for o in 0..3 {
                    let mut cuts: Vec<usize> = (1..m.levels[o].len()).map(|_| next(r, n as u64 + 1) as usize).collect();
                    cuts.sort();
                    m.cuts[o] = cuts;
                }
                check(&model, &m);
            }
        }
    }

    fn bits(c: Cost<f64>) -> [u64; 4] {
        [c.energy, c.latency, c.stall_cycles, c.onload_cycles].map(f64::to_bits)
    }

    /// The portable evaluation (software rounding) and the fast one give the same bits, on
    /// random mappings (the integration tests, run on a machine with the fast one's
    /// features, see only the latter).
    #[test]
    #[cfg(target_arch = "x86_64")]
    fn portable_and_fast_evaluations_agree() {
        if !fast_cpu() {
            return;
        }
        let mut cases = 0;
        random_mappings(|model, m| {
            let st = Structure::new(model, m);
            let portable = Evaluator::<true> { model }.evaluate(&st, None, m, None, None, None).unwrap();
            assert_eq!(bits(portable), bits(Evaluator::<true> { model }.run(&st, None, m, None, None)));
            let portable = Evaluator::<false> { model }.evaluate(&st, None, m, None, None, None).unwrap();
            assert_eq!(bits(portable), bits(Evaluator::<false> { model }.run(&st, None, m, None, None)));
            cases += 1;
        });
        assert_eq!(cases, 1200);
    }

    /// `evaluate_unless` hands its test lower bounds that only grow, the last energy the
    /// total; what it returns is `evaluate`'s, and it gives up exactly when its test holds.
    #[test]
    fn an_evaluation_gives_up_only_on_valid_bounds() {
        let (mut cases, mut given_up) = (0, 0);
        random_mappings(|model, m| {
            let full = model.evaluate(m);
            let seen = RefCell::new(Vec::new());
            let never = |e: f64, l: f64| {
                seen.borrow_mut().push((e, l));
                false
            };
            assert_eq!(model.evaluate_unless(m, &never).map(bits), Some(bits(full)));
            let seen = seen.into_inner();
            assert!(!seen.is_empty());
            for w in seen.windows(2) {
                assert!(w[0].0 <= w[1].0 && w[0].1 <= w[1].1, "{seen:?}");
            }
            for &(e, l) in &seen {
                assert!(e <= full.energy && l <= full.latency, "{e} {l} vs {full:?}");
            }
            assert_eq!(seen.last().unwrap().0.to_bits(), full.energy.to_bits());
            // A bar between the first bound and the value: given up iff a bound reaches it.
            let bar = (seen[0].0 * seen[0].1 + full.edp()) / 2.0;
            let reached = seen.iter().any(|&(e, l)| e * l >= bar);
            let at_bar = |e: f64, l: f64| e * l >= bar;
            let prepared = model.prepare(m);
            for got in [model.evaluate_unless(m, &at_bar), prepared.evaluate_unless(m, &at_bar)] {
                match got {
                    Some(c) => {
                        assert!(!reached);
                        assert_eq!(bits(c), bits(full));
                    }
                    None => assert!(reached),
                }
            }
            given_up += reached as usize;
            cases += 1;
        });
        assert_eq!(cases, 1200);
        // Both outcomes are exercised.
        assert!(given_up > 0 && given_up < cases, "{given_up} of {cases}");
    }

    #[test]
    fn rounding_agrees_with_libm() {
        let mut xs = vec![
            0.0,
            -0.0,
            0.5,
            -0.5,
            1.5,
            2.5,
            -2.5,
            0.49999999999999994,
            1.0 - f64::EPSILON,
            TWO_52 - 0.5,
            TWO_52,
            TWO_52 + 1.0,
            -TWO_52 + 0.5,
            1e300,
            f64::MIN_POSITIVE,
            f64::MAX,
            f64::INFINITY,
            f64::NEG_INFINITY,
        ];
        let mut state = 0x2545_f491_4f6c_dd1du64;
        for _ in 0..100_000 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let x = f64::from_bits(state);
            xs.push(x);
            xs.push((state % 4096) as f64 / 8.0 - 256.0);
            xs.push(x.fract() * 1e6);
        }
        for x in xs {
            assert_eq!(ceil_f64(x).to_bits(), x.ceil().to_bits(), "ceil {x:e}");
            assert_eq!(floor_f64(x).to_bits(), x.floor().to_bits(), "floor {x:e}");
            assert_eq!(trunc_f64(x).to_bits(), x.trunc().to_bits(), "trunc {x:e}");
            assert_eq!(round_even_f64(x).to_bits(), x.round_ties_even().to_bits(), "round {x:e}");
        }
        for f in [ceil_f64, floor_f64, trunc_f64, round_even_f64] {
            assert!(f(f64::NAN).is_nan());
        }
    }
}
