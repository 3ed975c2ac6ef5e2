//! The normaliser: rendered template text to objects in a stable form.

use paved_yaml::Limits;
use serde_json::Value;

/// One Kubernetes object, normalised: no null values, identity checked.
#[derive(Debug, Clone, PartialEq)]
pub struct Object {
    /// The object as JSON: a mapping with `apiVersion`, `kind` and `metadata.name`.
    pub value: Value,
}

impl Object {
    /// The object's `apiVersion`, or `""` when missing.
    pub fn api_version(&self) -> &str {
        self.value.get("apiVersion").and_then(Value::as_str).unwrap_or_default()
    }

    /// The object's `kind`, or `""` when missing.
    pub fn kind(&self) -> &str {
        self.value.get("kind").and_then(Value::as_str).unwrap_or_default()
    }

    /// The object's `metadata.name`, or `""` when missing.
    pub fn name(&self) -> &str {
        self.value.pointer("/metadata/name").and_then(Value::as_str).unwrap_or_default()
    }

    /// The object's `metadata.namespace`, or `""` when it has none (cluster-scoped or unset).
    pub fn namespace(&self) -> &str {
        self.value.pointer("/metadata/namespace").and_then(Value::as_str).unwrap_or_default()
    }

    /// Stable order within one app and environment: by kind in the order
    /// Kubernetes wants them applied (the kinds table's, [`paved_kinds::apply_rank`]:
    /// dependencies first), then by name.
    pub fn sort_key(&self) -> (usize, &str, &str, &str) {
        (paved_kinds::apply_rank(self.kind()), self.kind(), self.namespace(), self.name())
    }
}

/// Bounds for a template's output. Inputs are bounded (`Limits::default()`
/// per file, and string lengths), and a template multiplies what it is given:
/// an app's 20 000 env variables are 100 000 values in its Deployment.
pub const OUTPUT_LIMITS: Limits = Limits { max_depth: 128, max_nodes: 10_000_000 };

/// Parse one template's output (zero or more YAML documents) into objects.
pub(crate) fn normalise(text: &str) -> Result<Vec<Object>, String> {
    // Positions only matter for an error: load without them, and again with
    // them when there is one.
    let docs = paved_yaml::load_all_unpositioned(text, OUTPUT_LIMITS).map_err(|first| {
        let e = paved_yaml::load_all(text, OUTPUT_LIMITS).err().unwrap_or(first);
        let line = text.lines().nth(e.span.start.line.saturating_sub(1) as usize).unwrap_or_default();
        let shown: String = line.chars().take(200).collect();
        let cut = if shown.len() < line.len() { " …" } else { "" };
        format!("output is not valid YAML at line {}: {}\n    {shown}{cut}", e.span.start.line, e.message)
    })?;
    let mut objects = Vec::new();
    for doc in docs {
        let mut value = doc.to_json();
        drop_nulls(&mut value);
        if !value.is_object() {
            return Err(format!("output is not an object: {}", paved_yaml::emit(&value).trim_end()));
        }
        let object = Object { value };
        if object.api_version().is_empty() || object.kind().is_empty() || object.name().is_empty() {
            return Err("an object lacks `apiVersion`, `kind` or `metadata.name`".into());
        }
        objects.push(object);
    }
    Ok(objects)
}

/// Remove every null-valued mapping entry, so a template can write
/// `command: {{ app.command }}` and leave the field out when it is unset.
pub(crate) fn drop_nulls(value: &mut Value) {
    match value {
        Value::Object(map) => {
            map.retain(|_, v| !v.is_null());
            map.values_mut().for_each(drop_nulls);
        }
        Value::Array(items) => items.iter_mut().for_each(drop_nulls),
        _ => {}
    }
}
