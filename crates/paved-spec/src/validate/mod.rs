//! Loading and checking the files people write, one file at a time.
//!
//! Each file goes through the same steps: parse with positions ([`load`]),
//! refuse over-long strings alone ([`over_long`]), check the generated schema
//! ([`crate::schema`]), then the rules a schema cannot express (the
//! [`app`], [`platform`] and [`team`] rules), and tie every finding to its
//! line and field ([`into_diagnostics`]).
//!
//! Checks run on the positioned tree, not on typed data, so that one run
//! reports every problem in a file: a field of the wrong type is reported by the
//! schema and skipped here, and every other field is still checked.

use std::collections::HashMap;
use std::sync::Arc;

use paved_yaml::{Limits, Node, NodeKind, Segment, Span};

use crate::diagnostic::{Diagnostic, Finding, SourceFile, display_path};
use crate::limits::{MAX_PROBLEMS_PER_FILE, MAX_STRING_BYTES};
use crate::schema::{self, SchemaKind};
use rules::finding;

mod app;
mod composition;
mod environment;
mod platform;
mod rules;
mod team;
mod workload;

pub use app::{BlueprintRules, LaterVersion, ValidApp, validate_app};
pub use platform::validate_platform;
pub use team::validate_team;

/// A file of one kind, whole: parsed, strings bounded, checked against its
/// schema and `rules`, every problem reported with its position; or its data.
fn validate_file<T: serde::de::DeserializeOwned>(
    file: SourceFile,
    kind: SchemaKind,
    empty_hint: &str,
    rules: &dyn Fn(&Node) -> Vec<Finding>,
) -> Result<T, Vec<Diagnostic>> {
    let file = Arc::new(file);
    let (root, soft) = load(&file, empty_hint)?;
    if let Some(diagnostics) = over_long(kind, &file, &root) {
        return Err(diagnostics);
    }
    let mut list = schema::check(kind, &root);
    list.extend(rules(&root));
    let findings: Vec<(Span, Finding)> = list.into_iter().map(|f| (root.span_at(&f.path, f.at_key), f)).collect();
    if !findings.is_empty() || !soft.is_empty() {
        return Err(into_diagnostics(kind, &file, &root, findings, soft));
    }
    serde_json::from_value(root.to_json()).map_err(|e| vec![internal(&file, e.to_string())])
}

/// Parse the file; a YAML problem is the one diagnostic (nothing else can be
/// checked), with a hint even when the parser has none.
fn load(file: &Arc<SourceFile>, empty_hint: &str) -> Result<(Node, Vec<Diagnostic>), Vec<Diagnostic>> {
    let diagnostic = |e: paved_yaml::LoadError| {
        let hint = e.hint.unwrap_or_else(|| {
            if file.text.trim().is_empty() {
                empty_hint.to_owned()
            } else {
                "check the indentation (spaces, never tabs) and quote values that hold `: ` or `#`".into()
            }
        });
        Diagnostic { file: file.clone(), span: e.span, field: String::new(), message: e.message, hint: Some(hint) }
    };
    match paved_yaml::load_one_lenient(&file.text, Limits::default()) {
        Ok((node, soft)) => Ok((node, soft.into_iter().map(diagnostic).collect())),
        Err(e) => Err(vec![diagnostic(e)]),
    }
}

/// Strings longer than [`MAX_STRING_BYTES`], when there are any: the only
/// problems reported then, so no other check spends time on them.
fn over_long(kind: SchemaKind, file: &Arc<SourceFile>, root: &Node) -> Option<Vec<Diagnostic>> {
    let limit = MAX_STRING_BYTES;
    let hint = || {
        Some("values in paved's files are short; a long text (a certificate, a whole config file) belongs in a Secret or ConfigMap of its own".to_owned())
    };
    let mut found = Vec::new();
    root.walk(&mut |path, node, key| {
        if let (Some(_), Some(Segment::Key(k))) = (key, path.last()) {
            if k.len() > limit {
                let message =
                    format!("the key is {} bytes long, more than the limit of {limit} bytes (64 KiB)", k.len());
                found.push(finding(path.to_vec(), true, message, hint()));
            }
        }
        if let NodeKind::String(s) = &node.kind {
            if s.len() > limit {
                let message =
                    format!("the value is {} bytes long, more than the limit of {limit} bytes (64 KiB)", s.len());
                found.push(finding(path.to_vec(), false, message, hint()));
            }
        }
    });
    if found.is_empty() {
        return None;
    }
    let findings = found.into_iter().map(|f| (root.span_at(&f.path, f.at_key), f)).collect();
    Some(into_diagnostics(kind, file, root, findings, Vec::new()))
}

fn internal(file: &Arc<SourceFile>, message: String) -> Diagnostic {
    Diagnostic {
        file: file.clone(),
        span: Span::default(),
        field: String::new(),
        message: format!("could not read the file after checking it: {message}"),
        hint: Some("this is a bug in paved; please report it with the file".into()),
    }
}

/// Tie findings to the file: sort by position, drop repeats, and name each
/// problem by its path in the file as written (a problem found in an
/// environment's merged settings may sit under `environments.<env>`).
fn into_diagnostics(
    kind: SchemaKind,
    file: &Arc<SourceFile>,
    root: &Node,
    findings: Vec<(Span, Finding)>,
    soft: Vec<Diagnostic>,
) -> Vec<Diagnostic> {
    let mut paths: HashMap<Span, Vec<Segment>> = HashMap::new();
    index_paths(root, &mut paths);
    let mut out: Vec<Diagnostic> = findings
        .into_iter()
        .map(|(span, f)| {
            let path = paths.get(&span).cloned().unwrap_or(f.path);
            let hint = f.hint.or_else(|| schema_hint(kind, &path));
            let span = first_line(&file.text, span);
            Diagnostic { file: file.clone(), span, field: display_path(&path), message: f.message, hint }
        })
        .chain(soft)
        .collect();
    out.sort_by(|a, b| (a.span.start, &a.message).cmp(&(b.span.start, &b.message)));
    out.dedup_by(|a, b| a.span == b.span && a.message == b.message);
    if out.len() > MAX_PROBLEMS_PER_FILE {
        out.truncate(MAX_PROBLEMS_PER_FILE);
        out.push(Diagnostic {
            file: file.clone(),
            span: Span::default(),
            field: String::new(),
            message: format!("more problems in this file are not shown: only the first {MAX_PROBLEMS_PER_FILE} are"),
            hint: Some("fix these and run paved again".into()),
        });
    }
    out
}

/// A problem about a whole mapping (a missing field) points at its first
/// line, not at every line of it.
fn first_line(text: &str, span: Span) -> Span {
    if span.end.line <= span.start.line {
        return span;
    }
    let rest = text.get(span.start.offset..).unwrap_or_default();
    let len = rest.find('\n').unwrap_or(rest.len());
    let mut end = span.start;
    end.offset += len;
    end.column += rest[..len].chars().count() as u32;
    Span { start: span.start, end }
}

fn index_paths(root: &Node, out: &mut HashMap<Span, Vec<Segment>>) {
    root.walk(&mut |path, node, key| {
        if let Some(key) = key {
            out.entry(key).or_insert_with(|| path.to_vec());
        }
        out.entry(node.span).or_insert_with(|| path.to_vec());
    });
}

/// The first sentence of a field's description, as a hint: where a check has
/// nothing better to say, the field's own documentation.
fn schema_hint(kind: SchemaKind, path: &[Segment]) -> Option<String> {
    if path.is_empty() {
        return None;
    }
    schema::explain_short(schema::schema(kind), path, "")
}
