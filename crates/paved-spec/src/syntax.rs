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
//! strings all give a [`Problem`]. Messages quote at most the first few dozen characters
//! of a value.

use std::fmt;
use std::net::{Ipv4Addr, Ipv6Addr};
use std::str::FromStr;

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

/// A parsed `blueprint:` value, `NAME@MAJOR[.MINOR[.PATCH]]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlueprintRef {
    /// The blueprint name, a DNS label like `api`.
    pub name: String,
    /// The major version, always present.
    pub major: u64,
    /// The minor version, if given.
    pub minor: Option<u64>,
    /// The patch version, if given (only together with a minor version).
    pub patch: Option<u64>,
}

impl BlueprintRef {
    /// Whether this pin allows the version `major.minor.patch` of blueprint
    /// `name`: the one rule `api@1`, `api@1.0` and `api@1.0.0` follow.
    pub fn allows(&self, name: &str, major: u64, minor: u64, patch: u64) -> bool {
        self.name == name
            && self.major == major
            && self.minor.is_none_or(|m| m == minor)
            && self.patch.is_none_or(|p| p == patch)
    }
}

impl fmt::Display for BlueprintRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}@{}", self.name, self.major)?;
        if let Some(minor) = self.minor {
            write!(f, ".{minor}")?;
        }
        if let Some(patch) = self.patch {
            write!(f, ".{patch}")?;
        }
        Ok(())
    }
}

/// A parsed OCI image reference with an explicit registry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageRef {
    /// The registry host as written, with its port if any: `acr.bank.internal`,
    /// `localhost:5000`.
    pub registry: String,
    /// The full repository including the registry host, without tag or digest:
    /// `acr.bank.internal/payments/payments-api`.
    pub repository: String,
    /// The tag, without the `:`.
    pub tag: Option<String>,
    /// The digest, `sha256:` and 64 lowercase hex digits.
    pub digest: Option<String>,
}

/// One entry of `calls`: a dependency the app sends traffic to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Call {
    /// `app`: an app of the same team.
    App { app: String },
    /// `team/app`: an app of another team.
    TeamApp { team: String, app: String },
    /// `https://host[:port]`: an external host by name; the port defaults to 443.
    Fqdn { host: String, port: u16 },
    /// `CIDR:port`: an address range, `cidr` normalised (`10.0.0.0/8`, `fd00::/64`).
    Cidr { cidr: String, port: u16 },
}

/// One entry of `calledBy`: who may send traffic to the app.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Caller {
    /// `app`: an app of the same team.
    App { app: String },
    /// `team/app`: an app of another team.
    TeamApp { team: String, app: String },
    /// `team/*`: every app of a team.
    Team { team: String },
}

// ---------------------------------------------------------------------------------------
// Shared helpers

/// At most this many characters of a value are quoted in a message.
const SHOW_MAX_CHARS: usize = 160;

const LABEL_EXAMPLE: &str = "payments-api";
const LABEL_CHARS_HINT: &str = "use lowercase letters, digits and `-`";
const REGISTRY_HINT: &str = "name the registry explicitly, like `acr.bank.internal/team/app`";
const CPU_HINT: &str = "CPU is in cores (`0.5`) or millicores (`500m`)";
const MEMORY_HINT: &str = "use bytes with a binary unit, like `512Mi` or `1Gi`";
const CRON_FIELDS_HINT: &str = "use five fields (minute, hour, day of month, month, day of week), like `0 5 * * *`";
const CALL_FORMS_HINT: &str = "use `app`, `team/app`, `https://host[:port]` or `CIDR:port`";
const CALLER_FORMS_HINT: &str = "use `app`, `team/app` or `team/*`";

/// Quote a value for a message: in backticks, shortened, control characters escaped.
fn q(value: &str) -> String {
    let mut out = String::with_capacity(value.len().min(SHOW_MAX_CHARS * 4) + 4);
    out.push('`');
    for (i, c) in value.chars().enumerate() {
        if i == SHOW_MAX_CHARS {
            out.push('…');
            break;
        }
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out.push('`');
    out
}

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
}

fn did_you_mean_hint(suggestion: &str) -> String {
    format!("did you mean {}?", q(suggestion))
}

// ---------------------------------------------------------------------------------------
// DNS names

fn is_label_char(c: char) -> bool {
    c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'
}

fn label_ok(value: &str, max_len: usize) -> bool {
    !value.is_empty()
        && value.len() <= max_len
        && value.chars().all(is_label_char)
        && !value.starts_with('-')
        && !value.ends_with('-')
}

/// A valid label made from `value`: lowercased, other characters turned into `-`.
fn label_suggestion(value: &str, max_len: usize) -> Option<String> {
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
            format!("{LABEL_CHARS_HINT}, at most {max_len} characters, like {} (shortened)", q(&example))
        }
        Some(example) => format!("{LABEL_CHARS_HINT}, like {}", q(&example)),
        None => format!("{LABEL_CHARS_HINT}, like `{LABEL_EXAMPLE}`"),
    }
}

/// Every reason `value` is not a DNS label, in one issue.
fn label_issue(value: &str, max_len: usize) -> Option<Issue> {
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
                .hint(format!("start and end with a letter or digit, like {}", q(&example))),
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
    match label_issue(value, max_len) {
        None => Ok(()),
        Some(issue) if value.is_empty() => Err(Problem::new("DNS label is empty").with_opt_hint(issue.hint)),
        Some(issue) => {
            Err(Problem::new(format!("{} is not a valid DNS label: {}", q(value), issue.reason))
                .with_opt_hint(issue.hint))
        }
    }
}

fn subdomain_ok(value: &str) -> bool {
    !value.is_empty() && value.len() <= 253 && value.split('.').all(|label| label_ok(label, 63))
}

/// A valid subdomain made from `value`: lowercased, other characters turned into `-`,
/// empty labels dropped.
fn subdomain_suggestion(value: &str) -> Option<String> {
    let labels: Vec<String> = value
        .split('.')
        .filter_map(|label| if label_ok(label, 63) { Some(label.to_string()) } else { label_suggestion(label, 63) })
        .collect();
    let out = labels.join(".");
    (out != value && subdomain_ok(&out)).then_some(out)
}

fn subdomain_issue(value: &str) -> Option<Issue> {
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
                Issue::new(format!("its part {} is {} characters long, the limit is 63", q(label), label.len()))
                    .hint("shorten each part between dots to at most 63 characters"),
            );
        }
        if label.starts_with('-') || label.ends_with('-') {
            return Some(
                Issue::new(format!("its part {} starts or ends with `-`", q(label)))
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
    match subdomain_issue(value) {
        None => Ok(()),
        Some(issue) if value.is_empty() => Err(Problem::new("DNS name is empty").with_opt_hint(issue.hint)),
        Some(issue) => {
            Err(Problem::new(format!("{} is not a valid DNS name: {}", q(value), issue.reason))
                .with_opt_hint(issue.hint))
        }
    }
}

// ---------------------------------------------------------------------------------------
// Blueprint references

/// Parse strict version numbers `MAJOR[.MINOR[.PATCH]]`: digits only, no leading zeros.
fn version_numbers(version: &str) -> Option<(u64, Option<u64>, Option<u64>)> {
    let mut numbers = Vec::with_capacity(3);
    for part in version.split('.') {
        if part.is_empty() || !part.bytes().all(|b| b.is_ascii_digit()) || (part.len() > 1 && part.starts_with('0')) {
            return None;
        }
        numbers.push(part.parse::<u64>().ok()?);
    }
    match numbers.as_slice() {
        [major] => Some((*major, None, None)),
        [major, minor] => Some((*major, Some(*minor), None)),
        [major, minor, patch] => Some((*major, Some(*minor), Some(*patch))),
        _ => None,
    }
}

/// Check and parse a `blueprint:` value, `NAME@MAJOR[.MINOR[.PATCH]]`, like `api@1` or
/// `api@1.4`.
///
/// The version must be pinned: a bare name, `latest`, wildcards (`*`, `1.x`), range
/// operators (`^1`, `~1.2`, `>=1`), a `v` prefix, leading zeros and pre-release or build
/// suffixes are all errors, each with a hint giving the plain form.
pub fn blueprint_ref(value: &str) -> Result<BlueprintRef, Problem> {
    let pin = |name: &str| format!("pin a major version, like `{name}@1`");
    if value.is_empty() {
        return Err(Problem::new("blueprint reference is empty").with_hint(pin("api")));
    }
    let bad = |reason: &str| Problem::new(format!("{} {reason}", q(value)));

    let Some((name, version)) = value.split_once('@') else {
        // Near misses: `api:1`, `api 1`, `api/1`.
        for sep in [':', ' ', '/'] {
            if let Some((name, version)) = value.split_once(sep) {
                if label_ok(name, 63) && version_numbers(version).is_some() {
                    return Err(bad("does not separate name and version with `@`")
                        .with_hint(format!("write {}", q(&format!("{name}@{version}")))));
                }
            }
        }
        let example = if label_ok(value, 63) {
            value.to_string()
        } else {
            label_suggestion(value, 63).unwrap_or_else(|| "api".to_string())
        };
        return Err(bad("has no version").with_hint(pin(&example)));
    };

    if name.is_empty() {
        let example = match version_numbers(version) {
            Some(_) => format!("api@{version}"),
            None => "api@1".to_string(),
        };
        return Err(
            bad("has no blueprint name before `@`").with_hint(format!("name the blueprint, like {}", q(&example)))
        );
    }
    if let Some(issue) = label_issue(name, 63) {
        let problem =
            Problem::new(format!("blueprint name {} in {} is not valid: {}", q(name), q(value), issue.reason))
                .with_opt_hint(issue.hint);
        let lower = name.to_ascii_lowercase();
        let fixed = if label_ok(&lower, 63) { Some(lower) } else { label_suggestion(name, 63) };
        return Err(match fixed.map(|n| format!("{n}@{version}")) {
            Some(fixed) if blueprint_ref(&fixed).is_ok() => problem.with_hint(did_you_mean_hint(&fixed)),
            _ => problem,
        });
    }

    if version.is_empty() {
        return Err(bad("has no version after `@`").with_hint(pin(name)));
    }
    if version.contains('@') {
        return Err(bad("has more than one `@`").with_hint(pin(name)));
    }
    if version.eq_ignore_ascii_case("latest") {
        return Err(bad("is not pinned to a version").with_hint(pin(name)));
    }
    let write = |version: &str| format!("write {}", q(&format!("{name}@{version}")));

    let without_operators = version.trim_start_matches(['^', '~', '=', '>', '<', ' ']);
    let plain = without_operators
        .strip_prefix(['v', 'V'])
        .filter(|rest| rest.starts_with(|c: char| c.is_ascii_digit()))
        .unwrap_or(without_operators);
    if plain.len() != version.len() {
        let reason = if without_operators.len() != version.len() {
            "uses a version range"
        } else {
            "has a `v` before the version"
        };
        let hint = match version_numbers(plain) {
            Some(_) => write(plain),
            None => pin(name),
        };
        return Err(bad(reason).with_hint(hint));
    }

    let parts: Vec<&str> = version.split('.').collect();
    if let Some(wild) = parts.iter().position(|p| matches!(*p, "*" | "x" | "X")) {
        let before = parts.get(..wild).unwrap_or_default().join(".");
        let hint = match version_numbers(&before) {
            Some(_) => format!("leave out the wildcard: {}", write(&before)),
            None => pin(name),
        };
        return Err(bad("uses a wildcard version").with_hint(hint));
    }
    if let Some(pos) = version.find(['-', '+']) {
        let core = version.get(..pos).unwrap_or_default();
        let hint = match version_numbers(core) {
            Some(_) => format!("use a release version, like {}", q(&format!("{name}@{core}"))),
            None => pin(name),
        };
        return Err(bad("has a pre-release or build suffix").with_hint(hint));
    }
    if parts.len() > 3 {
        let first = parts.get(..3).unwrap_or_default().join(".");
        let hint = match version_numbers(&first) {
            Some(_) => did_you_mean_hint(&format!("{name}@{first}")),
            None => pin(name),
        };
        return Err(bad("has more than three version numbers").with_hint(hint));
    }
    for part in &parts {
        if part.is_empty() {
            let kept: Vec<&str> = parts.iter().copied().filter(|p| !p.is_empty()).collect();
            let kept = kept.join(".");
            let hint = match version_numbers(&kept) {
                Some(_) => did_you_mean_hint(&format!("{name}@{kept}")),
                None => pin(name),
            };
            return Err(bad("has an empty version number").with_hint(hint));
        }
        if !part.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad(&format!("has {} where a version number belongs", q(part))).with_hint(pin(name)));
        }
    }
    if parts.iter().any(|p| p.len() > 1 && p.starts_with('0')) {
        let fixed: Vec<&str> = parts
            .iter()
            .map(|p| {
                let t = p.trim_start_matches('0');
                if t.is_empty() { "0" } else { t }
            })
            .collect();
        let fixed = fixed.join(".");
        let hint = match version_numbers(&fixed) {
            Some(_) => write(&fixed),
            None => pin(name),
        };
        return Err(bad("has a version number with a leading zero").with_hint(hint));
    }
    match version_numbers(version) {
        Some((major, minor, patch)) => Ok(BlueprintRef { name: name.to_string(), major, minor, patch }),
        None => Err(bad("has a version number that is too large").with_hint(pin(name))),
    }
}

// ---------------------------------------------------------------------------------------
// Images

fn tag_issue(tag: &str) -> Option<Issue> {
    const TAG_CHARS: &str = "use letters, digits, `_`, `.` and `-`, starting with a letter, digit or `_`";
    let is_tag_char = |c: char| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-');
    if tag.is_empty() {
        return Some(Issue::new("it is empty").hint("give a tag, like `1.4.2`, or leave out the `:`"));
    }
    if let Some(rest) = tag.strip_prefix(':') {
        let issue = Issue::new("it starts with `:`");
        return Some(if !rest.starts_with(':') && tag_issue(rest).is_none() {
            issue.hint(did_you_mean_hint(rest))
        } else {
            issue.hint(TAG_CHARS)
        });
    }
    if let Some(bad) = tag.chars().find(|c| !is_tag_char(*c)) {
        return Some(Issue::new(format!("it contains {}", describe_char(bad))).hint(TAG_CHARS));
    }
    if tag.starts_with(['.', '-']) {
        return Some(Issue::new("it must start with a letter, digit or `_`").hint(TAG_CHARS));
    }
    if tag.len() > 128 {
        return Some(
            Issue::new(format!("it is {} characters long, the limit is 128", tag.len()))
                .hint("shorten it to at most 128 characters"),
        );
    }
    None
}

/// Check an image tag: `[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}`.
pub fn image_tag(value: &str) -> Result<(), Problem> {
    match tag_issue(value) {
        None => Ok(()),
        Some(issue) if value.is_empty() => Err(Problem::new("image tag is empty").with_opt_hint(issue.hint)),
        Some(issue) => {
            Err(Problem::new(format!("{} is not a valid image tag: {}", q(value), issue.reason))
                .with_opt_hint(issue.hint))
        }
    }
}

fn digest_issue(digest: &str) -> Option<Issue> {
    const FORM: &str = "use `sha256:` followed by 64 lowercase hex digits";
    let is_hex = |c: char| c.is_ascii_hexdigit();
    if digest.is_empty() {
        return Some(Issue::new("it is empty").hint(FORM));
    }
    if let Some(rest) = digest.strip_prefix('@') {
        let issue = Issue::new("it starts with `@`");
        return Some(if !rest.starts_with('@') && digest_issue(rest).is_none() {
            issue.hint(did_you_mean_hint(rest))
        } else {
            issue.hint(FORM)
        });
    }
    let Some((algorithm, hex)) = digest.split_once(':') else {
        if digest.chars().count() == 64 && digest.chars().all(is_hex) {
            let fixed = format!("sha256:{}", digest.to_ascii_lowercase());
            return Some(Issue::new("it has no `sha256:` prefix").hint(did_you_mean_hint(&fixed)));
        }
        return Some(Issue::new("it is not `sha256:` followed by hex digits").hint(FORM));
    };
    if algorithm != "sha256" {
        if algorithm.eq_ignore_ascii_case("sha256") {
            let fixed = format!("sha256:{}", hex.to_ascii_lowercase());
            let issue = Issue::new("its algorithm must be lowercase");
            return Some(if digest_issue(&fixed).is_none() {
                issue.hint(did_you_mean_hint(&fixed))
            } else {
                issue.hint(FORM)
            });
        }
        return Some(
            Issue::new(format!("it uses the algorithm {}; only `sha256` is supported", q(algorithm))).hint(FORM),
        );
    }
    if let Some(bad) = hex.chars().find(|c| !is_hex(*c)) {
        return Some(Issue::new(format!("it contains {}, which is not a hex digit", describe_char(bad))).hint(FORM));
    }
    if hex.len() != 64 {
        return Some(Issue::new(format!("it has {} hex digits instead of 64", hex.len())).hint(FORM));
    }
    if hex.chars().any(|c| c.is_ascii_uppercase()) {
        let fixed = format!("sha256:{}", hex.to_ascii_lowercase());
        return Some(Issue::new("it has uppercase hex digits").hint(did_you_mean_hint(&fixed)));
    }
    None
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
        return Err(Problem::new(format!("{} is not written the way tokens carry it", q(value)))
            .with_hint(did_you_mean_hint(&canonical)));
    }
    if value.contains('@') {
        return Err(Problem::new(format!("{} is a name, not an object ID", q(value))).with_hint(HINT));
    }
    Err(Problem::new(format!("{} is not an Entra ID object ID (a UUID)", q(value))).with_hint(HINT))
}

/// Check an image digest: `sha256:` followed by 64 lowercase hex digits.
pub fn image_digest(value: &str) -> Result<(), Problem> {
    match digest_issue(value) {
        None => Ok(()),
        Some(issue) if value.is_empty() => Err(Problem::new("image digest is empty").with_opt_hint(issue.hint)),
        Some(issue) => Err(Problem::new(format!("{} is not a valid image digest: {}", q(value), issue.reason))
            .with_opt_hint(issue.hint)),
    }
}

fn looks_like_registry(component: &str) -> bool {
    component.contains(['.', ':']) || component == "localhost"
}

fn parse_port(text: &str) -> Result<u16, Issue> {
    if text.is_empty() {
        return Err(Issue::new("the port is empty").hint("give a port after `:`, or leave out the `:`"));
    }
    if !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Issue::new(format!("port {} is not a number", q(text))).hint("use a port from 1 to 65535"));
    }
    let number = if text.len() > 5 { u32::MAX } else { text.parse::<u32>().unwrap_or(u32::MAX) };
    match u16::try_from(number) {
        Ok(port) if port > 0 => Ok(port),
        _ => Err(Issue::new(format!("port {} is out of range 1-65535", q(text))).hint("use a port from 1 to 65535")),
    }
}

fn registry_issue(domain: &str) -> Option<Issue> {
    let (host_ok, port) = if let Some(rest) = domain.strip_prefix('[') {
        let Some((address, after)) = rest.split_once(']') else {
            return Some(Issue::new("its IPv6 address has no closing `]`"));
        };
        if Ipv6Addr::from_str(address).is_err() {
            return Some(Issue::new(format!("{} is not an IPv6 address", q(address))));
        }
        if after.is_empty() {
            (true, None)
        } else if let Some(port) = after.strip_prefix(':') {
            (true, Some(port))
        } else {
            return Some(Issue::new(format!("it has {} after the address", q(after))));
        }
    } else {
        let (host, port) = match domain.split_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (domain, None),
        };
        let component_ok = |c: &str| {
            !c.is_empty()
                && c.chars().all(|ch| ch.is_ascii_alphanumeric() || ch == '-')
                && !c.starts_with('-')
                && !c.ends_with('-')
        };
        (host.split('.').all(component_ok), port)
    };
    if !host_ok {
        return Some(
            Issue::new("it is not a valid host name")
                .hint("use letters, digits, `-` and `.` for the registry host, like `acr.bank.internal`"),
        );
    }
    if let Some(port) = port {
        if let Err(issue) = parse_port(port) {
            return Some(issue);
        }
    }
    None
}

/// `[a-z0-9]+` separated by `.`, `_`, `__` or one or more `-`.
fn path_component_ok(component: &str) -> bool {
    let alnum = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit();
    if !component.starts_with(alnum) || !component.ends_with(alnum) {
        return false;
    }
    component.split(alnum).all(|sep| sep.is_empty() || matches!(sep, "." | "_" | "__") || sep.chars().all(|c| c == '-'))
}

/// Check and parse an OCI image reference with an explicit registry, like
/// `acr.bank.internal/payments/payments-api:1.4.2` or `…@sha256:<64 hex>`.
///
/// The first path component is the registry when it contains a `.` or a `:` or is
/// `localhost`, as in Docker. A reference without one (`nginx`, `library/nginx`) would
/// silently mean Docker Hub, so it is an error here.
pub fn image_ref(value: &str) -> Result<ImageRef, Problem> {
    let bad = |reason: &str| Problem::new(format!("{} {reason}", q(value)));
    if value.is_empty() {
        return Err(Problem::new("image reference is empty").with_hint(REGISTRY_HINT));
    }
    if let Some(c) = value.chars().find(|c| is_space_or_control(*c)) {
        let fixed = value.trim();
        let hint = if fixed.len() < value.len() && !fixed.is_empty() && image_ref(fixed).is_ok() {
            did_you_mean_hint(fixed)
        } else {
            "remove it".to_string()
        };
        return Err(bad(&format!("contains {}", describe_char(c))).with_hint(hint));
    }
    if let Some((scheme, rest)) = value.split_once("://") {
        let hint = if !rest.contains("://") && image_ref(rest).is_ok() {
            format!("leave out the scheme: {}", q(rest))
        } else {
            REGISTRY_HINT.to_string()
        };
        return Err(bad(&format!("starts with {}", q(&format!("{scheme}://")))).with_hint(hint));
    }

    let (name_and_tag, digest) = match value.split_once('@') {
        Some((name_and_tag, digest)) => (name_and_tag, Some(digest)),
        None => (value, None),
    };
    if let Some(digest) = digest {
        if let Some(issue) = digest_issue(digest) {
            return Err(Problem::new(format!("digest {} in {} is not valid: {}", q(digest), q(value), issue.reason))
                .with_opt_hint(issue.hint));
        }
    }
    let last_part_start = name_and_tag.rfind('/').map_or(0, |i| i + 1);
    let (before_last, last_part) = name_and_tag.split_at(last_part_start);
    let (name, tag) = match last_part.split_once(':') {
        Some((repo, tag)) => (name_and_tag.get(..before_last.len() + repo.len()).unwrap_or(name_and_tag), Some(tag)),
        None => (name_and_tag, None),
    };
    if name.is_empty() {
        return Err(bad("has no repository").with_hint(REGISTRY_HINT));
    }
    if let Some(tag) = tag {
        if let Some(issue) = tag_issue(tag) {
            return Err(Problem::new(format!("tag {} in {} is not valid: {}", q(tag), q(value), issue.reason))
                .with_opt_hint(issue.hint));
        }
    }
    let Some((registry, path)) = name.split_once('/') else {
        if looks_like_registry(name) {
            return Err(bad("has no repository after the registry")
                .with_hint(format!("add the repository, like {}", q(&format!("{name}/team/app")))));
        }
        return Err(bad("does not name a registry").with_hint(REGISTRY_HINT));
    };
    if !looks_like_registry(registry) {
        return Err(bad("does not name a registry").with_hint(REGISTRY_HINT));
    }
    if let Some(issue) = registry_issue(registry) {
        return Err(Problem::new(format!("registry {} in {} is not valid: {}", q(registry), q(value), issue.reason))
            .with_opt_hint(issue.hint));
    }
    if path.is_empty() {
        return Err(bad("has no repository after the registry")
            .with_hint(format!("add the repository, like {}", q(&format!("{registry}/team/app")))));
    }
    if path.split('/').any(str::is_empty) {
        return Err(bad("has an empty path component").with_hint("remove the extra `/`"));
    }
    if let Some(component) = path.split('/').find(|c| !path_component_ok(c)) {
        if component.chars().any(|c| c.is_ascii_uppercase()) {
            let lower_path = path.to_ascii_lowercase();
            let rest = value.get(name.len()..).unwrap_or_default();
            let fixed = format!("{registry}/{lower_path}{rest}");
            let issue = bad("has uppercase letters in its repository path");
            return Err(if image_ref(&fixed).is_ok() {
                issue.with_hint(did_you_mean_hint(&fixed))
            } else {
                issue.with_hint("use lowercase letters and digits, separated by `.`, `_`, `__` or `-`")
            });
        }
        return Err(Problem::new(format!("path component {} in {} is not valid", q(component), q(value)))
            .with_hint("use lowercase letters and digits, separated by `.`, `_`, `__` or `-`"));
    }
    if name.len() > 255 {
        return Err(bad(&format!("has a repository name of {} characters, the limit is 255", name.len()))
            .with_hint("shorten the repository path"));
    }
    Ok(ImageRef {
        registry: registry.to_string(),
        repository: name.to_string(),
        tag: tag.map(str::to_string),
        digest: digest.map(str::to_string),
    })
}

// ---------------------------------------------------------------------------------------
// Cron schedules

#[derive(Debug, Clone, Copy)]
struct CronField {
    name: &'static str,
    min: u32,
    max: u32,
    allowed: &'static str,
    /// Names for the values `names_start..`, like `JAN` for 1.
    names: &'static [&'static str],
    names_start: u32,
    /// Whether `?` is allowed (a synonym of `*`).
    question: bool,
}

const MONTH_NAMES: &[&str] = &["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
const DAY_NAMES: &[&str] = &["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

/// Kubernetes parses schedules with robfig/cron v3 (`ParseStandard`), whose day of week
/// is 0-6: a `7` for Sunday is rejected by the API server, so it is rejected here too.
const CRON_FIELDS: [CronField; 5] = [
    CronField { name: "minute", min: 0, max: 59, allowed: "0-59", names: &[], names_start: 0, question: false },
    CronField { name: "hour", min: 0, max: 23, allowed: "0-23", names: &[], names_start: 0, question: false },
    CronField { name: "day-of-month", min: 1, max: 31, allowed: "1-31", names: &[], names_start: 0, question: true },
    CronField {
        name: "month",
        min: 1,
        max: 12,
        allowed: "1-12 or JAN-DEC",
        names: MONTH_NAMES,
        names_start: 1,
        question: false,
    },
    CronField {
        name: "day-of-week",
        min: 0,
        max: 6,
        allowed: "0-6 or SUN-SAT",
        names: DAY_NAMES,
        names_start: 0,
        question: true,
    },
];

const CRON_MACROS: [&str; 7] = ["@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly"];

const QUARTZ_HINT: &str = "Kubernetes schedules do not support `L`, `W` or `#`";

fn cron_value(field: &CronField, token: &str) -> Result<u32, Issue> {
    if token.is_empty() {
        return Err(Issue::new("a value is missing"));
    }
    if token.bytes().all(|b| b.is_ascii_digit()) {
        let number = if token.len() > 9 { None } else { token.parse::<u32>().ok() };
        return match number {
            Some(n) if (field.min..=field.max).contains(&n) => Ok(n),
            Some(7) if field.name == "day-of-week" => {
                Err(Issue::new("`7` is out of range").hint("use `0` or `SUN` for Sunday"))
            }
            _ => Err(Issue::new(format!("{} is out of range", q(token)))
                .hint(format!("the {} field takes {}", field.name, field.allowed))),
        };
    }
    if !field.names.is_empty() {
        let upper = token.to_ascii_uppercase();
        if let Some(index) = field.names.iter().position(|n| *n == upper) {
            let index = u32::try_from(index).unwrap_or(u32::MAX);
            return Ok(field.names_start.saturating_add(index));
        }
        let kind = if field.name == "month" { "month" } else { "day" };
        let guess = field
            .names
            .iter()
            .copied()
            .find(|n| upper.len() > 3 && upper.starts_with(n))
            .or_else(|| did_you_mean(&upper, field.names.iter().copied()));
        let issue = Issue::new(format!("{} is not a number or a {kind} name", q(token)));
        return Err(match guess {
            Some(guess) => issue.hint(format!("use {}", q(guess))),
            None if token.contains(['L', 'W', '#']) => issue.hint(QUARTZ_HINT),
            None => issue,
        });
    }
    let issue = Issue::new(format!("{} is not a number", q(token)));
    if token.contains(['L', 'W', '#']) {
        return Err(issue.hint(QUARTZ_HINT));
    }
    Err(issue)
}

fn cron_field_issue(field: &CronField, text: &str) -> Option<Issue> {
    for item in text.split(',') {
        if item.is_empty() {
            return Some(Issue::new("it has an empty list item").hint("remove the extra `,`"));
        }
        let (base, step) = match item.split_once('/') {
            Some((base, step)) => (base, Some(step)),
            None => (item, None),
        };
        if let Some(step) = step {
            if step.contains('/') {
                return Some(Issue::new(format!("{} has more than one `/`", q(item))));
            }
            if step.is_empty() || !step.bytes().all(|b| b.is_ascii_digit()) {
                return Some(Issue::new(format!("step {} is not a number", q(step))));
            }
            if step.bytes().all(|b| b == b'0') {
                return Some(Issue::new("a step must be at least 1"));
            }
        }
        match base {
            "*" => {}
            "?" if field.question => {}
            "?" => {
                return Some(Issue::new("`?` is only allowed for day of month and day of week").hint("use `*`"));
            }
            _ => {
                let (low, high) = match base.split_once('-') {
                    Some((low, high)) => (low, Some(high)),
                    None => (base, None),
                };
                if high.is_some_and(|h| h.contains('-')) {
                    return Some(Issue::new(format!("{} has more than one `-`", q(base))));
                }
                if low == "*" || low == "?" {
                    return Some(Issue::new(format!("{} mixes `{low}` with a range", q(base))));
                }
                let low = match cron_value(field, low) {
                    Ok(n) => n,
                    Err(issue) => return Some(issue),
                };
                if let Some(high) = high {
                    let high_value = match cron_value(field, high) {
                        Ok(n) => n,
                        Err(issue) => return Some(issue),
                    };
                    if low > high_value {
                        let issue = Issue::new(format!("range {} runs backwards", q(base)));
                        return Some(if step.is_none() {
                            issue.hint(format!(
                                "ranges cannot wrap around: use {}",
                                q(&format!("{low}-{},{}-{high_value}", field.max, field.min))
                            ))
                        } else {
                            issue.hint("put the smaller value first")
                        });
                    }
                }
            }
        }
    }
    None
}

/// A schedule for `@every <duration>` in five fields, for the simple cases.
fn every_replacement(duration: &str) -> Option<String> {
    let (number, unit) = duration.split_at(duration.find(|c: char| !c.is_ascii_digit())?);
    let n: u32 = number.parse().ok()?;
    match unit {
        "m" if n == 1 => Some("* * * * *".to_string()),
        "m" if n > 0 && 60 % n == 0 => Some(format!("*/{n} * * * *")),
        "h" if n == 1 => Some("0 * * * *".to_string()),
        "h" if n > 0 && 24 % n == 0 => Some(format!("0 */{n} * * *")),
        _ => None,
    }
}

fn cron_fields_ok(fields: &[&str]) -> bool {
    fields.len() == 5 && CRON_FIELDS.iter().zip(fields).all(|(field, text)| cron_field_issue(field, text).is_none())
}

/// Check a Kubernetes CronJob schedule: five fields (minute 0-59, hour 0-23, day of month
/// 1-31, month 1-12 or `JAN`-`DEC`, day of week 0-6 or `SUN`-`SAT`), each `*`, `?` (day of
/// month and day of week only), a number or name, a range `a-b`, a step `*/n`, `a-b/n` or
/// `a/n`, or a comma list of those; or one of the macros `@yearly`, `@annually`,
/// `@monthly`, `@weekly`, `@daily`, `@midnight`, `@hourly`.
///
/// A `TZ=`/`CRON_TZ=` prefix is rejected (Kubernetes wants `timeZone:`), as are seconds
/// fields, `@every` and Quartz extensions.
pub fn cron_schedule(value: &str) -> Result<(), Problem> {
    let trimmed = value.trim();
    let bad = |reason: &str| Problem::new(format!("{} {reason}", q(value)));
    if trimmed.is_empty() {
        return Err(Problem::new("schedule is empty").with_hint(CRON_FIELDS_HINT));
    }
    for prefix in ["CRON_TZ=", "TZ="] {
        let starts = trimmed.get(..prefix.len()).is_some_and(|p| p.eq_ignore_ascii_case(prefix));
        if starts {
            let rest = trimmed.get(prefix.len()..).unwrap_or_default();
            let zone = rest.split_whitespace().next().unwrap_or_default();
            let hint = if zone.is_empty() {
                format!("use `timeZone:` instead of a `{prefix}` prefix")
            } else {
                format!("remove `{prefix}{zone}` and use `timeZone: {zone}` instead")
            };
            return Err(bad("sets a time zone in the schedule").with_hint(hint));
        }
    }
    if trimmed.starts_with('@') {
        if CRON_MACROS.contains(&trimmed) {
            return Ok(());
        }
        let lower = trimmed.to_ascii_lowercase();
        if let Some(duration) = lower.strip_prefix("@every").filter(|d| d.is_empty() || d.starts_with(' ')) {
            let hint = match every_replacement(duration.trim()) {
                Some(schedule) => format!("use {}", q(&schedule)),
                None => CRON_FIELDS_HINT.to_string(),
            };
            return Err(bad("uses `@every`, which is not supported").with_hint(hint));
        }
        let hint = match CRON_MACROS.iter().find(|m| **m == lower) {
            Some(m) => did_you_mean_hint(m),
            None => match did_you_mean(trimmed, CRON_MACROS) {
                Some(m) => did_you_mean_hint(m),
                None => "use `@yearly`, `@monthly`, `@weekly`, `@daily`, `@hourly` or five fields".to_string(),
            },
        };
        return Err(bad("is not a known schedule macro").with_hint(hint));
    }

    let fields: Vec<&str> = trimmed.split_whitespace().collect();
    match fields.len() {
        5 => {}
        6 => {
            let first_five = fields.get(..5).unwrap_or_default();
            let last_five = fields.get(1..).unwrap_or_default();
            let sixth_is_field = fields
                .get(5)
                .is_some_and(|last| CRON_FIELDS.get(4).is_some_and(|dow| cron_field_issue(dow, last).is_none()));
            let hint = if !sixth_is_field && cron_fields_ok(first_five) {
                format!(
                    "did you mean {}? A schedule has five fields, without a command or year",
                    q(&first_five.join(" "))
                )
            } else if cron_fields_ok(last_five) {
                format!("did you mean {}? Kubernetes schedules have no seconds field", q(&last_five.join(" ")))
            } else {
                format!("Kubernetes schedules have no seconds field; {CRON_FIELDS_HINT}")
            };
            return Err(bad("has 6 fields instead of 5").with_hint(hint));
        }
        n => {
            let hint = if n == 7 {
                format!("Kubernetes schedules have no seconds or year fields; {CRON_FIELDS_HINT}")
            } else {
                CRON_FIELDS_HINT.to_string()
            };
            return Err(bad(&format!("has {n} fields instead of 5")).with_hint(hint));
        }
    }
    for (field, text) in CRON_FIELDS.iter().zip(&fields) {
        if let Some(issue) = cron_field_issue(field, text) {
            let message = if *text == issue.reason.split(' ').next().unwrap_or_default().trim_matches('`') {
                format!("{} field: {}", field.name, issue.reason)
            } else {
                format!("{} field {}: {}", field.name, q(text), issue.reason)
            };
            let hint = issue.hint.unwrap_or_else(|| format!("the {} field takes {}", field.name, field.allowed));
            return Err(Problem::new(message).with_hint(hint));
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------
// Time zones

/// Check an IANA time zone name, like `Europe/Amsterdam`, against the chrono-tz database.
pub fn time_zone(value: &str) -> Result<(), Problem> {
    const EXAMPLE: &str = "use an IANA time zone name, like `Europe/Amsterdam`";
    if value.is_empty() {
        return Err(Problem::new("time zone is empty").with_hint(EXAMPLE));
    }
    if chrono_tz::Tz::from_str(value).is_ok() {
        return Ok(());
    }
    let problem = Problem::new(format!("{} is not a known time zone", q(value)));
    let names = || chrono_tz::TZ_VARIANTS.iter().map(|tz| tz.name());
    if let Some(name) = names().find(|name| name.eq_ignore_ascii_case(value)) {
        return Err(problem.with_hint(did_you_mean_hint(name)));
    }
    let upper = value.to_ascii_uppercase();
    let offset =
        ["UTC+", "UTC-", "GMT+", "GMT-", "+", "-"].iter().any(|p| upper.starts_with(p) && upper.len() > p.len());
    if offset {
        return Err(problem
            .with_hint("name a region, like `Europe/Amsterdam`, so daylight saving time is followed, or use `UTC`"));
    }
    // A city on its own: `Amsterdam` for `Europe/Amsterdam`.
    let city = value.replace(' ', "_");
    if let Some(name) =
        names().find(|name| name.rsplit_once('/').is_some_and(|(_, last)| last.eq_ignore_ascii_case(&city)))
    {
        return Err(problem.with_hint(did_you_mean_hint(name)));
    }
    match did_you_mean(value, names()) {
        Some(name) => Err(problem.with_hint(did_you_mean_hint(name))),
        None => Err(problem.with_hint(EXAMPLE)),
    }
}

// ---------------------------------------------------------------------------------------
// Quantities

/// The number part of a Kubernetes quantity, `[+-]?digits[.digits]`, and what follows it.
#[derive(Debug)]
struct Number<'a> {
    negative: bool,
    /// The number as written, with its sign: `512`, `-0.5`.
    text: &'a str,
    /// Everything after the number: `Mi`, `m`, `e3`, `MB`.
    suffix: &'a str,
    /// The significant digits without leading or trailing zeros; empty for zero.
    digits: String,
    /// The value is `digits × 10^exp10` (before the suffix).
    exp10: i64,
}

fn parse_number(value: &str) -> Result<Number<'_>, Issue> {
    let (negative, unsigned) = match value.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, value.strip_prefix('+').unwrap_or(value)),
    };
    let end = unsigned.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(unsigned.len());
    let (number, suffix) = unsigned.split_at(end);
    let text = value.strip_suffix(suffix).unwrap_or(value);
    let (int, frac) = number.split_once('.').unwrap_or((number, ""));
    if frac.contains('.') {
        return Err(Issue::new("it has more than one `.`"));
    }
    if int.is_empty() && frac.is_empty() {
        return Err(Issue::new("it does not start with a number"));
    }
    let mut digits: String = int.chars().chain(frac.chars()).skip_while(|c| *c == '0').collect();
    let mut exp10 = -i64::try_from(frac.len()).unwrap_or(i64::MAX);
    while digits.ends_with('0') {
        digits.pop();
        exp10 = exp10.saturating_add(1);
    }
    Ok(Number { negative, text, suffix, digits, exp10 })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Unit {
    /// A power of ten: `m` is -3, `k` is 3, `e9` is 9.
    Decimal(i64),
    /// A power of two: `Ki` is 10, `Mi` is 20.
    Binary(u32),
}

/// The unit of a Kubernetes quantity suffix.
fn unit(suffix: &str) -> Option<Unit> {
    Some(match suffix {
        "" => Unit::Decimal(0),
        "n" => Unit::Decimal(-9),
        "u" => Unit::Decimal(-6),
        "m" => Unit::Decimal(-3),
        "k" => Unit::Decimal(3),
        "M" => Unit::Decimal(6),
        "G" => Unit::Decimal(9),
        "T" => Unit::Decimal(12),
        "P" => Unit::Decimal(15),
        "E" => Unit::Decimal(18),
        "Ki" => Unit::Binary(10),
        "Mi" => Unit::Binary(20),
        "Gi" => Unit::Binary(30),
        "Ti" => Unit::Binary(40),
        "Pi" => Unit::Binary(50),
        "Ei" => Unit::Binary(60),
        _ => {
            let exponent = suffix.strip_prefix(['e', 'E'])?;
            let (negative, digits) = match exponent.strip_prefix('-') {
                Some(rest) => (true, rest),
                None => (false, exponent.strip_prefix('+').unwrap_or(exponent)),
            };
            if digits.is_empty() || digits.len() > 15 || !digits.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            let n: i64 = digits.parse().ok()?;
            Unit::Decimal(if negative { -n } else { n })
        }
    })
}

/// Whether `digits` (decimal digits, no leading zeros) is divisible by 5^n.
fn divisible_by_pow5(digits: &str, n: u64) -> bool {
    let mut number: Vec<u32> = digits.bytes().map(|b| u32::from(b.saturating_sub(b'0'))).collect();
    for _ in 0..n {
        let mut remainder = 0;
        for digit in &mut number {
            let current = remainder * 10 + *digit;
            *digit = current / 5;
            remainder = current % 5;
        }
        if remainder != 0 {
            return false;
        }
    }
    true
}

/// Whether the quantity is a whole number of base units (bytes).
fn is_whole(number: &Number<'_>, unit: Unit) -> bool {
    if number.digits.is_empty() {
        return true;
    }
    match unit {
        Unit::Decimal(e) => number.exp10.saturating_add(e) >= 0,
        Unit::Binary(bits) => {
            // digits × 10^exp10 × 2^bits, where digits has no trailing zeros: whole when
            // the 10^-n is cancelled by 2^bits and by 5^n dividing the digits.
            if number.exp10 >= 0 {
                return true;
            }
            let n = number.exp10.unsigned_abs();
            n <= u64::from(bits) && divisible_by_pow5(&number.digits, n)
        }
    }
}

fn whitespace_problem(value: &str, c: char, valid: impl Fn(&str) -> bool, fallback: &str) -> Problem {
    let fixed = compact(value);
    let hint = if !fixed.is_empty() && valid(&fixed) { did_you_mean_hint(&fixed) } else { fallback.to_string() };
    Problem::new(format!("{} contains {}", q(value), describe_char(c))).with_hint(hint)
}

/// The size of a valid quantity in base units (cores, bytes), to compare
/// quantities written in different units: `500m` < `1` and `1Gi` > `1G`.
/// `None` when it is not a quantity.
pub fn quantity_magnitude(value: &str) -> Option<f64> {
    let number = parse_number(value).ok()?;
    let mantissa: f64 = if number.digits.is_empty() { 0.0 } else { number.digits.parse().ok()? };
    let scale = match unit(number.suffix)? {
        Unit::Decimal(e) => 10f64.powi(i32::try_from(e).ok()?),
        Unit::Binary(bits) => 2f64.powi(i32::try_from(bits).ok()?),
    };
    let sign = if number.negative { -1.0 } else { 1.0 };
    Some(sign * mantissa * 10f64.powi(i32::try_from(number.exp10).ok()?) * scale)
}

/// Check a CPU request: a Kubernetes quantity greater than zero in cores (`2`, `0.5`) or
/// millicores (`500m`), no finer than one millicore.
pub fn cpu_quantity(value: &str) -> Result<(), Problem> {
    let bad = |reason: &str| Problem::new(format!("{} {reason}", q(value)));
    if value.is_empty() {
        return Err(Problem::new("CPU amount is empty").with_hint(CPU_HINT));
    }
    if let Some(c) = value.chars().find(|c| is_space_or_control(*c)) {
        return Err(whitespace_problem(value, c, |v| cpu_quantity(v).is_ok(), CPU_HINT));
    }
    let number = parse_number(value)
        .map_err(|issue| bad(&format!("is not a CPU amount: {}", issue.reason)).with_hint(CPU_HINT))?;
    let text = number.text;
    if number.negative && !number.digits.is_empty() {
        return Err(bad("is negative").with_hint(CPU_HINT));
    }
    let suffix = number.suffix;
    let exponent = match unit(suffix) {
        Some(Unit::Decimal(e)) if matches!(suffix, "" | "m" | "u" | "n") => e,
        Some(Unit::Decimal(e)) if suffix.len() > 1 && suffix.starts_with(['e', 'E']) => e,
        Some(Unit::Decimal(_)) if suffix == "M" => {
            return Err(bad("is in millions of cores")
                .with_hint(format!("did you mean {}? {CPU_HINT}", q(&format!("{text}m")))));
        }
        Some(Unit::Decimal(_)) => {
            return Err(bad(&format!("uses the unit {}, which is not for CPU", q(suffix))).with_hint(CPU_HINT));
        }
        Some(Unit::Binary(_)) => {
            return Err(bad(&format!("uses the memory unit {}", q(suffix))).with_hint(CPU_HINT));
        }
        None => {
            let hint = match suffix.to_ascii_lowercase().as_str() {
                "core" | "cores" | "cpu" | "cpus" | "c" => did_you_mean_hint(text),
                "millicore" | "millicores" | "mcpu" | "millicpu" | "mc" => did_you_mean_hint(&format!("{text}m")),
                _ => CPU_HINT.to_string(),
            };
            return Err(bad(&format!("has the unknown unit {}", q(suffix))).with_hint(hint));
        }
    };
    if number.digits.is_empty() {
        return Err(bad("is zero").with_hint("request some CPU, like `100m`"));
    }
    let millicore_exponent = number.exp10.saturating_add(exponent).saturating_add(3);
    if millicore_exponent < 0 {
        // Round up to whole millicores for the hint: drop the fractional digits, add one.
        let drop = usize::try_from(millicore_exponent.unsigned_abs()).unwrap_or(usize::MAX);
        let whole = number.digits.len().saturating_sub(drop);
        let rounded = number
            .digits
            .get(..whole)
            .filter(|d| d.len() <= 30)
            .map(|d| d.parse::<u128>().unwrap_or(0).saturating_add(1));
        let hint = match rounded {
            Some(m) => format!("use whole millicores, like `{m}m`"),
            None => "use whole millicores".to_string(),
        };
        return Err(bad("is finer than one millicore").with_hint(hint));
    }
    Ok(())
}

fn memory_unit_hint(text: &str, suffix: &str) -> String {
    let lower = suffix.to_ascii_lowercase();
    if matches!(lower.as_str(), "b" | "byte" | "bytes") {
        return format!("a size without a unit is in bytes: did you mean {}?", q(text));
    }
    let stem = suffix.strip_suffix(['b', 'B']).unwrap_or(suffix);
    let mut chars = stem.chars();
    let prefix = chars.next().map(|c| c.to_ascii_uppercase());
    let rest = chars.as_str();
    let names = match prefix {
        Some('K') => Some(("kibibytes", "kilobytes")),
        Some('M') => Some(("mebibytes", "megabytes")),
        Some('G') => Some(("gibibytes", "gigabytes")),
        Some('T') => Some(("tebibytes", "terabytes")),
        Some('P') => Some(("pebibytes", "petabytes")),
        Some('E') => Some(("exbibytes", "exabytes")),
        _ => None,
    };
    match (prefix, names) {
        (Some(p), Some((binary_name, decimal_name))) if rest.is_empty() || rest.eq_ignore_ascii_case("i") => {
            let binary = format!("{text}{p}i");
            if rest.is_empty() {
                let decimal = format!("{text}{}", if p == 'K' { 'k' } else { p });
                format!("write {} for {binary_name}, or {} for {decimal_name}", q(&binary), q(&decimal))
            } else {
                did_you_mean_hint(&binary)
            }
        }
        _ => MEMORY_HINT.to_string(),
    }
}

/// Check a memory or storage size: a Kubernetes quantity greater than zero and a whole
/// number of bytes, like `128Mi`, `1Gi`, `500M`, `1e9` or `134217728`.
///
/// A lowercase `m` means thousandths (`512m` is half a byte), so it is an error with a
/// hint for `Mi`; `MB`, `GB`, `Mib` and the like get the right suffix as a hint.
pub fn memory_quantity(value: &str) -> Result<(), Problem> {
    let bad = |reason: &str| Problem::new(format!("{} {reason}", q(value)));
    if value.is_empty() {
        return Err(Problem::new("size is empty").with_hint(MEMORY_HINT));
    }
    if let Some(c) = value.chars().find(|c| is_space_or_control(*c)) {
        return Err(whitespace_problem(value, c, |v| memory_quantity(v).is_ok(), MEMORY_HINT));
    }
    let number =
        parse_number(value).map_err(|issue| bad(&format!("is not a size: {}", issue.reason)).with_hint(MEMORY_HINT))?;
    let text = number.text;
    if number.negative && !number.digits.is_empty() {
        return Err(bad("is negative").with_hint(MEMORY_HINT));
    }
    if number.suffix == "m" {
        return Err(bad("is in thousandths of a byte").with_hint(did_you_mean_hint(&format!("{text}Mi"))));
    }
    let Some(unit) = unit(number.suffix) else {
        if number.suffix.starts_with('e') || (number.suffix.starts_with('E') && number.suffix.len() > 1) {
            return Err(bad("has an invalid exponent").with_hint("write the exponent as a whole number, like `1e9`"));
        }
        return Err(
            bad(&format!("has the unknown unit {}", q(number.suffix))).with_hint(memory_unit_hint(text, number.suffix))
        );
    };
    if number.digits.is_empty() {
        return Err(bad("is zero").with_hint("use a positive size, like `512Mi`"));
    }
    if !is_whole(&number, unit) {
        return Err(bad("is not a whole number of bytes").with_hint("use whole bytes or a larger unit, like `512Mi`"));
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------
// Environment variables and paths

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
            format!("{} contains {}, which is not allowed in an environment variable name", q(value), describe_char(c))
        }
        None => format!("{} starts with a digit", q(value)),
    };
    Err(Problem::new(message).with_hint(hint))
}

/// Check an HTTP path for probes, metrics and ingress: starts with `/`, no whitespace,
/// control characters, `?` or `#`.
pub fn http_path(value: &str) -> Result<(), Problem> {
    let bad = |reason: &str| Problem::new(format!("{} {reason}", q(value)));
    let fix = |fixed: &str| (http_path(fixed).is_ok()).then(|| did_you_mean_hint(fixed));
    if value.is_empty() {
        return Err(Problem::new("path is empty").with_hint("start the path with `/`, like `/healthz`"));
    }
    let lower = value.get(..8).unwrap_or(value).to_ascii_lowercase();
    if lower.starts_with("http://") || lower.starts_with("https://") {
        let after_scheme = value.split_once("://").map_or("", |(_, rest)| rest);
        let path = after_scheme.find('/').map_or("/", |i| after_scheme.get(i..).unwrap_or("/"));
        let hint = if !path.contains("://") && http_path(path).is_ok() {
            format!("give only the path, like {}", q(path))
        } else {
            "give only the path, like `/healthz`".to_string()
        };
        return Err(bad("is a URL, not a path").with_hint(hint));
    }
    if !value.starts_with('/') {
        let fixed = format!("/{value}");
        let hint = if value.contains(is_space_or_control) { None } else { fix(&fixed) };
        return Err(bad("does not start with `/`")
            .with_hint(hint.unwrap_or_else(|| "start the path with `/`, like `/healthz`".to_string())));
    }
    if let Some(c) = value.chars().find(|c| is_space_or_control(*c)) {
        let hint = if c == ' ' { "encode spaces as `%20`" } else { "remove it or percent-encode it" };
        return Err(bad(&format!("contains {}", describe_char(c))).with_hint(hint));
    }
    for (c, what) in [('?', "a query string"), ('#', "a fragment")] {
        if let Some((before, _)) = value.split_once(c) {
            let hint = fix(before).unwrap_or_else(|| format!("leave out the part from `{c}`"));
            return Err(bad(&format!("contains {what}")).with_hint(hint));
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------
// Calls and callers

/// Check one DNS-label part (`what`, like "team name") of `value`.
fn label_part(value: &str, part: &str, what: &str, forms: &str) -> Result<(), Problem> {
    if part.is_empty() {
        return Err(Problem::new(format!("{} has no {what}", q(value))).with_hint(forms));
    }
    match label_issue(part, 63) {
        None => Ok(()),
        Some(issue) if part == value => {
            Err(Problem::new(format!("{} is not a valid {what}: {}", q(value), issue.reason)).with_opt_hint(issue.hint))
        }
        Some(issue) => Err(Problem::new(format!("{what} {} in {} is not valid: {}", q(part), q(value), issue.reason))
            .with_opt_hint(issue.hint)),
    }
}

fn prefix_len(text: &str, max: u8) -> Option<u8> {
    if text.is_empty() || text.len() > 3 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse::<u8>().ok().filter(|len| *len <= max)
}

fn ipv4_call(value: &str) -> Result<Call, Problem> {
    let bad = |reason: &str| Problem::new(format!("{} {reason}", q(value)));
    let Some((cidr, port_text)) = value.rsplit_once(':') else {
        let example = if value.contains('/') { format!("{value}:443") } else { format!("{value}/32:443") };
        return Err(bad("has no port").with_hint(format!("add the port, like {}", q(&example))));
    };
    let Some((address_text, len_text)) = cidr.split_once('/') else {
        return Err(bad("has no prefix length")
            .with_hint(format!("for a single address add `/32`, like {}", q(&format!("{cidr}/32:{port_text}")))));
    };
    let address = Ipv4Addr::from_str(address_text).map_err(|_| {
        bad(&format!("has the invalid IPv4 address {}", q(address_text)))
            .with_hint("write an address range like `10.20.0.0/16:5432`")
    })?;
    let len = prefix_len(len_text, 32).ok_or_else(|| {
        bad(&format!("has the invalid prefix length {}", q(len_text)))
            .with_hint("use a prefix length from 0 to 32, like `10.20.0.0/16:5432`")
    })?;
    let port = parse_port(port_text)
        .map_err(|issue| Problem::new(format!("{}: {}", q(value), issue.reason)).with_opt_hint(issue.hint))?;
    let mask = u32::MAX.checked_shl(32 - u32::from(len)).unwrap_or(0);
    let network = Ipv4Addr::from(u32::from(address) & mask);
    if network != address {
        return Err(bad(&format!("has host bits set in {}", q(cidr))).with_hint(format!(
            "did you mean {}? For the single address use {}",
            q(&format!("{network}/{len}:{port}")),
            q(&format!("{address}/32:{port}"))
        )));
    }
    Ok(Call::Cidr { cidr: format!("{network}/{len}"), port })
}

fn ipv6_call(value: &str) -> Result<Call, Problem> {
    const EXAMPLE: &str = "write IPv6 ranges in brackets with a port, like `[fd00::/64]:443`";
    let bad = |reason: &str| Problem::new(format!("{} {reason}", q(value)));
    let rest = value.strip_prefix('[').unwrap_or(value);
    let Some((inner, after)) = rest.split_once(']') else {
        return Err(bad("has no closing `]`").with_hint(EXAMPLE));
    };
    let Some(port_text) = after.strip_prefix(':') else {
        if after.is_empty() {
            return Err(bad("has no port").with_hint(format!("add the port, like {}", q(&format!("[{inner}]:443")))));
        }
        if let Some((len, port)) = after.strip_prefix('/').and_then(|a| a.split_once(':')) {
            return Err(bad("has the prefix length outside the brackets")
                .with_hint(did_you_mean_hint(&format!("[{inner}/{len}]:{port}"))));
        }
        return Err(bad(&format!("has {} after `]`", q(after))).with_hint(EXAMPLE));
    };
    let Some((address_text, len_text)) = inner.split_once('/') else {
        return Err(bad("has no prefix length")
            .with_hint(format!("for a single address add `/128`, like {}", q(&format!("[{inner}/128]:{port_text}")))));
    };
    let address = match Ipv6Addr::from_str(address_text) {
        Ok(address) => address,
        Err(_) if Ipv4Addr::from_str(address_text).is_ok() => {
            return Err(
                bad("puts an IPv4 range in brackets").with_hint(did_you_mean_hint(&format!("{inner}:{port_text}")))
            );
        }
        Err(_) => {
            return Err(bad(&format!("has the invalid IPv6 address {}", q(address_text))).with_hint(EXAMPLE));
        }
    };
    let len = prefix_len(len_text, 128).ok_or_else(|| {
        bad(&format!("has the invalid prefix length {}", q(len_text)))
            .with_hint("use a prefix length from 0 to 128, like `[fd00::/64]:443`")
    })?;
    let port = parse_port(port_text)
        .map_err(|issue| Problem::new(format!("{}: {}", q(value), issue.reason)).with_opt_hint(issue.hint))?;
    let mask = u128::MAX.checked_shl(128 - u32::from(len)).unwrap_or(0);
    let network = Ipv6Addr::from(u128::from(address) & mask);
    if network != address {
        return Err(bad(&format!("has host bits set in {}", q(inner))).with_hint(format!(
            "did you mean {}? For the single address use {}",
            q(&format!("[{network}/{len}]:{port}")),
            q(&format!("[{address}/128]:{port}"))
        )));
    }
    Ok(Call::Cidr { cidr: format!("{network}/{len}"), port })
}

fn fqdn_call(value: &str, rest: &str) -> Result<Call, Problem> {
    let bad = |reason: &str| Problem::new(format!("{} {reason}", q(value)));
    let host_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (host_port, path) = rest.split_at(host_end);
    if host_port.is_empty() {
        return Err(bad("has no host").with_hint("name the host, like `https://api.example.com`"));
    }
    if !path.is_empty() {
        return Err(bad("has a path")
            .with_hint(format!("calls are allowed per host: use {}", q(&format!("https://{host_port}")))));
    }
    if host_port.contains('@') {
        return Err(bad("contains user information").with_hint("leave out the part up to `@`"));
    }
    if host_port.starts_with('[') {
        return Err(bad("names an IP address instead of a host")
            .with_hint("use an address range with a port for IP addresses, like `[fd00::1/128]:443`"));
    }
    let (host, port) = match host_port.split_once(':') {
        Some((host, port_text)) => {
            let port = parse_port(port_text)
                .map_err(|issue| Problem::new(format!("{}: {}", q(value), issue.reason)).with_opt_hint(issue.hint))?;
            (host, port)
        }
        None => (host_port, 443),
    };
    let port_suffix = if port == 443 { String::new() } else { format!(":{port}") };
    if Ipv4Addr::from_str(host).is_ok() {
        return Err(bad("names an IP address instead of a host").with_hint(format!(
            "use an address range with a port for IP addresses, like {}",
            q(&format!("{host}/32:{port}"))
        )));
    }
    if let Some(issue) = subdomain_issue(host) {
        let suggestion = subdomain_suggestion(&host.to_ascii_lowercase()).or_else(|| {
            let lower = host.to_ascii_lowercase();
            subdomain_ok(&lower).then_some(lower)
        });
        let hint = match suggestion {
            Some(fixed) if fixed.contains('.') && !host.contains('*') => {
                Some(did_you_mean_hint(&format!("https://{fixed}{port_suffix}")))
            }
            _ => issue.hint,
        };
        return Err(Problem::new(format!("host {} in {} is not valid: {}", q(host), q(value), issue.reason))
            .with_opt_hint(hint));
    }
    if !host.contains('.') {
        return Err(bad("names a host without a domain").with_hint(format!(
            "for an app in the cluster write {}; an external host needs its full name, like `https://api.example.com`",
            q(host)
        )));
    }
    Ok(Call::Fqdn { host: host.to_string(), port })
}

/// Check and parse one entry of `calls`: `app`, `team/app` (DNS labels),
/// `https://host[:port]` (a DNS name with at least one dot; port 443 by default), an IPv4
/// range `10.20.0.0/16:5432` or an IPv6 range `[fd00::/64]:443`.
///
/// Plain `http://` is rejected; so are paths after the host, IP addresses as hosts and
/// ranges with host bits set (the hint gives the network).
pub fn call(value: &str) -> Result<Call, Problem> {
    let bad = |reason: &str| Problem::new(format!("{} {reason}", q(value)));
    if value.is_empty() {
        return Err(Problem::new("call target is empty").with_hint(CALL_FORMS_HINT));
    }
    if let Some(c) = value.chars().find(|c| is_space_or_control(*c)) {
        return Err(bad(&format!("contains {}", describe_char(c))).with_hint(CALL_FORMS_HINT));
    }
    if let Some((scheme, rest)) = value.split_once("://") {
        if scheme.eq_ignore_ascii_case("https") {
            return fqdn_call(value, rest);
        }
        if scheme.eq_ignore_ascii_case("http") {
            let host_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
            let host_port = rest.get(..host_end).unwrap_or(rest);
            let host_port = host_port.strip_suffix(":80").unwrap_or(host_port);
            let hint = if host_port.is_empty() || host_port.contains("://") {
                "use `https://host[:port]`: calls to external hosts must use HTTPS".to_string()
            } else {
                format!("use {} instead: calls to external hosts must use HTTPS", q(&format!("https://{host_port}")))
            };
            return Err(bad("uses plain HTTP").with_hint(hint));
        }
        return Err(bad(&format!("uses the unsupported scheme {}", q(scheme)))
            .with_hint("use `https://host[:port]` for a host, or `CIDR:port` for an address range"));
    }
    if value.starts_with('[') {
        return ipv6_call(value);
    }
    if value.contains(['.', ':']) {
        let address = value.split(['/', ':']).next().unwrap_or_default();
        if Ipv4Addr::from_str(address).is_ok() {
            return ipv4_call(value);
        }
        if value.matches(':').count() >= 2 {
            return Err(bad("is not a valid call target")
                .with_hint("write IPv6 ranges in brackets with a port, like `[fd00::/64]:443`"));
        }
        if address.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
            return ipv4_call(value);
        }
        let candidate = format!("https://{value}");
        let hint = if fqdn_call(&candidate, value).is_ok() {
            format!("for an external host write {}", q(&candidate))
        } else {
            CALL_FORMS_HINT.to_string()
        };
        return Err(bad("is a host name without `https://`").with_hint(hint));
    }
    names_call(value).map_err(|problem| lowercase_hint(problem, value, |v| call(v).is_ok()))
}

/// If `value` is valid once lowercased, make the hint suggest that.
fn lowercase_hint(problem: Problem, value: &str, valid: impl Fn(&str) -> bool) -> Problem {
    let lower = value.to_ascii_lowercase();
    if lower != value && valid(&lower) { problem.with_hint(did_you_mean_hint(&lower)) } else { problem }
}

fn names_call(value: &str) -> Result<Call, Problem> {
    const FORMS: &str = CALL_FORMS_HINT;
    let bad = |reason: &str| Problem::new(format!("{} {reason}", q(value)));
    let parts: Vec<&str> = value.split('/').collect();
    match parts.as_slice() {
        [app] => {
            label_part(value, app, "app name", FORMS)?;
            Ok(Call::App { app: app.to_string() })
        }
        [team, "*"] => Err(bad("names a whole team")
            .with_hint(format!("a call names one app: list each app you call, like {}", q(&format!("{team}/app"))))),
        [team, app] => {
            label_part(value, team, "team name", FORMS)?;
            label_part(value, app, "app name", FORMS)?;
            Ok(Call::TeamApp { team: team.to_string(), app: app.to_string() })
        }
        _ => Err(bad("has more than one `/`").with_hint(CALL_FORMS_HINT)),
    }
}

/// Check and parse one entry of `calledBy`: `app`, `team/app` or `team/*`.
pub fn caller(value: &str) -> Result<Caller, Problem> {
    let bad = |reason: &str| Problem::new(format!("{} {reason}", q(value)));
    if value.is_empty() {
        return Err(Problem::new("caller is empty").with_hint(CALLER_FORMS_HINT));
    }
    if let Some(c) = value.chars().find(|c| is_space_or_control(*c)) {
        return Err(bad(&format!("contains {}", describe_char(c))).with_hint(CALLER_FORMS_HINT));
    }
    if value == "*" {
        return Err(bad("does not name a team").with_hint("name the team, like `payments/*`"));
    }
    if value.contains("://") || value.contains(['.', ':', '[']) {
        return Err(
            bad("is not an app or a team").with_hint("callers are apps or teams: use `app`, `team/app` or `team/*`")
        );
    }
    names_caller(value).map_err(|problem| lowercase_hint(problem, value, |v| caller(v).is_ok()))
}

fn names_caller(value: &str) -> Result<Caller, Problem> {
    const FORMS: &str = CALLER_FORMS_HINT;
    let bad = |reason: &str| Problem::new(format!("{} {reason}", q(value)));
    let parts: Vec<&str> = value.split('/').collect();
    match parts.as_slice() {
        [app] => {
            label_part(value, app, "app name", FORMS)?;
            Ok(Caller::App { app: app.to_string() })
        }
        ["*", app] => {
            Err(bad("does not name a team").with_hint(format!("name the team, like {}", q(&format!("payments/{app}")))))
        }
        [team, "*"] => {
            label_part(value, team, "team name", FORMS)?;
            Ok(Caller::Team { team: team.to_string() })
        }
        [team, app] => {
            label_part(value, team, "team name", FORMS)?;
            if app.contains('*') {
                return Err(bad("uses `*` inside an app name")
                    .with_hint(format!("`*` stands for a whole team: write {}", q(&format!("{team}/*")))));
            }
            label_part(value, app, "app name", FORMS)?;
            Ok(Caller::TeamApp { team: team.to_string(), app: app.to_string() })
        }
        _ => Err(bad("has more than one `/`").with_hint(CALLER_FORMS_HINT)),
    }
}

// ---------------------------------------------------------------------------------------
// Did you mean

/// Inputs longer than this never get a suggestion (and cost nothing to reject).
const MAX_TYPO_LEN: usize = 256;

/// Whether an edit distance is small enough, relative to the longer word, to be a typo:
/// a normalised Damerau-Levenshtein similarity of at least 0.7, or at most two edits when
/// they change less than half of the longer word (`img` → `image`, but not `api` → `cpu`).
fn plausible_typo(distance: usize, longest: usize) -> bool {
    distance.saturating_mul(10) <= longest.saturating_mul(3) || (distance <= 2 && distance.saturating_mul(2) < longest)
}

/// The closest candidate by Damerau-Levenshtein distance (ignoring case), if it is close
/// enough to be a plausible typo of `input`, for "did you mean" hints.
///
/// Deterministic: among equally close candidates the first one wins.
pub fn did_you_mean<'a>(input: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let input = input.to_lowercase();
    let input_len = input.chars().count();
    if input_len == 0 || input_len > MAX_TYPO_LEN {
        return None;
    }
    let mut best: Option<(usize, &'a str)> = None;
    for candidate in candidates {
        let lower = candidate.to_lowercase();
        let candidate_len = lower.chars().count();
        let longest = input_len.max(candidate_len);
        // The distance is at least the difference in length: skip hopeless candidates
        // without computing it.
        let at_least = input_len.abs_diff(candidate_len);
        if !plausible_typo(at_least, longest) || best.is_some_and(|(d, _)| at_least >= d) {
            continue;
        }
        let distance = strsim::damerau_levenshtein(&input, &lower);
        if plausible_typo(distance, longest) && best.is_none_or(|(d, _)| distance < d) {
            best = Some((distance, candidate));
        }
    }
    best.map(|(_, candidate)| candidate)
}

#[cfg(test)]
mod tests {
    use super::*;

    const DIGEST: &str = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    /// Messages and hints follow the house style: short, no trailing period.
    #[track_caller]
    fn assert_well_formed(problem: &Problem, input: &str) {
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
    fn accepts<T: fmt::Debug>(check: impl Fn(&str) -> Result<T, Problem>, inputs: &[&str]) {
        for input in inputs {
            if let Err(problem) = check(input) {
                panic!("{input:?} was rejected: {problem:?}");
            }
        }
    }

    /// Each case: input, text expected in the message, text expected in the hint (an
    /// empty string expects nothing of the hint).
    #[track_caller]
    fn rejects<T: fmt::Debug>(check: impl Fn(&str) -> Result<T, Problem>, cases: &[(&str, &str, &str)]) {
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

    fn hint<T: fmt::Debug>(result: Result<T, Problem>) -> String {
        match result {
            Ok(value) => panic!("accepted as {value:?}"),
            Err(problem) => problem.hint.unwrap_or_default(),
        }
    }

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
    fn blueprint_ref_parses() {
        let cases = [
            ("api@1", "api", 1, None, None),
            ("api@1.4", "api", 1, Some(4), None),
            ("api@1.4.2", "api", 1, Some(4), Some(2)),
            ("cron-job@0", "cron-job", 0, None, None),
            ("stateful@10.0.0", "stateful", 10, Some(0), Some(0)),
            ("w@18446744073709551615", "w", u64::MAX, None, None),
        ];
        for (input, name, major, minor, patch) in cases {
            let expected = BlueprintRef { name: name.to_string(), major, minor, patch };
            assert_eq!(blueprint_ref(input), Ok(expected), "{input}");
        }
    }

    #[test]
    fn blueprint_ref_rejects() {
        rejects(
            blueprint_ref,
            &[
                ("api", "has no version", "pin a major version, like `api@1`"),
                ("worker", "has no version", "like `worker@1`"),
                ("", "empty", "like `api@1`"),
                ("api@", "no version", "like `api@1`"),
                ("@1", "no blueprint name", "like `api@1`"),
                ("API@1", "uppercase", "did you mean `api@1`?"),
                ("api:1", "`@`", "write `api@1`"),
                ("api@latest", "not pinned", "pin a major version, like `api@1`"),
                ("api@LATEST", "not pinned", "like `api@1`"),
                ("api@*", "wildcard", "like `api@1`"),
                ("api@1.x", "wildcard", "`api@1`"),
                ("api@1.2.*", "wildcard", "`api@1.2`"),
                ("api@^1", "range", "write `api@1`"),
                ("api@~1.2", "range", "write `api@1.2`"),
                ("api@>=1.2", "range", "write `api@1.2`"),
                ("api@v1", "`v`", "write `api@1`"),
                ("api@01", "leading zero", "write `api@1`"),
                ("api@1.02.003", "leading zero", "write `api@1.2.3`"),
                ("api@1.2.3-rc.1", "pre-release", "`api@1.2.3`"),
                ("api@1.2.3+build.5", "build suffix", "`api@1.2.3`"),
                ("api@1.2.3.4", "more than three", "`api@1.2.3`"),
                ("api@1..2", "empty version number", "`api@1.2`"),
                ("api@1.", "empty version number", "`api@1`"),
                ("api@1@2", "more than one `@`", ""),
                ("api@abc", "`abc`", "like `api@1`"),
                ("api@18446744073709551616", "too large", ""),
                ("api@１", "`１`", ""),
            ],
        );
    }

    #[test]
    fn blueprint_ref_hints() {
        assert_eq!(hint(blueprint_ref("api")), "pin a major version, like `api@1`");
        assert_eq!(hint(blueprint_ref("api@latest")), "pin a major version, like `api@1`");
    }

    #[test]
    fn image_ref_parses() {
        let cases = [
            (
                "acr.bank.internal/payments/payments-api",
                "acr.bank.internal",
                "acr.bank.internal/payments/payments-api",
                None,
                None,
            ),
            (
                "acr.bank.internal/team/app:1.4.2",
                "acr.bank.internal",
                "acr.bank.internal/team/app",
                Some("1.4.2"),
                None,
            ),
            ("localhost:5000/app", "localhost:5000", "localhost:5000/app", None, None),
            ("localhost/app:latest", "localhost", "localhost/app", Some("latest"), None),
            (
                "Registry.Example.com:443/a/b/c",
                "Registry.Example.com:443",
                "Registry.Example.com:443/a/b/c",
                None,
                None,
            ),
            ("[::1]:5000/app:v1", "[::1]:5000", "[::1]:5000/app", Some("v1"), None),
            ("ghcr.io/a--b__c.d_e/f-g", "ghcr.io", "ghcr.io/a--b__c.d_e/f-g", None, None),
            ("ghcr.io/app:_X.y-Z", "ghcr.io", "ghcr.io/app", Some("_X.y-Z"), None),
        ];
        for (input, registry, repository, tag, digest) in cases {
            let expected = ImageRef {
                registry: registry.to_string(),
                repository: repository.to_string(),
                tag: tag.map(str::to_string),
                digest: digest.map(str::to_string),
            };
            assert_eq!(image_ref(input), Ok(expected), "{input}");
        }
        let with_digest = format!("acr.bank.internal/team/app:1.2@{DIGEST}");
        assert_eq!(
            image_ref(&with_digest),
            Ok(ImageRef {
                registry: "acr.bank.internal".to_string(),
                repository: "acr.bank.internal/team/app".to_string(),
                tag: Some("1.2".to_string()),
                digest: Some(DIGEST.to_string()),
            })
        );
        let digest_only = format!("acr.bank.internal/team/app@{DIGEST}");
        let parsed = image_ref(&digest_only);
        assert_eq!(parsed.map(|i| (i.tag, i.digest)), Ok((None, Some(DIGEST.to_string()))));
    }

    #[test]
    fn image_ref_rejects() {
        let long_tag = format!("acr.bank.internal/app:{}", "t".repeat(129));
        let long_name = format!("acr.bank.internal/{}", vec!["abcdefghij"; 24].join("/"));
        let upper_digest = format!("acr.bank.internal/app@{}", DIGEST.to_ascii_uppercase());
        rejects(
            image_ref,
            &[
                ("", "empty", "name the registry explicitly, like `acr.bank.internal/team/app`"),
                (
                    "nginx",
                    "does not name a registry",
                    "name the registry explicitly, like `acr.bank.internal/team/app`",
                ),
                ("library/nginx", "does not name a registry", "name the registry explicitly"),
                ("nginx:1.25", "does not name a registry", "name the registry explicitly"),
                ("team/app@sha256:abc", "", ""),
                ("acr.bank.internal", "no repository after the registry", "`acr.bank.internal/team/app`"),
                ("acr.bank.internal/", "no repository after the registry", ""),
                ("localhost:5000", "no repository after the registry", ""),
                ("acr.bank.internal/Team/App:V1", "uppercase", "did you mean `acr.bank.internal/team/app:V1`?"),
                ("https://acr.bank.internal/a", "`https://`", "`acr.bank.internal/a`"),
                ("acr.bank.internal/a:", "tag ``", "leave out the `:`"),
                ("acr.bank.internal/a:-x", "must start with", ""),
                ("acr.bank.internal/a:1+2", "contains `+`", ""),
                (&long_tag, "129 characters long", ""),
                ("acr.bank.internal/a@sha256:abc", "3 hex digits instead of 64", "64 lowercase hex digits"),
                ("acr.bank.internal/a@md5:abc", "only `sha256`", ""),
                (&upper_digest, "", "did you mean"),
                ("acr.bank.internal/a@@x", "digest", ""),
                ("acr.bank.internal/a//b", "empty path component", ""),
                ("acr.bank.internal/a___b", "path component `a___b`", "separated by"),
                ("acr.bank.internal/-a", "path component `-a`", ""),
                ("acr.bank.internal/a./b", "path component `a.`", ""),
                ("acr.bank.internal:99999/a", "out of range", "1 to 65535"),
                ("acr.bank.internal:/a", "port is empty", ""),
                ("acr..internal/a", "not a valid host name", ""),
                ("[::1/a", "`]`", ""),
                ("[zz::1]:5000/a", "not an IPv6 address", ""),
                (" acr.bank.internal/a", "contains a space", "did you mean `acr.bank.internal/a`?"),
                ("acr.bank.internal/a b", "contains a space", "remove it"),
                ("acr.bank.internal/ä", "path component `ä`", ""),
                (&long_name, "the limit is 255", ""),
                ("@sha256:abc", "", ""),
                (":tag", "", ""),
            ],
        );
    }

    #[test]
    fn image_tag_checks() {
        accepts(image_tag, &["1.4.2", "v1", "latest", "_x", "A-b_c.D", &"t".repeat(128)]);
        let long = "t".repeat(129);
        rejects(
            image_tag,
            &[
                ("", "empty", ""),
                (":1.4.2", "starts with `:`", "did you mean `1.4.2`?"),
                ("::::", "starts with `:`", "use letters"),
                (".hidden", "must start with", ""),
                ("-x", "must start with", ""),
                ("1.0+build", "contains `+`", ""),
                ("a/b", "contains `/`", ""),
                ("tág", "contains `á`", ""),
                (&long, "129 characters long, the limit is 128", ""),
            ],
        );
    }

    #[test]
    fn image_digest_checks() {
        accepts(image_digest, &[DIGEST]);
        let bare = DIGEST.trim_start_matches("sha256:");
        let upper_hex = format!("sha256:{}", bare.to_ascii_uppercase());
        let upper_algorithm = format!("SHA256:{bare}");
        let at = format!("@{DIGEST}");
        let short = format!("sha256:{}", "a".repeat(63));
        let long = format!("sha256:{}", "a".repeat(65));
        let not_hex = format!("sha256:{}g", "a".repeat(63));
        let many_at = "@".repeat(10_000);
        rejects(
            image_digest,
            &[
                ("", "empty", "64 lowercase hex digits"),
                (bare, "no `sha256:` prefix", &format!("did you mean `{DIGEST}`?")),
                (&upper_hex, "uppercase", &format!("did you mean `{DIGEST}`?")),
                (&upper_algorithm, "lowercase", &format!("did you mean `{DIGEST}`?")),
                (&at, "starts with `@`", &format!("did you mean `{DIGEST}`?")),
                (&short, "63 hex digits instead of 64", ""),
                (&long, "65 hex digits instead of 64", ""),
                (&not_hex, "`g`, which is not a hex digit", ""),
                ("sha512:abc", "only `sha256`", ""),
                ("latest", "not `sha256:`", ""),
                (&many_at, "starts with `@`", ""),
            ],
        );
    }

    #[test]
    fn cron_schedule_accepts() {
        accepts(
            cron_schedule,
            &[
                "0 5 * * *",
                "*/15 * * * *",
                "0 9-17 * * 1-5",
                "0 9-17/2 * * MON-FRI",
                "30 2 1,15 * ?",
                "0 0 ? JAN,jul *",
                "0 0 1 jan-dec/3 *",
                "5/10 * * * *",
                "59 23 31 12 6",
                "0 0 * * SUN",
                "0  5\t* * *",
                " 0 5 * * * ",
                "00 05 * * *",
                "@yearly",
                "@annually",
                "@monthly",
                "@weekly",
                "@daily",
                "@midnight",
                "@hourly",
            ],
        );
    }

    #[test]
    fn cron_schedule_rejects() {
        rejects(
            cron_schedule,
            &[
                ("", "empty", "five fields"),
                ("   ", "empty", ""),
                ("CRON_TZ=Europe/Amsterdam 0 5 * * *", "time zone", "`timeZone: Europe/Amsterdam`"),
                ("TZ=UTC 0 5 * * *", "time zone", "timeZone:"),
                ("TZ=", "time zone", "use `timeZone:`"),
                ("0 0 5 * * *", "6 fields", "did you mean `0 5 * * *`? Kubernetes schedules have no seconds field"),
                ("0 5 * * * /bin/backup", "6 fields", "did you mean `0 5 * * *`?"),
                ("0 0 5 * * * 2024", "7 fields", "no seconds or year"),
                ("* * *", "3 fields instead of 5", "five fields"),
                ("75 * * * *", "minute field: `75` is out of range", ""),
                ("0 24 * * *", "hour field: `24`", ""),
                ("0 0 0 * *", "day-of-month field: `0`", ""),
                ("0 0 32 * *", "day-of-month field: `32` is out of range", "the day-of-month field takes 1-31"),
                ("0 0 * 13 *", "month field: `13` is out of range", "takes 1-12 or JAN-DEC"),
                ("0 0 * 0 *", "month field", ""),
                ("0 0 * * 7", "day-of-week field: `7`", "use `0` or `SUN` for Sunday"),
                ("0 0 * * 8", "day-of-week field: `8` is out of range", "takes 0-6 or SUN-SAT"),
                ("0 22-2 * * *", "runs backwards", "use `22-23,0-2`"),
                ("0 5-1/2 * * *", "runs backwards", "smaller value first"),
                ("? * * * *", "`?` is only allowed", "use `*`"),
                ("0 ? * * *", "`?` is only allowed", ""),
                ("0 0 * * MONDAY", "not a number or a day name", "use `MON`"),
                ("0 0 * * MNO", "day name", "use `MON`"),
                ("0 0 * FOO *", "month name", ""),
                ("0 0 MON * *", "`MON` is not a number", ""),
                ("*/0 * * * *", "step must be at least 1", ""),
                ("*/x * * * *", "step `x` is not a number", ""),
                ("*/5/2 * * * *", "more than one `/`", ""),
                ("1-2-3 * * * *", "more than one `-`", ""),
                ("*-5 * * * *", "mixes `*` with a range", ""),
                ("1,,2 * * * *", "empty list item", "extra `,`"),
                ("1, * * * *", "empty list item", ""),
                ("-5 * * * *", "value is missing", ""),
                ("+5 * * * *", "not a number", ""),
                ("0 0 L * *", "not a number", "`L`, `W` or `#`"),
                ("0 0 * * 5#3", "", "`L`, `W` or `#`"),
                ("99999999999999999999 * * * *", "out of range", ""),
                ("@Daily", "macro", "did you mean `@daily`?"),
                ("@dayly", "macro", "did you mean `@daily`?"),
                ("@reboot", "macro", "`@hourly`"),
                ("@every 5m", "`@every`", "use `*/5 * * * *`"),
                ("@every 2h", "`@every`", "use `0 */2 * * *`"),
                ("@every 7m", "`@every`", "five fields"),
                ("@", "macro", ""),
                ("0 5 * * * *", "6 fields", "seconds"),
                ("٥ * * * *", "not a number", ""),
            ],
        );
    }

    #[test]
    fn time_zone_checks() {
        accepts(time_zone, &["Europe/Amsterdam", "UTC", "America/New_York", "Asia/Kolkata", "Etc/GMT+1"]);
        rejects(
            time_zone,
            &[
                ("", "empty", "`Europe/Amsterdam`"),
                ("Europe/Amsterdm", "not a known time zone", "did you mean `Europe/Amsterdam`?"),
                ("europe/amsterdam", "not a known time zone", "did you mean `Europe/Amsterdam`?"),
                ("Amsterdam", "", "did you mean `Europe/Amsterdam`?"),
                ("new york", "", "did you mean `America/New_York`?"),
                ("America/NewYork", "", "did you mean `America/New_York`?"),
                ("UTC+1", "", "name a region"),
                ("+01:00", "", "name a region"),
                ("Mars/Olympus", "not a known time zone", "IANA"),
                ("Local", "not a known time zone", ""),
                ("CET ", "", ""),
            ],
        );
        assert_eq!(hint(time_zone("Europe/Amsterdm")), "did you mean `Europe/Amsterdam`?");
    }

    #[test]
    fn cpu_quantity_checks() {
        accepts(cpu_quantity, &["100m", "1m", "0.5", "2", "1.5", "+1", ".5", "5.", "1e-1", "1000000n", "2000u", "64"]);
        rejects(
            cpu_quantity,
            &[
                ("", "empty", "cores"),
                ("500Mi", "memory unit `Mi`", "CPU is in cores (`0.5`) or millicores (`500m`)"),
                ("1Gi", "memory unit", "CPU is in cores"),
                ("500M", "millions of cores", "did you mean `500m`?"),
                ("2k", "not for CPU", "CPU is in cores"),
                ("1G", "not for CPU", ""),
                ("0", "is zero", "like `100m`"),
                ("0m", "is zero", ""),
                ("0.000", "is zero", ""),
                ("-1", "negative", "CPU is in cores"),
                ("-100m", "negative", ""),
                ("0.0005", "finer than one millicore", "like `1m`"),
                ("1.5m", "finer than one millicore", "like `2m`"),
                ("100n", "finer than one millicore", "like `1m`"),
                ("2cores", "unknown unit `cores`", "did you mean `2`?"),
                ("500millicores", "unknown unit", "did you mean `500m`?"),
                ("500 m", "contains a space", "did you mean `500m`?"),
                ("2 cores", "contains a space", "CPU is in cores"),
                ("abc", "does not start with a number", ""),
                ("1..2", "more than one `.`", ""),
                (".", "does not start with a number", ""),
                ("--1", "does not start with a number", ""),
                ("1e", "unknown unit", ""),
                ("1e3m", "unknown unit `e3m`", ""),
                ("1e9999999999999999", "unknown unit", ""),
                ("½", "", ""),
            ],
        );
    }

    #[test]
    fn memory_quantity_checks() {
        accepts(
            memory_quantity,
            &[
                "128Mi",
                "1Gi",
                "500M",
                "1e9",
                "1E9",
                "134217728",
                "1.5Gi",
                "0.5Ki",
                "0.25Mi",
                "1k",
                "2Ti",
                "1E",
                "+1Gi",
                "1.000",
                "0.0009765625Mi",
            ],
        );
        rejects(
            memory_quantity,
            &[
                ("", "empty", "`512Mi`"),
                ("512m", "thousandths of a byte", "did you mean `512Mi`?"),
                ("1.5m", "thousandths", "did you mean `1.5Mi`?"),
                ("512mb", "unknown unit `mb`", "write `512Mi` for mebibytes, or `512M` for megabytes"),
                ("512MB", "unknown unit `MB`", "`512Mi`"),
                ("1GB", "unknown unit `GB`", "write `1Gi` for gibibytes, or `1G` for gigabytes"),
                ("1gb", "unknown unit", "`1Gi`"),
                ("512Mib", "unknown unit", "did you mean `512Mi`?"),
                ("512MiB", "unknown unit", "did you mean `512Mi`?"),
                ("512mi", "unknown unit", "did you mean `512Mi`?"),
                ("1K", "unknown unit `K`", "write `1Ki` for kibibytes, or `1k` for kilobytes"),
                ("1KB", "unknown unit", "`1Ki`"),
                ("2TB", "unknown unit", "`2Ti`"),
                ("512b", "unknown unit", "did you mean `512`?"),
                ("12xyz", "unknown unit", "`512Mi`"),
                ("0", "is zero", "positive"),
                ("0Gi", "is zero", ""),
                ("-1Gi", "negative", ""),
                ("0.5", "not a whole number of bytes", ""),
                ("0.1Ki", "not a whole number of bytes", ""),
                ("1e-1", "not a whole number of bytes", ""),
                ("1u", "not a whole number of bytes", ""),
                ("1e", "invalid exponent", "`1e9`"),
                ("512 Mi", "contains a space", "did you mean `512Mi`?"),
                ("Mi", "does not start with a number", ""),
                ("1.2.3Gi", "more than one `.`", ""),
            ],
        );
        assert_eq!(hint(memory_quantity("512m")), "did you mean `512Mi`?");
    }

    #[test]
    fn memory_whole_bytes_with_binary_units() {
        // 2^-10 Mi is exactly 1 Ki; 2^-21 Mi is half a byte.
        assert!(memory_quantity("0.0009765625Mi").is_ok());
        assert!(memory_quantity("0.000000476837158203125Mi").is_err());
        assert!(memory_quantity("0.5Ki").is_ok());
        assert!(memory_quantity("0.3Ki").is_err());
        assert!(divisible_by_pow5("125", 3));
        assert!(!divisible_by_pow5("126", 1));
    }

    #[test]
    fn quantities_compare_across_units() {
        let m = |v| quantity_magnitude(v).unwrap_or(f64::NAN);
        assert!(m("500m") < m("1") && m("1") < m("1.5") && m("1.5") == m("1500m"));
        assert!(m("1G") < m("1Gi") && m("256Mi") < m("512Mi") && m("1Gi") == m("1024Mi"));
        assert!(m("1e3") == m("1k"));
        assert_eq!(quantity_magnitude("1 Gi"), None);
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

    #[test]
    fn http_path_checks() {
        accepts(http_path, &["/", "/healthz", "/api/v1/ready", "/a%20b", "/ünïcode", "/a;b=c"]);
        rejects(
            http_path,
            &[
                ("", "empty", "start the path with `/`"),
                ("healthz", "does not start with `/`", "did you mean `/healthz`?"),
                ("/a b", "contains a space", "`%20`"),
                ("/a\tb", "contains a tab", ""),
                ("/a\u{7}", "control character", ""),
                ("/a\u{a0}b", "U+00A0", ""),
                ("/a?b=1", "query string", "did you mean `/a`?"),
                ("/a#x", "fragment", "did you mean `/a`?"),
                ("http://x/healthz", "is a URL", "`/healthz`"),
                ("HTTPS://x", "is a URL", "`/`"),
                ("a b", "does not start with `/`", "start the path with `/`"),
            ],
        );
    }

    #[test]
    fn call_parses() {
        let app = |a: &str| Call::App { app: a.to_string() };
        let team_app = |t: &str, a: &str| Call::TeamApp { team: t.to_string(), app: a.to_string() };
        let fqdn = |h: &str, port| Call::Fqdn { host: h.to_string(), port };
        let cidr = |c: &str, port| Call::Cidr { cidr: c.to_string(), port };
        let cases = [
            ("payments-api", app("payments-api")),
            ("payments/ledger", team_app("payments", "ledger")),
            ("https://api.example.com", fqdn("api.example.com", 443)),
            ("https://api.example.com:8443", fqdn("api.example.com", 8443)),
            ("HTTPS://api.example.com", fqdn("api.example.com", 443)),
            ("10.20.0.0/16:5432", cidr("10.20.0.0/16", 5432)),
            ("10.0.0.1/32:443", cidr("10.0.0.1/32", 443)),
            ("0.0.0.0/0:443", cidr("0.0.0.0/0", 443)),
            ("10.0.0.0/08:65535", cidr("10.0.0.0/8", 65535)),
            ("[fd00::/64]:443", cidr("fd00::/64", 443)),
            ("[FD00:0:0:0::/64]:1", cidr("fd00::/64", 1)),
            ("[::/0]:53", cidr("::/0", 53)),
        ];
        for (input, expected) in cases {
            assert_eq!(call(input), Ok(expected), "{input}");
        }
    }

    #[test]
    fn call_rejects() {
        rejects(
            call,
            &[
                ("", "empty", "`team/app`"),
                ("10.0.0.1/8:443", "host bits", "`10.0.0.0/8:443`"),
                ("10.20.1.0/16:5432", "host bits", "did you mean `10.20.0.0/16:5432`?"),
                ("[fd00::1/64]:443", "host bits", "`[fd00::/64]:443`"),
                ("http://api.example.com", "plain HTTP", "use `https://api.example.com`"),
                ("http://api.example.com:80/x", "plain HTTP", "use `https://api.example.com` instead"),
                ("https://api.example.com/v1", "has a path", "use `https://api.example.com`"),
                ("https://api.example.com/", "has a path", ""),
                ("https://api.example.com?x=1", "has a path", ""),
                ("https://user@api.example.com", "user information", ""),
                ("https://", "has no host", ""),
                ("https://API.example.com", "uppercase", "did you mean `https://api.example.com`?"),
                ("https://*.example.com", "wildcards", "list each name"),
                ("https://payments", "without a domain", "write `payments`"),
                ("https://10.0.0.1", "IP address", "`10.0.0.1/32:443`"),
                ("https://[fd00::1]", "IP address", ""),
                ("https://api.example.com:0", "out of range", ""),
                ("https://api.example.com:https", "not a number", ""),
                ("ftp://x.com", "unsupported scheme `ftp`", ""),
                ("10.0.0.0/8", "no port", "`10.0.0.0/8:443`"),
                ("10.0.0.1:443", "no prefix length", "`10.0.0.1/32:443`"),
                ("10.0.0.0/33:443", "prefix length `33`", ""),
                ("10.0.0.0/x:443", "prefix length `x`", ""),
                ("10.0.0.256/8:443", "invalid IPv4 address", ""),
                ("10.0.0/8:443", "invalid IPv4 address", ""),
                ("10.0.0.0/8:0", "out of range 1-65535", "1 to 65535"),
                ("10.0.0.0/8:65536", "out of range", ""),
                ("10.0.0.0/8:", "port is empty", ""),
                ("fd00::/64:443", "not a valid call target", "`[fd00::/64]:443`"),
                ("[fd00::]/64:443", "outside the brackets", "did you mean `[fd00::/64]:443`?"),
                ("[fd00::/64]", "no port", "`[fd00::/64]:443`"),
                ("[fd00::/64", "closing `]`", ""),
                ("[fd00::/129]:443", "prefix length", ""),
                ("[fd00::]:443", "no prefix length", "`[fd00::/128]:443`"),
                ("[10.0.0.0/8]:443", "IPv4 range in brackets", "did you mean `10.0.0.0/8:443`?"),
                ("[zz::/64]:443", "invalid IPv6 address", ""),
                ("api.example.com", "without `https://`", "`https://api.example.com`"),
                ("payments/*", "whole team", "`payments/app`"),
                ("a/b/c", "more than one `/`", ""),
                ("Payments/api", "uppercase", "did you mean `payments/api`?"),
                ("Payments-API", "uppercase", "did you mean `payments-api`?"),
                ("team/", "has no app name", ""),
                ("/app", "has no team name", ""),
                ("pay_ments", "contains `_`", "`pay-ments`"),
                ("a b", "contains a space", ""),
            ],
        );
        assert!(hint(call("10.0.0.1/8:443")).contains("10.0.0.0/8"));
    }

    #[test]
    fn caller_checks() {
        let cases = [
            ("web", Caller::App { app: "web".to_string() }),
            ("payments/web", Caller::TeamApp { team: "payments".to_string(), app: "web".to_string() }),
            ("payments/*", Caller::Team { team: "payments".to_string() }),
        ];
        for (input, expected) in cases {
            assert_eq!(caller(input), Ok(expected), "{input}");
        }
        rejects(
            caller,
            &[
                ("", "empty", "`team/*`"),
                ("*", "does not name a team", "`payments/*`"),
                ("*/web", "does not name a team", "`payments/web`"),
                ("payments/we*", "`*` inside an app name", "write `payments/*`"),
                ("10.0.0.0/8:443", "not an app or a team", ""),
                ("https://x.example.com", "not an app or a team", ""),
                ("a/b/c", "more than one `/`", ""),
                ("Payments/*", "uppercase", "did you mean `payments/*`?"),
                ("payments/", "has no app name", "`team/*`"),
                ("/web", "has no team name", ""),
                ("web app", "contains a space", ""),
            ],
        );
    }

    #[test]
    fn did_you_mean_picks_plausible_candidates() {
        let fields = ["name", "team", "blueprint", "image", "port", "replicas", "resources", "env"];
        let cases = [
            ("replica", Some("replicas")),
            ("Replicas", Some("replicas")),
            ("prot", Some("port")),
            ("nmae", Some("name")),
            ("img", Some("image")),
            ("blueprnt", Some("blueprint")),
            ("resource", Some("resources")),
            ("enviroment", None),
            ("cpu", None),
            ("x", None),
            ("", None),
            ("completely-different", None),
        ];
        for (input, expected) in cases {
            assert_eq!(did_you_mean(input, fields), expected, "{input}");
        }
        // Ties go to the first candidate.
        assert_eq!(did_you_mean("cat", ["bat", "hat"]), Some("bat"));
        assert_eq!(did_you_mean("cat", ["hat", "bat"]), Some("hat"));
        assert_eq!(did_you_mean("abc", Vec::<&str>::new()), None);
        let long = "a".repeat(10_000);
        assert_eq!(did_you_mean(&long, ["a"]), None);
    }

    #[test]
    fn long_values_are_shortened_in_messages() {
        let long = "X".repeat(100_000);
        let problem = dns_label(&long, 63).err().unwrap_or_else(|| Problem::new(""));
        assert!(problem.message.contains('…'));
        assert!(problem.message.chars().count() < 300);
        assert_eq!(q("a\u{1b}b"), "`a\\u{1b}b`");
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
