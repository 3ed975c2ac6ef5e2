//! Syntax checks for single values of the app file.
//!
//! Each check looks at one string on its own and returns either the parsed value or a
//! [`Problem`]: a short message saying what is wrong and, where a fix can be guessed, a
//! hint saying how to fix it. Checks that need context (is the registry allowed, does the
//! blueprint exist, does the environment exist) live elsewhere; these are pure functions.
//!
//! Where Kubernetes is stricter than the textbook grammar, these checks follow Kubernetes:
//! a value that passes here ends up in a manifest the API server has to accept.
//!
//! No check panics, whatever the input: empty strings, non-ASCII text and very long
//! strings all give a [`Problem`]. Messages quote values the one way paved does
//! ([`paved_jsonschema::quote`]: in backticks, shortened, control characters escaped).
//!
//! One module per kind of value: `names` (DNS labels and subdomains, environment
//! variable names, object IDs), `blueprint_ref`, `image` (references, tags,
//! digests), `cron` (schedules and time zones), `quantity`, `http_path`, `ingress`
//! (ingress hosts and paths), `calls` (calls and callers), `typos` ("did you mean")
//! and `workload` (durations, port names, annotation keys, header names), each with
//! its tests.

use std::fmt;

use paved_jsonschema::quote;

mod blueprint_ref;
mod calls;
mod cron;
mod http_path;
mod image;
mod ingress;
mod names;
mod quantity;
mod typos;
mod workload;

pub use blueprint_ref::{BlueprintRef, blueprint_ref};
pub use calls::{Call, Caller, call, caller};
pub use cron::{cron_schedule, time_zone};
pub use http_path::http_path;
pub use image::{ImageRef, image_digest, image_ref, image_tag, is_latest};
pub use ingress::{ingress_host, ingress_path};
pub use names::{dns_label, dns_subdomain, env_var_name, object_id};
pub use quantity::{container_memory, cpu_quantity, memory_quantity, quantity_magnitude};
pub use typos::did_you_mean;
pub use workload::{
    MAX_DURATION_SECONDS, annotation_key, data_key, duration, file_mode, header_name, mount_path, path_within,
    port_name,
};

/// A syntax problem in one value: what is wrong, and an optional hint saying how to fix it.
///
/// Messages are short, quote values in backticks and have no trailing period. Hints are
/// sentences without a trailing period, like "did you mean `replicas`?".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// What is wrong, like "`api` has no version".
    pub message: String,
    /// How to fix it, like "pin a major version, like `api@1`".
    pub hint: Option<String>,
}

impl Problem {
    /// A problem without a hint.
    pub fn new(message: impl Into<String>) -> Self {
        Problem { message: message.into(), hint: None }
    }

    /// The same problem with `hint` as its hint.
    #[must_use]
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    fn with_opt_hint(mut self, hint: Option<String>) -> Self {
        self.hint = hint;
        self
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Problem {}

/// Name a character for a message: "a space", "`_`".
fn describe_char(c: char) -> String {
    match c {
        ' ' => "a space".to_string(),
        '\t' => "a tab".to_string(),
        '\n' | '\r' => "a line break".to_string(),
        '`' => "a backtick".to_string(),
        c if c.is_whitespace() => format!("the space character U+{:04X}", u32::from(c)),
        c if c.is_control() => format!("the control character U+{:04X}", u32::from(c)),
        c => format!("`{c}`"),
    }
}

fn is_space_or_control(c: char) -> bool {
    c.is_whitespace() || c.is_control()
}

/// The value without whitespace and control characters.
fn compact(value: &str) -> String {
    value.chars().filter(|c| !is_space_or_control(*c)).collect()
}

/// The reason a part of a value is wrong, and a hint; turned into a [`Problem`] by the
/// caller, who knows how to name the part.
#[derive(Debug)]
struct Issue {
    reason: String,
    hint: Option<String>,
}

impl Issue {
    fn new(reason: impl Into<String>) -> Self {
        Issue { reason: reason.into(), hint: None }
    }

    fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    fn opt_hint(mut self, hint: Option<String>) -> Self {
        self.hint = hint;
        self
    }

    /// The problem of a value whose `what` part (like "tag") is `part` and has
    /// this issue: "tag `x` in `app:x` is not valid: …", with the issue's hint.
    fn in_part(self, what: &str, part: &str, value: &str) -> Problem {
        Problem::new(format!("{what} {} in {} is not valid: {}", quote(part), quote(value), self.reason))
            .with_opt_hint(self.hint)
    }
}

/// The result of checking `value`, a `what` (like "DNS label"), which has
/// `issue` when it is not valid: "DNS label is empty", or "`x` is not a valid
/// DNS label: it contains `_`".
fn verdict(value: &str, what: &str, issue: Option<Issue>) -> Result<(), Problem> {
    match issue {
        None => Ok(()),
        Some(issue) if value.is_empty() => Err(Problem::new(format!("{what} is empty")).with_opt_hint(issue.hint)),
        Some(issue) => {
            Err(Problem::new(format!("{} is not a valid {what}: {}", quote(value), issue.reason))
                .with_opt_hint(issue.hint))
        }
    }
}

/// "did you mean `x`?", the hint for a fix paved can guess.
fn did_you_mean_hint(suggestion: &str) -> String {
    format!("did you mean {}?", quote(suggestion))
}

/// A port, 1 to 65535, as in registries (`localhost:5000`) and calls (`:5432`).
fn parse_port(text: &str) -> Result<u16, Issue> {
    if text.is_empty() {
        return Err(Issue::new("the port is empty").hint("give a port after `:`, or leave out the `:`"));
    }
    if !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Issue::new(format!("port {} is not a number", quote(text))).hint("use a port from 1 to 65535"));
    }
    let number = if text.len() > 5 { u32::MAX } else { text.parse::<u32>().unwrap_or(u32::MAX) };
    match u16::try_from(number) {
        Ok(port) if port > 0 => Ok(port),
        _ => {
            Err(Issue::new(format!("port {} is out of range 1-65535", quote(text))).hint("use a port from 1 to 65535"))
        }
    }
}

#[cfg(test)]
pub(crate) mod testing {
    use std::fmt;

    use super::Problem;

    /// Messages and hints follow the house style: short, no trailing period.
    #[track_caller]
    pub(crate) fn assert_well_formed(problem: &Problem, input: &str) {
        let message = &problem.message;
        assert!(!message.is_empty(), "{input:?}: empty message");
        assert!(!message.ends_with('.'), "{input:?}: message ends with a period: {message}");
        assert!(message.chars().count() < 600, "{input:?}: message too long: {message}");
        assert!(!message.contains('\n'), "{input:?}: message has a line break: {message:?}");
        if let Some(hint) = &problem.hint {
            assert!(!hint.is_empty(), "{input:?}: empty hint");
            assert!(!hint.ends_with('.'), "{input:?}: hint ends with a period: {hint}");
            assert!(hint.chars().count() < 600, "{input:?}: hint too long: {hint}");
        }
    }

    #[track_caller]
    pub(crate) fn accepts<T: fmt::Debug>(check: impl Fn(&str) -> Result<T, Problem>, inputs: &[&str]) {
        for input in inputs {
            if let Err(problem) = check(input) {
                panic!("{input:?} was rejected: {problem:?}");
            }
        }
    }

    /// Each case: input, text expected in the message, text expected in the hint (an
    /// empty string expects nothing of the hint).
    #[track_caller]
    pub(crate) fn rejects<T: fmt::Debug>(check: impl Fn(&str) -> Result<T, Problem>, cases: &[(&str, &str, &str)]) {
        for (input, in_message, in_hint) in cases {
            match check(input) {
                Ok(value) => panic!("{input:?} was accepted as {value:?}"),
                Err(problem) => {
                    assert_well_formed(&problem, input);
                    assert!(
                        problem.message.contains(in_message),
                        "{input:?}: expected {in_message:?} in message {:?}",
                        problem.message
                    );
                    if !in_hint.is_empty() {
                        let hint = problem.hint.as_deref().unwrap_or_default();
                        assert!(hint.contains(in_hint), "{input:?}: expected {in_hint:?} in hint {hint:?}");
                    }
                }
            }
        }
    }

    pub(crate) fn hint<T: fmt::Debug>(result: Result<T, Problem>) -> String {
        match result {
            Ok(value) => panic!("accepted as {value:?}"),
            Err(problem) => problem.hint.unwrap_or_default(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::testing::assert_well_formed;
    use super::*;

    #[test]
    fn long_values_are_shortened_in_messages() {
        let long = "X".repeat(100_000);
        let problem = dns_label(&long, 63).err().unwrap_or_else(|| Problem::new(""));
        assert!(problem.message.contains('…'));
        assert!(problem.message.chars().count() < 300);
        assert_eq!(quote("a\u{1b}b"), "`a\\u{1b}b`");
    }

    #[test]
    fn problem_display_is_the_message() {
        let problem = Problem::new("`x` is wrong").with_hint("fix it");
        assert_eq!(problem.to_string(), "`x` is wrong");
    }

    /// No check panics, and every problem is well formed, whatever the input.
    #[test]
    fn nothing_panics_on_odd_input() {
        let long = "a".repeat(100_000);
        let long_digits = "9".repeat(100_000);
        let long_colons = ":".repeat(50_000);
        let long_schemes = "://".repeat(30_000);
        let long_dots = format!("0.{}1Ki", "0".repeat(5_000));
        let inputs = [
            "",
            " ",
            "\0",
            "\u{feff}",
            "é",
            "日本語",
            "🦀",
            "a\u{301}",
            "\u{202e}abc",
            "@",
            ":",
            "/",
            "//",
            "[",
            "]",
            "[]",
            "[:]",
            "*",
            "?",
            "-",
            ".",
            "..",
            "@@",
            "::",
            "e",
            "E",
            "+",
            "-0",
            "0x10",
            "1e-",
            "1e+",
            "1.e5",
            "NaN",
            "inf",
            "%",
            "https://",
            "http://",
            "://",
            "a@b@c",
            "a:b:c:d",
            "[::1]:",
            "[::1]:0/a",
            "1/2/3/4",
            "*/*",
            "* * * * * * * *",
            "1-2/3-4 * * * *",
            ",,,,",
            "\u{85}",
            &long,
            &long_digits,
            &long_colons,
            &long_schemes,
            &long_dots,
        ];
        for input in inputs {
            let results: Vec<Option<Problem>> = vec![
                dns_label(input, 63).err(),
                dns_label(input, 0).err(),
                dns_subdomain(input).err(),
                blueprint_ref(input).err(),
                image_ref(input).err(),
                image_tag(input).err(),
                image_digest(input).err(),
                cron_schedule(input).err(),
                time_zone(input).err(),
                cpu_quantity(input).err(),
                memory_quantity(input).err(),
                container_memory(input).err(),
                ingress_host(input).err(),
                ingress_path(input, crate::platform::IngressPaths::Strict).err(),
                env_var_name(input).err(),
                http_path(input).err(),
                call(input).err(),
                caller(input).err(),
            ];
            for problem in results.iter().flatten() {
                assert_well_formed(problem, input);
            }
            let _ = did_you_mean(input, ["a", "bb", input]);
        }
    }
}
