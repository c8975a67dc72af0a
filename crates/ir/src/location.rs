//! Source locations: where an operation came from (`loc(...)` in the text form).
//!
//! A [`Location`] is provenance that passes carry through rewrites (an ONNX node name, a
//! position in a model file). It is distinct from [`SourcePos`], the position of an op in the
//! IR text it was parsed from, which diagnostics use to point into the file being processed.

use std::fmt;
use std::sync::Arc;

/// Provenance of an operation, printed as `loc(...)`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Default)]
pub enum Location {
    /// No known origin; not printed.
    #[default]
    Unknown,
    /// `loc("file":line:col)`.
    FileLineCol { file: Arc<str>, line: u32, col: u32 },
    /// `loc("name")` or `loc("name"(child))`: a named entity such as an ONNX node.
    Name { name: Arc<str>, child: Option<Box<Location>> },
    /// `loc(fused[a, b])`: an op that stands for several origins (e.g. a fused group).
    Fused(Vec<Location>),
}

impl Location {
    /// A file position.
    pub fn file(file: impl Into<Arc<str>>, line: u32, col: u32) -> Self {
        Location::FileLineCol { file: file.into(), line, col }
    }

    /// A named origin without a child location.
    pub fn name(name: impl Into<Arc<str>>) -> Self {
        Location::Name { name: name.into(), child: None }
    }

    /// Fuses several locations, flattening nested fusions and dropping unknowns and repeats.
    pub fn fused(locs: impl IntoIterator<Item = Location>) -> Self {
        let mut out: Vec<Location> = Vec::new();
        for loc in locs {
            match loc {
                Location::Unknown => {}
                Location::Fused(inner) => {
                    for l in inner {
                        if !out.contains(&l) {
                            out.push(l);
                        }
                    }
                }
                l => {
                    if !out.contains(&l) {
                        out.push(l);
                    }
                }
            }
        }
        match out.len() {
            0 => Location::Unknown,
            1 => out.pop().unwrap(),
            _ => Location::Fused(out),
        }
    }

    pub fn is_unknown(&self) -> bool {
        matches!(self, Location::Unknown)
    }

    fn fmt_inner(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::Unknown => f.write_str("unknown"),
            Location::FileLineCol { file, line, col } => {
                crate::print::write_string_literal(f, file)?;
                write!(f, ":{line}:{col}")
            }
            Location::Name { name, child } => {
                crate::print::write_string_literal(f, name)?;
                if let Some(child) = child {
                    f.write_str("(")?;
                    child.fmt_inner(f)?;
                    f.write_str(")")?;
                }
                Ok(())
            }
            Location::Fused(locs) => {
                f.write_str("fused[")?;
                for (i, l) in locs.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    l.fmt_inner(f)?;
                }
                f.write_str("]")
            }
        }
    }
}

/// Prints the full `loc(...)` form.
impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("loc(")?;
        self.fmt_inner(f)?;
        f.write_str(")")
    }
}

/// Index of a source file registered in a [`SourceMap`].
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub struct FileId(pub u32);

/// A position in IR text that was parsed: used to point diagnostics at the input file.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub struct SourcePos {
    pub file: FileId,
    /// 1-based line.
    pub line: u32,
    /// 1-based column.
    pub col: u32,
}

/// The texts the context's IR was parsed from, kept so diagnostics can quote them.
#[derive(Default, Debug, Clone)]
pub struct SourceMap {
    files: Vec<(Arc<str>, Arc<str>)>,
}

impl SourceMap {
    /// Registers a file's name and text; returns its id.
    pub fn add(&mut self, name: impl Into<Arc<str>>, text: impl Into<Arc<str>>) -> FileId {
        self.files.push((name.into(), text.into()));
        FileId((self.files.len() - 1) as u32)
    }

    pub fn name(&self, id: FileId) -> &str {
        &self.files[id.0 as usize].0
    }

    pub fn text(&self, id: FileId) -> &str {
        &self.files[id.0 as usize].1
    }

    /// The text of 1-based `line` in file `id`, without its newline.
    pub fn line(&self, id: FileId, line: u32) -> Option<&str> {
        self.text(id).lines().nth(line.checked_sub(1)? as usize)
    }
}
