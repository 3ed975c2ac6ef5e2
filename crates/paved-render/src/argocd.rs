//! The Argo CD Applications of an app in one environment: one deploys its
//! chart, in the team's AppProject; one deploys its network policies, in the
//! platform-owned policy project.
//!
//! Two Applications because a team's project may not create network policies
//! (nor quotas or limit ranges): the landing zone (`paved landing-zone`)
//! blacklists them there, so a team cannot open its own namespace. The
//! policies paved renders from `calls` and `calledBy` go through a project
//! that may create nothing else, only in the team's namespace.

use serde_json::{Value, json};

use crate::context::Context;
use crate::normalise::Object;
use crate::output::paths::{EnvFolder, PROMOTED};
use paved_spec::platform::{Environment, Platform};

/// `folder` inside the GitOps repository.
fn repository_path(platform: &Platform, folder: String) -> String {
    match platform.gitops.path.trim_matches('/') {
        "" => folder,
        prefix => format!("{prefix}/{folder}"),
    }
}

/// How both Applications sync: automatically (pruning, healing drift), never
/// creating the namespace (the landing zone owns it), retrying with backoff.
fn sync_policy() -> Value {
    json!({
        "automated": { "prune": true, "selfHeal": true },
        "syncOptions": ["CreateNamespace=false"],
        "retry": { "limit": 5, "backoff": { "duration": "10s", "factor": 2, "maxDuration": "5m" } },
    })
}

fn metadata(context: &Context, platform: &Platform, name: String) -> Value {
    json!({
        "name": name,
        "namespace": platform.gitops.argocd_namespace,
        "labels": context.labels,
        "annotations": context.annotations,
    })
}

/// The chart's Application: in the team's AppProject, syncing the chart from
/// the GitOps repository to the environment's cluster and the team's
/// namespace; replicas an autoscaler owns are ignored so Argo CD does not
/// fight the autoscaler.
pub(crate) fn application(
    context: &Context,
    environment: &Environment,
    platform: &Platform,
    objects: &[Object],
) -> Object {
    let gitops = &platform.gitops;
    let folder = EnvFolder { team: &context.app.team, app: &context.app.name, environment: &environment.name };
    let path = repository_path(platform, folder.chart());
    let ignore: Vec<Value> = objects
        .iter()
        .filter(|o| o.kind() == "HorizontalPodAutoscaler")
        .filter_map(|hpa| {
            let target = hpa.value.pointer("/spec/scaleTargetRef")?;
            let group = target["apiVersion"].as_str()?.split_once('/').map(|(g, _)| g).unwrap_or_default();
            Some(json!({
                "group": group,
                "kind": target["kind"],
                "name": target["name"],
                "jsonPointers": ["/spec/replicas"],
            }))
        })
        .collect();
    let mut spec = json!({
        "project": environment.app_project_for(&context.app.team),
        "source": {
            "repoURL": gitops.repo_url,
            "targetRevision": gitops.revision,
            "path": path,
            // The chart's values, then what the pipeline promoted (absent
            // until the first promotion).
            "helm": {
                "releaseName": context.app.name,
                "valueFiles": ["values.yaml", format!("../{PROMOTED}")],
                "ignoreMissingValueFiles": true,
            },
        },
        "destination": { "server": environment.cluster, "namespace": context.app.namespace },
        "syncPolicy": sync_policy(),
    });
    if !ignore.is_empty() {
        spec["ignoreDifferences"] = Value::Array(ignore);
    }
    Object {
        value: json!({
            "apiVersion": "argoproj.io/v1alpha1",
            "kind": "Application",
            "metadata": metadata(context, platform, environment.application_for(&context.app.team, &context.app.name)),
            "spec": spec,
        }),
    }
}

/// The policies' Application: in the platform's policy project, syncing the
/// plain policy files to the team's namespace.
pub(crate) fn policies_application(context: &Context, environment: &Environment, platform: &Platform) -> Object {
    let gitops = &platform.gitops;
    let (team, app) = (&context.app.team, &context.app.name);
    let path = repository_path(platform, EnvFolder { team, app, environment: &environment.name }.policies());
    Object {
        value: json!({
            "apiVersion": "argoproj.io/v1alpha1",
            "kind": "Application",
            "metadata": metadata(context, platform, environment.policies_application_for(team, app)),
            "spec": {
                "project": environment.policy_project_for(team),
                "source": {
                    "repoURL": gitops.repo_url,
                    "targetRevision": gitops.revision,
                    "path": path,
                    "directory": { "recurse": false },
                },
                "destination": { "server": environment.cluster, "namespace": context.app.namespace },
                "syncPolicy": sync_policy(),
            },
        }),
    }
}
