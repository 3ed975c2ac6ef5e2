//! `calls` and `calledBy` entries: which apps, hosts and address ranges an app
//! talks to, and who may talk to it. The network policies are made from these.

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::str::FromStr;

use ipnet::IpNet;
use paved_jsonschema::quote;

use super::names::{label_issue, subdomain_issue, subdomain_ok, subdomain_suggestion};
use super::{Problem, describe_char, did_you_mean_hint, is_space_or_control, parse_port};

const CALL_FORMS_HINT: &str = "use `app`, `team/app`, `https://host[:port]` or `CIDR:port`";
const CALLER_FORMS_HINT: &str = "use `app`, `team/app` or `team/*`";

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

/// Check one DNS-label part (`what`, like "team name") of `value`.
fn label_part(value: &str, part: &str, what: &str, forms: &str) -> Result<(), Problem> {
    if part.is_empty() {
        return Err(Problem::new(format!("{} has no {what}", quote(value))).with_hint(forms));
    }
    match label_issue(part, 63) {
        None => Ok(()),
        Some(issue) if part == value => {
            Err(Problem::new(format!("{} is not a valid {what}: {}", quote(value), issue.reason))
                .with_opt_hint(issue.hint))
        }
        Some(issue) => Err(issue.in_part(what, part, value)),
    }
}

fn prefix_len(text: &str, max: u8) -> Option<u8> {
    if text.is_empty() || text.len() > 3 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse::<u8>().ok().filter(|len| *len <= max)
}

/// What differs between IPv4 and IPv6 ranges in `calls`: how a range is
/// written (IPv6 in brackets, so its colons are not taken for the port's) and
/// the prefix bounds. Everything else is [`range_call`], once.
#[derive(Debug)]
struct Family {
    name: &'static str,
    /// The longest prefix, a single address.
    max_len: u8,
    /// A valid range of this family with a port, for hints.
    example: &'static str,
    /// The hint for an address that does not parse.
    address_hint: &'static str,
    bracketed: bool,
}

const IPV6_HINT: &str = "write IPv6 ranges in brackets with a port, like `[fd00::/64]:443`";

const IPV4: Family = Family {
    name: "IPv4",
    max_len: 32,
    example: "`10.20.0.0/16:5432`",
    address_hint: "write an address range like `10.20.0.0/16:5432`",
    bracketed: false,
};

const IPV6: Family =
    Family { name: "IPv6", max_len: 128, example: "`[fd00::/64]:443`", address_hint: IPV6_HINT, bracketed: true };

impl Family {
    /// `range:port` as this family writes it.
    fn written(&self, range: &str, port: impl fmt::Display) -> String {
        if self.bracketed { format!("[{range}]:{port}") } else { format!("{range}:{port}") }
    }

    fn address(&self, text: &str) -> Option<IpAddr> {
        if self.bracketed {
            Ipv6Addr::from_str(text).ok().map(IpAddr::V6)
        } else {
            Ipv4Addr::from_str(text).ok().map(IpAddr::V4)
        }
    }
}

/// `10.20.0.0/16:5432`.
fn ipv4_call(value: &str) -> Result<Call, Problem> {
    let Some((range, port_text)) = value.rsplit_once(':') else {
        let example = if value.contains('/') { format!("{value}:443") } else { format!("{value}/32:443") };
        return Err(Problem::new(format!("{} has no port", quote(value)))
            .with_hint(format!("add the port, like {}", quote(&example))));
    };
    range_call(value, &IPV4, range, port_text)
}

/// `[fd00::/64]:443`.
fn ipv6_call(value: &str) -> Result<Call, Problem> {
    let bad = |reason: &str| Problem::new(format!("{} {reason}", quote(value)));
    let rest = value.strip_prefix('[').unwrap_or(value);
    let Some((inner, after)) = rest.split_once(']') else {
        return Err(bad("has no closing `]`").with_hint(IPV6_HINT));
    };
    let Some(port_text) = after.strip_prefix(':') else {
        if after.is_empty() {
            return Err(
                bad("has no port").with_hint(format!("add the port, like {}", quote(&format!("[{inner}]:443"))))
            );
        }
        if let Some((len, port)) = after.strip_prefix('/').and_then(|a| a.split_once(':')) {
            return Err(bad("has the prefix length outside the brackets")
                .with_hint(did_you_mean_hint(&format!("[{inner}/{len}]:{port}"))));
        }
        return Err(bad(&format!("has {} after `]`", quote(after))).with_hint(IPV6_HINT));
    };
    range_call(value, &IPV6, inner, port_text)
}

/// The address range `range` and port `port_text` of the call `value`: a
/// network address (no host bits set) and a prefix length, normalised.
fn range_call(value: &str, family: &Family, range: &str, port_text: &str) -> Result<Call, Problem> {
    let bad = |reason: &str| Problem::new(format!("{} {reason}", quote(value)));
    let max_len = family.max_len;
    let Some((address_text, len_text)) = range.split_once('/') else {
        let single = family.written(&format!("{range}/{max_len}"), port_text);
        return Err(bad("has no prefix length")
            .with_hint(format!("for a single address add `/{max_len}`, like {}", quote(&single))));
    };
    let address = match family.address(address_text) {
        Some(address) => address,
        None if family.bracketed && Ipv4Addr::from_str(address_text).is_ok() => {
            return Err(
                bad("puts an IPv4 range in brackets").with_hint(did_you_mean_hint(&format!("{range}:{port_text}")))
            );
        }
        None => {
            return Err(bad(&format!("has the invalid {} address {}", family.name, quote(address_text)))
                .with_hint(family.address_hint));
        }
    };
    let invalid_len = || {
        bad(&format!("has the invalid prefix length {}", quote(len_text)))
            .with_hint(format!("use a prefix length from 0 to {max_len}, like {}", family.example))
    };
    let len = prefix_len(len_text, max_len).ok_or_else(invalid_len)?;
    let port = parse_port(port_text)
        .map_err(|issue| Problem::new(format!("{}: {}", quote(value), issue.reason)).with_opt_hint(issue.hint))?;
    let network = IpNet::new(address, len).map_err(|_| invalid_len())?.trunc();
    if network.addr() != address {
        return Err(bad(&format!("has host bits set in {}", quote(range))).with_hint(format!(
            "did you mean {}? For the single address use {}",
            quote(&family.written(&network.to_string(), port)),
            quote(&family.written(&format!("{address}/{max_len}"), port))
        )));
    }
    Ok(Call::Cidr { cidr: network.to_string(), port })
}

fn fqdn_call(value: &str, rest: &str) -> Result<Call, Problem> {
    let bad = |reason: &str| Problem::new(format!("{} {reason}", quote(value)));
    let host_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (host_port, path) = rest.split_at(host_end);
    if host_port.is_empty() {
        return Err(bad("has no host").with_hint("name the host, like `https://api.example.com`"));
    }
    if !path.is_empty() {
        return Err(bad("has a path")
            .with_hint(format!("calls are allowed per host: use {}", quote(&format!("https://{host_port}")))));
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
            let port = parse_port(port_text).map_err(|issue| {
                Problem::new(format!("{}: {}", quote(value), issue.reason)).with_opt_hint(issue.hint)
            })?;
            (host, port)
        }
        None => (host_port, 443),
    };
    let port_suffix = if port == 443 { String::new() } else { format!(":{port}") };
    if Ipv4Addr::from_str(host).is_ok() {
        return Err(bad("names an IP address instead of a host").with_hint(format!(
            "use an address range with a port for IP addresses, like {}",
            quote(&format!("{host}/32:{port}"))
        )));
    }
    if let Some(issue) = subdomain_issue(host) {
        let suggestion = subdomain_suggestion(&host.to_ascii_lowercase()).or_else(|| {
            let lower = host.to_ascii_lowercase();
            subdomain_ok(&lower).then_some(lower)
        });
        let issue = match suggestion {
            Some(fixed) if fixed.contains('.') && !host.contains('*') => {
                issue.hint(did_you_mean_hint(&format!("https://{fixed}{port_suffix}")))
            }
            _ => issue,
        };
        return Err(issue.in_part("host", host, value));
    }
    if !host.contains('.') {
        return Err(bad("names a host without a domain").with_hint(format!(
            "for an app in the cluster write {}; an external host needs its full name, like `https://api.example.com`",
            quote(host)
        )));
    }
    Ok(Call::Fqdn { host: host.to_string(), port })
}

/// The team and app a cluster-internal host name names, as Kubernetes writes a
/// Service's name: `app.namespace`, `app.namespace.svc` or
/// `app.namespace.svc.cluster.local` (any port). The last is whether the name
/// can only be a Service's (`.svc`); `app.team` could also be a public host.
fn service_name(host_port: &str) -> Option<(&str, &str, bool)> {
    let host = match host_port.rsplit_once(':') {
        Some((host, port)) if port.bytes().all(|b| b.is_ascii_digit()) => host,
        _ => host_port,
    };
    let host = host.strip_suffix('.').unwrap_or(host);
    let (name, sure) = match host.strip_suffix(".svc.cluster.local").or_else(|| host.strip_suffix(".svc")) {
        Some(name) => (name, true),
        None => (host, false),
    };
    let (app, team) = name.split_once('.')?;
    (label_issue(app, 63).is_none() && label_issue(team, 63).is_none()).then_some((team, app, sure))
}

fn surely_in_cluster(host_port: &str) -> bool {
    service_name(host_port).is_some_and(|(_, _, sure)| sure)
}

/// The problem of a call written as the URL of a Service in the cluster
/// (`http://app.team`, `app.team.svc:8080`): apps in the cluster are called as
/// `team/app`, and the policies open the port the callee serves on.
fn in_cluster_problem(value: &str, host_port: &str) -> Option<Problem> {
    let (team, app, sure) = service_name(host_port)?;
    let call = quote(&format!("{team}/{app}"));
    Some(match sure {
        true => Problem::new(format!("{} names a Service in the cluster by its address", quote(value)))
            .with_hint(format!("did you mean {call}? An app in the cluster is called as `team/app`, and its port is opened for you")),
        false => Problem::new(format!("{} is not a call target", quote(value))).with_hint(format!(
            "for the app `{app}` of team `{team}` write {call}; for an external host write {} (calls leave the cluster over HTTPS)",
            quote(&format!("https://{}", host_port.split(':').next().unwrap_or(host_port)))
        )),
    })
}

/// Check and parse one entry of `calls`: `app`, `team/app` (DNS labels),
/// `https://host[:port]` (a DNS name with at least one dot; port 443 by default), an IPv4
/// range `10.20.0.0/16:5432` or an IPv6 range `[fd00::/64]:443`.
///
/// Plain `http://` is rejected; so are paths after the host, IP addresses as hosts and
/// ranges with host bits set (the hint gives the network).
pub fn call(value: &str) -> Result<Call, Problem> {
    let bad = |reason: &str| Problem::new(format!("{} {reason}", quote(value)));
    if value.is_empty() {
        return Err(Problem::new("call target is empty").with_hint(CALL_FORMS_HINT));
    }
    if let Some(c) = value.chars().find(|c| is_space_or_control(*c)) {
        return Err(bad(&format!("contains {}", describe_char(c))).with_hint(CALL_FORMS_HINT));
    }
    if let Some((scheme, rest)) = value.split_once("://") {
        if scheme.eq_ignore_ascii_case("https") {
            let host_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
            let host_port = rest.get(..host_end).unwrap_or(rest);
            if let Some(problem) = in_cluster_problem(value, host_port).filter(|_| surely_in_cluster(host_port)) {
                return Err(problem);
            }
            return fqdn_call(value, rest);
        }
        if scheme.eq_ignore_ascii_case("http") {
            let host_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
            let host_port = rest.get(..host_end).unwrap_or(rest);
            if let Some(problem) = in_cluster_problem(value, host_port) {
                return Err(problem);
            }
            let host_port = host_port.strip_suffix(":80").unwrap_or(host_port);
            let hint = if host_port.is_empty() || host_port.contains("://") {
                "use `https://host[:port]`: calls to external hosts must use HTTPS".to_string()
            } else {
                format!(
                    "use {} instead: calls to external hosts must use HTTPS",
                    quote(&format!("https://{host_port}"))
                )
            };
            return Err(bad("uses plain HTTP").with_hint(hint));
        }
        return Err(bad(&format!("uses the unsupported scheme {}", quote(scheme)))
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
            return Err(bad("is not a valid call target").with_hint(IPV6_HINT));
        }
        if address.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
            return ipv4_call(value);
        }
        if let Some(problem) = in_cluster_problem(value, value).filter(|_| surely_in_cluster(value)) {
            return Err(problem);
        }
        let candidate = format!("https://{value}");
        let hint = if fqdn_call(&candidate, value).is_ok() {
            format!("for an external host write {}", quote(&candidate))
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
    let bad = |reason: &str| Problem::new(format!("{} {reason}", quote(value)));
    let parts: Vec<&str> = value.split('/').collect();
    match parts.as_slice() {
        [app] => {
            label_part(value, app, "app name", FORMS)?;
            Ok(Call::App { app: app.to_string() })
        }
        [team, "*"] => Err(bad("names a whole team").with_hint(format!(
            "a call names one app: list each app you call, like {}",
            quote(&format!("{team}/app"))
        ))),
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
    let bad = |reason: &str| Problem::new(format!("{} {reason}", quote(value)));
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
    let bad = |reason: &str| Problem::new(format!("{} {reason}", quote(value)));
    let parts: Vec<&str> = value.split('/').collect();
    match parts.as_slice() {
        [app] => {
            label_part(value, app, "app name", FORMS)?;
            Ok(Caller::App { app: app.to_string() })
        }
        ["*", app] => {
            Err(bad("does not name a team")
                .with_hint(format!("name the team, like {}", quote(&format!("payments/{app}")))))
        }
        [team, "*"] => {
            label_part(value, team, "team name", FORMS)?;
            Ok(Caller::Team { team: team.to_string() })
        }
        [team, app] => {
            label_part(value, team, "team name", FORMS)?;
            if app.contains('*') {
                return Err(bad("uses `*` inside an app name")
                    .with_hint(format!("`*` stands for a whole team: write {}", quote(&format!("{team}/*")))));
            }
            label_part(value, app, "app name", FORMS)?;
            Ok(Caller::TeamApp { team: team.to_string(), app: app.to_string() })
        }
        _ => Err(bad("has more than one `/`").with_hint(CALLER_FORMS_HINT)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::testing::{hint, rejects};

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
                ("http://app.team", "not a call target", "write `team/app`"),
                (
                    "http://app.team:8080/x",
                    "not a call target",
                    "write `team/app`; for an external host write `https://app.team`",
                ),
                (
                    "http://ledger.payments.svc.cluster.local",
                    "a Service in the cluster",
                    "did you mean `payments/ledger`?",
                ),
                ("https://ledger.payments.svc:8443", "a Service in the cluster", "did you mean `payments/ledger`?"),
                ("ledger.payments.svc.cluster.local", "a Service in the cluster", "did you mean `payments/ledger`?"),
                ("ledger.payments", "without `https://`", "`https://ledger.payments`"),
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
}
