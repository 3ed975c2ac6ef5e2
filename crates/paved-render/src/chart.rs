//! Helm charts from the same templates as the plain manifests.
//!
//! A blueprint template marks a deploy-time value once, with
//! `{{ value("replicas", app.replicas.min) }}`, which writes a marker (a
//! mapping with the key `$paved.value`, which no app file can produce: app
//! values are strings, numbers and names checked against patterns) holding the
//! name and the value. The templates render once: the plain objects get each
//! marker's value (`engine::plain`); in the chart the emitter turns the marker
//! into `{{ .Values.replicas | toJson }}`. JSON is YAML, so the reference sits where
//! the value sat, at any indentation. The markers also carry the plain value,
//! which becomes `values.yaml`; so `helm template` with the chart's own values
//! yields the plain manifests, and the tests prove it with a real helm.
//!
//! Every other `{{` in the output (a hostile value, say) is escaped for Go
//! templates, so Helm writes it back literally.

use std::borrow::Cow;
use std::collections::BTreeMap;

use paved_blueprint::Blueprint;
use serde_json::{Map, Value, json};

use crate::context::Context;
use crate::normalise::Object;

/// The key of a deploy-time value marker.
pub(crate) const MARKER: &str = "$paved.value";

/// The Helm chart of one app in one environment, as path (inside the chart
/// folder) → contents.
pub type ChartFiles = BTreeMap<String, String>;

/// `paved.image`, the image reference from values: the repository, then
/// `:tag` and `@digest` when set. With neither set it fails the render, so
/// Argo CD never deploys an implicit `latest` (a render without a tag leaves
/// both to the pipeline). Each is compared as text: a numeric tag (a CI build
/// id, `--set image.tag=4711`) is a tag, even `0`.
const HELPERS: &str = r#"{{/* The image reference from values: the repository, then :tag and @digest when set; neither set is refused, so nothing unpinned is deployed. */}}
{{- define "paved.image" -}}
{{- $tag := toString .Values.image.tag -}}
{{- $digest := toString .Values.image.digest -}}
{{- if and (eq $tag "") (eq $digest "") -}}
{{- fail "image.tag and image.digest are both empty: this chart deploys only a pinned image, never an implicit `latest`; the pipeline sets them when it promotes a build (or set image.tag or image.digest yourself)" -}}
{{- end -}}
{{- .Values.image.repository -}}
{{- with $tag }}:{{ . }}{{ end -}}
{{- with $digest }}@{{ . }}{{ end -}}
{{- end -}}
"#;

/// Build the chart from the rendered objects holding markers.
pub(crate) fn chart(objects: &[Object], context: &Context, blueprint: &Blueprint) -> Result<ChartFiles, String> {
    let mut values = Map::new();
    for object in objects {
        collect(&object.value, context, &mut values)?;
    }
    let mut files = ChartFiles::new();
    let hooks = ChartHooks;
    for object in objects {
        let mut text = String::new();
        paved_yaml::emit_with(&object.value, &mut text, &hooks);
        let file = format!("templates/{}-{}.yaml", object.kind().to_ascii_lowercase(), object.name());
        if files.insert(file.clone(), text).is_some() {
            return Err(format!("two objects would be written to `{file}`"));
        }
    }
    files.insert("templates/_helpers.tpl".into(), HELPERS.into());
    let values = Value::Object(values);
    files.insert("values.yaml".into(), values_yaml(&values));
    let mut schema = schema_of(&values);
    constrain(&mut schema);
    if let Value::Object(map) = &mut schema {
        map.insert("$schema".into(), json!("https://json-schema.org/draft-07/schema#"));
        map.insert("title".into(), json!(format!("values of {}", context.app.name)));
    }
    files.insert(
        "values.schema.json".into(),
        format!("{}\n", serde_json::to_string_pretty(&schema).unwrap_or_default()),
    );
    files.insert("Chart.yaml".into(), chart_yaml(context, blueprint));
    Ok(files)
}

fn chart_yaml(context: &Context, blueprint: &Blueprint) -> String {
    let mut chart = json!({
        "apiVersion": "v2",
        "name": context.app.name,
        "description": format!("{} of team {} in {}, rendered by paved from blueprint {}", context.app.name, context.app.team, context.environment.name, blueprint.id),
        "type": "application",
        "version": blueprint.meta.version.to_string(),
        "annotations": {
            "paved.io/blueprint": blueprint.id,
            "paved.io/environment": context.environment.name,
        },
    });
    if let Some(tag) = &context.app.image_tag {
        chart["appVersion"] = json!(tag);
    }
    paved_yaml::emit(&chart)
}

fn values_yaml(values: &Value) -> String {
    let mut text = String::from(
        "# Deploy-time values: change them without a new render (the pipeline sets\n# image.tag and image.digest). values.schema.json rejects a wrong type.\n",
    );
    // No values at all is an empty mapping, `{}`, which Helm reads as such.
    paved_yaml::emit_to(values, &mut text);
    text
}

/// Gather every marker's name and plain value into nested values.
fn collect(value: &Value, context: &Context, values: &mut Map<String, Value>) -> Result<(), String> {
    match value {
        Value::Object(map) => {
            if let Some(name) = map.get(MARKER).and_then(Value::as_str) {
                let default = if name == "image" {
                    json!({
                        "repository": context.app.image_repository,
                        "tag": context.app.image_tag.clone().unwrap_or_default(),
                        "digest": context.app.image_digest.clone().unwrap_or_default(),
                    })
                } else {
                    map.get("default").cloned().unwrap_or(Value::Null)
                };
                return insert(values, name, default);
            }
            map.values().try_for_each(|v| collect(v, context, values))
        }
        Value::Array(items) => items.iter().try_for_each(|v| collect(v, context, values)),
        _ => Ok(()),
    }
}

fn insert(values: &mut Map<String, Value>, name: &str, default: Value) -> Result<(), String> {
    let parts: Vec<&str> = name.split('.').collect();
    // Go templates read `.Values.a._b`: a part starts with a letter or `_` (env names may).
    let valid = |p: &&str| {
        p.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
            && p.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
    };
    if !parts.iter().all(valid) {
        return Err(format!("`value(\"{name}\", …)`: a value name is dotted identifiers, like `resources.cpu`"));
    }
    let mut map = values;
    for part in &parts[..parts.len() - 1] {
        let entry = map.entry(part.to_string()).or_insert_with(|| Value::Object(Map::new()));
        map = entry.as_object_mut().ok_or_else(|| format!("value `{name}` is inside another value"))?;
    }
    let last = parts[parts.len() - 1];
    match map.get(last) {
        Some(existing) if *existing != default => {
            Err(format!("value `{name}` is used with two different values: {existing} and {default}"))
        }
        _ => {
            map.insert(last.to_owned(), default);
            Ok(())
        }
    }
}

/// A JSON schema (draft-07, which Helm uses) that accepts values of the same
/// shape as `value`, so a wrongly typed override fails `helm template`.
fn schema_of(value: &Value) -> Value {
    match value {
        Value::Null => json!({}),
        Value::Bool(_) => json!({ "type": "boolean" }),
        Value::Number(n) if n.is_i64() || n.is_u64() => json!({ "type": "integer" }),
        Value::Number(_) => json!({ "type": "number" }),
        Value::String(_) => json!({ "type": "string" }),
        Value::Array(items) => match items.first() {
            Some(first) => json!({ "type": "array", "items": schema_of(first) }),
            None => json!({ "type": "array" }),
        },
        Value::Object(map) => {
            let properties: Map<String, Value> = map.iter().map(|(k, v)| (k.clone(), schema_of(v))).collect();
            let required: Vec<&String> = map.keys().collect();
            json!({ "type": "object", "properties": properties, "required": required, "additionalProperties": false })
        }
    }
}

/// Tighten the schema of the values paved's blueprints use, beyond their
/// types: a tag may be a number (CI build ids), a digest must be one, counts
/// are positive, and quantities look like quantities.
fn constrain(schema: &mut Value) {
    let quantity = json!({ "type": "string", "pattern": "^[0-9]+(\\.[0-9]+)?(m|k|M|G|T|Ki|Mi|Gi|Ti)?$" });
    let rules: [(&str, Value); 6] = [
        (
            "/properties/image/properties/tag",
            json!({ "type": ["string", "integer"], "pattern": "^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$|^$" }),
        ),
        ("/properties/image/properties/digest", json!({ "type": "string", "pattern": "^(sha256:[a-f0-9]{64})?$" })),
        ("/properties/image/properties/repository", json!({ "type": "string", "minLength": 1 })),
        ("/properties/replicas", json!({ "type": "integer", "minimum": 1, "maximum": 1000 })),
        ("/properties/resources/properties/cpu", quantity.clone()),
        ("/properties/resources/properties/memory", quantity),
    ];
    for (pointer, rule) in rules {
        if let Some(slot) = schema.pointer_mut(pointer) {
            *slot = rule;
        }
    }
}

/// Markers become Helm references; every other `{{` is escaped for Go templates.
struct ChartHooks;

impl paved_yaml::Hooks for ChartHooks {
    fn raw(&self, map: &Map<String, Value>) -> Option<String> {
        let name = map.get(MARKER)?.as_str()?;
        Some(match name {
            "image" => "{{ include \"paved.image\" . | toJson }}".to_owned(),
            _ => format!("{{{{ .Values.{name} | toJson }}}}"),
        })
    }

    fn scalar<'a>(&self, text: &'a str) -> Cow<'a, str> {
        match text.contains("{{") {
            true => Cow::Owned(text.replace("{{", "{{ \"{{\" }}")),
            false => Cow::Borrowed(text),
        }
    }
}
