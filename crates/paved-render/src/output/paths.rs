//! Where every file of paved's trees goes: each path is made here, and only here.
//!
//! The tree of apps (`paved render --out DIR`, `paved check --out DIR`,
//! `paved blueprint render --out DIR`):
//!
//! ```text
//! DIR/
//!   .paved-tree                            marks the tree as paved's (render refuses to replace a folder without it)
//!   <team>/<app>/<env>/manifests.yaml      every Kubernetes object of that app in that environment
//!   <team>/<app>/<env>/chart/              the Helm chart that renders those objects but the network policies
//!     Chart.yaml  values.yaml  values.schema.json  templates/
//!   <team>/<app>/<env>/policies/           the network policies, one file each (deployed by the platform)
//!   <team>/<app>/<env>/application.yaml    the Argo CD Applications: the chart's, then the policies'
//!   <team>/<app>/<env>/promoted.yaml       the image the pipeline promoted (the pipeline's file; paved keeps it)
//!   <team>/<app>/azure-pipelines.yml       the app's Azure DevOps pipeline
//!   <team>/<app>/catalog-info.yaml         the app's Backstage entities: its Component, the external hosts it calls first
//! ```
//!
//! The tree of landing zones (`paved landing-zone --out DIR`):
//!
//! ```text
//! DIR/
//!   .paved-tree
//!   <team>/<env>/cluster.yaml    for the environment's cluster: namespace, quota, limits, accounts, access, baseline policy
//!   <team>/<env>/argocd.yaml     for the namespace Argo CD runs in: the team's AppProject and its policy project
//!   <team>/catalog-info.yaml     the team's Backstage Group
//! ```
//!
//! The Argo CD Applications point into the first tree (`argocd.rs`), and the
//! pipeline commits into it, so a path changed here changes what they read.

use crate::normalise::Object;

/// The marker file at the root of a tree paved wrote.
pub const TREE_MARKER: &str = ".paved-tree";

/// The file, beside an environment's `chart/`, where the pipeline records the
/// image it promoted (`image.tag`, `image.digest`). It belongs to the pipeline:
/// paved never writes it, and keeps it when it replaces the tree.
pub const PROMOTED: &str = "promoted.yaml";

/// The file name of an app's Azure DevOps pipeline: in the tree, and beside
/// the app file in the app's repository.
pub const PIPELINE: &str = "azure-pipelines.yml";

/// The folder of one app in one environment: `<team>/<app>/<env>`.
#[derive(Debug, Clone, Copy)]
pub struct EnvFolder<'a> {
    /// The owning team.
    pub team: &'a str,
    /// The app's name.
    pub app: &'a str,
    /// The environment's name.
    pub environment: &'a str,
}

impl EnvFolder<'_> {
    /// `<team>/<app>/<env>`.
    pub fn path(&self) -> String {
        format!("{}/{}/{}", self.team, self.app, self.environment)
    }

    /// Every Kubernetes object of the app in the environment, in one file.
    pub fn manifests(&self) -> String {
        format!("{}/manifests.yaml", self.path())
    }

    /// The Argo CD Applications.
    pub fn applications(&self) -> String {
        format!("{}/application.yaml", self.path())
    }

    /// The folder of the Helm chart.
    pub fn chart(&self) -> String {
        format!("{}/chart", self.path())
    }

    /// The folder of the network policies: plain manifests, one file per policy.
    pub fn policies(&self) -> String {
        format!("{}/policies", self.path())
    }

    /// One network policy's file in [`EnvFolder::policies`].
    pub fn policy(&self, policy: &Object) -> String {
        format!("{}/{}-{}.yaml", self.policies(), policy.kind().to_ascii_lowercase(), policy.name())
    }

    /// The pipeline's [`PROMOTED`] file.
    pub fn promoted(&self) -> String {
        format!("{}/{PROMOTED}", self.path())
    }
}

/// Whether `path` (relative to the tree's root) is a pipeline's [`PROMOTED`]
/// file: one directly in an app's environment folder, and nowhere else (one
/// in `policies/` or a chart's `templates/` would be deployed).
pub fn is_promoted(path: &str) -> bool {
    path.split('/').count() == 4 && path.ends_with(&format!("/{PROMOTED}"))
}

/// An app's pipeline in the tree: `<team>/<app>/azure-pipelines.yml`.
pub fn pipeline(team: &str, app: &str) -> String {
    format!("{team}/{app}/{PIPELINE}")
}

/// The file Backstage reads entities from, by its convention.
pub const CATALOG_INFO: &str = "catalog-info.yaml";

/// An app's Backstage entities in the tree: `<team>/<app>/catalog-info.yaml`.
pub fn catalog_info(team: &str, app: &str) -> String {
    format!("{team}/{app}/{CATALOG_INFO}")
}

/// A team's Backstage Group in the landing-zone tree: `<team>/catalog-info.yaml`.
pub fn landing_catalog_info(team: &str) -> String {
    format!("{team}/{CATALOG_INFO}")
}

/// A landing zone's objects for the environment's cluster.
pub fn landing_cluster(team: &str, environment: &str) -> String {
    format!("{team}/{environment}/cluster.yaml")
}

/// A landing zone's objects for the namespace Argo CD runs in.
pub fn landing_argocd(team: &str, environment: &str) -> String {
    format!("{team}/{environment}/argocd.yaml")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_promoted_file_in_an_environment_folder_is_the_pipelines() {
        let folder = EnvFolder { team: "payments", app: "api", environment: "prod" };
        assert!(is_promoted(&folder.promoted()));
        assert!(!is_promoted(&format!("{}/{PROMOTED}", folder.policies())));
        assert!(!is_promoted(&format!("{}/templates/{PROMOTED}", folder.chart())));
        assert!(!is_promoted(PROMOTED));
    }
}
