//! dnnc's own accelerator format (`Accelerator::from_toml`), documented with a full example in
//! docs/arch.md. It describes the same model as ZigZag's YAML, with units on capacities, named
//! fields, and ports generated from what a memory holds unless they are listed explicitly.

use std::ops::Range;

use serde::Deserialize;
use toml::Spanned;

use crate::error::{ArchError, memory_ctx, port_ctx};
use crate::model::{Accelerator, Direction, Memory, Operand, PeArray, Port, PortKind, Precision, VectorUnit};
use crate::units::parse_capacity;
use crate::zigzag::{DEFAULT_CLOCK_MHZ, effective_allocation, parse_flow};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TomlAccel {
    name: String,
    clock_mhz: Option<f64>,
    array: Spanned<TomlArray>,
    #[serde(default)]
    memory: Vec<Spanned<TomlMemory>>,
    vector: Option<Spanned<TomlVector>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TomlArray {
    dims: Vec<String>,
    sizes: Vec<u32>,
    mac_energy_pj: f64,
    #[serde(default)]
    systolic: Vec<String>,
    precision: Option<TomlPrecision>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TomlPrecision {
    input_bits: Option<u32>,
    weight_bits: Option<u32>,
    psum_bits: Option<u32>,
    output_bits: Option<u32>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TomlMemory {
    name: String,
    capacity: Option<toml::Value>,
    capacity_bits: Option<u64>,
    read_energy_pj: f64,
    write_energy_pj: f64,
    read_bw_bits: Option<u32>,
    write_bw_bits: Option<u32>,
    bw_bits: Option<u32>,
    min_granule_bits: Option<u32>,
    holds: Vec<String>,
    shared_across: toml::Value,
    #[serde(default)]
    double_buffered: bool,
    latency_cycles: Option<u32>,
    ports: Option<String>,
    port: Option<Vec<Spanned<TomlPort>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TomlPort {
    name: String,
    kind: String,
    bw_bits: u32,
    min_granule_bits: Option<u32>,
    serves: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TomlVector {
    lanes: u32,
    op_energy_pj: f64,
    memory: String,
}

/// `I`, `W`, `O` (dnnc) or `I1`, `I2` (ZigZag).
pub(crate) fn operand_from_name(name: &str) -> Option<Operand> {
    match name {
        "I" | "I1" => Some(Operand::I),
        "W" | "I2" => Some(Operand::W),
        "O" => Some(Operand::O),
        _ => None,
    }
}

/// 1-based line and column of byte `offset` in `text`.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

fn line_of(text: &str, span: Range<usize>) -> Option<usize> {
    Some(line_col(text, span.start).0)
}

/// Which ports a memory without an explicit `[[memory.port]]` list gets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AutoPorts {
    /// `r_port_1` carries every `tl`/`th` flow of the held operands, `w_port_1` every `fh`/`fl`.
    Split,
    /// `rw_port_1` carries all of them (a DRAM-like single port).
    ReadWrite,
}

/// The ports dnnc generates for a memory holding `operands` (in that order): the flows of each
/// operand in ZigZag's order (I/W: `fh`, `tl`; O: `fh`, `tl`, `fl`, `th`), split over a read and a
/// write port or all on one read-write port. Every level, the top included, gets every flow —
/// as ZigZag's bundled DRAMs do.
pub fn auto_ports(
    operands: &[Operand],
    style: AutoPorts,
    read_bw: u32,
    write_bw: u32,
    granule: Option<u32>,
) -> Vec<Port> {
    let flows = |want: &dyn Fn(Direction) -> bool| -> Vec<(Operand, Direction)> {
        let mut out = Vec::new();
        for &op in operands {
            let dirs: &[Direction] = if op == Operand::O {
                &[Direction::WriteFromHigh, Direction::ReadToLow, Direction::WriteFromLow, Direction::ReadToHigh]
            } else {
                &[Direction::WriteFromHigh, Direction::ReadToLow]
            };
            out.extend(dirs.iter().filter(|&&d| want(d)).map(|&d| (op, d)));
        }
        out
    };
    let port = |name: &str, kind, bw: u32, serves| Port {
        name: name.to_string(),
        kind,
        bw_min_bits: granule.unwrap_or(bw),
        bw_max_bits: bw,
        serves,
    };
    match style {
        AutoPorts::Split => vec![
            port("r_port_1", PortKind::Read, read_bw, flows(&|d| d.is_read())),
            port("w_port_1", PortKind::Write, write_bw, flows(&|d| !d.is_read())),
        ],
        AutoPorts::ReadWrite => vec![port("rw_port_1", PortKind::ReadWrite, read_bw, flows(&|_| true))],
    }
}

pub(crate) fn from_toml(text: &str, file: &str) -> Result<Accelerator, ArchError> {
    let raw: TomlAccel = toml::from_str(text).map_err(|e| {
        let (line, column) = match e.span() {
            Some(span) => {
                let (l, c) = line_col(text, span.start);
                (Some(l), Some(c))
            }
            None => (None, None),
        };
        let context = line.and_then(|l| table_context(text, l)).map(|c| format!("{c}: ")).unwrap_or_default();
        ArchError::Parse { file: file.to_string(), line, column, message: format!("{context}{}", e.message().trim()) }
    })?;

    let array_line = line_of(text, raw.array.span());
    let array = convert_array(file, raw.array.into_inner()).map_err(|e| e.with_line(array_line))?;

    let mut memories = Vec::with_capacity(raw.memory.len());
    let mut lines = Vec::with_capacity(raw.memory.len());
    for m in raw.memory {
        let line = line_of(text, m.span());
        let memory = convert_memory(text, file, m.into_inner(), &array).map_err(|e| e.with_line(line))?;
        let ctx = memory_ctx(&memory.name);
        if lines.iter().any(|(c, _)| *c == ctx) {
            return Err(ArchError::invalid(file, ctx, "two memories have this name").with_line(line));
        }
        lines.push((ctx, line));
        memories.push(memory);
    }

    let vector_line = raw.vector.as_ref().and_then(|v| line_of(text, v.span()));
    let vector = match raw.vector {
        Some(v) => {
            let line = vector_line;
            let v = v.into_inner();
            let err = |message: String| ArchError::invalid(file, "vector", message).with_line(line);
            check_energy(v.op_energy_pj, "op_energy_pj").map_err(err)?;
            if v.lanes == 0 {
                return Err(err("lanes must be > 0".into()));
            }
            if !memories.iter().any(|m| m.name == v.memory) {
                return Err(err(format!("memory \"{}\" does not exist", v.memory)));
            }
            Some(VectorUnit { lanes: v.lanes, op_pj: v.op_energy_pj, memory: v.memory })
        }
        None => None,
    };

    let clock_mhz = raw.clock_mhz.unwrap_or(DEFAULT_CLOCK_MHZ);
    if !(clock_mhz.is_finite() && clock_mhz > 0.0) {
        return Err(ArchError::invalid(file, "", format!("clock_mhz must be a finite number > 0, not {clock_mhz}")));
    }
    let accelerator = Accelerator { name: raw.name, clock_mhz, array, memories, vector };
    accelerator.validate_as(file).map_err(|e| {
        // Point at the table the rule is about.
        let line = match &e {
            ArchError::Invalid { context, .. } if context == "array" => array_line,
            ArchError::Invalid { context, .. } if context == "vector" => vector_line,
            ArchError::Invalid { context, .. } => lines
                .iter()
                .find(|(ctx, _)| context == ctx || context.starts_with(&format!("{ctx}:")))
                .and_then(|(_, line)| *line),
            _ => None,
        };
        e.with_line(line)
    })?;
    Ok(accelerator)
}

/// `memory "NAME"` or `memory "NAME": port "PORT"` for the `[[memory]]` or `[[memory.port]]`
/// table containing 1-based `line`, read from the text (for parse errors, which serde reports
/// without the table they occurred in). `None` outside those tables or when unsure.
fn table_context(text: &str, line: usize) -> Option<String> {
    let lines: Vec<&str> = text.lines().collect();
    let header = |l: &str| l.trim_start().starts_with('[');
    let name_in = |start: usize| -> Option<String> {
        lines.iter().skip(start + 1).take_while(|l| !header(l)).find_map(|l| {
            let rest = l.trim().strip_prefix("name")?.trim_start().strip_prefix('=')?.trim_start();
            let quote = rest.chars().next().filter(|c| *c == '"' || *c == '\'')?;
            let rest = &rest[1..];
            Some(rest[..rest.find(quote)?].to_string())
        })
    };
    let mut i = line.checked_sub(1)?.min(lines.len().checked_sub(1)?);
    let mut port = None;
    loop {
        let l = lines[i].trim();
        if l.starts_with('[') {
            let compact: String = l.split('#').next().unwrap_or("").chars().filter(|c| !c.is_whitespace()).collect();
            match compact.as_str() {
                "[[memory.port]]" if port.is_none() => port = Some(name_in(i)?),
                "[[memory]]" => {
                    let memory = name_in(i)?;
                    return Some(match port {
                        Some(p) => port_ctx(&memory, &p),
                        None => memory_ctx(&memory),
                    });
                }
                "[array]" | "[array.precision]" if port.is_none() => return Some("array".into()),
                "[vector]" if port.is_none() => return Some("vector".into()),
                _ => return None,
            }
        }
        i = i.checked_sub(1)?;
    }
}

fn check_energy(v: f64, field: &str) -> Result<(), String> {
    if v.is_finite() && v >= 0.0 { Ok(()) } else { Err(format!("{field} must be finite and >= 0, not {v}")) }
}

fn convert_array(file: &str, a: TomlArray) -> Result<PeArray, ArchError> {
    let err = |message: String| ArchError::invalid(file, "array", message);
    if a.dims.len() != a.sizes.len() {
        return Err(err(format!("{} dims but {} sizes", a.dims.len(), a.sizes.len())));
    }
    let mut dims = indexmap::IndexMap::new();
    for (dim, size) in a.dims.into_iter().zip(a.sizes) {
        if size == 0 {
            return Err(err(format!("dimension {dim} has size 0; sizes must be > 0")));
        }
        if dims.insert(dim.clone(), size).is_some() {
            return Err(err(format!("dimension {dim} is listed twice")));
        }
    }
    check_energy(a.mac_energy_pj, "mac_energy_pj").map_err(err)?;
    let d = Precision::default();
    let precision = match a.precision {
        Some(p) => Precision {
            input_bits: p.input_bits.unwrap_or(d.input_bits),
            weight_bits: p.weight_bits.unwrap_or(d.weight_bits),
            psum_bits: p.psum_bits.unwrap_or(d.psum_bits),
            output_bits: p.output_bits.unwrap_or(d.output_bits),
        },
        None => d,
    };
    Ok(PeArray { dims, mac_pj: a.mac_energy_pj, systolic_dims: a.systolic, precision })
}

fn convert_memory(text: &str, file: &str, m: TomlMemory, array: &PeArray) -> Result<Memory, ArchError> {
    let ctx = memory_ctx(&m.name);
    let err = |message: String| ArchError::invalid(file, ctx.clone(), message);

    let size_bits = match (&m.capacity, m.capacity_bits) {
        (Some(_), Some(_)) => return Err(err("give either capacity or capacity_bits, not both".into())),
        (None, None) => return Err(err("`capacity` (like \"2MiB\") or `capacity_bits` is missing".into())),
        (None, Some(bits)) => bits,
        (Some(toml::Value::String(s)), None) => parse_capacity(s).map_err(|e| err(format!("capacity: {e}")))?,
        (Some(toml::Value::Integer(_)), None) => {
            return Err(err(
                "capacity needs a unit, like \"128B\" or \"2MiB\"; give a number of bits as capacity_bits".into(),
            ));
        }
        (Some(v), None) => return Err(err(format!("capacity must be a string like \"2MiB\", not {}", v.type_str()))),
    };
    if size_bits == 0 {
        return Err(err("the capacity must be > 0".into()));
    }
    check_energy(m.read_energy_pj, "read_energy_pj").map_err(&err)?;
    check_energy(m.write_energy_pj, "write_energy_pj").map_err(&err)?;

    let mut operands = Vec::with_capacity(m.holds.len());
    for name in &m.holds {
        let op = operand_from_name(name)
            .ok_or_else(|| err(format!("unknown operand \"{name}\" in `holds` (expected I, W or O)")))?;
        operands.push(op);
    }

    let served_dims = match &m.shared_across {
        toml::Value::String(s) if s == "all" => array.dims.keys().cloned().collect(),
        toml::Value::Array(items) => {
            let mut dims = Vec::with_capacity(items.len());
            for item in items {
                match item.as_str() {
                    Some(d) => dims.push(d.to_string()),
                    None => return Err(err("shared_across must list array dimension names".into())),
                }
            }
            dims
        }
        _ => {
            return Err(err(
                "shared_across must be a list of array dimensions ([] for one instance per PE) or \"all\"".into(),
            ));
        }
    };

    let positive = |v: u32, field: &str| -> Result<u32, ArchError> {
        if v == 0 { Err(err(format!("{field} must be > 0"))) } else { Ok(v) }
    };
    let ports = match m.port {
        Some(list) => {
            for (field, given) in [
                ("read_bw_bits", m.read_bw_bits.is_some()),
                ("write_bw_bits", m.write_bw_bits.is_some()),
                ("bw_bits", m.bw_bits.is_some()),
                ("min_granule_bits", m.min_granule_bits.is_some()),
                ("ports", m.ports.is_some()),
            ] {
                if given {
                    return Err(err(format!(
                        "{field} cannot be combined with an explicit [[memory.port]] list (give bandwidths per port)"
                    )));
                }
            }
            let mut ports: Vec<Port> = Vec::with_capacity(list.len());
            for p in list {
                let line = line_of(text, p.span());
                let port = convert_port(file, &m.name, p.into_inner()).map_err(|e| e.with_line(line))?;
                let perr =
                    |message: String| ArchError::invalid(file, port_ctx(&m.name, &port.name), message).with_line(line);
                for (i, &(op, dir)) in port.serves.iter().enumerate() {
                    let flow = format!("{op:?} {}", dir.zigzag_code());
                    if !operands.contains(&op) {
                        return Err(perr(format!("serves {flow} but the memory does not hold {op:?}")));
                    }
                    let earlier = ports.iter().find(|q| q.serves.contains(&(op, dir))).map(|q| q.name.as_str());
                    if let Some(other) = earlier.or_else(|| port.serves[..i].contains(&(op, dir)).then_some("itself")) {
                        return Err(perr(format!("{flow} is already served by port \"{other}\"")));
                    }
                }
                ports.push(port);
            }
            effective_allocation(&operands, &mut ports);
            ports
        }
        None => {
            let style = match m.ports.as_deref() {
                None | Some("split") => AutoPorts::Split,
                Some("rw") => AutoPorts::ReadWrite,
                Some(other) => {
                    return Err(err(format!(
                        "ports = \"{other}\" is not a port style (\"split\": a read and a write port; \"rw\": one read-write port)"
                    )));
                }
            };
            if m.bw_bits.is_some() && (m.read_bw_bits.is_some() || m.write_bw_bits.is_some()) {
                return Err(err("give either bw_bits or read_bw_bits/write_bw_bits, not both".into()));
            }
            let read = m.read_bw_bits.or(m.bw_bits).ok_or_else(|| err("read_bw_bits (or bw_bits) is missing".into()));
            let write =
                m.write_bw_bits.or(m.bw_bits).ok_or_else(|| err("write_bw_bits (or bw_bits) is missing".into()));
            let (read, write) = match style {
                AutoPorts::Split => (read?, write?),
                AutoPorts::ReadWrite => {
                    let bw = match (read, write) {
                        (Ok(r), Ok(w)) if r != w => {
                            return Err(err(format!(
                                "a read-write port has one width, but read_bw_bits = {r} and write_bw_bits = {w}"
                            )));
                        }
                        (Ok(r), _) => r,
                        (_, Ok(w)) => w,
                        (Err(_), Err(_)) => return Err(err("bw_bits is missing".into())),
                    };
                    (bw, bw)
                }
            };
            let read_field = if m.bw_bits.is_some() { "bw_bits" } else { "read_bw_bits" };
            let write_field = if m.bw_bits.is_some() { "bw_bits" } else { "write_bw_bits" };
            positive(read, read_field)?;
            positive(write, write_field)?;
            if let Some(g) = m.min_granule_bits {
                positive(g, "min_granule_bits")?;
                if g > read.min(write) {
                    return Err(err(format!("min_granule_bits {g} exceeds the port width {} bits", read.min(write))));
                }
            }
            auto_ports(&operands, style, read, write, m.min_granule_bits)
        }
    };

    Ok(Memory {
        name: m.name,
        size_bits,
        read_pj: m.read_energy_pj,
        write_pj: m.write_energy_pj,
        latency_cycles: m.latency_cycles.unwrap_or(1),
        operands,
        ports,
        served_dims,
        double_buffered: m.double_buffered,
    })
}

fn convert_port(file: &str, memory: &str, p: TomlPort) -> Result<Port, ArchError> {
    let err = |message: String| ArchError::invalid(file, port_ctx(memory, &p.name), message);
    let kind = match p.kind.as_str() {
        "read" => PortKind::Read,
        "write" => PortKind::Write,
        "read_write" | "rw" => PortKind::ReadWrite,
        other => return Err(err(format!("unknown port kind \"{other}\" (expected read, write or read_write)"))),
    };
    if p.bw_bits == 0 {
        return Err(err("bw_bits must be > 0".into()));
    }
    let bw_min_bits = p.min_granule_bits.unwrap_or(p.bw_bits);
    if bw_min_bits == 0 {
        return Err(err("min_granule_bits must be > 0".into()));
    }
    if bw_min_bits > p.bw_bits {
        return Err(err(format!("min_granule_bits {bw_min_bits} exceeds bw_bits {}", p.bw_bits)));
    }
    let mut serves = Vec::with_capacity(p.serves.len());
    for flow in &p.serves {
        let (op, dir) = parse_flow(flow, false).map_err(&err)?;
        match (kind, dir.is_read()) {
            (PortKind::Read, false) => return Err(err(format!("a read port cannot serve the write flow \"{flow}\""))),
            (PortKind::Write, true) => return Err(err(format!("a write port cannot serve the read flow \"{flow}\""))),
            _ => serves.push((op, dir)),
        }
    }
    Ok(Port { name: p.name.clone(), kind, bw_min_bits, bw_max_bits: p.bw_bits, serves })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_from_one() {
        let text = "a\nbc\nd";
        assert_eq!(line_col(text, 0), (1, 1));
        assert_eq!(line_col(text, 3), (2, 2));
        assert_eq!(line_col(text, 5), (3, 1));
        assert_eq!(line_col(text, 99), (3, 2));
    }

    #[test]
    fn auto_ports_follow_zigzag_order() {
        let ports = auto_ports(&[Operand::I, Operand::O], AutoPorts::Split, 2048, 2048, Some(64));
        assert_eq!(ports.len(), 2);
        assert_eq!(
            ports[0].serves,
            vec![
                (Operand::I, Direction::ReadToLow),
                (Operand::O, Direction::ReadToLow),
                (Operand::O, Direction::ReadToHigh)
            ]
        );
        assert_eq!(
            ports[1].serves,
            vec![
                (Operand::I, Direction::WriteFromHigh),
                (Operand::O, Direction::WriteFromHigh),
                (Operand::O, Direction::WriteFromLow)
            ]
        );
        assert_eq!((ports[0].bw_min_bits, ports[0].bw_max_bits), (64, 2048));
        let rw = auto_ports(&[Operand::W], AutoPorts::ReadWrite, 64, 64, None);
        assert_eq!(rw[0].name, "rw_port_1");
        assert_eq!(rw[0].serves, vec![(Operand::W, Direction::WriteFromHigh), (Operand::W, Direction::ReadToLow)]);
    }
}
