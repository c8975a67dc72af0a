//! `--verify-diagnostics`: checks `// expected-error @+1 {{message}}` annotations against the
//! diagnostics a run produced, as MLIR's tools do. Designators: none (same line), `@+N`, `@-N`,
//! `@above` and `@below` (the previous / next line). Messages match as substrings.

use dnnc_ir::{Diagnostic, FileId, Severity};

/// One annotation found in the input.
#[derive(Debug)]
pub struct Expected {
    pub severity: Severity,
    /// Absolute line the diagnostic must be on.
    pub line: u32,
    pub message: String,
    /// Line of the annotation itself, for reporting.
    pub at: u32,
    matched: bool,
}

/// Scans `text` (whose first line is line `first_line` of the file) for annotations.
pub fn collect(text: &str, first_line: u32) -> Result<Vec<Expected>, String> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let at = first_line + i as u32;
        let Some(idx) = line.find("expected-") else {
            continue;
        };
        let rest = &line[idx + "expected-".len()..];
        let (severity, rest) = match ["error", "warning", "note", "remark"].iter().find(|w| rest.starts_with(**w)) {
            Some(&w) => (severity_of(w), &rest[w.len()..]),
            None => continue,
        };
        let rest = rest.trim_start();
        let (target, rest) = if let Some(d) = rest.strip_prefix('@') {
            let end = d.find(|c: char| c.is_whitespace() || c == '{').unwrap_or(d.len());
            let target = match &d[..end] {
                "above" => at.checked_sub(1),
                "below" => Some(at + 1),
                n => n.parse::<i64>().ok().and_then(|off| u32::try_from(at as i64 + off).ok()),
            };
            let Some(target) = target else {
                return Err(format!("line {at}: invalid designator '@{}'", &d[..end]));
            };
            (target, d[end..].trim_start())
        } else {
            (at, rest)
        };
        let Some(body) = rest.strip_prefix("{{") else {
            return Err(format!("line {at}: expected '{{{{' after the expected-{} annotation", severity.as_str()));
        };
        let Some(end) = body.find("}}") else {
            return Err(format!("line {at}: unterminated '{{{{' in expected-{} annotation", severity.as_str()));
        };
        out.push(Expected { severity, line: target, message: body[..end].to_string(), at, matched: false });
    }
    Ok(out)
}

fn severity_of(word: &str) -> Severity {
    match word {
        "error" => Severity::Error,
        "warning" => Severity::Warning,
        "note" => Severity::Note,
        _ => Severity::Remark,
    }
}

/// Matches produced diagnostics against the annotations; returns one message per mismatch
/// (an unexpected diagnostic, or an expected one that never came).
pub fn check(expected: &mut [Expected], produced: &[Diagnostic], file: FileId, file_name: &str) -> Vec<String> {
    let mut problems = Vec::new();
    for d in produced {
        let line = d.pos.filter(|p| p.file == file).map(|p| p.line);
        let hit = expected
            .iter_mut()
            .find(|e| !e.matched && e.severity == d.severity && Some(e.line) == line && d.message.contains(&e.message));
        match hit {
            Some(e) => e.matched = true,
            None => {
                let place = line.map_or("unknown location".to_string(), |l| format!("{file_name}:{l}"));
                problems.push(format!("{place}: unexpected {}: {}", d.severity.as_str(), d.message));
            }
        }
    }
    for e in expected.iter().filter(|e| !e.matched) {
        problems.push(format!(
            "{file_name}:{}: expected {} \"{}\" on line {} was not produced",
            e.at,
            e.severity.as_str(),
            e.message,
            e.line
        ));
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_designators() {
        let text =
            "// expected-error @+1 {{bad op}}\nx\ny // expected-warning {{here}}\n// expected-note @above {{up}}\n";
        let e = collect(text, 10).unwrap();
        assert_eq!(e.len(), 3);
        assert_eq!((e[0].line, e[0].message.as_str()), (11, "bad op"));
        assert_eq!((e[1].line, e[1].severity), (12, Severity::Warning));
        assert_eq!(e[2].line, 12);
    }

    #[test]
    fn rejects_malformed_annotations() {
        assert!(collect("// expected-error @+x {{m}}", 1).is_err());
        assert!(collect("// expected-error {{unterminated", 1).is_err());
    }
}
