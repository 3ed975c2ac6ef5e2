//! The app file's configuration and composition: environment variables that
//! read a Secret, a ConfigMap or the pod, files, scratch volumes, init
//! containers and sidecars, an Azure workload identity, a migration run
//! before each deploy.
//!
//! Names follow what app authors know: `env` references as Score writes them
//! (`{secret, key}`), `files` keyed by the path they appear at, as Score and
//! the bjw-s app-template chart mount them, `init` and `sidecars` as NAIS and
//! app-template name them.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::Resources;

/// One environment variable's value: a string, or one key of a Secret or ConfigMap, or a field of the pod.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum EnvValue {
    /// A plain value. Quote numbers and booleans (`"8080"`, `"true"`). A plain value can change at deploy time (the chart's values); a reference cannot.
    Text(String),
    /// One key of a Secret in the app's namespace: `{secret: payments-db, key: password}`.
    Secret(SecretKey),
    /// One key of a ConfigMap in the app's namespace: `{configMap: shared-settings, key: region}`.
    ConfigMap(ConfigMapKey),
    /// A field of the pod: `{field: metadata.name}`.
    Field(PodField),
}

/// One key of a Secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SecretKey {
    /// The Secret's name.
    pub secret: String,
    /// The key in the Secret.
    pub key: String,
}

/// One key of a ConfigMap.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ConfigMapKey {
    /// The ConfigMap's name.
    pub config_map: String,
    /// The key in the ConfigMap.
    pub key: String,
}

/// A field of the pod.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PodField {
    /// `metadata.name` (the pod's name), `metadata.namespace`, `spec.nodeName` or `status.podIP`.
    pub field: String,
}

/// The pod fields an env variable may read.
pub const POD_FIELDS: &[&str] = &["metadata.name", "metadata.namespace", "spec.nodeName", "status.podIP"];

/// One file, mounted read-only at the path it is keyed by: its `content` written here, or one `key` of a `secret` or `configMap`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct FileSpec {
    /// The file's text. paved renders it into a ConfigMap named with a hash of all the app's file contents, so a change rolls the pods.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content: Option<String>,
    /// A Secret in the app's namespace, of which `key` is the file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret: Option<String>,
    /// A ConfigMap in the app's namespace, of which `key` is the file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub config_map: Option<String>,
    /// The key of `secret` or `configMap` that is the file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    /// The file's mode as an octal string, such as `"0440"`. Default: `"0444"` (read by all; no file is writable).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("default" = "0444"))]
    pub mode: Option<String>,
}

/// Writable scratch space at a path: an `emptyDir` that lives as long as the pod.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Volume {
    /// The most the volume may hold, such as `512Mi`; a pod that writes more is evicted.
    pub size: String,
    /// Keep it in memory (`tmpfs`), counted against the container's memory limit. Default: `false` (the node's disk).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memory: Option<bool>,
}

/// A container beside the app's: an init container (`init`) or a sidecar (`sidecars`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Container {
    /// The container's name: a DNS-1123 label, unique in the pod, not the app's name.
    pub name: String,
    /// Its image, on an allowed registry and pinned here by tag or digest (a render-time `--image-tag` is the app's alone).
    pub image: String,
    /// Overrides the image's entrypoint.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1))]
    pub command: Option<Vec<String>>,
    /// Overrides the image's arguments.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1))]
    pub args: Option<Vec<String>>,
    /// Its environment variables, as the app's `env`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub env: Option<BTreeMap<String, EnvValue>>,
    /// Its requests and limits. Default: 50m CPU and 64Mi memory, the memory request also the limit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resources: Option<Resources>,
    /// Sidecars only: a port the sidecar listens on (1–65535). Nothing outside the pod reaches it, unless it is the app's `metrics.port`: then monitoring scrapes it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1, max = 65535))]
    pub port: Option<u32>,
}

/// Who the app is to the cloud.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Identity {
    /// Microsoft Entra Workload ID on AKS.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub azure: Option<AzureIdentity>,
}

/// Microsoft Entra Workload ID.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct AzureIdentity {
    /// The client ID (a UUID) of the user-assigned managed identity or app registration the app acts as. Its federated credential names the subject `system:serviceaccount:<namespace>:<app>`.
    pub client_id: String,
}

/// A command run with the app's image before each deploy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Migrate {
    /// Overrides the image's entrypoint for the migration, such as `[/app/migrate]`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1))]
    pub command: Option<Vec<String>>,
    /// The migration's arguments, such as `[up]`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1))]
    pub args: Option<Vec<String>>,
}

impl EnvValue {
    /// The plain value, when it is one.
    pub fn text(&self) -> Option<&str> {
        match self {
            EnvValue::Text(text) => Some(text),
            _ => None,
        }
    }
}
