//! `application.yaml`: the Argo CD Applications (the chart's, then the
//! policies'); in the stream, after the manifests.

use super::paths::EnvFolder;
use super::{Files, Writer};
use crate::engine::Rendered;

/// The Argo CD Applications.
pub(super) const WRITER: Writer = Writer { files, documents: |r| &r.applications };

fn files(r: &Rendered, folder: EnvFolder<'_>) -> Files {
    vec![(folder.applications(), paved_yaml::emit_documents(r.applications.iter().map(|o| &o.value)))]
}
