//! `catalog-info.yaml`: the app's Backstage entities (its Component, and the
//! Resources its file defines; see `backstage.rs`), once per app. Not in the
//! stream: they are not Kubernetes objects.

use super::paths;
use super::{AppOutputs, Files};

/// The app's Backstage entities in the tree.
pub(super) fn files(app: &AppOutputs) -> Files {
    match app.backstage.is_empty() {
        true => Vec::new(),
        false => vec![(paths::catalog_info(&app.team, &app.app), paved_yaml::emit_documents(app.backstage.iter()))],
    }
}

/// A team's Group in the landing-zone tree.
pub(super) fn group_files(team: &paved_spec::team::TeamFile) -> Files {
    let group = crate::backstage::group(team);
    vec![(paths::landing_catalog_info(&team.team), paved_yaml::emit_documents(std::iter::once(&group)))]
}
