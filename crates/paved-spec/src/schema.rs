//! The JSON schemas generated from the types, and schema validation that
//! reports every problem with its path and a hint.

use std::sync::OnceLock;

use jsonschema::error::ValidationErrorKind;
use jsonschema::{ValidationError, Validator};
use paved_jsonschema::{quote, type_word};
use paved_yaml::{Node, NodeKind, Segment};
use serde_json::Value;

use crate::app::AppFile;
use crate::diagnostic::{Finding, display_path};
use crate::limits::MAX_PROBLEMS_PER_FILE;
use crate::platform::Platform;
use crate::syntax::did_you_mean;
use crate::team::TeamFile;

/// Which file kind a schema describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SchemaKind {
    App,
    Platform,
    Team,
}

struct Compiled {
    json: Value,
    validator: Validator,
}

fn compiled(kind: SchemaKind) -> &'static Compiled {
    static APP: OnceLock<Compiled> = OnceLock::new();
    static PLATFORM: OnceLock<Compiled> = OnceLock::new();
    static TEAM: OnceLock<Compiled> = OnceLock::new();
    let (cell, make): (_, fn() -> Value) = match kind {
        SchemaKind::App => (&APP, || schemars::schema_for!(AppFile).to_value()),
        SchemaKind::Platform => (&PLATFORM, || schemars::schema_for!(Platform).to_value()),
        SchemaKind::Team => (&TEAM, || schemars::schema_for!(TeamFile).to_value()),
    };
    cell.get_or_init(|| {
        let mut json = make();
        drop_null(&mut json);
        #[allow(clippy::expect_used)]
        let validator = jsonschema::validator_for(&json).expect("generated schemas are valid JSON Schema");
        Compiled { json, validator }
    })
}

/// Optional fields may be left out, but never written empty: `port:` with
/// nothing after it is a mistake, not a way to say "no port". schemars lets
/// every `Option` be `null`; take that back out.
fn drop_null(schema: &mut Value) {
    match schema {
        Value::Object(map) => {
            if let Some(Value::Array(types)) = map.get_mut("type") {
                types.retain(|t| t != "null");
                if types.len() == 1 {
                    let only = types.remove(0);
                    map.insert("type".into(), only);
                }
            }
            for key in ["anyOf", "oneOf"] {
                if let Some(Value::Array(branches)) = map.get_mut(key) {
                    branches.retain(|b| b.get("type").and_then(Value::as_str) != Some("null"));
                    if branches.len() == 1 {
                        let only = branches.remove(0);
                        map.remove(key);
                        if let Value::Object(inner) = only {
                            for (k, v) in inner {
                                map.entry(k).or_insert(v);
                            }
                        }
                    }
                }
            }
            map.values_mut().for_each(drop_null);
        }
        Value::Array(items) => items.iter_mut().for_each(drop_null),
        _ => {}
    }
}

/// The schema as JSON data.
pub fn schema(kind: SchemaKind) -> &'static Value {
    &compiled(kind).json
}

/// The schema as committed in `schemas/` (pretty JSON, trailing newline).
pub fn schema_text(kind: SchemaKind) -> String {
    let mut text = serde_json::to_string_pretty(schema(kind)).unwrap_or_default();
    text.push('\n');
    text
}

/// Every schema problem of `root`, with paths into it.
pub(crate) fn check(kind: SchemaKind, root: &Node) -> Vec<Finding> {
    let compiled = compiled(kind);
    let instance = root.to_json();
    let mut findings = Vec::new();
    // No more than a file reports (placing each error searches its mapping).
    for error in compiled.validator.iter_errors(&instance).take(4 * MAX_PROBLEMS_PER_FILE + 1) {
        convert(&compiled.json, root, &error, &mut findings);
    }
    integral_floats(&compiled.json, root, &mut findings);
    findings
}

/// JSON Schema counts `2.0` as an integer, but the typed fields do not: a
/// float where only an integer fits is a problem to report, not a value to
/// read as something else.
fn integral_floats(schema: &Value, root: &Node, out: &mut Vec<Finding>) {
    let mut found = Vec::new();
    root.walk(&mut |path, node, _| {
        let NodeKind::Float(f) = node.kind else { return };
        if !f.is_finite() || f.fract() != 0.0 {
            return;
        }
        let types: Vec<&str> = subschemas(schema, path)
            .into_iter()
            .filter_map(|s| s.get("type"))
            .flat_map(|t| match t {
                Value::Array(list) => list.iter().filter_map(Value::as_str).collect(),
                other => other.as_str().into_iter().collect::<Vec<_>>(),
            })
            .collect();
        // (Out of range, it is already reported as such.)
        if types.contains(&"integer") && !types.contains(&"number") && !out.iter().any(|f| f.path == path) {
            found.push(Finding {
                path: path.to_vec(),
                at_key: false,
                message: format!("expected an integer, found number `{f:?}`"),
                hint: (f.abs() < 1e15).then(|| format!("write it without a fraction: `{}`", f as i64)),
            });
        }
    });
    out.extend(found);
}

/// The path of a JSON pointer into `root`: a token is an index where the
/// tree has a list, a key everywhere else.
fn to_path(root: &Node, pointer: &str) -> Vec<Segment> {
    let mut path = Vec::new();
    let mut node = Some(root);
    for key in paved_jsonschema::pointer::parse(pointer) {
        let segment = match node.map(|n| &n.kind) {
            Some(NodeKind::Seq(_)) => match key.parse::<usize>() {
                Ok(i) => Segment::Index(i),
                Err(_) => Segment::Key(key),
            },
            _ => Segment::Key(key),
        };
        node = node.and_then(|n| n.at(std::slice::from_ref(&segment)));
        path.push(segment);
    }
    path
}

/// One schema error as findings: the words are paved-jsonschema's, the hints
/// and what only app files have (did-you-mean from the schema's own names,
/// fields an environment may not change, the one `anyOf` branch a value was
/// meant for, the kinds the rules check better) are added here.
fn convert(schema: &Value, root: &Node, error: &ValidationError<'_>, out: &mut Vec<Finding>) {
    let path = to_path(root, error.instance_path().as_str());
    let instance = error.instance();
    let words = || paved_jsonschema::messages(error).into_iter().map(|m| m.text).collect::<Vec<_>>().join("; ");
    let mut push = |path: Vec<Segment>, at_key: bool, message: String, hint: Option<String>| {
        out.push(Finding { path, at_key, message, hint });
    };
    match error.kind() {
        ValidationErrorKind::AdditionalProperties { unexpected } => {
            let known = property_names(schema, &path);
            for key in unexpected {
                // A field of another form of this value (`key` beside `field`
                // in an env reference): the rules say which forms are mixed.
                if known.contains(&key.as_str()) {
                    continue;
                }
                let hint = match did_you_mean(key, known.iter().copied()) {
                    Some(close) => Some(format!("did you mean `{close}`?")),
                    None if known.is_empty() => None,
                    None => Some(format!("known fields here: {}", ticked(&known))),
                };
                let mut at = path.clone();
                at.push(Segment::Key(key.clone()));
                // A real app field that an environment may not change.
                let in_environment =
                    matches!(path.as_slice(), [Segment::Key(first), Segment::Key(_)] if first == "environments");
                if in_environment
                    && crate::app::APP_FIELDS.contains(&key.as_str())
                    && property_names(schema, &[]).contains(&key.as_str())
                {
                    push(
                        at,
                        true,
                        format!("{} cannot differ per environment", quote(key)),
                        Some(format!("set it once at the top level; environments may change {}", ticked(&known))),
                    );
                    continue;
                }
                push(at, true, paved_jsonschema::unknown_field(key), hint);
            }
        }
        ValidationErrorKind::Required { property } => {
            let name = property.as_str().unwrap_or_default();
            let hint = explain_short(schema, &path, name);
            push(path, true, words(), hint);
        }
        // An unquoted file mode: YAML read `0644` as the number 644; the
        // rules say so, with the quoted octal.
        ValidationErrorKind::Type { .. }
            if instance.is_number()
                && matches!(path.as_slice(), [Segment::Key(files), _, Segment::Key(mode)] if files == "files" && mode == "mode") =>
            {}
        ValidationErrorKind::Type { kind } => {
            let hint = type_hint(&paved_jsonschema::expected_types(kind), instance)
                .or_else(|| env_value_hint(&path, instance));
            push(path, false, words(), hint);
        }
        ValidationErrorKind::Enum { options } => {
            let options = options.as_array().into_iter().flatten().filter_map(Value::as_str);
            let hint = instance.as_str().and_then(|s| did_you_mean(s, options)).map(|c| format!("did you mean `{c}`?"));
            push(path, false, words(), hint);
        }
        ValidationErrorKind::Minimum { .. }
        | ValidationErrorKind::ExclusiveMinimum { .. }
        | ValidationErrorKind::Maximum { .. }
        | ValidationErrorKind::ExclusiveMaximum { .. } => {
            let hint = range_hint(schema, &path);
            push(path, false, words(), hint);
        }
        // `true` where only `false` fits: a probe turned "on" says nothing.
        ValidationErrorKind::Constant { expected_value }
            if **expected_value == Value::Bool(false) && instance.as_bool() == Some(true) =>
        {
            push(
                path,
                false,
                "`true` does not say what to check".into(),
                Some(
                    "write a path such as `/healthz`, one check such as `{tcp: true}`, or `false` to turn it off"
                        .into(),
                ),
            );
        }
        // Names, references and similar carry a pattern in the schema for
        // editors; the rules in `validate` check them with better messages.
        ValidationErrorKind::Pattern { .. }
        | ValidationErrorKind::MinLength { .. }
        | ValidationErrorKind::MaxLength { .. } => {}
        ValidationErrorKind::AnyOf { context } | ValidationErrorKind::OneOfNotValid { context } => {
            // Pick the branches whose type matches the value; when exactly one
            // does, its problems are the useful ones.
            let matching: Vec<&Vec<ValidationError<'static>>> = context
                .iter()
                .filter(|errors| {
                    !errors.iter().any(|e| {
                        e.instance_path() == error.instance_path()
                            && matches!(e.kind(), ValidationErrorKind::Type { .. })
                    })
                })
                .collect();
            // Of several mapping forms, the one whose required fields are all
            // there (`{secret: S, key: K, extra: 1}` meant the Secret form).
            let complete: Vec<&Vec<ValidationError<'static>>> = matching
                .iter()
                .copied()
                .filter(|errors| {
                    !errors.iter().any(|e| {
                        e.instance_path() == error.instance_path()
                            && matches!(e.kind(), ValidationErrorKind::Required { .. })
                    })
                })
                .collect();
            if let Some(constants) = paved_jsonschema::branch_constants(context) {
                let hint =
                    instance.as_str().and_then(|s| did_you_mean(s, constants)).map(|c| format!("did you mean `{c}`?"));
                push(path, false, words(), hint);
            } else if let ([only], _) | (_, [only]) = (matching.as_slice(), complete.as_slice()) {
                for inner in only.iter() {
                    convert(schema, root, inner, out);
                }
            } else if instance.is_object() && is_env_value(&path) {
                // An env value in none of the forms: the rules say which
                // source is missing, with the forms as the hint.
            } else {
                let text = words();
                // A number or boolean where a string is one of the forms.
                let quote_hint = if matching.is_empty() && text.starts_with("expected a string") {
                    type_hint("a string", instance)
                } else {
                    None
                };
                let hint =
                    quote_hint.or_else(|| env_value_hint(&path, instance)).or_else(|| explain_short(schema, &path, ""));
                push(path, false, text, hint);
            }
        }
        _ => push(path, false, words(), None),
    }
}

/// `a`, `b`: names in backticks, for hints.
fn ticked(names: &[&str]) -> String {
    names.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ")
}

/// `use a number from 1 to 65535`, from the bounds the schema gives the field.
fn range_hint(schema: &Value, path: &[Segment]) -> Option<String> {
    let schemas = subschemas(schema, path);
    let min = schemas.iter().find_map(|s| s.get("minimum")).map(Value::to_string);
    let max = schemas.iter().find_map(|s| s.get("maximum")).map(Value::to_string);
    match (min, max) {
        (Some(min), Some(max)) => Some(format!("use a number from {min} to {max}")),
        (Some(min), None) => Some(format!("use a number of at least {min}")),
        (None, Some(max)) => Some(format!("use a number of at most {max}")),
        (None, None) => None,
    }
}

fn type_hint(expected: &str, found: &Value) -> Option<String> {
    match found {
        Value::Number(_) | Value::Bool(_) if expected == "a string" => Some(format!("quote it: `\"{found}\"`")),
        Value::String(s) if expected.contains("integer") && s.trim().parse::<i64>().is_ok() => {
            Some(format!("write the number without quotes: `{}`", s.trim()))
        }
        Value::String(s)
            if expected.contains("`true`")
                && matches!(s.to_ascii_lowercase().as_str(), "yes" | "no" | "on" | "off" | "true" | "false") =>
        {
            Some("write `true` or `false` without quotes".into())
        }
        Value::Null => Some("a key with nothing after it is null; give it a value or remove it".into()),
        _ => None,
    }
}

/// Whether `path` is an env variable's value: `env.NAME`,
/// `environments.E.env.NAME`, `sidecars[0].env.NAME`, …
fn is_env_value(path: &[Segment]) -> bool {
    matches!(path, [.., Segment::Key(env), Segment::Key(_)] if env == "env")
}

/// An `env` value that is a mapping or a list: people write Kubernetes'
/// `valueFrom` or a nested config here. Says what an env value may be.
fn env_value_hint(path: &[Segment], found: &Value) -> Option<String> {
    (is_env_value(path) && (found.is_object() || found.is_array())).then(|| {
        "write the value as a string, in quotes (numbers and booleans too, like `\"8080\"`), or read one: `{secret: NAME, key: KEY}`, `{configMap: NAME, key: KEY}` or `{field: metadata.name}`".to_owned()
    })
}

/// The subschemas that describe the value at `path` (following `$ref`,
/// `properties`, `additionalProperties`, `items` and `anyOf`).
pub(crate) fn subschemas<'a>(root: &'a Value, path: &[Segment]) -> Vec<&'a Value> {
    let mut current = expand(root, root);
    for segment in path {
        let mut next = Vec::new();
        for schema in current {
            match segment {
                Segment::Key(key) => {
                    if let Some(s) = schema.get("properties").and_then(|p| p.get(key)) {
                        next.extend(expand(root, s));
                    } else if let Some(s) = schema.get("additionalProperties").filter(|s| s.is_object()) {
                        next.extend(expand(root, s));
                    }
                }
                Segment::Index(_) => {
                    if let Some(s) = schema.get("items") {
                        next.extend(expand(root, s));
                    }
                }
            }
        }
        current = next;
    }
    current
}

/// A schema and, for `$ref` and `anyOf`/`oneOf`, the schemas it stands for.
fn expand<'a>(root: &'a Value, schema: &'a Value) -> Vec<&'a Value> {
    let mut out = vec![schema];
    if let Some(target) =
        schema.get("$ref").and_then(Value::as_str).and_then(|r| r.strip_prefix('#')).and_then(|p| root.pointer(p))
    {
        out.extend(expand(root, target));
    }
    for key in ["anyOf", "oneOf", "allOf"] {
        for branch in schema.get(key).and_then(Value::as_array).into_iter().flatten() {
            out.extend(expand(root, branch));
        }
    }
    out
}

fn property_names<'a>(root: &'a Value, path: &[Segment]) -> Vec<&'a str> {
    let mut names: Vec<&str> = subschemas(root, path)
        .into_iter()
        .filter_map(|s| s.get("properties").and_then(Value::as_object))
        .flat_map(|p| p.keys().map(String::as_str))
        .collect();
    names.dedup();
    names
}

/// The fields the schema of `kind` gives the mapping at `path` (a key of a
/// map of anything, such as an environment's name, may be any key), in the
/// order the types declare them: the one list of field names, derived from
/// the types.
pub(crate) fn field_names(kind: SchemaKind, path: &[&str]) -> Vec<&'static str> {
    let path: Vec<Segment> = path.iter().map(|k| Segment::Key((*k).to_owned())).collect();
    property_names(schema(kind), &path)
}

/// The first sentence of a field's description, as a hint.
pub(crate) fn explain_short(root: &Value, path: &[Segment], field: &str) -> Option<String> {
    let mut path = path.to_vec();
    if !field.is_empty() {
        path.push(Segment::Key(field.to_owned()));
    }
    let description = subschemas(root, &path).into_iter().find_map(|s| s.get("description").and_then(Value::as_str))?;
    let first = description.split(". ").next().unwrap_or(description).trim_end_matches('.');
    Some(format!("`{}`: {first}", display_path(&path)))
}

/// What `paved explain FIELD` prints about a field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldDoc {
    pub path: String,
    pub types: Vec<String>,
    pub description: String,
    pub default: Option<String>,
    pub fields: Vec<String>,
    pub allowed: Vec<String>,
}

/// Look up a field of a schema by a dotted path (`replicas.min`,
/// `environments.prod.resources`). Returns `Err` with the known field names
/// at the deepest level reached.
pub fn explain(kind: SchemaKind, field: &str) -> Result<FieldDoc, Vec<String>> {
    let root = schema(kind);
    let mut path = Vec::new();
    for part in field.split('.').filter(|p| !p.is_empty()) {
        let mut next = path.clone();
        next.push(Segment::Key(part.to_owned()));
        if subschemas(root, &next).is_empty() {
            return Err(property_names(root, &path).into_iter().map(str::to_owned).collect());
        }
        path = next;
    }
    explain_path(root, &path)
}

fn explain_path(root: &Value, path: &[Segment]) -> Result<FieldDoc, Vec<String>> {
    let schemas = subschemas(root, path);
    let mut types = Vec::new();
    let mut description = String::new();
    let mut default = None;
    let mut allowed = Vec::new();
    for s in &schemas {
        if description.is_empty() {
            if let Some(d) = s.get("description").and_then(Value::as_str) {
                description = d.to_owned();
            }
        }
        if default.is_none() {
            default = s.get("default").map(|d| d.to_string());
        }
        match s.get("type") {
            Some(Value::String(t)) if t != "null" => types.push(type_word(t)),
            Some(Value::Array(ts)) => {
                types.extend(ts.iter().filter_map(Value::as_str).filter(|t| *t != "null").map(type_word))
            }
            _ => {}
        }
        for value in s.get("enum").and_then(Value::as_array).into_iter().flatten() {
            if let Some(v) = value.as_str() {
                allowed.push(v.to_owned());
            }
        }
        if let Some(v) = s.get("const").and_then(Value::as_str) {
            allowed.push(v.to_owned());
        }
        // `false` alone (a probe turned off) is a type of its own for a reader.
        if let Some(b) = s.get("const").and_then(Value::as_bool) {
            types.push(format!("`{b}`"));
        }
    }
    types.dedup();
    allowed.dedup();
    Ok(FieldDoc {
        path: display_path(path),
        types,
        description,
        default,
        fields: property_names(root, path).into_iter().map(str::to_owned).collect(),
        allowed,
    })
}

/// The field reference as Markdown (`docs/app-file.md` is this, committed and
/// checked for staleness): one table row per field, nested fields under their
/// parent's path.
pub fn reference_markdown(kind: SchemaKind) -> String {
    let root = schema(kind);
    let (title, file) = match kind {
        SchemaKind::App => ("The app file", "app.yaml"),
        SchemaKind::Platform => ("The platform file", "platform.yaml"),
        SchemaKind::Team => ("The team file", "teams/<team>.yaml"),
    };
    let mut out = format!("# {title} (`{file}`)\n\n");
    out.push_str("<!-- Generated from the Rust types by `paved schema --markdown`; do not edit by hand. -->\n\n");
    if let Some(d) = root.get("description").and_then(Value::as_str) {
        out.push_str(d);
        out.push_str("\n\n");
    }
    out.push_str("| field | type | meaning |\n|---|---|---|\n");
    let mut rows = Vec::new();
    reference_rows(root, &mut Vec::new(), &mut rows, 0);
    for (path, types, description) in rows {
        let description = description.replace('\n', " ").replace('|', "\\|");
        out.push_str(&format!("| `{path}` | {types} | {description} |\n"));
    }
    out
}

fn reference_rows(root: &Value, path: &mut Vec<Segment>, rows: &mut Vec<(String, String, String)>, depth: usize) {
    if depth > 4 {
        return;
    }
    let names = property_names(root, path);
    for name in names {
        path.push(Segment::Key(name.to_owned()));
        if let Ok(doc) = explain_path(root, path) {
            let mut types = doc.types.join(" or ");
            if !doc.allowed.is_empty() {
                types = doc.allowed.iter().map(|a| format!("`{a}`")).collect::<Vec<_>>().join(", ");
            }
            rows.push((doc.path.clone(), types, doc.description.clone()));
            let list = subschemas(root, path).iter().any(|s| s.get("items").is_some());
            // Per-environment overrides (a mapping) repeat fields already
            // described; the platform's list of environments does not.
            if name != "environments" || list {
                if list {
                    path.push(Segment::Index(0));
                    reference_rows(root, path, rows, depth + 1);
                    path.pop();
                }
                reference_rows(root, path, rows, depth + 1);
            }
        }
        path.pop();
    }
}
