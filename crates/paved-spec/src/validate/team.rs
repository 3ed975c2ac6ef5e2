//! Team files (`teams/<team>.yaml`): a team's landing zone.

use paved_jsonschema::quote;
use paved_yaml::{Node, NodeKind, Segment};

use super::rules::{Rules, key, quantity, string, unknown_environment};
use super::validate_file;
use crate::diagnostic::{Diagnostic, Finding, SourceFile};
use crate::platform::Platform;
use crate::schema::SchemaKind;
use crate::syntax::{self, Problem};
use crate::team::TeamFile;

/// Check a team file (`teams/<team>.yaml`) against its schema and the platform:
/// every problem, with positions, or the team.
pub fn validate_team(file: SourceFile, platform: &Platform) -> Result<TeamFile, Vec<Diagnostic>> {
    let name = file.name.clone();
    let empty = "a team file needs `team`, `groups` and `quota`; see `docs/team-file.md`";
    validate_file(file, SchemaKind::Team, empty, &|root| team_rules(root, &name, platform))
}

/// Namespaces a team may never be given: the cluster's own, and Argo CD's.
const SYSTEM_NAMESPACES: &[&str] = &["default", "kube-system", "kube-public", "kube-node-lease"];

/// The rules of a team file beyond its schema: names that make valid
/// namespaces and projects, group IDs, quantities, known environments.
fn team_rules(root: &Node, file_name: &str, platform: &Platform) -> Vec<Finding> {
    let mut r = Rules { out: Vec::new() };
    if let Some((team, _)) = string(root, "team") {
        let check = syntax::dns_label(team, 63).and_then(|()| {
            let stem = std::path::Path::new(file_name).file_stem().and_then(|s| s.to_str()).unwrap_or_default();
            if stem != team {
                return Err(Problem::new(format!("the team is {}, but the file is `{stem}.yaml`", quote(team)))
                    .with_hint(format!("a team file is `teams/<team>.yaml`: name it `{team}.yaml`, or fix `team`")));
            }
            for env in &platform.environments {
                let namespace = env.namespace_for(team);
                let taken = SYSTEM_NAMESPACES
                    .iter()
                    .chain([&platform.gitops.argocd_namespace.as_str(), &platform.ingress.namespace.as_str(), &platform.monitoring.namespace.as_str()])
                    .any(|n| *n == namespace);
                if taken {
                    return Err(Problem::new(format!(
                        "team `{team}` would be given the namespace `{namespace}` in `{}`, which belongs to the platform",
                        env.name
                    ))
                    .with_hint("a team's admins get `admin` in its namespace: choose another team name"));
                }
                if let Err(p) = syntax::dns_label(&namespace, 63) {
                    return Err(Problem::new(format!(
                        "team `{team}` gives the namespace `{namespace}` in `{}`, which is not valid: {}",
                        env.name, p.message
                    ))
                    .with_hint(format!("use a shorter team name; the platform names namespaces `{}`", env.namespace)));
                }
                let project = env.policy_project_for(team);
                if project.len() > 63 {
                    return Err(Problem::new(format!(
                        "the Argo CD project `{project}` would be {} characters long, more than 63",
                        project.len()
                    ))
                    .with_hint("use a shorter team name"));
                }
            }
            Ok(())
        });
        r.check(vec![key("team")], check);
    }
    if let Some(groups) = root.get("groups") {
        for role in ["admins", "developers"] {
            if let Some((id, _)) = string(groups, role) {
                r.check(vec![key("groups"), key(role)], syntax::object_id(id));
            }
        }
    }
    let quota_rules = |r: &mut Rules, quota: &Node, at: &[Segment]| {
        let path = |field: &str| at.iter().cloned().chain([key(field)]).collect::<Vec<_>>();
        if let Some(cpu) = quantity(quota, "cpu") {
            r.check(path("cpu"), syntax::cpu_quantity(&cpu));
        }
        for field in ["memory", "storage"] {
            if let Some(size) = quantity(quota, field) {
                r.check(path(field), syntax::memory_quantity(&size));
            }
        }
    };
    if let Some(quota) = root.get("quota") {
        quota_rules(&mut r, quota, &[key("quota")]);
    }
    if let Some(NodeKind::Map(entries)) = root.get("environments").map(|n| &n.kind) {
        if entries.is_empty() {
            r.fail(
                vec![key("environments")],
                false,
                "lists no environment".into(),
                Some("name the environments the team uses, or leave `environments` out for all of them".into()),
            );
        }
        let names: Vec<&str> = platform.environment_names().collect();
        for entry in entries {
            r.out.extend(unknown_environment(&entry.key, &names));
            if let Some(quota) = entry.value.get("quota") {
                quota_rules(&mut r, quota, &[key("environments"), key(&entry.key), key("quota")]);
            }
        }
    }
    r.out
}
