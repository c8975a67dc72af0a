//! The in-memory accelerator description. Readers (TOML, ZigZag YAML) and presets build it;
//! [`Accelerator::validate`] checks it; the cost model only reads it.

use indexmap::IndexMap;

/// A memory operand: which tensor of a MAC einsum a memory holds. `I` is the einsum's first
/// input (activations), `W` its second input (weights, or the second activation of a
/// batched matmul), `O` its output (partial sums, then final outputs).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Operand {
    I,
    W,
    O,
}

impl Operand {
    pub const ALL: [Operand; 3] = [Operand::I, Operand::W, Operand::O];

    /// ZigZag's name for the memory operand (`I1`, `I2`, `O`).
    pub fn zigzag_name(self) -> &'static str {
        match self {
            Operand::I => "I1",
            Operand::W => "I2",
            Operand::O => "O",
        }
    }
}

/// A direction of data flow through a memory port, seen from that memory.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Direction {
    /// Read out towards the level below (or the PEs): ZigZag `tl`.
    ReadToLow,
    /// Written from the level above (fills): ZigZag `fh`.
    WriteFromHigh,
    /// Written from the level below (partial sums and outputs coming up): ZigZag `fl`.
    WriteFromLow,
    /// Read out towards the level above (outputs leaving, psums spilled): ZigZag `th`.
    ReadToHigh,
}

impl Direction {
    pub const ALL: [Direction; 4] =
        [Direction::ReadToLow, Direction::WriteFromHigh, Direction::WriteFromLow, Direction::ReadToHigh];

    pub fn is_read(self) -> bool {
        matches!(self, Direction::ReadToLow | Direction::ReadToHigh)
    }

    /// ZigZag's two-letter code.
    pub fn zigzag_code(self) -> &'static str {
        match self {
            Direction::ReadToLow => "tl",
            Direction::WriteFromHigh => "fh",
            Direction::WriteFromLow => "fl",
            Direction::ReadToHigh => "th",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PortKind {
    Read,
    Write,
    ReadWrite,
}

/// One physical port of a memory. Data moves in `bw_min_bits` granules; one access of the
/// full `bw_max_bits` word costs the memory's read or write energy.
#[derive(Clone, Debug, PartialEq)]
pub struct Port {
    pub name: String,
    pub kind: PortKind,
    pub bw_min_bits: u32,
    pub bw_max_bits: u32,
    /// The flows this port carries.
    pub serves: Vec<(Operand, Direction)>,
}

/// One memory level (one *kind* of instance; how many instances exist follows from
/// `served_dims`).
#[derive(Clone, Debug, PartialEq)]
pub struct Memory {
    pub name: String,
    /// Capacity of one instance in bits.
    pub size_bits: u64,
    /// Energy in pJ of one read access of a full port word (`bw_max_bits`).
    pub read_pj: f64,
    /// Energy in pJ of one write access of a full port word.
    pub write_pj: f64,
    /// Access latency in cycles (informative; the model is bandwidth-based).
    pub latency_cycles: u32,
    /// Operands it may hold, in the order the file lists them (the order matters for
    /// ZigZag's on-loading tie-breaks).
    pub operands: Vec<Operand>,
    pub ports: Vec<Port>,
    /// PE-array dimensions across which ONE instance is shared (`[]`: one instance per PE;
    /// all dimensions: one instance for the whole array).
    pub served_dims: Vec<String>,
    /// Capacity is halved for tiles that change during the layer (ZigZag's
    /// `force_double_buffering`).
    pub double_buffered: bool,
}

impl Memory {
    /// The port carrying `(operand, direction)`, if any.
    pub fn port_for(&self, operand: Operand, direction: Direction) -> Option<usize> {
        self.ports.iter().position(|p| p.serves.contains(&(operand, direction)))
    }

    pub fn holds(&self, operand: Operand) -> bool {
        self.operands.contains(&operand)
    }
}

/// Bit widths the PE array computes with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Precision {
    pub input_bits: u32,
    pub weight_bits: u32,
    /// Partial sums (accumulator width).
    pub psum_bits: u32,
    /// Final outputs.
    pub output_bits: u32,
}

impl Default for Precision {
    /// ZigZag's defaults: 8-bit operands, 16-bit partial sums, 8-bit outputs.
    fn default() -> Self {
        Precision { input_bits: 8, weight_bits: 8, psum_bits: 16, output_bits: 8 }
    }
}

/// The spatial MAC array.
#[derive(Clone, Debug, PartialEq)]
pub struct PeArray {
    /// Array dimensions (name → size), in the file's order.
    pub dims: IndexMap<String, u32>,
    /// Energy in pJ of one MAC.
    pub mac_pj: f64,
    /// Dimensions along which results drain systolically (each adds `unroll − 1` cycles).
    pub systolic_dims: Vec<String>,
    pub precision: Precision,
}

impl PeArray {
    pub fn pe_count(&self) -> u64 {
        self.dims.values().map(|&s| s as u64).product()
    }
}

/// The unit that runs non-MAC work (element-wise ops, reductions, normalisations, data
/// movement) — never free.
#[derive(Clone, Debug, PartialEq)]
pub struct VectorUnit {
    /// Element operations per cycle.
    pub lanes: u32,
    /// Energy in pJ of one element operation.
    pub op_pj: f64,
    /// The memory (by name) it reads operands from and writes results to.
    pub memory: String,
}

/// A whole accelerator.
#[derive(Clone, Debug, PartialEq)]
pub struct Accelerator {
    pub name: String,
    pub clock_mhz: f64,
    pub array: PeArray,
    /// Memories bottom-up, in the order the file lists them: for each operand, the memories
    /// holding it form its hierarchy, innermost first.
    pub memories: Vec<Memory>,
    pub vector: Option<VectorUnit>,
}

impl Accelerator {
    /// Indices into `memories` of the levels holding `operand`, innermost first.
    pub fn levels(&self, operand: Operand) -> Vec<usize> {
        (0..self.memories.len()).filter(|&m| self.memories[m].holds(operand)).collect()
    }

    pub fn memory(&self, name: &str) -> Option<(usize, &Memory)> {
        self.memories.iter().enumerate().find(|(_, m)| m.name == name)
    }
}
