//! Entry points: reading either format from text or a file, the built-in presets
//! (`crates/arch/presets/*.toml`, embedded), and `resolve`, which takes whatever a user typed
//! after `--arch`.

use std::path::Path;

use crate::error::ArchError;
use crate::model::Accelerator;

/// The built-in presets, in the order docs/arch.md describes them.
pub const PRESET_NAMES: [&str; 4] = ["tpu_like", "eyeriss_like", "gemmini", "simba_like"];

const PRESET_SOURCES: [(&str, &str); 4] = [
    ("tpu_like", include_str!("../presets/tpu_like.toml")),
    ("eyeriss_like", include_str!("../presets/eyeriss_like.toml")),
    ("gemmini", include_str!("../presets/gemmini.toml")),
    ("simba_like", include_str!("../presets/simba_like.toml")),
];

impl Accelerator {
    /// Reads a ZigZag 3.9.1 accelerator YAML file's text. `file_name` labels errors.
    pub fn from_zigzag_yaml(text: &str, file_name: &str) -> Result<Accelerator, ArchError> {
        crate::zigzag::from_zigzag_yaml(text, file_name)
    }

    /// Reads dnnc's accelerator TOML (docs/arch.md). `file_name` labels errors.
    pub fn from_toml(text: &str, file_name: &str) -> Result<Accelerator, ArchError> {
        crate::toml_format::from_toml(text, file_name)
    }

    /// Reads a file, choosing the format by extension: `.yaml`/`.yml` → ZigZag, `.toml` → dnnc.
    pub fn load(path: impl AsRef<Path>) -> Result<Accelerator, ArchError> {
        let path = path.as_ref();
        let label = path.display().to_string();
        let ext = path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
        let reader: fn(&str, &str) -> Result<Accelerator, ArchError> = match ext.as_deref() {
            Some("yaml" | "yml") => Accelerator::from_zigzag_yaml,
            Some("toml") => Accelerator::from_toml,
            _ => return Err(ArchError::UnknownExtension { path: label }),
        };
        let text = std::fs::read_to_string(path).map_err(|source| ArchError::Io { path: label.clone(), source })?;
        reader(&text, &label)
    }

    /// A built-in preset by name ([`PRESET_NAMES`]).
    pub fn preset(name: &str) -> Result<Accelerator, ArchError> {
        let text =
            Accelerator::preset_source(name).ok_or_else(|| ArchError::UnknownPreset { name: name.to_string() })?;
        Accelerator::from_toml(text, &format!("presets/{name}.toml"))
    }

    /// The TOML text of a built-in preset.
    pub fn preset_source(name: &str) -> Option<&'static str> {
        PRESET_SOURCES.iter().find(|(n, _)| *n == name).map(|(_, text)| *text)
    }

    /// A preset if `name_or_path` names one, otherwise the file at that path.
    pub fn resolve(name_or_path: &str) -> Result<Accelerator, ArchError> {
        if Accelerator::preset_source(name_or_path).is_some() {
            return Accelerator::preset(name_or_path);
        }
        let path = Path::new(name_or_path);
        if !path.exists() {
            return Err(ArchError::NotFound { name: name_or_path.to_string() });
        }
        Accelerator::load(path)
    }
}
