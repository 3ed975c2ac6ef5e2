//! Turns the `jsonschema` crate's errors into short [`Violation`]s a developer can act on.
//!
//! The crate's own messages embed the whole failing instance (`{...} is not valid under any
//! of the schemas listed in the 'oneOf' keyword`), which for a pod spec is a screenful of
//! JSON. paved reports where the problem is (the pointer) and what was expected instead.

use jsonschema::ValidationError;
use jsonschema::error::{TypeKind, ValidationErrorKind};
use serde_json::Value;

use crate::{Violation, escape_token};

/// Longest string value quoted verbatim in a message; longer ones are cut with `…`.
const MAX_QUOTED: usize = 60;

/// The violations one schema error stands for, with `prefix` (an already escaped JSON
/// pointer) put in front of the error's own location.
///
/// One error can stand for several violations: `additionalProperties` reports every unknown
/// field at once, and each gets its own pointer so it can be located in the YAML.
pub(crate) fn violations(error: &ValidationError<'_>, prefix: &str) -> Vec<Violation> {
    let pointer = format!("{prefix}{}", error.instance_path().as_str());
    match error.kind() {
        ValidationErrorKind::AdditionalProperties { unexpected }
        | ValidationErrorKind::UnevaluatedProperties { unexpected } => unexpected
            .iter()
            .map(|field| {
                Violation::new(format!("{pointer}/{}", escape_token(field)), format!("unknown field `{field}`"))
            })
            .collect(),
        kind => vec![Violation::new(pointer, message(error, kind))],
    }
}

fn message(error: &ValidationError<'_>, kind: &ValidationErrorKind) -> String {
    let instance: &Value = error.instance();
    match kind {
        ValidationErrorKind::Type { kind } => {
            format!("expected {}, found {}", expected_types(kind), describe(instance))
        }
        ValidationErrorKind::Required { property } => match property.as_str() {
            Some(name) => format!("missing required field `{name}`"),
            None => format!("missing required field {property}"),
        },
        ValidationErrorKind::Enum { options } => match options.as_array() {
            Some(options) => format!(
                "expected one of {}, found {}",
                options.iter().map(literal).collect::<Vec<_>>().join(", "),
                literal(instance)
            ),
            None => format!("expected one of {options}, found {}", literal(instance)),
        },
        ValidationErrorKind::Constant { expected_value } => {
            format!("expected {}, found {}", literal(expected_value), literal(instance))
        }
        ValidationErrorKind::Minimum { limit } => {
            format!("must be at least {limit}, found {instance}")
        }
        ValidationErrorKind::Maximum { limit } => {
            format!("must be at most {limit}, found {instance}")
        }
        ValidationErrorKind::ExclusiveMinimum { limit } => {
            format!("must be greater than {limit}, found {instance}")
        }
        ValidationErrorKind::ExclusiveMaximum { limit } => {
            format!("must be less than {limit}, found {instance}")
        }
        ValidationErrorKind::MinLength { limit } => {
            format!("must be at least {limit} characters long, found {}", literal(instance))
        }
        ValidationErrorKind::MaxLength { limit } => {
            format!("must be at most {limit} characters long, found {}", literal(instance))
        }
        ValidationErrorKind::MinItems { limit } => format!("must have at least {limit} items"),
        ValidationErrorKind::MaxItems { limit } => format!("must have at most {limit} items"),
        ValidationErrorKind::MinProperties { limit } => {
            format!("must have at least {limit} fields")
        }
        ValidationErrorKind::MaxProperties { limit } => {
            format!("must have at most {limit} fields")
        }
        ValidationErrorKind::Pattern { pattern } => {
            format!("{} does not match the pattern `{pattern}`", literal(instance))
        }
        ValidationErrorKind::Format { format } => {
            format!("{} is not a valid `{format}`", literal(instance))
        }
        ValidationErrorKind::UniqueItems => "items must be unique".to_owned(),
        ValidationErrorKind::FalseSchema => "field not allowed here".to_owned(),
        ValidationErrorKind::AnyOf { context } => alternatives(error, context, false),
        ValidationErrorKind::OneOfNotValid { context } => alternatives(error, context, true),
        // The Kubernetes int-or-string and quantity schemas are `oneOf` two nullable types,
        // so `null` matches both: say what is actually wrong.
        ValidationErrorKind::OneOfMultipleValid { .. } if instance.is_null() => "must not be null".to_owned(),
        ValidationErrorKind::OneOfMultipleValid { .. } => {
            "matches more than one of the mutually exclusive forms allowed here".to_owned()
        }
        // Rare keywords: the crate's message, without the (possibly huge) instance.
        _ => error.masked().to_string(),
    }
}

/// Explains an `anyOf`/`oneOf` that no branch matched. Kubernetes schemas use these for
/// int-or-string and quantity fields (every branch a type error: "expected integer or
/// string"), Cilium for "at least one of these fields" (every branch a missing field).
fn alternatives(error: &ValidationError<'_>, branches: &[Vec<ValidationError<'static>>], exactly_one: bool) -> String {
    let here = error.instance_path();
    let all_here = |pick: &dyn Fn(&ValidationErrorKind) -> bool| {
        !branches.is_empty()
            && branches
                .iter()
                .all(|branch| !branch.is_empty() && branch.iter().all(|e| e.instance_path() == here && pick(e.kind())))
    };

    if all_here(&|k| matches!(k, ValidationErrorKind::Type { .. })) {
        let mut types: Vec<&'static str> = Vec::new();
        for e in branches.iter().flatten() {
            if let ValidationErrorKind::Type { kind } = e.kind() {
                types.extend(type_names(kind));
            }
        }
        let types = without_redundant_null(dedup_keep_order(types));
        return format!("expected {}, found {}", types.join(" or "), describe(error.instance()));
    }

    if all_here(&|k| matches!(k, ValidationErrorKind::Required { .. })) {
        let mut fields: Vec<String> = Vec::new();
        for e in branches.iter().flatten() {
            if let ValidationErrorKind::Required { property } = e.kind() {
                fields.push(literal(property));
            }
        }
        let fields = dedup_keep_order(fields);
        let how_many = if exactly_one { "exactly one" } else { "at least one" };
        return format!("must set {how_many} of {}", fields.join(", "));
    }

    // Anything else: name what each form wanted, relative to this place.
    let forms: Vec<String> = branches
        .iter()
        .enumerate()
        .map(|(i, branch)| {
            let mut parts: Vec<String> = branch
                .iter()
                .flat_map(|e| violations(e, ""))
                .map(|v| {
                    let relative = v.pointer.strip_prefix(here.as_str()).unwrap_or(&v.pointer);
                    if relative.is_empty() { v.message } else { format!("{relative}: {}", v.message) }
                })
                .collect();
            parts.sort();
            parts.dedup();
            format!("({}) {}", i + 1, parts.join(", "))
        })
        .collect();
    format!("matches none of the forms allowed here: {}", forms.join("; "))
}

fn expected_types(kind: &TypeKind) -> String {
    without_redundant_null(type_names(kind)).join(" or ")
}

fn type_names(kind: &TypeKind) -> Vec<&'static str> {
    match kind {
        TypeKind::Single(t) => vec![t.as_str()],
        TypeKind::Multiple(set) => set.iter().map(|t| t.as_str()).collect(),
    }
}

/// The Kubernetes schemas mark every field `["<type>", "null"]` (the OpenAPI `nullable`
/// conversion); saying "expected integer or null" adds nothing for a rendered manifest.
fn without_redundant_null(types: Vec<&'static str>) -> Vec<&'static str> {
    if types.len() > 1 { types.into_iter().filter(|t| *t != "null").collect() } else { types }
}

fn dedup_keep_order<T: PartialEq>(items: Vec<T>) -> Vec<T> {
    let mut out: Vec<T> = Vec::with_capacity(items.len());
    for item in items {
        if !out.contains(&item) {
            out.push(item);
        }
    }
    out
}

/// `string "x"`, `integer 3`, `boolean true`, `object`: the JSON type of a value and, for
/// scalars, the value itself.
pub(crate) fn describe(value: &Value) -> String {
    match value {
        Value::Null => "null".to_owned(),
        Value::Bool(b) => format!("boolean {b}"),
        Value::Number(n) if n.is_f64() => format!("number {n}"),
        Value::Number(n) => format!("integer {n}"),
        Value::String(s) => format!("string {}", quote(s)),
        Value::Array(_) => "array".to_owned(),
        Value::Object(_) => "object".to_owned(),
    }
}

/// A value in backticks as it would appear in YAML: strings unquoted, containers by type.
fn literal(value: &Value) -> String {
    match value {
        Value::String(s) => format!("`{}`", truncate(s)),
        Value::Array(_) => "an array".to_owned(),
        Value::Object(_) => "an object".to_owned(),
        other => format!("`{other}`"),
    }
}

fn quote(s: &str) -> String {
    Value::String(truncate(s)).to_string()
}

fn truncate(s: &str) -> String {
    if s.chars().count() <= MAX_QUOTED {
        s.to_owned()
    } else {
        let mut cut: String = s.chars().take(MAX_QUOTED).collect();
        cut.push('…');
        cut
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn check(schema: Value, instance: Value) -> Vec<Violation> {
        let validator = jsonschema::validator_for(&schema).expect("test schema compiles");
        let mut out: Vec<Violation> = validator.iter_errors(&instance).flat_map(|e| violations(&e, "")).collect();
        out.sort();
        out
    }

    #[test]
    fn type_error_names_expected_and_found() {
        let v = check(json!({"properties": {"n": {"type": ["integer", "null"]}}}), json!({"n": "x"}));
        assert_eq!(v, vec![Violation::new("/n", r#"expected integer, found string "x""#)]);
    }

    #[test]
    fn int_or_string_one_of_reads_as_a_type_error() {
        let schema = json!({"properties": {"port": {"oneOf": [
            {"type": ["string", "null"]}, {"type": ["integer", "null"]}
        ]}}});
        let v = check(schema, json!({"port": true}));
        assert_eq!(v, vec![Violation::new("/port", "expected string or integer, found boolean true")]);
    }

    #[test]
    fn any_of_required_lists_the_fields() {
        let schema = json!({"anyOf": [{"required": ["ingress"]}, {"required": ["egress"]}]});
        let v = check(schema, json!({}));
        assert_eq!(v, vec![Violation::new("", "must set at least one of `ingress`, `egress`")]);
    }

    #[test]
    fn unknown_fields_get_their_own_pointer() {
        let schema = json!({"properties": {"a": {}}, "additionalProperties": false});
        let v = check(schema, json!({"a": 1, "b/c": 2, "d": 3}));
        assert_eq!(v, vec![Violation::new("/b~1c", "unknown field `b/c`"), Violation::new("/d", "unknown field `d`"),]);
    }

    #[test]
    fn enum_and_minimum() {
        let schema = json!({"properties": {
            "policy": {"enum": ["Always", "Never"]},
            "replicas": {"minimum": 0}
        }});
        let v = check(schema, json!({"policy": "Sometimes", "replicas": -1}));
        assert_eq!(
            v,
            vec![
                Violation::new("/policy", "expected one of `Always`, `Never`, found `Sometimes`"),
                Violation::new("/replicas", "must be at least 0, found -1"),
            ]
        );
    }

    #[test]
    fn long_strings_are_cut() {
        let long = "x".repeat(100);
        assert_eq!(describe(&json!(long)).chars().count(), "string \"\"".len() + 61);
    }
}
