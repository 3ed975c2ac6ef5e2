//! Names: DNS labels (apps, teams, namespaces) and subdomains (Secrets, hosts),
//! environment variable names, and Entra ID object IDs.
//!
//! A name that passes here is one the API server accepts; a hint suggests the
//! nearest valid name (`Payments_API` → `payments-api`).

use paved_jsonschema::quote;

use super::{Issue, Problem, describe_char, did_you_mean_hint, verdict};

const LABEL_EXAMPLE: &str = "payments-api";
const LABEL_CHARS_HINT: &str = "use lowercase letters, digits and `-`";

fn is_label_char(c: char) -> bool {
    c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'
}

pub(super) fn label_ok(value: &str, max_len: usize) -> bool {
    !value.is_empty()
        && value.len() <= max_len
        && value.chars().all(is_label_char)
        && !value.starts_with('-')
        && !value.ends_with('-')
}

/// A valid label made from `value`: lowercased, other characters turned into `-`.
pub(super) fn label_suggestion(value: &str, max_len: usize) -> Option<String> {
    let mut out = String::new();
    let mut previous_lower = false;
    for c in value.chars() {
        // `PaymentsApiKeys` → `payments-api-keys`: a word starts at each capital.
        if c.is_ascii_uppercase() && previous_lower && !out.ends_with('-') {
            out.push('-');
        }
        previous_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        let c = c.to_ascii_lowercase();
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
        if out.len() > max_len {
            break;
        }
    }
    out.truncate(max_len);
    let out = out.trim_end_matches('-');
    (out != value && label_ok(out, max_len)).then(|| out.to_string())
}

fn label_chars_hint(value: &str, max_len: usize) -> String {
    match label_suggestion(value, max_len) {
        Some(example) if value.chars().count() > max_len => {
            format!("{LABEL_CHARS_HINT}, at most {max_len} characters, like {} (shortened)", quote(&example))
        }
        Some(example) => format!("{LABEL_CHARS_HINT}, like {}", quote(&example)),
        None => format!("{LABEL_CHARS_HINT}, like `{LABEL_EXAMPLE}`"),
    }
}

/// Every reason `value` is not a DNS label, in one issue.
pub(super) fn label_issue(value: &str, max_len: usize) -> Option<Issue> {
    if value.is_empty() {
        return Some(Issue::new("it is empty").hint(format!("{LABEL_CHARS_HINT}, like `{LABEL_EXAMPLE}`")));
    }
    let mut reasons = Vec::new();
    let mut contains = Vec::new();
    if value.chars().any(|c| c.is_ascii_uppercase()) {
        contains.push("uppercase letters".to_string());
    }
    let mut others: Vec<char> = value.chars().filter(|c| !is_label_char(*c) && !c.is_ascii_uppercase()).collect();
    others.dedup();
    let mut seen = Vec::new();
    for c in others {
        if !seen.contains(&c) {
            seen.push(c);
        }
    }
    contains.extend(seen.iter().take(3).map(|c| describe_char(*c)));
    match contains.len() {
        0 => {}
        1 => reasons.push(format!("contains {}", contains[0])),
        n => reasons.push(format!("contains {} and {}", contains[..n - 1].join(", "), contains[n - 1])),
    }
    let length = value.chars().count();
    if length > max_len {
        reasons.push(format!("is {length} characters long, the limit is {max_len}"));
    }
    if reasons.is_empty() && (value.starts_with('-') || value.ends_with('-')) {
        let which = if value.starts_with('-') { "starts" } else { "ends" };
        let example = label_suggestion(value, max_len).unwrap_or_else(|| LABEL_EXAMPLE.to_string());
        return Some(
            Issue::new(format!("it {which} with `-`"))
                .hint(format!("start and end with a letter or digit, like {}", quote(&example))),
        );
    }
    if reasons.is_empty() {
        return None;
    }
    let reason = match reasons.len() {
        1 => format!("it {}", reasons[0]),
        _ => {
            let last = reasons.pop().unwrap_or_default();
            format!("it {} and {last}", reasons.join(", "))
        }
    };
    let hint = match label_suggestion(value, max_len) {
        Some(fixed) if length <= max_len => did_you_mean_hint(&fixed),
        _ => label_chars_hint(value, max_len),
    };
    Some(Issue::new(reason).hint(hint))
}

/// Check an RFC 1123 DNS label: lowercase letters, digits and `-`, starting and ending
/// with a letter or digit, 1 to `max_len` characters.
///
/// Callers pass 63 (the RFC limit) or 40 for app names, which leaves room for suffixes in
/// the names of the generated objects.
pub fn dns_label(value: &str, max_len: usize) -> Result<(), Problem> {
    verdict(value, "DNS label", label_issue(value, max_len))
}

pub(super) fn subdomain_ok(value: &str) -> bool {
    !value.is_empty() && value.len() <= 253 && value.split('.').all(|label| label_ok(label, 63))
}

/// A valid subdomain made from `value`: lowercased, other characters turned into `-`,
/// empty labels dropped.
pub(super) fn subdomain_suggestion(value: &str) -> Option<String> {
    let labels: Vec<String> = value
        .split('.')
        .filter_map(|label| if label_ok(label, 63) { Some(label.to_string()) } else { label_suggestion(label, 63) })
        .collect();
    let out = labels.join(".");
    (out != value && subdomain_ok(&out)).then_some(out)
}

pub(super) fn subdomain_issue(value: &str) -> Option<Issue> {
    let fix_hint = || subdomain_suggestion(value).map(|s| did_you_mean_hint(&s));
    if value.is_empty() {
        return Some(
            Issue::new("it is empty").hint("use lowercase letters, digits, `-` and `.`, like `api.example.com`"),
        );
    }
    if let Some(bad) = value.chars().find(|c| !(is_label_char(*c) || *c == '.')) {
        if bad == '*' {
            return Some(Issue::new("wildcards are not supported").hint("list each name on its own"));
        }
        if bad.is_ascii_uppercase() {
            return Some(Issue::new("it contains uppercase letters").opt_hint(fix_hint()));
        }
        let hint = fix_hint().unwrap_or_else(|| "use lowercase letters, digits, `-` and `.`".to_string());
        return Some(Issue::new(format!("it contains {}", describe_char(bad))).hint(hint));
    }
    if value.len() > 253 {
        return Some(
            Issue::new(format!("it is {} characters long, the limit is 253", value.len()))
                .hint("shorten it to at most 253 characters"),
        );
    }
    if value.starts_with('.') {
        return Some(Issue::new("it starts with `.`").opt_hint(fix_hint()));
    }
    if value.ends_with('.') {
        return Some(Issue::new("it ends with `.`").opt_hint(fix_hint()));
    }
    for label in value.split('.') {
        if label.is_empty() {
            return Some(Issue::new("it contains `..`").opt_hint(fix_hint()));
        }
        if label.len() > 63 {
            return Some(
                Issue::new(format!("its part {} is {} characters long, the limit is 63", quote(label), label.len()))
                    .hint("shorten each part between dots to at most 63 characters"),
            );
        }
        if label.starts_with('-') || label.ends_with('-') {
            return Some(
                Issue::new(format!("its part {} starts or ends with `-`", quote(label)))
                    .hint(fix_hint().unwrap_or_else(|| "start and end each part with a letter or digit".to_string())),
            );
        }
    }
    None
}

/// Check an RFC 1123 subdomain: dot-separated DNS labels, at most 253 characters in all.
/// Used for Secret names and ingress hosts.
///
/// Each label is also held to 63 characters (RFC 1123; Kubernetes only checks the total
/// for object names, but a host name needs it).
pub fn dns_subdomain(value: &str) -> Result<(), Problem> {
    verdict(value, "DNS name", subdomain_issue(value))
}

/// Check an Entra ID (Azure AD) object ID: a UUID in its canonical form,
/// `8-4-4-4-12` lowercase hex digits, as group claims carry it. RoleBindings
/// compare it as a string, so `{…}`, uppercase or a missing dash would bind
/// no one.
pub fn object_id(value: &str) -> Result<(), Problem> {
    const HINT: &str = "copy the group's Object ID from Entra ID, like `4b1f6c2e-8d3a-4f5b-9c7e-1a2b3c4d5e6f`";
    let shape = |v: &str| {
        let groups: Vec<&str> = v.split('-').collect();
        groups.len() == 5
            && groups
                .iter()
                .zip([8, 4, 4, 4, 12])
                .all(|(g, n)| g.len() == n && g.bytes().all(|b| b.is_ascii_hexdigit()))
    };
    let trimmed = value.trim().trim_start_matches('{').trim_end_matches('}');
    if shape(value) && value.bytes().all(|b| !b.is_ascii_uppercase()) {
        return Ok(());
    }
    if shape(trimmed) {
        let canonical = trimmed.to_ascii_lowercase();
        return Err(Problem::new(format!("{} is not written the way tokens carry it", quote(value)))
            .with_hint(did_you_mean_hint(&canonical)));
    }
    if value.contains('@') {
        return Err(Problem::new(format!("{} is a name, not an object ID", quote(value))).with_hint(HINT));
    }
    Err(Problem::new(format!("{} is not an Entra ID object ID (a UUID)", quote(value))).with_hint(HINT))
}

/// Check an environment variable name: a C identifier, `[A-Za-z_][A-Za-z0-9_]*`.
pub fn env_var_name(value: &str) -> Result<(), Problem> {
    const CHARS: &str = "use letters, digits and `_`, like `LOG_LEVEL`";
    if value.is_empty() {
        return Err(Problem::new("environment variable name is empty").with_hint(CHARS));
    }
    let is_name_char = |c: char| c.is_ascii_alphanumeric() || c == '_';
    let first_bad = value.chars().find(|c| !is_name_char(*c));
    let starts_with_digit = value.starts_with(|c: char| c.is_ascii_digit());
    if first_bad.is_none() && !starts_with_digit {
        return Ok(());
    }
    let mut fixed: String = value.chars().map(|c| if is_name_char(c) { c } else { '_' }).collect();
    if starts_with_digit {
        fixed.insert(0, '_');
    }
    let hint =
        if fixed.chars().any(|c| c.is_ascii_alphanumeric()) { did_you_mean_hint(&fixed) } else { CHARS.to_string() };
    let message = match first_bad {
        Some(c) => {
            format!(
                "{} contains {}, which is not allowed in an environment variable name",
                quote(value),
                describe_char(c)
            )
        }
        None => format!("{} starts with a digit", quote(value)),
    };
    Err(Problem::new(message).with_hint(hint))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::testing::{accepts, rejects};

    #[test]
    fn dns_label_accepts() {
        accepts(|v| dns_label(v, 63), &["a", "0", "payments-api", "a--b", "123", "x1-y2-z3", &"a".repeat(63)]);
        accepts(|v| dns_label(v, 40), &[&"a".repeat(40), "payments-api"]);
    }

    #[test]
    fn dns_label_rejects() {
        let long41 = "a".repeat(41);
        let long64 = "a".repeat(64);
        rejects(
            |v| dns_label(v, 63),
            &[
                ("", "empty", "like `payments-api`"),
                ("Payments-API", "uppercase", "did you mean `payments-api`?"),
                ("payments_api", "contains `_`", "did you mean `payments-api`?"),
                ("My_App", "uppercase letters and `_`", "did you mean `my-app`?"),
                ("payments.api", "contains `.`", "did you mean `payments-api`?"),
                ("x y", "contains a space", "did you mean `x-y`?"),
                ("-api", "starts with `-`", "like `api`"),
                ("api-", "ends with `-`", "like `api`"),
                ("-", "starts with `-`", "like `payments-api`"),
                ("héllo", "contains `é`", ""),
                ("日本", "contains `日`", "like `payments-api`"),
                ("a\u{0}b", "control character U+0000", ""),
                (&long64, "64 characters long, the limit is 63", "at most 63"),
                ("PaymentsApiKeys", "uppercase", "did you mean `payments-api-keys`?"),
            ],
        );
        rejects(
            |v| dns_label(v, 40),
            &[
                (
                    "Payments_Settlement_Reconciliation_Service_API_X",
                    "is 48 characters long, the limit is 40",
                    "(shortened)",
                ),
                (&long41, "41 characters long, the limit is 40", "at most 40 characters"),
            ],
        );
    }

    #[test]
    fn dns_subdomain_checks() {
        accepts(
            dns_subdomain,
            &["db-credentials", "api.example.com", "a.b.c.d", "x1.y2", &format!("{}.com", "a".repeat(63))],
        );
        let long_label = format!("{}.com", "a".repeat(64));
        let too_long = vec!["a".repeat(50); 6].join(".");
        rejects(
            dns_subdomain,
            &[
                ("", "empty", ""),
                ("Api.Example.com", "uppercase", "did you mean `api.example.com`?"),
                ("a..b", "`..`", "did you mean `a.b`?"),
                (".a", "starts with `.`", "did you mean `a`?"),
                ("example.com.", "ends with `.`", "did you mean `example.com`?"),
                ("*.example.com", "wildcards", "list each name"),
                ("a_b.c", "contains `_`", "did you mean `a-b.c`?"),
                ("-a.b", "part `-a`", "did you mean `a.b`?"),
                ("a.b-", "part `b-`", ""),
                (&long_label, "64 characters long, the limit is 63", ""),
                (&too_long, "305 characters long, the limit is 253", ""),
                ("exämple.com", "contains `ä`", ""),
            ],
        );
    }

    #[test]
    fn object_id_checks() {
        accepts(object_id, &["4b1f6c2e-8d3a-4f5b-9c7e-1a2b3c4d5e6f", "00000000-0000-0000-0000-000000000000"]);
        let upper = object_id("4B1F6C2E-8D3A-4F5B-9C7E-1A2B3C4D5E6F").expect_err("refused");
        assert!(upper.hint.unwrap_or_default().contains("`4b1f6c2e-8d3a-4f5b-9c7e-1a2b3c4d5e6f`"));
        let braced = object_id("{4b1f6c2e-8d3a-4f5b-9c7e-1a2b3c4d5e6f}").expect_err("refused");
        assert!(braced.hint.unwrap_or_default().contains("`4b1f6c2e-8d3a-4f5b-9c7e-1a2b3c4d5e6f`"));
        assert!(object_id("payments-admins@bank.com").expect_err("refused").message.contains("a name"));
        for bad in [
            "",
            "4b1f6c2e8d3a4f5b9c7e1a2b3c4d5e6f",
            "4b1f6c2e-8d3a-4f5b-9c7e-1a2b3c4d5e6",
            "zb1f6c2e-8d3a-4f5b-9c7e-1a2b3c4d5e6f",
        ] {
            assert!(object_id(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn env_var_name_checks() {
        accepts(env_var_name, &["LOG_LEVEL", "_x", "a", "A1_B2", "__"]);
        rejects(
            env_var_name,
            &[
                ("", "empty", "like `LOG_LEVEL`"),
                ("LOG-LEVEL", "contains `-`", "did you mean `LOG_LEVEL`?"),
                ("log.level", "contains `.`", "did you mean `log_level`?"),
                ("log level", "contains a space", "did you mean `log_level`?"),
                ("1ABC", "starts with a digit", "did you mean `_1ABC`?"),
                ("9-lives", "contains `-`", "did you mean `_9_lives`?"),
                ("---", "contains `-`", "like `LOG_LEVEL`"),
                ("ÄÖ", "contains `Ä`", "like `LOG_LEVEL`"),
                ("A=B", "contains `=`", "`A_B`"),
            ],
        );
    }
}
