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
        // Suggest the lowercase name only when it is a valid one (and never
        // check the same text again: a space stays a space).
        let fixed = lower != value && port_name(&lower).is_ok();
        return Err(if fixed { problem.with_hint(did_you_mean_hint(&lower)) } else { problem.with_hint(HINT) });
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

/// A path a file or volume is mounted at: absolute, written once (no `.`, `..`
/// or empty parts, no `/` at the end), at most 1024 characters, and not the
/// root.
pub fn mount_path(value: &str) -> Result<(), Problem> {
    const HINT: &str = "write an absolute path such as `/etc/app/config.toml`";
    let bad = |reason: &str| Problem::new(format!("{} {reason}", quote(value)));
    if value.is_empty() {
        return Err(Problem::new("path is empty").with_hint(HINT));
    }
    if let Some(c) = value.chars().find(|c| c.is_whitespace() || c.is_control() || *c == '\\') {
        return Err(bad(&format!("contains {}", describe_char(c))).with_hint(HINT));
    }
    if !value.starts_with('/') {
        return Err(bad("is not an absolute path").with_hint(did_you_mean_hint(&format!("/{value}"))));
    }
    if value == "/" {
        return Err(bad("is the root of the filesystem").with_hint(HINT));
    }
    if value.chars().count() > 1024 {
        return Err(bad("is longer than 1024 characters").with_hint(HINT));
    }
    let parts: Vec<&str> = value[1..].split('/').collect();
    if parts.iter().any(|p| *p == ".." || *p == ".") {
        return Err(bad("has `.` or `..` in it").with_hint("write the path without them, as the container will see it"));
    }
    if parts.iter().any(|p| p.is_empty()) {
        let clean = format!("/{}", parts.iter().filter(|p| !p.is_empty()).copied().collect::<Vec<_>>().join("/"));
        return Err(bad("has an empty part (`//`, or a `/` at the end)").with_hint(did_you_mean_hint(&clean)));
    }
    Ok(())
}

/// Whether `path` is `dir` or inside it (both as [`mount_path`] accepts them).
pub fn path_within(path: &str, dir: &str) -> bool {
    path == dir || path.strip_prefix(dir).is_some_and(|rest| rest.starts_with('/'))
}

/// A key of a Secret or ConfigMap: at most 253 letters, digits, `-`, `_` and
/// `.`, and not `.` or `..`.
pub fn data_key(value: &str) -> Result<(), Problem> {
    const HINT: &str = "a key is letters, digits, `-`, `_` and `.`, like `password` or `config.toml`";
    let bad = |reason: &str| Problem::new(format!("{} is not a valid key: {reason}", quote(value)));
    if value.is_empty() {
        return Err(Problem::new("key is empty").with_hint(HINT));
    }
    if let Some(c) = value.chars().find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))) {
        return Err(bad(&format!("it contains {}", describe_char(c))).with_hint(HINT));
    }
    if value.len() > 253 {
        return Err(bad(&format!("it is {} characters long, the limit is 253", value.len())).with_hint(HINT));
    }
    if value == "." || value == ".." {
        return Err(bad("it is a path element").with_hint(HINT));
    }
    Ok(())
}

/// A file mode written as an octal string (`"0440"`, `"644"`): its value, at
/// most `0777`.
pub fn file_mode(value: &str) -> Result<u32, Problem> {
    const HINT: &str = "write the mode as octal digits in quotes, like `\"0440\"` (read by owner and group)";
    let digits = value.strip_prefix("0o").unwrap_or(value);
    if digits.is_empty() || !digits.bytes().all(|b| (b'0'..=b'7').contains(&b)) {
        return Err(Problem::new(format!("{} is not an octal file mode", quote(value))).with_hint(HINT));
    }
    match u32::from_str_radix(digits, 8) {
        Ok(mode) if mode <= 0o777 => Ok(mode),
        _ => Err(Problem::new(format!("{} is more than `0777`", quote(value)))
            .with_hint("a mode has three octal digits: owner, group, others; special bits cannot be set")),
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
            // Found by the fuzzer: lowercasing keeps the space, and checking the
            // lowercase name again must not recurse for ever.
            ("admin port", "contains a space", "at most 15"),
            ("Admin_Port strategy", "contains `A`", "at most 15"),
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
    fn mount_paths() {
        for ok in ["/etc/app/config.toml", "/data", "/var/run/x.sock"] {
            assert_eq!(mount_path(ok), Ok(()), "{ok}");
        }
        for (bad, part, hint) in [
            ("etc/app", "not an absolute path", "did you mean `/etc/app`?"),
            ("/", "root", "absolute path"),
            ("/etc/../passwd", "`..`", "without them"),
            ("/etc//app/", "empty part", "did you mean `/etc/app`?"),
            ("/etc/my file", "contains a space", "absolute path"),
        ] {
            let problem = mount_path(bad).expect_err(bad);
            assert!(problem.message.contains(part), "{bad}: {}", problem.message);
            assert!(problem.hint.as_deref().unwrap_or_default().contains(hint), "{bad}: {:?}", problem.hint);
        }
        assert!(path_within("/tmp/x", "/tmp") && path_within("/tmp", "/tmp") && !path_within("/tmpx", "/tmp"));
    }

    #[test]
    fn keys_and_modes() {
        assert_eq!(data_key("config.toml"), Ok(()));
        assert!(data_key("a/b").is_err() && data_key("..").is_err() && data_key("").is_err());
        assert_eq!(file_mode("0440"), Ok(0o440));
        assert_eq!(file_mode("644"), Ok(0o644));
        assert!(file_mode("0999").is_err() && file_mode("4755").is_err() && file_mode("rw").is_err());
    }

    #[test]
    fn header_names() {
        assert_eq!(header_name("X-Probe"), Ok(()));
        assert!(header_name("X Probe").is_err());
        assert!(header_name("").is_err());
        assert!(header_name("a:b").is_err());
    }
}
