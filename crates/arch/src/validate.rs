//! [`Accelerator::validate`]: the structural rules every accelerator must satisfy before the cost
//! model may read it (docs/arch.md, "Validation"). Every loader calls it; it never panics.

use std::collections::HashSet;

use crate::error::{ArchError, memory_ctx, port_ctx};
use crate::model::{Accelerator, Direction, Memory, Operand, PortKind};

/// The flows memory level `index` (0 = innermost) of `operand` must carry when its hierarchy has
/// `count` levels — what ZigZag's cost model reads and what every hardware file bundled with
/// ZigZag 3.9.1 provides.
///
/// * I and W: `tl` (read towards the array) at every level; `fh` (filled from above) at every
///   level but the top.
/// * O: `tl` (partial sums read back to be accumulated) and `fl` (partial sums or outputs written
///   from below) at every level; `fh` (partial sums coming back down) and `th` (partial sums or
///   outputs leaving upwards) at every level but the top.
///
/// The top level may carry the "outside" flows too (ZigZag's DRAMs do); the model treats that
/// traffic as free.
pub fn required_flows(operand: Operand, index: usize, count: usize) -> Vec<Direction> {
    let top = index + 1 == count;
    let mut dirs = vec![Direction::ReadToLow];
    if operand == Operand::O {
        dirs.push(Direction::WriteFromLow);
    }
    if !top {
        dirs.push(Direction::WriteFromHigh);
        if operand == Operand::O {
            dirs.push(Direction::ReadToHigh);
        }
    }
    dirs
}

fn finite_non_negative(x: f64) -> bool {
    x.is_finite() && x >= 0.0
}

impl Accelerator {
    /// Checks the structural rules (docs/arch.md, "Validation"). Errors name the accelerator as
    /// `accelerator "NAME"`; the loaders report the file instead.
    pub fn validate(&self) -> Result<(), ArchError> {
        self.validate_as(&format!("accelerator \"{}\"", self.name))
    }

    /// [`validate`](Self::validate) with errors attributed to `file`.
    pub(crate) fn validate_as(&self, file: &str) -> Result<(), ArchError> {
        let err = |context: String, message: String| Err(ArchError::invalid(file, context, message));

        if self.name.trim().is_empty() {
            return err(String::new(), "the accelerator name is empty".into());
        }
        if !(self.clock_mhz.is_finite() && self.clock_mhz > 0.0) {
            return err(String::new(), format!("clock_mhz must be a finite number > 0, not {}", self.clock_mhz));
        }

        // The PE array.
        let array = &self.array;
        if array.dims.is_empty() {
            return err("array".into(), "the PE array has no dimensions".into());
        }
        let mut pes: u64 = 1;
        for (dim, &size) in &array.dims {
            if dim.trim().is_empty() {
                return err("array".into(), "a dimension has an empty name".into());
            }
            if size == 0 {
                return err("array".into(), format!("dimension {dim} has size 0; sizes must be > 0"));
            }
            pes = match pes.checked_mul(u64::from(size)) {
                Some(p) => p,
                None => return err("array".into(), "the number of PEs overflows 64 bits".into()),
            };
        }
        if !finite_non_negative(array.mac_pj) {
            return err("array".into(), format!("the MAC energy must be finite and >= 0, not {}", array.mac_pj));
        }
        let mut seen = HashSet::new();
        for dim in &array.systolic_dims {
            if !array.dims.contains_key(dim) {
                return err("array".into(), format!("systolic dimension {dim} is not an array dimension"));
            }
            if !seen.insert(dim) {
                return err("array".into(), format!("systolic dimension {dim} is listed twice"));
            }
        }
        let p = array.precision;
        for (what, bits) in [
            ("input_bits", p.input_bits),
            ("weight_bits", p.weight_bits),
            ("psum_bits", p.psum_bits),
            ("output_bits", p.output_bits),
        ] {
            if bits == 0 {
                return err("array".into(), format!("precision {what} must be > 0"));
            }
        }

        // Memories, one by one.
        if self.memories.is_empty() {
            return err(String::new(), "the accelerator has no memories".into());
        }
        let mut names = HashSet::new();
        for memory in &self.memories {
            if !names.insert(memory.name.as_str()) {
                return err(memory_ctx(&memory.name), "two memories have this name".into());
            }
            self.validate_memory(file, memory)?;
        }

        // Every operand has a hierarchy, and every level carries the flows the model needs.
        for operand in Operand::ALL {
            let levels = self.levels(operand);
            if levels.is_empty() {
                return err(
                    format!("operand {operand:?}"),
                    format!("no memory holds operand {operand:?} (ZigZag {})", operand.zigzag_name()),
                );
            }
            for (index, &m) in levels.iter().enumerate() {
                let memory = &self.memories[m];
                for direction in required_flows(operand, index, levels.len()) {
                    if memory.port_for(operand, direction).is_none() {
                        let place = if index + 1 == levels.len() {
                            "the top level"
                        } else if index == 0 {
                            "the innermost level"
                        } else {
                            "a middle level"
                        };
                        return err(
                            memory_ctx(&memory.name),
                            format!(
                                "no port carries {operand:?} {} ({}, {}), which {place} of {operand:?} needs",
                                direction.zigzag_code(),
                                operand.zigzag_name(),
                                direction.zigzag_code(),
                            ),
                        );
                    }
                }
            }
        }

        // The vector unit.
        if let Some(vector) = &self.vector {
            if vector.lanes == 0 {
                return err("vector".into(), "lanes must be > 0".into());
            }
            if !finite_non_negative(vector.op_pj) {
                return err("vector".into(), format!("the op energy must be finite and >= 0, not {}", vector.op_pj));
            }
            if self.memory(&vector.memory).is_none() {
                return err("vector".into(), format!("memory \"{}\" does not exist", vector.memory));
            }
        }
        Ok(())
    }

    fn validate_memory(&self, file: &str, memory: &Memory) -> Result<(), ArchError> {
        let ctx = memory_ctx(&memory.name);
        let err = |context: &str, message: String| Err(ArchError::invalid(file, context, message));
        if memory.name.trim().is_empty() {
            return err("", "a memory has an empty name".into());
        }
        if memory.size_bits == 0 {
            return err(&ctx, "the size must be > 0 bits".into());
        }
        if !finite_non_negative(memory.read_pj) {
            return err(&ctx, format!("the read energy must be finite and >= 0, not {}", memory.read_pj));
        }
        if !finite_non_negative(memory.write_pj) {
            return err(&ctx, format!("the write energy must be finite and >= 0, not {}", memory.write_pj));
        }
        if memory.operands.is_empty() {
            return err(&ctx, "holds no operand".into());
        }
        let mut seen = HashSet::new();
        for &op in &memory.operands {
            if !seen.insert(op) {
                return err(&ctx, format!("operand {op:?} is listed twice"));
            }
        }
        let mut seen = HashSet::new();
        for dim in &memory.served_dims {
            if !self.array.dims.contains_key(dim) {
                let known: Vec<&str> = self.array.dims.keys().map(String::as_str).collect();
                return err(
                    &ctx,
                    format!("served dimension {dim} is not an array dimension (the array has {})", known.join(", ")),
                );
            }
            if !seen.insert(dim) {
                return err(&ctx, format!("served dimension {dim} is listed twice"));
            }
        }
        if memory.ports.is_empty() {
            return err(&ctx, "has no ports".into());
        }
        let mut port_names = HashSet::new();
        let mut flows = HashSet::new();
        for port in &memory.ports {
            let pctx = port_ctx(&memory.name, &port.name);
            if !port_names.insert(port.name.as_str()) {
                return err(&pctx, "two ports of this memory have this name".into());
            }
            if port.bw_max_bits == 0 {
                return err(&pctx, "the bandwidth must be > 0 bits/cycle".into());
            }
            if port.bw_min_bits == 0 {
                return err(&pctx, "the minimum bandwidth (granule) must be > 0 bits".into());
            }
            if port.bw_min_bits > port.bw_max_bits {
                return err(
                    &pctx,
                    format!(
                        "the minimum bandwidth {} exceeds the maximum bandwidth {}",
                        port.bw_min_bits, port.bw_max_bits
                    ),
                );
            }
            for &(op, dir) in &port.serves {
                let flow = format!("{op:?} {} ({}, {})", dir.zigzag_code(), op.zigzag_name(), dir.zigzag_code());
                if !memory.holds(op) {
                    return err(&pctx, format!("carries {flow} but the memory does not hold {op:?}"));
                }
                match (port.kind, dir.is_read()) {
                    (PortKind::Read, false) => {
                        return err(&pctx, format!("a read port cannot carry the write flow {flow}"));
                    }
                    (PortKind::Write, true) => {
                        return err(&pctx, format!("a write port cannot carry the read flow {flow}"));
                    }
                    _ => {}
                }
                if !flows.insert((op, dir)) {
                    return err(&ctx, format!("flow {flow} is carried by more than one port"));
                }
            }
        }
        Ok(())
    }

    /// The outermost memory holding `operand`.
    pub fn top_level(&self, operand: Operand) -> Option<usize> {
        self.levels(operand).last().copied()
    }

    /// The memory that is the top level of all three operands (the DRAM of every bundled
    /// ZigZag file), if there is one.
    pub fn shared_top(&self) -> Option<usize> {
        let top = self.top_level(Operand::I)?;
        (self.top_level(Operand::W) == Some(top) && self.top_level(Operand::O) == Some(top)).then_some(top)
    }
}
