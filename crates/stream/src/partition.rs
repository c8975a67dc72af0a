//! Partitioning a design that exceeds the chip into sequential dataflow regions
//! (docs/stream-model.md, "Partitioning").
//!
//! Regions run one after another, each on the whole fabric. Kernels are packed in topological
//! order, a region closing when the next kernel's minimum resources (one lane, its buffers,
//! the FIFOs of its inputs at their smallest depth) no longer fit: topological cuts keep every channel pointing forward, so a region only
//! reads what earlier regions wrote. A channel that crosses a cut becomes a DMA store in the
//! producer's region and a DMA load in the consumer's, moving the tensor through HBM (weights
//! already come from HBM through the design's own DMA loads). Switching costs
//! [`Budgets::region_switch_cycles`] per boundary on top of each region's own fill and drain.

use serde::Serialize;

use crate::allocate::{AllocError, allocate_resources};
use crate::analysis::analyze;
use crate::budget::Budgets;
use crate::design::{ChannelId, Design, DesignError, Kernel, KernelId, KernelKind, Resources, memory_blocks};
use crate::fifo::min_depth;

/// Cycles from a DMA request to its first data (HBM access latency, ≈ 330 ns at 300 MHz).
pub const DMA_LATENCY: u64 = 100;
/// Bytes one 512-bit AXI port moves per cycle.
pub const DMA_PORT_BYTES_PER_CYCLE: u64 = 64;
/// 512-bit AXI ports' worth of bandwidth one DMA engine may claim. The emitters wire an
/// engine to `⌈bandwidth / pseudo-channel rate⌉` ports, each on its own HBM pseudo channel
/// with the tensor interleaved across them: one pseudo channel delivers 14.375 GB/s on the
/// U55C, less than one port at 300 MHz, so 512 bytes per cycle take 11 of them
/// (`dnnc_emit::hbm`). The sum over a region's engines is bounded by the board's HBM
/// bandwidth budget, not by this.
pub const DMA_MAX_PORTS: u64 = 8;
/// Bytes a DMA engine moves per cycle at most ([`DMA_MAX_PORTS`] ports).
pub const DMA_MAX_BYTES_PER_CYCLE: u64 = DMA_PORT_BYTES_PER_CYCLE * DMA_MAX_PORTS;

/// Sequential regions of a design.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Partition {
    /// The regions, in execution order; spill DMA kernels added at the cuts.
    pub regions: Vec<Design>,
    /// For each original kernel: its region and id there.
    pub placement: Vec<(usize, KernelId)>,
    /// Channels cut (original ids): their tensors go through HBM.
    pub cut_channels: Vec<ChannelId>,
    /// HBM bytes written and read back at the cuts.
    pub spill_bytes: u64,
}

/// Minimum resources of a kernel: its buffers and one lane (or its fixed lanes).
fn min_resources(k: &Kernel) -> Resources {
    k.base.add(&k.lane.scale(if k.work == 0 { k.parallelism.max(1) } else { 1 }))
}

/// A DMA kernel streaming `tokens` tokens of `width_bits` through HBM.
fn spill_dma(name: String, kind: KernelKind, tokens: u64, width_bits: u64) -> Kernel {
    let bytes_per_token = width_bits.div_ceil(8);
    let mut k = Kernel::new(name, kind, tokens, 1, DMA_LATENCY);
    k.work = bytes_per_token;
    k.max_parallelism = bytes_per_token.clamp(1, DMA_MAX_BYTES_PER_CYCLE);
    k.lane = Resources { hbm_bytes_per_cycle: 1.0, lut: 20, ..Resources::default() };
    k.base = Resources { lut: 2000, ..Resources::default() };
    k.hbm_bytes = tokens * bytes_per_token;
    k.set_parallelism(k.max_parallelism);
    k
}

/// Splits `design` into regions that each fit `budgets` at minimum parallelism. A design that
/// fits is returned as one region. Fails when a single kernel alone does not fit.
pub fn partition(design: &Design, budgets: &Budgets) -> Result<Partition, AllocError> {
    design.validate()?;
    let order = design.topo_order()?;
    let mut region_of = vec![0usize; design.kernels.len()];
    let mut used = Resources::default();
    let mut region = 0usize;
    let mut in_region = 0usize;
    let (ins, _) = design.ports();
    for &k in &order {
        // The kernel, and the FIFOs of its inputs at their smallest depth.
        let fifos = ins[k.index()].iter().fold(Resources::default(), |acc, &c| {
            let ch = design.channel(c);
            let bytes = (min_depth(ch.width_bits) * ch.width_bits).div_ceil(8);
            acc.add(&memory_blocks(bytes))
        });
        let need = min_resources(design.kernel(k)).add(&fifos);
        if let Some(excess) = budgets.first_excess(&need) {
            return Err(AllocError::DoesNotFit {
                design: format!("{} (kernel '{}')", design.name, design.kernel(k).name),
                excess,
            });
        }
        let with = used.add(&need);
        // Spill DMA engines at the cut are small (LUTs, bandwidth); they are checked by the
        // allocation of each region.
        if in_region > 0 && !budgets.fits(&with) {
            region += 1;
            used = need;
            in_region = 1;
        } else {
            used = with;
            in_region += 1;
        }
        region_of[k.index()] = region;
    }
    split(design, &region_of).map_err(AllocError::from)
}

/// Splits `design` into regions by a given assignment (`region_of[k]` for every kernel, regions
/// numbered from 0 and never decreasing along a channel): channels inside a region are kept
/// (depth and lead), channels between regions become a spill store and a spill load.
pub fn split(design: &Design, region_of: &[usize]) -> Result<Partition, DesignError> {
    let count = region_of.iter().copied().max().map_or(1, |m| m + 1);
    for ch in &design.channels {
        if region_of[ch.producer.index()] > region_of[ch.consumer.index()] {
            return Err(DesignError::Channel {
                design: design.name.clone(),
                channel: ch.name.clone(),
                message: "points from a later region back to an earlier one".into(),
            });
        }
    }
    let mut regions: Vec<Design> = (0..count)
        .map(|r| Design::new(if count == 1 { design.name.clone() } else { format!("{}.region{r}", design.name) }))
        .collect();
    let mut placement = vec![(0usize, KernelId(0)); design.kernels.len()];
    for k in design.kernel_ids() {
        let r = region_of[k.index()];
        placement[k.index()] = (r, regions[r].add_kernel(design.kernel(k).clone()));
    }
    let mut cut_channels = Vec::new();
    let mut spill_bytes = 0u64;
    for c in design.channel_ids() {
        let ch = design.channel(c);
        let (ru, u) = placement[ch.producer.index()];
        let (rv, v) = placement[ch.consumer.index()];
        if ru == rv {
            let id = regions[ru].connect(ch.name.clone(), u, v, ch.width_bits, ch.tokens);
            let new = regions[ru].channel_mut(id);
            new.depth = ch.depth;
            new.lead = ch.lead;
            continue;
        }
        cut_channels.push(c);
        spill_bytes += 2 * ch.tensor_bytes();
        let store = regions[ru].add_kernel(spill_dma(
            format!("spill_store.{}", ch.name),
            KernelKind::DmaStore,
            ch.tokens,
            ch.width_bits,
        ));
        regions[ru].connect(ch.name.clone(), u, store, ch.width_bits, ch.tokens);
        let load = regions[rv].add_kernel(spill_dma(
            format!("spill_load.{}", ch.name),
            KernelKind::DmaLoad,
            ch.tokens,
            ch.width_bits,
        ));
        let id = regions[rv].connect(ch.name.clone(), load, v, ch.width_bits, ch.tokens);
        regions[rv].channel_mut(id).lead = ch.lead;
    }
    // Regions left empty (a phase made only of moved sources) are dropped.
    let mut renumber = vec![usize::MAX; count];
    let mut kept = Vec::new();
    for (r, d) in regions.into_iter().enumerate() {
        if !d.kernels.is_empty() {
            renumber[r] = kept.len();
            kept.push(d);
        }
    }
    for p in &mut placement {
        p.0 = renumber[p.0];
    }
    Ok(Partition { regions: kept, placement, cut_channels, spill_bytes })
}

/// Whether channel `c` is a barrier: the consumer's first firing needs the producer's last
/// (a dependency through memory, or a block that is the whole tensor), so the two never run
/// at the same time. Producers of one firing and DMA loads (sources that can go anywhere) are
/// not barriers.
pub fn is_barrier(design: &Design, c: ChannelId) -> bool {
    let ch = design.channel(c);
    let u = design.kernel(ch.producer);
    if u.firings <= 1 || u.kind == KernelKind::DmaLoad {
        return false;
    }
    let need = design.popped_after(c, 0);
    crate::design::mul_div_ceil(need, u.firings, ch.tokens) >= u.firings
}

/// Phases of a design: the number of barriers on the longest path to each kernel. DMA loads
/// take the earliest phase of their consumers.
pub fn phases(design: &Design) -> Result<Vec<usize>, DesignError> {
    let order = design.topo_order()?;
    let (ins, outs) = design.ports();
    let mut phase = vec![0usize; design.kernels.len()];
    for &k in &order {
        for &c in &ins[k.index()] {
            let u = design.channel(c).producer.index();
            phase[k.index()] = phase[k.index()].max(phase[u] + usize::from(is_barrier(design, c)));
        }
    }
    for k in design.kernel_ids() {
        if design.kernel(k).kind == KernelKind::DmaLoad
            && ins[k.index()].is_empty()
            && let Some(p) = outs[k.index()].iter().map(|&c| phase[design.channel(c).consumer.index()]).min()
        {
            phase[k.index()] = p;
        }
    }
    Ok(phase)
}

/// Splits a design at its barriers ([`phases`]): kernels separated by a barrier never run at
/// the same time, so giving each phase the whole fabric in its own region loses nothing but
/// the spills and a switch. A phase that does not fit is partitioned further ([`partition`]).
pub fn split_at_barriers(design: &Design, budgets: &Budgets) -> Result<Partition, AllocError> {
    design.validate()?;
    let phase = phases(design)?;
    let by_phase = split(design, &phase)?;
    let mut regions = Vec::new();
    let mut offset = Vec::new();
    let mut subs = Vec::new();
    let mut spill_bytes = by_phase.spill_bytes;
    for r in &by_phase.regions {
        let sub = partition(r, budgets)?;
        offset.push(regions.len());
        spill_bytes += sub.spill_bytes;
        regions.extend(sub.regions.iter().cloned());
        subs.push(sub);
    }
    let placement = by_phase
        .placement
        .iter()
        .map(|&(r, k)| {
            let (sr, sk) = subs[r].placement[k.index()];
            (offset[r] + sr, sk)
        })
        .collect();
    // Cut channels are those of the phase split; further cuts inside a phase are its spills.
    Ok(Partition { regions, placement, cut_channels: by_phase.cut_channels, spill_bytes })
}

/// Latency of running the regions one after another, cycles: each region's analytic latency
/// plus one switch per boundary.
pub fn sequential_latency(regions: &[Design], budgets: &Budgets) -> Result<f64, DesignError> {
    let mut total = 0.0;
    for r in regions {
        total += analyze(r)?.latency_cycles;
    }
    Ok(total + regions.len().saturating_sub(1) as f64 * budgets.region_switch_cycles as f64)
}

/// Partitions, then allocates each region on the full budgets (regions run one at a time).
pub fn partition_and_allocate(design: &Design, budgets: &Budgets) -> Result<Partition, AllocError> {
    let mut part = partition(design, budgets)?;
    for r in &mut part.regions {
        allocate_resources(r, budgets)?;
    }
    Ok(part)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn budgets() -> Budgets {
        Budgets {
            dsp: 100,
            bram36: 10,
            uram: 0,
            lut: 1_000_000,
            hbm_bytes_per_cycle: 256.0,
            hbm_channel_bytes_per_cycle: 0.0,
            clock_mhz: 300.0,
            dsp_per_mac: 1.0,
            region_switch_cycles: 1000,
        }
    }

    /// Four stages of 4 BRAMs each on a 10-BRAM chip: regions {0,1}, {2,3}, one cut channel
    /// replaced by a store/load pair.
    #[test]
    fn splits_at_the_budget_and_spills_the_cut() {
        let mut d = Design::new("net");
        let mut ids = Vec::new();
        for i in 0..4 {
            let mut k = Kernel::new(format!("k{i}"), KernelKind::Compute, 32, 1, 5);
            k.base.bram36 = 4;
            ids.push(d.add_kernel(k));
        }
        for i in 0..3 {
            d.connect(format!("c{i}"), ids[i], ids[i + 1], 128, 32);
        }
        let part = partition(&d, &budgets()).unwrap();
        assert_eq!(part.regions.len(), 2);
        assert_eq!(part.cut_channels, vec![ChannelId(1)]);
        assert_eq!(part.spill_bytes, 2 * 32 * 16);
        let r0 = &part.regions[0];
        assert_eq!(r0.kernels.len(), 3);
        assert_eq!(r0.kernels[2].kind, KernelKind::DmaStore);
        assert_eq!(part.regions[1].kernels[2].kind, KernelKind::DmaLoad);
        for r in &part.regions {
            r.validate().unwrap();
        }
        let total = sequential_latency(&part.regions, &budgets()).unwrap();
        let sum: f64 = part.regions.iter().map(|r| analyze(r).unwrap().latency_cycles).sum();
        assert_eq!(total, sum + 1000.0);
    }

    /// Two 4-BRAM stages fit a 10-BRAM chip, but not with the 3 BRAMs of the wide FIFO between
    /// them (one 12 KiB tile).
    #[test]
    fn fifo_memory_counts_towards_the_fit() {
        let mut d = Design::new("wide");
        let mut ids = Vec::new();
        for i in 0..2 {
            let mut k = Kernel::new(format!("k{i}"), KernelKind::Compute, 4, 1, 5);
            k.base.bram36 = 4;
            ids.push(d.add_kernel(k));
        }
        d.connect("x", ids[0], ids[1], 12 * 1024 * 8, 4);
        assert_eq!(partition(&d, &budgets()).unwrap().regions.len(), 2);
        d.channels[0].width_bits = 8 * 1024 * 8;
        assert_eq!(partition(&d, &budgets()).unwrap().regions.len(), 1);
    }

    /// load → a → (memory dependency) → b → store: a barrier splits it into two regions, the
    /// DMA load of b's weights moving with b.
    #[test]
    fn barriers_split_into_phases() {
        let mut d = Design::new("phases");
        let x = d.add_kernel(Kernel::new("x", KernelKind::DmaLoad, 16, 1, 1));
        let a = d.add_kernel(Kernel::new("a", KernelKind::Compute, 16, 1, 1));
        let st = d.add_kernel(Kernel::new("st", KernelKind::DmaStore, 16, 1, 1));
        let ld = d.add_kernel(Kernel::new("ld", KernelKind::DmaLoad, 16, 1, 1));
        let w = d.add_kernel(Kernel::new("w", KernelKind::DmaLoad, 16, 1, 1));
        let b = d.add_kernel(Kernel::new("b", KernelKind::Compute, 16, 1, 1));
        d.connect("x", x, a, 8, 16);
        d.connect("a", a, st, 8, 16);
        d.connect("st=>ld", st, ld, 1, 1);
        d.connect("t", ld, b, 8, 16);
        d.connect("w", w, b, 8, 16);
        assert!(is_barrier(&d, ChannelId(2)));
        assert!(!is_barrier(&d, ChannelId(1)));
        assert_eq!(phases(&d).unwrap(), vec![0, 0, 0, 1, 1, 1]);
        let part = split_at_barriers(&d, &budgets()).unwrap();
        assert_eq!(part.regions.len(), 2);
        assert_eq!(part.cut_channels, vec![ChannelId(2)]);
        assert_eq!(part.placement[4], (1, KernelId(1)));
        for r in &part.regions {
            r.validate().unwrap();
        }
        // A channel pointing backwards is refused.
        assert!(split(&d, &[1, 0, 0, 0, 0, 0]).is_err());
    }

    #[test]
    fn a_design_that_fits_stays_whole() {
        let mut d = Design::new("small");
        let a = d.add_kernel(Kernel::new("a", KernelKind::DmaLoad, 8, 1, 1));
        let b = d.add_kernel(Kernel::new("b", KernelKind::DmaStore, 8, 1, 1));
        d.connect("x", a, b, 8, 8);
        let part = partition(&d, &budgets()).unwrap();
        assert_eq!(part.regions, vec![d]);
    }

    #[test]
    fn one_kernel_too_big_is_an_error() {
        let mut d = Design::new("huge");
        let mut k = Kernel::new("w", KernelKind::Compute, 1, 1, 1);
        k.base.bram36 = 11;
        d.add_kernel(k);
        let err = partition(&d, &budgets()).unwrap_err().to_string();
        assert!(err.contains("kernel 'w'") && err.contains("BRAM36"), "{err}");
    }
}
