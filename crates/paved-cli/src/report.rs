//! Printing problems: human (source snippet, label, hint), short, or JSON.

use std::fmt;

use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource, SourceCode};
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
        Format::Human => {
            let handler =
                GraphicalReportHandler::new_themed(theme()).with_width(100).with_wrap_lines(false).with_links(false);
            for d in diagnostics {
                let mut out = String::new();
                let report = Report { source: NamedSource::new(d.file.name.clone(), d.file.text.clone()), d };
                if handler.render_report(&mut out, &report).is_err() {
                    out = d.to_string();
                }
                eprintln!("{out}");
            }
        }
    }
    if !diagnostics.is_empty() && format != Format::Json {
        eprintln!("{}", summary(diagnostics));
    }
}

/// `error: 3 problems in 2 files`
pub fn summary(diagnostics: &[Diagnostic]) -> String {
    let mut files: Vec<&str> = diagnostics.iter().map(|d| d.file.name.as_str()).collect();
    files.sort_unstable();
    files.dedup();
    let problems =
        if diagnostics.len() == 1 { "1 problem".to_owned() } else { format!("{} problems", diagnostics.len()) };
    let files = if files.len() == 1 { "1 file".to_owned() } else { format!("{} files", files.len()) };
    format!("error: {problems} in {files}")
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
