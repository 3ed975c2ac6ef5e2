//! Printing problems: human (source snippet, label, hint), short, or JSON.

use std::fmt;

use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource, Severity, SourceCode};
use paved_spec::Diagnostic;

use crate::cli::Format;

/// Print every diagnostic (stderr, or stdout for JSON), then a one-line summary.
pub fn print(diagnostics: &[Diagnostic], format: Format) {
    match format {
        Format::Json => {
            let items: Vec<serde_json::Value> = diagnostics
                .iter()
                .map(|d| {
                    serde_json::json!({
                        "file": d.file.name,
                        "line": d.span.start.line,
                        "column": d.span.start.column,
                        "field": d.field,
                        "message": d.message,
                        "hint": d.hint,
                    })
                })
                .collect();
            outln!("{}", serde_json::to_string_pretty(&items).unwrap_or_default());
        }
        Format::Short => {
            for d in diagnostics {
                eprintln!("{d}");
            }
        }
        Format::Human => human(diagnostics, Severity::Error),
    }
    if !diagnostics.is_empty() && format != Format::Json {
        eprintln!("{}", summary(diagnostics));
    }
}

/// Print the warnings of valid files, always on stderr (in JSON mode too, one
/// line each, so stdout stays the list of problems), then a one-line summary.
/// Warnings never change the exit code.
pub fn warnings(diagnostics: &[Diagnostic], format: Format) {
    if diagnostics.is_empty() {
        return;
    }
    match format {
        Format::Human => human(diagnostics, Severity::Warning),
        Format::Short | Format::Json => diagnostics.iter().for_each(|d| eprintln!("warning: {d}")),
    }
    if format == Format::Human {
        let count = match diagnostics.len() {
            1 => "1 warning".to_owned(),
            n => format!("{n} warnings"),
        };
        eprintln!("warning: {count} in {}", files(diagnostics));
    }
}

/// Each diagnostic with its source snippet, label and hint.
fn human(diagnostics: &[Diagnostic], severity: Severity) {
    let handler = GraphicalReportHandler::new_themed(theme()).with_width(100).with_wrap_lines(false).with_links(false);
    for d in diagnostics {
        let mut out = String::new();
        let report = Report { source: NamedSource::new(d.file.name.clone(), d.file.text.clone()), d, severity };
        match longest_shown_line(d) {
            // A snippet of a huge line (a minified or hostile file) would bury the message.
            n if n > MAX_SNIPPET_LINE => out = without_snippet(d, n, severity),
            _ => {
                if handler.render_report(&mut out, &report).is_err() {
                    out = d.to_string();
                }
            }
        }
        eprintln!("{out}");
    }
}

/// The longest source line a snippet may show, in characters.
pub(crate) const MAX_SNIPPET_LINE: usize = 300;

/// The length in characters of the longest line a snippet of `d` would show
/// (the lines of its span, and one on either side).
fn longest_shown_line(d: &Diagnostic) -> usize {
    let first = d.span.start.line.max(1) as usize - 1;
    let last = d.span.end.line.max(d.span.start.line).max(1) as usize - 1;
    d.file
        .text
        .lines()
        .skip(first.saturating_sub(1))
        .take(last - first + 3)
        .map(|l| l.chars().count())
        .max()
        .unwrap_or(0)
}

/// The report without its source snippet: where, what, and the hint.
fn without_snippet(d: &Diagnostic, longest: usize, severity: Severity) -> String {
    let title = if d.field.is_empty() { d.message.clone() } else { format!("{}: {}", d.field, d.message) };
    let mark = if severity == Severity::Warning { "⚠" } else { "×" };
    let mut out = format!(
        "  {mark} {title}\n   ╭─[{}]\n   ╰──── (a line here is {longest} characters long, too long to show)\n",
        d.location()
    );
    if let Some(hint) = &d.hint {
        out.push_str(&format!("  help: {hint}\n"));
    }
    out
}

/// `error: 3 problems in 2 files`
pub fn summary(diagnostics: &[Diagnostic]) -> String {
    let problems =
        if diagnostics.len() == 1 { "1 problem".to_owned() } else { format!("{} problems", diagnostics.len()) };
    format!("error: {problems} in {}", files(diagnostics))
}

/// `1 file`, `2 files`: the files the diagnostics are in.
fn files(diagnostics: &[Diagnostic]) -> String {
    let mut files: Vec<&str> = diagnostics.iter().map(|d| d.file.name.as_str()).collect();
    files.sort_unstable();
    files.dedup();
    if files.len() == 1 { "1 file".to_owned() } else { format!("{} files", files.len()) }
}

/// Colour only for a person at a terminal, and never with `NO_COLOR` set.
fn theme() -> GraphicalTheme {
    use std::io::IsTerminal;
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    if no_color || !std::io::stderr().is_terminal() {
        GraphicalTheme::unicode_nocolor()
    } else {
        GraphicalTheme::unicode()
    }
}

struct Report<'a> {
    d: &'a Diagnostic,
    source: NamedSource<String>,
    severity: Severity,
}

impl fmt::Debug for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.d, f)
    }
}

impl fmt::Display for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.d.field.is_empty() {
            write!(f, "{}", self.d.message)
        } else {
            write!(f, "{}: {}", self.d.field, self.d.message)
        }
    }
}

impl std::error::Error for Report<'_> {}

impl miette::Diagnostic for Report<'_> {
    fn severity(&self) -> Option<Severity> {
        Some(self.severity)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(&self.source)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let span = self.d.span;
        Some(Box::new(std::iter::once(LabeledSpan::new(None, span.start.offset, span.len()))))
    }

    fn help(&self) -> Option<Box<dyn fmt::Display + '_>> {
        self.d.hint.as_ref().map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }
}
