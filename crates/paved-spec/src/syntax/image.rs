//! Image references, tags and digests, held to what registries and the
//! container runtime accept, and always naming their registry (a bare `nginx`
//! would silently mean Docker Hub).

use std::net::Ipv6Addr;
use std::str::FromStr;

use paved_jsonschema::quote;

use super::{Issue, Problem, describe_char, did_you_mean_hint, is_space_or_control, parse_port, verdict};

const REGISTRY_HINT: &str = "name the registry explicitly, like `acr.bank.internal/team/app`";

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
    verdict(value, "image tag", tag_issue(value))
}

/// Whether `tag` is `latest` (in any case): a name that moves to every new
/// build, so what runs depends on when a node pulls it. An image pinned by a
/// digest as well runs the digest, whatever its tag says.
pub fn is_latest(tag: &str) -> bool {
    tag.eq_ignore_ascii_case("latest")
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
            Issue::new(format!("it uses the algorithm {}; only `sha256` is supported", quote(algorithm))).hint(FORM),
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

/// Check an image digest: `sha256:` followed by 64 lowercase hex digits.
pub fn image_digest(value: &str) -> Result<(), Problem> {
    verdict(value, "image digest", digest_issue(value))
}

fn looks_like_registry(component: &str) -> bool {
    component.contains(['.', ':']) || component == "localhost"
}

fn registry_issue(domain: &str) -> Option<Issue> {
    let (host_ok, port) = if let Some(rest) = domain.strip_prefix('[') {
        let Some((address, after)) = rest.split_once(']') else {
            return Some(Issue::new("its IPv6 address has no closing `]`"));
        };
        if Ipv6Addr::from_str(address).is_err() {
            return Some(Issue::new(format!("{} is not an IPv6 address", quote(address))));
        }
        if after.is_empty() {
            (true, None)
        } else if let Some(port) = after.strip_prefix(':') {
            (true, Some(port))
        } else {
            return Some(Issue::new(format!("it has {} after the address", quote(after))));
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
    let bad = |reason: &str| Problem::new(format!("{} {reason}", quote(value)));
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
            format!("leave out the scheme: {}", quote(rest))
        } else {
            REGISTRY_HINT.to_string()
        };
        return Err(bad(&format!("starts with {}", quote(&format!("{scheme}://")))).with_hint(hint));
    }

    let (name_and_tag, digest) = match value.split_once('@') {
        Some((name_and_tag, digest)) => (name_and_tag, Some(digest)),
        None => (value, None),
    };
    if let Some(digest) = digest {
        if let Some(issue) = digest_issue(digest) {
            return Err(issue.in_part("digest", digest, value));
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
            return Err(issue.in_part("tag", tag, value));
        }
    }
    let Some((registry, path)) = name.split_once('/') else {
        if looks_like_registry(name) {
            return Err(bad("has no repository after the registry")
                .with_hint(format!("add the repository, like {}", quote(&format!("{name}/team/app")))));
        }
        return Err(bad("does not name a registry").with_hint(REGISTRY_HINT));
    };
    if !looks_like_registry(registry) {
        return Err(bad("does not name a registry").with_hint(REGISTRY_HINT));
    }
    if let Some(issue) = registry_issue(registry) {
        return Err(issue.in_part("registry", registry, value));
    }
    if path.is_empty() {
        return Err(bad("has no repository after the registry")
            .with_hint(format!("add the repository, like {}", quote(&format!("{registry}/team/app")))));
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
        return Err(Problem::new(format!("path component {} in {} is not valid", quote(component), quote(value)))
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::testing::{accepts, rejects};

    const DIGEST: &str = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

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
}
