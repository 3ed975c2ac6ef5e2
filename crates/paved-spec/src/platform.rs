//! The platform file: what is true for the whole organisation.
//!
//! Environments in promotion order, the registries images may come from, where
//! the ingress controller and monitoring run, which network-policy flavors to
//! emit, and the Kubernetes version output must validate against. paved embeds
//! an example organisation (`platform.yaml` at the repository root); `--platform
//! FILE` replaces it and is validated the same way as app files.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The platform file (`platform.yaml`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[schemars(title = "paved platform file")]
pub struct Platform {
    /// The Kubernetes minor version output is validated against, such as `"1.31"`.
    pub kubernetes_version: String,
    /// The environments, in promotion order (the first is deployed first).
    #[schemars(length(min = 1))]
    pub environments: Vec<Environment>,
    /// Registries images may come from (host names, optionally with a port).
    #[schemars(length(min = 1))]
    pub registries: Vec<String>,
    /// The ingress controller.
    pub ingress: IngressController,
    /// The monitoring stack (Prometheus operator).
    pub monitoring: Monitoring,
    /// Network policies to emit.
    pub network_policy: NetworkPolicy,
    /// The GitOps repository Argo CD deploys from.
    pub gitops: Gitops,
    /// The Azure DevOps pipeline-template library every app's pipeline extends.
    pub pipelines: Pipelines,
    /// Where editors fetch the app file's JSON schema; `paved new` writes it in the `# yaml-language-server: $schema=` line when no `schemas/app.schema.json` is found in a parent folder.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub app_schema_url: Option<String>,
    /// When a node pulls an app's image: `Always` (the default) or `IfNotPresent`. In a shared cluster, `IfNotPresent` lets a pod use an image cached on its node without the right to pull it (another team's pod pulled it there); `Always` asks the registry every time, so its access rules hold. Blueprint versions from api 1.2.0, worker 1.1.0, cronjob 1.1.0 and stateful 1.1.0 render it; earlier versions render `IfNotPresent`.
    #[serde(default)]
    #[schemars(extend("default" = "Always"))]
    pub image_pull_policy: PullPolicy,
    /// Microsoft Entra Workload ID, for apps with `identity.azure`.
    #[serde(default)]
    pub azure: Azure,
}

/// Microsoft Entra Workload ID on the platform's clusters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Azure {
    /// The host apps sign in at (their egress on port 443 is allowed by name). Default: `login.microsoftonline.com` (Azure's public cloud).
    #[serde(default = "default_login_host")]
    pub login_host: String,
    /// The Entra ID tenant apps' identities belong to, as the ServiceAccount's `azure.workload.identity/tenant-id` annotation. Default: none (the tenant the cluster's workload-identity webhook is configured with).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tenant_id: Option<String>,
}

impl Default for Azure {
    fn default() -> Self {
        Azure { login_host: default_login_host(), tenant_id: None }
    }
}

fn default_login_host() -> String {
    "login.microsoftonline.com".into()
}

/// When a node pulls an image (the containers' `imagePullPolicy`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum PullPolicy {
    /// Ask the registry on every pod start: a pod runs an image only when its node may pull it (a cached layer is still reused).
    #[default]
    Always,
    /// Use the node's copy when it has one: faster starts, but a pod may run an image it has no right to pull.
    IfNotPresent,
}

impl PullPolicy {
    /// The value Kubernetes takes.
    pub fn as_str(self) -> &'static str {
        match self {
            PullPolicy::Always => "Always",
            PullPolicy::IfNotPresent => "IfNotPresent",
        }
    }
}

/// One environment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Environment {
    /// The environment's name (a DNS-1123 label), such as `dev`.
    pub name: String,
    /// The cluster's API server URL (the Argo CD destination).
    pub cluster: String,
    /// The domain completing short ingress host names, such as `dev.apps.bank.internal`.
    pub ingress_domain: String,
    /// The namespace of a team's apps; `{team}` stands for the team. Default: `{team}`.
    #[serde(default = "default_namespace")]
    pub namespace: String,
    /// Whether this is a production environment (developers get read-only access to their namespace there). When no environment says so, the last one is production.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub production: bool,
}

fn default_namespace() -> String {
    "{team}".into()
}

/// Where the ingress controller runs, so network policies can admit it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct IngressController {
    /// The IngressClass apps use.
    pub class_name: String,
    /// The controller's namespace.
    pub namespace: String,
    /// Labels selecting the controller's pods.
    pub pod_labels: BTreeMap<String, String>,
    /// Annotations added to every Ingress (for example a cert-manager issuer).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub annotations: BTreeMap<String, String>,
    /// Which `ingress.path` values apps may write, by what the controller admits: `strict` (the default) allows Prefix paths of letters, digits, `/`, `_` and `-` only, as ingress-nginx does with `strict-validate-path-type` (its default from v1.12), which denies any other Ingress at admission; `any` allows any HTTP path, for a controller that takes them.
    #[serde(default)]
    #[schemars(extend("default" = "strict"))]
    pub paths: IngressPaths,
}

/// The ingress paths the controller admits.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum IngressPaths {
    /// Letters, digits, `/`, `_` and `-` (ingress-nginx's `strict-validate-path-type`).
    #[default]
    Strict,
    /// Any HTTP path.
    Any,
}

/// Where Prometheus runs, so network policies can admit it and ServiceMonitors are picked up.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Monitoring {
    /// Prometheus' namespace.
    pub namespace: String,
    /// Labels selecting the Prometheus pods.
    pub pod_labels: BTreeMap<String, String>,
    /// Labels Prometheus selects ServiceMonitors by.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub service_monitor_labels: BTreeMap<String, String>,
}

/// The GitOps repository holding the rendered tree, and the Argo CD that deploys it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Gitops {
    /// The repository's clone URL, such as `https://dev.azure.com/bank/platform/_git/gitops`.
    pub repo_url: String,
    /// The branch or tag Argo CD follows. Default: `main`.
    #[serde(default = "default_revision")]
    pub revision: String,
    /// The folder of the rendered tree (`paved render --out`) inside the repository. Default: the root.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub path: String,
    /// The namespace Argo CD's Applications live in. Default: `argocd`.
    #[serde(default = "default_argocd_namespace")]
    pub argocd_namespace: String,
}

fn default_revision() -> String {
    "main".into()
}

fn default_argocd_namespace() -> String {
    "argocd".into()
}

/// Where the pipeline-template library lives and which version apps use.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Pipelines {
    /// The Azure Repos repository of the library, `project/repository`.
    pub repository: String,
    /// The tag every app's pipeline pins, such as `refs/tags/pipeline-templates-v1.0.0`. Never a branch: a change to the library reaches apps only when this ref moves, in a reviewed change.
    #[schemars(regex(pattern = r"^refs/tags/.+$"))]
    pub r#ref: String,
}

/// Which network policies to emit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct NetworkPolicy {
    /// `cilium` (CiliumNetworkPolicy), `kubernetes` (NetworkPolicy), or both.
    #[schemars(length(min = 1))]
    pub flavors: Vec<PolicyFlavor>,
}

/// A network-policy flavor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum PolicyFlavor {
    /// CiliumNetworkPolicy (cilium.io/v2), which can also name hosts (`toFQDNs`).
    Cilium,
    /// The portable NetworkPolicy (networking.k8s.io/v1).
    Kubernetes,
}

impl Platform {
    /// The environment called `name`.
    pub fn environment(&self, name: &str) -> Option<&Environment> {
        self.environments.iter().find(|e| e.name == name)
    }

    /// Whether `environment` is production: marked `production: true`, or,
    /// when no environment is marked, the last one in promotion order.
    pub fn is_production(&self, environment: &Environment) -> bool {
        match self.environments.iter().any(|e| e.production) {
            true => environment.production,
            false => self.environments.last().is_some_and(|last| last.name == environment.name),
        }
    }

    /// The environments' names, in promotion order.
    pub fn environment_names(&self) -> impl Iterator<Item = &str> {
        self.environments.iter().map(|e| e.name.as_str())
    }
}

impl Environment {
    /// The namespace of `team`'s apps in this environment.
    pub fn namespace_for(&self, team: &str) -> String {
        self.namespace.replace("{team}", team)
    }

    /// The Argo CD AppProject of `team` in this environment: the one place
    /// this name is made (Applications and landing zones both use it).
    pub fn app_project_for(&self, team: &str) -> String {
        format!("{team}-{}", self.name)
    }

    /// The Argo CD Application deploying `app`'s chart in this environment.
    pub fn application_for(&self, team: &str, app: &str) -> String {
        format!("{team}-{app}-{}", self.name)
    }

    /// The Argo CD Application deploying `app`'s network policies in this
    /// environment: the longest name paved makes for an app (validation keeps
    /// it within 63 characters, a label value, as Argo CD tracks by it).
    pub fn policies_application_for(&self, team: &str, app: &str) -> String {
        format!("{}-policies", self.application_for(team, app))
    }

    /// The platform-owned Argo CD AppProject that deploys the network policies
    /// paved renders for `team`'s apps in this environment: it may create
    /// nothing but network policies, only in the team's namespace. The team's
    /// own project may create none ([`Environment::app_project_for`]).
    pub fn policy_project_for(&self, team: &str) -> String {
        format!("{team}-{}-policies", self.name)
    }
}

/// The embedded default platform file: an example organisation.
pub const DEFAULT_PLATFORM: &str = include_str!("../../../platform.yaml");
