//! The Argo CD Application that deploys an app's chart in one environment.

use serde_json::{Value, json};

use crate::context::Context;
use crate::normalise::Object;
use paved_spec::platform::{Environment, Platform};

/// The file, beside an environment's `chart/`, where the pipeline records the
/// image it promoted (`image.tag`, `image.digest`). It belongs to the pipeline:
/// paved never writes it, and keeps it when it replaces the tree.
pub const PROMOTED: &str = "promoted.yaml";

/// The folder of an app's chart in one environment, inside the rendered tree.
pub fn chart_folder(team: &str, app: &str, environment: &str) -> String {
    format!("{team}/{app}/{environment}/chart")
}

/// The Application: in the team's AppProject, syncing the chart from the
/// GitOps repository to the environment's cluster and the team's namespace,
/// automatically (pruning, healing drift), never creating the namespace (the
/// landing zone owns it), retrying with backoff; replicas an autoscaler owns
/// are ignored so Argo CD does not fight the autoscaler.
pub(crate) fn application(
    context: &Context,
    environment: &Environment,
    platform: &Platform,
    objects: &[Object],
) -> Object {
    let gitops = &platform.gitops;
    let folder = chart_folder(&context.app.team, &context.app.name, &environment.name);
    let path = match gitops.path.trim_matches('/') {
        "" => folder,
        prefix => format!("{prefix}/{folder}"),
    };
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
        "syncPolicy": {
            "automated": { "prune": true, "selfHeal": true },
            "syncOptions": ["CreateNamespace=false"],
            "retry": { "limit": 5, "backoff": { "duration": "10s", "factor": 2, "maxDuration": "5m" } },
        },
    });
    if !ignore.is_empty() {
        spec["ignoreDifferences"] = Value::Array(ignore);
    }
    Object {
        value: json!({
            "apiVersion": "argoproj.io/v1alpha1",
            "kind": "Application",
            "metadata": {
                "name": format!("{}-{}-{}", context.app.team, context.app.name, environment.name),
                "namespace": gitops.argocd_namespace,
                "labels": context.labels,
                "annotations": context.annotations,
            },
            "spec": spec,
        }),
    }
}
