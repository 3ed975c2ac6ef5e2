//! `blueprint.yaml`: what a blueprint version is and what it accepts.

use std::collections::BTreeSet;

use paved_spec::app::{Probes, Protocol, Replicas, Resources};
use serde::{Deserialize, Serialize};

/// The contents of `blueprint.yaml`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct BlueprintMeta {
    pub name: String,
    pub version: semver::Version,
    /// One paragraph for `paved blueprint show`.
    pub description: String,
    /// App fields beyond `name`, `team`, `blueprint`, `image` and `environments`.
    pub fields: FieldLists,
    /// Whether `replicas` may be a range (`min < max`, an autoscaler).
    #[serde(default)]
    pub autoscaling: bool,
    /// Values used where the app file says nothing.
    pub defaults: Defaults,
    /// Set when the version is deprecated: why, and what to use instead.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deprecated: Option<String>,
}

/// The app fields a blueprint supports and requires.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldLists {
    pub supported: BTreeSet<String>,
    #[serde(default)]
    pub required: BTreeSet<String>,
}

/// Blueprint defaults for fields an app may leave out.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Defaults {
    /// Used when the app sets no `replicas` (ignored by blueprints without replicas).
    #[serde(default = "one")]
    pub replicas: Replicas,
    /// Requests used for `resources` fields the app leaves out.
    pub resources: DefaultResources,
    /// Probe paths used for probes the app leaves out when its main port speaks
    /// HTTP; a probe absent here and in the app is not rendered. (A port that
    /// speaks gRPC or TCP gets liveness and readiness checks of that kind.)
    #[serde(default = "no_probes")]
    pub probes: Probes,
    /// The main port's protocol when the app names none (`stateful`: `tcp`).
    /// Default: `http`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub protocol: Option<Protocol>,
}

/// Default requests (both always set).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DefaultResources {
    pub cpu: String,
    pub memory: String,
}

impl DefaultResources {
    /// The app's resources with these defaults filling the gaps.
    pub fn apply(&self, app: Option<&Resources>) -> (String, String) {
        let cpu = app.and_then(|r| r.cpu.as_ref()).map(ToString::to_string).unwrap_or_else(|| self.cpu.clone());
        let memory =
            app.and_then(|r| r.memory.as_ref()).map(ToString::to_string).unwrap_or_else(|| self.memory.clone());
        (cpu, memory)
    }
}

fn one() -> Replicas {
    Replicas::Fixed(1)
}

fn no_probes() -> Probes {
    Probes { liveness: None, readiness: None, startup: None }
}
