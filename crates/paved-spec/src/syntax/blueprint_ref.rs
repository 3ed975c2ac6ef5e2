//! `blueprint:` values, `NAME@MAJOR[.MINOR[.PATCH]]`: always pinned to a major
//! version, never a range, so what an app renders with changes only when its
//! file (or the lock) does.

use std::fmt;

use paved_jsonschema::quote;

use super::names::{label_issue, label_ok, label_suggestion};
use super::{Problem, did_you_mean_hint};

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
    let bad = |reason: &str| Problem::new(format!("{} {reason}", quote(value)));

    let Some((name, version)) = value.split_once('@') else {
        // Near misses: `api:1`, `api 1`, `api/1`.
        for sep in [':', ' ', '/'] {
            if let Some((name, version)) = value.split_once(sep) {
                if label_ok(name, 63) && version_numbers(version).is_some() {
                    return Err(bad("does not separate name and version with `@`")
                        .with_hint(format!("write {}", quote(&format!("{name}@{version}")))));
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
            bad("has no blueprint name before `@`").with_hint(format!("name the blueprint, like {}", quote(&example)))
        );
    }
    if let Some(issue) = label_issue(name, 63) {
        let problem = issue.in_part("blueprint name", name, value);
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
    let write = |version: &str| format!("write {}", quote(&format!("{name}@{version}")));

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
            Some(_) => format!("use a release version, like {}", quote(&format!("{name}@{core}"))),
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
            return Err(bad(&format!("has {} where a version number belongs", quote(part))).with_hint(pin(name)));
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::testing::{hint, rejects};

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
}
