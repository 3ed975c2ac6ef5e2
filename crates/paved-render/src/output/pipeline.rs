//! `azure-pipelines.yml`: the app's Azure DevOps pipeline, once per app (not
//! per environment), when its blueprint has a pipeline template. Not in the
//! stream: it is not a Kubernetes object.

use super::paths;
use super::{AppOutputs, Files};

/// The app's pipeline in the tree.
pub(super) fn files(app: &AppOutputs) -> Files {
    app.pipeline.iter().map(|pipeline| (paths::pipeline(&app.team, &app.app), pipeline.clone())).collect()
}
