//! The fleet report (`paved report`): one static HTML page a person opens from
//! a pipeline artifact or a wiki, with no network and no script: the outdated
//! table, a chart of blueprint-version adoption, the call graph of each
//! environment (SVG, inline) and the image inventory.
//!
//! Everything is inline (styles, pictures) and nothing runs, so the page shows
//! the same offline, behind a strict Content-Security-Policy (which it sets for
//! itself), and from a file share. Every value is HTML-escaped.

use std::fmt::Write as _;

/// A table: a header, and rows of cells (plain text; escaped here).
#[derive(Debug, Clone, Default)]
pub struct Table {
    /// The column names.
    pub header: Vec<String>,
    /// The rows, each as many cells as the header.
    pub rows: Vec<Vec<String>>,
}

/// One bar of the adoption chart: a blueprint version and how many apps run it.
#[derive(Debug, Clone)]
pub struct Bar {
    /// `api@1.2.0`.
    pub label: String,
    /// How many apps run it.
    pub apps: usize,
    /// `published`, `deprecated` or `yanked`: how the bar is coloured.
    pub status: String,
}

/// What the page shows.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// What the page is about, in its title (the paths given).
    pub subject: String,
    /// One row per app: versions and status.
    pub outdated: Table,
    /// How many apps need attention (behind, deprecated or yanked).
    pub attention: usize,
    /// How many apps run each blueprint version.
    pub adoption: Vec<Bar>,
    /// The call graph of each environment, as SVG.
    pub graphs: Vec<(String, String)>,
    /// One row per container of every app in every environment.
    pub images: Table,
}

/// HTML-escape text for an element's content or an attribute value.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

const STYLE: &str = "
body { font-family: system-ui, sans-serif; margin: 2rem; color: #1a202c; background: #fff; }
h1 { font-size: 1.6rem; } h2 { font-size: 1.25rem; margin-top: 2.5rem; border-bottom: 1px solid #e2e8f0; }
table { border-collapse: collapse; font-size: 0.85rem; }
th, td { text-align: left; padding: 0.25rem 0.6rem; border-bottom: 1px solid #edf2f7; vertical-align: top; }
th { background: #f7fafc; position: sticky; top: 0; }
td.attention { color: #9b2c2c; font-weight: 600; }
.summary { display: flex; gap: 2rem; flex-wrap: wrap; }
.figure { border: 1px solid #e2e8f0; border-radius: 6px; padding: 0.5rem; overflow: auto; max-height: 80vh; }
.figure svg { max-width: 100%; height: auto; }
details > summary { cursor: pointer; font-weight: 600; margin: 0.5rem 0; }
code { font-size: 0.85rem; }
";

/// The page.
pub fn html(report: &Report) -> String {
    let mut out = String::with_capacity(64 * 1024);
    let title = format!("paved fleet report: {}", report.subject);
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<h1>{}</h1>\n",
        escape(&title),
        escape(&title)
    );
    let _ = write!(
        out,
        "<div class=\"summary\">\n<section id=\"versions\">\n<h2>Blueprint versions</h2>\n<p>{} of {} apps need attention.</p>\n",
        report.attention,
        report.outdated.rows.len()
    );
    let status_column = report.outdated.header.iter().position(|h| h == "status");
    table(&mut out, "outdated", &report.outdated, |row, column| {
        Some(column) == status_column && row.get(column).is_some_and(|s| s != "up to date")
    });
    out.push_str("</section>\n<section id=\"adoption\">\n<h2>Apps per blueprint version</h2>\n");
    out.push_str(&adoption_chart(&report.adoption));
    out.push_str("</section>\n</div>\n<section id=\"graphs\">\n<h2>Call graphs</h2>\n");
    for (i, (environment, svg)) in report.graphs.iter().enumerate() {
        let open = if i == 0 { " open" } else { "" };
        let _ = write!(
            out,
            "<details{open} id=\"graph-{}\">\n<summary>{}</summary>\n<div class=\"figure graph\">\n{svg}</div>\n</details>\n",
            escape(environment),
            escape(environment),
            svg = legible(&scoped(svg, i)),
        );
    }
    out.push_str("</section>\n<section id=\"images\">\n<h2>Images</h2>\n");
    table(&mut out, "images", &report.images, |_, _| false);
    out.push_str("</section>\n</body>\n</html>\n");
    out
}

/// Several SVG pictures in one page share one id space: each picture's ids (arrow
/// markers, clip paths) get its own prefix.
fn scoped(svg: &str, picture: usize) -> String {
    svg.replace("id=\"", &format!("id=\"g{picture}-")).replace("url(#", &format!("url(#g{picture}-"))
}

/// How far a picture may shrink to fit the page: at seven tenths, its 14-pixel labels
/// (10 pixels then) are still read without zooming; a wider graph scrolls in its frame.
const SMALLEST_SCALE: f64 = 0.7;

/// The picture, shrunk to the page's width (the style sheet's `max-width`) but no
/// further than [`SMALLEST_SCALE`].
fn legible(svg: &str) -> String {
    let width = svg
        .strip_prefix("<svg width=\"")
        .and_then(|rest| rest.split_once('"'))
        .and_then(|(width, _)| width.parse::<f64>().ok());
    match width {
        Some(width) => {
            let min = (width * SMALLEST_SCALE).round();
            svg.replacen("<svg ", &format!("<svg style=\"min-width: {min}px\" "), 1)
        }
        None => svg.to_owned(),
    }
}

fn table(out: &mut String, id: &str, table: &Table, attention: impl Fn(&[String], usize) -> bool) {
    let _ = write!(out, "<table id=\"{id}-table\">\n<thead><tr>");
    for h in &table.header {
        let _ = write!(out, "<th>{}</th>", escape(h));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for row in &table.rows {
        out.push_str("<tr>");
        for (column, cell) in row.iter().enumerate() {
            let class = if attention(row, column) { " class=\"attention\"" } else { "" };
            let _ = write!(out, "<td{class}>{}</td>", escape(cell));
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n");
}

/// A horizontal bar per version, as inline SVG.
fn adoption_chart(bars: &[Bar]) -> String {
    const ROW: usize = 24;
    const LABEL: usize = 170;
    const WIDTH: usize = 260;
    let most = bars.iter().map(|b| b.apps).max().unwrap_or(0).max(1);
    let height = bars.len() * ROW + 8;
    let mut out = format!(
        "<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" width=\"{}\" height=\"{height}\" viewBox=\"0 0 {} {height}\" role=\"img\" aria-label=\"apps per blueprint version\">\n",
        LABEL + WIDTH + 60,
        LABEL + WIDTH + 60
    );
    for (i, bar) in bars.iter().enumerate() {
        let y = i * ROW + 4;
        let length = (bar.apps * WIDTH).div_ceil(most);
        let colour = match bar.status.as_str() {
            "yanked" => "#c53030",
            "deprecated" => "#dd6b20",
            _ => "#3182ce",
        };
        let _ = writeln!(
            out,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\" font-size=\"12\" font-family=\"sans-serif\">{}</text>\
             <rect x=\"{LABEL}\" y=\"{y}\" width=\"{length}\" height=\"{}\" fill=\"{colour}\"><title>{} apps</title></rect>\
             <text x=\"{}\" y=\"{}\" font-size=\"12\" font-family=\"sans-serif\">{}{}</text>",
            LABEL - 8,
            y + 14,
            escape(&bar.label),
            ROW - 6,
            bar.apps,
            LABEL + length + 6,
            y + 14,
            bar.apps,
            if bar.status == "published" { String::new() } else { format!(" ({})", escape(&bar.status)) }
        );
    }
    out.push_str("</svg>\n");
    out
}
