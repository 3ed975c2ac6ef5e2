//! Who may do what in a team's namespace: the landing zone's ServiceAccounts, Roles and
//! RoleBindings.
//!
//! No built-in ClusterRole is bound. Kubernetes' `admin` and `edit` write NetworkPolicies,
//! and both let their holders act as any ServiceAccount of the namespace (pods that name
//! it, `serviceaccounts/token`, impersonation): a team holding them could switch its own
//! zero trust off with kubectl. So each team namespace gets Roles of its own, whose rules
//! come from the kinds table (what charts hold, what the platform owns) plus the few
//! operations people need on running pods ([`OPERATIONS`]):
//!
//! - `paved-team-admin` (the admins group): writes what charts hold, Secrets and claims,
//!   runs the pod operations, writes Roles and RoleBindings (Kubernetes lets them grant only
//!   what they hold themselves), and reads the quota, the limits and the policies;
//! - `paved-team-developer` (developers outside production): the same without RBAC writes;
//! - `paved-team-viewer` (developers in production): reads, but not Secrets;
//! - `paved-deployer` (the ServiceAccount Argo CD deploys charts as): writes what charts
//!   hold, nothing else;
//! - `paved-network-policies`, bound to the ServiceAccount Argo CD deploys network policies
//!   as. That account lives in `kube-system`, not in the team's namespace, so nobody who
//!   can create pods, tokens or token Secrets in the team's namespace can act as it (and
//!   binding its Role needs its rights, which no team role holds).
//!
//! `docs/landing-zones.md` has the table of who may do what; a test asks a real API
//! server every question of it (`crates/paved-cli/tests/apiserver.rs`).

use paved_kinds::{KINDS, Owner, Scope};
use serde_json::{Value, json};

/// The ServiceAccount Argo CD deploys a team's charts as, in the team's namespace.
pub const DEPLOYER: &str = "paved-deployer";

/// Where the ServiceAccounts Argo CD deploys network policies as live: a namespace of
/// every cluster that no team is given (team validation refuses `kube-*`), as Argo CD's
/// own `argocd-manager` account does.
pub const POLICY_DEPLOYER_NAMESPACE: &str = "kube-system";

/// The ServiceAccount Argo CD deploys the network policies of `namespace` as, in
/// [`POLICY_DEPLOYER_NAMESPACE`]: one per team namespace, named after it, since a
/// namespace is unique in its cluster (and environments sharing a cluster use different
/// namespace patterns).
pub fn policy_deployer(namespace: &str) -> String {
    format!("paved-policy-deployer-{namespace}")
}

/// The Role of the team's admins.
pub const ADMIN_ROLE: &str = "paved-team-admin";
/// The Role of the team's developers outside production.
pub const DEVELOPER_ROLE: &str = "paved-team-developer";
/// The Role of the team's developers in production.
pub const VIEWER_ROLE: &str = "paved-team-viewer";
/// The Role of the account that deploys charts.
pub const DEPLOYER_ROLE: &str = "paved-deployer";
/// The Role of the account that deploys network policies.
pub const POLICIES_ROLE: &str = "paved-network-policies";

const READ: &[&str] = &["get", "list", "watch"];
/// Reading and changing objects one at a time: no `deletecollection` (`kubectl delete`
/// deletes object by object; a collection delete removes what nobody named).
const WRITE: &[&str] = &["get", "list", "watch", "create", "update", "patch", "delete"];
/// Streams into a pod: `create`, and `get` for clients that open them as WebSockets.
const STREAM: &[&str] = &["get", "create"];
const SCALE: &[&str] = &["get", "update", "patch"];

/// What people do with running apps, beyond the kinds charts hold: an API group, a
/// resource (or `resource/subresource`), the verbs of the team's admins and developers,
/// and those of production's viewers.
const OPERATIONS: &[(&str, &str, &[&str], &[&str])] = &[
    // Apps read Secrets they are given by name; someone has to write them. Viewers never
    // read them.
    ("", "secrets", WRITE, &[]),
    // A StatefulSet's claims outlive it: resize or remove them.
    ("", "persistentvolumeclaims", WRITE, READ),
    ("", "pods/exec", STREAM, &[]),
    ("", "pods/attach", STREAM, &[]),
    ("", "pods/portforward", STREAM, &[]),
    ("", "pods/eviction", &["create"], &[]),
    ("apps", "deployments/scale", SCALE, &["get"]),
    ("apps", "statefulsets/scale", SCALE, &["get"]),
    // What the workloads make and what happens to them, for `kubectl rollout`, `logs` and
    // debugging.
    ("", "pods/log", READ, READ),
    ("", "events", READ, READ),
    ("", "endpoints", READ, READ),
    ("apps", "replicasets", READ, READ),
    ("apps", "controllerrevisions", READ, READ),
    ("discovery.k8s.io", "endpointslices", READ, READ),
];

/// What a role grants: (API group, resource, verbs), in the order the rules are written.
type Grants = Vec<(&'static str, &'static str, &'static [&'static str])>;

/// The namespaced kinds `owns` picks, each with `verbs`.
fn kinds(owns: impl Fn(Owner) -> bool, verbs: &'static [&'static str]) -> Grants {
    KINDS
        .iter()
        .filter(|k| k.scope == Scope::Namespaced && owns(k.owner))
        .map(|k| (k.group(), k.resource, verbs))
        .collect()
}

/// What a chart holds: the kinds of the table owned by charts.
fn chart(verbs: &'static [&'static str]) -> Grants {
    kinds(|owner| owner == Owner::Chart, verbs)
}

/// What the platform puts in a team's namespace (quota, limits, network policies): the team
/// reads it and never writes it.
fn platform_owned() -> Grants {
    kinds(|owner| matches!(owner, Owner::LandingZone | Owner::Policies), READ)
}

/// Roles and RoleBindings.
fn access_kinds(verbs: &'static [&'static str]) -> Grants {
    kinds(|owner| owner == Owner::Access, verbs)
}

/// The operations, with the verbs of the team (`viewer` false) or of production's viewers.
fn operations(viewer: bool) -> Grants {
    OPERATIONS
        .iter()
        .map(|&(group, resource, team, viewers)| (group, resource, if viewer { viewers } else { team }))
        .filter(|(_, _, verbs)| !verbs.is_empty())
        .collect()
}

fn admin() -> Grants {
    [chart(WRITE), operations(false), access_kinds(WRITE), platform_owned()].concat()
}

fn developer() -> Grants {
    [chart(WRITE), operations(false), access_kinds(READ), platform_owned()].concat()
}

fn viewer() -> Grants {
    [chart(READ), operations(true), access_kinds(READ), platform_owned()].concat()
}

/// RBAC rules for `grants`: one rule per API group and set of verbs, in the order each
/// first appears, its resources in the order given.
fn rules(grants: Grants) -> Vec<Value> {
    let mut rules: Vec<(&str, &[&str], Vec<&str>)> = Vec::new();
    for (group, resource, verbs) in grants {
        match rules.iter_mut().find(|(g, v, _)| *g == group && *v == verbs) {
            Some((_, _, resources)) => resources.push(resource),
            None => rules.push((group, verbs, vec![resource])),
        }
    }
    rules
        .into_iter()
        .map(|(group, verbs, resources)| json!({ "apiGroups": [group], "resources": resources, "verbs": verbs }))
        .collect()
}

/// Who a landing zone grants what, in one namespace.
#[derive(Debug)]
pub(super) struct Access<'a> {
    /// The team's namespace.
    pub namespace: &'a str,
    /// The admins' Entra ID group.
    pub admins: &'a str,
    /// The developers' Entra ID group.
    pub developers: &'a str,
    /// Whether this is the production environment, where developers only read.
    pub production: bool,
}

impl Access<'_> {
    /// The ServiceAccounts, Roles and RoleBindings; `meta` makes the metadata of an
    /// object in the team's namespace, `labels` are every object's labels.
    pub(super) fn objects(&self, meta: impl Fn(&str) -> Value, labels: &Value) -> Vec<Value> {
        let namespace = self.namespace;
        let policy_deployer = policy_deployer(namespace);
        let group = |id: &str| json!({ "apiGroup": "rbac.authorization.k8s.io", "kind": "Group", "name": id });
        let account =
            |name: &str, namespace: &str| json!({ "kind": "ServiceAccount", "name": name, "namespace": namespace });
        let role = |name: &str, grants: Grants| {
            json!({
                "apiVersion": "rbac.authorization.k8s.io/v1",
                "kind": "Role",
                "metadata": meta(name),
                "rules": rules(grants),
            })
        };
        let binding = |name: &str, role: &str, subject: Value| {
            json!({
                "apiVersion": "rbac.authorization.k8s.io/v1",
                "kind": "RoleBinding",
                "metadata": meta(name),
                "roleRef": { "apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": role },
                "subjects": [subject],
            })
        };
        let (developers_role, developer_grants) =
            if self.production { (VIEWER_ROLE, viewer()) } else { (DEVELOPER_ROLE, developer()) };
        vec![
            json!({
                "apiVersion": "v1",
                "kind": "ServiceAccount",
                "metadata": meta(DEPLOYER),
                "automountServiceAccountToken": false,
            }),
            json!({
                "apiVersion": "v1",
                "kind": "ServiceAccount",
                "metadata": { "name": policy_deployer, "namespace": POLICY_DEPLOYER_NAMESPACE, "labels": labels },
                "automountServiceAccountToken": false,
            }),
            role(ADMIN_ROLE, admin()),
            role(developers_role, developer_grants),
            role(DEPLOYER_ROLE, chart(WRITE)),
            role(POLICIES_ROLE, kinds(|owner| owner == Owner::Policies, WRITE)),
            binding("paved-team-admins", ADMIN_ROLE, group(self.admins)),
            binding("paved-team-developers", developers_role, group(self.developers)),
            binding(DEPLOYER, DEPLOYER_ROLE, account(DEPLOYER, namespace)),
            binding("paved-policy-deployer", POLICIES_ROLE, account(&policy_deployer, POLICY_DEPLOYER_NAMESPACE)),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resources(grants: &Grants, verb: &str) -> Vec<String> {
        grants
            .iter()
            .filter(|(_, _, verbs)| verbs.contains(&verb))
            .map(
                |(group, resource, _)| {
                    if group.is_empty() { (*resource).to_owned() } else { format!("{resource}.{group}") }
                },
            )
            .collect()
    }

    /// No team role writes what the platform owns, and only the admins write RBAC.
    #[test]
    fn teams_never_write_policies_quotas_or_limits() {
        let owned =
            ["networkpolicies.networking.k8s.io", "ciliumnetworkpolicies.cilium.io", "resourcequotas", "limitranges"];
        for (name, grants) in
            [("admin", admin()), ("developer", developer()), ("viewer", viewer()), ("deployer", chart(WRITE))]
        {
            assert!(resources(&grants, "deletecollection").is_empty(), "{name} may delete collections");
            for verb in ["create", "update", "patch", "delete"] {
                let written = resources(&grants, verb);
                assert!(owned.iter().all(|r| !written.contains(&(*r).to_owned())), "{name} may {verb} {written:?}");
                let rbac = written.iter().any(|r| r.ends_with(".rbac.authorization.k8s.io"));
                assert_eq!(rbac, name == "admin", "{name} {verb} RBAC: {written:?}");
            }
            let acting = resources(&grants, "create");
            assert!(!acting.iter().any(|r| r == "serviceaccounts/token"), "{name} may make tokens");
            assert!(resources(&grants, "impersonate").is_empty(), "{name} may impersonate");
        }
        assert!(!resources(&viewer(), "get").contains(&"secrets".to_owned()), "the viewer reads no Secret");
    }

    #[test]
    fn rules_group_by_api_group_and_verbs() {
        let rules = rules(vec![("", "a", READ), ("apps", "b", READ), ("", "c", READ), ("", "d", WRITE)]);
        assert_eq!(
            rules,
            vec![
                json!({ "apiGroups": [""], "resources": ["a", "c"], "verbs": READ }),
                json!({ "apiGroups": ["apps"], "resources": ["b"], "verbs": READ }),
                json!({ "apiGroups": [""], "resources": ["d"], "verbs": WRITE }),
            ]
        );
    }
}
