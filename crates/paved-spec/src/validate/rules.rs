//! Small helpers the rules of every file kind share: reading a field of the
//! positioned tree when it has the right type (a wrong type is the schema's to
//! report), and collecting findings.

use std::collections::BTreeSet;

use paved_jsonschema::quote;
use paved_yaml::{Node, NodeKind, Segment};

use crate::diagnostic::Finding;
use crate::syntax::{Problem, did_you_mean};

pub(super) fn key(k: &str) -> Segment {
    Segment::Key(k.to_owned())
}

pub(super) fn finding(path: Vec<Segment>, at_key: bool, message: String, hint: Option<String>) -> Finding {
    Finding { path, at_key, message, hint }
}

pub(super) fn problem(path_end: Segment, p: Problem) -> Finding {
    finding(vec![path_end], false, p.message, p.hint)
}

pub(super) fn ticked(items: &[&str]) -> String {
    items.iter().map(|i| format!("`{i}`")).collect::<Vec<_>>().join(", ")
}

/// The string at `node[field]`, if it is one (a wrong type is the schema's to report).
pub(super) fn string<'a>(node: &'a Node, field: &str) -> Option<(&'a str, &'a Node)> {
    let value = node.get(field)?;
    match &value.kind {
        NodeKind::String(s) => Some((s.as_str(), value)),
        _ => None,
    }
}

/// A quantity written as a string or a plain number, as text.
pub(super) fn quantity(node: &Node, field: &str) -> Option<String> {
    match &node.get(field)?.kind {
        NodeKind::String(s) => Some(s.clone()),
        NodeKind::Int(i) => Some(i.to_string()),
        NodeKind::Float(f) if f.is_finite() => Some(f.to_string()),
        // `.inf`, `.nan`, as written.
        NodeKind::Float(_) => node.get(field)?.to_json().as_str().map(str::to_owned),
        _ => None,
    }
}

pub(super) fn int(node: &Node, field: &str) -> Option<i64> {
    match node.get(field)?.kind {
        NodeKind::Int(i) => Some(i),
        _ => None,
    }
}

/// Collects findings under a path prefix.
pub(super) struct Rules {
    pub(super) out: Vec<Finding>,
}

impl Rules {
    pub(super) fn check(&mut self, path: Vec<Segment>, result: Result<impl Sized, Problem>) {
        if let Err(p) = result {
            self.out.push(finding(path, false, p.message, p.hint));
        }
    }

    pub(super) fn fail(&mut self, path: Vec<Segment>, at_key: bool, message: String, hint: Option<String>) {
        self.out.push(finding(path, at_key, message, hint));
    }

    /// Check each string of the list at `node[field]`.
    pub(super) fn each_string(&mut self, node: &Node, field: &str, check: impl Fn(&str) -> Result<(), Problem>) {
        let Some(NodeKind::Seq(items)) = node.get(field).map(|n| &n.kind) else { return };
        let mut seen = BTreeSet::new();
        for (i, item) in items.iter().enumerate() {
            if let NodeKind::String(s) = &item.kind {
                self.check(vec![key(field), Segment::Index(i)], check(s));
                if !seen.insert(s.as_str()) {
                    self.fail(
                        vec![key(field), Segment::Index(i)],
                        false,
                        format!("{} is listed twice", quote(s)),
                        Some("remove the repeat".into()),
                    );
                }
            }
        }
    }
}

/// `environments.<name>` when `name` is not one of the platform's environments.
pub(super) fn unknown_environment(name: &str, names: &[&str]) -> Option<Finding> {
    if names.contains(&name) {
        return None;
    }
    let hint = match did_you_mean(name, names.iter().copied()) {
        Some(c) => format!("did you mean `{c}`?"),
        None => format!("the platform's environments are {}", ticked(names)),
    };
    Some(finding(
        vec![key("environments"), key(name)],
        true,
        format!("unknown environment {}", quote(name)),
        Some(hint),
    ))
}
