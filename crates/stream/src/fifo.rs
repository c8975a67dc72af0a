//! FIFO depths by linear programming: no deadlock and no stall on reconvergent paths, minimum
//! on-chip bytes (derivation in docs/stream-model.md, "FIFO sizing").
//!
//! Variables: the start `S_k` of every kernel's paced firing sequence (firing `n` at
//! `S_k + n·pace_k`) and a depth `z_e` per channel. Constraints per channel `e = (u, v)`:
//! `S_v − S_u ≥ lag_e` (every consumer firing finds its tokens visible), and
//! `z_e ≥ min_depth(width_e)`, `z_e ≥ (S_v − S_u)·r_e + p_u − c_v − lead_e − pipe_e − 1`, the occupancy bound: with
//! `r_e = T_e / P` tokens per cycle, `p_u`/`c_v` tokens per producer/consumer firing and
//! `pipe_e` the tokens the producer's pipeline holds, the tokens between reservation and pop
//! stay strictly below `(S_v − S_u)·r_e + p_u − c_v − lead_e`. Every kernel finishes by the
//! analytic latency (`S_k + (F_k − 1)·pace_k + L_k ≤ latency`), so sizing never slows the
//! design. Objective: `Σ z_e · width_e / 8` bytes. The paced schedule is then feasible with the
//! rounded depths, and the as-soon-as-possible execution the simulator performs finishes no
//! later than any feasible schedule (all constraints are `x ≥ y + delay`), so it neither
//! deadlocks nor runs slower than the model.

use good_lp::{Expression, ProblemVariables, Solution, SolverModel, Variable, constraint, microlp, variable};
use serde::Serialize;

use crate::analysis::{analyze, paces, period};
use crate::design::{Design, DesignError};

/// Smallest depth a FIFO of small tokens gets (Vitis HLS's default stream depth).
pub const MIN_DEPTH: u64 = 2;

/// Tokens wider than this (4 KiB tiles) may get a FIFO of depth 1: the producer's output tile
/// is already double-buffered in the kernel, so a second FIFO slot would only duplicate it.
pub const LARGE_TOKEN_BITS: u64 = 4096 * 8;

/// The smallest depth of a channel's FIFO: [`MIN_DEPTH`], or 1 for tokens wider than
/// [`LARGE_TOKEN_BITS`]. The LP's guarantee does not depend on it (it only needs the capacity
/// its bound asks for).
pub fn min_depth(width_bits: u64) -> u64 {
    if width_bits > LARGE_TOKEN_BITS { 1 } else { MIN_DEPTH }
}

/// The LP's answer.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FifoSizing {
    /// Depth per channel, by id (tokens).
    pub depths: Vec<u64>,
    /// The schedule the depths are sized for: start of each kernel, cycles.
    pub starts: Vec<f64>,
    /// On-chip FIFO bytes at these depths.
    pub bytes: u64,
    /// The analytic latency the schedule keeps, cycles.
    pub latency_cycles: f64,
}

/// Why sizing failed.
#[derive(Debug, thiserror::Error)]
pub enum FifoError {
    /// The design is malformed.
    #[error(transparent)]
    Design(#[from] DesignError),
    /// The solver failed (should not happen: the analytic schedule is always feasible).
    #[error("design '{design}': FIFO-sizing LP failed: {message}")]
    Solver { design: String, message: String },
}

/// Occupancy bound of channel `c` for a start separation `sep`: the capacity (depth + pipeline
/// tokens) must exceed `(sep·T/P) + p_u − c_v − lead`.
fn occupancy_bound(design: &Design, c: usize, p: f64, sep: f64) -> f64 {
    let ch = &design.channels[c];
    let t = ch.tokens as f64;
    let pu = t / design.kernel(ch.producer).firings as f64;
    let cv = t / design.kernel(ch.consumer).firings as f64;
    sep * t / p + pu - cv - ch.lead as f64
}

/// Integer depth that makes `capacity > bound`, i.e. `capacity ≥ ⌈bound⌉ − 1` (occupancies are
/// integers strictly below the bound), minus the producer's pipeline tokens; at least
/// [`min_depth`], at most the channel's token count.
fn depth_for(design: &Design, c: usize, bound: f64) -> u64 {
    let ch = &design.channels[c];
    let pipe = design.pipeline_tokens(crate::design::ChannelId(c as u32));
    // A tolerance for the LP's floating-point starts, relative to the bound.
    let eps = 1e-9 * bound.abs().max(1.0);
    let capacity = ((bound - eps).ceil() - 1.0).max(0.0) as u64;
    let floor = min_depth(ch.width_bits);
    capacity.saturating_sub(pipe).max(floor).min(ch.tokens.max(floor))
}

/// Depths for the design's own schedule with the given starts.
pub fn depths_for_starts(design: &Design, starts: &[f64]) -> Vec<u64> {
    let (p, _) = period(design);
    design
        .channels
        .iter()
        .enumerate()
        .map(|(c, ch)| {
            let sep = starts[ch.consumer.index()] - starts[ch.producer.index()];
            depth_for(design, c, occupancy_bound(design, c, p, sep))
        })
        .collect()
}

/// Sizes every FIFO of `design` (see the module docs). Deterministic.
pub fn size_fifos(design: &Design) -> Result<FifoSizing, FifoError> {
    let timing = analyze(design)?;
    let (p, _) = period(design);
    let pace = paces(design, p);
    let mut vars = ProblemVariables::new();
    let starts: Vec<Variable> = design.kernels.iter().map(|_| vars.add(variable().min(0.0))).collect();
    let depths: Vec<Variable> =
        design.channels.iter().map(|ch| vars.add(variable().min(min_depth(ch.width_bits) as f64))).collect();
    let mut objective = Expression::default();
    for (c, ch) in design.channels.iter().enumerate() {
        objective += depths[c] * (ch.width_bits as f64 / 8.0);
    }
    // A tiny pull towards early starts keeps the schedule canonical among equal-byte optima.
    let tiny = 1e-7;
    for &s in &starts {
        objective += s * tiny;
    }
    let mut model = vars.minimise(objective).using(microlp);
    // Slack so the analytic latency, computed in floating point, stays feasible.
    let horizon = timing.latency_cycles * (1.0 + 1e-9) + 1e-6;
    for (k, kern) in design.kernels.iter().enumerate() {
        let tail = (kern.firings - 1) as f64 * pace[k] + kern.delay() as f64;
        model = model.with(constraint!(starts[k] <= horizon - tail));
    }
    for (c, ch) in design.channels.iter().enumerate() {
        let (u, v) = (starts[ch.producer.index()], starts[ch.consumer.index()]);
        model = model.with(constraint!(v - u >= timing.lags[c]));
        let t = ch.tokens as f64;
        let rate = t / p;
        let constant = occupancy_bound(design, c, p, 0.0);
        let pipe = design.pipeline_tokens(crate::design::ChannelId(c as u32)) as f64;
        model = model.with(constraint!(depths[c] - rate * v + rate * u >= constant - pipe - 1.0));
    }
    let solution =
        model.solve().map_err(|e| FifoError::Solver { design: design.name.clone(), message: e.to_string() })?;
    let mut s: Vec<f64> = starts.iter().map(|&v| solution.value(v)).collect();
    // Restore the lag constraints exactly where the solver left round-off: push starts later in
    // topological order (never earlier than the solver's values).
    let order = design.topo_order()?;
    let (ins, _) = design.ports();
    for &k in &order {
        for &c in &ins[k.index()] {
            let u = design.channel(c).producer.index();
            let need = s[u] + timing.lags[c.index()];
            if s[k.index()] < need {
                s[k.index()] = need;
            }
        }
    }
    let depths = depths_for_starts(design, &s);
    let bytes = design.channels.iter().zip(&depths).map(|(ch, &d)| (d * ch.width_bits).div_ceil(8)).sum();
    Ok(FifoSizing { depths, starts: s, bytes, latency_cycles: timing.latency_cycles })
}

/// Sizes the FIFOs and writes the depths into the design.
pub fn apply_fifo_sizing(design: &mut Design) -> Result<FifoSizing, FifoError> {
    let sizing = size_fifos(design)?;
    for (ch, &d) in design.channels.iter_mut().zip(&sizing.depths) {
        ch.depth = d;
    }
    Ok(sizing)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::design::{Kernel, KernelKind};

    /// A chain whose stages all run at one token per cycle needs only the minimum depth.
    #[test]
    fn balanced_chain_needs_minimum_depths() {
        let mut d = Design::new("chain");
        let a = d.add_kernel(Kernel::new("a", KernelKind::DmaLoad, 64, 1, 3));
        let b = d.add_kernel(Kernel::new("b", KernelKind::Compute, 64, 1, 7));
        let c = d.add_kernel(Kernel::new("c", KernelKind::DmaStore, 64, 1, 1));
        d.connect("x", a, b, 32, 64);
        d.connect("y", b, c, 32, 64);
        let s = size_fifos(&d).unwrap();
        assert_eq!(s.depths, vec![MIN_DEPTH, MIN_DEPTH]);
        assert_eq!(s.starts, vec![0.0, 3.0, 10.0]);
    }

    /// Fork → (short: one stage) and (long: a converter that buffers 16 tokens) → join, all at
    /// one token per cycle, latency 1. Hand solution: lags fork→short 1, fork→conv 1 + 16 = 17,
    /// short→join 1, conv→join 1, so the join starts at 18. The short path must hold the
    /// difference: a channel's capacity (depth + 1 pipeline token) must reach
    /// `⌈sep + 1 − 1⌉ − 1 = sep − 1` tokens. The wide f_s at its minimum depth 2 (capacity 3)
    /// allows a separation of up to 4, so the short stage starts at 4 and the narrow s_j holds
    /// the rest: separation 14, capacity 13, depth 12.
    #[test]
    fn reconvergent_short_path_buffers_the_long_paths_delay() {
        let mut d = Design::new("fork-join");
        let f = d.add_kernel(Kernel::new("fork", KernelKind::Fork, 64, 1, 1));
        let s = d.add_kernel(Kernel::new("short", KernelKind::Compute, 64, 1, 1));
        let cv = d.add_kernel(Kernel::new("conv", KernelKind::Converter, 64, 1, 1));
        let j = d.add_kernel(Kernel::new("join", KernelKind::Compute, 64, 1, 1));
        d.connect("f_s", f, s, 64, 64);
        let fc = d.connect("f_c", f, cv, 64, 64);
        d.connect("s_j", s, j, 32, 64);
        d.connect("c_j", cv, j, 64, 64);
        d.channel_mut(fc).lead = 16;
        let sz = size_fifos(&d).unwrap();
        assert_eq!(sz.starts[3], 18.0);
        assert_eq!(sz.starts[1], 4.0);
        assert_eq!(sz.depths, vec![MIN_DEPTH, MIN_DEPTH, 12, MIN_DEPTH]);
    }

    /// Rate changes: a producer of 4 tokens per firing every 4 cycles feeding a consumer of one
    /// token per cycle. Latency 0 reads as 1: the consumer starts at 1; the bound is
    /// `1·64/64 + 4 − 1 = 4`, capacity 3, and the producer's pipeline already holds one firing
    /// (4 tokens), so the minimum depth suffices.
    /// Wide tokens (whole-row tiles) get a single slot when the bound allows it.
    #[test]
    fn large_tokens_get_depth_one() {
        let mut d = Design::new("wide");
        let a = d.add_kernel(Kernel::new("a", KernelKind::Compute, 8, 100, 10));
        let b = d.add_kernel(Kernel::new("b", KernelKind::Compute, 8, 100, 10));
        d.connect("x", a, b, LARGE_TOKEN_BITS + 8, 8);
        d.connect("y", a, b, LARGE_TOKEN_BITS, 8);
        assert_eq!(size_fifos(&d).unwrap().depths, vec![1, MIN_DEPTH]);
    }

    #[test]
    fn burst_producer_is_covered_by_its_pipeline() {
        let mut d = Design::new("burst");
        let a = d.add_kernel(Kernel::new("a", KernelKind::DmaLoad, 16, 4, 0));
        let b = d.add_kernel(Kernel::new("b", KernelKind::DmaStore, 64, 1, 0));
        d.connect("x", a, b, 8, 64);
        let sz = size_fifos(&d).unwrap();
        assert_eq!(sz.starts, vec![0.0, 1.0]);
        assert_eq!(d.pipeline_tokens(crate::design::ChannelId(0)), 4);
        assert_eq!(sz.depths, vec![MIN_DEPTH]);
    }
}
