//! The schedule as data: what every emitter (JSON, report, figures) reads. Built by the driver
//! from the scheduled IR; serialised as is for `--emit=json` (schema `dnnc.schedule/1`,
//! documented in docs/schedule-json.md — fields are only ever added).

use serde::Serialize;

pub const SCHEMA: &str = "dnnc.schedule/1";

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Schedule {
    pub schema: &'static str,
    /// The model file.
    pub model: String,
    pub arch: ArchSummary,
    /// `edp`, `latency` or `energy`.
    pub objective: String,
    pub seed: u64,
    /// Every einsum in program order.
    pub layers: Vec<LayerSchedule>,
    /// Fused groups (empty when layers run one by one).
    pub groups: Vec<GroupSchedule>,
    pub totals: Totals,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct ArchSummary {
    pub name: String,
    pub pes: u64,
    pub clock_mhz: f64,
    /// Peak MACs per cycle (the PE count).
    pub peak_macs_per_cycle: f64,
    /// Bits per cycle the top (off-chip) memory can move: the roofline's slope.
    pub offchip_bits_per_cycle: f64,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct LayerSchedule {
    pub index: usize,
    /// The ONNX node name (or a generated one).
    pub name: String,
    /// The graph op it computes (`graph.conv`, …) and, for composites, the step.
    pub source: String,
    pub part: Option<String>,
    /// `mac`, `elementwise`, `reduction` or `data_movement`.
    pub kind: String,
    /// Loop dimensions and sizes.
    pub dims: Vec<(String, u64)>,
    /// MACs (mac) or iteration points (vector work).
    pub work: u64,
    /// `pe_array` or `vector_unit`.
    pub unit: String,
    /// The mapping (PE-array layers only).
    pub mapping: Option<MappingSummary>,
    pub cost: LayerCost,
    /// Energy per (operand, memory) for PE-array layers.
    pub energy_by_level: Vec<LevelEnergy>,
    /// Bits moved to and from the top (off-chip) memory.
    pub offchip_bits: f64,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct MappingSummary {
    /// (array dimension, layer dimension, factor).
    pub spatial: Vec<(String, String, f64)>,
    /// Temporal loops innermost first: (layer dimension, trip count).
    pub loops: Vec<(String, f64)>,
    /// Per operand (`I`, `W`, `O`): its memories innermost first with the loops of each.
    pub operands: Vec<OperandLevels>,
    /// Timeloop-style text, one line per memory level.
    pub text: String,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct OperandLevels {
    pub operand: String,
    pub levels: Vec<String>,
    pub cuts: Vec<usize>,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct LayerCost {
    pub energy_pj: f64,
    pub latency_cycles: f64,
    pub mac_energy_pj: f64,
    pub memory_energy_pj: f64,
    pub compute_cycles: f64,
    pub stall_cycles: f64,
    pub onload_cycles: f64,
    pub offload_cycles: f64,
    pub drain_cycles: f64,
    pub ideal_cycles: f64,
    /// `ideal_cycles / latency_cycles`.
    pub utilization: f64,
    /// `compute`, `bandwidth <memory>.<port>`, `io` or `vector`.
    pub bound: String,
    /// Achieved MACs per cycle over the roofline's attainable bound at this layer's
    /// operational intensity (1 = on the roofline).
    pub roofline_fraction: f64,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct LevelEnergy {
    pub operand: String,
    pub memory: String,
    pub energy_pj: f64,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct GroupSchedule {
    /// Member layer indices in execution order.
    pub layers: Vec<usize>,
    pub tiles: u64,
    /// Intermediates kept on chip: (producer index, consumer index, memory).
    pub on_chip: Vec<(usize, usize, String)>,
    pub energy_pj: f64,
    pub latency_cycles: f64,
    pub dram_bits_saved: f64,
    /// Start cycle of each member in the group's timeline (for the timeline figure).
    pub starts: Vec<f64>,
    /// End cycle of each member in the group's timeline: its start plus its latency, or later
    /// for a vector member that works through its producer's output step by step as the array
    /// finishes it (its work is spread over that span).
    pub ends: Vec<f64>,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Totals {
    pub energy_pj: f64,
    pub latency_cycles: f64,
    pub edp: f64,
    /// The same layers run one by one, every intermediate through off-chip memory: what
    /// fusion is measured against (`layerwise_latency_cycles / latency_cycles` is the fusion
    /// gain).
    pub layerwise_energy_pj: f64,
    pub layerwise_latency_cycles: f64,
    pub macs: u64,
    pub offchip_bits: f64,
    /// Every weight, model input and output moved once: the off-chip floor.
    pub compulsory_offchip_bits: f64,
    /// Layer searches run (distinct shapes). (Wall time is not recorded: the same input and
    /// seed give byte-identical output.)
    pub searches: usize,
}
