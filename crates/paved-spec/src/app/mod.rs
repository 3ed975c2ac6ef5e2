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

mod composition;
mod workload;

pub use composition::{
    AzureIdentity, ConfigMapKey, Container, EnvValue, FileSpec, Identity, Migrate, POD_FIELDS, PodField, SecretKey,
    Volume,
};

pub use workload::{
    Grpc, History, Off, PortNumber, PortProtocol, PortRef, PortSpec, Probe, ProbeCheck, Protocol, RunAs, Strategy,
};

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
    /// What the main port speaks, which names it (`http`, `grpc` or `tcp`), sets its `appProtocol` (`http`, `grpc`; none for `tcp`) and chooses the default probes: `http` an HTTP GET of the blueprint's paths (api: `/healthz`, `/ready`), `grpc` the gRPC health service on the port, `tcp` a TCP connect. An `ingress` needs `http`. Default: `http` (`stateful`: `tcp`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub protocol: Option<Protocol>,
    /// More container ports, by name: `{admin: 9000}`, or `{dns: {port: 53, protocol: UDP}}`. Each is a port of the Service and, like `port`, open to every caller in `calledBy`. Names are IANA service names (at most 15 lowercase letters, digits and `-`), not the main port's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ports: Option<BTreeMap<String, PortSpec>>,
    /// The Service's port in front of `port`, when clients should use another number (`80` in front of `8080`). Network policies still name the pod's port, `port`. Default: `port`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1, max = 65535))]
    pub service_port: Option<u32>,
    /// Overrides the image's entrypoint (Kubernetes `command`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1))]
    pub command: Option<Vec<String>>,
    /// Overrides the image's arguments (Kubernetes `args`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1))]
    pub args: Option<Vec<String>>,
    /// Environment variables, name to value: a string (quote numbers and booleans: `"8080"`, `"true"`), or one key of a Secret (`{secret: NAME, key: KEY}`) or ConfigMap (`{configMap: NAME, key: KEY}`), or a field of the pod (`{field: metadata.name}`, `metadata.namespace`, `spec.nodeName`, `status.podIP`). A secret's value never appears in the app file or the chart's values.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub env: Option<BTreeMap<String, EnvValue>>,
    /// Names of Kubernetes Secrets in the app's namespace; each is mounted whole as environment variables (`envFrom`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secrets: Option<Vec<String>>,
    /// CPU and memory requests, and optionally `limits`. Without `limits.memory` the memory limit is the memory request; without `limits.cpu` there is no CPU limit. Defaults come from the blueprint.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resources: Option<Resources>,
    /// How many pods: a number (`3`), or `{min, max}`. `min < max` adds a HorizontalPodAutoscaler (and leaves `replicas` off the workload); `min ≥ 2` adds a PodDisruptionBudget. Defaults come from the blueprint.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replicas: Option<Replicas>,
    /// The health probes, each an HTTP path on `port` (`/healthz`), a mapping of one check (`{grpc: true}`, `{tcp: true}`, `{exec: [pg_isready]}`, `{http: /live, port: admin}`) with its timings, or `false` for none. Defaults come from the blueprint and `protocol` (api over http: liveness `/healthz`, readiness `/ready`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub probes: Option<Probes>,
    /// The user and group the pod's processes run as (`runAsUser`, `runAsGroup`, and `fsGroup` for volumes), when the image needs a UID other than paved's. Never 0 (root). Default: user and group 10001.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub run_as: Option<RunAs>,
    /// Annotations on the pods (for agents that read them, such as `prometheus.io/scrape` or a log parser's). paved's own `paved.io/` keys and keys that loosen the pod's security (AppArmor, seccomp) are refused.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub annotations: Option<BTreeMap<String, String>>,
    /// How long a stopping pod gets between SIGTERM and SIGKILL, as a duration (`30s`, `2m`). Default: Kubernetes' 30s.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub termination_grace_period: Option<String>,
    /// How a new version replaces the running pods (`api`, `worker`): `rolling` (new pods first, no pod down until its replacement is ready) or `recreate` (every old pod stops before the first new one starts, for apps that must never run two versions at once). Default: `rolling`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("default" = "rolling"))]
    pub strategy: Option<Strategy>,
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
    /// Files mounted read-only, by absolute path: `{content: TEXT}`, or `{secret: NAME, key: KEY}` / `{configMap: NAME, key: KEY}` for one key of an existing one, each with an optional octal `mode` (quoted: `"0440"`; default `0444`). Not under `/tmp`, a `volumes` path or the storage path; two files never share a path. The `content` files become one immutable ConfigMap per environment, named by a hash of its data, so a changed file rolls the pods; Argo CD deletes the old one last (`Prune=Last`), after the pods that read it are gone. At most 200 KiB of content in all (docs/limits.md).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub files: Option<BTreeMap<String, FileSpec>>,
    /// Writable scratch space, by absolute path: `{size: 512Mi}`, or `{size: 64Mi, memory: true}` in memory. The root filesystem is read-only; `/tmp` is always writable (1Gi), and listing `/tmp` here changes its size.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub volumes: Option<BTreeMap<String, Volume>>,
    /// Init containers, run in order before the app starts (waiting for a dependency, preparing a volume). Each gets the app's security defaults.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub init: Option<Vec<Container>>,
    /// Containers beside the app for its whole life (a log shipper, a metrics exporter, a backup agent), started before the app and stopped after it (native sidecars, Kubernetes 1.29+). Each gets the app's security defaults.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sidecars: Option<Vec<Container>>,
    /// The app's cloud identity: `{azure: {clientId: UUID}}` for Microsoft Entra Workload ID, in place of a secret. The ServiceAccount gets `azure.workload.identity/client-id` (and `/tenant-id` when the platform file sets `azure.tenantId`), the pods the label `azure.workload.identity/use: "true"`; AKS's webhook then injects the `AZURE_*` variables and a projected token for the audience `api://AzureADTokenExchange` (the Kubernetes API token stays unmounted), and the network policies allow the sign-in host (`azure.loginHost`) on 443.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identity: Option<Identity>,
    /// A command run with the app's image (and its env, secrets and files) before each deploy, such as a database migration: `{command: [/app/migrate], args: [up]}` (`api`, `worker`, `stateful`). It is a Job run as an Argo CD `PreSync` hook, recreated at every sync (`BeforeHookCreation`), with the app's egress and no ingress; the deploy waits for it and stops when it fails. Write it to be safe to run again: every sync runs it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub migrate: Option<Migrate>,
    /// How many times a failed run is retried before the run fails (`cronjob`, `job`). Default: 2.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0, max = 100))]
    pub backoff_limit: Option<u32>,
    /// How many finished runs are kept to look at (`cronjob`): `{successful: 3, failed: 5}`. Default: 3 of each.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub history: Option<History>,
    /// How long one run may take, retries included, before it is stopped and counts as failed, as a duration (`30m`, `2h`) (`cronjob`, `job`). Default: no limit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deadline: Option<String>,
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
    pub env: Option<BTreeMap<String, EnvValue>>,
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

/// CPU and memory requests, and optionally limits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Resources {
    /// CPU request in cores (`0.5`, `2`) or millicores (`500m`). No CPU limit is set unless `limits.cpu` asks for one, so the app is never throttled below what the node has free.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cpu: Option<Quantity>,
    /// Memory request in binary units: `256Mi`, `1Gi`. It is also the memory limit unless `limits.memory` sets one. A decimal unit (`128M`, 128,000,000 bytes) or a bare number of bytes is refused, with the binary size it most likely meant.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memory: Option<Quantity>,
    /// Limits above the requests: `{memory: 1Gi}` lets the app burst to 1Gi, `{cpu: 2}` caps its CPU. A limit below its request is an error. Limits change at deploy time without a new render (the chart's values), as requests do.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limits: Option<ResourceLimits>,
}

/// Resource limits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ResourceLimits {
    /// CPU limit in cores or millicores, at least the CPU request. Default: none (the app may use idle CPU).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cpu: Option<Quantity>,
    /// Memory limit in binary units, at least the memory request. Default: the memory request.
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
    /// The autoscaler's target CPU use, in percent of the request.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1, max = 100))]
    pub cpu: Option<u32>,
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
    /// The autoscaler's target CPU use, in percent of the CPU request (1–100): it adds pods when the average is above, removes them when below. Default: 70.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1, max = 100), extend("default" = 70))]
    pub cpu: Option<u32>,
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

/// The health probes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Probes {
    /// Restart the container when this check fails.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub liveness: Option<Probe>,
    /// Send traffic only while this check succeeds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub readiness: Option<Probe>,
    /// Hold the other probes until this check succeeds once (slow starters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub startup: Option<Probe>,
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

/// Parts of app fields that came after the field itself, which a blueprint
/// version lists in `fields.supported` beside the fields: an app locked to a
/// version without one is told which version has it. Each with what it is, for
/// messages.
pub const FIELD_GATES: &[(&str, &str)] = &[
    ("resources.limits", "`resources.limits`"),
    ("replicas.cpu", "`replicas.cpu`"),
    ("probes.check", "a probe written as a mapping or `false`"),
    ("env.references", "an `env` value that reads a Secret, a ConfigMap or the pod"),
];

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
            protocol: Some(Protocol::Http),
            ports: Some(BTreeMap::new()),
            service_port: Some(1),
            command: Some(vec![]),
            args: Some(vec![]),
            env: Some(BTreeMap::new()),
            secrets: Some(vec![]),
            resources: Some(Resources { cpu: None, memory: None, limits: None }),
            replicas: Some(Replicas::Fixed(1)),
            probes: Some(Probes { liveness: None, readiness: None, startup: None }),
            run_as: Some(RunAs { user: 1, group: None }),
            annotations: Some(BTreeMap::new()),
            termination_grace_period: Some(String::new()),
            strategy: Some(Strategy::Rolling),
            ingress: Some(OneOrMany::Many(vec![])),
            metrics: Some(Metrics { port: None, path: None }),
            calls: Some(vec![]),
            called_by: Some(vec![]),
            schedule: Some(String::new()),
            time_zone: Some(String::new()),
            concurrency: Some(Concurrency::Forbid),
            files: Some(BTreeMap::new()),
            volumes: Some(BTreeMap::new()),
            init: Some(vec![]),
            sidecars: Some(vec![]),
            identity: Some(Identity { azure: None }),
            migrate: Some(Migrate { command: None, args: None }),
            backoff_limit: Some(0),
            history: Some(History { successful: None, failed: None }),
            deadline: Some(String::new()),
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
            resources: Some(Resources { cpu: None, memory: None, limits: None }),
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
