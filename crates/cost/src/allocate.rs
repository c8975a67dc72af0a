//! ZigZag's memory allocation: given a loop order, the cut of every operand's hierarchy, as
//! ZigZag 3.9.1 computes it (`opt/loma/memory_allocator.py`). Memories are visited bottom-up;
//! each takes, for every operand it holds, a prefix of that operand's not-yet-allocated loops
//! that fits — sized at the partial-sum width while a reduction loop is still to come — and a
//! memory shared by several operands takes the combination of prefixes that minimises the
//! traffic to the level above (unallocated iterations × tile size, ties to the later, longer
//! combination). An operand's top memory takes everything left.
//!
//! Scoring dnnc's mappings with these cuts makes dnnc's number the one ZigZag reports for the
//! same loop order (what `--emit=zigzag-mapping` hands it), so the search optimises what a
//! ZigZag user will measure.
//!
//! A search allocates every mapping it scores exactly (tens of thousands per layer), so what
//! depends only on the accelerator and the layer is worked out once ([`Allocator::new`]) and
//! a call allocates nothing but its result.

use smallvec::SmallVec;

use crate::mapping::{Loop, Unroll};
use crate::problem::{DimSet, Layer, MAX_DIMS, Window, contains, op_index};
use dnnc_arch::{Accelerator, Operand};

/// Inline capacity of the per-call lists (memory levels of an operand, prefix options): the
/// presets have at most 7 memories; more spill to the heap with the same result.
const INLINE: usize = 8;
/// Inline capacity of one operand's prefix options (one per loop of a nest, plus none).
const OPTIONS: usize = 24;

/// Per operand (I, W, O), the cuts ZigZag's allocator makes in `loops`; `None` if some
/// memory cannot hold even what is allocated below it (ZigZag rejects the ordering).
/// [`Allocator::cuts`] with the allocator built for this call; a caller allocating many
/// mappings of one layer keeps an [`Allocator`].
pub fn zigzag_cuts(
    arch: &Accelerator,
    layer: &Layer,
    spatial: &[Unroll<f64>],
    loops: &[Loop<f64>],
) -> Option<[Vec<usize>; 3]> {
    Allocator::new(arch, layer).cuts(spatial, loops)
}

/// One operand's place in the hierarchy, fixed by the accelerator.
#[derive(Clone, Debug)]
struct OperandLevels {
    /// Its memories, bottom-up ([`Accelerator::levels`]).
    levels: SmallVec<[usize; INLINE]>,
    /// Per array dimension: the first of its levels serving it (unrolls of that dimension
    /// multiply the tiles from there up), or `levels.len()` if none does.
    slot_of: SmallVec<[usize; INLINE]>,
}

/// One memory's share of the allocation, fixed by the accelerator.
#[derive(Clone, Debug)]
struct MemoryPlan {
    /// The operands allocated here, in the memory's listing order, each with whether this is
    /// its top memory.
    here: SmallVec<[(Operand, bool); 3]>,
    capacity: f64,
    double_buffered: bool,
}

/// ZigZag's allocator for one layer on one accelerator: [`zigzag_cuts`] with everything that
/// does not depend on the mapping worked out once.
#[derive(Clone, Debug)]
pub struct Allocator<'a> {
    layer: &'a Layer,
    /// Per operand: its relevant dimensions, ascending, and its windows ([`Layer::tile`]'s
    /// exact count, unrolled for `f64`).
    tiles: [(DimSet, &'a [Window]); 3],
    /// Array dimension sizes.
    array: SmallVec<[f64; INLINE]>,
    ops: [OperandLevels; 3],
    /// Memories in listing (bottom-up) order; `None` for one holding none of its operands.
    plans: Vec<Option<MemoryPlan>>,
    /// Some memory lists more than three operands: no allocation exists.
    unallocatable: bool,
}

impl<'a> Allocator<'a> {
    pub fn new(arch: &Accelerator, layer: &'a Layer) -> Self {
        let ops = Operand::ALL.map(|op| {
            let levels: SmallVec<[usize; INLINE]> = arch.levels(op).into_iter().collect();
            let slot_of = arch
                .array
                .dims
                .keys()
                .map(|name| {
                    (0..levels.len())
                        .find(|&m| arch.memories[levels[m]].served_dims.contains(name))
                        .unwrap_or(levels.len())
                })
                .collect();
            OperandLevels { levels, slot_of }
        });
        let mut unallocatable = false;
        let plans = arch
            .memories
            .iter()
            .enumerate()
            .map(|(mi, mem)| {
                let here: Vec<Operand> =
                    mem.operands.iter().copied().filter(|op| ops[op_index(*op)].levels.contains(&mi)).collect();
                if here.is_empty() {
                    return None;
                }
                if here.len() > 3 {
                    // Operands are I, W and O; a memory listing one twice has no allocation.
                    unallocatable = true;
                    return None;
                }
                let here = here.iter().map(|&op| (op, ops[op_index(op)].levels.last() == Some(&mi))).collect();
                Some(MemoryPlan { here, capacity: mem.size_bits as f64, double_buffered: mem.double_buffered })
            })
            .collect();
        let array = arch.array.dims.values().map(|&s| s as f64).collect();
        let tiles = Operand::ALL.map(|op| {
            let access = &layer.access[op_index(op)];
            let relevant = (0..layer.rank()).filter(|&d| contains(access.relevant, d)).fold(0, |s, d| s | (1 << d));
            (relevant, access.windows.as_slice())
        });
        Allocator { layer, tiles, array, ops, plans, unallocatable }
    }

    /// `layer.tile(op, &cum[..rank], true)` for `f64`, the same products in the same order.
    #[inline]
    fn tile(&self, op: Operand, cum: &[f64; MAX_DIMS]) -> f64 {
        let (relevant, windows) = &self.tiles[op_index(op)];
        let mut t = 1.0;
        // Ascending dimensions, as `Layer::tile` multiplies them.
        let mut rel = *relevant;
        while rel != 0 {
            t *= cum[rel.trailing_zeros() as usize];
            rel &= rel - 1;
        }
        for w in *windows {
            t *= w.span(cum[w.outer] as u64, cum[w.inner] as u64) as f64;
        }
        t
    }

    /// Per operand (I, W, O), the cuts ZigZag's allocator makes in `loops` under the spatial
    /// unrolls `spatial`; `None` if some memory cannot hold even what is allocated below it
    /// (ZigZag rejects the ordering).
    pub fn cuts(&self, spatial: &[Unroll<f64>], loops: &[Loop<f64>]) -> Option<[Vec<usize>; 3]> {
        let mut out: [Vec<usize>; 3] = Default::default();
        self.cuts_into(spatial, loops, &mut out).then_some(out)
    }

    /// [`Allocator::cuts`] written into `out` (its buffers reused); `false` (and `out`
    /// unspecified) where that gives `None`.
    pub fn cuts_into(&self, spatial: &[Unroll<f64>], loops: &[Loop<f64>], out: &mut [Vec<usize>; 3]) -> bool {
        self.allocate(spatial, loops, out).is_some()
    }

    fn allocate(&self, spatial: &[Unroll<f64>], loops: &[Loop<f64>], out: &mut [Vec<usize>; 3]) -> Option<()> {
        for cuts in out.iter_mut() {
            cuts.clear();
        }
        if self.unallocatable {
            // Visiting the memories in order fails at that one, if not before.
            return None;
        }
        let layer = self.layer;
        let reduce = layer.irrelevant(Operand::O);
        // Per operand: the spatial factors per slot below each of its levels (and one above
        // its top), from the integer evened-out unroll factors (what the allocator sees).
        let mut states: [State; 3] = std::array::from_fn(|_| State::new());
        for u in spatial {
            let size = layer.sizes[u.dim] as f64;
            let f = u.factor.min(self.array.get(u.array_dim).map_or(1.0, |&a| a)).max(1.0);
            let even = (size / (size / f).ceil()).trunc().max(1.0);
            for (o, s) in states.iter_mut().enumerate() {
                let n = self.ops[o].levels.len();
                let slot = self.ops[o].slot_of.get(u.array_dim).copied().unwrap_or(n);
                match s.unrolls.iter_mut().find(|e| e.0 == slot && e.1 == u.dim) {
                    Some(e) => e.2 *= even,
                    None => s.unrolls.push((slot, u.dim, 1.0 * even)),
                }
            }
        }
        for s in &mut states {
            for &(slot, d, f) in &s.unrolls {
                if slot == 0 {
                    s.cum[d] = f;
                }
                // Slots whose unrolls include a reduction dimension (an unroll of 1 changes
                // nothing).
                if f > 1.0 && contains(reduce, d) {
                    s.reducing_slots |= 1u64.checked_shl(slot as u32).unwrap_or(0);
                }
            }
        }
        // The last reduction loop: an output allocated from `start` on still has a reduction
        // loop to come iff `start` is at or before it.
        let last_reduction = loops.iter().rposition(|l| contains(reduce, l.dim));
        let mut options: [Options; 3] = Default::default();
        for plan in &self.plans {
            let Some(plan) = plan else { continue };
            let capacity = plan.capacity;
            for (k, &(op, top)) in plan.here.iter().enumerate() {
                let s = &states[op_index(op)];
                let rest = &loops[s.start..];
                let partial = match op {
                    Operand::O => {
                        let temporal = last_reduction.is_some_and(|r| r >= s.start);
                        let spatial = s.reducing_slots.checked_shr(s.level as u32 + 1).is_some_and(|r| r != 0);
                        temporal || spatial
                    }
                    _ => false,
                };
                let bits = layer.bits(op, partial) as f64;
                let size_of = |cum: &[f64; MAX_DIMS]| self.tile(op, cum) * bits;
                // The size of all that is left: it decides double buffering, and whether a top
                // memory takes it at once (a memory that is neither does not need it).
                let all = if plan.double_buffered || top {
                    let mut c = s.cum;
                    for l in rest {
                        c[l.dim] *= l.size;
                    }
                    size_of(&c)
                } else {
                    f64::NAN
                };
                let opts = &mut options[k];
                opts.sizes.clear();
                opts.accesses.clear();
                if top && !plan.double_buffered && all <= capacity && rest.iter().all(|l| l.size >= 1.0) {
                    // The top takes everything left, and every prefix fits: loops of at least
                    // one only grow a tile (a window's span grows with its loops), so no prefix
                    // is larger than the whole, whose size is the last prefix's (the same
                    // products in the same order).
                    opts.sizes.push(all);
                    opts.offset = rest.len();
                    opts.accesses.push(0.0);
                    continue;
                }
                let mut cum = s.cum;
                for i in 0..=rest.len() {
                    if i > 0 {
                        cum[rest[i - 1].dim] *= rest[i - 1].size;
                    }
                    let mut size = size_of(&cum);
                    if plan.double_buffered && i < rest.len() && size < all {
                        size *= 2.0;
                    }
                    if size <= capacity {
                        opts.sizes.push(size);
                    } else {
                        if i == 0 {
                            return None;
                        }
                        break;
                    }
                }
                opts.offset = if top { opts.sizes.len() - 1 } else { 0 };
                if top {
                    let last = *opts.sizes.last()?;
                    opts.sizes.clear();
                    opts.sizes.push(last);
                    opts.accesses.push(0.0);
                } else {
                    for (i, size) in opts.sizes.iter().enumerate() {
                        opts.accesses.push(rest[i..].iter().map(|l| l.size).product::<f64>() * size);
                    }
                }
            }
            let idx = best_combination(&options[..plan.here.len()], capacity)?;
            for (k, &(op, top)) in plan.here.iter().enumerate() {
                let s = &mut states[op_index(op)];
                let take = idx[k] + options[k].offset;
                for l in &loops[s.start..s.start + take] {
                    s.cum[l.dim] *= l.size;
                }
                s.start += take;
                if top {
                    if s.start < loops.len() {
                        return None;
                    }
                } else {
                    out[op_index(op)].push(s.start);
                }
                s.level += 1;
                // The next slot's factors (a factor of 1 would change no bit).
                for &(slot, d, f) in &s.unrolls {
                    if slot == s.level {
                        s.cum[d] *= f;
                    }
                }
            }
        }
        Some(())
    }
}

/// One operand's progress through its hierarchy during [`Allocator::cuts`].
struct State {
    /// The spatial factors: (slot, dimension, product of the unrolls of that dimension whose
    /// array dimension the slot's level serves first; slot `levels` is above the top).
    unrolls: SmallVec<[(usize, usize, f64); INLINE]>,
    /// Bit `k`: slot `k` unrolls a reduction dimension.
    reducing_slots: u64,
    cum: [f64; MAX_DIMS],
    start: usize,
    level: usize,
}

impl State {
    fn new() -> Self {
        State { unrolls: SmallVec::new(), reducing_slots: 0, cum: [1.0; MAX_DIMS], start: 0, level: 0 }
    }
}

/// One operand's choices at a memory: the fitting prefix sizes (bits), the offset a forced
/// top adds, and each choice's accesses to the level above.
#[derive(Default)]
struct Options {
    sizes: SmallVec<[f64; OPTIONS]>,
    offset: usize,
    accesses: SmallVec<[f64; OPTIONS]>,
}

/// Over every combination of the operands' choices (first operand most significant), the one
/// that fits with the fewest accesses, ties to the later; `None` if the first does not fit.
fn best_combination(options: &[Options], capacity: f64) -> Option<[usize; 3]> {
    let n = options.len();
    // Slices taken once (an absent operand: one choice that adds nothing).
    let sizes: [&[f64]; 3] = std::array::from_fn(|k| options.get(k).map_or(&[0.0][..], |o| &o.sizes[..]));
    let accesses: [&[f64]; 3] = std::array::from_fn(|k| options.get(k).map_or(&[0.0][..], |o| &o.accesses[..]));
    let mut best: Option<(f64, [usize; 3])> = None;
    for (a, (&s0, &x0)) in sizes[0].iter().zip(accesses[0]).enumerate() {
        for (b, (&s1, &x1)) in sizes[1].iter().zip(accesses[1]).enumerate() {
            // Summed in operand order, as one `sum()` over the operands would.
            let (s01, x01) = if n > 1 { (s0 + s1, x0 + x1) } else { (s0, x0) };
            for (c, (&s2, &x2)) in sizes[2].iter().zip(accesses[2]).enumerate() {
                let (size, total) = if n > 2 { (s01 + s2, x01 + x2) } else { (s01, x01) };
                if size > capacity {
                    if a == 0 && b == 0 && c == 0 {
                        return None;
                    }
                    continue;
                }
                if best.as_ref().is_none_or(|(x, _)| total <= *x) {
                    best = Some((total, [a, b, c]));
                }
            }
        }
    }
    best.map(|(_, idx)| idx)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The allocator as first written (one pass, everything recomputed per call): the
    /// reference [`Allocator::cuts`] must reproduce exactly.
    fn reference(
        arch: &Accelerator,
        layer: &Layer,
        spatial: &[Unroll<f64>],
        loops: &[Loop<f64>],
    ) -> Option<[Vec<usize>; 3]> {
        let rank = layer.rank();
        let array: Vec<(&String, u32)> = arch.array.dims.iter().map(|(n, &s)| (n, s)).collect();
        let unroll: Vec<(usize, usize, f64)> = spatial
            .iter()
            .map(|u| {
                let size = layer.sizes[u.dim] as f64;
                let f = u.factor.min(array.get(u.array_dim).map_or(1.0, |a| a.1 as f64)).max(1.0);
                let even = (size / (size / f).ceil()).trunc().max(1.0);
                (u.array_dim, u.dim, even)
            })
            .collect();
        struct St {
            levels: Vec<usize>,
            slots: Vec<[f64; MAX_DIMS]>,
            cum: [f64; MAX_DIMS],
            start: usize,
            level: usize,
            cuts: Vec<usize>,
        }
        let mut states: Vec<St> = Operand::ALL
            .iter()
            .map(|&op| {
                let levels = arch.levels(op);
                let n = levels.len();
                let mut slots = vec![[1.0; MAX_DIMS]; n + 1];
                for &(ad, d, f) in &unroll {
                    let slot = (0..n)
                        .find(|&m| {
                            array.get(ad).is_some_and(|(name, _)| arch.memories[levels[m]].served_dims.contains(name))
                        })
                        .unwrap_or(n);
                    slots[slot][d] *= f;
                }
                let cum = slots[0];
                St { levels, slots, cum, start: 0, level: 0, cuts: Vec::new() }
            })
            .collect();
        let reduce = layer.irrelevant(Operand::O);
        for (mi, mem) in arch.memories.iter().enumerate() {
            let here: Vec<Operand> =
                mem.operands.iter().copied().filter(|op| states[op_index(*op)].levels.contains(&mi)).collect();
            if here.is_empty() {
                continue;
            }
            if here.len() > 3 {
                return None;
            }
            let capacity = mem.size_bits as f64;
            let mut options: Vec<(Vec<f64>, usize, Vec<f64>)> = Vec::new();
            for &op in &here {
                let s = &states[op_index(op)];
                let rest = &loops[s.start..];
                let bits = match op {
                    Operand::O => {
                        let temporal = rest.iter().any(|l| contains(reduce, l.dim));
                        let spatial = s.slots[s.level + 1..]
                            .iter()
                            .any(|slot| (0..rank).any(|d| slot[d] > 1.0 && contains(reduce, d)));
                        layer.bits(op, temporal || spatial)
                    }
                    _ => layer.bits(op, false),
                } as f64;
                let mut cum = s.cum;
                let size_of = |cum: &[f64; MAX_DIMS]| layer.tile(op, &cum[..rank], true) * bits;
                let all = {
                    let mut c = s.cum;
                    for l in rest {
                        c[l.dim] *= l.size;
                    }
                    size_of(&c)
                };
                let mut sizes = Vec::new();
                for i in 0..=rest.len() {
                    if i > 0 {
                        cum[rest[i - 1].dim] *= rest[i - 1].size;
                    }
                    let mut size = size_of(&cum);
                    if mem.double_buffered && i < rest.len() && size < all {
                        size *= 2.0;
                    }
                    if size <= capacity {
                        sizes.push(size);
                    } else {
                        if i == 0 {
                            return None;
                        }
                        break;
                    }
                }
                let top = s.levels.last() == Some(&mi);
                let offset = if top { sizes.len() - 1 } else { 0 };
                if top {
                    sizes = vec![*sizes.last()?];
                }
                let accesses = sizes
                    .iter()
                    .enumerate()
                    .map(
                        |(i, size)| {
                            if top { 0.0 } else { rest[i + offset..].iter().map(|l| l.size).product::<f64>() * size }
                        },
                    )
                    .collect();
                options.push((sizes, offset, accesses));
            }
            let lens: Vec<usize> = options.iter().map(|o| o.0.len()).collect();
            let combos: usize = lens.iter().product();
            let mut best: Option<(f64, Vec<usize>)> = None;
            for c in 0..combos {
                let mut rem = c;
                let mut idx = vec![0; lens.len()];
                for k in (0..lens.len()).rev() {
                    idx[k] = rem % lens[k];
                    rem /= lens[k];
                }
                let size: f64 = idx.iter().enumerate().map(|(k, &i)| options[k].0[i]).sum();
                if size > capacity {
                    if c == 0 {
                        return None;
                    }
                    continue;
                }
                let accesses: f64 = idx.iter().enumerate().map(|(k, &i)| options[k].2[i]).sum();
                if best.as_ref().is_none_or(|(b, _)| accesses <= *b) {
                    best = Some((accesses, idx));
                }
            }
            let (_, idx) = best?;
            for (k, &op) in here.iter().enumerate() {
                let s = &mut states[op_index(op)];
                let take = idx[k] + options[k].1;
                for l in &loops[s.start..s.start + take] {
                    s.cum[l.dim] *= l.size;
                }
                s.start += take;
                let top = s.levels.last() == Some(&mi);
                if top {
                    if s.start < loops.len() {
                        return None;
                    }
                } else {
                    s.cuts.push(s.start);
                }
                s.level += 1;
                let slot = s.slots[s.level];
                for (c, f) in s.cum.iter_mut().zip(slot).take(rank) {
                    *c *= f;
                }
            }
        }
        let cuts: Vec<Vec<usize>> = states.into_iter().map(|s| s.cuts).collect();
        cuts.try_into().ok()
    }

    /// xorshift64.
    struct Rng(u64);

    impl Rng {
        fn below(&mut self, n: u64) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0 % n.max(1)
        }
    }

    /// On random loop nests (integer and fractional sizes, unit loops, repeated dimensions),
    /// random unrolls (non-dividing, larger than the array, on an array dimension the
    /// accelerator lacks) and every preset, the allocator gives the reference's cuts — or its
    /// `None` — exactly, whether built per call or kept across calls.
    #[test]
    fn cuts_match_the_reference_allocator() {
        let mut rng = Rng(0x5eed_a110c);
        let (mut some, mut none) = (0, 0);
        for preset in ["tpu_like", "eyeriss_like", "gemmini", "simba_like"] {
            let arch = Accelerator::preset(preset).unwrap();
            for layer in [
                Layer::gemm("gemm", 768, 512, 768),
                Layer::gemm("gemm", 64, 128, 3072),
                Layer::conv2d("conv", 64, 32, 56, 3, 1, 56),
                Layer::conv2d("conv", 64, 32, 28, 3, 2, 56),
            ] {
                let kept = Allocator::new(&arch, &layer);
                let dims: Vec<usize> = (0..layer.rank()).filter(|&d| layer.sizes[d] > 1).collect();
                for _ in 0..600 {
                    let spatial: Vec<Unroll<f64>> = (0..rng.below(4))
                        .map(|_| Unroll {
                            array_dim: rng.below(3) as usize,
                            dim: dims[rng.below(dims.len() as u64) as usize],
                            factor: (1 + rng.below(40)) as f64,
                        })
                        .collect();
                    let loops: Vec<Loop<f64>> = (0..rng.below(16))
                        .map(|_| Loop {
                            dim: dims[rng.below(dims.len() as u64) as usize],
                            size: match rng.below(6) {
                                0 => 1.0,
                                1 => 0.5 + rng.below(1000) as f64 / 300.0,
                                _ => (1 + rng.below(24)) as f64,
                            },
                        })
                        .collect();
                    let want = reference(&arch, &layer, &spatial, &loops);
                    assert_eq!(kept.cuts(&spatial, &loops), want, "{preset} {} {spatial:?} {loops:?}", layer.name);
                    assert_eq!(zigzag_cuts(&arch, &layer, &spatial, &loops), want);
                    if want.is_some() { some += 1 } else { none += 1 }
                }
            }
        }
        // Both outcomes are exercised.
        assert!(some > 1000 && none > 500, "{some} allocated, {none} rejected");
    }
}
