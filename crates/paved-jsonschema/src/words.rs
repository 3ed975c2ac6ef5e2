//! Schema errors in words.
//!
//! The `jsonschema` crate's own messages embed the whole failing instance
//! (`{...} is not valid under any of the schemas listed in the 'oneOf'
//! keyword`), which for a pod spec is a screenful of JSON. These say what was
//! expected and what was found instead, with values quoted by [`quote`].

use jsonschema::ValidationError;
use jsonschema::error::{TypeKind, ValidationErrorKind};
use serde_json::Value;

use crate::{pointer, quote};

/// One problem a schema error stands for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    /// The property the problem is about, below the error's own location,
    /// when the error names one: each unknown field of `additionalProperties`
    /// is a problem of its own, so a caller can point at it. `None` for the
    /// error's location itself.
    pub property: Option<String>,
    /// What is wrong: values in backticks, no trailing period.
    pub text: String,
}

/// The problems one schema error stands for, in words: one, or one per
/// unknown field.
pub fn messages(error: &ValidationError<'_>) -> Vec<Message> {
    match error.kind() {
        ValidationErrorKind::AdditionalProperties { unexpected }
        | ValidationErrorKind::UnevaluatedProperties { unexpected } => unexpected
            .iter()
            .map(|field| Message { property: Some(field.clone()), text: unknown_field(field) })
            .collect(),
        kind => vec![Message { property: None, text: text(error, kind) }],
    }
}

/// "unknown field `replica`"
pub fn unknown_field(name: &str) -> String {
    format!("unknown field {}", quote(name))
}

fn text(error: &ValidationError<'_>, kind: &ValidationErrorKind) -> String {
    let instance: &Value = error.instance();
    let found = || describe(instance);
    match kind {
        ValidationErrorKind::Type { kind } => format!("expected {}, found {}", expected_types(kind), found()),
        ValidationErrorKind::Required { property } => format!("missing field {}", literal(property)),
        ValidationErrorKind::Enum { options } => {
            let list = match options.as_array() {
                Some(options) => options.iter().map(literal).collect::<Vec<_>>().join(", "),
                None => literal(options),
            };
            format!("{} is not one of {list}", found())
        }
        ValidationErrorKind::Constant { expected_value } => format!("{} is not {}", found(), literal(expected_value)),
        ValidationErrorKind::Minimum { limit } => format!("{} is less than the minimum `{limit}`", found()),
        ValidationErrorKind::Maximum { limit } => format!("{} is more than the maximum `{limit}`", found()),
        ValidationErrorKind::ExclusiveMinimum { limit } => format!("{} is not greater than `{limit}`", found()),
        ValidationErrorKind::ExclusiveMaximum { limit } => format!("{} is not less than `{limit}`", found()),
        ValidationErrorKind::MinItems { limit: 1 }
        | ValidationErrorKind::MinLength { limit: 1 }
        | ValidationErrorKind::MinProperties { limit: 1 } => "must not be empty".to_owned(),
        ValidationErrorKind::MinItems { limit } => format!("needs at least {limit} items"),
        ValidationErrorKind::MaxItems { limit } => format!("has more than {limit} items"),
        ValidationErrorKind::MinProperties { limit } => format!("needs at least {limit} fields"),
        ValidationErrorKind::MaxProperties { limit } => format!("has more than {limit} fields"),
        ValidationErrorKind::MinLength { limit } => format!("{} is shorter than {limit} characters", found()),
        ValidationErrorKind::MaxLength { limit } => format!("{} is longer than {limit} characters", found()),
        ValidationErrorKind::Pattern { pattern } => {
            format!("{} does not match the pattern {}", found(), quote(pattern))
        }
        ValidationErrorKind::Format { format } => format!("{} is not a valid {}", found(), quote(format)),
        ValidationErrorKind::UniqueItems => "lists the same item twice".to_owned(),
        ValidationErrorKind::FalseSchema => "is not allowed here".to_owned(),
        ValidationErrorKind::AnyOf { context } => alternatives(error, context, false),
        ValidationErrorKind::OneOfNotValid { context } => alternatives(error, context, true),
        // The Kubernetes int-or-string and quantity schemas are `oneOf` two
        // nullable types, so `null` matches both: say what is actually wrong.
        ValidationErrorKind::OneOfMultipleValid { .. } if instance.is_null() => "must not be null".to_owned(),
        ValidationErrorKind::OneOfMultipleValid { .. } => {
            "matches more than one of the mutually exclusive forms allowed here".to_owned()
        }
        // Rare keywords: the crate's message, without the (possibly huge) instance.
        _ => error.masked().to_string(),
    }
}

/// The constant each branch of an `anyOf`/`oneOf` stands for, when every
/// branch is one string constant (an enumeration written as `const`s, as
/// schemars writes a documented enum): the values a person may choose from.
pub fn branch_constants<'a>(branches: &'a [Vec<ValidationError<'static>>]) -> Option<Vec<&'a str>> {
    let constants: Vec<&str> = branches
        .iter()
        .filter_map(|errors| {
            errors.iter().find_map(|e| match e.kind() {
                ValidationErrorKind::Constant { expected_value } => expected_value.as_str(),
                _ => None,
            })
        })
        .collect();
    (!constants.is_empty() && constants.len() == branches.len()).then_some(constants)
}

/// Explains an `anyOf`/`oneOf` that no branch matched: the choices, when they
/// are constants; the types, when the value has none of them (int-or-string,
/// a value or a list of them); the fields, when each branch wants one (Cilium's
/// "at least one of these"); otherwise what each form wanted.
fn alternatives(error: &ValidationError<'_>, branches: &[Vec<ValidationError<'static>>], exactly_one: bool) -> String {
    let here = error.instance_path();
    let found = describe(error.instance());
    if let Some(constants) = branch_constants(branches) {
        let list = constants.iter().map(|c| quote(c)).collect::<Vec<_>>().join(", ");
        return format!("{found} is not one of {list}");
    }
    let type_error_here =
        |e: &ValidationError<'_>| e.instance_path() == here && matches!(e.kind(), ValidationErrorKind::Type { .. });
    if !branches.is_empty() && branches.iter().all(|branch| branch.iter().any(type_error_here)) {
        let mut names: Vec<&'static str> = Vec::new();
        for e in branches.iter().flatten().filter(|e| type_error_here(e)) {
            if let ValidationErrorKind::Type { kind } = e.kind() {
                names.extend(type_names(kind));
            }
        }
        return format!("expected {}, found {found}", words_for(names));
    }
    let required_here =
        |e: &ValidationError<'_>| e.instance_path() == here && matches!(e.kind(), ValidationErrorKind::Required { .. });
    if !branches.is_empty() && branches.iter().all(|branch| !branch.is_empty() && branch.iter().all(required_here)) {
        let mut fields: Vec<String> = Vec::new();
        for e in branches.iter().flatten() {
            if let ValidationErrorKind::Required { property } = e.kind() {
                fields.push(literal(property));
            }
        }
        let how_many = if exactly_one { "exactly one" } else { "at least one" };
        return format!("must set {how_many} of {}", dedup_keep_order(fields).join(", "));
    }
    let forms: Vec<String> = branches
        .iter()
        .enumerate()
        .map(|(i, branch)| {
            let mut parts: Vec<String> = Vec::new();
            for e in branch {
                let at = e.instance_path().as_str();
                let relative = at.strip_prefix(here.as_str()).unwrap_or(at);
                for message in messages(e) {
                    let place = match &message.property {
                        Some(property) => format!("{relative}/{}", pointer::escape(property)),
                        None => relative.to_owned(),
                    };
                    parts.push(if place.is_empty() { message.text } else { format!("{place}: {}", message.text) });
                }
            }
            parts.sort();
            parts.dedup();
            format!("({}) {}", i + 1, parts.join(", "))
        })
        .collect();
    format!("matches none of the forms allowed here: {}", forms.join("; "))
}

/// "an integer", "a string or a mapping": the types a schema expects.
pub fn expected_types(kind: &TypeKind) -> String {
    words_for(type_names(kind))
}

fn type_names(kind: &TypeKind) -> Vec<&'static str> {
    match kind {
        TypeKind::Single(t) => vec![t.as_str()],
        TypeKind::Multiple(set) => set.iter().map(|t| t.as_str()).collect(),
    }
}

/// Type names in words, joined by "or": each once, and `null` left out when
/// there is another (every optional field may be null; saying so adds nothing).
fn words_for(names: Vec<&str>) -> String {
    let mut names = dedup_keep_order(names);
    if names.len() > 1 {
        names.retain(|t| *t != "null");
    }
    names.into_iter().map(type_word).collect::<Vec<_>>().join(" or ")
}

/// A JSON Schema type as people who write YAML call it: "a mapping", "a list".
pub fn type_word(t: &str) -> String {
    match t {
        "object" => "a mapping".into(),
        "array" => "a list".into(),
        "string" => "a string".into(),
        "integer" => "an integer".into(),
        "number" => "a number".into(),
        "boolean" => "`true` or `false`".into(),
        "null" => "nothing".into(),
        other => other.into(),
    }
}

/// The value found, with its type: "string `x`", "integer `3`", "a mapping".
pub fn describe(value: &Value) -> String {
    match value {
        Value::Null => "nothing (null)".into(),
        Value::Bool(b) => format!("boolean `{b}`"),
        Value::Number(n) if n.is_i64() || n.is_u64() => format!("integer `{n}`"),
        Value::Number(n) => format!("number `{n}`"),
        Value::String(s) => format!("string {}", quote(s)),
        Value::Array(_) => "a list".into(),
        Value::Object(_) => "a mapping".into(),
    }
}

/// A value as it is written in YAML, in backticks: `x`, `3`, `true`; a list
/// or a mapping by its kind.
pub fn literal(value: &Value) -> String {
    match value {
        Value::String(s) => quote(s),
        Value::Array(_) => "a list".into(),
        Value::Object(_) => "a mapping".into(),
        other => format!("`{other}`"),
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// Every message for `instance` against `schema`, as `pointer: text`.
    fn check(schema: Value, instance: Value) -> Vec<String> {
        #[allow(clippy::expect_used)]
        let validator = jsonschema::validator_for(&schema).expect("test schema compiles");
        let mut out: Vec<String> = validator
            .iter_errors(&instance)
            .flat_map(|e| {
                let at = e.instance_path().as_str().to_owned();
                messages(&e).into_iter().map(move |m| match m.property {
                    Some(p) => format!("{at}/{}: {}", pointer::escape(&p), m.text),
                    None => format!("{at}: {}", m.text),
                })
            })
            .collect();
        out.sort();
        out
    }

    #[test]
    fn types() {
        let schema = json!({"properties": {
            "n": {"type": "integer"}, "s": {"type": ["string", "null"]}, "b": {"type": "boolean"},
            "m": {"type": "object"}, "l": {"type": "array"}, "f": {"type": "integer"}
        }});
        let found = check(schema, json!({"n": "x", "s": 3, "b": "yes", "m": [1], "l": {}, "f": 1.5}));
        assert_eq!(
            found,
            [
                "/b: expected `true` or `false`, found string `yes`",
                "/f: expected an integer, found number `1.5`",
                "/l: expected a list, found a mapping",
                "/m: expected a mapping, found a list",
                "/n: expected an integer, found string `x`",
                "/s: expected a string, found integer `3`",
            ]
        );
    }

    #[test]
    fn required_and_unknown_fields() {
        let schema = json!({"properties": {"a": {}}, "required": ["name"], "additionalProperties": false});
        let found = check(schema, json!({"a": 1, "b/c": 2, "d": 3}));
        assert_eq!(found, ["/b~1c: unknown field `b/c`", "/d: unknown field `d`", ": missing field `name`"]);
    }

    #[test]
    fn choices_and_constants() {
        let schema = json!({"properties": {
            "policy": {"enum": ["Always", "Never"]},
            "kind": {"const": "Deployment"},
            "flavor": {"anyOf": [{"const": "kubernetes"}, {"const": "cilium"}]}
        }});
        let found = check(schema, json!({"policy": "Sometimes", "kind": 3, "flavor": "calico"}));
        assert_eq!(
            found,
            [
                "/flavor: string `calico` is not one of `kubernetes`, `cilium`",
                "/kind: integer `3` is not `Deployment`",
                "/policy: string `Sometimes` is not one of `Always`, `Never`",
            ]
        );
    }

    #[test]
    fn bounds_and_lengths() {
        let schema = json!({"properties": {
            "low": {"minimum": 1}, "high": {"maximum": 65535},
            "above": {"exclusiveMinimum": 0}, "below": {"exclusiveMaximum": 10},
            "empty": {"minItems": 1}, "few": {"minItems": 2}, "many": {"maxItems": 1},
            "blank": {"minLength": 1}, "short": {"minLength": 3}, "long": {"maxLength": 2},
            "fields": {"minProperties": 1}, "lots": {"maxProperties": 1}
        }});
        let instance = json!({
            "low": 0, "high": 70000, "above": 0, "below": 10,
            "empty": [], "few": [1], "many": [1, 2],
            "blank": "", "short": "ab", "long": "abc",
            "fields": {}, "lots": {"a": 1, "b": 2}
        });
        assert_eq!(
            check(schema, instance),
            [
                "/above: integer `0` is not greater than `0`",
                "/below: integer `10` is not less than `10`",
                "/blank: must not be empty",
                "/empty: must not be empty",
                "/few: needs at least 2 items",
                "/fields: must not be empty",
                "/high: integer `70000` is more than the maximum `65535`",
                "/long: string `abc` is longer than 2 characters",
                "/lots: has more than 1 fields",
                "/low: integer `0` is less than the minimum `1`",
                "/many: has more than 1 items",
                "/short: string `ab` is shorter than 3 characters",
            ]
        );
    }

    #[test]
    fn patterns_formats_and_unique_items() {
        let schema = json!({"properties": {
            "name": {"pattern": "^[a-z]+$"}, "list": {"uniqueItems": true}, "never": false
        }});
        let found = check(schema, json!({"name": "A", "list": [1, 1], "never": 1}));
        assert_eq!(
            found,
            [
                "/list: lists the same item twice",
                "/name: string `A` does not match the pattern `^[a-z]+$`",
                "/never: is not allowed here",
            ]
        );
        #[allow(clippy::expect_used)]
        let validator = jsonschema::options()
            .should_validate_formats(true)
            .build(&json!({"format": "ipv4"}))
            .expect("test schema compiles");
        let errors: Vec<String> =
            validator.iter_errors(&json!("10.0.0")).flat_map(|e| messages(&e)).map(|m| m.text).collect();
        assert_eq!(errors, ["string `10.0.0` is not a valid `ipv4`"]);
    }

    #[test]
    fn alternatives_of_types_read_as_a_type_error() {
        let schema = json!({"properties": {"port": {"oneOf": [
            {"type": ["string", "null"]}, {"type": ["integer", "null"]}
        ]}}});
        assert_eq!(
            check(schema, json!({"port": true})),
            ["/port: expected a string or an integer, found boolean `true`"]
        );
    }

    #[test]
    fn alternatives_of_required_fields_list_them() {
        let any = json!({"anyOf": [{"required": ["ingress"]}, {"required": ["egress"]}]});
        assert_eq!(check(any, json!({})), [": must set at least one of `ingress`, `egress`"]);
        let one = json!({"oneOf": [{"required": ["ingress"]}, {"required": ["egress"]}]});
        assert_eq!(check(one, json!({})), [": must set exactly one of `ingress`, `egress`"]);
    }

    #[test]
    fn other_alternatives_say_what_each_form_wanted() {
        let schema = json!({"anyOf": [
            {"type": "object", "properties": {"a": {"type": "integer"}}, "required": ["a"]},
            {"type": "object", "properties": {"b": {"type": "string"}}, "additionalProperties": false}
        ]});
        assert_eq!(
            check(schema, json!({"a": "x"})),
            [
                ": matches none of the forms allowed here: (1) /a: expected an integer, found string `x`; (2) /a: unknown field `a`"
            ]
        );
    }

    #[test]
    fn null_matching_two_nullable_forms() {
        let schema = json!({"oneOf": [{"type": ["string", "null"]}, {"type": ["integer", "null"]}]});
        assert_eq!(check(schema, Value::Null), [": must not be null"]);
        let both = json!({"oneOf": [{"type": "integer"}, {"minimum": 0}]});
        assert_eq!(check(both, json!(1)), [": matches more than one of the mutually exclusive forms allowed here"]);
    }

    #[test]
    fn values_are_quoted_the_one_way() {
        let long = "x".repeat(1000);
        assert_eq!(describe(&json!(long)), format!("string {}", quote(&long)));
        assert_eq!(describe(&json!("a\nb")), "string `a\\nb`");
        assert_eq!(describe(&Value::Null), "nothing (null)");
        assert_eq!(describe(&json!(2.5)), "number `2.5`");
        assert_eq!(literal(&json!(["a"])), "a list");
        assert_eq!(literal(&json!(false)), "`false`");
        assert_eq!(unknown_field("replica"), "unknown field `replica`");
    }
}
