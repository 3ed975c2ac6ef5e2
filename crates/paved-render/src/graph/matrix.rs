//! The call graph of a large set as one picture: a matrix of teams, each cell
//! the number of calls from the row's team to the column's (the diagonal: calls
//! within a team), a column for hosts and ranges outside the cluster and a row for
//! the ingress controller's routes. Past some hundred calls no drawing of the
//! calls one by one stays readable (nor can layout-rs lay it out in time); a
//! dependency matrix reads the same at 20 teams as at 2, and takes no layout.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::{Graph, Node};
use crate::report::escape;

/// A cell's side, in pixels.
const CELL: usize = 30;
/// Pixels per character of a label (13-pixel sans-serif, generously).
const CHAR: usize = 8;

/// Where a call starts or ends, as a row or a column of the matrix.
fn team_of(node: &Node) -> Option<&str> {
    match node {
        Node::App { team, .. } | Node::Team(team) => Some(team),
        Node::Ingress | Node::External(_) => None,
    }
}

pub(super) fn svg(graph: &Graph) -> String {
    let teams: Vec<String> = graph.all_teams().into_keys().collect();
    let index: BTreeMap<&str, usize> = teams.iter().enumerate().map(|(i, t)| (t.as_str(), i)).collect();
    // Rows: each team, then the ingress controller; columns: each team, then outside.
    let (ingress_row, outside_column) = (teams.len(), teams.len());
    let mut counts: BTreeMap<(usize, usize), usize> = BTreeMap::new();
    for (from, to, _, _) in &graph.edges {
        let row = match from {
            Node::Ingress => Some(ingress_row),
            node => team_of(node).and_then(|t| index.get(t).copied()),
        };
        let column = match to {
            Node::External(_) => Some(outside_column),
            node => team_of(node).and_then(|t| index.get(t).copied()),
        };
        if let (Some(row), Some(column)) = (row, column) {
            *counts.entry((row, column)).or_default() += 1;
        }
    }
    let most = counts.values().copied().max().unwrap_or(1).max(1);
    let mut rows: Vec<String> = teams.clone();
    rows.push("ingress controller".to_owned());
    let mut columns: Vec<String> = teams.clone();
    columns.push("outside the cluster".to_owned());
    let widest = |labels: &[String]| labels.iter().map(|l| l.chars().count()).max().unwrap_or(0) * CHAR + 16;
    let (left, top) = (widest(&rows), widest(&columns) * 7 / 10 + 48);
    let calls: usize = counts.values().sum();
    let title = format!(
        "{calls} calls and routes among {} teams, too many to draw one by one: each cell counts those from the row to the column",
        teams.len()
    );
    // The last column's label leans out to the right, by its length times cos 45°.
    let overhang = columns.last().map_or(0, |l| l.chars().count() * CHAR * 7 / 10);
    let width = (left + columns.len() * CELL + overhang).max(title.chars().count() * 7 + 16) + 8;
    let height = top + rows.len() * CELL + 20;
    let mut out = format!(
        "<svg width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" xmlns=\"http://www.w3.org/2000/svg\" font-family=\"sans-serif\" font-size=\"13\">\n"
    );
    let _ = writeln!(out, "<text x=\"8\" y=\"20\" font-size=\"14\">{}</text>", escape(&title));
    for (c, label) in columns.iter().enumerate() {
        let x = left + c * CELL + CELL / 2;
        let _ = writeln!(out, "<text transform=\"translate({x},{}) rotate(-45)\">{}</text>", top - 6, escape(label));
    }
    for (r, label) in rows.iter().enumerate() {
        let y = top + r * CELL;
        let _ = writeln!(
            out,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>",
            left - 8,
            y + CELL / 2 + 4,
            escape(label)
        );
        for (c, column) in columns.iter().enumerate() {
            let x = left + c * CELL;
            let count = counts.get(&(r, c)).copied().unwrap_or(0);
            // From the page's pale blue to the graph's dark blue, by share of the busiest cell.
            let fill = match count {
                0 if r == c => "#f7fafc".to_owned(),
                0 => "#ffffff".to_owned(),
                n => shade(n as f64 / most as f64),
            };
            let _ = write!(
                out,
                "<rect x=\"{x}\" y=\"{y}\" width=\"{CELL}\" height=\"{CELL}\" fill=\"{fill}\" stroke=\"#e2e8f0\"><title>{} → {}: {count}</title></rect>",
                escape(label),
                escape(column)
            );
            if count > 0 {
                let ink = if count * 2 > most { "#ffffff" } else { "#1a202c" };
                let _ = write!(
                    out,
                    "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" font-size=\"11\" fill=\"{ink}\">{count}</text>",
                    x + CELL / 2,
                    y + CELL / 2 + 4
                );
            }
            out.push('\n');
        }
    }
    out.push_str("</svg>\n");
    out
}

/// A colour between `#ebf4ff` (share 0) and `#2b6cb0` (share 1).
fn shade(share: f64) -> String {
    let mix = |light: u8, dark: u8| (f64::from(light) + (f64::from(dark) - f64::from(light)) * share).round() as u8;
    format!("#{:02x}{:02x}{:02x}", mix(0xeb, 0x2b), mix(0xf4, 0x6c), mix(0xff, 0xb0))
}
