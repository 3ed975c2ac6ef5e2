//! Object-aware diffs of rendered output, for pull requests.
//!
//! Two renders (of two revisions, or two blueprint versions) are compared
//! object by object, keyed by app, environment, kind, namespace and name:
//! objects are added, removed or changed; a changed object lists the fields
//! that changed (JSON pointers, with before and after) and the unified text
//! hunks of its YAML. Text is for terminals, Markdown for pull-request
//! comments (a summary table, details collapsed), JSON for machines.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::Value;
use similar::TextDiff;

use crate::engine::Rendered;

/// Where an object sits: app, environment, kind, namespace, name.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct ObjectKey {
    /// `team/app`.
    pub app: String,
    /// The environment.
    pub environment: String,
    /// The object's kind.
    pub kind: String,
    /// The object's namespace (empty when cluster-scoped).
    pub namespace: String,
    /// The object's name.
    pub name: String,
}

/// What happened to one object.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ObjectChange {
    /// Which object.
    #[serde(flatten)]
    pub key: ObjectKey,
    /// Added, removed or changed.
    pub change: Change,
    /// For a changed object: each changed field.
    pub fields: Vec<FieldChange>,
    /// The unified diff of the object's YAML (for `added` and `removed`, the whole object).
    #[serde(skip)]
    pub hunks: String,
}

/// What happened to an object. In JSON: `"added"`, `"removed"`, `"changed"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Change {
    /// Only in the render after.
    Added,
    /// Only in the render before.
    Removed,
    /// In both, with different contents.
    Changed,
}

impl Change {
    /// Its mark in text and Markdown: `+`, `-` or `~`.
    fn sign(self) -> char {
        match self {
            Change::Added => '+',
            Change::Removed => '-',
            Change::Changed => '~',
        }
    }
}

/// One changed field.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FieldChange {
    /// A JSON pointer into the object.
    pub path: String,
    /// The value before (`null` when absent).
    pub before: Value,
    /// The value after (`null` when absent).
    pub after: Value,
}

/// Every object of a render, by key, as data.
fn index(rendered: &[Rendered]) -> BTreeMap<ObjectKey, &Value> {
    let mut objects = BTreeMap::new();
    for r in rendered {
        for object in r.all_objects() {
            let key = ObjectKey {
                app: format!("{}/{}", r.team, r.app),
                environment: r.environment.clone(),
                kind: object.kind().to_owned(),
                namespace: object.namespace().to_owned(),
                name: object.name().to_owned(),
            };
            objects.insert(key, &object.value);
        }
    }
    objects
}

/// The changes from `before` to `after`: by app, then environment in
/// promotion order (the order the renders list them), then kind, namespace
/// and name.
pub fn diff(before: &[Rendered], after: &[Rendered]) -> Vec<ObjectChange> {
    let (old, new) = (index(before), index(after));
    let mut order: Vec<&str> = Vec::new();
    for r in after.iter().chain(before) {
        if !order.contains(&r.environment.as_str()) {
            order.push(&r.environment);
        }
    }
    let rank = |env: &str| order.iter().position(|e| *e == env).unwrap_or(usize::MAX);
    let mut keys: Vec<&ObjectKey> = old.keys().chain(new.keys()).collect();
    keys.sort_by(|a, b| (&a.app, rank(&a.environment), *a).cmp(&(&b.app, rank(&b.environment), *b)));
    keys.dedup();
    let mut changes = Vec::new();
    for key in keys {
        let (a, b) = (old.get(key).copied(), new.get(key).copied());
        let change = match (a, b) {
            (Some(a), Some(b)) if a == b => continue,
            (Some(_), Some(_)) => Change::Changed,
            (None, Some(_)) => Change::Added,
            (Some(_), None) => Change::Removed,
            (None, None) => continue,
        };
        let mut fields = Vec::new();
        if let (Some(a), Some(b)) = (a, b) {
            field_changes(a, b, String::new(), &mut fields);
        }
        let text = |v: Option<&Value>| v.map(paved_yaml::emit).unwrap_or_default();
        let (a_text, b_text) = (text(a), text(b));
        let hunks = TextDiff::from_lines(&a_text, &b_text).unified_diff().context_radius(3).to_string();
        changes.push(ObjectChange { key: key.clone(), change, fields, hunks });
    }
    changes
}

fn field_changes(a: &Value, b: &Value, at: String, out: &mut Vec<FieldChange>) {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            let mut keys: Vec<&String> = x.keys().chain(y.keys()).collect();
            keys.sort();
            keys.dedup();
            for key in keys {
                let escaped = paved_jsonschema::pointer::escape(key);
                let (p, q) = (x.get(key).unwrap_or(&Value::Null), y.get(key).unwrap_or(&Value::Null));
                field_changes(p, q, format!("{at}/{escaped}"), out);
            }
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => {
            for (i, (p, q)) in x.iter().zip(y).enumerate() {
                field_changes(p, q, format!("{at}/{i}"), out);
            }
        }
        _ if a != b => out.push(FieldChange { path: at, before: a.clone(), after: b.clone() }),
        _ => {}
    }
}

fn short(value: &Value) -> String {
    let text = match value {
        Value::Null => "(absent)".to_owned(),
        Value::String(s) => format!("{s:?}"),
        other => other.to_string(),
    };
    match text.chars().count() > 80 {
        true => format!("{}…", text.chars().take(80).collect::<String>()),
        false => text,
    }
}

/// The annotation naming the blueprint version: it changes on every object
/// when an app moves to another version, which says nothing a reviewer needs
/// object by object.
const BLUEPRINT_ANNOTATION: &str = "/metadata/annotations/paved.io~1blueprint";

impl ObjectChange {
    /// Whether the only change is the annotation naming the blueprint
    /// version, which every object gets when an app changes version.
    pub fn only_blueprint_annotation(&self) -> bool {
        self.change == Change::Changed && self.fields.iter().all(|f| f.path == BLUEPRINT_ANNOTATION)
    }
}

/// `N objects only change their paved.io/blueprint annotation`, when any do.
fn annotation_note(changes: &[ObjectChange]) -> Option<String> {
    let n = changes.iter().filter(|c| c.only_blueprint_annotation()).count();
    (n > 0).then(|| format!("{n} more objects change only their `paved.io/blueprint` annotation"))
}

/// For a terminal: per app and environment, each object, its fields and hunks.
pub fn text(changes: &[ObjectChange]) -> String {
    let note = annotation_note(changes);
    let all = changes;
    let changes: Vec<ObjectChange> = all.iter().filter(|c| !c.only_blueprint_annotation()).cloned().collect();
    let mut out = String::new();
    let mut current = (String::new(), String::new());
    for c in changes {
        let group = (c.key.app.clone(), c.key.environment.clone());
        if group != current {
            out.push_str(&format!("{} ({})\n", group.0, group.1));
            current = group;
        }
        out.push_str(&format!("  {} {} {}/{}\n", c.change.sign(), c.key.kind, c.key.namespace, c.key.name));
        for f in &c.fields {
            out.push_str(&format!("      {}: {} → {}\n", f.path, short(&f.before), short(&f.after)));
        }
        for line in c.hunks.lines() {
            out.push_str(&format!("    {line}\n"));
        }
    }
    if let Some(note) = note {
        out.push_str(&format!("{note}\n"));
    }
    out.push_str(&summary(all));
    out.push('\n');
    out
}

fn summary(changes: &[ObjectChange]) -> String {
    if changes.is_empty() {
        return "no differences".to_owned();
    }
    let count = |change: Change| changes.iter().filter(|c| c.change == change).count();
    let mut groups: Vec<(&str, &str)> =
        changes.iter().map(|c| (c.key.app.as_str(), c.key.environment.as_str())).collect();
    groups.dedup();
    let places = match groups.len() {
        1 => "1 app environment".to_owned(),
        n => format!("{n} app environments"),
    };
    format!(
        "{} changed, {} added, {} removed objects in {places}",
        count(Change::Changed),
        count(Change::Added),
        count(Change::Removed)
    )
}

/// For a pull-request comment: a summary table, then each object's diff in a
/// collapsed section.
pub fn markdown(changes: &[ObjectChange]) -> String {
    let mut out = String::from("### paved diff\n\n");
    if changes.is_empty() {
        out.push_str("No differences in rendered output.\n");
        return out;
    }
    out.push_str(&format!("{}.\n\n", summary(changes)));
    out.push_str("| app | environment | added | removed | changed |\n|---|---|---:|---:|---:|\n");
    // Rows in the order of the changes: app, then promotion order.
    let mut rows: Vec<((&str, &str), [usize; 3])> = Vec::new();
    for c in changes {
        let key = (c.key.app.as_str(), c.key.environment.as_str());
        if rows.last().is_none_or(|(k, _)| *k != key) {
            rows.push((key, [0; 3]));
        }
        if let Some((_, row)) = rows.last_mut() {
            row[match c.change {
                Change::Added => 0,
                Change::Removed => 1,
                Change::Changed => 2,
            }] += 1;
        }
    }
    for ((app, env), [added, removed, changed]) in &rows {
        out.push_str(&format!("| `{app}` | {env} | {added} | {removed} | {changed} |\n"));
    }
    if let Some(note) = annotation_note(changes) {
        out.push_str(&format!("\n{note}.\n"));
    }
    for c in changes.iter().filter(|c| !c.only_blueprint_annotation()) {
        out.push_str(&format!(
            "\n<details><summary>{} <code>{}</code> ({}): {} <code>{}</code></summary>\n\n",
            c.change.sign(),
            c.key.app,
            c.key.environment,
            c.key.kind,
            c.key.name
        ));
        if !c.fields.is_empty() {
            out.push_str("| field | before | after |\n|---|---|---|\n");
            for f in &c.fields {
                let cell = |v: &Value| short(v).replace('|', "\\|");
                out.push_str(&format!("| `{}` | {} | {} |\n", f.path, cell(&f.before), cell(&f.after)));
            }
            out.push('\n');
        }
        // A fence longer than any run of backticks in the diff.
        let fence = "`".repeat(c.hunks.split(|ch| ch != '`').map(str::len).max().unwrap_or(0).max(2) + 1);
        out.push_str(&format!("{fence}diff\n{}{fence}\n\n</details>\n", c.hunks));
    }
    out
}

/// For machines.
pub fn json(changes: &[ObjectChange]) -> String {
    let mut text = serde_json::to_string_pretty(changes).unwrap_or_default();
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_change_is_written_as_a_word_in_json() {
        let words: Vec<String> = [Change::Added, Change::Removed, Change::Changed]
            .iter()
            .map(|c| serde_json::to_string(c).unwrap_or_default())
            .collect();
        assert_eq!(words, [r#""added""#, r#""removed""#, r#""changed""#]);
    }
}
