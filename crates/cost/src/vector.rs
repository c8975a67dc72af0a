//! Non-MAC einsums (element-wise, reductions, normalisations, data movement) on the vector
//! unit — never free. A vector einsum streams its operands from the vector unit's memory and
//! its result back, computing `ops_per_point` element operations per iteration point on
//! `lanes` lanes; compute and streaming overlap, so the slower of the two sets the time.

use dnnc_arch::{Accelerator, Direction, Memory, Operand};
use dnnc_einsum::Einsum;
use dnnc_ir::{Context, OpId};

/// Work of one vector einsum.
#[derive(Clone, Debug, PartialEq)]
pub struct VectorWork {
    pub kind: String,
    pub source: String,
    /// Iteration points.
    pub points: u64,
    /// Element operations per point.
    pub ops_per_point: f64,
    /// Elements read (all inputs) and written.
    pub elements_in: u64,
    pub elements_out: u64,
}

/// Energy and latency on the vector unit.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct VectorCost {
    pub energy: f64,
    pub latency: f64,
    pub compute_cycles: f64,
    pub memory_cycles: f64,
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum VectorError {
    #[error("the accelerator has no vector unit to run {0}")]
    NoVectorUnit(String),
    #[error("vector unit memory {0} is not in the accelerator")]
    UnknownMemory(String),
    #[error("not a well-formed einsum.op")]
    Malformed,
}

/// Element operations per point: transcendental functions take a few (a polynomial or table
/// lookup), softmax four passes (max, exp, sum, divide), layer norm five (mean, centre,
/// square, mean, scale), RMS norm four, everything else one; data movement none. A step of a
/// composite (`part`) counts as the op it computes.
fn ops_per_point(kind: &str, source: &str, part: Option<&str>) -> f64 {
    match (kind, source, part) {
        ("data_movement", _, _) => 0.0,
        (_, "graph.softmax", _) | (_, _, Some("softmax")) => 4.0,
        (_, "graph.layer_normalization", _) => 5.0,
        (_, "graph.rms_normalization", _) => 4.0,
        (
            _,
            "graph.exp" | "graph.erf" | "graph.tanh" | "graph.sigmoid" | "graph.silu" | "graph.gelu" | "graph.sin"
            | "graph.cos" | "graph.sqrt" | "graph.reciprocal" | "graph.pow" | "graph.softplus" | "graph.elu",
            _,
        ) => 4.0,
        // A multiply-add and a clamp.
        (_, "graph.hard_sigmoid" | "graph.hard_swish", _) => 2.0,
        _ => 1.0,
    }
}

/// The vector work of a non-MAC einsum.
pub fn vector_work(cx: &Context, op: OpId) -> Result<VectorWork, VectorError> {
    let e = Einsum::of(cx, op).ok_or(VectorError::Malformed)?;
    let elements =
        |v| cx.tensor_shape(cx.value_type(v)).map_or(1, |(s, _)| s.iter().map(|&d| d.max(1) as u64).product());
    let result = cx.results(op).next().ok_or(VectorError::Malformed)?;
    Ok(VectorWork {
        kind: e.kind.to_string(),
        source: e.source.to_string(),
        points: e.points().max(0) as u64,
        ops_per_point: ops_per_point(e.kind, e.source, e.part),
        elements_in: cx.operands(op).iter().map(|&v| elements(v)).sum(),
        elements_out: elements(result),
    })
}

/// Prices `work` on `arch`'s vector unit. Operands move at the array's input width, results
/// at its output width, through the vector memory's ports.
pub fn evaluate_vector(arch: &Accelerator, work: &VectorWork) -> Result<VectorCost, VectorError> {
    let unit = arch.vector.as_ref().ok_or_else(|| VectorError::NoVectorUnit(work.source.clone()))?;
    let (_, mem) = arch.memory(&unit.memory).ok_or_else(|| VectorError::UnknownMemory(unit.memory.clone()))?;
    let ops = work.points as f64 * work.ops_per_point;
    let compute_cycles = (ops / unit.lanes.max(1) as f64).ceil();
    let in_bits = work.elements_in as f64 * arch.array.precision.input_bits as f64;
    let out_bits = work.elements_out as f64 * arch.array.precision.output_bits as f64;
    let streams = port_traffic(mem, in_bits, out_bits);
    let energy = ops * unit.op_pj + streams.reads * mem.read_pj + streams.writes * mem.write_pj;
    Ok(VectorCost {
        energy,
        latency: compute_cycles.max(streams.cycles),
        compute_cycles,
        memory_cycles: streams.cycles,
    })
}

/// Words moved through one memory's ports and what they cost.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PortTraffic {
    /// Port words read and written.
    pub reads: f64,
    pub writes: f64,
    pub cycles: f64,
    pub energy: f64,
}

/// `read_bits` read from and `write_bits` written to `mem` through its widest read and write
/// ports (any operand's flows will do: a vector einsum's streams are not tied to an operand
/// role), one access per port word; on a memory whose input read port also takes writes the
/// two directions share it.
pub fn port_traffic(mem: &Memory, read_bits: f64, write_bits: f64) -> PortTraffic {
    let width = |read: bool| {
        mem.ports
            .iter()
            .filter(|p| p.serves.iter().any(|(_, d)| d.is_read() == read))
            .map(|p| p.bw_max_bits as f64)
            .fold(0.0, f64::max)
            .max(1.0)
    };
    let (reads, writes) = ((read_bits / width(true)).ceil(), (write_bits / width(false)).ceil());
    let shared_port = mem.ports.iter().any(|p| {
        p.serves.iter().any(|&(o, d)| o == Operand::I && d == Direction::ReadToLow)
            && p.serves.iter().any(|&(_, d)| d == Direction::WriteFromLow)
    });
    let cycles = if shared_port { reads + writes } else { reads.max(writes) };
    PortTraffic { reads, writes, cycles, energy: reads * mem.read_pj + writes * mem.write_pj }
}

/// `cost` of a vector einsum whose `in_elements` input elements come from, and
/// `out_elements` result elements go to, off-chip memory (the accelerator's top memory): the
/// off-chip words are paid for and streamed next to the on-chip ones, so the slowest of
/// compute, on-chip and off-chip streams sets the time.
pub fn with_offchip(arch: &Accelerator, cost: VectorCost, in_elements: f64, out_elements: f64) -> VectorCost {
    let Some(top) = arch.memories.last() else { return cost };
    if in_elements <= 0.0 && out_elements <= 0.0 {
        return cost;
    }
    let p = arch.array.precision;
    let offchip = port_traffic(top, in_elements * p.input_bits as f64, out_elements * p.output_bits as f64);
    VectorCost {
        energy: cost.energy + offchip.energy,
        latency: cost.latency.max(offchip.cycles),
        compute_cycles: cost.compute_cycles,
        memory_cycles: cost.memory_cycles.max(offchip.cycles),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A relu of `n` elements on tpu_like, priced on chip.
    fn relu(n: u64) -> (Accelerator, VectorCost) {
        let arch = Accelerator::preset("tpu_like").unwrap();
        let work = VectorWork {
            kind: "elementwise".into(),
            source: "graph.relu".into(),
            points: n,
            ops_per_point: 1.0,
            elements_in: n,
            elements_out: n,
        };
        let cost = evaluate_vector(&arch, &work).unwrap();
        (arch, cost)
    }

    #[test]
    fn offchip_streams_pay_the_top_memory() {
        let n = 1 << 20;
        let (arch, on_chip) = relu(n);
        let dram = arch.memories.last().unwrap();
        let p = arch.array.precision;
        let expected = port_traffic(dram, (n * p.input_bits as u64) as f64, (n * p.output_bits as u64) as f64);
        // One access per port word: the energy added is exactly the words times their energy.
        assert!(expected.energy > 0.0);
        let both = with_offchip(&arch, on_chip, n as f64, n as f64);
        assert_eq!(both.energy, on_chip.energy + expected.energy);
        assert_eq!(both.latency, on_chip.latency.max(expected.cycles));
        assert_eq!(both.compute_cycles, on_chip.compute_cycles);
        // Reading only costs less than reading and writing; nothing off chip costs nothing more.
        let read_only = with_offchip(&arch, on_chip, n as f64, 0.0);
        assert!(read_only.energy < both.energy);
        assert_eq!(with_offchip(&arch, on_chip, 0.0, 0.0), on_chip);
    }

    #[test]
    fn composite_steps_count_as_the_op_they_compute() {
        assert_eq!(ops_per_point("reduction", "graph.softmax", None), 4.0);
        assert_eq!(ops_per_point("reduction", "graph.attention", Some("softmax")), 4.0);
        assert_eq!(ops_per_point("elementwise", "graph.attention", Some("scale")), 1.0);
        assert_eq!(ops_per_point("data_movement", "graph.transpose", None), 0.0);
        assert_eq!(ops_per_point("elementwise", "graph.tanh", None), 4.0);
    }
}
