//! HTTP paths of probes, metrics and ingress routes.

use paved_jsonschema::quote;

use super::{Problem, describe_char, did_you_mean_hint, is_space_or_control};

/// Check an HTTP path for probes, metrics and ingress: starts with `/`, no whitespace,
/// control characters, `?` or `#`.
pub fn http_path(value: &str) -> Result<(), Problem> {
    let bad = |reason: &str| Problem::new(format!("{} {reason}", quote(value)));
    let fix = |fixed: &str| (http_path(fixed).is_ok()).then(|| did_you_mean_hint(fixed));
    if value.is_empty() {
        return Err(Problem::new("path is empty").with_hint("start the path with `/`, like `/healthz`"));
    }
    let lower = value.get(..8).unwrap_or(value).to_ascii_lowercase();
    if lower.starts_with("http://") || lower.starts_with("https://") {
        let after_scheme = value.split_once("://").map_or("", |(_, rest)| rest);
        let path = after_scheme.find('/').map_or("/", |i| after_scheme.get(i..).unwrap_or("/"));
        let hint = if !path.contains("://") && http_path(path).is_ok() {
            format!("give only the path, like {}", quote(path))
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::testing::{accepts, rejects};

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
}
