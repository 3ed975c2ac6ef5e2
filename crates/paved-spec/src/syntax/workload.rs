//! Values of the workload settings: durations, port names, annotation keys and
//! HTTP header names.

use paved_jsonschema::quote;

use super::{Problem, describe_char, did_you_mean_hint};

/// The longest duration paved accepts anywhere, in seconds (a week): every
/// duration in an app file is a probe timing, a grace period or a run's
/// deadline, and none of those is sensibly longer.
pub const MAX_DURATION_SECONDS: u64 = 7 * 24 * 3600;

const DURATION_HINT: &str = "write whole seconds, minutes or hours, like `5s`, `2m`, `1h30m`";

/// A duration as people write one in an app file (`5s`, `2m`, `1h30m`, `90s`):
/// hours, minutes and seconds, each at most once and in that order, in whole
/// units. Kubernetes counts these fields in whole seconds, so `500ms` is refused
/// rather than rounded. Returns the seconds.
pub fn duration(value: &str) -> Result<u64, Problem> {
    let bad = |reason: &str| Problem::new(format!("{} {reason}", quote(value)));
    if value.is_empty() {
        return Err(Problem::new("duration is empty").with_hint(DURATION_HINT));
    }
    if let Some(c) = value.chars().find(|c| c.is_whitespace() || c.is_control()) {
        return Err(bad(&format!("contains {}", describe_char(c))).with_hint(DURATION_HINT));
    }
    if value.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad("has no unit").with_hint(did_you_mean_hint(&format!("{value}s"))));
    }
    if value.ends_with("ms") || value.ends_with("us") || value.ends_with("µs") || value.ends_with("ns") {
        return Err(bad("is shorter than a second").with_hint(
            "Kubernetes counts these in whole seconds: write at least `1s`".to_owned() + "; " + DURATION_HINT,
        ));
    }
    let mut seconds: u64 = 0;
    let mut digits = String::new();
    let mut last_unit = 0; // 1 = h, 2 = m, 3 = s: units come in this order, each once
    for c in value.chars() {
        if c.is_ascii_digit() {
            digits.push(c);
            continue;
        }
        let (rank, scale) = match c {
            'h' => (1, 3600),
            'm' => (2, 60),
            's' => (3, 1),
            'd' => {
                return Err(bad("counts days").with_hint("write hours instead, like `24h`"));
            }
            other => {
                return Err(bad(&format!("has the unit {}", describe_char(other))).with_hint(DURATION_HINT));
            }
        };
        if digits.is_empty() {
            return Err(bad(&format!("has `{c}` without a number before it")).with_hint(DURATION_HINT));
        }
        if rank <= last_unit {
            return Err(bad("repeats a unit or has them out of order").with_hint(DURATION_HINT));
        }
        last_unit = rank;
        let n: u64 = digits.parse().map_err(|_| bad("is too long").with_hint(DURATION_HINT))?;
        seconds = n.checked_mul(scale).and_then(|s| seconds.checked_add(s)).ok_or_else(|| bad("is too long"))?;
        digits.clear();
    }
    if !digits.is_empty() {
        return Err(bad("ends without a unit").with_hint(did_you_mean_hint(&format!("{value}s"))));
    }
    if seconds > MAX_DURATION_SECONDS {
        return Err(bad("is longer than a week").with_hint("a probe timing, grace period or deadline is shorter"));
    }
    Ok(seconds)
}

/// A port's name, as Kubernetes checks it (an IANA service name): at most 15
/// lowercase letters, digits and `-`, with at least one letter, no `-` at
/// either end and no `--`.
pub fn port_name(value: &str) -> Result<(), Problem> {
    const HINT: &str = "name ports with at most 15 lowercase letters, digits and `-`, like `admin` or `metrics-2`";
    let bad = |reason: &str| Problem::new(format!("{} is not a valid port name: {reason}", quote(value)));
    if value.is_empty() {
        return Err(Problem::new("port name is empty").with_hint(HINT));
    }
    if let Some(c) = value.chars().find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-')) {
        let lower = value.to_ascii_lowercase().replace('_', "-");
        let problem = bad(&format!("it contains {}", describe_char(c)));
        return Err(match port_name(&lower) {
            Ok(()) => problem.with_hint(did_you_mean_hint(&lower)),
            Err(_) => problem.with_hint(HINT),
        });
    }
    if value.chars().count() > 15 {
        return Err(bad(&format!("it is {} characters long, the limit is 15", value.chars().count())).with_hint(HINT));
    }
    if !value.chars().any(|c| c.is_ascii_lowercase()) {
        return Err(bad("it has no letter").with_hint(HINT));
    }
    if value.starts_with('-') || value.ends_with('-') || value.contains("--") {
        return Err(bad("a `-` starts or ends it, or two stand together").with_hint(HINT));
    }
    Ok(())
}

/// An annotation or label key: an optional prefix (a DNS subdomain) and `/`,
/// then a name of at most 63 letters, digits, `-`, `_` and `.`, starting and
/// ending with a letter or digit.
pub fn annotation_key(value: &str) -> Result<(), Problem> {
    const HINT: &str = "write a key like `example.com/setting` or `setting`";
    let bad = |reason: &str| Problem::new(format!("{} is not a valid annotation key: {reason}", quote(value)));
    let (prefix, name) = match value.rsplit_once('/') {
        Some((prefix, name)) => (Some(prefix), name),
        None => (None, value),
    };
    if let Some(prefix) = prefix {
        if super::dns_subdomain(prefix).is_err() {
            return Err(bad(&format!("its prefix {} is not a DNS subdomain", quote(prefix))).with_hint(HINT));
        }
    }
    if name.is_empty() {
        return Err(bad("the name after the prefix is empty").with_hint(HINT));
    }
    if name.len() > 63 {
        return Err(bad(&format!("its name is {} characters long, the limit is 63", name.len())).with_hint(HINT));
    }
    if let Some(c) = name.chars().find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))) {
        return Err(bad(&format!("its name contains {}", describe_char(c))).with_hint(HINT));
    }
    let edge = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
    if !edge(name.chars().next()) || !edge(name.chars().last()) {
        return Err(bad("its name must start and end with a letter or digit").with_hint(HINT));
    }
    Ok(())
}

/// An HTTP header name: a token of letters, digits and ``!#$%&'*+-.^_`|~``.
pub fn header_name(value: &str) -> Result<(), Problem> {
    let token = |c: char| c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c);
    match value.chars().find(|c| !token(*c)) {
        _ if value.is_empty() => Err(Problem::new("header name is empty").with_hint("name the header, like `X-Probe`")),
        Some(c) => {
            Err(Problem::new(format!("{} is not an HTTP header name: it contains {}", quote(value), describe_char(c)))
                .with_hint("a header name is letters, digits and `-`, like `X-Probe`"))
        }
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_in_whole_units() {
        for (text, seconds) in [("5s", 5), ("2m", 120), ("1h30m", 5400), ("90s", 90), ("1h", 3600), ("0s", 0)] {
            assert_eq!(duration(text), Ok(seconds), "{text}");
        }
    }

    #[test]
    fn durations_refused_with_hints() {
        for (text, message, hint) in [
            ("", "duration is empty", "`5s`"),
            ("30", "has no unit", "did you mean `30s`?"),
            ("500ms", "shorter than a second", "at least `1s`"),
            ("1d", "counts days", "`24h`"),
            ("5 s", "contains a space", "`5s`"),
            ("s", "without a number", "`5s`"),
            ("5s5m", "out of order", "`1h30m`"),
            ("1m1m", "out of order", "`1h30m`"),
            ("1x", "has the unit `x`", "`5s`"),
            ("1h5", "ends without a unit", "did you mean `1h5s`?"),
            ("200h", "longer than a week", "shorter"),
            ("99999999999999999999s", "too long", "`5s`"),
        ] {
            let problem = duration(text).expect_err(text);
            assert!(problem.message.contains(message), "{text}: {}", problem.message);
            assert!(problem.hint.as_deref().unwrap_or_default().contains(hint), "{text}: {:?}", problem.hint);
        }
    }

    #[test]
    fn port_names_are_iana_service_names() {
        for ok in ["http", "admin", "metrics-2", "h2c", "a1"] {
            assert_eq!(port_name(ok), Ok(()), "{ok}");
        }
        for (bad, part, hint) in [
            ("Admin", "contains `A`", "did you mean `admin`?"),
            ("my_port", "contains `_`", "did you mean `my-port`?"),
            ("a-very-long-port-name", "21 characters", "at most 15"),
            ("8080", "no letter", "at most 15"),
            ("-x", "`-` starts", "at most 15"),
            ("a--b", "`-` starts", "at most 15"),
            ("", "empty", "at most 15"),
        ] {
            let problem = port_name(bad).expect_err(bad);
            assert!(problem.message.contains(part), "{bad}: {}", problem.message);
            assert!(problem.hint.as_deref().unwrap_or_default().contains(hint), "{bad}: {:?}", problem.hint);
        }
    }

    #[test]
    fn annotation_keys() {
        for ok in ["prometheus.io/scrape", "fluentbit.io/parser", "team", "a.b_c-d"] {
            assert_eq!(annotation_key(ok), Ok(()), "{ok}");
        }
        for (bad, part) in [
            ("Example.com/x", "prefix"),
            ("example.com/", "empty"),
            ("x y", "contains a space"),
            ("-x", "start and end"),
            (&"a".repeat(64), "64 characters"),
        ] {
            let problem = annotation_key(bad).expect_err(bad);
            assert!(problem.message.contains(part), "{bad}: {}", problem.message);
        }
    }

    #[test]
    fn header_names() {
        assert_eq!(header_name("X-Probe"), Ok(()));
        assert!(header_name("X Probe").is_err());
        assert!(header_name("").is_err());
        assert!(header_name("a:b").is_err());
    }
}
