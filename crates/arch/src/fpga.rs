//! FPGA boards for the dataflow (StreamTensor-style) backend: the fabric budget the passes and the
//! stream model allocate kernels against (LUTs, flip-flops, DSP slices, BRAM36 and URAM blocks,
//! SLRs), the off-chip memory weights and spills stream from (HBM pseudo channels, optional DDR)
//! and the kernel clock.
//!
//! A spatial accelerator ([`crate::Accelerator`]) and an FPGA board are different things — one is
//! a fixed PE array with a memory hierarchy, the other a budget of reconfigurable resources — so
//! they have separate types, formats and preset lists. Boards come from a built-in preset
//! ([`preset`], [`PRESET_NAMES`]), a TOML file ([`load`]) or TOML text ([`from_toml`]); every
//! loader runs [`FpgaBoard::validate`]. The numbers of the presets and their sources are in
//! docs/fpga.md.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::{Ctx, Loc};
use crate::units::parse_capacity;

/// Raw capacity of one UltraScale+ block RAM (RAMB36E2): 36 Kb including the parity bits.
pub const BRAM36_BITS: u64 = 36 * 1024;
/// Capacity of one BRAM36 for 8/16/32-bit data words (1K×32 of the 1K×36 organisation): HLS
/// arrays of such words leave the parity bits unused.
pub const BRAM36_DATA_BYTES: u64 = 4096;
/// Raw capacity of one UltraRAM block (URAM288): 4K × 72 bits.
pub const URAM_BITS: u64 = 288 * 1024;
/// Capacity of one URAM for data packed into 64-bit words (4K × 64).
pub const URAM_DATA_BYTES: u64 = 32 * 1024;

/// The built-in boards, in the order docs/fpga.md describes them.
pub const PRESET_NAMES: [&str; 2] = ["u55c", "u280"];

const PRESET_SOURCES: [(&str, &str); 2] = [("u55c", U55C_TOML), ("u280", U280_TOML)];

/// AMD Alveo U55C (DS978; HBM figures from UG1393 "HBM Configuration and Use").
const U55C_TOML: &str = r#"# AMD Alveo U55C: XCU55C (Virtex UltraScale+ HBM, VU47P-class die), 16 GiB HBM2.
name = "u55c"
part = "xcu55c-fsvh2892-2L-e"
clock_mhz = 300.0

[fabric]
luts = 1303680
ffs = 2607360
dsps = 9024
bram36 = 2016
uram = 960
slrs = 3

[hbm]
capacity = "16GiB"
channels = 32
gbps_per_channel = 14.375
# Streaming reads and writes sustain ~92 % of the peak: Shuhai (Wang et al., FCCM 2020)
# measured 425 GB/s of the 460 on the same HBM subsystem (U280).
efficiency = 0.92
"#;

/// AMD Alveo U280 (DS963; HBM from UG1393, DDR4 from UG1120).
const U280_TOML: &str = r#"# AMD Alveo U280: XCU280 (Virtex UltraScale+ HBM, VU37P-class die), 8 GiB HBM2 + 32 GiB DDR4.
name = "u280"
part = "xcu280-fsvh2892-2L-e"
clock_mhz = 300.0

[fabric]
luts = 1303680
ffs = 2607360
dsps = 9024
bram36 = 2016
uram = 960
slrs = 3

[hbm]
capacity = "8GiB"
channels = 32
gbps_per_channel = 14.375
# Shuhai (Wang et al., FCCM 2020) measured 425 GB/s of the 460 on this board.
efficiency = 0.92

[ddr]
capacity = "32GiB"
channels = 2
gbps_per_channel = 19.2
"#;

/// An FPGA accelerator card: fabric resources, off-chip memories and kernel clock.
///
/// Counts are for the whole device; a Vitis platform's static shell takes a slice of them, which
/// callers model by a utilisation target rather than by changing the board.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FpgaBoard {
    /// Preset name or the file's `name`.
    pub name: String,
    /// The FPGA part, informational (e.g. `xcu55c-fsvh2892-2L-e`).
    pub part: Option<String>,
    /// CLB look-up tables.
    pub luts: u64,
    /// CLB flip-flops.
    pub ffs: u64,
    /// DSP48E2 slices.
    pub dsps: u64,
    /// 36 Kb block RAMs (each splits into two 18 Kb halves).
    pub bram36: u64,
    /// 288 Kb UltraRAM blocks.
    pub uram: u64,
    /// Super logic regions (dies): crossing one costs latency and routing, so partitioning keeps
    /// chains of kernels within one where it can.
    pub slrs: u32,
    /// HBM capacity in bytes.
    pub hbm_bytes: u64,
    /// HBM pseudo channels (each an independent AXI port into the memory).
    pub hbm_channels: u32,
    /// Theoretical peak bandwidth of one pseudo channel, GB/s (10⁹ bytes per second).
    pub hbm_gbps_per_channel: f64,
    /// The fraction of that peak streaming access sustains (`[hbm] efficiency`, default 1): what
    /// designs are allocated against. The roofline keeps the peak.
    pub hbm_efficiency: f64,
    /// DDR memory next to the FPGA, when the card has any.
    pub ddr: Option<Ddr>,
    /// Default kernel clock, MHz.
    pub clock_mhz: f64,
}

/// DDR channels on the card.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Ddr {
    /// Capacity in bytes, all channels together.
    pub bytes: u64,
    /// Independent DDR channels (memory controllers).
    pub channels: u32,
    /// Theoretical peak bandwidth of one channel, GB/s.
    pub gbps_per_channel: f64,
}

impl Ddr {
    /// Peak bandwidth of all channels, GB/s.
    pub fn gbps(&self) -> f64 {
        self.gbps_per_channel * f64::from(self.channels)
    }
}

impl FpgaBoard {
    /// Peak HBM bandwidth of all pseudo channels, GB/s (460 on the U55C).
    pub fn hbm_gbps(&self) -> f64 {
        self.hbm_gbps_per_channel * f64::from(self.hbm_channels)
    }

    /// Capacity of one pseudo channel in bytes.
    pub fn hbm_bytes_per_channel(&self) -> u64 {
        self.hbm_bytes / u64::from(self.hbm_channels.max(1))
    }

    /// HBM bytes per kernel clock cycle of one pseudo channel: what one DMA engine can move per
    /// cycle at the peak rate.
    pub fn hbm_bytes_per_cycle_per_channel(&self) -> f64 {
        self.hbm_gbps_per_channel * 1e9 / (self.clock_mhz * 1e6)
    }

    /// HBM bytes per kernel clock cycle, all channels.
    pub fn hbm_bytes_per_cycle(&self) -> f64 {
        self.hbm_gbps() * 1e9 / (self.clock_mhz * 1e6)
    }

    /// HBM bytes per kernel clock cycle that streaming sustains, all channels: the peak times
    /// [`hbm_efficiency`](Self::hbm_efficiency).
    pub fn hbm_sustained_bytes_per_cycle(&self) -> f64 {
        self.hbm_bytes_per_cycle() * self.hbm_efficiency
    }

    /// Raw block-RAM capacity in bytes (36 Kb per block, parity included, as datasheets count).
    pub fn bram_bytes(&self) -> u64 {
        self.bram36 * BRAM36_BITS / 8
    }

    /// Raw UltraRAM capacity in bytes (288 Kb per block).
    pub fn uram_bytes(&self) -> u64 {
        self.uram * URAM_BITS / 8
    }

    /// On-chip RAM usable for data words (BRAM at 32 of 36 bits, URAM at 64 of 72): the budget for
    /// FIFOs, converters and weight buffers.
    pub fn onchip_data_bytes(&self) -> u64 {
        self.bram36 * BRAM36_DATA_BYTES + self.uram * URAM_DATA_BYTES
    }

    /// Checks the description is usable: every count positive, bandwidths and clock finite and
    /// positive, HBM capacity divisible over the channels. `file` labels the error.
    pub fn validate(&self, file: &str) -> Result<(), FpgaError> {
        let bad = |context: &str, message: String| FpgaError::Invalid {
            file: file.to_string(),
            line: None,
            context: context.to_string(),
            message,
        };
        if self.name.trim().is_empty() {
            return Err(bad("", "name must not be empty".into()));
        }
        for (field, value) in [
            ("luts", self.luts),
            ("ffs", self.ffs),
            ("dsps", self.dsps),
            ("bram36", self.bram36),
            ("slrs", u64::from(self.slrs)),
        ] {
            if value == 0 {
                return Err(bad("fabric", format!("{field} must be > 0")));
            }
        }
        if !(self.clock_mhz.is_finite() && self.clock_mhz > 0.0) {
            return Err(bad("", format!("clock_mhz must be a finite number > 0, not {}", self.clock_mhz)));
        }
        if self.hbm_channels == 0 {
            return Err(bad("hbm", "channels must be > 0".into()));
        }
        if self.hbm_bytes == 0 {
            return Err(bad("hbm", "capacity must be > 0".into()));
        }
        if !self.hbm_bytes.is_multiple_of(u64::from(self.hbm_channels)) {
            return Err(bad(
                "hbm",
                format!(
                    "capacity {} bytes does not divide evenly over {} pseudo channels",
                    self.hbm_bytes, self.hbm_channels
                ),
            ));
        }
        if !(self.hbm_gbps_per_channel.is_finite() && self.hbm_gbps_per_channel > 0.0) {
            return Err(bad(
                "hbm",
                format!("gbps_per_channel must be a finite number > 0, not {}", self.hbm_gbps_per_channel),
            ));
        }
        if !(self.hbm_efficiency.is_finite() && self.hbm_efficiency > 0.0 && self.hbm_efficiency <= 1.0) {
            return Err(bad("hbm", format!("efficiency must be in (0, 1], not {}", self.hbm_efficiency)));
        }
        if let Some(ddr) = &self.ddr {
            if ddr.channels == 0 {
                return Err(bad("ddr", "channels must be > 0".into()));
            }
            if ddr.bytes == 0 {
                return Err(bad("ddr", "capacity must be > 0".into()));
            }
            if !(ddr.gbps_per_channel.is_finite() && ddr.gbps_per_channel > 0.0) {
                return Err(bad(
                    "ddr",
                    format!("gbps_per_channel must be a finite number > 0, not {}", ddr.gbps_per_channel),
                ));
            }
        }
        Ok(())
    }
}

/// An error reading, parsing or validating an FPGA board description.
#[derive(Debug, thiserror::Error)]
pub enum FpgaError {
    /// Not well-formed TOML, or a field is missing, unknown or of the wrong type.
    #[error("{}: {message}", Loc(file, *line, *column))]
    Parse { file: String, line: Option<usize>, column: Option<usize>, message: String },
    /// Well-formed but unusable; `context` names the table (`fabric`, `hbm`, `ddr`) or is empty.
    #[error("{}: {}{message}", Loc(file, *line, None), Ctx(context))]
    Invalid { file: String, line: Option<usize>, context: String, message: String },
    /// The file could not be read.
    #[error("{path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    /// [`preset`] was given an unknown name.
    #[error("unknown FPGA board preset \"{name}\" (presets: {})", PRESET_NAMES.join(", "))]
    UnknownPreset { name: String },
    /// [`resolve`] was given neither a preset name nor an existing file.
    #[error("\"{name}\" is neither an FPGA board preset ({}) nor an existing file", PRESET_NAMES.join(", "))]
    NotFound { name: String },
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TomlBoard {
    name: String,
    part: Option<String>,
    clock_mhz: f64,
    fabric: toml::Spanned<TomlFabric>,
    hbm: toml::Spanned<TomlMemory>,
    ddr: Option<toml::Spanned<TomlMemory>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TomlFabric {
    luts: u64,
    ffs: u64,
    dsps: u64,
    bram36: u64,
    #[serde(default)]
    uram: u64,
    slrs: u32,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TomlMemory {
    capacity: String,
    channels: u32,
    gbps_per_channel: f64,
    /// Sustained fraction of the peak (HBM only).
    efficiency: Option<f64>,
}

fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

/// Reads dnnc's FPGA board TOML (docs/fpga.md). `file` labels errors.
pub fn from_toml(text: &str, file: &str) -> Result<FpgaBoard, FpgaError> {
    let raw: TomlBoard = toml::from_str(text).map_err(|e| {
        let (line, column) = match e.span() {
            Some(span) => {
                let line = line_of(text, span.start);
                let before = &text[..span.start.min(text.len())];
                (Some(line), Some(before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1))
            }
            None => (None, None),
        };
        FpgaError::Parse { file: file.to_string(), line, column, message: e.message().trim().to_string() }
    })?;
    let fabric_line = line_of(text, raw.fabric.span().start);
    let hbm_line = line_of(text, raw.hbm.span().start);
    let ddr_line = raw.ddr.as_ref().map(|d| line_of(text, d.span().start));
    let capacity = |m: &TomlMemory, context: &str, line: usize| -> Result<u64, FpgaError> {
        let bits = parse_capacity(&m.capacity).map_err(|message| FpgaError::Invalid {
            file: file.to_string(),
            line: Some(line),
            context: context.to_string(),
            message: format!("capacity: {message}"),
        })?;
        if bits % 8 != 0 {
            return Err(FpgaError::Invalid {
                file: file.to_string(),
                line: Some(line),
                context: context.to_string(),
                message: format!("capacity \"{}\" is not a whole number of bytes", m.capacity),
            });
        }
        Ok(bits / 8)
    };
    let hbm = raw.hbm.get_ref();
    let hbm_bytes = capacity(hbm, "hbm", hbm_line)?;
    let ddr = match &raw.ddr {
        Some(d) => {
            let line = ddr_line.unwrap_or(1);
            let d = d.get_ref();
            if d.efficiency.is_some() {
                return Err(FpgaError::Invalid {
                    file: file.to_string(),
                    line: Some(line),
                    context: "ddr".into(),
                    message: "efficiency is read for [hbm] only: designs do not stream from DDR".into(),
                });
            }
            Some(Ddr { bytes: capacity(d, "ddr", line)?, channels: d.channels, gbps_per_channel: d.gbps_per_channel })
        }
        None => None,
    };
    let fabric = raw.fabric.get_ref();
    let board = FpgaBoard {
        name: raw.name,
        part: raw.part,
        luts: fabric.luts,
        ffs: fabric.ffs,
        dsps: fabric.dsps,
        bram36: fabric.bram36,
        uram: fabric.uram,
        slrs: fabric.slrs,
        hbm_bytes,
        hbm_channels: hbm.channels,
        hbm_gbps_per_channel: hbm.gbps_per_channel,
        hbm_efficiency: hbm.efficiency.unwrap_or(1.0),
        ddr,
        clock_mhz: raw.clock_mhz,
    };
    board.validate(file).map_err(|e| match e {
        FpgaError::Invalid { file, context, message, .. } => {
            let line = match context.as_str() {
                "fabric" => Some(fabric_line),
                "hbm" => Some(hbm_line),
                "ddr" => ddr_line,
                _ => None,
            };
            FpgaError::Invalid { file, line, context, message }
        }
        other => other,
    })?;
    Ok(board)
}

/// Reads a board TOML file.
pub fn load(path: impl AsRef<Path>) -> Result<FpgaBoard, FpgaError> {
    let path = path.as_ref();
    let label = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|source| FpgaError::Io { path: label.clone(), source })?;
    from_toml(&text, &label)
}

/// A built-in board by name ([`PRESET_NAMES`]).
pub fn preset(name: &str) -> Result<FpgaBoard, FpgaError> {
    let text = preset_source(name).ok_or_else(|| FpgaError::UnknownPreset { name: name.to_string() })?;
    from_toml(text, &format!("presets/fpga/{name}.toml"))
}

/// The TOML text of a built-in board (a template for users' own files).
pub fn preset_source(name: &str) -> Option<&'static str> {
    PRESET_SOURCES.iter().find(|(n, _)| *n == name).map(|(_, text)| *text)
}

/// Whether `name` is a built-in board's name.
pub fn is_preset(name: &str) -> bool {
    preset_source(name).is_some()
}

/// A preset if `name_or_path` names one, otherwise the TOML file at that path.
pub fn resolve(name_or_path: &str) -> Result<FpgaBoard, FpgaError> {
    if is_preset(name_or_path) {
        return preset(name_or_path);
    }
    let path = Path::new(name_or_path);
    if !path.exists() {
        return Err(FpgaError::NotFound { name: name_or_path.to_string() });
    }
    load(path)
}

/// Whether the TOML text describes an FPGA board rather than a spatial accelerator (it has a
/// `[fabric]` table): lets a driver route one `--arch FILE` option to the right loader.
pub fn looks_like_board(text: &str) -> bool {
    text.lines().any(|l| {
        let compact: String = l.split('#').next().unwrap_or("").chars().filter(|c| !c.is_whitespace()).collect();
        compact == "[fabric]"
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn u55c_numbers() {
        let b = preset("u55c").unwrap();
        assert_eq!(b.name, "u55c");
        assert_eq!((b.luts, b.ffs, b.dsps, b.bram36, b.uram, b.slrs), (1_303_680, 2_607_360, 9024, 2016, 960, 3));
        assert_eq!(b.hbm_bytes, 16 << 30);
        assert_eq!(b.hbm_channels, 32);
        assert_eq!(b.hbm_bytes_per_channel(), 512 << 20);
        assert!((b.hbm_gbps() - 460.0).abs() < 1e-9);
        assert!(b.ddr.is_none());
        assert_eq!(b.clock_mhz, 300.0);
        // ≈ 9 MB of BRAM and ≈ 34.6 MB of URAM, as the datasheet's 70.9 Mb / 270 Mb.
        assert_eq!(b.bram_bytes(), 2016 * 4608);
        assert_eq!(b.uram_bytes(), 960 * 36864);
        assert_eq!(b.onchip_data_bytes(), 2016 * 4096 + 960 * 32768);
        // 460 GB/s at 300 MHz ≈ 1533 bytes per cycle.
        assert!((b.hbm_bytes_per_cycle() - 460e9 / 300e6).abs() < 1e-9);
    }

    #[test]
    fn u280_numbers() {
        let b = preset("u280").unwrap();
        assert_eq!(b.hbm_bytes, 8 << 30);
        assert_eq!(b.hbm_bytes_per_channel(), 256 << 20);
        assert_eq!(b.dsps, 9024);
        let ddr = b.ddr.as_ref().unwrap();
        assert_eq!(ddr.bytes, 32 << 30);
        assert_eq!(ddr.channels, 2);
        assert!((ddr.gbps() - 38.4).abs() < 1e-9);
    }

    #[test]
    fn every_preset_loads_and_is_recognised() {
        for name in PRESET_NAMES {
            let b = preset(name).unwrap();
            assert_eq!(b.name, name);
            assert!(looks_like_board(preset_source(name).unwrap()));
            assert_eq!(resolve(name).unwrap(), b);
        }
        assert!(!looks_like_board("name = \"x\"\n[array]\ndims = []\n"));
    }

    #[test]
    fn unknown_names() {
        let e = preset("u50").unwrap_err().to_string();
        assert!(e.contains("unknown FPGA board preset \"u50\"") && e.contains("u55c, u280"), "{e}");
        let e = resolve("/no/such/board.toml").unwrap_err().to_string();
        assert!(e.contains("neither an FPGA board preset"), "{e}");
    }

    fn edit(from: &str, to: &str) -> String {
        let text = U55C_TOML.replace(from, to);
        assert_ne!(text, U55C_TOML, "{from:?} not in the preset");
        text
    }

    #[test]
    fn invalid_boards_name_the_field_and_line() {
        let cases = [
            ("dsps = 9024", "dsps = 0", "board.toml:6: fabric: dsps must be > 0"),
            ("channels = 32", "channels = 0", "board.toml:14: hbm: channels must be > 0"),
            ("channels = 32", "channels = 3", "hbm: capacity 17179869184 bytes does not divide evenly over 3"),
            ("gbps_per_channel = 14.375", "gbps_per_channel = -1.0", "hbm: gbps_per_channel must be a finite"),
            ("efficiency = 0.92", "efficiency = 1.5", "hbm: efficiency must be in (0, 1]"),
            ("capacity = \"16GiB\"", "capacity = \"16GB\"", "hbm: capacity: \"16GB\": GB is ambiguous"),
            ("capacity = \"16GiB\"", "capacity = \"3bit\"", "not a whole number of bytes"),
            ("clock_mhz = 300.0", "clock_mhz = 0.0", "clock_mhz must be a finite number > 0"),
            ("name = \"u55c\"", "name = \" \"", "name must not be empty"),
        ];
        for (from, to, want) in cases {
            let e = from_toml(&edit(from, to), "board.toml").unwrap_err().to_string();
            assert!(e.contains(want), "{to}: {e}");
        }
    }

    #[test]
    fn parse_errors_have_positions() {
        let e = from_toml(&edit("slrs = 3", "slrs = 3\nbrams = 4"), "b.toml").unwrap_err();
        let text = e.to_string();
        assert!(text.starts_with("b.toml:13:") && text.contains("unknown field `brams`"), "{text}");
        let e = from_toml(&edit("luts = 1303680\n", ""), "b.toml").unwrap_err().to_string();
        assert!(e.contains("missing field `luts`"), "{e}");
        let e = from_toml("name = \"x\"\nclock_mhz = 300.0\n", "b.toml").unwrap_err().to_string();
        assert!(e.contains("missing field `fabric`"), "{e}");
    }

    #[test]
    fn ddr_is_validated() {
        let text = format!("{U55C_TOML}\n[ddr]\ncapacity = \"32GiB\"\nchannels = 0\ngbps_per_channel = 19.2\n");
        let e = from_toml(&text, "b.toml").unwrap_err().to_string();
        assert!(e.contains("b.toml:22: ddr: channels must be > 0"), "{e}");
        let text = format!(
            "{U55C_TOML}\n[ddr]\ncapacity = \"32GiB\"\nchannels = 2\ngbps_per_channel = 19.2\nefficiency = 0.9\n"
        );
        let e = from_toml(&text, "b.toml").unwrap_err().to_string();
        assert!(e.contains("b.toml:22: ddr: efficiency is read for [hbm] only"), "{e}");
    }

    #[test]
    fn load_reads_files() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("mine.toml");
        std::fs::write(&path, edit("name = \"u55c\"", "name = \"mine\"")).unwrap();
        let b = load(&path).unwrap();
        assert_eq!(b.name, "mine");
        assert_eq!(resolve(path.to_str().unwrap()).unwrap(), b);
        let e = load(dir.path().join("absent.toml")).unwrap_err().to_string();
        assert!(e.contains("absent.toml"), "{e}");
    }
}
