//! Turns the `jsonschema` crate's errors into [`Violation`]s a developer can act on.
//!
//! The words are paved's own, the same as for the files people write
//! ([`paved_jsonschema`]); what is particular to rendered objects is where a
//! problem is: a JSON pointer, and for each unknown field a pointer of its own,
//! so a caller can map every problem to a line of the rendered YAML.

use jsonschema::ValidationError;
use paved_jsonschema::pointer;
use serde_json::Value;

use crate::Violation;

/// The violations one schema error stands for, with `prefix` (an already escaped JSON
/// pointer) put in front of the error's own location.
///
/// One error can stand for several violations: `additionalProperties` reports every unknown
/// field at once, and each gets its own pointer so it can be located in the YAML.
pub(crate) fn violations(error: &ValidationError<'_>, prefix: &str) -> Vec<Violation> {
    let at = format!("{prefix}{}", error.instance_path().as_str());
    paved_jsonschema::messages(error)
        .into_iter()
        .map(|message| match &message.property {
            Some(field) => Violation::new(format!("{at}/{}", pointer::escape(field)), message.text),
            None => Violation::new(at.clone(), message.text),
        })
        .collect()
}

/// `string `x``, `integer `3``, `a mapping`: the value found, in paved's words.
pub(crate) fn describe(value: &Value) -> String {
    paved_jsonschema::describe(value)
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
        assert_eq!(v, vec![Violation::new("/n", "expected an integer, found string `x`")]);
    }

    #[test]
    fn int_or_string_one_of_reads_as_a_type_error() {
        let schema = json!({"properties": {"port": {"oneOf": [
            {"type": ["string", "null"]}, {"type": ["integer", "null"]}
        ]}}});
        let v = check(schema, json!({"port": true}));
        assert_eq!(v, vec![Violation::new("/port", "expected a string or an integer, found boolean `true`")]);
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
    fn a_prefix_goes_before_the_pointer() {
        let schema = json!({"properties": {"labels": {"additionalProperties": {"type": "string"}}}});
        let v: Vec<Violation> = jsonschema::validator_for(&schema)
            .expect("test schema compiles")
            .iter_errors(&json!({"labels": {"a/b": 1}}))
            .flat_map(|e| violations(&e, "/metadata"))
            .collect();
        assert_eq!(v, vec![Violation::new("/metadata/labels/a~1b", "expected a string, found integer `1`")]);
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
                Violation::new("/policy", "string `Sometimes` is not one of `Always`, `Never`"),
                Violation::new("/replicas", "integer `-1` is less than the minimum `0`"),
            ]
        );
    }

    #[test]
    fn long_strings_are_cut() {
        let long = "x".repeat(1000);
        assert_eq!(describe(&json!(long)), format!("string {}", paved_jsonschema::quote(&long)));
        assert!(describe(&json!(long)).ends_with("…`"));
    }
}
