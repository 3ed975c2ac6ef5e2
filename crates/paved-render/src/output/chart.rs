//! `chart/`: the Helm chart, when the render built one. Not in the stream: it
//! holds the same objects as the manifests.

use super::paths::EnvFolder;
use super::{Files, Writer};
use crate::engine::Rendered;

/// The Helm chart.
pub(super) const WRITER: Writer = Writer { files, documents: |_| &[] };

fn files(r: &Rendered, folder: EnvFolder<'_>) -> Files {
    let chart = folder.chart();
    r.chart.iter().flatten().map(|(path, contents)| (format!("{chart}/{path}"), contents.clone())).collect()
}
