//! Problems in input files, each with file, position, field path and a hint.

use std::fmt;
use std::sync::Arc;

use paved_yaml::{Segment, Span};

/// A file as read: its display name (as the user named it) and its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFile {
    pub name: String,
    pub text: String,
}

/// One problem in one input file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub file: Arc<SourceFile>,
    pub span: Span,
    /// The field path, such as `environments.prod.replicas.min` (empty for the file as a whole).
    pub field: String,
    pub message: String,
    pub hint: Option<String>,
}

impl Diagnostic {
    /// `file:line:column`
    pub fn location(&self) -> String {
        format!("{}:{}:{}", self.file.name, self.span.start.line.max(1), self.span.start.column.max(1))
    }
}

impl fmt::Display for Diagnostic {
    /// One line, for logs and `--format short`: `file:line:col: field: message (hint)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: ", self.location())?;
        if !self.field.is_empty() {
            write!(f, "{}: ", self.field)?;
        }
        write!(f, "{}", self.message)?;
        if let Some(hint) = &self.hint {
            write!(f, " ({hint})")?;
        }
        Ok(())
    }
}

/// Render a path the way people write it: `environments.prod.replicas`,
/// `calls[2]`, `podLabels["app.kubernetes.io/name"]`.
pub fn display_path(path: &[Segment]) -> String {
    let mut out = String::new();
    for segment in path {
        match segment {
            Segment::Index(i) => out.push_str(&format!("[{i}]")),
            // A key long enough to drown the message (a hostile file) is shortened.
            Segment::Key(key) if key.chars().count() > 64 => {
                let short: String = key.chars().take(60).collect();
                out.push_str(&format!("[{:?}]", format!("{short}…")));
            }
            Segment::Key(key) if is_simple_key(key) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(key);
            }
            Segment::Key(key) => out.push_str(&format!("[{key:?}]")),
        }
    }
    out
}

fn is_simple_key(key: &str) -> bool {
    !key.is_empty() && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// A problem found by a check, before it is tied to a file and position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Finding {
    pub path: Vec<Segment>,
    /// Point at the key rather than the value (unknown or unsupported fields).
    pub at_key: bool,
    pub message: String,
    pub hint: Option<String>,
}
