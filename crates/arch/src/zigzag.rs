//! The ZigZag accelerator YAML reader (`Accelerator::from_zigzag_yaml`): the single-core hardware
//! format of ZigZag 3.9.1 (`zigzag/inputs/hardware/*.yaml`, validated there by
//! `parser/accelerator_validator.py` and built by `parser/accelerator_factory.py`).
//!
//! Mapping: `I1`/`I2`/`O` → [`Operand::I`]/[`Operand::W`]/[`Operand::O`]; allocation directions
//! `tl`/`fh`/`fl`/`th` → [`Direction`]; sizes in bits, bandwidths in bits/cycle, `r_cost`/`w_cost`
//! in pJ per `bandwidth_max` word, all taken as they are. Fields dnnc does not model (`area`,
//! `mem_type`, `unit_area`, the in-memory-computing fields of a non-IMC array, `dataflows`) are
//! accepted and ignored; `auto_cost_extraction: true` and `is_imc: true` are errors. Repeated keys
//! follow PyYAML (the last one wins) except repeated memory names, which are an error.

use serde::Deserialize;
use serde::de::{IgnoredAny, MapAccess, Visitor};
use serde_norway::Value;

use crate::error::{ArchError, memory_ctx, port_ctx};
use crate::lastwins::{LastWins, Lw};
use crate::model::{Accelerator, Direction, Memory, Operand, PeArray, Port, PortKind, Precision};

/// Clock assumed for a ZigZag file, which counts cycles only (docs/arch.md).
pub const DEFAULT_CLOCK_MHZ: f64 = 1000.0;

#[derive(Default)]
struct ZzFile {
    name: Option<String>,
    memories: Option<MemoryList>,
    operational_array: Option<ZzArray>,
}

impl LastWins for ZzFile {
    const EXPECTING: &'static str = "a ZigZag accelerator (name, memories, operational_array)";
    const FIELDS: &'static [&'static str] = &["name", "memories", "operational_array", "dataflows"];
    fn field<'de, A: MapAccess<'de>>(&mut self, key: &str, map: &mut A) -> Result<bool, A::Error> {
        match key {
            "name" => self.name = Some(map.next_value()?),
            "memories" => self.memories = Some(map.next_value()?),
            "operational_array" => self.operational_array = Some(map.next_value::<Lw<ZzArray>>()?.0),
            // A spatial-mapping constraint, not hardware: the mapping file's business in dnnc.
            "dataflows" => {
                map.next_value::<IgnoredAny>()?;
            }
            _ => return Ok(false),
        }
        Ok(true)
    }
}

/// `memories:` in file order (bottom-up), names unique.
struct MemoryList(Vec<(String, ZzMemory)>);

impl<'de> Deserialize<'de> for MemoryList {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = MemoryList;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a map from memory names to memories, innermost first")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<MemoryList, A::Error> {
                let mut out: Vec<(String, ZzMemory)> = Vec::new();
                while let Some(name) = map.next_key::<String>()? {
                    if out.iter().any(|(n, _)| *n == name) {
                        return Err(serde::de::Error::custom(format!("memory \"{name}\" is defined twice")));
                    }
                    let memory = map.next_value::<Lw<ZzMemory>>()?.0;
                    out.push((name, memory));
                }
                Ok(MemoryList(out))
            }
        }
        deserializer.deserialize_map(V)
    }
}

#[derive(Default)]
struct ZzMemory {
    size: Option<u64>,
    r_cost: Option<f64>,
    w_cost: Option<f64>,
    latency: Option<u32>,
    auto_cost_extraction: bool,
    operands: Option<Vec<String>>,
    /// Kept as a value: a repeated `ports:` key may hold an older, different form first.
    ports: Option<Value>,
    served_dimensions: Option<Vec<String>>,
    force_double_buffering: bool,
}

impl LastWins for ZzMemory {
    const EXPECTING: &'static str = "a memory (size, r_cost, w_cost, latency, operands, ports, served_dimensions)";
    const FIELDS: &'static [&'static str] = &[
        "size",
        "r_cost",
        "w_cost",
        "area",
        "latency",
        "mem_type",
        "auto_cost_extraction",
        "operands",
        "ports",
        "served_dimensions",
        "force_double_buffering",
    ];
    fn field<'de, A: MapAccess<'de>>(&mut self, key: &str, map: &mut A) -> Result<bool, A::Error> {
        match key {
            "size" => self.size = Some(map.next_value()?),
            "r_cost" => self.r_cost = map.next_value()?,
            "w_cost" => self.w_cost = map.next_value()?,
            "latency" => self.latency = Some(map.next_value()?),
            "auto_cost_extraction" => self.auto_cost_extraction = map.next_value()?,
            "operands" => self.operands = Some(map.next_value()?),
            "ports" => self.ports = Some(map.next_value()?),
            // `served_dimensions:` with no value is an empty list, as in PyYAML + ZigZag.
            "served_dimensions" => {
                self.served_dimensions = Some(map.next_value::<Option<Vec<String>>>()?.unwrap_or_default())
            }
            "force_double_buffering" => self.force_double_buffering = map.next_value()?,
            "area" | "mem_type" => {
                map.next_value::<IgnoredAny>()?;
            }
            _ => return Ok(false),
        }
        Ok(true)
    }
}

#[derive(Default)]
struct ZzArray {
    dimensions: Option<Vec<String>>,
    sizes: Option<Vec<u32>>,
    unit_energy: Option<f64>,
    systolic_dimensions: Vec<String>,
    is_imc: bool,
}

impl LastWins for ZzArray {
    const EXPECTING: &'static str = "an operational array (dimensions, sizes, unit_energy)";
    const FIELDS: &'static [&'static str] = &[
        "dimensions",
        "sizes",
        "unit_energy",
        "unit_area",
        "systolic_dimensions",
        "is_imc",
        "imc_type",
        "adc_resolution",
        "bit_serial_precision",
        "input_precision",
    ];
    fn field<'de, A: MapAccess<'de>>(&mut self, key: &str, map: &mut A) -> Result<bool, A::Error> {
        match key {
            "dimensions" => self.dimensions = Some(map.next_value()?),
            "sizes" => self.sizes = Some(map.next_value()?),
            "unit_energy" => self.unit_energy = map.next_value()?,
            "systolic_dimensions" => self.systolic_dimensions = map.next_value::<Option<_>>()?.unwrap_or_default(),
            "is_imc" => self.is_imc = map.next_value()?,
            // Operand precision comes from the workload in ZigZag for non-IMC arrays; the rest
            // describe IMC arrays, rejected below through `is_imc`.
            "unit_area" | "imc_type" | "adc_resolution" | "bit_serial_precision" | "input_precision" => {
                map.next_value::<IgnoredAny>()?;
            }
            _ => return Ok(false),
        }
        Ok(true)
    }
}

fn parse_error(file: &str, e: serde_norway::Error) -> ArchError {
    let location = e.location();
    ArchError::Parse {
        file: file.to_string(),
        line: location.as_ref().map(|l| l.line()),
        column: location.as_ref().map(|l| l.column()),
        message: strip_location(&e.to_string()),
    }
}

/// serde_norway appends " at line L column C"; the location is reported separately.
fn strip_location(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) if message[i + 9..].split_whitespace().nth(1) == Some("column") => message[..i].to_string(),
        _ => message.to_string(),
    }
}

pub(crate) fn operand_from_zigzag(name: &str) -> Option<Operand> {
    match name {
        "I1" => Some(Operand::I),
        "I2" => Some(Operand::W),
        "O" => Some(Operand::O),
        _ => None,
    }
}

pub(crate) fn direction_from_zigzag(code: &str) -> Option<Direction> {
    Direction::ALL.into_iter().find(|d| d.zigzag_code() == code)
}

/// Reads ZigZag's YAML and validates the result.
pub(crate) fn from_zigzag_yaml(text: &str, file: &str) -> Result<Accelerator, ArchError> {
    check_flow_depth(text, file)?;
    let raw: Lw<ZzFile> = serde_norway::from_str(text).map_err(|e| parse_error(file, e))?;
    let raw = raw.0;
    let missing = |context: &str, field: &str| ArchError::invalid(file, context, format!("`{field}` is missing"));

    let name = raw.name.ok_or_else(|| missing("", "name"))?;
    let zz_array = raw.operational_array.ok_or_else(|| missing("", "operational_array"))?;
    if zz_array.is_imc {
        return Err(ArchError::invalid(
            file,
            "operational_array",
            "in-memory-computing arrays (is_imc: true) are not modelled by dnnc",
        ));
    }
    let array = convert_array(file, zz_array)?;
    let list = raw.memories.ok_or_else(|| missing("", "memories"))?;
    let mut memories = Vec::with_capacity(list.0.len());
    for (mem_name, m) in list.0 {
        memories.push(convert_memory(file, mem_name, m)?);
    }
    let accelerator = Accelerator { name, clock_mhz: DEFAULT_CLOCK_MHZ, array, memories, vector: None };
    accelerator.validate_as(file)?;
    Ok(accelerator)
}

/// Deepest `[`/`{` nesting accepted. serde_norway stops at 128 levels anyway, but libyaml's
/// scanner is super-linear in the flow depth (20,000 levels take seconds), so absurd inputs are
/// turned away before it sees them. Brackets in strings and comments are counted too, which only
/// matters for files that could not be valid ZigZag descriptions.
const MAX_FLOW_DEPTH: usize = 256;

fn check_flow_depth(text: &str, file: &str) -> Result<(), ArchError> {
    let (mut depth, mut line, mut column) = (0usize, 1usize, 0usize);
    for c in text.chars() {
        column += 1;
        match c {
            '\n' => (line, column) = (line + 1, 0),
            '[' | '{' => {
                depth += 1;
                if depth > MAX_FLOW_DEPTH {
                    return Err(ArchError::Parse {
                        file: file.to_string(),
                        line: Some(line),
                        column: Some(column),
                        message: format!("brackets nested deeper than {MAX_FLOW_DEPTH} levels"),
                    });
                }
            }
            ']' | '}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    Ok(())
}

fn convert_array(file: &str, a: ZzArray) -> Result<PeArray, ArchError> {
    let ctx = "operational_array";
    let err = |message: String| ArchError::invalid(file, ctx, message);
    let dims = a.dimensions.ok_or_else(|| err("`dimensions` is missing".into()))?;
    let sizes = a.sizes.ok_or_else(|| err("`sizes` is missing".into()))?;
    if dims.len() != sizes.len() {
        return Err(err(format!("{} dimensions but {} sizes", dims.len(), sizes.len())));
    }
    let mut map = indexmap::IndexMap::new();
    for (dim, size) in dims.into_iter().zip(sizes) {
        if size == 0 {
            return Err(err(format!("dimension {dim} has size 0; sizes must be > 0")));
        }
        if map.insert(dim.clone(), size).is_some() {
            return Err(err(format!("dimension {dim} is listed twice")));
        }
    }
    let mac_pj = a.unit_energy.ok_or_else(|| err("`unit_energy` is missing".into()))?;
    if !(mac_pj.is_finite() && mac_pj >= 0.0) {
        return Err(err(format!("unit_energy must be finite and >= 0, not {mac_pj}")));
    }
    Ok(PeArray { dims: map, mac_pj, systolic_dims: a.systolic_dimensions, precision: Precision::default() })
}

fn convert_memory(file: &str, name: String, m: ZzMemory) -> Result<Memory, ArchError> {
    let ctx = memory_ctx(&name);
    let err = |message: String| ArchError::invalid(file, ctx.clone(), message);
    if m.auto_cost_extraction {
        return Err(err("auto_cost_extraction: true needs CACTI, which dnnc does not run; \
             give r_cost and w_cost and set auto_cost_extraction: false"
            .into()));
    }
    let size_bits = m.size.ok_or_else(|| err("`size` is missing".into()))?;
    if size_bits == 0 {
        return Err(err("size must be > 0".into()));
    }
    let latency_cycles = m.latency.ok_or_else(|| err("`latency` is missing".into()))?;
    let cost = |v: Option<f64>, field: &str| -> Result<f64, ArchError> {
        let v = v.ok_or_else(|| err(format!("`{field}` is missing (and auto_cost_extraction is off)")))?;
        if v.is_finite() && v >= 0.0 { Ok(v) } else { Err(err(format!("{field} must be finite and >= 0, not {v}"))) }
    };
    let read_pj = cost(m.r_cost, "r_cost")?;
    let write_pj = cost(m.w_cost, "w_cost")?;
    let mut operands = Vec::new();
    for op in m.operands.ok_or_else(|| err("`operands` is missing".into()))? {
        let operand = operand_from_zigzag(op.trim())
            .ok_or_else(|| err(format!("unknown operand \"{op}\" in `operands` (expected I1, I2 or O)")))?;
        operands.push(operand);
    }
    let served_dims = m.served_dimensions.ok_or_else(|| err("`served_dimensions` is missing".into()))?;
    let ports_value = m.ports.ok_or_else(|| err("`ports` is missing".into()))?;
    let mut ports = convert_ports(file, &name, &ports_value)?;
    for port in &ports {
        if let Some(&(op, _)) = port.serves.iter().find(|(op, _)| !operands.contains(op)) {
            return Err(ArchError::invalid(
                file,
                port_ctx(&name, &port.name),
                format!("allocates {} but the memory's operands do not include it", op.zigzag_name()),
            ));
        }
    }
    effective_allocation(&operands, &mut ports);
    Ok(Memory {
        name,
        size_bits,
        read_pj,
        write_pj,
        latency_cycles,
        operands,
        ports,
        served_dims,
        double_buffered: m.force_double_buffering,
    })
}

fn value_kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Sequence(_) => "a list",
        Value::Mapping(_) => "a map",
        Value::Tagged(_) => "a tagged value",
    }
}

fn convert_ports(file: &str, memory: &str, value: &Value) -> Result<Vec<Port>, ArchError> {
    let ctx = memory_ctx(memory);
    let err = |message: String| ArchError::invalid(file, ctx.clone(), message);
    let Value::Sequence(items) = value else {
        return Err(err(format!("`ports` must be a list of ports, not {}", value_kind(value))));
    };
    let mut ports = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let Value::Mapping(map) = item else {
            return Err(err(format!("ports[{i}] must be a map, not {}", value_kind(item))));
        };
        let mut name = None;
        let mut kind = None;
        let mut bw_min = None;
        let mut bw_max = None;
        let mut allocation = None;
        for (key, v) in map {
            let Some(key) = key.as_str() else {
                return Err(err(format!("ports[{i}] has a key that is not a string")));
            };
            match key {
                "name" => name = Some(v),
                "type" => kind = Some(v),
                "bandwidth_min" => bw_min = Some(v),
                "bandwidth_max" => bw_max = Some(v),
                "allocation" => allocation = Some(v),
                _ => {
                    return Err(err(format!(
                        "ports[{i}]: unknown field `{key}` (expected name, type, bandwidth_min, bandwidth_max, allocation)"
                    )));
                }
            }
        }
        let name = match name {
            Some(Value::String(s)) => s.clone(),
            Some(v) => return Err(err(format!("ports[{i}]: `name` must be a string, not {}", value_kind(v)))),
            None => return Err(err(format!("ports[{i}]: `name` is missing"))),
        };
        let pctx = port_ctx(memory, &name);
        let perr = |message: String| ArchError::invalid(file, pctx.clone(), message);
        let kind = match kind {
            Some(Value::String(s)) => match s.as_str() {
                "read" => PortKind::Read,
                "write" => PortKind::Write,
                "read_write" => PortKind::ReadWrite,
                other => {
                    return Err(perr(format!("unknown port type \"{other}\" (expected read, write or read_write)")));
                }
            },
            Some(v) => return Err(perr(format!("`type` must be a string, not {}", value_kind(v)))),
            None => return Err(perr("`type` is missing".into())),
        };
        let bits = |v: Option<&Value>, field: &str| -> Result<u32, ArchError> {
            let v = v.ok_or_else(|| perr(format!("`{field}` is missing")))?;
            let n = v.as_u64().ok_or_else(|| match v.as_i64() {
                Some(n) => perr(format!("{field} must be > 0, not {n}")),
                None => perr(format!("`{field}` must be an integer (bits/cycle), not {}", value_kind(v))),
            })?;
            if n == 0 {
                return Err(perr(format!("{field} must be > 0")));
            }
            u32::try_from(n).map_err(|_| perr(format!("{field} {n} is too large")))
        };
        let bw_min_bits = bits(bw_min, "bandwidth_min")?;
        let bw_max_bits = bits(bw_max, "bandwidth_max")?;
        if bw_min_bits > bw_max_bits {
            return Err(perr(format!("bandwidth_min {bw_min_bits} exceeds bandwidth_max {bw_max_bits}")));
        }
        let serves = match allocation {
            Some(Value::Sequence(entries)) => {
                let mut serves = Vec::with_capacity(entries.len());
                for entry in entries {
                    let Value::String(s) = entry else {
                        return Err(perr(format!(
                            "allocation entries must be strings like \"I1, tl\", not {}",
                            value_kind(entry)
                        )));
                    };
                    serves.push(parse_flow(s, true).map_err(perr)?);
                }
                serves
            }
            Some(v) => return Err(perr(format!("`allocation` must be a list, not {}", value_kind(v)))),
            None => return Err(perr("`allocation` is missing".into())),
        };
        ports.push(Port { name, kind, bw_min_bits, bw_max_bits, serves });
    }
    Ok(ports)
}

/// Rewrites the ports' flows the way ZigZag's `MemoryLevel` ends up with them: a flow listed on
/// several ports belongs to the last one only (ZigZag keeps the allocation in a dict), and each
/// port's flows are ordered operand by operand in the memory's `operands` order, directions in
/// the order they first appear in the file. This order is ZigZag's tie-break order in on-loading.
/// Call it only after checking that every allocated operand is in `operands`.
pub(crate) fn effective_allocation(operands: &[Operand], ports: &mut [Port]) {
    let mut order: Vec<(Operand, Direction, usize)> = Vec::new(); // flow and its final port
    for (index, port) in ports.iter().enumerate() {
        for &(op, dir) in &port.serves {
            match order.iter_mut().find(|(o, d, _)| (*o, *d) == (op, dir)) {
                Some(entry) => entry.2 = index,
                None => order.push((op, dir, index)),
            }
        }
    }
    for port in ports.iter_mut() {
        port.serves.clear();
    }
    for &op in operands {
        for &(o, dir, index) in &order {
            if o == op {
                ports[index].serves.push((op, dir));
            }
        }
    }
}

/// Parses a flow like `"I1, tl"` (ZigZag) or `"W tl"` / `"O:fl"` (dnnc TOML): an operand and a
/// direction code separated by a comma, colon or spaces. `zigzag` selects the operand names
/// (`I1`/`I2`/`O`, or `I`/`W`/`O` — the TOML reader accepts both).
pub(crate) fn parse_flow(s: &str, zigzag: bool) -> Result<(Operand, Direction), String> {
    let mut parts = s.split([',', ':', ' ', '\t']).filter(|p| !p.is_empty());
    let (Some(op), Some(dir), None) = (parts.next(), parts.next(), parts.next()) else {
        let example = if zigzag { "\"I1, tl\"" } else { "\"I tl\"" };
        return Err(format!("malformed flow \"{s}\" (expected an operand and a direction, like {example})"));
    };
    let operand = if zigzag { operand_from_zigzag(op) } else { crate::toml_format::operand_from_name(op) };
    let operand = operand.ok_or_else(|| {
        let names = if zigzag { "I1, I2 or O" } else { "I, W or O" };
        format!("unknown operand \"{op}\" in flow \"{s}\" (expected {names})")
    })?;
    let direction = direction_from_zigzag(dir)
        .ok_or_else(|| format!("unknown direction \"{dir}\" in flow \"{s}\" (expected tl, fh, fl or th)"))?;
    Ok((operand, direction))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flows_parse() {
        assert_eq!(parse_flow("I1, tl", true), Ok((Operand::I, Direction::ReadToLow)));
        assert_eq!(parse_flow("O,fl", true), Ok((Operand::O, Direction::WriteFromLow)));
        assert!(parse_flow("I1 tl x", true).is_err());
        assert!(parse_flow("W, tl", true).is_err());
        assert!(parse_flow("I2, tx", true).is_err());
        assert!(parse_flow("", true).is_err());
    }

    #[test]
    fn later_allocations_win_and_flows_follow_operand_order() {
        let port = |name: &str, serves: Vec<(Operand, Direction)>| Port {
            name: name.into(),
            kind: PortKind::ReadWrite,
            bw_min_bits: 8,
            bw_max_bits: 8,
            serves,
        };
        let (i, o) = (Operand::I, Operand::O);
        let (tl, th) = (Direction::ReadToLow, Direction::ReadToHigh);
        let mut ports = vec![port("a", vec![(o, th), (i, tl), (o, tl)]), port("b", vec![(o, tl)])];
        effective_allocation(&[i, o], &mut ports);
        assert_eq!(ports[0].serves, vec![(i, tl), (o, th)]);
        assert_eq!(ports[1].serves, vec![(o, tl)]);
    }

    #[test]
    fn location_is_stripped() {
        assert_eq!(strip_location("bad thing at line 3 column 7"), "bad thing");
        assert_eq!(strip_location("no location"), "no location");
    }
}
