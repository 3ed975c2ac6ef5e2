#![warn(missing_docs)]

//! The Kubernetes kinds paved knows, in one table: [`KINDS`].
//!
//! Each row says everything paved needs to know about one kind: its apiVersion and kind,
//! the resource name RBAC rules use, its scope, where it goes in apply order (the row's
//! position), the vendored schema that judges it, where its pod spec lives, and which
//! output owns it. Every list of kinds elsewhere is derived from this table, so they
//! cannot drift apart (as the five hand-kept lists before it did):
//!
//! - `paved-validate`: one schema slot per row, and the pod specs its baseline checks;
//! - `paved-render`: the order of objects in output ([`apply_rank`]), which objects are
//!   network policies, and the landing zone's AppProject lists and Role rules.
//!
//! # Adding a kind
//!
//! A new kind is one row here plus its vendored schema. A Kubernetes kind: add its file
//! to the list in `scripts/vendor-schemas.sh` and run the script; a custom resource: copy
//! its file from datree's CRDs-catalog into `schemas/crds/`. Name the file in
//! `schemas/README.md`. The tests in `tests/vendored.rs` fail until the row, the vendored
//! files, the script and the README agree.
//!
//! Only kinds with a vendored schema have a row: `paved-validate` rejects an object it
//! has no schema for, so a row without one would order, route or grant a kind that no
//! rendered output may contain.
//!
//! The crate has no dependencies, so the lowest crate that needs a kind can use it.

use Owner::{Access, ArgoCd, Chart, LandingZone, Policies};
use Schema::{Crd, Kubernetes};
use Scope::{Cluster, Namespaced};

/// One kind paved renders or checks, with everything paved knows about it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Kind {
    /// The `apiVersion` of its objects: `group/version`, or only the version for the
    /// core group (`v1`).
    pub api_version: &'static str,
    /// The `kind` of its objects, such as `Deployment`.
    pub kind: &'static str,
    /// The resource name RBAC rules and API paths use: the kind in lowercase, plural
    /// (`networkpolicies`).
    pub resource: &'static str,
    /// Whether its objects live in a namespace.
    pub scope: Scope,
    /// The vendored schema its objects are validated against.
    pub schema: Schema,
    /// Where a workload's pod spec lives, as a JSON pointer (`/spec/template/spec`);
    /// `None` for kinds without pods. The security baseline checks the pod spec there.
    pub pod_spec: Option<&'static str>,
    /// Which output deploys it.
    pub owner: Owner,
}

/// Where an object lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scope {
    /// In a namespace (`metadata.namespace`).
    Namespaced,
    /// In the cluster, outside any namespace. AppProjects paved renders deny every
    /// cluster-scoped kind.
    Cluster,
}

/// The vendored schema of a kind, by file name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Schema {
    /// A strict schema of `schemas/kubernetes/v<major>.<minor>/`, named as the
    /// `kubernetes-validate` package names it: `<kind>-<first label of the group>-<version>.json`.
    Kubernetes(&'static str),
    /// A schema of `schemas/crds/`, named as datree's CRDs-catalog names it:
    /// `<group>_<kind in lowercase>_<version>.json`.
    Crd(&'static str),
}

impl Schema {
    /// The file name, without its folder.
    pub const fn file(&self) -> &'static str {
        match self {
            Kubernetes(file) | Crd(file) => file,
        }
    }
}

/// Which output deploys a kind, and so who may create it in a team's namespace.
///
/// The variants are declared in the order a team's namespace is built: the landing zone,
/// the policies that isolate its pods, the access its people get, then the apps' charts;
/// Argo CD's own objects, outside the namespace, last. Lists grouped by owner (the team
/// AppProject's `namespaceResourceBlacklist`) follow this order, then apply order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Owner {
    /// The team's landing zone (`paved landing-zone`), deployed by the platform: the
    /// namespace, its quota and its container defaults. A team's project may not create
    /// these, or it could lift its own quota.
    LandingZone,
    /// The platform's policy project: network policies, deployed apart from any app's
    /// chart, so a team cannot loosen the isolation of its pods.
    Policies,
    /// Access control (RBAC), which the landing zone grants. Its own owner, so no chart
    /// can grant itself or anyone else rights.
    Access,
    /// An app's Helm chart, deployed by the team's AppProject.
    Chart,
    /// Argo CD's own namespace: the AppProjects and Applications that deploy the rest.
    ArgoCd,
}

/// Every kind paved knows, in apply order: what others depend on first (the namespace,
/// the policies that isolate it, its quota, accounts and configuration), then the
/// workloads, then what scales, protects, routes to or watches them, and the Argo CD
/// objects last.
#[rustfmt::skip]
pub const KINDS: &[Kind] = &[
    Kind { api_version: "v1", kind: "Namespace", resource: "namespaces", scope: Cluster,
           schema: Kubernetes("namespace-v1.json"), pod_spec: None, owner: LandingZone },
    Kind { api_version: "networking.k8s.io/v1", kind: "NetworkPolicy", resource: "networkpolicies", scope: Namespaced,
           schema: Kubernetes("networkpolicy-networking-v1.json"), pod_spec: None, owner: Policies },
    Kind { api_version: "cilium.io/v2", kind: "CiliumNetworkPolicy", resource: "ciliumnetworkpolicies",
           scope: Namespaced, schema: Crd("cilium.io_ciliumnetworkpolicy_v2.json"), pod_spec: None, owner: Policies },
    Kind { api_version: "cilium.io/v2", kind: "CiliumClusterwideNetworkPolicy",
           resource: "ciliumclusterwidenetworkpolicies", scope: Cluster,
           schema: Crd("cilium.io_ciliumclusterwidenetworkpolicy_v2.json"), pod_spec: None, owner: Policies },
    Kind { api_version: "v1", kind: "ResourceQuota", resource: "resourcequotas", scope: Namespaced,
           schema: Kubernetes("resourcequota-v1.json"), pod_spec: None, owner: LandingZone },
    Kind { api_version: "v1", kind: "LimitRange", resource: "limitranges", scope: Namespaced,
           schema: Kubernetes("limitrange-v1.json"), pod_spec: None, owner: LandingZone },
    Kind { api_version: "v1", kind: "ServiceAccount", resource: "serviceaccounts", scope: Namespaced,
           schema: Kubernetes("serviceaccount-v1.json"), pod_spec: None, owner: Chart },
    Kind { api_version: "v1", kind: "ConfigMap", resource: "configmaps", scope: Namespaced,
           schema: Kubernetes("configmap-v1.json"), pod_spec: None, owner: Chart },
    Kind { api_version: "rbac.authorization.k8s.io/v1", kind: "Role", resource: "roles", scope: Namespaced,
           schema: Kubernetes("role-rbac-v1.json"), pod_spec: None, owner: Access },
    Kind { api_version: "rbac.authorization.k8s.io/v1", kind: "RoleBinding", resource: "rolebindings",
           scope: Namespaced, schema: Kubernetes("rolebinding-rbac-v1.json"), pod_spec: None, owner: Access },
    Kind { api_version: "v1", kind: "Service", resource: "services", scope: Namespaced,
           schema: Kubernetes("service-v1.json"), pod_spec: None, owner: Chart },
    Kind { api_version: "apps/v1", kind: "Deployment", resource: "deployments", scope: Namespaced,
           schema: Kubernetes("deployment-apps-v1.json"), pod_spec: Some("/spec/template/spec"), owner: Chart },
    Kind { api_version: "apps/v1", kind: "StatefulSet", resource: "statefulsets", scope: Namespaced,
           schema: Kubernetes("statefulset-apps-v1.json"), pod_spec: Some("/spec/template/spec"), owner: Chart },
    Kind { api_version: "batch/v1", kind: "CronJob", resource: "cronjobs", scope: Namespaced,
           schema: Kubernetes("cronjob-batch-v1.json"), pod_spec: Some("/spec/jobTemplate/spec/template/spec"),
           owner: Chart },
    Kind { api_version: "batch/v1", kind: "Job", resource: "jobs", scope: Namespaced,
           schema: Kubernetes("job-batch-v1.json"), pod_spec: Some("/spec/template/spec"), owner: Chart },
    Kind { api_version: "v1", kind: "Pod", resource: "pods", scope: Namespaced,
           schema: Kubernetes("pod-v1.json"), pod_spec: Some("/spec"), owner: Chart },
    Kind { api_version: "autoscaling/v2", kind: "HorizontalPodAutoscaler", resource: "horizontalpodautoscalers",
           scope: Namespaced, schema: Kubernetes("horizontalpodautoscaler-autoscaling-v2.json"), pod_spec: None,
           owner: Chart },
    Kind { api_version: "policy/v1", kind: "PodDisruptionBudget", resource: "poddisruptionbudgets",
           scope: Namespaced, schema: Kubernetes("poddisruptionbudget-policy-v1.json"), pod_spec: None, owner: Chart },
    Kind { api_version: "networking.k8s.io/v1", kind: "Ingress", resource: "ingresses", scope: Namespaced,
           schema: Kubernetes("ingress-networking-v1.json"), pod_spec: None, owner: Chart },
    Kind { api_version: "monitoring.coreos.com/v1", kind: "ServiceMonitor", resource: "servicemonitors",
           scope: Namespaced, schema: Crd("monitoring.coreos.com_servicemonitor_v1.json"), pod_spec: None,
           owner: Chart },
    Kind { api_version: "argoproj.io/v1alpha1", kind: "AppProject", resource: "appprojects", scope: Namespaced,
           schema: Crd("argoproj.io_appproject_v1alpha1.json"), pod_spec: None, owner: ArgoCd },
    Kind { api_version: "argoproj.io/v1alpha1", kind: "Application", resource: "applications", scope: Namespaced,
           schema: Crd("argoproj.io_application_v1alpha1.json"), pod_spec: None, owner: ArgoCd },
];

impl Kind {
    /// The API group of its apiVersion (see [`group`]).
    pub fn group(&self) -> &'static str {
        group(self.api_version)
    }
}

/// The row of `kind`, whatever its apiVersion: no kind is in the table twice (tested).
///
/// For checks that look at what an object is, not whether its apiVersion is right (a
/// schema check reports that).
pub fn by_kind(kind: &str) -> Option<&'static Kind> {
    KINDS.iter().find(|k| k.kind == kind)
}

/// The row of the type `apiVersion` + `kind` (Kubernetes' `TypeMeta`), if paved knows it.
pub fn by_type(api_version: &str, kind: &str) -> Option<&'static Kind> {
    KINDS.iter().find(|k| k.api_version == api_version && k.kind == kind)
}

/// The API group of an apiVersion: `rbac.authorization.k8s.io` for
/// `rbac.authorization.k8s.io/v1`, and `""` (the core group, as RBAC rules and Argo CD
/// write it) for `v1`.
pub fn group(api_version: &str) -> &str {
    api_version.rsplit_once('/').map_or("", |(group, _)| group)
}

/// Where objects of `kind` go in output: the position of its row in [`KINDS`]; kinds the
/// table does not know go last (after every known kind, all with the same rank).
pub fn apply_rank(kind: &str) -> usize {
    KINDS.iter().position(|k| k.kind == kind).unwrap_or(KINDS.len())
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

    fn rank(kind: &str) -> usize {
        let rank = apply_rank(kind);
        assert!(rank < KINDS.len(), "`{kind}` is not in the table");
        rank
    }

    #[test]
    fn kinds_and_types_are_unique() {
        let kinds: BTreeSet<&str> = KINDS.iter().map(|k| k.kind).collect();
        assert_eq!(kinds.len(), KINDS.len(), "a kind is in the table twice");
        let resources: BTreeSet<(&str, &str)> = KINDS.iter().map(|k| (k.group(), k.resource)).collect();
        assert_eq!(resources.len(), KINDS.len(), "a resource is in the table twice");
    }

    #[test]
    fn lookups() {
        assert_eq!(by_kind("Deployment").map(|k| k.api_version), Some("apps/v1"));
        assert_eq!(by_kind("DaemonSet"), None);
        assert_eq!(by_type("batch/v1", "Job").map(|k| k.pod_spec), Some(Some("/spec/template/spec")));
        assert_eq!(by_type("extensions/v1beta1", "Ingress"), None);
        assert_eq!(group("v1"), "");
        assert_eq!(group("apps/v1"), "apps");
        assert_eq!(group("rbac.authorization.k8s.io/v1"), "rbac.authorization.k8s.io");
        assert_eq!(by_kind("Role").map(Kind::group), Some("rbac.authorization.k8s.io"));
    }

    #[test]
    fn unknown_kinds_go_last() {
        assert_eq!(apply_rank("Namespace"), 0);
        assert_eq!(apply_rank("Application"), KINDS.len() - 1);
        assert_eq!(apply_rank("Secret"), KINDS.len());
        assert_eq!(apply_rank("Anything"), apply_rank("Secret"));
    }

    /// The apply order's reasons, each as an inequality: a change of the table that breaks
    /// one of them changes what a cluster sees first.
    #[test]
    fn dependencies_are_applied_first() {
        let workloads: Vec<&Kind> = KINDS.iter().filter(|k| k.pod_spec.is_some()).collect();
        for workload in &workloads {
            let at = rank(workload.kind);
            for first in ["Namespace", "NetworkPolicy", "CiliumNetworkPolicy", "ResourceQuota", "LimitRange"] {
                assert!(rank(first) < at, "`{first}` after `{}`", workload.kind);
            }
            for first in ["ServiceAccount", "ConfigMap", "Role", "RoleBinding", "Service"] {
                assert!(rank(first) < at, "`{first}` after `{}`", workload.kind);
            }
            for after in ["HorizontalPodAutoscaler", "PodDisruptionBudget", "Ingress", "ServiceMonitor"] {
                assert!(at < rank(after), "`{after}` before `{}`", workload.kind);
            }
        }
        assert!(rank("Role") < rank("RoleBinding"));
        let argocd = KINDS.iter().position(|k| k.owner == ArgoCd).expect("Argo CD kinds");
        assert!(KINDS[argocd..].iter().all(|k| k.owner == ArgoCd), "Argo CD's objects go last");
    }

    /// `resource` is the kind's default plural (the rule Kubernetes' code generators and
    /// `kubectl` use for a kind without a declared plural): lowercase, then `-s` → `-ses`,
    /// `-y` → `-ies`, anything else `+s`.
    #[test]
    fn resources_are_the_plural_of_the_kind() {
        for k in KINDS {
            let lower = k.kind.to_lowercase();
            let plural = if lower.ends_with('s') {
                format!("{lower}es")
            } else if let Some(stem) = lower.strip_suffix('y') {
                format!("{stem}ies")
            } else {
                format!("{lower}s")
            };
            assert_eq!(k.resource, plural, "{}", k.kind);
        }
    }

    #[test]
    fn pod_specs_belong_to_namespaced_workloads_of_charts() {
        for k in KINDS.iter().filter(|k| k.pod_spec.is_some()) {
            assert_eq!((k.scope, k.owner), (Namespaced, Chart), "{}", k.kind);
            let pointer = k.pod_spec.unwrap_or_default();
            assert!(pointer.ends_with("/spec"), "{}: `{pointer}`", k.kind);
        }
    }
}
