//! Ingress routes: the host an app is reached on and the path prefix routed to
//! it, held to what the platform's ingress controller admits.
//!
//! People copy routes from a browser's address bar (`https://x.example/api`),
//! so a URL gets a hint that splits it into host and path instead of a
//! "did you mean" that mangles it into one odd name.

use paved_jsonschema::quote;

use super::names::{label_ok, subdomain_ok};
use super::{Problem, describe_char, did_you_mean_hint, dns_label, dns_subdomain, http_path};
use crate::platform::IngressPaths;

/// Check an ingress host: a name without a dot (completed with each
/// environment's ingress domain) or a full DNS name. A URL, a path or a port
/// in it is refused with the host it should have been.
pub fn ingress_host(value: &str) -> Result<(), Problem> {
    let bad = |reason: &str| Problem::new(format!("{} {reason}", quote(value)));
    let (scheme, rest) = match value.split_once("://") {
        Some((scheme, rest)) => (Some(scheme), rest),
        None => (None, value),
    };
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (host_port, path) = rest.split_at(end);
    let (host, port) = match host_port.rsplit_once(':') {
        Some((host, port)) if !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit()) => (host, Some(port)),
        _ => (host_port, None),
    };
    let host_ok = label_ok(host, 63) || (host.contains('.') && subdomain_ok(host));
    // What to write instead: the host alone, and the path as `path`.
    let instead = |host: &str| {
        let path = path.split(['?', '#']).next().unwrap_or_default();
        match path.trim_end_matches('/') {
            "" => did_you_mean_hint(host),
            path => format!("did you mean `host: {host}` with `path: {path}`?"),
        }
    };
    if let Some(scheme) = scheme {
        let problem = bad("is a URL, not a host name");
        return Err(match host_ok {
            true => problem.with_hint(format!(
                "{} Leave out {}: the Ingress serves HTTPS with the platform's certificate",
                instead(host),
                quote(&format!("{scheme}://"))
            )),
            false => problem.with_hint("give the host name alone, like `payments` or `payments.bank.example`"),
        });
    }
    if !path.is_empty() && host_ok {
        return Err(bad("holds a path").with_hint(instead(host)));
    }
    if port.is_some() && host_ok {
        return Err(bad("holds a port")
            .with_hint(format!("{} The ingress controller listens on 443 for every host", did_you_mean_hint(host))));
    }
    if value.contains('.') { dns_subdomain(value) } else { dns_label(value, 63) }
}

/// The characters ingress-nginx admits in a Prefix or Exact path when it
/// validates paths strictly (`strict-validate-path-type`, on by default from
/// controller 1.12): `^/[A-Za-z0-9/_-]*$`.
fn strict_path_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '/' | '_' | '-')
}

/// Check an ingress path under the platform's rule (`ingress.paths`): always
/// an HTTP path; under `strict` (the default), only letters, digits, `/`,
/// `_` and `-`, or ingress-nginx denies the whole Ingress at admission.
pub fn ingress_path(value: &str, rule: IngressPaths) -> Result<(), Problem> {
    http_path(value)?;
    if rule == IngressPaths::Any {
        return Ok(());
    }
    let Some((at, c)) = value.char_indices().find(|(_, c)| !strict_path_char(*c)) else { return Ok(()) };
    // What to route instead: a Prefix path matches whole segments, so a
    // character inside a segment (`/api/v1.0`) leaves the segments before it
    // (`/api`); a wildcard or regular expression (`/static/*`, `/api(/|$)`)
    // leaves what comes before it.
    let pattern = matches!(c, '*' | '(' | ')' | '[' | ']' | '{' | '}' | '^' | '$' | '|' | '+' | '\\');
    let before = match pattern {
        true => value[..at].trim_end_matches('/'),
        false => value[..at].rfind('/').map_or("", |slash| &value[..slash]),
    };
    let prefix = if before.is_empty() { "/" } else { before };
    let why = match c {
        '*' => "A path already routes everything below it".to_owned(),
        _ if pattern => "A path is a prefix, not a pattern, and routes everything below it".to_owned(),
        _ => format!("It routes everything below it, {} too", quote(value)),
    };
    Err(Problem::new(format!(
        "{} contains {}, which the platform's ingress controller refuses in a path",
        quote(value),
        describe_char(c)
    ))
    .with_hint(format!(
        "{} {why}; ingress-nginx checks paths strictly (letters, digits, `/`, `_` and `-`) and denies the whole Ingress otherwise",
        did_you_mean_hint(prefix)
    )))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::testing::{accepts, hint, rejects};

    #[test]
    fn ingress_host_checks() {
        accepts(ingress_host, &["payments", "risk.partners.bank.example", "a1-b2"]);
        rejects(
            ingress_host,
            &[
                ("https://x.example", "is a URL", "did you mean `x.example`?"),
                ("http://x.example:8443/api/", "is a URL", "did you mean `host: x.example` with `path: /api`?"),
                ("https://payments", "is a URL", "Leave out `https://`"),
                ("https://", "is a URL", "give the host name alone"),
                ("x.example/api", "holds a path", "`path: /api`"),
                ("x.example:443", "holds a port", "did you mean `x.example`?"),
                ("Payments", "uppercase", "did you mean `payments`?"),
                ("a_b.example", "contains `_`", ""),
                ("", "empty", ""),
            ],
        );
        assert!(hint(ingress_host("https://x.example")).starts_with("did you mean `x.example`? Leave out `https://`"));
    }

    #[test]
    fn ingress_path_strict() {
        let strict = |v: &str| ingress_path(v, IngressPaths::Strict);
        accepts(strict, &["/", "/api", "/api/v1/", "/a_b-c/D9"]);
        rejects(
            strict,
            &[
                ("/api/v1.0", "contains `.`", "did you mean `/api`?"),
                ("/.well-known/acme-challenge", "contains `.`", "did you mean `/`?"),
                ("/static/*", "contains `*`", "did you mean `/static`?"),
                ("/api(/|$)(.*)", "contains `(`", "did you mean `/api`? A path is a prefix, not a pattern"),
                ("/~user", "contains `~`", "did you mean `/`?"),
                ("/team/~user/x", "contains `~`", "did you mean `/team`?"),
                ("/a%20b", "contains `%`", ""),
                ("/schedules:batchDelete", "contains `:`", "did you mean `/`?"),
                ("api", "does not start with `/`", "`/api`"),
                ("/a b", "contains a space", ""),
            ],
        );
        accepts(|v: &str| ingress_path(v, IngressPaths::Any), &["/api/v1.0", "/~user", "/a%20b"]);
        assert!(ingress_path("/a?b", IngressPaths::Any).is_err());
    }
}
