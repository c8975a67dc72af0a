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

use crate::mapping::{Loop, Unroll};
use crate::problem::{Layer, MAX_DIMS, contains, op_index};
use dnnc_arch::{Accelerator, Operand};

/// Per operand (I, W, O), the cuts ZigZag's allocator makes in `loops`; `None` if some
/// memory cannot hold even what is allocated below it (ZigZag rejects the ordering).
pub fn zigzag_cuts(
    arch: &Accelerator,
    layer: &Layer,
    spatial: &[Unroll<f64>],
    loops: &[Loop<f64>],
) -> Option<[Vec<usize>; 3]> {
    let rank = layer.rank();
    let array: Vec<(&String, u32)> = arch.array.dims.iter().map(|(n, &s)| (n, s)).collect();
    // Integer evened-out unroll factors (what the allocator sees).
    let unroll: Vec<(usize, usize, f64)> = spatial
        .iter()
        .map(|u| {
            let size = layer.sizes[u.dim] as f64;
            let f = u.factor.min(array.get(u.array_dim).map_or(1.0, |a| a.1 as f64)).max(1.0);
            let even = (size / (size / f).ceil()).trunc().max(1.0);
            (u.array_dim, u.dim, even)
        })
        .collect();
    struct State {
        levels: Vec<usize>,
        /// Spatial factors per slot below each level (and one above the top).
        slots: Vec<[f64; MAX_DIMS]>,
        cum: [f64; MAX_DIMS],
        start: usize,
        level: usize,
        cuts: Vec<usize>,
    }
    let mut states: Vec<State> = Operand::ALL
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
            State { levels, slots, cum, start: 0, level: 0, cuts: Vec::new() }
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
            // Operands are I, W and O; a memory listing one twice has no allocation.
            return None;
        }
        let capacity = mem.size_bits as f64;
        // Per operand: fitting prefix sizes (bits), the offset for a forced top, and accesses.
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
        // Every combination, first operand most significant; ties go to the later one.
        let lens: Vec<usize> = options.iter().map(|o| o.0.len()).collect();
        let combos: usize = lens.iter().product();
        // At most one option list per operand: the combination fits in a fixed array, so the
        // loop (run for every mapping the search scores) allocates nothing.
        let mut best: Option<(f64, [usize; 3])> = None;
        for c in 0..combos {
            let mut rem = c;
            let mut idx = [0usize; 3];
            for k in (0..lens.len()).rev() {
                idx[k] = rem % lens[k];
                rem /= lens[k];
            }
            let size: f64 = idx[..lens.len()].iter().enumerate().map(|(k, &i)| options[k].0[i]).sum();
            if size > capacity {
                if c == 0 {
                    return None;
                }
                continue;
            }
            let accesses: f64 = idx[..lens.len()].iter().enumerate().map(|(k, &i)| options[k].2[i]).sum();
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
