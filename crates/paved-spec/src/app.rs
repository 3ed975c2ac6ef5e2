//! The app file: one service, in a few lines, and how it differs per environment.
//!
//! These types are the single source of the app file's shape. Their doc comments
//! become the descriptions in `schemas/app.schema.json` (what editors show on
//! hover and what `paved explain` prints), so they are written for app authors.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::schema::{SchemaKind, field_names};

/// An app file (`app.yaml`): one service, the blueprint it follows, and what differs per environment.
///
/// A complete app is five lines: `name`, `team`, `blueprint`, `image` and, for blueprints that take traffic, `port`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[schemars(title = "paved app file")]
pub struct AppFile {
    /// The app's name: a DNS-1123 label of at most 40 characters (lowercase letters, digits and `-`). Every object is named from it.
    #[schemars(length(min = 1, max = 40), regex(pattern = r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$"))]
    pub name: String,
    /// The owning team: a DNS-1123 label. The platform file maps team and environment to a namespace.
    #[schemars(length(min = 1, max = 63), regex(pattern = r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$"))]
    pub team: String,
    /// The blueprint and the versions acceptable: `NAME@MAJOR[.MINOR[.PATCH]]`, such as `api@1` (highest published 1.x.y), `api@1.2` (highest 1.2.z) or `api@1.2.3` (exactly). A bare name or `latest` is an error.
    #[schemars(regex(pattern = r"^[a-z0-9-]+@(0|[1-9][0-9]*)(\.(0|[1-9][0-9]*)){0,2}$"))]
    pub blueprint: String,
    /// The container image: an OCI repository on an allowed registry, optionally with `:tag` and/or `@sha256:digest`. The tag and digest can also come at render time (`--image-tag`, `--image-digest`) or from Helm values; a chart with neither refuses to render. The tag `latest` (without a digest) is an error in a production environment and a warning elsewhere: what runs would depend on when a node pulls it.
    pub image: String,
    /// The container port (1–65535). Required for the `api` and `stateful` blueprints; not allowed for `worker` and `cronjob`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1, max = 65535))]
    pub port: Option<u32>,
    /// Overrides the image's entrypoint (Kubernetes `command`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1))]
    pub command: Option<Vec<String>>,
    /// Overrides the image's arguments (Kubernetes `args`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1))]
    pub args: Option<Vec<String>>,
    /// Plain environment variables, name to value. Values are strings: quote numbers and booleans (`"8080"`, `"true"`). Secrets go in `secrets`, never here.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub env: Option<BTreeMap<String, String>>,
    /// Names of Kubernetes Secrets in the app's namespace; each is mounted whole as environment variables (`envFrom`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secrets: Option<Vec<String>>,
    /// CPU and memory requests. Memory is also the limit. Defaults come from the blueprint.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resources: Option<Resources>,
    /// How many pods: a number (`3`), or `{min, max}`. `min < max` adds a HorizontalPodAutoscaler (and leaves `replicas` off the workload); `min ≥ 2` adds a PodDisruptionBudget. Defaults come from the blueprint.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replicas: Option<Replicas>,
    /// HTTP paths of the health probes, served on `port`. Defaults come from the blueprint (api: liveness `/healthz`, readiness `/ready`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub probes: Option<Probes>,
    /// Expose the app through the platform's ingress controller: `{host, path}` or a list of them. Also allows traffic from the ingress controller to `port`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ingress: Option<OneOrMany<Ingress>>,
    /// Prometheus metrics: adds a ServiceMonitor, and allows traffic from monitoring to the metrics port.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metrics: Option<Metrics>,
    /// Egress the app needs, one entry per dependency: `app` (same team), `team/app`, `https://host[:port]` (port 443 by default) or `CIDR:port` (`10.20.0.0/16:5432`). An app in the cluster is named, never addressed: `http://ledger.payments` or `ledger.payments.svc` is refused with `payments/ledger` as the fix.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub calls: Option<Vec<String>>,
    /// Ingress the app accepts, one entry per caller: `app` (same team), `team/app`, or `team/*` (every app of that team).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub called_by: Option<Vec<String>>,
    /// Cron schedule (five fields, or `@hourly`, `@daily`, ...). Required for the `cronjob` blueprint.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schedule: Option<String>,
    /// IANA time zone the schedule is read in, such as `Europe/Amsterdam`. Default: the cluster's (usually UTC).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_zone: Option<String>,
    /// What to do when a run is due while the previous one still runs. Default: `Forbid`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("default" = "Forbid"))]
    pub concurrency: Option<Concurrency>,
    /// Persistent storage, required for the `stateful` blueprint: one volume per pod.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub storage: Option<Storage>,
    /// How the pipeline builds and unit-tests the code before the container build: `dotnet`, `maven`, `node`, `go`, or `docker` (the Dockerfile does everything). Default: `docker`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("default" = "docker"))]
    pub build: Option<BuildKind>,
    /// Per-environment differences, keyed by environment name (from the platform file). An environment may change `replicas`, `resources`, `env`, `secrets`, `ingress` and `image`; its settings are deep-merged over the ones above, base first: mappings merge key by key, anything else (numbers, strings, lists) replaces.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub environments: Option<BTreeMap<String, EnvOverride>>,
}

/// What an environment may change. Everything else is the same in every environment, so what is tested in `dev` is what runs in `prod`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct EnvOverride {
    /// Replaces `replicas`; a `{min, max}` mapping merges with a base mapping, so `{max: 8}` alone raises only the maximum.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replicas: Option<ReplicasOverride>,
    /// Merged over `resources`, key by key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resources: Option<Resources>,
    /// Merged over `env`, variable by variable.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub env: Option<BTreeMap<String, String>>,
    /// Replaces `secrets`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secrets: Option<Vec<String>>,
    /// Replaces `ingress` (a single `{host, path}` merges with a base mapping).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ingress: Option<OneOrMany<Ingress>>,
    /// Replaces `image`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
}

/// CPU and memory requests; memory is also the limit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Resources {
    /// CPU request in cores (`0.5`, `2`) or millicores (`500m`). No CPU limit is set, so the app is never throttled below what the node has free.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cpu: Option<Quantity>,
    /// Memory request and limit in binary units: `256Mi`, `1Gi`. A decimal unit (`128M`, 128,000,000 bytes) or a bare number of bytes is refused, with the binary size it most likely meant.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memory: Option<Quantity>,
}

/// A Kubernetes quantity, written as a string (`500m`, `1Gi`) or a plain number (`2`, `0.5`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum Quantity {
    /// A number, such as `2` cores.
    Number(serde_json::Number),
    /// A quantity with a unit, such as `500m` or `1Gi`.
    Text(String),
}

impl std::fmt::Display for Quantity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Quantity::Number(n) => write!(f, "{n}"),
            Quantity::Text(t) => f.write_str(t),
        }
    }
}

/// A fixed number of pods, or a range for autoscaling.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum Replicas {
    /// A fixed number of pods.
    Fixed(#[schemars(range(min = 1, max = 1000))] u32),
    /// Between `min` and `max` pods, scaled on CPU.
    Range(ReplicaRange),
}

/// `replicas` in an environment: a number, or part or all of `{min, max}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum ReplicasOverride {
    /// A fixed number of pods.
    Fixed(#[schemars(range(min = 1, max = 1000))] u32),
    /// New bounds; a bound left out keeps the base's.
    Range(PartialRange),
}

/// Part or all of `{min, max}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PartialRange {
    /// The fewest pods (at least 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1, max = 1000))]
    pub min: Option<u32>,
    /// The most pods.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1, max = 1000))]
    pub max: Option<u32>,
}

/// Between `min` and `max` pods.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ReplicaRange {
    /// The fewest pods (at least 1).
    #[schemars(range(min = 1, max = 1000))]
    pub min: u32,
    /// The most pods (at least `min`, at most 1000).
    #[schemars(range(min = 1, max = 1000))]
    pub max: u32,
}

impl Replicas {
    /// `(min, max)`; a fixed count is a range of one value.
    pub fn bounds(self) -> (u32, u32) {
        match self {
            Replicas::Fixed(n) => (n, n),
            Replicas::Range(r) => (r.min, r.max),
        }
    }
}

/// HTTP paths of the health probes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Probes {
    /// Restart the container when this path fails.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub liveness: Option<String>,
    /// Send traffic only while this path succeeds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub readiness: Option<String>,
    /// Hold the other probes until this path succeeds once (slow starters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub startup: Option<String>,
}

/// One value, or a list of them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum OneOrMany<T> {
    One(T),
    Many(Vec<T>),
}

impl<T> OneOrMany<T> {
    pub fn as_slice(&self) -> &[T] {
        match self {
            OneOrMany::One(one) => std::slice::from_ref(one),
            OneOrMany::Many(many) => many,
        }
    }
}

/// One ingress route.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Ingress {
    /// The host name. A name without a dot (`payments`) is completed with the environment's ingress domain (`payments.dev.apps.bank.internal`); a full name is used as written in every environment (a warning when it lies outside every environment's ingress domain and several environments would share it). A host only, never a URL: no scheme, port or path.
    pub host: String,
    /// The path prefix routed to the app (it routes every path below it). Default: `/`. With the platform's default `ingress.paths: strict`, only letters, digits, `/`, `_` and `-`: ingress-nginx denies an Ingress with any other character in a Prefix path at admission.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("default" = "/"))]
    pub path: Option<String>,
}

/// Where Prometheus scrapes metrics.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Metrics {
    /// The port serving metrics. Default: `port`; required when the app has no `port` (workers).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1, max = 65535))]
    pub port: Option<u32>,
    /// The HTTP path serving metrics. Default: `/metrics`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("default" = "/metrics"))]
    pub path: Option<String>,
}

/// How the pipeline builds the code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum BuildKind {
    /// .NET: `dotnet restore`, `build`, `test`.
    Dotnet,
    /// Java with Maven: `mvn verify`.
    Maven,
    /// Node.js: `npm ci`, `npm test`.
    Node,
    /// Go: `go build`, `go test`.
    Go,
    /// Only the Dockerfile builds (and tests) the code.
    Docker,
}

impl BuildKind {
    /// The name the pipeline templates use.
    pub fn as_str(self) -> &'static str {
        match self {
            BuildKind::Dotnet => "dotnet",
            BuildKind::Maven => "maven",
            BuildKind::Node => "node",
            BuildKind::Go => "go",
            BuildKind::Docker => "docker",
        }
    }
}

/// What a cron job does when a run is due while the previous one still runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum Concurrency {
    /// Start the new run alongside.
    Allow,
    /// Skip the new run.
    Forbid,
    /// Stop the running one and start the new one.
    Replace,
}

/// A persistent volume per pod.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Storage {
    /// The volume size, such as `10Gi`.
    pub size: String,
    /// Where the volume is mounted in the container. Default: `/data`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("default" = "/data"))]
    pub path: Option<String>,
    /// The StorageClass. Default: the cluster's default class.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub class: Option<String>,
}

/// The fields an environment may change: the fields of [`EnvOverride`], by
/// the names app authors write, derived from the type so a new overridable
/// field is never missing here.
pub static OVERRIDABLE: LazyLock<Vec<&'static str>> =
    LazyLock::new(|| field_names(SchemaKind::App, &["environments", "<environment>"]));

/// The app fields: the fields of [`AppFile`], by the names app authors write.
/// Blueprints declare which of them they support and require by these names.
/// Derived from the type, so a new field is an app field without a second list
/// to update.
pub static APP_FIELDS: LazyLock<Vec<&'static str>> = LazyLock::new(|| field_names(SchemaKind::App, &[]));

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_lists_are_the_types_fields() {
        let app = serde_json::to_value(AppFile {
            name: String::new(),
            team: String::new(),
            blueprint: String::new(),
            image: String::new(),
            port: Some(1),
            command: Some(vec![]),
            args: Some(vec![]),
            env: Some(BTreeMap::new()),
            secrets: Some(vec![]),
            resources: Some(Resources { cpu: None, memory: None }),
            replicas: Some(Replicas::Fixed(1)),
            probes: Some(Probes { liveness: None, readiness: None, startup: None }),
            ingress: Some(OneOrMany::Many(vec![])),
            metrics: Some(Metrics { port: None, path: None }),
            calls: Some(vec![]),
            called_by: Some(vec![]),
            schedule: Some(String::new()),
            time_zone: Some(String::new()),
            concurrency: Some(Concurrency::Forbid),
            storage: Some(Storage { size: String::new(), path: None, class: None }),
            build: Some(BuildKind::Docker),
            environments: Some(BTreeMap::new()),
        })
        .unwrap_or_default();
        let written: Vec<&str> = app.as_object().into_iter().flat_map(|o| o.keys().map(String::as_str)).collect();
        assert_eq!(*APP_FIELDS, written, "every field of `AppFile`, as serde writes it");
        assert!(APP_FIELDS.contains(&"build") && APP_FIELDS.contains(&"calledBy"));

        let over = serde_json::to_value(EnvOverride {
            replicas: Some(ReplicasOverride::Fixed(1)),
            resources: Some(Resources { cpu: None, memory: None }),
            env: Some(BTreeMap::new()),
            secrets: Some(vec![]),
            ingress: Some(OneOrMany::Many(vec![])),
            image: Some(String::new()),
        })
        .unwrap_or_default();
        let written: Vec<&str> = over.as_object().into_iter().flat_map(|o| o.keys().map(String::as_str)).collect();
        assert_eq!(*OVERRIDABLE, written, "every field of `EnvOverride`");
        assert!(OVERRIDABLE.iter().all(|f| APP_FIELDS.contains(f)), "an environment overrides app fields");
    }
}
