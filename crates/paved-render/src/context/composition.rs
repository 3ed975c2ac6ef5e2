//! The template context's composition parts: env variables with references,
//! files (a ConfigMap named by a hash of its data, and keys of existing
//! Secrets and ConfigMaps), scratch volumes, init containers and sidecars, the
//! Azure workload identity, the migration run before each deploy, and the hash
//! that names a one-off Job.
//!
//! Volumes and mounts come ready-made as Kubernetes objects: their names and
//! modes follow rules (a name per source, octal modes as numbers) that no
//! template should have to repeat. Load-bearing like the rest of the context:
//! add fields, never rename or remove one.

use std::collections::BTreeMap;

use paved_spec::app::{AppFile, Container, EnvValue, FileSpec, Resources};
use paved_spec::platform::Platform;
use paved_spec::syntax;
use serde::Serialize;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

/// One environment variable: a plain value, or where it is read from.
#[derive(Debug, Clone, Serialize)]
pub struct EnvVarContext {
    /// The variable's name.
    pub name: String,
    /// The plain value; none when the variable reads a Secret, ConfigMap or pod field.
    pub value: Option<String>,
    /// Kubernetes' `valueFrom` (`secretKeyRef`, `configMapKeyRef` or `fieldRef`); none for a plain value.
    pub value_from: Option<Value>,
}

/// The env variables of `env`, sorted by name.
pub fn env_vars(env: Option<&BTreeMap<String, EnvValue>>) -> Vec<EnvVarContext> {
    env.into_iter()
        .flatten()
        .map(|(name, value)| {
            let (value, value_from) = match value {
                EnvValue::Text(text) => (Some(text.clone()), None),
                EnvValue::Secret(s) => (None, Some(json!({ "secretKeyRef": { "name": s.secret, "key": s.key } }))),
                EnvValue::ConfigMap(c) => {
                    (None, Some(json!({ "configMapKeyRef": { "name": c.config_map, "key": c.key } })))
                }
                EnvValue::Field(f) => (None, Some(json!({ "fieldRef": { "fieldPath": f.field } }))),
            };
            EnvVarContext { name: name.clone(), value, value_from }
        })
        .collect()
}

/// One variable as Kubernetes writes it.
fn kubernetes_env(var: EnvVarContext) -> Value {
    match var.value_from {
        Some(from) => json!({ "name": var.name, "valueFrom": from }),
        None => json!({ "name": var.name, "value": var.value }),
    }
}

/// `app.files`: the app's files, ready to mount.
#[derive(Debug, Clone, Serialize)]
pub struct FilesContext {
    /// The ConfigMap holding the files written with `content`, `{name, data}`: named `<app>-files-<hash>` by a hash of its data, so a changed file is a new ConfigMap and rolls the pods; none without such files.
    pub config_map: Option<ConfigMapContext>,
    /// The pod volumes the files come from (Kubernetes `volumes` entries): `files` for the ConfigMap above, `files-<n>` for each Secret and ConfigMap named by `secret`/`configMap`.
    pub volumes: Vec<Value>,
    /// The container's mounts of the files (Kubernetes `volumeMounts` entries), each read-only, one file each (`subPath`), by path.
    pub mounts: Vec<Value>,
}

/// A ConfigMap paved renders.
#[derive(Debug, Clone, Serialize)]
pub struct ConfigMapContext {
    /// Its name.
    pub name: String,
    /// Its data, key to text.
    pub data: BTreeMap<String, String>,
}

/// The mode files get unless the app file says another: read by all, written by none.
const DEFAULT_MODE: u32 = 0o444;

/// The app's files: one ConfigMap for `content`, a volume per other source,
/// and a read-only mount per file.
pub fn files(app: &AppFile, config_map_name: impl Fn(&str) -> String) -> FilesContext {
    let files = app.files.clone().unwrap_or_default();
    let mut data = BTreeMap::new();
    let mut content_items = Vec::new();
    // Sources other than `content`, in order: ("secret" | "configMap", name) → items.
    let mut sources: BTreeMap<(&'static str, String), Vec<Value>> = BTreeMap::new();
    let mut mounts = Vec::new();
    for (path, spec) in &files {
        let mode = spec.mode.as_deref().and_then(|m| syntax::file_mode(m).ok()).unwrap_or(DEFAULT_MODE);
        let (volume_key, key) = match spec {
            FileSpec { content: Some(content), .. } => {
                let key = unique_key(&key_of(path), &data);
                data.insert(key.clone(), content.clone());
                content_items.push(json!({ "key": key, "path": key, "mode": mode }));
                (None, key)
            }
            FileSpec { secret: Some(name), key: Some(key), .. } => (Some(("secret", name.clone())), key.clone()),
            FileSpec { config_map: Some(name), key: Some(key), .. } => (Some(("configMap", name.clone())), key.clone()),
            // Validation has refused anything else.
            _ => continue,
        };
        if let Some(source) = &volume_key {
            let items = sources.entry(source.clone()).or_default();
            if !items.iter().any(|i| i["key"] == key) {
                items.push(json!({ "key": key, "path": key, "mode": mode }));
            }
        }
        mounts.push((path.clone(), volume_key, key));
    }
    let config_map = (!data.is_empty()).then(|| ConfigMapContext { name: config_map_name(&hash(&data)), data });
    let mut volumes = Vec::new();
    if let Some(cm) = &config_map {
        volumes.push(json!({
            "name": "files",
            "configMap": { "name": cm.name, "items": content_items, "defaultMode": DEFAULT_MODE },
        }));
    }
    let volume_names: BTreeMap<(&'static str, String), String> =
        sources.keys().enumerate().map(|(i, source)| (source.clone(), format!("files-{}", i + 1))).collect();
    for ((kind, name), items) in &sources {
        let volume = &volume_names[&(*kind, name.clone())];
        volumes.push(match *kind {
            "secret" => json!({
                "name": volume,
                "secret": { "secretName": name, "items": items, "defaultMode": DEFAULT_MODE },
            }),
            _ => json!({
                "name": volume,
                "configMap": { "name": name, "items": items, "defaultMode": DEFAULT_MODE },
            }),
        });
    }
    let mounts = mounts
        .into_iter()
        .map(|(path, source, key)| {
            let volume = match source {
                None => "files".to_owned(),
                Some(source) => volume_names[&source].clone(),
            };
            json!({ "name": volume, "mountPath": path, "subPath": key, "readOnly": true })
        })
        .collect();
    FilesContext { config_map, volumes, mounts }
}

/// A ConfigMap key for a file's path: its parts joined by `_`
/// (`/etc/app/config.toml` → `etc_app_config.toml`), keeping only the
/// characters a key may hold.
fn key_of(path: &str) -> String {
    let key: String = path
        .trim_start_matches('/')
        .chars()
        .map(|c| match c {
            '/' => '_',
            c if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') => c,
            _ => '-',
        })
        .collect();
    key.chars().rev().take(253).collect::<Vec<_>>().into_iter().rev().collect()
}

/// `key`, or `key-2`, `key-3`… when two paths give the same key.
fn unique_key(key: &str, taken: &BTreeMap<String, String>) -> String {
    let mut candidate = key.to_owned();
    let mut n = 1;
    while taken.contains_key(&candidate) {
        n += 1;
        candidate = format!("{key}-{n}");
    }
    candidate
}

/// A short hash of data (the first 10 hex digits of its SHA-256, as JSON).
pub fn hash(data: &impl Serialize) -> String {
    // The JSON text goes straight into the hash (SHA-256 is an `io::Write`),
    // without being kept; writing plain data into it cannot fail.
    let mut hasher = Sha256::new();
    let _ = serde_json::to_writer(&mut hasher, data);
    hasher.finalize().iter().take(5).map(|b| format!("{b:02x}")).collect()
}

/// `app.tmp`: the writable `/tmp` every container mounts.
#[derive(Debug, Clone, Serialize)]
pub struct TmpContext {
    /// Its `sizeLimit` (the app file's `volumes./tmp.size`, default `1Gi`).
    pub size_limit: String,
    /// `Memory` when `volumes./tmp.memory` is true; none for the node's disk.
    pub medium: Option<String>,
}

/// `/tmp`, and the other scratch volumes as pod volumes and mounts.
pub fn scratch(app: &AppFile) -> (TmpContext, Vec<Value>, Vec<Value>) {
    let mut tmp = TmpContext { size_limit: "1Gi".into(), medium: None };
    let mut volumes = Vec::new();
    let mut mounts = Vec::new();
    for (i, (path, volume)) in app.volumes.iter().flatten().enumerate() {
        let medium = volume.memory.unwrap_or(false).then(|| "Memory".to_owned());
        if path == "/tmp" {
            tmp = TmpContext { size_limit: volume.size.clone(), medium };
            continue;
        }
        let name = format!("scratch-{}", i + 1);
        let mut empty_dir = json!({ "sizeLimit": volume.size });
        if let Some(medium) = medium {
            empty_dir["medium"] = json!(medium);
        }
        volumes.push(json!({ "name": name, "emptyDir": empty_dir }));
        mounts.push(json!({ "name": name, "mountPath": path }));
    }
    (tmp, volumes, mounts)
}

/// One init container or sidecar, resolved.
#[derive(Debug, Clone, Serialize)]
pub struct ContainerContext {
    /// Its name.
    pub name: String,
    /// Its image, as the app file pins it.
    pub image: String,
    /// Its entrypoint override.
    pub command: Option<Vec<String>>,
    /// Its arguments override.
    pub args: Option<Vec<String>>,
    /// Its env variables as Kubernetes lists them (`{name, value}` or `{name, valueFrom}`), sorted by name: a sidecar's settings are render-time, never chart values.
    pub env: Vec<Value>,
    /// `{cpu, memory, limit_cpu, limit_memory}`: its requests (default 50m, 64Mi) and limits (memory: the request unless set; CPU: none unless set).
    pub resources: ContainerResources,
    /// `Always` for a sidecar (a native sidecar: an init container that keeps running); none for an init container.
    pub restart_policy: Option<String>,
    /// A sidecar's port: `{name, port}`, named `metrics` when it is the app's `metrics.port`, else unnamed.
    pub port: Option<SidecarPort>,
}

/// A container's requests and limits.
#[derive(Debug, Clone, Serialize)]
pub struct ContainerResources {
    /// CPU request.
    pub cpu: String,
    /// Memory request.
    pub memory: String,
    /// CPU limit; none: no CPU limit.
    pub limit_cpu: Option<String>,
    /// Memory limit.
    pub limit_memory: String,
}

/// A sidecar's port.
#[derive(Debug, Clone, Serialize)]
pub struct SidecarPort {
    /// `metrics` when monitoring scrapes it; none otherwise.
    pub name: Option<String>,
    /// The container port.
    pub port: u32,
}

/// The init containers, in order, then the sidecars.
pub fn containers(app: &AppFile) -> Vec<ContainerContext> {
    let metrics_port = app.metrics.as_ref().and_then(|m| m.port);
    let init = app.init.iter().flatten().map(|c| (c, None));
    let sidecars = app.sidecars.iter().flatten().map(|c| (c, Some("Always".to_owned())));
    init.chain(sidecars)
        .map(|(c, restart_policy): (&Container, Option<String>)| ContainerContext {
            name: c.name.clone(),
            image: c.image.clone(),
            command: c.command.clone(),
            args: c.args.clone(),
            env: env_vars(c.env.as_ref()).into_iter().map(kubernetes_env).collect(),
            resources: container_resources(c.resources.as_ref()),
            restart_policy,
            port: c
                .port
                .map(|port| SidecarPort { name: (Some(port) == metrics_port).then(|| "metrics".to_owned()), port }),
        })
        .collect()
}

fn container_resources(resources: Option<&Resources>) -> ContainerResources {
    let cpu = resources.and_then(|r| r.cpu.as_ref()).map_or_else(|| "50m".to_owned(), ToString::to_string);
    let memory = resources.and_then(|r| r.memory.as_ref()).map_or_else(|| "64Mi".to_owned(), ToString::to_string);
    let limits = resources.and_then(|r| r.limits.as_ref());
    ContainerResources {
        limit_cpu: limits.and_then(|l| l.cpu.as_ref()).map(ToString::to_string),
        limit_memory: limits.and_then(|l| l.memory.as_ref()).map_or_else(|| memory.clone(), ToString::to_string),
        cpu,
        memory,
    }
}

/// `app.azure_identity`: Microsoft Entra Workload ID.
#[derive(Debug, Clone, Serialize)]
pub struct AzureIdentityContext {
    /// The ServiceAccount's `azure.workload.identity/client-id`.
    pub client_id: String,
    /// The ServiceAccount's `azure.workload.identity/tenant-id` (platform file `azure.tenantId`); none: the webhook's default tenant.
    pub tenant_id: Option<String>,
}

/// The app's Azure identity, if it has one.
pub fn azure_identity(app: &AppFile, platform: &Platform) -> Option<AzureIdentityContext> {
    let azure = app.identity.as_ref()?.azure.as_ref()?;
    Some(AzureIdentityContext { client_id: azure.client_id.clone(), tenant_id: platform.azure.tenant_id.clone() })
}

/// `app.migrate`: the command run with the app's image before each deploy.
#[derive(Debug, Clone, Serialize)]
pub struct MigrateContext {
    /// The Job's name, `<app>-migrate`.
    pub name: String,
    /// The command.
    pub command: Option<Vec<String>>,
    /// Its arguments.
    pub args: Option<Vec<String>>,
    /// The labels of the Job and its pod: the app's pod labels (its workload identity too), with `app.kubernetes.io/name` and `/instance` set to the Job's name, so the app's own network policy and Service never select it.
    pub labels: BTreeMap<String, String>,
    /// The labels that select the migration's pods (its network policy uses them).
    pub selector: BTreeMap<String, String>,
    /// The files the migration mounts, from a copy of the app's ConfigMap named `<app>-migrate-files` that the deploy creates before the migration runs (none without `content` files).
    pub files: FilesContext,
}

/// The app's migration, if it has one.
pub fn migrate(app: &AppFile, labels: &BTreeMap<String, String>, app_files: &FilesContext) -> Option<MigrateContext> {
    let migrate = app.migrate.as_ref()?;
    let name = format!("{}-migrate", app.name);
    let mut labels = labels.clone();
    for k in ["app.kubernetes.io/name", "app.kubernetes.io/instance"] {
        labels.insert(k.to_owned(), name.clone());
    }
    let selector = labels
        .iter()
        .filter(|(k, _)| matches!(k.as_str(), "app.kubernetes.io/name" | "app.kubernetes.io/instance"))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let mut files = app_files.clone();
    let copy = format!("{name}-files");
    if let Some(cm) = &mut files.config_map {
        cm.name = copy.clone();
    }
    for volume in &mut files.volumes {
        if volume["name"] == "files" {
            volume["configMap"]["name"] = json!(copy);
        }
    }
    Some(MigrateContext { name, command: migrate.command.clone(), args: migrate.args.clone(), labels, selector, files })
}
