//! The template context: everything a blueprint template can see.
//!
//! This struct is load-bearing: its field names are the template API that
//! every published blueprint version is written against. Renaming or removing
//! a field breaks published blueprints; add fields, never change them.
//! `docs/blueprints.md` documents each field for blueprint authors.

use std::collections::BTreeMap;

use paved_blueprint::Blueprint;
use paved_spec::app::{AppFile, Concurrency};
use paved_spec::platform::{Environment, Platform};
use paved_spec::syntax;
use serde::Serialize;

/// Image tag and digest given at render time (`--image-tag`, `--image-digest`);
/// they replace what the app file says. A new tag alone also drops the file's
/// digest, which pinned the old image.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImageOverride {
    pub tag: Option<String>,
    pub digest: Option<String>,
}

/// The whole context of one template render.
#[derive(Debug, Serialize)]
pub struct Context {
    pub app: AppContext,
    pub environment: EnvironmentContext,
    pub platform: PlatformContext,
    pub blueprint: BlueprintContext,
    /// The recommended `app.kubernetes.io/*` labels, for every object's `metadata.labels` and pod templates.
    pub labels: BTreeMap<String, String>,
    /// The labels that select the app's pods (a stable subset of `labels`).
    pub selector: BTreeMap<String, String>,
    /// Annotations for every object's metadata (not pod templates, so a blueprint upgrade alone does not restart pods).
    pub annotations: BTreeMap<String, String>,
}

/// The app's effective settings in this environment, blueprint defaults applied.
#[derive(Debug, Serialize)]
pub struct AppContext {
    pub name: String,
    pub team: String,
    pub namespace: String,
    /// The full image reference to run: repository, then `:tag` and/or `@digest` when known.
    pub image: String,
    pub image_repository: String,
    pub image_tag: Option<String>,
    pub image_digest: Option<String>,
    pub port: Option<u32>,
    pub command: Option<Vec<String>>,
    pub args: Option<Vec<String>>,
    /// Sorted by name.
    pub env: Vec<EnvVar>,
    pub secrets: Vec<String>,
    pub resources: ResourcesContext,
    pub replicas: ReplicasContext,
    pub probes: ProbesContext,
    /// Routes, with short host names completed by the environment's ingress domain.
    pub ingress: Vec<Route>,
    pub metrics: Option<MetricsContext>,
    pub schedule: Option<String>,
    pub time_zone: Option<String>,
    pub concurrency: String,
    pub storage: Option<StorageContext>,
}

#[derive(Debug, Serialize)]
pub struct EnvVar {
    pub name: String,
    pub value: String,
}

#[derive(Debug, Serialize)]
pub struct ResourcesContext {
    pub cpu: String,
    pub memory: String,
}

#[derive(Debug, Serialize)]
pub struct ReplicasContext {
    pub min: u32,
    pub max: u32,
    /// `min < max`: an autoscaler owns the replica count.
    pub autoscale: bool,
    /// `min ≥ 2`: a disruption budget keeps one pod up during node drains.
    pub disruption_budget: bool,
}

#[derive(Debug, Serialize)]
pub struct ProbesContext {
    pub liveness: Option<String>,
    pub readiness: Option<String>,
    pub startup: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct Route {
    pub host: String,
    pub path: String,
}

#[derive(Debug, Serialize)]
pub struct MetricsContext {
    pub port: u32,
    pub path: String,
    /// The metrics port differs from the app port, so it needs a port of its own.
    pub separate_port: bool,
}

#[derive(Debug, Serialize)]
pub struct StorageContext {
    pub size: String,
    pub path: String,
    pub class: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct EnvironmentContext {
    pub name: String,
    pub cluster: String,
    pub ingress_domain: String,
}

#[derive(Debug, Serialize)]
pub struct PlatformContext {
    pub ingress_class: String,
    pub ingress_annotations: BTreeMap<String, String>,
    pub service_monitor_labels: BTreeMap<String, String>,
}

#[derive(Debug, Serialize)]
pub struct BlueprintContext {
    pub name: String,
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
        let probe = |app: Option<&String>, default: &Option<String>| app.cloned().or_else(|| default.clone());
        let probes = ProbesContext {
            liveness: probe(app.probes.as_ref().and_then(|p| p.liveness.as_ref()), &defaults.probes.liveness),
            readiness: probe(app.probes.as_ref().and_then(|p| p.readiness.as_ref()), &defaults.probes.readiness),
            startup: probe(app.probes.as_ref().and_then(|p| p.startup.as_ref()), &defaults.probes.startup),
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
            MetricsContext {
                port,
                path: m.path.clone().unwrap_or_else(|| "/metrics".into()),
                separate_port: Some(port) != app.port,
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
                env: app
                    .env
                    .iter()
                    .flatten()
                    .map(|(name, value)| EnvVar { name: name.clone(), value: value.clone() })
                    .collect(),
                secrets: app.secrets.clone().unwrap_or_default(),
                resources: ResourcesContext { cpu, memory },
                replicas: ReplicasContext { min, max, autoscale: min < max, disruption_budget: min >= 2 },
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
}
