//! The mapping space of one layer on one accelerator, as the optimiser sees it.
//!
//! *Tiling levels* are the accelerator's memories below the top one, in their bottom-up listing
//! order. A point is a [`Skeleton`] (the discrete part: spatial unrolls and the loop order of
//! every level) plus one temporal factor per (tiling level, dimension); the top level takes
//! what remains. Each operand's loops at a level it does not use run out of its next level up
//! (it *bypasses* the level), which is how the per-operand cuts of a [`Mapping`] follow from
//! one global assignment.

use dnnc_arch::{Accelerator, Operand};
use dnnc_cost::allocate::Allocator;
use dnnc_cost::problem::contains;
use dnnc_cost::{Footprint, Layer, LayerModel, Loop, Mapping, Real, Unroll};

/// Why a layer cannot be searched on an accelerator.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SpaceError {
    #[error("operand {0:?} has no memory level")]
    NoLevel(Operand),
    #[error("operands must share one top memory (the last listed); {0:?} ends at {1}")]
    SplitTop(Operand, String),
}

/// Spatial unrolls: (array dimension, layer dimension, factor).
pub type Unrolls = Vec<(usize, usize, u64)>;

/// The discrete part of a mapping.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Skeleton {
    /// (array dimension, layer dimension, factor).
    pub spatial: Unrolls,
    /// Per tiling level and then the top level: the dimensions, innermost first.
    pub orders: Vec<Vec<usize>>,
}

pub struct Space<'a> {
    pub model: LayerModel<'a>,
    pub arch: &'a Accelerator,
    pub layer: &'a Layer,
    /// Memory indices of the tiling levels, bottom-up.
    pub levels: Vec<usize>,
    /// Layer dimensions of size > 1.
    pub dims: Vec<usize>,
    /// Exact mappings take ZigZag's allocation of their loop order (`dnnc_cost::zigzag_cuts`)
    /// instead of the cuts the tiling levels imply, so the cost dnnc reports is the one ZigZag
    /// reports for the same loop order (on by default).
    pub zigzag_allocation: bool,
    /// ZigZag's allocator for this layer, built once (exact scoring allocates every point).
    pub allocator: Allocator<'a>,
    top: usize,
    /// Per operand (I, W, O): its memories bottom-up ([`Accelerator::levels`]), as every
    /// mapping of the space has them.
    op_levels: [Vec<usize>; 3],
    /// Per operand, per memory of it below the top: the tiling levels at or below that memory
    /// (a prefix of them, as `levels` ascends); its cut is the loops they hold.
    cut_levels: [Vec<usize>; 3],
    /// Per layer dimension, its position in `dims` (`None` for a dimension of size 1).
    position: Vec<Option<usize>>,
}

impl<'a> Space<'a> {
    pub fn new(arch: &'a Accelerator, layer: &'a Layer) -> Result<Self, SpaceError> {
        let top = arch.memories.len().saturating_sub(1);
        for op in Operand::ALL {
            match arch.levels(op).last() {
                None => return Err(SpaceError::NoLevel(op)),
                Some(&m) if m != top => return Err(SpaceError::SplitTop(op, arch.memories[m].name.clone())),
                _ => {}
            }
        }
        let dims: Vec<usize> = (0..layer.rank()).filter(|&d| layer.sizes[d] > 1).collect();
        let levels: Vec<usize> = (0..top).collect();
        let op_levels = Operand::ALL.map(|op| arch.levels(op));
        let cut_levels = op_levels
            .clone()
            .map(|mems| mems[..mems.len() - 1].iter().map(|&m| levels.iter().filter(|&&g| g <= m).count()).collect());
        let position = (0..layer.rank()).map(|d| dims.iter().position(|&x| x == d)).collect();
        Ok(Space {
            model: LayerModel::new(arch, layer),
            arch,
            layer,
            levels,
            dims,
            zigzag_allocation: true,
            allocator: Allocator::new(arch, layer),
            top,
            op_levels,
            cut_levels,
            position,
        })
    }

    /// Number of continuous parameters: one factor per (tiling level, dimension).
    pub fn params(&self) -> usize {
        self.levels.len() * self.dims.len()
    }

    /// Per layer dimension, the trip count its temporal loops must cover.
    pub fn temporal_totals(&self, sk: &Skeleton) -> Vec<u64> {
        let mut spatial = vec![1u64; self.layer.rank()];
        for &(_, d, f) in &sk.spatial {
            spatial[d] *= f;
        }
        (0..self.layer.rank()).map(|d| self.layer.sizes[d].div_ceil(spatial[d].clamp(1, self.layer.sizes[d]))).collect()
    }

    /// The mapping for `factors` (tiling level major, then `self.dims` order). With
    /// `drop_unit_loops`, loops of trip count 1 are left out (for exact evaluation).
    pub fn mapping<S: Real>(&self, sk: &Skeleton, factors: &[S], drop_unit_loops: bool) -> Mapping<S> {
        let nd = self.dims.len();
        let ng = self.levels.len();
        let totals = self.temporal_totals(sk);
        let mut loops = Vec::with_capacity(nd * (ng + 1));
        // Per level, the loops at or below it.
        let mut ends = Vec::with_capacity(ng + 1);
        let mut below = vec![S::cst(1.0); nd];
        for g in 0..=ng {
            for &d in &sk.orders[g] {
                let Some(k) = self.position[d] else { continue };
                let size = if g < ng {
                    let f = factors[g * nd + k];
                    below[k] *= f;
                    f
                } else if drop_unit_loops {
                    // Exact mappings have integer factors: the remainder is an integer too.
                    let rest = below[k].recip() * totals[d] as f64;
                    rest.with_value(rest.value().round())
                } else {
                    below[k].recip() * totals[d] as f64
                };
                if drop_unit_loops && size.value() == 1.0 {
                    continue;
                }
                loops.push(Loop { dim: d, size });
            }
            ends.push(loops.len());
        }
        // Operand cuts: everything at or below each of its memories.
        let cuts = self
            .cut_levels
            .each_ref()
            .map(|levels| levels.iter().map(|&n| if n == 0 { 0 } else { ends[n - 1] }).collect());
        let spatial =
            sk.spatial.iter().map(|&(array_dim, dim, f)| Unroll { array_dim, dim, factor: S::cst(f as f64) }).collect();
        Mapping { spatial, loops, levels: self.op_levels.clone(), cuts }
    }

    /// [`Space::mapping`] of integer `factors` with unit loops dropped (an exact mapping),
    /// written into `out` (a mapping of this space, whose buffers are reused): the same
    /// values, computed the same way, without allocating. `totals` are
    /// [`Space::temporal_totals`] of `sk`; `below` (one entry per dimension) and `ends` are
    /// scratch.
    pub fn exact_mapping_into(
        &self,
        sk: &Skeleton,
        factors: &[f64],
        totals: &[u64],
        (below, ends): (&mut [f64], &mut Vec<usize>),
        out: &mut Mapping<f64>,
    ) {
        let nd = self.dims.len();
        let ng = self.levels.len();
        below.fill(1.0);
        out.loops.clear();
        ends.clear();
        for g in 0..=ng {
            for &d in &sk.orders[g] {
                let Some(k) = self.position[d] else { continue };
                let size = if g < ng {
                    let f = factors[g * nd + k];
                    below[k] *= f;
                    f
                } else {
                    // Exact mappings have integer factors: the remainder is an integer too.
                    let rest = below[k].recip() * totals[d] as f64;
                    rest.round()
                };
                if size == 1.0 {
                    continue;
                }
                out.loops.push(Loop { dim: d, size });
            }
            ends.push(out.loops.len());
        }
        for (cuts, levels) in out.cuts.iter_mut().zip(&self.cut_levels) {
            cuts.clear();
            cuts.extend(levels.iter().map(|&n| if n == 0 { 0 } else { ends[n - 1] }));
        }
        out.spatial.clear();
        out.spatial.extend(sk.spatial.iter().map(|&(array_dim, dim, f)| Unroll { array_dim, dim, factor: f as f64 }));
        for (levels, mine) in out.levels.iter_mut().zip(&self.op_levels) {
            if levels != mine {
                levels.clone_from(mine);
            }
        }
    }

    /// Writes the loop sizes of `factors` into `mapping`, a relaxed mapping of `sk`
    /// ([`Space::mapping`] without dropping unit loops): the sizes `self.mapping(sk, factors,
    /// false)` has, computed the same way, without building the mapping again. `totals` are
    /// [`Space::temporal_totals`] of `sk`; `below` is scratch of one entry per dimension.
    #[inline(always)]
    pub fn set_relaxed_sizes<S: Real>(
        &self,
        mapping: &mut Mapping<S>,
        sk: &Skeleton,
        totals: &[u64],
        factors: &[S],
        below: &mut [S],
    ) {
        let nd = self.dims.len();
        let ng = self.levels.len();
        below.fill(S::cst(1.0));
        let mut loops = mapping.loops.iter_mut();
        for g in 0..=ng {
            for &d in &sk.orders[g] {
                let Some(k) = self.position[d] else { continue };
                let size = if g < ng {
                    let f = factors[g * nd + k];
                    below[k] *= f;
                    f
                } else {
                    below[k].recip() * totals[d] as f64
                };
                let l = loops.next().expect("a relaxed mapping of the skeleton");
                debug_assert_eq!(l.dim, d);
                l.size = size;
            }
        }
    }

    /// Integer factors nearest (in log) to `relaxed`, dividing each dimension's temporal total
    /// level by level bottom-up; the top level takes the remainder.
    pub fn round(&self, sk: &Skeleton, relaxed: &[f64]) -> Vec<f64> {
        let nd = self.dims.len();
        let totals = self.temporal_totals(sk);
        let mut out = vec![1.0; relaxed.len()];
        for (k, &d) in self.dims.iter().enumerate() {
            let mut rest = totals[d];
            for g in 0..self.levels.len() {
                let want = relaxed[g * nd + k].max(1.0).ln();
                let best = divisors(rest)
                    .into_iter()
                    .min_by(|a, b| ((*a as f64).ln() - want).abs().total_cmp(&((*b as f64).ln() - want).abs()))
                    .unwrap_or(1);
                out[g * nd + k] = best as f64;
                rest /= best;
            }
        }
        out
    }

    /// Bits the mapping keeps per instance of each memory (relaxed or exact), and the
    /// memory's capacity; the top level is not constrained. Outputs count at the partial-sum
    /// width wherever a reduction loop (temporal beyond the level's cut, or spatial above
    /// it) is still to come — the width ZigZag's memory allocator sizes them at, so a mapping
    /// that fits here fits there.
    pub fn capacity_use<S: Real>(&self, mapping: &Mapping<S>, exact: bool) -> Vec<(S, f64)> {
        self.capacity_of(mapping, self.model.footprints(mapping, exact))
    }

    /// [`Space::capacity_use`] from the mapping's footprints (as a prepared model gives them).
    #[inline(always)]
    pub fn capacity_of<S: Real>(&self, mapping: &Mapping<S>, footprints: impl AsRef<[Footprint<S>]>) -> Vec<(S, f64)> {
        let mut used = vec![S::cst(0.0); self.arch.memories.len()];
        let o_levels = mapping.levels(Operand::O);
        let reduce = self.layer.irrelevant(Operand::O);
        let served = |m: usize, array_dim: usize| {
            self.arch
                .array
                .dims
                .get_index(array_dim)
                .is_some_and(|(name, _)| self.arch.memories[m].served_dims.contains(name))
        };
        for f in footprints.as_ref() {
            let mem = &self.arch.memories[f.memory];
            let copies = if mem.double_buffered { 2.0 } else { 1.0 };
            let mut bits = f.bits;
            if f.operand == Operand::O
                && let Some(level) = o_levels.iter().position(|&m| m == f.memory)
            {
                let cut = mapping.cuts(Operand::O).get(level).copied().unwrap_or(mapping.loops.len());
                let temporal_after =
                    mapping.loops[cut.min(mapping.loops.len())..].iter().any(|l| contains(reduce, l.dim));
                let spatial_above = mapping
                    .spatial
                    .iter()
                    .any(|u| contains(reduce, u.dim) && !o_levels[..=level].iter().any(|&m| served(m, u.array_dim)));
                let width = if temporal_after || spatial_above {
                    self.layer.precision.psum_bits
                } else {
                    self.layer.precision.output_bits
                };
                bits = f.elements * width as f64;
            }
            used[f.memory] += bits * copies;
        }
        (0..self.top).map(|m| (used[m], self.arch.memories[m].size_bits as f64)).collect()
    }

    /// A user's spatial unrolling by names, resolved for this layer (entries for dimensions it
    /// lacks are dropped; factors are clipped to the dimension).
    pub fn resolve_spatial(&self, fixed: &[(String, String, u64)]) -> Unrolls {
        fixed
            .iter()
            .filter_map(|(array_dim, dim, f)| {
                let a = self.arch.array.dims.get_index_of(array_dim.as_str())?;
                let d = self.layer.dim(dim)?;
                Some((a, d, (*f).clamp(1, self.layer.sizes[d])))
            })
            .collect()
    }

    /// Spatial candidates: each array dimension unrolls a different layer dimension by as
    /// much as fits (the full array or the whole dimension), ranked by PE utilisation.
    pub fn spatial_candidates(&self, keep: usize) -> Vec<Unrolls> {
        let array: Vec<u64> = self.arch.array.dims.values().map(|&s| s as u64).collect();
        let mut out: Vec<(f64, Unrolls)> = Vec::new();
        let mut current = Vec::new();
        self.assign(&array, 0, &mut current, &mut out);
        out.sort_by(|a, b| b.0.total_cmp(&a.0));
        out.dedup_by(|a, b| a.1 == b.1);
        out.into_iter().take(keep.max(1)).map(|(_, s)| s).collect()
    }

    fn assign(&self, array: &[u64], a: usize, cur: &mut Unrolls, out: &mut Vec<(f64, Unrolls)>) {
        if a == array.len() {
            // Utilisation: useful MACs per PE-cycle with ceil'd temporal trips.
            let mut used = 1.0;
            for &(_, d, f) in cur.iter() {
                let size = self.layer.sizes[d] as f64;
                used *= size / (size / f as f64).ceil();
            }
            out.push((used / array.iter().product::<u64>() as f64, cur.clone()));
            return;
        }
        self.assign(array, a + 1, cur, out);
        for &d in &self.dims {
            if cur.iter().any(|&(_, x, _)| x == d) {
                continue;
            }
            let size = self.layer.sizes[d];
            let mut factors = vec![array[a].min(size)];
            if let Some(div) = divisors(size).into_iter().filter(|&q| q <= array[a]).max()
                && div != factors[0]
                && div > 1
            {
                factors.push(div);
            }
            for f in factors {
                cur.push((a, d, f));
                self.assign(array, a + 1, cur, out);
                cur.pop();
            }
        }
    }

    /// Loop orders that make one operand stationary at every level: the dimensions it is
    /// reused across innermost.
    pub fn stationary_orders(&self) -> Vec<Vec<usize>> {
        let mut out: Vec<Vec<usize>> = Vec::new();
        for op in [Operand::O, Operand::W, Operand::I] {
            let reused = self.layer.irrelevant(op);
            let mut order: Vec<usize> = self.dims.iter().copied().filter(|&d| contains(reused, d)).collect();
            order.extend(self.dims.iter().copied().filter(|&d| !contains(reused, d)));
            if !out.contains(&order) {
                out.push(order);
            }
        }
        out
    }
}

/// Divisors of `n`, ascending.
pub fn divisors(n: u64) -> Vec<u64> {
    let mut small = Vec::new();
    let mut large = Vec::new();
    let mut i = 1;
    while i * i <= n {
        if n.is_multiple_of(i) {
            small.push(i);
            if i * i != n {
                large.push(n / i);
            }
        }
        i += 1;
    }
    small.extend(large.into_iter().rev());
    small
}

/// Prime factors of `n`, ascending, with multiplicity.
pub fn prime_factors(mut n: u64) -> Vec<u64> {
    let mut out = Vec::new();
    let mut p = 2;
    while p * p <= n {
        while n.is_multiple_of(p) {
            out.push(p);
            n /= p;
        }
        p += 1;
    }
    if n > 1 {
        out.push(n);
    }
    out
}
