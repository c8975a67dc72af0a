//! Placing external tensors on HBM pseudo channels (docs/kernels.md, "HBM placement").
//!
//! Every DMA engine streams its tensor over AXI ports, each wired to one HBM pseudo channel
//! (the bundle the HLS emitter names `hbm<c>`, the `sp=` a v++ link maps to `HBM[c]`). A pseudo
//! channel sustains a fixed bandwidth (92 % of 14.375 GB/s on the U55C: 44.1 bytes per 300 MHz
//! cycle, less than a 512-bit port's 64), so an engine needs `⌈bytes_per_cycle / channel rate⌉` of
//! them, and engines that run at the same time must not pile more than a channel's rate on
//! one channel: the stream model gives each engine its bandwidth assuming exactly that.
//!
//! A tensor's ports lie on channels of their own ([`HbmPlan::channels_of`]), shared by every
//! engine that touches it (a spill's store and its loads). The placement is greedy, heaviest
//! tensor first: each port takes the channel that stays within its bandwidth, then adds the
//! least to the channels' peaks, then is the fullest in the tensor's own regions, then holds the
//! fewest tensors. Which engines run at the same time follows the function's `regions` mode:
//! one region at a time (resident, time-shared), or every distinct design at once on its own
//! request (pipelined: a channel carries, for each
//! design, the most any of that design's regions puts on it).

use std::collections::HashMap;

use dnnc_dataflow::RegionMode;
use dnnc_ir::{Attribute, Context, OpId};

use crate::kernels::{BEAT_BYTES, NodeKind, Striping, Tensor, Topology, beat_elems, kept_in_ir};

/// Pseudo channels one DMA engine may stripe its tensor over.
pub const MAX_DMA_PORTS: u32 = 16;

/// Kernel interfaces (`m_axi` bundles of distinct kernels) v++ connects to one memory bank at
/// most (UG1393, "Mapping Kernel Ports to Memory": up to 15).
pub const MAX_INTERFACES_PER_CHANNEL: usize = 15;

/// Where a design's external tensors lie in HBM, and how loaded its channels are.
#[derive(Clone, Debug, PartialEq)]
pub struct HbmPlan {
    /// By tensor name: how it is striped over its ports (tensors in HBM that a DMA engine or a
    /// kernel touches; constants whose values the IR keeps are arrays of the C++, not here).
    pub striping: HashMap<String, Striping>,
    /// By tensor name: the pseudo channel of each port.
    pub tensor_channels: HashMap<String, Vec<u32>>,
    /// What one port moves per kernel cycle at most: the smaller of a 512-bit beat and one
    /// pseudo channel's bandwidth.
    pub port_bytes_per_cycle: f64,
    /// Per channel: the most its engines move per cycle at any one time (bytes per cycle,
    /// from the engines' allocated bandwidth).
    pub peak_load: Vec<f64>,
}

impl HbmPlan {
    /// The pseudo channels of `tensor`, one per port (empty when it is not in HBM).
    pub fn channels_of(&self, tensor: &str) -> Vec<u32> {
        self.tensor_channels.get(tensor).cloned().unwrap_or_default()
    }

    /// The busiest channel and its peak load relative to what it can deliver (> 1: engines
    /// meant to run at the same time ask it for more than it has).
    pub fn busiest(&self) -> Option<(u32, f64)> {
        let rate = self.port_bytes_per_cycle.max(f64::MIN_POSITIVE);
        self.peak_load
            .iter()
            .enumerate()
            .max_by(|a, b| a.1.total_cmp(b.1).then(b.0.cmp(&a.0)))
            .map(|(c, &l)| (c as u32, l / rate))
    }
}

/// What one AXI port of a DMA engine moves per cycle on a board: a 512-bit beat, or less when
/// one pseudo channel sustains less (its peak times the board's HBM efficiency).
pub fn port_bytes_per_cycle(board: &dnnc_arch::fpga::FpgaBoard) -> f64 {
    (board.hbm_bytes_per_cycle_per_channel() * board.hbm_efficiency).min(BEAT_BYTES as f64)
}

/// An engine's allocated bandwidth, bytes per cycle (`None` before `allocate-resources`).
fn engine_bytes_per_cycle(cx: &Context, op: OpId) -> Option<f64> {
    cx.attr(op, "bytes_per_cycle").and_then(Attribute::as_int).filter(|&b| b > 0).map(|b| b as f64)
}

/// One DMA engine as the placement sees it.
struct Engine {
    tensor: usize,
    region: usize,
    bytes_per_cycle: f64,
}

impl Topology {
    /// Places every tensor in HBM that a DMA engine or a kernel touches on the board's pseudo
    /// channels (module docs). A DMA's `hbm_channel` attribute pins its tensor's first port
    /// there, the others on the channels after it. Each region's distinct design is a kernel of
    /// the emitted C++ (`Topology::region_classes`, which the HLS emits one to one).
    pub fn hbm_plan<'a>(&'a self, cx: &Context, board: &dnnc_arch::fpga::FpgaBoard) -> HbmPlan {
        let channels = board.hbm_channels.max(1);
        let port = port_bytes_per_cycle(board);
        let mut placed: Vec<&'_ Tensor> = Vec::new();
        let mut index: HashMap<String, usize> = HashMap::new();
        let mut pinned: Vec<Option<u32>> = Vec::new();
        let mut engines: Vec<Engine> = Vec::new();
        let mut touch = |t: &'a Tensor, region: usize, bytes_per_cycle: f64, pin: Option<u32>| {
            let ti = *index.entry(t.name.clone()).or_insert_with(|| {
                placed.push(t);
                pinned.push(None);
                placed.len() - 1
            });
            pinned[ti] = pinned[ti].or(pin);
            engines.push(Engine { tensor: ti, region, bytes_per_cycle });
        };
        for (i, n) in self.nodes.iter().enumerate() {
            match n.kind {
                NodeKind::DmaLoad | NodeKind::DmaStore => {
                    let Some(t) = self.dma_tensor(cx, i).filter(|t| !kept_in_ir(cx, t)) else { continue };
                    let pin =
                        cx.attr(n.op, "hbm_channel").and_then(Attribute::as_int).filter(|&c| c >= 0).map(|c| c as u32);
                    touch(t, n.region, engine_bytes_per_cycle(cx, n.op).unwrap_or(0.0), pin);
                }
                // A kernel reading or writing a tensor whole does so through a memory port of its
                // own: an interface on the tensor's channels, whose bandwidth (which the stream
                // model gives a synthetic engine) is not placed here.
                NodeKind::Kernel => {
                    let inputs =
                        cx.operands(n.op).iter().enumerate().filter(|&(k, _)| self.input_channel(i, k).is_none());
                    let outputs = cx.results(n.op).enumerate().filter(|&(k, _)| self.output_channel(i, k).is_none());
                    for (_, v) in inputs.map(|(k, &v)| (k, v)).chain(outputs) {
                        if let Some(t) = self.tensor(cx, v).filter(|t| !kept_in_ir(cx, t)) {
                            touch(t, n.region, 0.0, None);
                        }
                    }
                }
                _ => {}
            }
        }
        // With several regions each design is a kernel whose memory arguments are wired to
        // fixed channels, and the host passes it each region's tensors in turn: the tensors at
        // one argument position of a design's regions share their channels and their ports (and
        // so does a tensor that is an argument of two designs, a spill between them). One group
        // is placed as one.
        let slots = Slots::of(cx, self);
        let load = Load::new(cx, self, slots.as_ref(), channels);
        let group = match &slots {
            Some(slots) => slots.groups(&index),
            None => (0..placed.len()).collect(),
        };
        // Engines on one group's channels at the same time (a weight two stages read) share
        // them: the group takes as many ports as their sum needs, one per channel.
        let groups = group.iter().copied().max().map_or(0, |g| g + 1);
        let mut demand = vec![vec![0.0; load.by_region.len()]; groups];
        let mut group_pin = vec![None; groups];
        for e in &engines {
            demand[group[e.tensor]][e.region] += e.bytes_per_cycle;
        }
        for (ti, &g) in group.iter().enumerate() {
            group_pin[g] = group_pin[g].or(pinned[ti]);
        }
        let group_ports: Vec<u32> = demand
            .iter()
            .map(|d| {
                ((load.concurrent(|r| d[r]) / port - 1e-9).ceil().max(1.0) as u32).min(MAX_DMA_PORTS).min(channels)
            })
            .collect();
        for e in &mut engines {
            e.tensor = group[e.tensor];
        }
        let (group_channels, peak_load) = place(&engines, &group_ports, &group_pin, load, channels, port);
        let mut striping = HashMap::new();
        let mut tensor_channels = HashMap::new();
        for (ti, t) in placed.iter().enumerate() {
            let beat = beat_elems(cx.type_data(t.elem).scalar_bits().unwrap_or(8));
            let row_beats = (t.shape.last().copied().unwrap_or(1).max(1) + beat - 1) / beat;
            let ports = group_ports[group[ti]];
            let p = ports as i64;
            let rotate = (row_beats + p - 1) / p * p;
            striping.insert(t.name.clone(), Striping { ports, rotate });
            tensor_channels.insert(t.name.clone(), group_channels[group[ti]].clone());
        }
        HbmPlan { striping, tensor_channels, port_bytes_per_cycle: port, peak_load }
    }
}

/// The argument slots of a partitioned design's kernels: each region's distinct design, and
/// the external tensors each region passes, in argument order.
struct Slots {
    /// Per region: its kernel, its distinct design (`Topology::region_classes`).
    class_of: Vec<usize>,
    /// Per region: [`Topology::region_tensors`].
    tensors: Vec<Vec<String>>,
}

impl Slots {
    /// The slots of a design of several regions, each with a stream model; else `None`.
    fn of(cx: &Context, topo: &Topology) -> Option<Slots> {
        if topo.regions.len() < 2 {
            return None;
        }
        let class_of = topo.region_classes(cx)?;
        let tensors = (0..topo.regions.len()).map(|ri| topo.region_tensors(cx, ri)).collect();
        Some(Slots { class_of, tensors })
    }

    /// For each placed tensor (`index`: name → position), its group: the tensors at one
    /// argument position of the regions of one design (regions whose lists have the same
    /// length, as one kernel's do), closed over tensors in several such positions
    /// (union-find), numbered densely in first-seen order.
    fn groups(&self, index: &HashMap<String, usize>) -> Vec<usize> {
        let mut parent: Vec<usize> = (0..index.len()).collect();
        fn root(parent: &mut [usize], mut x: usize) -> usize {
            while parent[x] != x {
                parent[x] = parent[parent[x]];
                x = parent[x];
            }
            x
        }
        for (r, list) in self.tensors.iter().enumerate() {
            let Some(first) = self.class_of.iter().position(|&c| c == self.class_of[r]) else { continue };
            if self.tensors[first].len() != list.len() {
                continue;
            }
            for (name, other) in list.iter().zip(&self.tensors[first]) {
                let (Some(&a), Some(&b)) = (index.get(name), index.get(other)) else { continue };
                let (ra, rb) = (root(&mut parent, a), root(&mut parent, b));
                parent[ra.max(rb)] = ra.min(rb);
            }
        }
        let mut dense: HashMap<usize, usize> = HashMap::new();
        (0..index.len())
            .map(|t| {
                let r = root(&mut parent, t);
                let n = dense.len();
                *dense.entry(r).or_insert(n)
            })
            .collect()
    }
}

/// Per region and channel, what the engines placed so far move per cycle; and which regions
/// run at the same time.
struct Load {
    /// `[region][channel]`, bytes per cycle.
    by_region: Vec<Vec<f64>>,
    /// Pipelined: each region's distinct design (designs run at the same time, a design's
    /// regions one after another). `None`: one region at a time.
    design_of: Option<Vec<usize>>,
    /// Each region's kernel (its distinct design; all 0 for a design of one region, or when
    /// each kernel is a bitstream of its own): a channel holds one interface per kernel with a
    /// port on it.
    kernel_of: Vec<usize>,
}

impl Load {
    fn new(cx: &Context, topo: &Topology, slots: Option<&Slots>, channels: u32) -> Load {
        let regions = topo.regions.len().max(1);
        let design_of = slots
            .filter(|_| RegionMode::of_function(cx, topo.func) == RegionMode::Pipelined)
            .map(|s| s.class_of.clone());
        // Time-shared, each kernel is a bitstream of its own: no two share a channel's interfaces.
        let time_shared = RegionMode::of_function(cx, topo.func) == RegionMode::TimeShared;
        let kernel_of = match slots {
            Some(s) if !time_shared => s.class_of.clone(),
            _ => vec![0; regions],
        };
        Load { by_region: vec![vec![0.0; channels as usize]; regions], design_of, kernel_of }
    }

    /// The most channel `c` carries at any one time.
    fn peak(&self, c: usize) -> f64 {
        self.concurrent(|r| self.by_region[r][c])
    }

    /// The most of a per-region quantity that is in use at any one time: the largest region's
    /// (one region at a time), or the sum over designs of each design's largest region's.
    fn concurrent(&self, of_region: impl Fn(usize) -> f64) -> f64 {
        match &self.design_of {
            None => (0..self.by_region.len()).map(of_region).fold(0.0, f64::max),
            Some(design_of) => {
                let mut most: Vec<f64> = Vec::new();
                for (r, &d) in design_of.iter().enumerate() {
                    if most.len() <= d {
                        most.resize(d + 1, 0.0);
                    }
                    most[d] = most[d].max(of_region(r));
                }
                most.iter().sum()
            }
        }
    }
}

/// How good a channel is for the next tensor's port, as a key that sorts the best first:
/// one that the port's kernels can still be wired to (at most [`MAX_INTERFACES_PER_CHANNEL`]
/// kernels a channel), then within capacity (else the least over it), then the least added peak (nothing where the
/// tensor's engines run while the channel's other engines are idle: regions one after another,
/// or regions of one design), then the fullest in the tensor's own regions (best fit keeps
/// empty channels for wide stripes), then the least crowded. Loads count in thousandths of a
/// byte per cycle, so float sums that differ in their last digits tie, and the order is total.
fn score(too_many: bool, over: Option<f64>, added: f64, own: f64, crowded: u32) -> (bool, bool, i64, i64, i64, u32) {
    let milli = |x: f64| (x * 1000.0).round() as i64;
    (too_many, over.is_some(), over.map_or(0, milli), milli(added), -milli(own), crowded)
}

/// The greedy placement: each tensor's channels, one per port, and every channel's peak load.
/// A channel moves `capacity` bytes per cycle.
fn place(
    engines: &[Engine],
    ports: &[u32],
    pinned: &[Option<u32>],
    mut load: Load,
    channels: u32,
    capacity: f64,
) -> (Vec<Vec<u32>>, Vec<f64>) {
    let n = ports.len();
    // Heaviest first (its busiest engine), the widest stripes first among equals.
    let weight = |t: usize| engines.iter().filter(|e| e.tensor == t).map(|e| e.bytes_per_cycle).fold(0.0, f64::max);
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| {
        pinned[b]
            .is_some()
            .cmp(&pinned[a].is_some())
            .then(weight(b).total_cmp(&weight(a)))
            .then(ports[b].cmp(&ports[a]))
            .then(a.cmp(&b))
    });
    let mut placed = vec![Vec::new(); n];
    let mut crowd = vec![0u32; channels as usize];
    // Per channel: the kernels with a port on it.
    let mut wired: Vec<std::collections::BTreeSet<usize>> = vec![Default::default(); channels as usize];
    for t in order {
        let mine: Vec<&Engine> = engines.iter().filter(|e| e.tensor == t).collect();
        let mut regions: Vec<usize> = mine.iter().map(|e| e.region).collect();
        regions.sort_unstable();
        regions.dedup();
        let share = f64::from(ports[t]);
        let kernels: std::collections::BTreeSet<usize> = regions.iter().map(|&r| load.kernel_of[r]).collect();
        let add = |load: &mut Load, c: usize, sign: f64| {
            for e in &mine {
                load.by_region[e.region][c] += sign * e.bytes_per_cycle / share;
            }
        };
        let chosen: Vec<u32> = match pinned[t] {
            // A pin names the first channel; the ports follow it.
            Some(c) => (0..ports[t]).map(|k| (c + k) % channels).collect(),
            None => {
                let mut scored: Vec<_> = (0..channels)
                    .map(|c| {
                        let i = c as usize;
                        let before = load.peak(i);
                        let own = regions.iter().map(|&r| load.by_region[r][i]).fold(0.0, f64::max);
                        add(&mut load, i, 1.0);
                        let after = load.peak(i);
                        add(&mut load, i, -1.0);
                        let too_many = wired[i].union(&kernels).count() > MAX_INTERFACES_PER_CHANNEL;
                        let over = (after > capacity + 1e-6).then_some(after);
                        (score(too_many, over, after - before, own, crowd[i]), c)
                    })
                    .collect();
                scored.sort_unstable();
                let mut chosen: Vec<u32> = scored.iter().take(ports[t] as usize).map(|s| s.1).collect();
                chosen.sort_unstable();
                chosen
            }
        };
        for &c in &chosen {
            add(&mut load, c as usize, 1.0);
            crowd[c as usize] += 1;
            wired[c as usize].extend(kernels.iter().copied());
        }
        placed[t] = chosen;
    }
    let peak = (0..channels as usize).map(|c| load.peak(c)).collect();
    (placed, peak)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn engine(tensor: usize, region: usize, bytes_per_cycle: f64) -> Engine {
        Engine { tensor, region, bytes_per_cycle }
    }

    fn one_at_a_time(regions: usize, channels: u32) -> Load {
        Load { by_region: vec![vec![0.0; channels as usize]; regions], design_of: None, kernel_of: vec![0; regions] }
    }

    /// Four engines of one region that together fit four channels get one channel each; the
    /// round-robin of old put them wherever design order fell.
    #[test]
    fn engines_of_one_region_spread_over_channels() {
        let engines: Vec<Engine> = (0..4).map(|t| engine(t, 0, 40.0)).collect();
        let (placed, peak) = place(&engines, &[1; 4], &[None; 4], one_at_a_time(1, 4), 4, 47.9);
        let mut all: Vec<u32> = placed.concat();
        all.sort_unstable();
        assert_eq!(all, vec![0, 1, 2, 3]);
        assert!(peak.iter().all(|&p| (p - 40.0).abs() < 1e-9), "{peak:?}");
    }

    /// Regions that run one after another may share channels; a heavy striped tensor and a
    /// light one of the same region do not.
    #[test]
    fn regions_one_at_a_time_share_channels() {
        let engines = vec![engine(0, 0, 120.0), engine(1, 0, 10.0), engine(2, 1, 120.0)];
        let (placed, peak) = place(&engines, &[3, 1, 3], &[None; 3], one_at_a_time(2, 4), 4, 47.9);
        assert!(!placed[0].contains(&placed[1][0]), "{placed:?}");
        assert!(peak.iter().all(|&p| p <= 40.0 + 1e-9), "{peak:?}");
    }

    /// A stripe's ports need not be consecutive: with channel 1 taken by a heavier tensor of
    /// the same region, a two-port tensor takes channels 0 and 2, within their bandwidth.
    #[test]
    fn stripes_take_any_free_channels() {
        let engines = vec![engine(0, 0, 45.0), engine(1, 0, 80.0)];
        let (placed, peak) = place(&engines, &[1, 2], &[Some(1), None], one_at_a_time(1, 3), 3, 47.9);
        assert_eq!(placed, vec![vec![1], vec![0, 2]]);
        assert_eq!(peak, vec![40.0, 45.0, 40.0]);
    }

    /// Pipelined, two designs run at once: the heavier design's engine gets a channel of its
    /// own and the two regions of the other design share the second; a channel's peak is the
    /// sum over designs of each design's busiest region on it, not the busiest region alone.
    #[test]
    fn pipelined_designs_keep_apart() {
        let engines = vec![engine(0, 0, 40.0), engine(1, 1, 40.0), engine(2, 2, 45.0)];
        let load = Load { by_region: vec![vec![0.0; 2]; 3], design_of: Some(vec![0, 0, 1]), kernel_of: vec![0, 0, 1] };
        let (placed, peak) = place(&engines, &[1, 1, 1], &[None; 3], load, 2, 47.9);
        assert_eq!(placed, vec![vec![1], vec![1], vec![0]]);
        assert_eq!(peak, vec![45.0, 40.0]);
        let mut both = Load {
            by_region: vec![vec![40.0], vec![30.0], vec![45.0]],
            design_of: Some(vec![0, 0, 1]),
            kernel_of: vec![0, 0, 1],
        };
        assert_eq!(both.peak(0), 85.0);
        both.design_of = None;
        assert_eq!(both.peak(0), 45.0);
    }

    /// Sixteen kernels, one after another, each with one small tensor: stacking them all on
    /// one channel costs no bandwidth, but v++ wires at most 15 kernel interfaces to a bank, so
    /// the sixteenth goes to the other channel.
    #[test]
    fn a_channel_serves_at_most_fifteen_kernels() {
        let engines: Vec<Engine> = (0..16).map(|r| engine(r, r, 1.0)).collect();
        let load = Load { by_region: vec![vec![0.0; 2]; 16], design_of: None, kernel_of: (0..16).collect() };
        let (placed, _) = place(&engines, &[1; 16], &[None; 16], load, 2, 47.9);
        let on = |c: u32| placed.iter().filter(|p| p.contains(&c)).count();
        assert_eq!((on(0), on(1)), (15, 1), "{placed:?}");
    }

    /// A pinned tensor keeps its channel; the rest avoid it; engines without an allocated
    /// bandwidth spread by count.
    #[test]
    fn pins_hold_and_unknown_loads_spread() {
        let engines: Vec<Engine> = (0..3).map(|t| engine(t, 0, 0.0)).collect();
        let (placed, _) = place(&engines, &[1; 3], &[None, Some(1), None], one_at_a_time(1, 3), 3, 47.9);
        assert_eq!(placed[1], vec![1]);
        let mut all: Vec<u32> = placed.concat();
        all.sort_unstable();
        assert_eq!(all, vec![0, 1, 2]);
    }
}
