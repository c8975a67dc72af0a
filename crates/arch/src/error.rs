//! [`ArchError`]: every way reading or validating an accelerator description can fail. Each
//! message names the file (or preset), the line when the parser knows it, and the memory, port or
//! field at fault.

use std::fmt;

/// An error reading, parsing or validating an accelerator description.
#[derive(Debug, thiserror::Error)]
pub enum ArchError {
    /// The text is not well-formed YAML/TOML, or a field has the wrong type, is missing or is
    /// unknown.
    #[error("{}: {message}", Loc(file, *line, *column))]
    Parse { file: String, line: Option<usize>, column: Option<usize>, message: String },
    /// The text is well-formed but describes an accelerator dnnc cannot use. `context` names the
    /// part at fault (`memory "sram"`, `memory "sram": port "r_port_1"`, `array`, `vector`,
    /// `operand W`) and may be empty.
    #[error("{}: {}{message}", Loc(file, *line, None), Ctx(context))]
    Invalid { file: String, line: Option<usize>, context: String, message: String },
    /// The file could not be read.
    #[error("{path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    /// [`Accelerator::load`](crate::Accelerator::load) was given a path whose extension is not
    /// `.yaml`, `.yml` or `.toml`.
    #[error("{path}: unknown accelerator file type (expected .yaml or .yml for ZigZag, .toml for dnnc)")]
    UnknownExtension { path: String },
    /// [`Accelerator::preset`](crate::Accelerator::preset) was given an unknown name.
    #[error("unknown accelerator preset \"{name}\" (presets: {})", crate::PRESET_NAMES.join(", "))]
    UnknownPreset { name: String },
    /// [`Accelerator::resolve`](crate::Accelerator::resolve) was given neither a preset name nor
    /// an existing file.
    #[error("\"{name}\" is neither an accelerator preset ({}) nor an existing file", crate::PRESET_NAMES.join(", "))]
    NotFound { name: String },
}

impl ArchError {
    /// The 1-based line the error points at, when known.
    pub fn line(&self) -> Option<usize> {
        match self {
            ArchError::Parse { line, .. } | ArchError::Invalid { line, .. } => *line,
            _ => None,
        }
    }

    pub(crate) fn invalid(file: &str, context: impl Into<String>, message: impl Into<String>) -> Self {
        ArchError::Invalid { file: file.to_string(), line: None, context: context.into(), message: message.into() }
    }

    pub(crate) fn with_line(mut self, at: Option<usize>) -> Self {
        if let ArchError::Invalid { line, .. } = &mut self {
            *line = line.or(at);
        }
        self
    }
}

/// `file[:line[:column]]`, the position every description error starts with.
pub(crate) struct Loc<'a>(pub &'a str, pub Option<usize>, pub Option<usize>);

impl fmt::Display for Loc<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)?;
        if let Some(line) = self.1 {
            write!(f, ":{line}")?;
            if let Some(column) = self.2 {
                write!(f, ":{column}")?;
            }
        }
        Ok(())
    }
}

/// `context: `, or nothing when the context is empty.
pub(crate) struct Ctx<'a>(pub &'a str);

impl fmt::Display for Ctx<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() { Ok(()) } else { write!(f, "{}: ", self.0) }
    }
}

/// `memory "name"`, the context string of errors about one memory.
pub(crate) fn memory_ctx(name: &str) -> String {
    format!("memory \"{name}\"")
}

/// `memory "name": port "port"`.
pub(crate) fn port_ctx(memory: &str, port: &str) -> String {
    format!("memory \"{memory}\": port \"{port}\"")
}
