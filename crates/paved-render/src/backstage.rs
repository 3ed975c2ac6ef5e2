//! Backstage catalog entities, so paved's apps and teams appear in the developer
//! portal without anyone typing them in: a Component per app (with the external
//! hosts it calls as Resources), and a Group per team.
//!
//! The entities follow Backstage's published schemas (`@backstage/catalog-model`;
//! the tests validate every one against them). Choices where Backstage leaves
//! room:
//!
//! - A Component lives in the Backstage namespace of its team, as app names are
//!   unique only within a team; Groups and Resources live in `default`.
//! - `spec.type` is the blueprint's name: the platform's taxonomy of
//!   workloads is its blueprints. `lifecycle` is `production` when the app is
//!   deployed to a production environment, else `experimental`.
//! - `dependsOn` holds the apps of the rendered set the app calls, and the
//!   external hosts and ranges it calls. Each external is one Resource, written
//!   in the file of the first app (by team, then name) that calls it, so no two
//!   files define the same entity; its owner is that app's team.
//! - Links point at the app's files in the GitOps repository (its pipeline and
//!   each environment's Argo CD Applications); the `argocd/app-selector` and
//!   `backstage.io/kubernetes-label-selector` annotations let Backstage's Argo CD
//!   and Kubernetes plugins find the live objects by paved's labels.

use std::collections::{BTreeMap, BTreeSet};

use paved_blueprint::Blueprint;
use paved_spec::app::AppFile;
use paved_spec::platform::{Environment, Platform};
use paved_spec::syntax::{self, Call};
use paved_spec::team::TeamFile;
use serde_json::{Value, json};

use crate::output::paths::{self, EnvFolder};

/// The apiVersion of every entity paved writes.
const API_VERSION: &str = "backstage.io/v1alpha1";

/// One app of the set, as the catalog sees it.
#[derive(Debug, Clone, Copy)]
pub struct CatalogApp<'a> {
    /// The app file as written.
    pub app: &'a AppFile,
    /// The blueprint version it renders with.
    pub blueprint: &'a Blueprint,
    /// The environments it is rendered in, in promotion order.
    pub environments: &'a [&'a Environment],
}

/// The entities of each app of `apps` (in the same order): its Component, then the
/// Resources its file defines.
pub fn entities(apps: &[CatalogApp<'_>], platform: &Platform) -> Vec<Vec<Value>> {
    let in_set: BTreeSet<(&str, &str)> = apps.iter().map(|a| (a.app.team.as_str(), a.app.name.as_str())).collect();
    // Each external goes in the file of the first app that calls it.
    let mut order: Vec<usize> = (0..apps.len()).collect();
    order.sort_by_key(|&i| (&apps[i].app.team, &apps[i].app.name));
    let mut defined_by: BTreeMap<String, usize> = BTreeMap::new();
    for &i in &order {
        for external in externals(apps[i].app) {
            defined_by.entry(external.name.clone()).or_insert(i);
        }
    }
    apps.iter()
        .enumerate()
        .map(|(i, a)| {
            let mut out = vec![component(a, platform, &in_set)];
            for external in externals(a.app) {
                if defined_by.get(&external.name) == Some(&i) {
                    out.push(resource(&external, &a.app.team));
                }
            }
            out
        })
        .collect()
}

/// An external host or range an app calls.
struct External {
    /// The Resource's name.
    name: String,
    /// `external-host` or `network-range`.
    kind: &'static str,
    /// What it is, as the app file writes it.
    label: String,
}

fn externals(app: &AppFile) -> Vec<External> {
    let mut out: Vec<External> = Vec::new();
    for entry in app.calls.iter().flatten() {
        let external = match syntax::call(entry) {
            Ok(Call::Fqdn { host, .. }) => {
                External { name: entity_name(&host), kind: "external-host", label: format!("https://{host}") }
            }
            Ok(Call::Cidr { cidr, .. }) => {
                External { name: entity_name(&format!("range-{cidr}")), kind: "network-range", label: cidr }
            }
            _ => continue,
        };
        if !out.iter().any(|e| e.name == external.name) {
            out.push(external);
        }
    }
    out
}

/// A Backstage entity name from any text: letters and digits, runs of anything else as
/// one `-`, at most 63 characters.
fn entity_name(text: &str) -> String {
    let mut name = String::new();
    for c in text.chars() {
        match c {
            'a'..='z' | 'A'..='Z' | '0'..='9' | '.' => name.push(c.to_ascii_lowercase()),
            _ if !name.ends_with('-') => name.push('-'),
            _ => {}
        }
    }
    // `.` only between letters or digits.
    while name.contains("..") || name.contains(".-") || name.contains("-.") {
        name = name.replace("..", ".").replace(".-", "-").replace("-.", "-");
    }
    let name: String = name.trim_matches(['-', '.']).chars().take(63).collect();
    name.trim_end_matches(['-', '.']).to_owned()
}

fn group_ref(team: &str) -> String {
    format!("group:default/{team}")
}

fn component(a: &CatalogApp<'_>, platform: &Platform, in_set: &BTreeSet<(&str, &str)>) -> Value {
    let app = a.app;
    let (team, name) = (&app.team, &app.name);
    let mut depends_on: Vec<String> = Vec::new();
    for entry in app.calls.iter().flatten() {
        let target = match syntax::call(entry) {
            Ok(Call::App { app: callee }) => (team.clone(), callee),
            Ok(Call::TeamApp { team, app: callee }) => (team, callee),
            _ => continue,
        };
        if in_set.contains(&(target.0.as_str(), target.1.as_str())) {
            depends_on.push(format!("component:{}/{}", target.0, target.1));
        }
    }
    depends_on.extend(externals(app).iter().map(|e| format!("resource:default/{}", e.name)));
    depends_on.sort();
    depends_on.dedup();
    let selector = format!("app.kubernetes.io/instance={name},app.kubernetes.io/part-of={team}");
    let mut annotations = json!({
        "paved.io/blueprint": a.blueprint.id,
        "argocd/app-selector": selector,
        "backstage.io/kubernetes-label-selector": selector,
    });
    let namespaces: BTreeSet<String> = a.environments.iter().map(|e| e.namespace_for(team)).collect();
    if let (1, Some(namespace)) = (namespaces.len(), namespaces.first()) {
        annotations["backstage.io/kubernetes-namespace"] = json!(namespace);
    }
    let mut links = vec![json!({
        "url": browse_url(platform, &paths::pipeline(team, name)),
        "title": "Azure DevOps pipeline (azure-pipelines.yml)",
        "type": "pipeline",
    })];
    for environment in a.environments {
        let folder = EnvFolder { team, app: name, environment: &environment.name };
        links.push(json!({
            "url": browse_url(platform, &folder.applications()),
            "title": format!("Argo CD Applications ({})", environment.name),
            "type": "argocd",
        }));
    }
    let production = a.environments.iter().any(|e| platform.is_production(e));
    let mut spec = json!({
        "type": a.blueprint.meta.name,
        "lifecycle": if production { "production" } else { "experimental" },
        "owner": group_ref(team),
    });
    if !depends_on.is_empty() {
        spec["dependsOn"] = json!(depends_on);
    }
    json!({
        "apiVersion": API_VERSION,
        "kind": "Component",
        "metadata": {
            "name": name,
            "namespace": team,
            "description": format!("{} app of team {team}, deployed by paved from blueprint {}", a.blueprint.meta.name, a.blueprint.id),
            "annotations": annotations,
            "tags": ["paved", entity_name(&a.blueprint.meta.name)],
            "links": links,
        },
        "spec": spec,
    })
}

fn resource(external: &External, team: &str) -> Value {
    let what = match external.kind {
        "external-host" => "External host",
        _ => "Address range",
    };
    json!({
        "apiVersion": API_VERSION,
        "kind": "Resource",
        "metadata": {
            "name": external.name,
            "namespace": "default",
            "title": external.label,
            "description": format!("{what} {} outside the cluster, reached through the egress paved's network policies allow", external.label),
            "tags": ["paved", external.kind],
        },
        "spec": { "type": external.kind, "owner": group_ref(team) },
    })
}

/// A file of the GitOps repository as a web page: Azure Repos' `?path=` form for an
/// Azure Repos URL (`/_git/`), else the `/blob/<revision>/<path>` form GitHub and GitLab use.
fn browse_url(platform: &Platform, path: &str) -> String {
    let gitops = &platform.gitops;
    let path = match gitops.path.trim_matches('/') {
        "" => path.to_owned(),
        prefix => format!("{prefix}/{path}"),
    };
    let repo = gitops.repo_url.trim_end_matches('/');
    match repo.contains("/_git/") {
        true => format!("{repo}?path=/{path}&version=GB{}", gitops.revision),
        false => format!("{}/blob/{}/{path}", repo.trim_end_matches(".git"), gitops.revision),
    }
}

/// A team's Group, from its team file: the Entra ID groups as annotations.
pub fn group(team: &TeamFile) -> Value {
    json!({
        "apiVersion": API_VERSION,
        "kind": "Group",
        "metadata": {
            "name": team.team,
            "namespace": "default",
            "description": format!("Team {}: its landing zone and apps are rendered by paved", team.team),
            "annotations": {
                "paved.io/entra-id-admins-group": team.groups.admins,
                "paved.io/entra-id-developers-group": team.groups.developers,
            },
            "tags": ["paved"],
        },
        "spec": { "type": "team", "children": [] },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entity_names_keep_letters_digits_and_single_separators() {
        assert_eq!(entity_name("psp.example.com"), "psp.example.com");
        assert_eq!(entity_name("range-10.20.0.0/16"), "range-10.20.0.0-16");
        assert_eq!(entity_name("range-fd00::/8"), "range-fd00-8");
        assert_eq!(entity_name("--a..b--"), "a.b");
        assert_eq!(entity_name(&"x".repeat(80)).len(), 63);
    }
}
