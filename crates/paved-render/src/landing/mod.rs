//! Landing zones: what a team gets before its first app, per environment.
//!
//! From a team file and the platform file, pure data:
//!
//! - the **Namespace**, enforcing (and auditing, warning) Pod Security
//!   `restricted` at the platform's Kubernetes version, labelled with the team;
//! - a **ResourceQuota** (the team's CPU, memory and storage; no load
//!   balancers or node ports) and a **LimitRange** whose defaults are the
//!   smallest requests the blueprints give, so a container nobody sized still
//!   fits the quota;
//! - who may do what ([`access`]): the **ServiceAccounts** Argo CD deploys as
//!   (the chart's in the team's namespace, the network policies' in
//!   `kube-system`, out of the team's reach), and **Roles** and
//!   **RoleBindings** for them and for the team's Entra ID groups: admins
//!   write what charts hold and RBAC, developers what charts hold, and only
//!   read in production; nobody on the team writes network policies, the
//!   quota or the limits;
//! - two **AppProjects**: the team's (`Environment::app_project_for`), which
//!   may deploy anything namespaced into the team's namespace except quotas,
//!   limit ranges, RBAC and network policies; and the platform's policy project
//!   (`Environment::policy_project_for`), which may deploy only network
//!   policies there. Neither may touch cluster-scoped resources;
//! - the namespace's **baseline policy**: default deny both ways plus DNS, in
//!   each flavor the platform enables.
//!
//! `docs/landing-zones.md` explains each choice.

use std::collections::BTreeMap;

use paved_blueprint::{Blueprint, Catalog};
use paved_kinds::{KINDS, Kind, Owner, Scope};
use paved_spec::platform::{Environment, Platform};
use paved_spec::syntax;
use paved_spec::team::TeamFile;
use serde_json::{Value, json};

use crate::netpol::namespace_baseline;
use crate::normalise::Object;

pub mod access;

// Every landing-zone object in a team's namespace is named `paved-…`, a
// prefix app names may not use (`paved_spec::limits::RESERVED_PREFIX`), so no
// app's objects (named after the app) can replace one.
pub use access::{DEPLOYER, POLICY_DEPLOYER_NAMESPACE, policy_deployer};

/// Requests a container gets when it names none (the LimitRange defaults).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContainerDefaults {
    /// The CPU request.
    pub cpu: String,
    /// The memory request, which is also the memory limit.
    pub memory: String,
}

impl ContainerDefaults {
    /// The smallest CPU and the smallest memory request any blueprint version
    /// of `catalog` gives by default (`None` for an empty catalog).
    pub fn from_catalog(catalog: &Catalog) -> Option<ContainerDefaults> {
        let smallest = |pick: fn(&Blueprint) -> &str| {
            catalog
                .iter()
                .map(pick)
                .filter_map(|q| Some((syntax::quantity_magnitude(q)?, q)))
                .min_by(|a, b| a.0.total_cmp(&b.0).then_with(|| a.1.cmp(b.1)))
                .map(|(_, q)| q.to_owned())
        };
        Some(ContainerDefaults {
            cpu: smallest(|b| &b.meta.defaults.resources.cpu)?,
            memory: smallest(|b| &b.meta.defaults.resources.memory)?,
        })
    }
}

/// One team's landing zone in one environment.
#[derive(Debug, Clone)]
pub struct LandingZone {
    /// The team.
    pub team: String,
    /// The environment.
    pub environment: String,
    /// The objects for the environment's cluster, in output order.
    pub cluster: Vec<Object>,
    /// The AppProjects, for the namespace Argo CD runs in.
    pub argocd: Vec<Object>,
}

/// The namespaced kinds that `owns` picks, grouped by owner (in [`Owner`]'s order),
/// each group in apply order.
fn namespaced_kinds(owns: impl Fn(Owner) -> bool) -> Vec<&'static Kind> {
    let mut kinds: Vec<&Kind> = KINDS.iter().filter(|k| k.scope == Scope::Namespaced && owns(k.owner)).collect();
    // Stable, so each owner's kinds keep the table's (apply) order.
    kinds.sort_by_key(|k| k.owner);
    kinds
}

/// What the platform deploys into a team's namespace, which the team's own project may
/// not create: every namespaced kind but the charts' (and Argo CD's, which live in Argo
/// CD's namespace). Today: the landing zone's quota and limits, the network policies, RBAC.
fn platform_kinds() -> Vec<&'static Kind> {
    namespaced_kinds(|owner| !matches!(owner, Owner::Chart | Owner::ArgoCd))
}

/// The network policies in a team's namespace: all the policy project may deploy, and
/// all its deployer's Role grants.
fn policy_kinds() -> Vec<&'static Kind> {
    namespaced_kinds(|owner| owner == Owner::Policies)
}

/// The landing zone of `team` in `environment`.
pub fn landing_zone(
    team: &TeamFile,
    environment: &Environment,
    platform: &Platform,
    defaults: &ContainerDefaults,
) -> LandingZone {
    let name = &team.team;
    let namespace = environment.namespace_for(name);
    let labels = labels(name);
    let meta = |object_name: &str| json!({ "name": object_name, "namespace": namespace, "labels": labels });

    let mut namespace_labels = labels.clone();
    namespace_labels.insert("paved.io/team".into(), name.clone());
    let version = format!("v{}", platform.kubernetes_version);
    for mode in ["enforce", "audit", "warn"] {
        namespace_labels.insert(format!("pod-security.kubernetes.io/{mode}"), "restricted".into());
        namespace_labels.insert(format!("pod-security.kubernetes.io/{mode}-version"), version.clone());
    }
    let quota = team.quota_in(&environment.name);
    let mut hard = json!({
        "requests.cpu": quota.cpu.to_string(),
        "requests.memory": quota.memory.to_string(),
        // Blueprints set the memory limit to the request.
        "limits.memory": quota.memory.to_string(),
        "services.loadbalancers": "0",
        "services.nodeports": "0",
    });
    if let Some(storage) = &quota.storage {
        hard["requests.storage"] = json!(storage.to_string());
    }

    let mut cluster = vec![
        json!({
            "apiVersion": "v1",
            "kind": "Namespace",
            "metadata": { "name": namespace, "labels": namespace_labels },
        }),
        json!({
            "apiVersion": "v1",
            "kind": "ResourceQuota",
            "metadata": meta("paved-quota"),
            "spec": { "hard": hard },
        }),
        json!({
            "apiVersion": "v1",
            "kind": "LimitRange",
            "metadata": meta("paved-container-defaults"),
            "spec": { "limits": [{
                "type": "Container",
                "defaultRequest": { "cpu": defaults.cpu, "memory": defaults.memory },
                "default": { "memory": defaults.memory },
            }] },
        }),
    ];
    let access = access::Access {
        namespace: &namespace,
        admins: &team.groups.admins,
        developers: &team.groups.developers,
        production: platform.is_production(environment),
    };
    cluster.extend(access.objects(meta, &json!(labels)));
    cluster.extend(namespace_baseline(&meta("paved-default-deny"), platform).into_iter().map(|o| o.value));

    let project = |project_name: String, description: String, kinds: Value, deployer: &str| {
        let mut spec = json!({
            "description": description,
            "sourceRepos": [platform.gitops.repo_url],
            "destinations": [{ "server": environment.cluster, "namespace": namespace }],
            // Nothing cluster-scoped: an empty allow list, and a deny-all list
            // in case a later edit adds to the first.
            "clusterResourceWhitelist": [],
            "clusterResourceBlacklist": [{ "group": "*", "kind": "*" }],
            // Argo CD syncs as this account where sync impersonation is on.
            "destinationServiceAccounts": [{
                "server": environment.cluster,
                "namespace": namespace,
                "defaultServiceAccount": deployer,
            }],
        });
        if let (Some(spec), Value::Object(kinds)) = (spec.as_object_mut(), kinds) {
            spec.extend(kinds);
        }
        json!({
            "apiVersion": "argoproj.io/v1alpha1",
            "kind": "AppProject",
            "metadata": { "name": project_name, "namespace": platform.gitops.argocd_namespace, "labels": labels },
            "spec": spec,
        })
    };
    let group_kinds =
        |kinds: Vec<&Kind>| kinds.iter().map(|k| json!({ "group": k.group(), "kind": k.kind })).collect::<Vec<_>>();
    let argocd = vec![
        project(
            environment.app_project_for(name),
            format!("Apps of team {name} in {}", environment.name),
            json!({ "namespaceResourceBlacklist": group_kinds(platform_kinds()) }),
            DEPLOYER,
        ),
        project(
            environment.policy_project_for(name),
            format!("Network policies paved renders for team {name} in {} (platform-owned)", environment.name),
            json!({ "namespaceResourceWhitelist": group_kinds(policy_kinds()) }),
            &format!("{POLICY_DEPLOYER_NAMESPACE}:{}", policy_deployer(&namespace)),
        ),
    ];
    let objects = |values: Vec<Value>| {
        let mut objects: Vec<Object> = values.into_iter().map(|value| Object { value }).collect();
        objects.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        objects
    };
    LandingZone {
        team: name.clone(),
        environment: environment.name.clone(),
        cluster: objects(cluster),
        argocd: objects(argocd),
    }
}

/// The recommended labels of every landing-zone object.
fn labels(team: &str) -> BTreeMap<String, String> {
    [
        ("app.kubernetes.io/name", "landing-zone"),
        ("app.kubernetes.io/instance", team),
        ("app.kubernetes.io/component", "landing-zone"),
        ("app.kubernetes.io/part-of", team),
        ("app.kubernetes.io/managed-by", "paved"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(kinds: Vec<&Kind>) -> Vec<&str> {
        kinds.iter().map(|k| k.kind).collect()
    }

    /// The AppProject lists follow from the kinds table: by owner (landing zone, policies,
    /// access), then apply order. Their order is part of the rendered bytes.
    #[test]
    fn project_lists_come_from_the_kinds_table() {
        assert_eq!(
            names(platform_kinds()),
            ["ResourceQuota", "LimitRange", "NetworkPolicy", "CiliumNetworkPolicy", "Role", "RoleBinding"]
        );
        assert_eq!(names(policy_kinds()), ["NetworkPolicy", "CiliumNetworkPolicy"]);
    }
}
