//! A mapping of one layer onto an accelerator: which loops are unrolled over the PE array, and
//! the temporal loop nest with, for each operand, where its memory levels cut it.
//!
//! The temporal nest is one ordered list of loops, innermost first. Each operand walks its own
//! memory hierarchy (the levels holding it, minus any it bypasses), and `cuts` says how many of
//! the innermost loops run out of each of its levels: with cuts `[2, 6]` for a three-level
//! operand, loops 0–1 iterate over data in its first level, 2–5 in its second, the rest in the
//! top one. This is ZigZag's and Timeloop's view: the tile an operand keeps at a level is the
//! footprint of all loops below the cut, spatial ones included.

use dnnc_arch::{Accelerator, Operand};

use crate::problem::{Layer, op_index};
use crate::real::Real;

/// A layer dimension unrolled over a PE-array dimension by `factor` (the user-level factor:
/// it need not divide the dimension; the model evens it out).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Unroll<S> {
    pub array_dim: usize,
    pub dim: usize,
    pub factor: S,
}

/// One temporal loop.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Loop<S> {
    pub dim: usize,
    pub size: S,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Mapping<S> {
    pub spatial: Vec<Unroll<S>>,
    /// Temporal loops, innermost first.
    pub loops: Vec<Loop<S>>,
    /// Per operand (I, W, O): the memories it uses (indices into the accelerator's memories,
    /// innermost first; a subsequence of the levels that may hold it, always ending at the
    /// top one — leaving a level out *bypasses* it).
    pub levels: [Vec<usize>; 3],
    /// Per operand: for each level but the top, the number of innermost loops at or below it
    /// (non-decreasing).
    pub cuts: [Vec<usize>; 3],
}

impl<S: Real> Mapping<S> {
    /// A mapping using every level that may hold each operand.
    pub fn new(arch: &Accelerator, spatial: Vec<Unroll<S>>, loops: Vec<Loop<S>>, cuts: [Vec<usize>; 3]) -> Self {
        let levels = Operand::ALL.map(|op| arch.levels(op));
        Mapping { spatial, loops, levels, cuts }
    }

    pub fn levels(&self, op: Operand) -> &[usize] {
        &self.levels[op_index(op)]
    }

    pub fn cuts(&self, op: Operand) -> &[usize] {
        &self.cuts[op_index(op)]
    }

    /// The loop range `[start, end)` that runs out of level `m` of `op`.
    pub fn level_range(&self, op: Operand, m: usize) -> (usize, usize) {
        let cuts = self.cuts(op);
        let start = if m == 0 { 0 } else { cuts[m - 1] };
        let end = cuts.get(m).copied().unwrap_or(self.loops.len());
        (start, end)
    }

    /// The same mapping with values only (derivatives dropped).
    pub fn values(&self) -> Mapping<f64> {
        Mapping {
            spatial: self
                .spatial
                .iter()
                .map(|u| Unroll { array_dim: u.array_dim, dim: u.dim, factor: u.factor.value() })
                .collect(),
            loops: self.loops.iter().map(|l| Loop { dim: l.dim, size: l.size.value() }).collect(),
            levels: self.levels.clone(),
            cuts: self.cuts.clone(),
        }
    }

    /// Moves every cut outward past the loops the operand is reused across, so data stays
    /// in the lower level while they run (ZigZag's "stationary" form; idempotent). Loops that
    /// feed a sliding window stop the scan.
    pub fn make_stationary(&mut self, layer: &Layer) {
        for op in Operand::ALL {
            let ir = layer.irrelevant(op);
            let o = op_index(op);
            for cut in self.cuts[o].iter_mut() {
                while *cut < self.loops.len() && crate::problem::contains(ir, self.loops[*cut].dim) {
                    *cut += 1;
                }
            }
        }
    }

    /// The mapping as text: spatial unrolls, then per operand its levels and loops.
    pub fn describe(&self, arch: &Accelerator, layer: &Layer) -> String {
        use std::fmt::Write;
        let mut s = String::new();
        let array_dims: Vec<&String> = arch.array.dims.keys().collect();
        let spatial: Vec<String> = self
            .spatial
            .iter()
            .map(|u| format!("{}:{}{}", array_dims[u.array_dim], layer.dim_names[u.dim], fmt_num(u.factor.value())))
            .collect();
        let _ = write!(s, "spatial {}", if spatial.is_empty() { "-".to_string() } else { spatial.join(" ") });
        for op in [Operand::O, Operand::I, Operand::W] {
            let _ = write!(s, "; {op:?}");
            for (m, &mem) in self.levels(op).iter().enumerate() {
                let (a, b) = self.level_range(op, m);
                let loops: Vec<String> = self.loops[a..b]
                    .iter()
                    .map(|l| format!("{}{}", layer.dim_names[l.dim], fmt_num(l.size.value())))
                    .collect();
                let _ = write!(s, " {}[{}]", arch.memories[mem].name, loops.join(" "));
            }
        }
        s
    }
}

fn fmt_num(x: f64) -> String {
    if x.fract() == 0.0 { format!("{}", x as i64) } else { format!("{x:.2}") }
}
