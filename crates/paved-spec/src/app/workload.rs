//! The app file's workload settings beyond the five lines: the ports and what
//! they speak, the probes, the identity of the process, the rollout and the
//! cron job's tuning.
//!
//! The names follow what app authors already know: `protocol` and `ports` as in
//! Score and the bjw-s app-template chart, probes as Kubernetes names them but
//! with durations (`5s`) instead of `…Seconds` integers, as NAIS writes them.

use std::borrow::Cow;
use std::collections::BTreeMap;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// What the main port speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Protocol {
    /// HTTP/1.1 or HTTP/2 (the port is named `http`, `appProtocol: http`).
    Http,
    /// gRPC (the port is named `grpc`, `appProtocol: grpc`); probes use the gRPC health service.
    Grpc,
    /// Any other TCP protocol, such as a database's (the port is named `tcp`); probes connect.
    Tcp,
}

impl Protocol {
    /// The main port's name, and how the protocol is written in the app file.
    pub fn as_str(self) -> &'static str {
        match self {
            Protocol::Http => "http",
            Protocol::Grpc => "grpc",
            Protocol::Tcp => "tcp",
        }
    }
}

/// One more port: its number, or `{port, protocol}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum PortSpec {
    /// A TCP port (1–65535).
    Number(#[schemars(range(min = 1, max = 65535))] u32),
    /// A port with its transport protocol.
    Full(PortNumber),
}

/// A port with its transport protocol.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PortNumber {
    /// The container port (1–65535).
    #[schemars(range(min = 1, max = 65535))]
    pub port: u32,
    /// `TCP` or `UDP`. Default: `TCP`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("default" = "TCP"))]
    pub protocol: Option<PortProtocol>,
}

/// A port's transport protocol, as Kubernetes writes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema)]
pub enum PortProtocol {
    /// TCP.
    #[serde(rename = "TCP")]
    Tcp,
    /// UDP.
    #[serde(rename = "UDP")]
    Udp,
}

impl PortProtocol {
    /// As Kubernetes and the network policies write it.
    pub fn as_str(self) -> &'static str {
        match self {
            PortProtocol::Tcp => "TCP",
            PortProtocol::Udp => "UDP",
        }
    }
}

impl PortSpec {
    /// The port number.
    pub fn port(self) -> u32 {
        match self {
            PortSpec::Number(port) => port,
            PortSpec::Full(full) => full.port,
        }
    }

    /// The transport protocol (TCP unless said).
    pub fn protocol(self) -> PortProtocol {
        match self {
            PortSpec::Number(_) => PortProtocol::Tcp,
            PortSpec::Full(full) => full.protocol.unwrap_or(PortProtocol::Tcp),
        }
    }
}

/// One probe: an HTTP path on the main port, a mapping of one check, or `false`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum Probe {
    /// An HTTP GET of this path on the main port, such as `/healthz` (a query is allowed).
    Path(String),
    /// `false`: no such probe, even where the blueprint has one by default.
    Off(Off),
    /// One check and its timings.
    Check(Box<ProbeCheck>),
}

/// `false`, the only value that turns a probe off (`true` would mean nothing).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Off;

impl Serialize for Off {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_bool(false)
    }
}

impl<'de> Deserialize<'de> for Off {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Off, D::Error> {
        match bool::deserialize(deserializer)? {
            false => Ok(Off),
            true => Err(serde::de::Error::custom("`true` is not a probe; write a path, a mapping, or `false`")),
        }
    }
}

impl JsonSchema for Off {
    fn schema_name() -> Cow<'static, str> {
        "Off".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "`false`: no such probe, even where the blueprint has one by default.",
            "const": false,
        })
    }
}

/// One check of a probe: exactly one of `http`, `grpc`, `tcp` and `exec`, and optionally its port and timings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ProbeCheck {
    /// An HTTP GET of this path (a query is allowed); the probe passes on a 2xx or 3xx answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub http: Option<String>,
    /// The gRPC health service (`grpc.health.v1.Health/Check`): `true` for the server as a whole, or the name of the service to ask about.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grpc: Option<Grpc>,
    /// `true`: the probe passes when a TCP connection opens.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tcp: Option<bool>,
    /// A command run in the container, such as `[pg_isready, -U, app]`; the probe passes when it exits 0. No shell runs it: write `[sh, -c, "…"]` for one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1))]
    pub exec: Option<Vec<String>>,
    /// The port checked (`http`, `grpc`, `tcp`): a name or number of one of this app's ports (`port`, `ports`, `metrics.port`). Default: the main port.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub port: Option<PortRef>,
    /// HTTP headers sent with an `http` check, name to value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub headers: Option<BTreeMap<String, String>>,
    /// Time after the container starts before the first check, as a duration (`10s`). Default: 0 (a startup probe is the better way to wait for a slow start).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub initial_delay: Option<String>,
    /// Time between checks, as a duration (`10s`). Default: the blueprint's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub period: Option<String>,
    /// Time a check may take before it counts as failed, as a duration (`1s`). Default: 1s.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout: Option<String>,
    /// Failed checks in a row before the probe fails (1–100). Default: the blueprint's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1, max = 100))]
    pub failure_threshold: Option<u32>,
}

/// The gRPC health check: the whole server, or one service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum Grpc {
    /// `true`: the server as a whole (the empty service name).
    Server(bool),
    /// The service to check, such as `payments.v1.Payments`.
    Service(String),
}

/// A port of the app, by name (`http`, `admin`, `metrics`) or number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum PortRef {
    /// A port number.
    Number(#[schemars(range(min = 1, max = 65535))] u32),
    /// A port name.
    Name(String),
}

/// The identity of the pod's processes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RunAs {
    /// The user ID (`runAsUser`). Never 0.
    #[schemars(range(max = 2147483647))]
    pub user: u32,
    /// The group ID (`runAsGroup`, and `fsGroup`, which owns the volumes). Never 0. Default: the same number as `user`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(max = 2147483647))]
    pub group: Option<u32>,
}

/// How a new version replaces the running pods.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Strategy {
    /// New pods start, and old ones stop as the new ones are ready (Kubernetes `RollingUpdate`, with no pod down before its replacement is ready).
    Rolling,
    /// Every old pod stops before the first new one starts (Kubernetes `Recreate`): a short outage, never two versions at once.
    Recreate,
}

/// How many finished runs are kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct History {
    /// Runs that succeeded (0–100). Default: 3.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0, max = 100))]
    pub successful: Option<u32>,
    /// Runs that failed (0–100). Default: 3.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0, max = 100))]
    pub failed: Option<u32>,
}
