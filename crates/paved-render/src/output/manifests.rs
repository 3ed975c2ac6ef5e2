//! `manifests.yaml`: every Kubernetes object of the app in the environment,
//! the network policies included; in the stream, the same objects.

use super::paths::EnvFolder;
use super::{Files, Writer};
use crate::engine::Rendered;

/// The plain manifests.
pub(super) const WRITER: Writer = Writer { files, documents: |r| &r.objects };

fn files(r: &Rendered, folder: EnvFolder<'_>) -> Files {
    vec![(folder.manifests(), paved_yaml::emit_documents(r.objects.iter().map(|o| &o.value)))]
}
