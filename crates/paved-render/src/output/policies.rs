//! `policies/`: the network policies among the objects, one file each, for
//! the platform's own Application (a team's project may not deploy them).
//! Not in the stream: they are among the manifests there.

use super::paths::EnvFolder;
use super::{Files, Writer};
use crate::engine::Rendered;
use crate::netpol::is_policy;

/// The network policies, deployed apart from the chart.
pub(super) const WRITER: Writer = Writer { files, documents: |_| &[] };

fn files(r: &Rendered, folder: EnvFolder<'_>) -> Files {
    r.objects
        .iter()
        .filter(|o| is_policy(o))
        .map(|policy| (folder.policy(policy), paved_yaml::emit(&policy.value)))
        .collect()
}
