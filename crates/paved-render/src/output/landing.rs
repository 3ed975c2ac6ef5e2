//! The outputs of a landing zone: `cluster.yaml` for the environment's
//! cluster, `argocd.yaml` for the namespace Argo CD runs in; in the stream,
//! the same objects in the same order. Per team, whatever the environment:
//! its Backstage Group (`catalog-info.yaml`), not in the stream.

use super::paths;
use crate::landing::LandingZone;
use crate::normalise::Object;

/// One output of a landing zone: a file of objects.
#[derive(Debug)]
pub(super) struct LandingWriter {
    /// Where its file goes, from the team and the environment.
    pub path: fn(&str, &str) -> String,
    /// The objects it holds.
    pub objects: fn(&LandingZone) -> &[Object],
}

/// Every output of a landing zone, in stream order.
pub(super) const WRITERS: [LandingWriter; 2] = [
    LandingWriter { path: paths::landing_cluster, objects: |zone| &zone.cluster },
    LandingWriter { path: paths::landing_argocd, objects: |zone| &zone.argocd },
];

/// Every output of a team made once, whatever the environment.
pub(super) const TEAM_WRITERS: [fn(&paved_spec::team::TeamFile) -> super::Files; 1] = [super::backstage::group_files];
