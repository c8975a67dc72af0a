//! Diagnostics: errors and warnings with the place they refer to, collected rather than
//! thrown one at a time, and rendered as `file:line:col: error: message` with a snippet.

use crate::context::Context;
use crate::ids::OpId;
use crate::location::{Location, SourceMap, SourcePos};
use std::fmt::Write;

#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
    Note,
    Remark,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "note",
            Severity::Remark => "remark",
        }
    }
}

/// One message about the IR or its text.
#[derive(Clone, Debug, PartialEq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub message: String,
    /// Position in parsed IR text, when the subject was parsed.
    pub pos: Option<SourcePos>,
    /// Provenance of the subject (e.g. the ONNX node), when known.
    pub loc: Location,
}

/// A list of diagnostics, in the order they were found.
pub type Diagnostics = Vec<Diagnostic>;

impl Diagnostic {
    pub fn error(message: impl Into<String>) -> Self {
        Diagnostic { severity: Severity::Error, message: message.into(), pos: None, loc: Location::Unknown }
    }

    /// An error about `op`, placed at its source position and location.
    pub fn at_op(cx: &Context, op: OpId, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            message: message.into(),
            pos: cx.source_pos(op),
            loc: cx.loc(op).clone(),
        }
    }

    pub fn at(mut self, pos: Option<SourcePos>) -> Self {
        self.pos = pos;
        self
    }

    pub fn with_severity(mut self, severity: Severity) -> Self {
        self.severity = severity;
        self
    }

    /// Renders the diagnostic, quoting the source line when the text is known.
    pub fn render(&self, sources: &SourceMap) -> String {
        let mut out = String::new();
        let sev = self.severity.as_str();
        match (self.pos, &self.loc) {
            (Some(p), _) => {
                let _ = write!(out, "{}:{}:{}: {sev}: {}", sources.name(p.file), p.line, p.col, self.message);
            }
            (None, Location::FileLineCol { file, line, col }) => {
                let _ = write!(out, "{file}:{line}:{col}: {sev}: {}", self.message);
            }
            (None, _) => {
                let _ = write!(out, "{sev}: {}", self.message);
            }
        }
        // The op's own location, unless it already served as the header.
        let loc_in_header = self.pos.is_none() && matches!(self.loc, Location::FileLineCol { .. });
        if !loc_in_header && !self.loc.is_unknown() {
            let _ = write!(out, " [{}]", self.loc);
        }
        out.push('\n');
        if let Some(p) = self.pos
            && let Some(line) = sources.line(p.file, p.line)
        {
            let _ = writeln!(out, "{line}");
            let pad: String = line
                .chars()
                .take(p.col.saturating_sub(1) as usize)
                .map(|c| if c == '\t' { '\t' } else { ' ' })
                .collect();
            let _ = writeln!(out, "{pad}^");
        }
        out
    }
}

/// Renders every diagnostic, one after the other.
pub fn render_all(diags: &[Diagnostic], sources: &SourceMap) -> String {
    diags.iter().map(|d| d.render(sources)).collect()
}
