//! The team file (`teams/<team>.yaml`): what a team's landing zone is made of.
//!
//! The platform team keeps one file per team: its Entra ID groups, its quota,
//! and, optionally, the environments it uses with per-environment quota
//! overrides. `paved landing-zone` renders it, per environment, into the
//! namespace, quota, limits, access and Argo CD projects the team's apps are
//! deployed into.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::app::Quantity;

/// A team file (`teams/<team>.yaml`): one team's landing zone.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[schemars(title = "paved team file")]
pub struct TeamFile {
    /// The team: a DNS-1123 label, the same name app files give in `team`. The file is `teams/<team>.yaml`.
    #[schemars(length(min = 1, max = 63), regex(pattern = r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$"))]
    pub team: String,
    /// The team's Entra ID (Azure AD) groups, by object ID.
    pub groups: Groups,
    /// What the team's namespace may request in every environment, unless the environment overrides it.
    pub quota: Quota,
    /// The environments the team uses, each with optional overrides, such as `prod: {quota: {cpu: "40"}}` (`dev: {}` for none). Default: every environment of the platform file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub environments: Option<BTreeMap<String, TeamEnvironment>>,
}

/// The team's groups, as Entra ID object IDs (lowercase UUIDs, as in tokens).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Groups {
    /// The group that administers the team's namespaces (Role `paved-team-admin`, `docs/landing-zones.md`).
    pub admins: String,
    /// The team's developers (Role `paved-team-developer`; `paved-team-viewer`, read-only, in production).
    pub developers: String,
}

/// What a namespace may request in total.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Quota {
    /// CPU requests of all pods together, in cores (`"20"`) or millicores (`20000m`).
    pub cpu: Quantity,
    /// Memory requests (and limits) of all pods together: `64Gi`.
    pub memory: Quantity,
    /// Storage all volume claims together may request: `500Gi`. Default: no storage quota.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub storage: Option<Quantity>,
}

/// One environment the team uses.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct TeamEnvironment {
    /// Quota for this environment, field by field over the team's `quota`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quota: Option<QuotaOverride>,
}

/// Quota fields to change in one environment.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct QuotaOverride {
    /// CPU requests of all pods together in this environment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cpu: Option<Quantity>,
    /// Memory requests (and limits) of all pods together in this environment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memory: Option<Quantity>,
    /// Storage of all volume claims together in this environment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub storage: Option<Quantity>,
}

impl TeamFile {
    /// Whether the team uses `environment`.
    pub fn uses(&self, environment: &str) -> bool {
        self.environments.as_ref().is_none_or(|envs| envs.contains_key(environment))
    }

    /// The quota in `environment`: the team's, with the environment's overrides.
    pub fn quota_in(&self, environment: &str) -> Quota {
        let mut quota = self.quota.clone();
        let over = self.environments.as_ref().and_then(|envs| envs.get(environment)).and_then(|e| e.quota.as_ref());
        if let Some(over) = over {
            if let Some(cpu) = &over.cpu {
                quota.cpu = cpu.clone();
            }
            if let Some(memory) = &over.memory {
                quota.memory = memory.clone();
            }
            if over.storage.is_some() {
                quota.storage = over.storage.clone();
            }
        }
        quota
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(q: &Quantity) -> String {
        q.to_string()
    }

    #[test]
    fn environments_override_the_quota_field_by_field() {
        let team = TeamFile {
            team: "payments".into(),
            groups: Groups { admins: "a".into(), developers: "d".into() },
            quota: Quota { cpu: Quantity::Text("20".into()), memory: Quantity::Text("64Gi".into()), storage: None },
            environments: Some(BTreeMap::from([
                ("dev".into(), TeamEnvironment::default()),
                (
                    "prod".into(),
                    TeamEnvironment {
                        quota: Some(QuotaOverride {
                            cpu: Some(Quantity::Text("40".into())),
                            memory: None,
                            storage: Some(Quantity::Text("1Ti".into())),
                        }),
                    },
                ),
            ])),
        };
        assert!(team.uses("dev") && team.uses("prod") && !team.uses("test"));
        let prod = team.quota_in("prod");
        assert_eq!((text(&prod.cpu), text(&prod.memory)), ("40".into(), "64Gi".into()));
        assert_eq!(prod.storage.as_ref().map(text), Some("1Ti".into()));
        let dev = team.quota_in("dev");
        assert_eq!((text(&dev.cpu), dev.storage), ("20".into(), None));
    }
}
