//! The template context: everything a blueprint template can see.
//!
//! This struct is load-bearing: its field names are the template API that
//! every published blueprint version is written against. Renaming or removing
//! a field breaks published blueprints; add fields, never change them.
//! `docs/blueprints.md` documents each field for blueprint authors.

use std::collections::BTreeMap;

use paved_blueprint::Blueprint;
use paved_spec::app::{AppFile, Concurrency, Probe};
use paved_spec::platform::{Environment, Platform};
use paved_spec::syntax;
use serde::Serialize;

mod composition;
mod workload;

pub use composition::{
    AzureIdentityContext, ConfigMapContext, ContainerContext, ContainerResources, EnvVarContext, FilesContext,
    MigrateContext, SidecarPort, TmpContext,
};
pub use workload::{CheckContext, ChecksContext, Header, HistoryContext, PortContext, RunAsContext};

/// Image tag and digest given at render time (`--image-tag`, `--image-digest`);
/// they replace what the app file says. A new tag alone also drops the file's
/// digest, which pinned the old image.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImageOverride {
    /// The tag from `--image-tag`, such as `1.4.2`; replaces the tag in the app file's `image` and drops its digest.
    pub tag: Option<String>,
    /// The digest from `--image-digest`, such as `sha256:…`; replaces the digest in the app file's `image`.
    pub digest: Option<String>,
}

/// The whole context of one template render: one app, one environment, one blueprint version.
#[derive(Debug, Serialize)]
pub struct Context {
    /// `app`: the app's effective settings in this environment, environment overrides merged and blueprint defaults applied.
    pub app: AppContext,
    /// `environment`: the environment being rendered, from the platform file's `environments`.
    pub environment: EnvironmentContext,
    /// `platform`: organisation-wide settings from the platform file.
    pub platform: PlatformContext,
    /// `blueprint`: the blueprint version being rendered (its `blueprint.yaml` `name` and `version`).
    pub blueprint: BlueprintContext,
    /// `labels`: the recommended labels, for every object's `metadata.labels` and every pod template: `app.kubernetes.io/name` and `/instance` (the app name), `/component` (the blueprint name), `/part-of` (the team), `/managed-by: paved`.
    pub labels: BTreeMap<String, String>,
    /// `selector`: `app.kubernetes.io/name` and `/instance`, the labels that select the app's pods; stable across blueprint versions, because a Deployment's selector cannot change.
    pub selector: BTreeMap<String, String>,
    /// `annotations`: `paved.io/blueprint: <name>@<version>`, for every object's `metadata.annotations` but not pod templates, so a blueprint upgrade that changes nothing else does not restart pods.
    pub annotations: BTreeMap<String, String>,
}

/// `app`: the app's effective settings in this environment, environment overrides merged and blueprint defaults applied.
#[derive(Debug, Serialize)]
pub struct AppContext {
    /// `app.name`: the app's name, a DNS-1123 label (app file `name`).
    pub name: String,
    /// `app.team`: the owning team, a DNS-1123 label (app file `team`).
    pub team: String,
    /// `app.namespace`: the namespace to deploy into, the environment's `namespace` pattern from the platform file with `{team}` filled in.
    pub namespace: String,
    /// `app.image`: the full image reference to run: `image_repository`, then `:image_tag` and/or `@image_digest` when known.
    pub image: String,
    /// `app.image_repository`: the image repository without tag or digest, such as `acr.bank.internal/payments/payments-api` (app file `image`).
    pub image_repository: String,
    /// `app.image_tag`: `--image-tag` if given, else the tag in the app file's `image`; none when neither has one.
    pub image_tag: Option<String>,
    /// `app.image_digest`: `--image-digest` if given, else the digest in the app file's `image` (dropped when `--image-tag` is given); none when unknown.
    pub image_digest: Option<String>,
    /// `app.port`: the container port, an integer (app file `port`); none for blueprints without one (worker, cronjob).
    pub port: Option<u32>,
    /// `app.command`: the entrypoint override, a list of strings (app file `command`); none when unset.
    pub command: Option<Vec<String>>,
    /// `app.args`: the arguments override, a list of strings (app file `args`); none when unset.
    pub args: Option<Vec<String>>,
    /// `app.env`: plain environment variables as a list of `{name, value}`, sorted by name (app file `env`); empty when unset.
    pub env: Vec<EnvVar>,
    /// `app.secrets`: names of Secrets to mount whole with `envFrom`, in the order written (app file `secrets`); empty when unset.
    pub secrets: Vec<String>,
    /// `app.resources`: CPU and memory requests (memory is also the limit): the app file's `resources`, else the blueprint's `defaults.resources`.
    pub resources: ResourcesContext,
    /// `app.replicas`: pod count bounds and what they imply: the app file's `replicas`, else the blueprint's `defaults.replicas`.
    pub replicas: ReplicasContext,
    /// `app.probes`: HTTP paths of the health probes: the app file's `probes`, else the blueprint's `defaults.probes`.
    pub probes: ProbesContext,
    /// `app.ingress`: routes as a list of `{host, path}` in the order written (app file `ingress`); empty when unset.
    pub ingress: Vec<Route>,
    /// `app.metrics`: where Prometheus scrapes (app file `metrics`); none when the app has no `metrics`.
    pub metrics: Option<MetricsContext>,
    /// `app.schedule`: the cron schedule, such as `0 3 * * *` or `@daily` (app file `schedule`); none when unset.
    pub schedule: Option<String>,
    /// `app.time_zone`: the IANA time zone the schedule is read in, such as `Europe/Amsterdam` (app file `timeZone`); none when unset.
    pub time_zone: Option<String>,
    /// `app.concurrency`: what a cron job does when a run is due while the last still runs: `Allow`, `Forbid` or `Replace` (app file `concurrency`, default `Forbid`).
    pub concurrency: String,
    /// `app.storage`: the persistent volume per pod (app file `storage`); none when unset.
    pub storage: Option<StorageContext>,
    /// `app.protocol`: what the main port speaks, `http`, `grpc` or `tcp` (app file `protocol`, else the blueprint's `defaults.protocol`, else `http`); also the main port's name.
    pub protocol: String,
    /// `app.service_port`: the Service's port in front of `app.port` (app file `servicePort`, default `port`); none without a port.
    pub service_port: Option<u32>,
    /// `app.container_ports`: every port of the container as `{name, port, service_port, protocol, app_protocol}`: the main port, then the app file's `ports` by name, then a metrics port that is none of those; empty when the app has none.
    pub container_ports: Vec<PortContext>,
    /// `app.checks`: the health checks, resolved (`{kind, path, port_name, port, service, command, headers, initial_delay_seconds, period_seconds, timeout_seconds, failure_threshold}` each): the app file's `probes` (a path, a mapping or `false`), else for an `http` main port the blueprint's `defaults.probes`, for `grpc` or `tcp` a liveness and a readiness check of that kind on the main port.
    pub checks: ChecksContext,
    /// `app.run_as`: `{user, group}` the pod runs as (app file `runAs`, group default the user; default 10001 for both).
    pub run_as: RunAsContext,
    /// `app.pod_annotations`: annotations for the pod template (app file `annotations`); empty when unset.
    pub pod_annotations: BTreeMap<String, String>,
    /// `app.termination_grace_period_seconds`: seconds a stopping pod gets (app file `terminationGracePeriod`); none: Kubernetes' default.
    pub termination_grace_period_seconds: Option<u64>,
    /// `app.strategy`: the Deployment's rollout, `RollingUpdate` or `Recreate` (app file `strategy`, default `rolling`).
    pub strategy: String,
    /// `app.backoff_limit`: retries of a failed run (app file `backoffLimit`); none: the blueprint's default.
    pub backoff_limit: Option<u32>,
    /// `app.history`: finished runs kept, `{successful, failed}` (app file `history`), each none for the blueprint's default.
    pub history: HistoryContext,
    /// `app.deadline_seconds`: seconds one run may take (app file `deadline`); none: no limit.
    pub deadline_seconds: Option<u64>,
    /// `app.env_vars`: every env variable, sorted by name, as `{name, value, value_from}`: a plain `value` (write it as the deploy-time value `env.<NAME>`), or a ready `value_from` (`secretKeyRef`, `configMapKeyRef`, `fieldRef`) that never becomes a chart value (app file `env`).
    pub env_vars: Vec<EnvVarContext>,
    /// `app.files`: `{config_map, volumes, mounts}`: the ConfigMap of the `content` files (`{name, data}`, named by a hash of its data; none without such files), and the pod volumes and container mounts of every file (app file `files`).
    pub files: FilesContext,
    /// `app.tmp`: `{size_limit, medium}` of the writable `/tmp` (app file `volumes./tmp`, default `1Gi` on disk).
    pub tmp: TmpContext,
    /// `app.extra_volumes`: pod volumes beyond `/tmp` (and a stateful app's data): the files', then the scratch volumes' (app file `volumes`).
    pub extra_volumes: Vec<serde_json::Value>,
    /// `app.extra_mounts`: the app container's mounts beyond `/tmp` (and the data): the files', then the scratch volumes'.
    pub extra_mounts: Vec<serde_json::Value>,
    /// `app.init_containers`: init containers in order, then sidecars (`restart_policy: Always`), each `{name, image, command, args, env, resources, restart_policy, port}` (app file `init`, `sidecars`).
    pub init_containers: Vec<ContainerContext>,
    /// `app.pod_labels`: `labels`, plus `azure.workload.identity/use: "true"` with an Azure identity; for pod templates.
    pub pod_labels: BTreeMap<String, String>,
    /// `app.service_account_annotations`: `annotations`, plus `azure.workload.identity/client-id` (and `/tenant-id`) with an Azure identity; for the ServiceAccount.
    pub service_account_annotations: BTreeMap<String, String>,
    /// `app.azure_identity`: `{client_id, tenant_id}` (app file `identity.azure`, platform file `azure.tenantId`); none without.
    pub azure_identity: Option<AzureIdentityContext>,
    /// `app.migrate`: `{name, command, args, labels, selector, files}` of the migration Job (app file `migrate`); none without.
    pub migrate: Option<MigrateContext>,
    /// `app.spec_hash`: 10 hex digits of a hash of everything else this context holds for the app and the blueprint version: equal settings give an equal hash. A one-off Job is named with it, since a Job's pod template cannot change. Empty for a version whose templates never name it (hashing costs a few percent of a render).
    pub spec_hash: String,
}

/// One entry of `app.env`: a plain environment variable.
#[derive(Debug, Serialize)]
pub struct EnvVar {
    /// The variable's name, as written in the app file's `env`.
    pub name: String,
    /// The variable's value, always a string.
    pub value: String,
}

/// `app.resources`: CPU and memory requests, the app's values else the blueprint's `defaults.resources`.
#[derive(Debug, Serialize)]
pub struct ResourcesContext {
    /// `app.resources.cpu`: the CPU request, a quantity string such as `100m` or `0.5` (app file `resources.cpu`, else `defaults.resources.cpu`).
    pub cpu: String,
    /// `app.resources.memory`: the memory request and limit, a quantity string such as `256Mi` (app file `resources.memory`, else `defaults.resources.memory`).
    pub memory: String,
    /// `app.resources.limits`: `{cpu, memory}`: the CPU limit (app file `resources.limits.cpu`; none: no CPU limit) and the memory limit (app file `resources.limits.memory`, else the memory request).
    pub limits: LimitsContext,
}

/// `app.resources.limits`: the container's limits.
#[derive(Debug, Serialize)]
pub struct LimitsContext {
    /// `app.resources.limits.cpu`: the CPU limit, a quantity string; none: no CPU limit.
    pub cpu: Option<String>,
    /// `app.resources.limits.memory`: the memory limit, a quantity string (default: the memory request).
    pub memory: String,
}

/// `app.replicas`: how many pods, from the app file's `replicas`, else the blueprint's `defaults.replicas`.
#[derive(Debug, Serialize)]
pub struct ReplicasContext {
    /// `app.replicas.min`: the fewest pods, an integer (a fixed count `n` gives `min = max = n`).
    pub min: u32,
    /// `app.replicas.max`: the most pods, an integer (equal to `min` for a fixed count).
    pub max: u32,
    /// `app.replicas.autoscale`: `min < max`, so an autoscaler owns the replica count; leave `spec.replicas` out of the workload.
    pub autoscale: bool,
    /// `app.replicas.disruption_budget`: `min ≥ 2`, so render a PodDisruptionBudget that keeps a pod up during node drains.
    pub disruption_budget: bool,
    /// `app.replicas.cpu`: the autoscaler's target CPU use in percent of the request (app file `replicas.cpu`, default 70).
    pub cpu: u32,
}

/// `app.probes`: HTTP paths of the health probes, each the app's path, else the blueprint's `defaults.probes`, else none.
#[derive(Debug, Serialize)]
pub struct ProbesContext {
    /// `app.probes.liveness`: path whose failure restarts the container (app file `probes.liveness`, else `defaults.probes.liveness`); none when neither sets it.
    pub liveness: Option<String>,
    /// `app.probes.readiness`: path that must succeed for the pod to get traffic (app file `probes.readiness`, else `defaults.probes.readiness`); none when neither sets it.
    pub readiness: Option<String>,
    /// `app.probes.startup`: path that holds the other probes until it succeeds once (app file `probes.startup`, else `defaults.probes.startup`); none when neither sets it.
    pub startup: Option<String>,
}

/// One entry of `app.ingress`: a route from the app file's `ingress`.
#[derive(Debug, Serialize)]
pub struct Route {
    /// The full host name; a host without a dot gets `.<environment.ingress_domain>` appended (`risk-scoring` → `risk-scoring.dev.apps.bank.internal`).
    pub host: String,
    /// The path prefix routed to the app; default `/`.
    pub path: String,
}

/// `app.metrics`: where Prometheus scrapes metrics, from the app file's `metrics`.
#[derive(Debug, Serialize)]
pub struct MetricsContext {
    /// `app.metrics.port`: the port serving metrics, an integer (app file `metrics.port`, else `port`).
    pub port: u32,
    /// `app.metrics.path`: the HTTP path serving metrics (app file `metrics.path`, default `/metrics`).
    pub path: String,
    /// `app.metrics.separate_port`: the metrics port is none of the app's other ports (`port`, `ports`), so container and Service need a `metrics`-named port of their own; always true for apps without ports (workers).
    pub separate_port: bool,
    /// `app.metrics.port_name`: the name of the port serving metrics: `metrics` when separate, else the name of the port it is (the main port's protocol, or its key in `ports`).
    pub port_name: String,
}

/// `app.storage`: one persistent volume per pod, from the app file's `storage`.
#[derive(Debug, Serialize)]
pub struct StorageContext {
    /// `app.storage.size`: the volume size, a quantity string such as `10Gi` (app file `storage.size`).
    pub size: String,
    /// `app.storage.path`: where the volume is mounted in the container (app file `storage.path`, default `/data`).
    pub path: String,
    /// `app.storage.class`: the StorageClass name (app file `storage.class`); none means the cluster's default class.
    pub class: Option<String>,
}

/// `environment`: the environment being rendered, from the platform file's `environments`.
#[derive(Debug, Serialize)]
pub struct EnvironmentContext {
    /// `environment.name`: the environment's name, such as `dev`, `test` or `prod` (platform file `environments[].name`).
    pub name: String,
    /// `environment.cluster`: the cluster's API server URL (platform file `environments[].cluster`).
    pub cluster: String,
    /// `environment.ingress_domain`: the domain completing short ingress hosts, such as `dev.apps.bank.internal` (platform file `environments[].ingressDomain`).
    pub ingress_domain: String,
}

/// `platform`: organisation-wide settings from the platform file.
#[derive(Debug, Serialize)]
pub struct PlatformContext {
    /// `platform.ingress_class`: the IngressClass for every Ingress (platform file `ingress.className`).
    pub ingress_class: String,
    /// `platform.ingress_annotations`: annotations for every Ingress, such as a cert-manager issuer (platform file `ingress.annotations`); empty when unset.
    pub ingress_annotations: BTreeMap<String, String>,
    /// `platform.service_monitor_labels`: labels Prometheus selects ServiceMonitors by (platform file `monitoring.serviceMonitorLabels`); empty when unset.
    pub service_monitor_labels: BTreeMap<String, String>,
    /// `platform.image_pull_policy`: every container's `imagePullPolicy`, `Always` or `IfNotPresent` (platform file `imagePullPolicy`, default `Always`, so a pod never runs an image its node cached for a pod with more rights).
    pub image_pull_policy: String,
}

/// `blueprint`: the blueprint version being rendered, from its `blueprint.yaml`.
#[derive(Debug, Serialize)]
pub struct BlueprintContext {
    /// `blueprint.name`: the blueprint's name, such as `api` (`blueprint.yaml` `name`).
    pub name: String,
    /// `blueprint.version`: the exact version being rendered, such as `1.0.0` (`blueprint.yaml` `version`).
    pub version: String,
}

impl Context {
    /// Build the context for one app in one environment. `app` holds the
    /// effective (merged, validated) settings; nothing here can fail for valid
    /// input, so problems surface as validation errors, never here.
    pub fn new(
        app: &AppFile,
        environment: &Environment,
        platform: &Platform,
        blueprint: &Blueprint,
        image: &ImageOverride,
    ) -> Context {
        let defaults = &blueprint.meta.defaults;
        let (cpu, memory) = defaults.resources.apply(app.resources.as_ref());
        let (min, max) = app.replicas.unwrap_or(defaults.replicas).bounds();
        let parsed = syntax::image_ref(&app.image).ok();
        let image_repository = parsed.as_ref().map(|i| i.repository.clone()).unwrap_or_else(|| app.image.clone());
        let image_tag = image.tag.clone().or_else(|| parsed.as_ref().and_then(|i| i.tag.clone()));
        // A digest pins the exact image, so a new tag at render time makes the
        // file's digest stale: it is dropped unless a new digest comes too.
        let file_digest = if image.tag.is_some() { None } else { parsed.as_ref().and_then(|i| i.digest.clone()) };
        let image_digest = image.digest.clone().or(file_digest);
        let mut full_image = image_repository.clone();
        if let Some(tag) = &image_tag {
            full_image.push(':');
            full_image.push_str(tag);
        }
        if let Some(digest) = &image_digest {
            full_image.push('@');
            full_image.push_str(digest);
        }
        // The paths, for blueprint versions written before probes had other forms.
        let probe = |app: Option<&Probe>, default: &Option<Probe>| match app.or(default.as_ref()) {
            Some(Probe::Path(path)) => Some(path.clone()),
            _ => None,
        };
        let probes = ProbesContext {
            liveness: probe(app.probes.as_ref().and_then(|p| p.liveness.as_ref()), &defaults.probes.liveness),
            readiness: probe(app.probes.as_ref().and_then(|p| p.readiness.as_ref()), &defaults.probes.readiness),
            startup: probe(app.probes.as_ref().and_then(|p| p.startup.as_ref()), &defaults.probes.startup),
        };
        let protocol = workload::protocol(app, blueprint);
        let container_ports = workload::container_ports(app, protocol);
        let checks = workload::checks(app, blueprint, protocol, &container_ports);
        let limits = LimitsContext {
            cpu: app
                .resources
                .as_ref()
                .and_then(|r| r.limits.as_ref())
                .and_then(|l| l.cpu.as_ref())
                .map(ToString::to_string),
            memory: app
                .resources
                .as_ref()
                .and_then(|r| r.limits.as_ref())
                .and_then(|l| l.memory.as_ref())
                .map(ToString::to_string)
                .unwrap_or_else(|| memory.clone()),
        };
        let replicas = app.replicas.unwrap_or(defaults.replicas);
        let cpu_target = match replicas {
            paved_spec::app::Replicas::Range(range) => range.cpu.unwrap_or(70),
            paved_spec::app::Replicas::Fixed(_) => 70,
        };
        let ingress = app
            .ingress
            .as_ref()
            .map(|i| i.as_slice())
            .unwrap_or_default()
            .iter()
            .map(|route| Route {
                host: if route.host.contains('.') {
                    route.host.clone()
                } else {
                    format!("{}.{}", route.host, environment.ingress_domain)
                },
                path: route.path.clone().unwrap_or_else(|| "/".into()),
            })
            .collect();
        let metrics = app.metrics.as_ref().map(|m| {
            let port = m.port.or(app.port).unwrap_or_default();
            let port_name = container_ports
                .iter()
                .find(|p| p.port == port && p.protocol == "TCP")
                .map(|p| p.name.clone())
                .unwrap_or_else(|| "metrics".into());
            MetricsContext {
                port,
                path: m.path.clone().unwrap_or_else(|| "/metrics".into()),
                separate_port: port_name == "metrics",
                port_name,
            }
        });
        let labels: BTreeMap<String, String> = [
            ("app.kubernetes.io/name", app.name.as_str()),
            ("app.kubernetes.io/instance", app.name.as_str()),
            ("app.kubernetes.io/component", blueprint.meta.name.as_str()),
            ("app.kubernetes.io/part-of", app.team.as_str()),
            ("app.kubernetes.io/managed-by", "paved"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
        let selector = labels
            .iter()
            .filter(|(k, _)| matches!(k.as_str(), "app.kubernetes.io/name" | "app.kubernetes.io/instance"))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        let annotations = BTreeMap::from([("paved.io/blueprint".to_owned(), blueprint.id.clone())]);
        let files = composition::files(app, |hash| format!("{}-files-{hash}", app.name));
        let (tmp, scratch_volumes, scratch_mounts) = composition::scratch(app);
        let azure_identity = composition::azure_identity(app, platform);
        let mut pod_labels = labels.clone();
        let mut service_account_annotations = annotations.clone();
        if let Some(identity) = &azure_identity {
            pod_labels.insert("azure.workload.identity/use".into(), "true".into());
            service_account_annotations.insert("azure.workload.identity/client-id".into(), identity.client_id.clone());
            if let Some(tenant) = &identity.tenant_id {
                service_account_annotations.insert("azure.workload.identity/tenant-id".into(), tenant.clone());
            }
        }
        let migrate = composition::migrate(app, &pod_labels, &files);
        Context {
            app: AppContext {
                name: app.name.clone(),
                team: app.team.clone(),
                namespace: environment.namespace_for(&app.team),
                image: full_image,
                image_repository,
                image_tag,
                image_digest,
                port: app.port,
                command: app.command.clone(),
                args: app.args.clone(),
                // Plain values only: versions before env references render these.
                env: app
                    .env
                    .iter()
                    .flatten()
                    .filter_map(|(name, value)| Some(EnvVar { name: name.clone(), value: value.text()?.to_owned() }))
                    .collect(),
                secrets: app.secrets.clone().unwrap_or_default(),
                resources: ResourcesContext { cpu, memory, limits },
                replicas: ReplicasContext {
                    min,
                    max,
                    autoscale: min < max,
                    disruption_budget: min >= 2,
                    cpu: cpu_target,
                },
                probes,
                ingress,
                metrics,
                schedule: app.schedule.clone(),
                time_zone: app.time_zone.clone(),
                concurrency: match app.concurrency.unwrap_or(Concurrency::Forbid) {
                    Concurrency::Allow => "Allow",
                    Concurrency::Forbid => "Forbid",
                    Concurrency::Replace => "Replace",
                }
                .into(),
                storage: app.storage.as_ref().map(|s| StorageContext {
                    size: s.size.clone(),
                    path: s.path.clone().unwrap_or_else(|| "/data".into()),
                    class: s.class.clone(),
                }),
                protocol: protocol.as_str().to_owned(),
                service_port: app.port.map(|port| app.service_port.unwrap_or(port)),
                container_ports,
                checks,
                run_as: workload::run_as(app),
                pod_annotations: workload::pod_annotations(app),
                termination_grace_period_seconds: workload::seconds(app.termination_grace_period.as_ref()),
                strategy: workload::strategy(app),
                backoff_limit: app.backoff_limit,
                history: HistoryContext {
                    successful: app.history.and_then(|h| h.successful),
                    failed: app.history.and_then(|h| h.failed),
                },
                deadline_seconds: workload::seconds(app.deadline.as_ref()),
                env_vars: composition::env_vars(app.env.as_ref()),
                extra_volumes: files.volumes.iter().cloned().chain(scratch_volumes).collect(),
                extra_mounts: files.mounts.iter().cloned().chain(scratch_mounts).collect(),
                files,
                tmp,
                init_containers: composition::containers(app),
                pod_labels,
                service_account_annotations,
                azure_identity,
                migrate,
                spec_hash: String::new(),
            },
            environment: EnvironmentContext {
                name: environment.name.clone(),
                cluster: environment.cluster.clone(),
                ingress_domain: environment.ingress_domain.clone(),
            },
            platform: PlatformContext {
                ingress_class: platform.ingress.class_name.clone(),
                ingress_annotations: platform.ingress.annotations.clone(),
                service_monitor_labels: platform.monitoring.service_monitor_labels.clone(),
                image_pull_policy: platform.image_pull_policy.as_str().to_owned(),
            },
            blueprint: BlueprintContext {
                name: blueprint.meta.name.clone(),
                version: blueprint.meta.version.to_string(),
            },
            labels,
            selector,
            annotations,
        }
    }

    /// Fill in `app.spec_hash`: everything else in the context, and which
    /// blueprint version renders it, so the same settings give the same hash
    /// and a one-off Job keeps its name. Hashing the whole context is a few
    /// percent of a render: the engine asks for it only for versions whose
    /// templates name it.
    pub fn with_spec_hash(mut self, blueprint: &Blueprint) -> Context {
        self.app.spec_hash = composition::hash(&(&self, &blueprint.id));
        self
    }
}
