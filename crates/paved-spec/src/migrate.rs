//! Editing app files in place, keeping their comments and formatting: the
//! pin rewrite and the migrations a new major blueprint version ships.
//!
//! Each edit works on the text, guided by the positions of the parsed tree,
//! and the file is parsed again after each one; nothing is re-serialised, so
//! a person's comments, quoting and order survive an upgrade.

use paved_yaml::{Limits, Node, NodeKind, Segment};
use serde::Deserialize;

/// `migration.yaml` in a major version's folder: what to do to app files of
/// the previous major, in order.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Migration {
    /// The operations, applied in order.
    pub operations: Vec<Operation>,
}

/// One edit of an app file. Paths are dotted field paths (`probes.startup`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "lowercase")]
pub enum Operation {
    /// Give a field another name under the same parent.
    Rename { from: String, to: String },
    /// Move a field (with its value, comments inside it and all) to another path.
    Move { from: String, to: String },
    /// Remove a field.
    Delete { path: String },
}

fn parse(text: &str) -> Result<Node, String> {
    paved_yaml::load_one(text, Limits::default()).map_err(|e| e.message)
}

fn segments(path: &str) -> Vec<Segment> {
    path.split('.').map(|s| Segment::Key(s.to_owned())).collect()
}

/// Replace the value of the top-level `blueprint:` field.
pub fn rewrite_pin(text: &str, pin: &str) -> Result<String, String> {
    let root = parse(text)?;
    let value = root.get("blueprint").ok_or("the file has no `blueprint` field")?;
    let NodeKind::String(old) = &value.kind else { return Err("`blueprint` is not a string".into()) };
    // Replace the pin's characters only, wherever the scalar starts (a quote
    // or not), so quoting and a trailing comment stay as they were.
    let start = value.span.start.offset;
    let at = text[start..].find(old.as_str()).map(|i| start + i).ok_or("cannot find the pin's text")?;
    Ok(format!("{}{pin}{}", &text[..at], &text[at + old.len()..]))
}

/// Apply every operation of a migration, in order. Operations whose field is
/// absent do nothing (the app did not use it).
pub fn apply(text: &str, migration: &Migration) -> Result<String, String> {
    let mut text = text.to_owned();
    for op in &migration.operations {
        text = match op {
            Operation::Rename { from, to } => rename(&text, from, to)?,
            Operation::Move { from, to } => relocate(&text, from, to)?,
            Operation::Delete { path } => delete(&text, path)?.0,
        };
    }
    Ok(text)
}

fn rename(text: &str, from: &str, to: &str) -> Result<String, String> {
    let (parent_from, key_from) = from.rsplit_once('.').unwrap_or(("", from));
    let (parent_to, key_to) = to.rsplit_once('.').unwrap_or(("", to));
    if parent_from != parent_to {
        return relocate(text, from, to);
    }
    let root = parse(text)?;
    let parent = if parent_from.is_empty() { Some(&root) } else { root.at(&segments(parent_from)) };
    let Some(entry) = parent.and_then(|p| p.entry(key_from)) else { return Ok(text.to_owned()) };
    if parent.and_then(|p| p.entry(key_to)).is_some() {
        return Err(format!("cannot rename `{from}` to `{to}`: `{to}` is already set"));
    }
    let (start, end) = (entry.key_span.start.offset, entry.key_span.end.offset);
    Ok(format!("{}{key_to}{}", &text[..start], &text[end..]))
}

/// Remove a field's lines; returns the new text and the removed lines.
fn delete(text: &str, path: &str) -> Result<(String, Option<String>), String> {
    let root = parse(text)?;
    let (parent_path, key) = path.rsplit_once('.').unwrap_or(("", path));
    let parent = if parent_path.is_empty() { Some(&root) } else { root.at(&segments(parent_path)) };
    let Some(parent) = parent else { return Ok((text.to_owned(), None)) };
    let Some(entry) = parent.entry(key) else { return Ok((text.to_owned(), None)) };
    if in_flow(text, entry.key_span.start.offset) {
        return Err(format!("`{path}` is inside a `{{…}}` mapping; write that mapping in block style first"));
    }
    let start = text[..entry.key_span.start.offset].rfind('\n').map(|i| i + 1).unwrap_or(0);
    // The entry ends where the next entry of its mapping starts (at that line),
    // or where its own value ends: block scalars end at the next key.
    let NodeKind::Map(entries) = &parent.kind else { return Ok((text.to_owned(), None)) };
    let index = entries.iter().position(|e| e.key == key).unwrap_or_default();
    let end = match entries.get(index + 1) {
        Some(next) => text[..next.key_span.start.offset].rfind('\n').map(|i| i + 1).unwrap_or(0),
        None => {
            let value_end = entry.value.span.end.offset.max(entry.key_span.end.offset);
            match text[..value_end].ends_with('\n') {
                true => value_end,
                false => text[value_end..].find('\n').map(|i| value_end + i + 1).unwrap_or(text.len()),
            }
        }
    };
    // Comments and blank lines just before the next entry belong to it.
    let mut end = end.max(start);
    let removed_text = &text[start..end];
    let trailing: usize = removed_text
        .split_inclusive('\n')
        .rev()
        .take_while(|l| l.trim().is_empty() || l.trim_start().starts_with('#'))
        .map(str::len)
        .sum();
    if trailing < removed_text.len() {
        end -= trailing;
    }
    let removed = text[start..end].to_owned();
    Ok((format!("{}{}", &text[..start], &text[end..]), Some(removed)))
}

/// Whether `offset` is inside a flow mapping or sequence (`{…}`, `[…]`) on its line.
fn in_flow(text: &str, offset: usize) -> bool {
    let line_start = text[..offset].rfind('\n').map(|i| i + 1).unwrap_or(0);
    let before = &text[line_start..offset];
    let opened = before.matches(['{', '[']).count();
    let closed = before.matches(['}', ']']).count();
    opened > closed
}

fn relocate(text: &str, from: &str, to: &str) -> Result<String, String> {
    let root = parse(text)?;
    if root.at(&segments(to)).is_some() {
        return Err(format!("cannot move `{from}` to `{to}`: `{to}` is already set"));
    }
    let (parent_to, key_to) = to.rsplit_once('.').unwrap_or(("", to));
    let old_indent = root.span_at(&segments(from), true).start.column.saturating_sub(1) as usize;
    let (without, removed) = delete(text, from)?;
    let Some(removed) = removed else { return Ok(text.to_owned()) };
    let root = parse(&without)?;
    // Where the target parent's entries are, and how deep.
    let (insert_at, indent) = if parent_to.is_empty() {
        (without.len(), 0)
    } else {
        let parent = root
            .at(&segments(parent_to))
            .ok_or(format!("cannot move `{from}` to `{to}`: there is no `{parent_to}`"))?;
        let NodeKind::Map(entries) = &parent.kind else {
            return Err(format!("cannot move `{from}` to `{to}`: `{parent_to}` is not a mapping"));
        };
        let Some(first) = entries.first() else { return Err(format!("cannot move into the empty `{parent_to}`")) };
        let end = parent.span.end.offset;
        let end = match without[..end].ends_with('\n') {
            true => end,
            false => without[end..].find('\n').map(|i| end + i + 1).unwrap_or(without.len()),
        };
        (end, first.key_span.start.column.saturating_sub(1) as usize)
    };
    // Re-indent the removed lines and give the first its new key.
    let mut block = String::new();
    for (i, line) in removed.lines().enumerate() {
        let stripped = line.get(old_indent.min(line.len() - line.trim_start().len())..).unwrap_or(line);
        let line = if i == 0 {
            let rest = stripped.split_once(':').map(|(_, r)| r).unwrap_or("");
            format!("{key_to}:{rest}")
        } else {
            stripped.to_owned()
        };
        block.push_str(&" ".repeat(indent));
        block.push_str(&line);
        block.push('\n');
    }
    let mut prefix = without[..insert_at].to_owned();
    if !prefix.is_empty() && !prefix.ends_with('\n') {
        prefix.push('\n');
    }
    // Keep the file's line endings.
    let block = match text.contains("\r\n") {
        true => block.replace('\n', "\r\n").replace("\r\r\n", "\r\n"),
        false => block,
    };
    Ok(format!("{prefix}{block}{}", &without[insert_at..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    const APP: &str = "# the app\nname: a   # keep me\nteam: t\nblueprint: api@1  # pinned\nimage: acr.bank.internal/t/a\nport: 8080\nprobes:\n  startup: /started  # slow\n  liveness: /healthz\nmetrics:\n  port: 9090\n";

    #[test]
    fn the_pin_is_rewritten_in_place() {
        let out = rewrite_pin(APP, "api@2").expect("rewrite");
        assert_eq!(out, APP.replace("blueprint: api@1  # pinned", "blueprint: api@2  # pinned"));
    }

    #[test]
    fn rename_move_and_delete_keep_everything_else() {
        let migration: Migration = serde_json::from_value(serde_json::json!({"operations": [
            {"rename": {"from": "probes.startup", "to": "probes.boot"}},
            {"move": {"from": "metrics", "to": "probes.metrics"}},
            {"delete": {"path": "probes.liveness"}},
            {"delete": {"path": "absent.field"}},
        ]}))
        .expect("migration");
        let out = apply(APP, &migration).expect("apply");
        assert_eq!(
            out,
            "# the app\nname: a   # keep me\nteam: t\nblueprint: api@1  # pinned\nimage: acr.bank.internal/t/a\nport: 8080\nprobes:\n  boot: /started  # slow\n  metrics:\n    port: 9090\n"
        );
        let err = apply(
            APP,
            &serde_json::from_value(serde_json::json!({"operations": [{"rename": {"from": "name", "to": "team"}}]}))
                .expect("m"),
        );
        assert!(err.is_err());
    }

    fn op(value: serde_json::Value) -> Migration {
        serde_json::from_value(serde_json::json!({ "operations": [value] })).expect("migration")
    }

    #[test]
    fn edge_cases_are_edited_or_refused_never_corrupted() {
        // A block scalar ends at the next key; the next key stays.
        let text = "env:\n  A: |\n    x\n  B: y\n";
        assert_eq!(apply(text, &op(serde_json::json!({"delete": {"path": "env.A"}}))).expect("ok"), "env:\n  B: y\n");
        // A comment above the next key stays with it.
        let text = "a:\n  x: 1\n\n# about b\nb: 2\n";
        assert_eq!(apply(text, &op(serde_json::json!({"delete": {"path": "a"}}))).expect("ok"), "\n# about b\nb: 2\n");
        // Flow style is refused rather than mangled.
        let text = "probes: {startup: /x, liveness: /l}\n";
        assert!(apply(text, &op(serde_json::json!({"delete": {"path": "probes.startup"}}))).is_err());
        // Quoted pins keep their quotes and comments.
        assert_eq!(
            rewrite_pin("blueprint: \"api@1\"  # pinned\n", "api@2").expect("ok"),
            "blueprint: \"api@2\"  # pinned\n"
        );
    }
}
