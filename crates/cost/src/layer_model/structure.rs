//! The structure of a mapping: everything the single-layer model derives from *which* loops
//! there are and where they sit — loop dimensions and order, memory levels and cuts, which
//! array dimension unrolls which layer dimension — and not from the loop sizes or unroll
//! factors. While an optimiser varies tile sizes the structure stays fixed, so it is worked
//! out once ([`super::LayerModel::prepare`]) and each evaluation does only the size-dependent
//! arithmetic; an unprepared evaluation works it out first.
//!
//! Nothing here changes the model's arithmetic: the evaluator multiplies the same numbers in
//! the same order, and the structure only spares it finding them (loop ranges, runs of
//! reused loops, unroll slots, the levels sharing a memory, the ports' flow order).

use smallvec::SmallVec;

use super::{LayerModel, MAX_LEVELS, O, SLOTS};
use crate::mapping::Mapping;
use crate::problem::contains;
use crate::real::Real;

/// A loop range `[start, end)` of the temporal nest.
pub(super) type Range = (usize, usize);

/// The most spatial unrolls a mapping may have (positions are kept as bit masks).
pub const MAX_UNROLLS: usize = 16;

/// One spatial unroll, in array-dimension order (the order the model evens unrolls out in).
#[derive(Clone, Copy)]
pub(super) struct UnrollPlan {
    /// Index into `mapping.spatial`.
    pub src: usize,
    pub array_dim: usize,
    pub dim: usize,
    /// The layer dimension's size.
    pub size: f64,
    /// The array dimension's size (1 when the array has no such dimension).
    pub array: f64,
    /// An earlier unroll has the same layer and array dimension: never evened out.
    pub repeated: bool,
    /// Positions (in this order, as a bit mask) of every unroll of the same layer
    /// dimension, itself included.
    pub same_dim: u32,
    /// Earlier positions unrolling the same layer dimension over a lower array dimension.
    pub early: u32,
}

/// The positions in bit mask `mask`, ascending.
#[inline(always)]
pub(super) fn positions(mut mask: u32) -> impl Iterator<Item = usize> {
    std::iter::from_fn(move || {
        (mask != 0).then(|| {
            let i = mask.trailing_zeros() as usize;
            mask &= mask - 1;
            i
        })
    })
}

/// One operand's side of the structure.
#[derive(Clone, Copy)]
pub(super) struct OpStructure {
    pub levels: usize,
    pub mems: [usize; MAX_LEVELS],
    /// Loop range of each level, cuts made stationary.
    pub ranges: [Range; MAX_LEVELS],
    /// Inputs: how many of level 0's innermost loops the operand is reused across at the PEs.
    pub pe_reuse: usize,
    /// Per level, its outermost run of relevant loops and of irrelevant loops.
    pub top_relevant: [Range; MAX_LEVELS],
    pub top_irrelevant: [Range; MAX_LEVELS],
    /// Bit `m`: level `m` is the first at its memory (an operand listing a memory twice
    /// loads through the first level).
    pub first_here: u8,
    /// Spatial loops directly below each memory level (slot `levels`: served by none), one
    /// entry per (slot, dimension), sorted by slot then dimension; `slot_bounds[a]..[a + 1]`
    /// are slot `a`'s.
    pub entries: [(u8, u8); MAX_UNROLLS],
    pub slot_bounds: [u8; MAX_LEVELS + 2],
    /// Per entry: the unroll positions it multiplies (a bit mask).
    pub members: [u16; MAX_UNROLLS],
    /// Slots with entries, as a bit mask.
    pub used: u32,
    /// Per level, the (operand, level) pairs at the same memory (each operand's first level
    /// there), in operand order: `peers[m][..peer_count[m]]`.
    pub peers: [[(u8, u8); 3]; MAX_LEVELS],
    pub peer_count: [u8; MAX_LEVELS],
}

impl OpStructure {
    const BLANK: OpStructure = OpStructure {
        levels: 0,
        mems: [0; MAX_LEVELS],
        ranges: [(0, 0); MAX_LEVELS],
        pe_reuse: 0,
        top_relevant: [(0, 0); MAX_LEVELS],
        top_irrelevant: [(0, 0); MAX_LEVELS],
        first_here: 0,
        entries: [(0, 0); MAX_UNROLLS],
        slot_bounds: [0; MAX_LEVELS + 2],
        members: [0; MAX_UNROLLS],
        used: 0,
        peers: [[(0, 0); 3]; MAX_LEVELS],
        peer_count: [0; MAX_LEVELS],
    };

    /// The product of entry `k`'s unroll factors in unroll order (a single factor as is).
    #[inline(always)]
    pub fn factor<S: Real>(&self, k: usize, unrolls: &[S]) -> S {
        let m = self.members[k] as u32;
        if m & (m - 1) == 0 {
            unrolls[m.trailing_zeros() as usize]
        } else {
            positions(m).fold(S::cst(1.0), |p, i| p * unrolls[i])
        }
    }

    /// Slot `a`'s entries.
    #[inline(always)]
    pub fn slot(&self, a: usize) -> std::ops::Range<usize> {
        self.slot_bounds[a] as usize..self.slot_bounds[a + 1] as usize
    }
}

/// What identifies a mapping's structure: its loop dimensions in order, its unrolls'
/// (array dimension, layer dimension), and per operand its levels and cuts.
pub(super) struct Key {
    loop_dims: SmallVec<[usize; 24]>,
    spatial: SmallVec<[(usize, usize); 8]>,
    /// Per operand its levels then its cuts.
    levels: [SmallVec<[usize; 2 * MAX_LEVELS]>; 3],
    /// Per operand its number of levels.
    counts: [usize; 3],
}

impl Key {
    pub fn of<S>(mapping: &Mapping<S>) -> Self {
        Key {
            loop_dims: mapping.loops.iter().map(|l| l.dim).collect(),
            spatial: mapping.spatial.iter().map(|u| (u.array_dim, u.dim)).collect(),
            levels: [0, 1, 2].map(|o| mapping.levels[o].iter().chain(&mapping.cuts[o]).copied().collect()),
            counts: [0, 1, 2].map(|o| mapping.levels[o].len()),
        }
    }

    /// Whether `mapping` has this structure (only its sizes and factors may differ). Called
    /// on every prepared evaluation: element by element (short lists, where a `memcmp` call
    /// costs more than it saves).
    #[inline]
    pub fn matches<S>(&self, mapping: &Mapping<S>) -> bool {
        fn same<T, U>(a: &[T], b: &[U], eq: impl Fn(&T, &U) -> bool) -> bool {
            a.len() == b.len() && a.iter().zip(b).all(|(x, y)| eq(x, y))
        }
        same(&self.loop_dims, &mapping.loops, |&d, l| d == l.dim)
            && same(&self.spatial, &mapping.spatial, |&(a, d), u| a == u.array_dim && d == u.dim)
            && (0..3).all(|o| {
                let (levels, cuts) = self.levels[o].split_at(self.counts[o]);
                same(levels, &mapping.levels[o], |a, b| a == b) && same(cuts, &mapping.cuts[o], |a, b| a == b)
            })
    }
}

/// The structure of one mapping.
pub(super) struct Structure {
    pub ops: [OpStructure; 3],
    /// The unrolls sorted by array dimension (stably).
    pub unrolls: SmallVec<[UnrollPlan; 8]>,
    /// Per systolic array dimension: its size and the unrolls over it (indices into
    /// `mapping.spatial`, as a bit mask).
    pub systolic: SmallVec<[(f64, u32); 2]>,
}

impl Structure {
    pub fn new<S: Real>(model: &LayerModel<'_>, mapping: &Mapping<S>) -> Self {
        let spatial = &mapping.spatial;
        assert!(spatial.len() <= MAX_UNROLLS, "a mapping has at most {MAX_UNROLLS} spatial unrolls");
        let mut s = Structure { ops: [OpStructure::BLANK; 3], unrolls: SmallVec::new(), systolic: SmallVec::new() };
        // Array-dimension order (a stable insertion sort: usually in order already).
        let mut order = [0u8; MAX_UNROLLS];
        for i in 0..spatial.len() {
            let mut k = i;
            while k > 0 && spatial[order[k - 1] as usize].array_dim > spatial[i].array_dim {
                order[k] = order[k - 1];
                k -= 1;
            }
            order[k] = i as u8;
        }
        let order = &order[..spatial.len()];
        for (i, &src) in order.iter().enumerate() {
            let u = &spatial[src as usize];
            let (mut same_dim, mut early, mut repeated) = (0u32, 0u32, false);
            for (j, &v) in order.iter().enumerate() {
                let v = &spatial[v as usize];
                if v.dim != u.dim {
                    continue;
                }
                same_dim |= 1 << j;
                if j < i {
                    repeated |= v.array_dim == u.array_dim;
                    if v.array_dim < u.array_dim {
                        early |= 1 << j;
                    }
                }
            }
            s.unrolls.push(UnrollPlan {
                src: src as usize,
                array_dim: u.array_dim,
                dim: u.dim,
                size: model.sizes[u.dim],
                array: model.array.get(u.array_dim).map_or(1.0, |a| a.0),
                repeated,
                same_dim,
                early,
            });
        }
        for (ad, &(size, is_systolic)) in model.array.iter().enumerate() {
            if is_systolic {
                let over = (0..spatial.len()).filter(|&i| spatial[i].array_dim == ad).fold(0, |m, i| m | 1 << i);
                s.systolic.push((size, over));
            }
        }
        for o in 0..3 {
            Self::operand(model, mapping, &s.unrolls, o, &mut s.ops[o]);
        }
        s.link_peers();
        s
    }

    fn operand<S: Real>(
        model: &LayerModel<'_>,
        mapping: &Mapping<S>,
        unrolls: &[UnrollPlan],
        o: usize,
        s: &mut OpStructure,
    ) {
        let levels = &mapping.levels[o];
        let n = levels.len();
        assert!(n <= MAX_LEVELS, "an operand has at most {MAX_LEVELS} memory levels");
        let sh = &model.shapes[o];
        let (relevant, irrelevant) = (sh.relevant, sh.irrelevant);
        let nloops = mapping.loops.len();
        let cuts = &mapping.cuts[o];
        let dim = |i: usize| mapping.loops[i].dim;
        s.levels = n;
        // Per array dimension (the first `SLOTS`), the level whose memory serves it first.
        let mut slot_of = [n as u8; SLOTS];
        let mut seen = 0u32;
        for (m, &mem) in levels.iter().enumerate() {
            s.mems[m] = mem;
            if !levels[..m].contains(&mem) {
                s.first_here |= 1 << m;
            }
            let mut first = model.mems[mem].served & !seen & ((1 << SLOTS) - 1);
            seen |= first;
            while first != 0 {
                slot_of[first.trailing_zeros() as usize] = m as u8;
                first &= first - 1;
            }
        }
        let mut start = 0;
        for m in 0..n {
            // Cuts made stationary: each moves outward past loops the operand is reused across.
            let mut end = if m + 1 == n { nloops } else { cuts.get(m).copied().unwrap_or(nloops).min(nloops) };
            while m + 1 < n && end < nloops && contains(irrelevant, dim(end)) {
                end += 1;
            }
            let end = end.max(start);
            s.ranges[m] = (start, end);
            if m == 0 && o != O {
                s.pe_reuse = (start..end).take_while(|&i| contains(irrelevant, dim(i))).count();
            }
            let run = |set| end - (start..end).rev().take_while(|&i| contains(set, dim(i))).count();
            s.top_relevant[m] = (run(relevant), end);
            s.top_irrelevant[m] = (run(irrelevant), end);
            start = end;
        }
        // Spatial slots: one entry per (slot, dimension), factors multiplied in unroll order.
        let mut keys = [(0u8, 0u8); MAX_UNROLLS];
        for (i, u) in unrolls.iter().enumerate() {
            let slot = if u.array_dim < SLOTS {
                slot_of[u.array_dim] as usize
            } else {
                (0..n).find(|&m| model.mems[s.mems[m]].served & (1 << u.array_dim) != 0).unwrap_or(n)
            };
            s.used |= 1 << slot;
            keys[i] = (slot as u8, u.dim as u8);
        }
        let keys = &keys[..unrolls.len()];
        // The distinct keys, sorted (insertion: there are few).
        let mut count = 0;
        for &key in keys {
            let mut k = count;
            while k > 0 && s.entries[k - 1] > key {
                k -= 1;
            }
            if k > 0 && s.entries[k - 1] == key {
                continue;
            }
            s.entries.copy_within(k..count, k + 1);
            s.entries[k] = key;
            count += 1;
        }
        for (i, key) in keys.iter().enumerate() {
            let e = s.entries[..count].iter().position(|e| e == key).unwrap_or(0);
            s.members[e] |= 1 << i;
        }
        // Slot `a`'s entries start after those of the slots below it.
        let mut per_slot = [0u8; MAX_LEVELS + 2];
        for e in &s.entries[..count] {
            per_slot[e.0 as usize + 1] += 1;
        }
        for a in 1..=n + 1 {
            s.slot_bounds[a] = s.slot_bounds[a - 1] + per_slot[a];
        }
    }

    /// Fills each level's peers: the first level of every operand at the same memory.
    fn link_peers(&mut self) {
        // Per memory (by table for the first memories), each operand's first level there.
        const TABLE: usize = 16;
        const NONE: u8 = u8::MAX;
        let mut first = [[NONE; 3]; TABLE];
        for o in 0..3 {
            let op = &self.ops[o];
            for m in (0..op.levels).rev() {
                if op.mems[m] < TABLE {
                    first[op.mems[m]][o] = m as u8;
                }
            }
        }
        for o in 0..3 {
            for m in 0..self.ops[o].levels {
                let mem = self.ops[o].mems[m];
                let mut count = 0;
                for o2 in 0..3 {
                    let m2 = if mem < TABLE {
                        first[mem][o2]
                    } else {
                        let op2 = &self.ops[o2];
                        op2.mems[..op2.levels].iter().position(|&x| x == mem).map_or(NONE, |m2| m2 as u8)
                    };
                    if m2 != NONE {
                        self.ops[o].peers[m][count] = (o2 as u8, m2);
                        count += 1;
                    }
                }
                self.ops[o].peer_count[m] = count as u8;
            }
        }
    }
}
