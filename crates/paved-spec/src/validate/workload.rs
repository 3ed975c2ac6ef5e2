//! The rules of an app's workload settings: its ports and what they speak, its
//! probes, its limits, the identity of its process, its pod annotations and its
//! timings. Each looks at one app's settings (the base, or one environment's
//! merged settings) on the positioned tree.

use std::collections::BTreeMap;

use paved_jsonschema::quote;
use paved_yaml::{Node, NodeKind, Segment};

use super::app::BlueprintRules;
use super::rules::{Rules, int, key, quantity, string, ticked};
use crate::app::Protocol;
use crate::limits::MAX_ANNOTATION_BYTES;
use crate::syntax::{self, Problem};

/// Annotation prefixes an app may not set on its pods: paved's own, and the ones
/// that would loosen the pod's security profile (AppArmor, seccomp), which the
/// blueprint sets and the namespace's Pod Security admission checks.
const REFUSED_ANNOTATIONS: &[(&str, &str)] = &[
    ("paved.io/", "paved sets its own `paved.io/` annotations"),
    ("container.apparmor.security.beta.kubernetes.io/", "it would change the container's AppArmor profile"),
    ("seccomp.security.alpha.kubernetes.io/", "it would change the pod's seccomp profile"),
    ("container.seccomp.security.alpha.kubernetes.io/", "it would change the container's seccomp profile"),
];

/// One port of the app, as probes and `ports` may name it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Port {
    name: String,
    number: i64,
    udp: bool,
}

/// The app's ports: the main port (named by its protocol), the ports of `ports`,
/// and a separate metrics port (named `metrics`), in that order.
fn ports(app: &Node, protocol: Protocol) -> Vec<Port> {
    let mut out = Vec::new();
    if let Some(number) = int(app, "port") {
        out.push(Port { name: protocol.as_str().to_owned(), number, udp: false });
    }
    if let Some(NodeKind::Map(entries)) = app.get("ports").map(|n| &n.kind) {
        for e in entries {
            let (number, udp) = match &e.value.kind {
                NodeKind::Int(n) => (*n, false),
                NodeKind::Map(_) => {
                    let Some(n) = int(&e.value, "port") else { continue };
                    (n, string(&e.value, "protocol").is_some_and(|(p, _)| p == "UDP"))
                }
                _ => continue,
            };
            out.push(Port { name: e.key.clone(), number, udp });
        }
    }
    let metrics = app.get("metrics").and_then(|m| int(m, "port"));
    if let Some(number) = metrics.filter(|n| !out.iter().any(|p| p.number == *n && !p.udp)) {
        out.push(Port { name: "metrics".into(), number, udp: false });
    }
    out
}

/// The main port's protocol in these settings: the app's, else the blueprint's default, else `http`.
pub(super) fn protocol(app: &Node, rules: Option<&BlueprintRules>) -> Protocol {
    match string(app, "protocol").map(|(p, _)| p) {
        Some("grpc") => Protocol::Grpc,
        Some("tcp") => Protocol::Tcp,
        Some(_) => Protocol::Http,
        None => rules.and_then(|r| r.default_protocol).unwrap_or(Protocol::Http),
    }
}

/// Every rule of the workload settings.
pub(super) fn workload_rules(app: &Node, rules: Option<&BlueprintRules>, r: &mut Rules) {
    let protocol = protocol(app, rules);
    let ports = ports(app, protocol);
    port_rules(app, protocol, r);
    if let Some(NodeKind::Map(entries)) = app.get("probes").map(|n| &n.kind) {
        for e in entries {
            probe_rules(&e.value, vec![key("probes"), key(&e.key)], protocol, &ports, r);
        }
    }
    if let Some(limits) = app.get("resources").and_then(|r| r.get("limits")) {
        limit_rules(app, limits, rules, r);
    }
    if let Some(run_as) = app.get("runAs") {
        for field in ["user", "group"] {
            if int(run_as, field) == Some(0) {
                r.fail(
                    vec![key("runAs"), key(field)],
                    false,
                    format!("{field} 0 is root"),
                    Some("run as an unprivileged user, such as `10001`; the namespace's Pod Security admission refuses root pods".into()),
                );
            }
        }
    }
    annotation_rules(app, r);
    if let Some((text, _)) = string(app, "terminationGracePeriod") {
        let check = syntax::duration(text).and_then(|s| match s {
            0 => Err(Problem::new("a grace period of `0s` kills the pod without warning")
                .with_hint("give the app time to finish its requests, such as `30s`")),
            _ => Ok(()),
        });
        r.check(vec![key("terminationGracePeriod")], check);
    }
    if let Some((text, _)) = string(app, "deadline") {
        let check = syntax::duration(text).and_then(|s| match s {
            0 => Err(Problem::new("a deadline of `0s` stops every run at once")
                .with_hint("give a run the time it needs, such as `30m`")),
            _ => Ok(()),
        });
        r.check(vec![key("deadline")], check);
    }
    if let Some(replicas) = app.get("replicas") {
        if let (Some(min), Some(max), Some(_)) = (int(replicas, "min"), int(replicas, "max"), int(replicas, "cpu")) {
            if min == max {
                r.fail(
                    vec![key("replicas"), key("cpu")],
                    true,
                    format!(
                        "`cpu` sets the autoscaler's target, and `min` equals `max` ({min}): there is no autoscaler"
                    ),
                    Some("give a range, such as `{min: 2, max: 6, cpu: 60}`, or remove `cpu`".into()),
                );
            }
        }
    }
    if app.get("ingress").is_some() && app.get("port").is_some() && protocol != Protocol::Http {
        r.fail(
            vec![key("ingress")],
            true,
            format!("an ingress routes HTTP, and the main port speaks `{}`", protocol.as_str()),
            Some("set `protocol: http`, or remove `ingress`".into()),
        );
    }
}

/// `protocol`, `ports` and `servicePort`: names, numbers, and a Service whose ports differ.
fn port_rules(app: &Node, protocol: Protocol, r: &mut Rules) {
    let has_port = app.get("port").is_some();
    for field in ["protocol", "servicePort"] {
        if app.get(field).is_some() && !has_port {
            r.fail(
                vec![key(field)],
                true,
                format!("`{field}` is about the main port, and the app has no `port`"),
                Some("add `port`, or remove this field".into()),
            );
        }
    }
    let main = int(app, "port");
    let mut taken: BTreeMap<(i64, bool), String> = BTreeMap::new();
    if let Some(port) = main {
        taken.insert((port, false), format!("`port` ({})", protocol.as_str()));
    }
    // The Service's port numbers: the main one at `servicePort`, the others at their own.
    let mut service: BTreeMap<(i64, bool), String> = BTreeMap::new();
    if let Some(port) = int(app, "servicePort").or(main) {
        service.insert((port, false), "`servicePort`".into());
    }
    let metrics_port = app.get("metrics").and_then(|m| int(m, "port"));
    let Some(NodeKind::Map(entries)) = app.get("ports").map(|n| &n.kind) else { return };
    for e in entries {
        let at = vec![key("ports"), key(&e.key)];
        if let Err(p) = syntax::port_name(&e.key) {
            r.fail(at.clone(), true, p.message, p.hint);
        }
        if has_port && e.key == protocol.as_str() {
            r.fail(
                at.clone(),
                true,
                format!("`{}` names the main port (`protocol: {}`)", e.key, protocol.as_str()),
                Some("give this port another name, such as `admin`".into()),
            );
        }
        let (number, udp) = match &e.value.kind {
            NodeKind::Int(n) => (*n, false),
            NodeKind::Map(_) => match int(&e.value, "port") {
                Some(n) => (n, string(&e.value, "protocol").is_some_and(|(p, _)| p == "UDP")),
                None => continue,
            },
            _ => continue,
        };
        if e.key == "metrics" && metrics_port.is_some_and(|m| m != number) {
            r.fail(
                at.clone(),
                true,
                "`metrics` names the metrics port, and `metrics.port` is another number".into(),
                Some("give this port another name, or make `metrics.port` its number".into()),
            );
        }
        let name = format!("`ports.{}`", e.key);
        if let Some(first) = taken.insert((number, udp), name.clone()) {
            r.fail(
                at.clone(),
                false,
                format!("port {number} is also {first}"),
                Some("each port has one name; remove one of them".into()),
            );
        } else if let Some(first) = service.insert((number, udp), name) {
            r.fail(
                at,
                false,
                format!("the Service would use port {number} twice: here and for {first}"),
                Some("choose another `servicePort`, or another number here".into()),
            );
        }
    }
}

/// One probe: a path, `false`, or a mapping of exactly one check.
fn probe_rules(probe: &Node, at: Vec<Segment>, protocol: Protocol, ports: &[Port], r: &mut Rules) {
    let main_port = ports.first().filter(|p| p.name == protocol.as_str());
    match &probe.kind {
        NodeKind::String(path) => {
            // Probes may carry a query (`/_cluster/health?local=true`).
            let without_query = path.split_once('?').map(|(p, _)| p).unwrap_or(path);
            r.check(at.clone(), syntax::http_path(without_query));
            match main_port {
                None => r.fail(
                    at,
                    false,
                    format!("{} is an HTTP check of the main port, and the app has none", quote(path)),
                    Some(format!(
                        "check a port of the app, such as `{{http: {path}, port: metrics}}`, or run a command, `{{exec: [...]}}`"
                    )),
                ),
                // A path is an HTTP GET of the main port, whatever it speaks (as
                // before `protocol` existed); only a gRPC port never answers one.
                Some(_) if protocol == Protocol::Grpc => r.fail(
                    at,
                    false,
                    format!("{} is an HTTP check, and the main port speaks `{}`", quote(path), protocol.as_str()),
                    Some(format!(
                        "use `{{{}: true}}`, or `{{http: {path}, port: NAME}}` on a port that speaks HTTP",
                        protocol.as_str()
                    )),
                ),
                Some(_) => {}
            }
        }
        NodeKind::Map(_) => check_rules(probe, at, ports, main_port, r),
        _ => {}
    }
}

/// A probe written as a mapping.
///
/// A check of another kind than the main port's `protocol` is allowed on it (a
/// gRPC server with an HTTP health endpoint on the same port is rare but real).
fn check_rules(probe: &Node, at: Vec<Segment>, ports: &[Port], main_port: Option<&Port>, r: &mut Rules) {
    let path = |field: &str| at.iter().cloned().chain([key(field)]).collect::<Vec<_>>();
    let kinds: Vec<&str> = ["http", "grpc", "tcp", "exec"].into_iter().filter(|k| probe.get(k).is_some()).collect();
    match kinds.as_slice() {
        [] => r.fail(
            at.clone(),
            false,
            "the probe checks nothing: it has none of `http`, `grpc`, `tcp`, `exec`".into(),
            Some("give one, such as `{http: /healthz}`, `{grpc: true}`, `{tcp: true}` or `{exec: [cmd]}`; `false` turns the probe off".into()),
        ),
        [_] => {}
        [first, second, ..] => r.fail(
            path(second),
            true,
            format!("the probe has two checks, `{first}` and `{second}`"),
            Some("a probe runs one check; keep one of them".into()),
        ),
    }
    if let Some((http, _)) = string(probe, "http") {
        let without_query = http.split_once('?').map(|(p, _)| p).unwrap_or(http);
        r.check(path("http"), syntax::http_path(without_query));
    }
    for field in ["grpc", "tcp"] {
        if matches!(probe.get(field).map(|n| &n.kind), Some(NodeKind::Bool(false))) {
            r.fail(
                path(field),
                false,
                format!("`{field}: false` checks nothing"),
                Some(format!("write `{field}: true`, or `false` in place of the whole probe to turn it off")),
            );
        }
    }
    if let Some((service, _)) = string(probe, "grpc") {
        if service.is_empty() || service.chars().any(|c| c.is_whitespace() || c.is_control()) {
            r.fail(
                path("grpc"),
                false,
                format!("{} is not a gRPC service name", quote(service)),
                Some(
                    "name the service, such as `payments.v1.Payments`, or write `grpc: true` for the whole server"
                        .into(),
                ),
            );
        }
    }
    if let Some(NodeKind::Seq(argv)) = probe.get("exec").map(|n| &n.kind) {
        if argv.first().is_some_and(|a| matches!(&a.kind, NodeKind::String(s) if s.trim().is_empty())) {
            r.fail(
                path("exec"),
                false,
                "the command is empty".into(),
                Some("name the program, such as `[pg_isready]`".into()),
            );
        }
    }
    let kind = kinds.first().copied();
    let port = probe.get("port");
    match (kind, port) {
        (Some("exec"), Some(_)) => r.fail(
            path("port"),
            true,
            "an `exec` check runs a command in the container and has no port".into(),
            Some("remove `port`".into()),
        ),
        (Some("http" | "grpc" | "tcp"), Some(port)) => {
            let found = match &port.kind {
                NodeKind::Int(n) => ports.iter().find(|p| p.number == *n && !p.udp),
                NodeKind::String(name) => ports.iter().find(|p| p.name == *name),
                _ => None,
            };
            match found {
                Some(p) if p.udp => r.fail(
                    path("port"),
                    false,
                    format!("`{}` is a UDP port, and probes check over TCP", p.name),
                    Some("check a TCP port of the app, or run a command, `{exec: [...]}`".into()),
                ),
                Some(_) => {}
                None => {
                    let known: Vec<String> =
                        ports.iter().filter(|p| !p.udp).map(|p| format!("{} ({})", p.name, p.number)).collect();
                    let shown = match &port.kind {
                        NodeKind::Int(n) => n.to_string(),
                        NodeKind::String(s) => s.clone(),
                        _ => String::new(),
                    };
                    r.fail(
                        path("port"),
                        false,
                        format!("{} is not a port of the app", quote(&shown)),
                        Some(match known.is_empty() {
                            true => {
                                "the app declares no TCP port to check; run a command instead, `{exec: [...]}`".into()
                            }
                            false => format!(
                                "the app's TCP ports are {}",
                                ticked(&known.iter().map(String::as_str).collect::<Vec<_>>())
                            ),
                        }),
                    );
                }
            }
        }
        (Some(kind @ ("http" | "grpc" | "tcp")), None) if main_port.is_none() => r.fail(
            path(kind),
            true,
            format!("`{kind}` checks a port, and the app has no `port`"),
            Some(match ports.iter().find(|p| !p.udp) {
                Some(p) => {
                    format!("name the port to check, such as `port: {}`, or run a command, `{{exec: [...]}}`", p.name)
                }
                None => "run a command instead, such as `{exec: [/app/healthcheck]}`".into(),
            }),
        ),
        _ => {}
    }
    if probe.get("headers").is_some() && kind.is_some_and(|k| k != "http") {
        r.fail(
            path("headers"),
            true,
            format!("`headers` go with an `http` check, and this probe is `{}`", kind.unwrap_or_default()),
            Some("remove `headers`".into()),
        );
    }
    if let Some(NodeKind::Map(headers)) = probe.get("headers").map(|n| &n.kind) {
        for h in headers {
            if let Err(p) = syntax::header_name(&h.key) {
                r.fail(path("headers").into_iter().chain([key(&h.key)]).collect(), true, p.message, p.hint);
            }
        }
    }
    for (field, least) in [("initialDelay", 0), ("period", 1), ("timeout", 1)] {
        if let Some((text, _)) = string(probe, field) {
            let check = syntax::duration(text).and_then(|s| match s < least {
                true => Err(Problem::new(format!("`{field}` of {} is shorter than a second", quote(text)))
                    .with_hint("write at least `1s`")),
                false => Ok(()),
            });
            r.check(path(field), check);
        }
    }
}

/// `resources.limits`: valid quantities, and never below the request.
fn limit_rules(app: &Node, limits: &Node, rules: Option<&BlueprintRules>, r: &mut Rules) {
    let request = |field: &str| {
        app.get("resources").and_then(|res| quantity(res, field)).or_else(|| {
            rules.and_then(|b| b.default_requests.as_ref()).map(|(cpu, memory)| match field {
                "cpu" => cpu.clone(),
                _ => memory.clone(),
            })
        })
    };
    for field in ["cpu", "memory"] {
        let Some(limit) = quantity(limits, field) else { continue };
        let at = vec![key("resources"), key("limits"), key(field)];
        let syntax = match field {
            "cpu" => syntax::cpu_quantity(&limit),
            _ => syntax::container_memory(&limit),
        };
        if syntax.is_err() {
            r.check(at, syntax);
            continue;
        }
        let Some(request) = request(field) else { continue };
        if let (Some(l), Some(q)) = (syntax::quantity_magnitude(&limit), syntax::quantity_magnitude(&request)) {
            if l < q {
                r.fail(
                    at,
                    false,
                    format!("the {field} limit {} is below the {field} request {}", quote(&limit), quote(&request)),
                    Some(format!("raise the limit to at least {}, or lower `resources.{field}`", quote(&request))),
                );
            }
        }
    }
}

/// Pod annotations: valid keys, none of paved's or the security profile's, bounded in size.
fn annotation_rules(app: &Node, r: &mut Rules) {
    let Some(NodeKind::Map(entries)) = app.get("annotations").map(|n| &n.kind) else { return };
    let mut total = 0;
    for e in entries {
        let at = vec![key("annotations"), key(&e.key)];
        total += e.key.len() + if let NodeKind::String(v) = &e.value.kind { v.len() } else { 0 };
        if let Err(p) = syntax::annotation_key(&e.key) {
            r.fail(at, true, p.message, p.hint);
            continue;
        }
        if let Some((prefix, why)) = REFUSED_ANNOTATIONS.iter().find(|(prefix, _)| e.key.starts_with(prefix)) {
            r.fail(
                at,
                true,
                format!("{} is not an annotation an app may set: {why}", quote(&e.key)),
                Some(match *prefix {
                    "paved.io/" => "remove it; choose a key under your own domain".to_owned(),
                    _ => "remove it: every paved pod runs with the `RuntimeDefault` profile the platform requires"
                        .to_owned(),
                }),
            );
        }
    }
    if total > MAX_ANNOTATION_BYTES {
        r.fail(
            vec![key("annotations")],
            true,
            format!("the annotations hold {total} bytes, more than the {MAX_ANNOTATION_BYTES} the API server accepts"),
            Some("annotations are for short settings; put data in a ConfigMap".into()),
        );
    }
}
