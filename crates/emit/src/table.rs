//! Plain-text tables for the terminal report: columns as wide as their widest cell, two spaces
//! apart, text left-aligned and numbers right-aligned so magnitudes line up.

#[derive(Clone, Copy, PartialEq)]
pub(crate) enum Align {
    Left,
    Right,
}

pub(crate) struct Table {
    columns: Vec<(String, Align)>,
    rows: Vec<Vec<String>>,
}

impl Table {
    pub(crate) fn new(columns: &[(&str, Align)]) -> Self {
        Table { columns: columns.iter().map(|&(h, a)| (h.to_string(), a)).collect(), rows: Vec::new() }
    }

    /// Adds a row; it must have one cell per column.
    pub(crate) fn row(&mut self, cells: Vec<String>) {
        debug_assert_eq!(cells.len(), self.columns.len());
        self.rows.push(cells);
    }

    /// The header and rows, each line indented by `indent` and ending in a newline, with no
    /// trailing spaces (the last column is not padded when left-aligned).
    pub(crate) fn render(&self, indent: &str) -> String {
        let width = |s: &str| s.chars().count();
        let widths: Vec<usize> = (0..self.columns.len())
            .map(|c| self.rows.iter().map(|r| width(&r[c])).chain([width(&self.columns[c].0)]).max().unwrap_or(0))
            .collect();
        let header: Vec<String> = self.columns.iter().map(|(h, _)| h.clone()).collect();
        let mut out = String::new();
        for cells in std::iter::once(&header).chain(&self.rows) {
            let mut line = String::from(indent);
            for (c, cell) in cells.iter().enumerate() {
                if c > 0 {
                    line.push_str("  ");
                }
                let pad = " ".repeat(widths[c] - width(cell));
                match self.columns[c].1 {
                    Align::Left => {
                        line.push_str(cell);
                        line.push_str(&pad);
                    }
                    Align::Right => {
                        line.push_str(&pad);
                        line.push_str(cell);
                    }
                }
            }
            out.push_str(line.trim_end());
            out.push('\n');
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_fit_their_widest_cell() {
        let mut t = Table::new(&[("name", Align::Left), ("n", Align::Right)]);
        t.row(vec!["a".into(), "1000".into()]);
        t.row(vec!["longer".into(), "7".into()]);
        assert_eq!(t.render("  "), "  name       n\n  a       1000\n  longer     7\n");
    }
}
