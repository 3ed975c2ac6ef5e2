//! The template context's workload parts: the app's ports, its health checks,
//! its limits, the identity of its process, its rollout and its cron tuning.
//! Each is resolved here (defaults applied, names looked up), so a template only
//! writes what it is given.
//!
//! Load-bearing like the rest of the context: published blueprint versions are
//! written against these names. Add fields; never rename or remove one.

use std::collections::BTreeMap;

use paved_blueprint::Blueprint;
use paved_spec::app::{AppFile, Grpc, PortRef, Probe, ProbeCheck, Protocol, Strategy};
use paved_spec::syntax;
use serde::Serialize;

/// One port of the app's container (and, but for UDP-only uses, of its Service).
#[derive(Debug, Clone, Serialize)]
pub struct PortContext {
    /// The port's name: the main port's is its protocol (`http`, `grpc`, `tcp`), the others' their key in `ports`, a separate metrics port's `metrics`.
    pub name: String,
    /// The container port.
    pub port: u32,
    /// The Service's port for it: `servicePort` for the main port (default: `port`), the container port for the others.
    pub service_port: u32,
    /// `TCP` or `UDP`.
    pub protocol: String,
    /// The Service port's `appProtocol`: `http` or `grpc` for the main port (none for `tcp`), `http` for a metrics port, none for the others.
    pub app_protocol: Option<String>,
    /// The sidecar that listens on it (a metrics port served by a sidecar); none for the app's own container. Write a port into the app's container only when this is none.
    pub sidecar: Option<String>,
}

/// `app.checks`: the health checks, resolved: the app's probe, else the blueprint's default for the main port's protocol; none when `false` or absent.
#[derive(Debug, Serialize)]
pub struct ChecksContext {
    /// `app.checks.liveness`: restart the container when it fails.
    pub liveness: Option<CheckContext>,
    /// `app.checks.readiness`: send traffic only while it succeeds.
    pub readiness: Option<CheckContext>,
    /// `app.checks.startup`: holds the other probes until it succeeds once.
    pub startup: Option<CheckContext>,
}

/// One health check, ready to write as a Kubernetes probe.
#[derive(Debug, Serialize)]
pub struct CheckContext {
    /// `http`, `grpc`, `tcp` or `exec`.
    pub kind: String,
    /// `http`: the path (with its query, if any).
    pub path: Option<String>,
    /// `http`, `tcp`: the name of the port checked (every port paved renders has one).
    pub port_name: Option<String>,
    /// `http`, `grpc`, `tcp`: the number of the port checked (`grpc` takes only a number).
    pub port: Option<u32>,
    /// `grpc`: the service asked about; none for the server as a whole.
    pub service: Option<String>,
    /// `exec`: the command.
    pub command: Option<Vec<String>>,
    /// `http`: headers as Kubernetes lists them, `{name, value}`, sorted by name; empty when none.
    pub headers: Vec<Header>,
    /// Seconds before the first check; none: the blueprint's default.
    pub initial_delay_seconds: Option<u64>,
    /// Seconds between checks; none: the blueprint's default.
    pub period_seconds: Option<u64>,
    /// Seconds a check may take; none: the blueprint's default.
    pub timeout_seconds: Option<u64>,
    /// Failures in a row before the probe fails; none: the blueprint's default.
    pub failure_threshold: Option<u32>,
}

/// One HTTP header of a check.
#[derive(Debug, Serialize)]
pub struct Header {
    /// The header's name.
    pub name: String,
    /// Its value.
    pub value: String,
}

/// `app.run_as`: the pod's user and group (app file `runAs`, default 10001 for both).
#[derive(Debug, Serialize)]
pub struct RunAsContext {
    /// `runAsUser`.
    pub user: u32,
    /// `runAsGroup` and `fsGroup`.
    pub group: u32,
}

/// `app.history`: finished runs a cron job keeps (app file `history`); none: the blueprint's default.
#[derive(Debug, Serialize)]
pub struct HistoryContext {
    /// `successfulJobsHistoryLimit`.
    pub successful: Option<u32>,
    /// `failedJobsHistoryLimit`.
    pub failed: Option<u32>,
}

/// The user and group paved's pods run as unless the app says otherwise.
pub const DEFAULT_ID: u32 = 10001;

/// The main port's protocol: the app's, else the blueprint's default, else `http`.
pub fn protocol(app: &AppFile, blueprint: &Blueprint) -> Protocol {
    app.protocol.or(blueprint.meta.defaults.protocol).unwrap_or(Protocol::Http)
}

/// Every port of the container, in order: the main port, then `ports` by name,
/// then a metrics port that is none of those.
pub fn container_ports(app: &AppFile, protocol: Protocol) -> Vec<PortContext> {
    let mut out = Vec::new();
    if let Some(port) = app.port {
        out.push(PortContext {
            name: protocol.as_str().to_owned(),
            port,
            service_port: app.service_port.unwrap_or(port),
            protocol: "TCP".into(),
            app_protocol: match protocol {
                Protocol::Http => Some("http".into()),
                Protocol::Grpc => Some("grpc".into()),
                Protocol::Tcp => None,
            },
            sidecar: None,
        });
    }
    for (name, spec) in app.ports.iter().flatten() {
        out.push(PortContext {
            name: name.clone(),
            port: spec.port(),
            service_port: spec.port(),
            protocol: spec.protocol().as_str().to_owned(),
            app_protocol: None,
            sidecar: None,
        });
    }
    if let Some(port) = app.metrics.as_ref().and_then(|m| m.port.or(app.port)) {
        if !out.iter().any(|p| p.port == port && p.protocol == "TCP") {
            let sidecar = app.sidecars.iter().flatten().find(|s| s.port == Some(port)).map(|s| s.name.clone());
            out.push(PortContext {
                name: "metrics".into(),
                port,
                service_port: port,
                protocol: "TCP".into(),
                app_protocol: Some("http".into()),
                sidecar,
            });
        }
    }
    out
}

/// The three checks, each the app's probe or else the default for the main port.
pub fn checks(app: &AppFile, blueprint: &Blueprint, protocol: Protocol, ports: &[PortContext]) -> ChecksContext {
    let main = ports.first().filter(|p| p.name == protocol.as_str());
    let defaults = &blueprint.meta.defaults.probes;
    let resolve = |own: Option<&Probe>, default: Option<&Probe>, kind_default: bool| -> Option<CheckContext> {
        match own {
            Some(probe) => check(probe, main, ports),
            // A port that is not HTTP gets a check of its own kind for
            // liveness and readiness; an HTTP one the blueprint's paths.
            None => match (protocol, main) {
                (Protocol::Grpc | Protocol::Tcp, Some(main)) if kind_default => Some(CheckContext {
                    kind: protocol.as_str().to_owned(),
                    port_name: Some(main.name.clone()),
                    port: Some(main.port),
                    ..CheckContext::empty(protocol.as_str())
                }),
                (Protocol::Grpc | Protocol::Tcp, Some(_)) => None,
                _ => default.and_then(|d| check(d, main, ports)),
            },
        }
    };
    let own = app.probes.as_ref();
    ChecksContext {
        liveness: resolve(own.and_then(|p| p.liveness.as_ref()), defaults.liveness.as_ref(), true),
        readiness: resolve(own.and_then(|p| p.readiness.as_ref()), defaults.readiness.as_ref(), true),
        startup: resolve(own.and_then(|p| p.startup.as_ref()), defaults.startup.as_ref(), false),
    }
}

impl CheckContext {
    fn empty(kind: &str) -> CheckContext {
        CheckContext {
            kind: kind.to_owned(),
            path: None,
            port_name: None,
            port: None,
            service: None,
            command: None,
            headers: Vec::new(),
            initial_delay_seconds: None,
            period_seconds: None,
            timeout_seconds: None,
            failure_threshold: None,
        }
    }
}

/// One probe as written, resolved against the app's ports (validation has made
/// sure every name and number is one of them).
fn check(probe: &Probe, main: Option<&PortContext>, ports: &[PortContext]) -> Option<CheckContext> {
    let on = |port: Option<&PortContext>| (port.map(|p| p.name.clone()), port.map(|p| p.port));
    match probe {
        Probe::Off(_) => None,
        Probe::Path(path) => {
            let (port_name, port) = on(main);
            Some(CheckContext { path: Some(path.clone()), port_name, port, ..CheckContext::empty("http") })
        }
        Probe::Check(c) => Some(resolved(c, main, ports)),
    }
}

fn resolved(c: &ProbeCheck, main: Option<&PortContext>, ports: &[PortContext]) -> CheckContext {
    let port = match &c.port {
        Some(PortRef::Number(n)) => ports.iter().find(|p| p.port == *n && p.protocol == "TCP"),
        Some(PortRef::Name(name)) => ports.iter().find(|p| p.name == *name),
        None => main,
    };
    let seconds = |d: &Option<String>| d.as_deref().and_then(|d| syntax::duration(d).ok());
    let kind = match (&c.http, &c.grpc, &c.tcp, &c.exec) {
        (Some(_), ..) => "http",
        (_, Some(_), ..) => "grpc",
        (_, _, Some(_), _) => "tcp",
        _ => "exec",
    };
    let mut out = CheckContext {
        initial_delay_seconds: seconds(&c.initial_delay),
        period_seconds: seconds(&c.period),
        timeout_seconds: seconds(&c.timeout),
        failure_threshold: c.failure_threshold,
        ..CheckContext::empty(kind)
    };
    match kind {
        "exec" => out.command = c.exec.clone(),
        _ => {
            out.port_name = port.map(|p| p.name.clone());
            out.port = port.map(|p| p.port);
        }
    }
    out.path = c.http.clone();
    out.service = match &c.grpc {
        Some(Grpc::Service(name)) => Some(name.clone()),
        _ => None,
    };
    out.headers =
        c.headers.iter().flatten().map(|(name, value)| Header { name: name.clone(), value: value.clone() }).collect();
    out
}

/// The rollout, as Kubernetes names it.
pub fn strategy(app: &AppFile) -> String {
    match app.strategy.unwrap_or(Strategy::Rolling) {
        Strategy::Rolling => "RollingUpdate",
        Strategy::Recreate => "Recreate",
    }
    .to_owned()
}

/// The pod's user and group.
pub fn run_as(app: &AppFile) -> RunAsContext {
    match app.run_as {
        Some(run_as) => RunAsContext { user: run_as.user, group: run_as.group.unwrap_or(run_as.user) },
        None => RunAsContext { user: DEFAULT_ID, group: DEFAULT_ID },
    }
}

/// A duration field in seconds (validation has checked it).
pub fn seconds(value: Option<&String>) -> Option<u64> {
    value.and_then(|v| syntax::duration(v).ok())
}

/// The pod annotations.
pub fn pod_annotations(app: &AppFile) -> BTreeMap<String, String> {
    app.annotations.clone().unwrap_or_default()
}
