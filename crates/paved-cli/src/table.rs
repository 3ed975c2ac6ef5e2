//! Tables of text, printed as aligned columns for a terminal or as Markdown
//! for a pull request or a wiki page (`paved outdated`, `paved images`).

/// A header and rows of cells.
#[derive(Debug, Clone)]
pub struct Table {
    header: Vec<String>,
    rows: Vec<Vec<String>>,
}

impl Table {
    pub fn new(header: &[&str]) -> Table {
        Table { header: header.iter().map(|h| (*h).to_owned()).collect(), rows: Vec::new() }
    }

    pub fn row(&mut self, cells: Vec<String>) {
        self.rows.push(cells);
    }

    /// Columns padded to their widest cell, the header in capitals; the last column is not
    /// padded, so no line ends in spaces.
    pub fn text(&self) -> String {
        let header: Vec<String> = self.header.iter().map(|h| h.to_uppercase()).collect();
        let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
        for row in &self.rows {
            for (width, cell) in widths.iter_mut().zip(row) {
                *width = (*width).max(cell.chars().count());
            }
        }
        let mut out = String::new();
        for row in std::iter::once(&header).chain(&self.rows) {
            let last = row.len().saturating_sub(1);
            for (i, cell) in row.iter().enumerate() {
                out.push_str(cell);
                if i < last {
                    let pad = widths[i].saturating_sub(cell.chars().count()) + 2;
                    out.push_str(&" ".repeat(pad));
                }
            }
            out.push('\n');
        }
        out
    }

    /// A GitHub-flavoured Markdown table; cells must already be [`markdown_cell`]s.
    pub fn markdown(&self) -> String {
        let line = |cells: &[String]| format!("| {} |\n", cells.join(" | "));
        let mut out = line(&self.header);
        out.push_str(&line(&self.header.iter().map(|_| "---".to_owned()).collect::<Vec<_>>()));
        for row in &self.rows {
            out.push_str(&line(row));
        }
        out
    }
}

/// A value as one Markdown table cell: a `|` would end the cell and a line break the
/// row, and `<` could open HTML in a pull-request comment.
pub fn markdown_cell(value: &str) -> String {
    value.replace('\\', "\\\\").replace('|', "\\|").replace('<', "&lt;").replace(['\n', '\r'], " ")
}
