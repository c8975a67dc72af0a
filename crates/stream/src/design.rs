//! The design model: kernels connected by bounded FIFO channels, at token (tile) granularity.
//!
//! # Units
//! - time: cycles of the kernel clock (the board's `clock_mhz`);
//! - a *token* is one tile moved through a channel in one write; its size is
//!   [`Channel::width_bits`] bits;
//! - FIFO depths are in tokens, on-chip memory in bytes (`depth · width_bits / 8`);
//! - HBM traffic in bytes, HBM bandwidth in bytes per cycle.
//!
//! # Firing semantics (shared by the analytic model, the FIFO LP and the simulator)
//! A kernel fires [`Kernel::firings`] times, one firing every [`Kernel::ii`] cycles at most.
//! Every channel carries [`Channel::tokens`] tokens in total; the rates follow from those totals:
//! the producer's firing `n` (0-based) has pushed `⌊(n+1)·T/F_u⌋` tokens in total and the
//! consumer's firing `n` has popped `min(T, ⌈(n+1)·T/F_v⌉ + lead)`, where `lead` is
//! [`Channel::lead`]: tokens the consumer takes ahead of its rate before its first output, e.g. a
//! layout converter or transpose that buffers a whole block (a reduction over K tiles needs no
//! lead: it consumes K tokens per output through its rates, `T_out = T_in / K`).
//!
//! A consumer pops tokens eagerly, as soon as they are visible, up to what its next firing
//! needs (they move into its input registers or, for the lead, its block buffer). A firing
//! *starts* when it has popped every token it needs and every output channel has room for the
//! tokens it pushes: room is reserved at the start against [`Design::capacity`], the FIFO depth
//! plus the tokens the producer's own pipeline holds (an HLS pipeline with blocking writes
//! keeps its in-flight results when the FIFO is full). The outputs become visible to the
//! consumer [`Kernel::delay`] cycles (the latency, at least 1) after the start.

use serde::{Deserialize, Serialize};

/// Index of a kernel in [`Design::kernels`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct KernelId(pub u32);

/// Index of a channel in [`Design::channels`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct ChannelId(pub u32);

impl KernelId {
    /// The index as `usize`.
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

impl ChannelId {
    /// The index as `usize`.
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// What a kernel is; only DMA kernels touch HBM.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum KernelKind {
    /// A compute stage (an einsum or a fused group).
    Compute,
    /// A layout converter (ping-pong buffer between mismatched itensor layouts).
    Converter,
    /// A stream fork / join (copies or merges tokens, no arithmetic).
    Fork,
    /// Reads a tensor from HBM into a stream (a source).
    DmaLoad,
    /// Writes a stream to HBM (a sink).
    DmaStore,
}

impl KernelKind {
    /// DMA kernels are bounded by HBM bandwidth, not by DSPs.
    pub fn is_dma(self) -> bool {
        matches!(self, KernelKind::DmaLoad | KernelKind::DmaStore)
    }
}

/// On-chip fabric resources (and HBM bandwidth a DMA engine claims).
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Resources {
    /// DSP slices.
    pub dsp: u64,
    /// 36 Kb block RAMs.
    pub bram36: u64,
    /// 288 Kb UltraRAMs.
    pub uram: u64,
    /// CLB look-up tables.
    pub lut: u64,
    /// HBM bandwidth claimed, bytes per cycle (DMA kernels).
    pub hbm_bytes_per_cycle: f64,
}

impl Resources {
    /// `self + other`.
    pub fn add(&self, other: &Resources) -> Resources {
        Resources {
            dsp: self.dsp + other.dsp,
            bram36: self.bram36 + other.bram36,
            uram: self.uram + other.uram,
            lut: self.lut + other.lut,
            hbm_bytes_per_cycle: self.hbm_bytes_per_cycle + other.hbm_bytes_per_cycle,
        }
    }

    /// `self · k` (k lanes of a per-lane cost).
    pub fn scale(&self, k: u64) -> Resources {
        Resources {
            dsp: self.dsp * k,
            bram36: self.bram36 * k,
            uram: self.uram * k,
            lut: self.lut * k,
            hbm_bytes_per_cycle: self.hbm_bytes_per_cycle * k as f64,
        }
    }
}

/// One hardware stage.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Kernel {
    /// Name (unique in the design; the IR's kernel symbol).
    pub name: String,
    /// Role of the kernel.
    pub kind: KernelKind,
    /// Firings per design invocation (≥ 1).
    pub firings: u64,
    /// Initiation interval: cycles between two firings at the current parallelism (≥ 1).
    /// [`Kernel::set_parallelism`] recomputes it from `work`.
    pub ii: u64,
    /// Pipeline latency: cycles from a firing's start until its output tokens are visible. 0 is
    /// read as 1 ([`Kernel::delay`]): a FIFO write is registered, the consumer sees it a cycle
    /// later at the earliest.
    pub latency: u64,
    /// Parallel lanes (unroll factor; for DMA kernels, HBM bytes per cycle claimed). ≥ 1.
    pub parallelism: u64,
    /// Work per firing in lane-cycles: `ii = max(1, ⌈work / parallelism⌉)`. For a MAC kernel the
    /// MACs per firing; for a DMA kernel the bytes per firing (a lane moves one byte per cycle);
    /// 0 keeps `ii` fixed whatever the parallelism (converters, forks).
    pub work: u64,
    /// Largest useful parallelism (e.g. the tile's MACs per firing); ≥ 1.
    pub max_parallelism: u64,
    /// Resources of one lane (DSPs per MAC lane, LUTs, HBM bytes/cycle for DMA lanes).
    pub lane: Resources,
    /// Resources independent of the parallelism (converter / weight buffers, control).
    pub base: Resources,
    /// HBM bytes moved over the whole invocation (DMA kernels; 0 otherwise).
    pub hbm_bytes: u64,
    /// Multiply-accumulates over the whole invocation (roofline; 0 for non-MAC kernels).
    pub macs: u64,
    /// A pipelined compute stage's depth: its latency is `ii + depth`, following the
    /// parallelism ([`Kernel::set_parallelism`]) as the HLS loop's does (a firing's work, then
    /// the pipeline drains). `None`: a latency that does not depend on the lanes (DMA
    /// engines' memory latency, converters, forks).
    #[serde(default)]
    pub depth: Option<u64>,
    /// What the kernel's hardware depends on beyond its rates and costs: its loop nest (the
    /// order and tiles of its firing loops) and the constants it reads whose values the
    /// design keeps (by identity: the emitted C++ bakes each in as an array of its own, a
    /// ROM). Kernels with other programs are other hardware even at equal rates.
    pub program: String,
}

impl Kernel {
    /// A kernel with the given rates and no resource costs; fill in the rest with the fields.
    pub fn new(name: impl Into<String>, kind: KernelKind, firings: u64, ii: u64, latency: u64) -> Kernel {
        Kernel {
            name: name.into(),
            kind,
            firings,
            ii,
            latency,
            parallelism: 1,
            work: 0,
            max_parallelism: 1,
            lane: Resources::default(),
            base: Resources::default(),
            hbm_bytes: 0,
            macs: 0,
            depth: None,
            program: String::new(),
        }
    }

    /// Resources at the current parallelism: `base + lane · parallelism`.
    pub fn resources(&self) -> Resources {
        self.base.add(&self.lane.scale(self.parallelism))
    }

    /// The initiation interval `work` implies at parallelism `p` (the current `ii` when `work` is 0).
    pub fn ii_at(&self, p: u64) -> u64 {
        if self.work == 0 { self.ii } else { self.work.div_ceil(p.max(1)).max(1) }
    }

    /// Sets the parallelism and the `ii` it implies (and the latency, for a stage with a
    /// pipeline [`Kernel::depth`]).
    pub fn set_parallelism(&mut self, p: u64) {
        self.parallelism = p.max(1);
        self.ii = self.ii_at(self.parallelism);
        if let Some(depth) = self.depth {
            self.latency = self.ii + depth;
        }
    }

    /// Cycles from a firing's start until its outputs are visible: `max(1, latency)`.
    pub fn delay(&self) -> u64 {
        self.latency.max(1)
    }

    /// Cycles the kernel is busy over one invocation when nothing stalls it: `firings · ii`.
    pub fn busy_cycles(&self) -> u64 {
        self.firings * self.ii
    }
}

/// A FIFO stream from one producer to one consumer (Vitis HLS: one writer, one reader).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Channel {
    /// Name (the IR value or channel symbol).
    pub name: String,
    /// Writing kernel.
    pub producer: KernelId,
    /// Reading kernel.
    pub consumer: KernelId,
    /// Bits per token (the tile's bytes · 8).
    pub width_bits: u64,
    /// Tokens over one invocation.
    pub tokens: u64,
    /// FIFO depth in tokens, counting tokens reserved by the producer's pipeline (≥ 1).
    pub depth: u64,
    /// Tokens the consumer takes ahead of its rate before its first firing (block buffering).
    pub lead: u64,
}

impl Channel {
    /// On-chip bytes of the FIFO at its depth.
    pub fn fifo_bytes(&self) -> u64 {
        (self.depth * self.width_bits).div_ceil(8)
    }

    /// Bytes of the whole tensor the channel carries (what full-tensor double buffering stores twice).
    pub fn tensor_bytes(&self) -> u64 {
        (self.tokens * self.width_bits).div_ceil(8)
    }
}

/// Why a design is not well formed.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DesignError {
    /// A kernel field is out of range.
    #[error("design '{design}': kernel '{kernel}': {message}")]
    Kernel { design: String, kernel: String, message: String },
    /// A channel field is out of range or names a missing kernel.
    #[error("design '{design}': channel '{channel}': {message}")]
    Channel { design: String, channel: String, message: String },
    /// The channels form a cycle (the model and the LP need a DAG).
    #[error("design '{design}': channels form a cycle through kernel '{kernel}'")]
    Cycle { design: String, kernel: String },
}

/// A streaming dataflow design: kernels and the channels between them. Sources and sinks are
/// DMA kernels.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Design {
    /// Name (the function or region it came from).
    pub name: String,
    /// Kernels, indexed by [`KernelId`].
    pub kernels: Vec<Kernel>,
    /// Channels, indexed by [`ChannelId`].
    pub channels: Vec<Channel>,
}

impl Design {
    /// An empty design.
    pub fn new(name: impl Into<String>) -> Design {
        Design { name: name.into(), ..Design::default() }
    }

    /// Appends a kernel.
    pub fn add_kernel(&mut self, kernel: Kernel) -> KernelId {
        self.kernels.push(kernel);
        KernelId((self.kernels.len() - 1) as u32)
    }

    /// Appends a channel `producer → consumer` of `tokens` tokens of `width_bits` bits, depth 2
    /// (Vitis HLS's default) and no lead; set `depth` and `lead` on the returned channel.
    pub fn connect(
        &mut self,
        name: impl Into<String>,
        producer: KernelId,
        consumer: KernelId,
        width_bits: u64,
        tokens: u64,
    ) -> ChannelId {
        self.channels.push(Channel { name: name.into(), producer, consumer, width_bits, tokens, depth: 2, lead: 0 });
        ChannelId((self.channels.len() - 1) as u32)
    }

    /// The kernel with this id.
    pub fn kernel(&self, k: KernelId) -> &Kernel {
        &self.kernels[k.index()]
    }

    /// The channel with this id.
    pub fn channel(&self, c: ChannelId) -> &Channel {
        &self.channels[c.index()]
    }

    /// Mutable channel.
    pub fn channel_mut(&mut self, c: ChannelId) -> &mut Channel {
        &mut self.channels[c.index()]
    }

    /// Mutable kernel.
    pub fn kernel_mut(&mut self, k: KernelId) -> &mut Kernel {
        &mut self.kernels[k.index()]
    }

    /// Kernel ids in order.
    pub fn kernel_ids(&self) -> impl Iterator<Item = KernelId> + '_ {
        (0..self.kernels.len() as u32).map(KernelId)
    }

    /// Channel ids in order.
    pub fn channel_ids(&self) -> impl Iterator<Item = ChannelId> + '_ {
        (0..self.channels.len() as u32).map(ChannelId)
    }

    /// Finds a kernel by name.
    pub fn kernel_named(&self, name: &str) -> Option<KernelId> {
        self.kernels.iter().position(|k| k.name == name).map(|i| KernelId(i as u32))
    }

    /// Input and output channel lists of every kernel, in channel order.
    pub fn ports(&self) -> (Vec<Vec<ChannelId>>, Vec<Vec<ChannelId>>) {
        let mut ins = vec![Vec::new(); self.kernels.len()];
        let mut outs = vec![Vec::new(); self.kernels.len()];
        for c in self.channel_ids() {
            let ch = self.channel(c);
            ins[ch.consumer.index()].push(c);
            outs[ch.producer.index()].push(c);
        }
        (ins, outs)
    }

    /// Checks every field is in range and the channels form a DAG.
    pub fn validate(&self) -> Result<(), DesignError> {
        for k in &self.kernels {
            let bad =
                |message: String| DesignError::Kernel { design: self.name.clone(), kernel: k.name.clone(), message };
            if k.firings == 0 {
                return Err(bad("firings must be >= 1".into()));
            }
            if k.ii == 0 {
                return Err(bad("ii must be >= 1 cycle".into()));
            }
            if k.parallelism == 0 || k.max_parallelism == 0 {
                return Err(bad("parallelism and max_parallelism must be >= 1".into()));
            }
        }
        for ch in &self.channels {
            let bad =
                |message: String| DesignError::Channel { design: self.name.clone(), channel: ch.name.clone(), message };
            for (role, k) in [("producer", ch.producer), ("consumer", ch.consumer)] {
                if k.index() >= self.kernels.len() {
                    return Err(bad(format!("{role} kernel #{} does not exist", k.0)));
                }
            }
            if ch.producer == ch.consumer {
                return Err(bad("producer and consumer are the same kernel".into()));
            }
            if ch.tokens == 0 {
                return Err(bad("tokens must be >= 1".into()));
            }
            if ch.width_bits == 0 {
                return Err(bad("width_bits must be >= 1".into()));
            }
            if ch.depth == 0 {
                return Err(bad("depth must be >= 1".into()));
            }
            if ch.lead >= ch.tokens && ch.lead > 0 {
                return Err(bad(format!("lead {} must be below the token count {}", ch.lead, ch.tokens)));
            }
        }
        self.topo_order().map(|_| ())
    }

    /// Kernels in a topological order of the channels (ties by id, so deterministic).
    pub fn topo_order(&self) -> Result<Vec<KernelId>, DesignError> {
        let n = self.kernels.len();
        let mut indeg = vec![0usize; n];
        let (_, outs) = self.ports();
        for ch in &self.channels {
            indeg[ch.consumer.index()] += 1;
        }
        let mut ready: std::collections::BTreeSet<usize> = (0..n).filter(|&k| indeg[k] == 0).collect();
        let mut order = Vec::with_capacity(n);
        while let Some(k) = ready.pop_first() {
            order.push(KernelId(k as u32));
            for &c in &outs[k] {
                let v = self.channel(c).consumer.index();
                indeg[v] -= 1;
                if indeg[v] == 0 {
                    ready.insert(v);
                }
            }
        }
        if order.len() < n {
            let k = (0..n).find(|&k| indeg[k] > 0).unwrap_or(0);
            return Err(DesignError::Cycle { design: self.name.clone(), kernel: self.kernels[k].name.clone() });
        }
        Ok(order)
    }

    /// Total on-chip FIFO bytes at the current depths.
    pub fn fifo_bytes(&self) -> u64 {
        self.channels.iter().map(Channel::fifo_bytes).sum()
    }

    /// Memory blocks of the FIFOs at their current depths (one buffer per channel).
    pub fn fifo_resources(&self) -> Resources {
        self.channels.iter().fold(Resources::default(), |acc, ch| acc.add(&memory_blocks(ch.fifo_bytes())))
    }

    /// On-chip bytes: the kernels' buffers and the FIFOs, in whole memory blocks.
    pub fn onchip_bytes(&self) -> u64 {
        let kernels: u64 = self.kernels.iter().map(|k| block_bytes(&k.resources())).sum();
        kernels + block_bytes(&self.fifo_resources())
    }

    /// Resources of all kernels at their current parallelism.
    pub fn resources(&self) -> Resources {
        self.kernels.iter().fold(Resources::default(), |acc, k| acc.add(&k.resources()))
    }

    /// Tokens the producer's pipeline can hold for channel `c`: the pushes of the
    /// `⌈delay / ii⌉` firings in flight. They count against the
    /// channel's capacity from the firing's start until they become visible.
    pub fn pipeline_tokens(&self, c: ChannelId) -> u64 {
        let ch = self.channel(c);
        let k = self.kernel(ch.producer);
        let in_flight = k.delay().div_ceil(k.ii.max(1));
        mul_div_ceil(in_flight, ch.tokens, k.firings).min(ch.tokens)
    }

    /// Tokens channel `c` holds between the producer's firing start and the consumer's pop:
    /// its FIFO depth plus the producer's pipeline ([`Design::pipeline_tokens`]). A firing
    /// starts only when every output has room in this capacity.
    pub fn capacity(&self, c: ChannelId) -> u64 {
        self.channel(c).depth + self.pipeline_tokens(c)
    }

    /// Cumulative tokens the producer has pushed after its firing `n` (0-based).
    pub fn pushed_after(&self, c: ChannelId, n: u64) -> u64 {
        let ch = self.channel(c);
        let f = self.kernel(ch.producer).firings;
        mul_div_floor(n + 1, ch.tokens, f)
    }

    /// Cumulative tokens the consumer has popped after its firing `n` (0-based), lead included.
    pub fn popped_after(&self, c: ChannelId, n: u64) -> u64 {
        let ch = self.channel(c);
        let f = self.kernel(ch.consumer).firings;
        (mul_div_ceil(n + 1, ch.tokens, f) + ch.lead).min(ch.tokens)
    }
}

/// Bytes of one 36 Kb block RAM (data and parity bits, as a FIFO of wide words uses them).
pub const BRAM36_BYTES: u64 = 4608;
/// Bytes of one 288 Kb UltraRAM.
pub const URAM_BYTES: u64 = 36864;

/// Memory blocks for a buffer of `bytes`: BRAM36s up to four URAMs' worth, URAMs beyond (HLS
/// maps large arrays to UltraRAM). Tiny buffers (≤ 1 Kb) live in LUTs/SRLs and take no block.
pub fn memory_blocks(bytes: u64) -> Resources {
    if bytes * 8 <= 1024 {
        Resources::default()
    } else if bytes > 4 * URAM_BYTES {
        Resources { uram: bytes.div_ceil(URAM_BYTES), ..Resources::default() }
    } else {
        Resources { bram36: bytes.div_ceil(BRAM36_BYTES), ..Resources::default() }
    }
}

/// Bytes of the memory blocks in `r`.
pub fn block_bytes(r: &Resources) -> u64 {
    r.bram36 * BRAM36_BYTES + r.uram * URAM_BYTES
}

/// `⌊a·b / c⌋` without overflow.
pub fn mul_div_floor(a: u64, b: u64, c: u64) -> u64 {
    ((a as u128 * b as u128) / c as u128) as u64
}

/// `⌈a·b / c⌉` without overflow.
pub fn mul_div_ceil(a: u64, b: u64, c: u64) -> u64 {
    (a as u128 * b as u128).div_ceil(c as u128) as u64
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chain() -> Design {
        let mut d = Design::new("chain");
        let a = d.add_kernel(Kernel::new("load", KernelKind::DmaLoad, 8, 1, 2));
        let b = d.add_kernel(Kernel::new("mm", KernelKind::Compute, 8, 2, 5));
        let c = d.add_kernel(Kernel::new("store", KernelKind::DmaStore, 2, 1, 2));
        d.connect("x", a, b, 128, 8);
        d.connect("y", b, c, 128, 2);
        d
    }

    #[test]
    fn rates_follow_token_totals() {
        let d = chain();
        d.validate().unwrap();
        // 8 firings produce 2 tokens: a reduction over 4 tiles pushes after firings 3 and 7.
        assert_eq!(d.pushed_after(ChannelId(1), 2), 0);
        assert_eq!(d.pushed_after(ChannelId(1), 3), 1);
        assert_eq!(d.pushed_after(ChannelId(1), 7), 2);
        assert_eq!(d.popped_after(ChannelId(0), 0), 1);
    }

    #[test]
    fn lead_is_popped_up_front_and_capped() {
        let mut d = chain();
        d.channel_mut(ChannelId(0)).lead = 3;
        assert_eq!(d.popped_after(ChannelId(0), 0), 4);
        assert_eq!(d.popped_after(ChannelId(0), 6), 8);
    }

    #[test]
    fn cycles_and_bad_fields_are_errors() {
        let mut d = chain();
        d.connect("back", KernelId(2), KernelId(0), 8, 1);
        assert!(matches!(d.validate(), Err(DesignError::Cycle { .. })));
        let mut d = chain();
        d.kernels[1].ii = 0;
        let err = d.validate().unwrap_err().to_string();
        assert!(err.contains("kernel 'mm'") && err.contains("ii"), "{err}");
        let mut d = chain();
        d.channels[0].consumer = KernelId(9);
        assert!(d.validate().unwrap_err().to_string().contains("does not exist"));
    }

    #[test]
    fn parallelism_sets_ii_from_work() {
        let mut k = Kernel::new("mm", KernelKind::Compute, 4, 64, 3);
        k.work = 64;
        k.lane = Resources { dsp: 1, lut: 100, ..Resources::default() };
        k.set_parallelism(16);
        assert_eq!(k.ii, 4);
        assert_eq!(k.resources().dsp, 16);
        k.set_parallelism(100);
        assert_eq!(k.ii, 1);
    }
}
