//! What is behind, and by how much: each app's pin and locked version next to
//! the newest its pin allows and the newest the catalog publishes
//! (`paved outdated`, `paved report`).
//!
//! Only published, non-yanked versions count as something to move to, as
//! for a new resolution: a version being written, or one pulled back, is no
//! reason to call an app behind. The counts are of such versions, so "behind
//! by 2 minors" means two minor releases an upgrade would cross.

use std::collections::BTreeMap;

use semver::Version;
use serde::Serialize;

use crate::{Blueprint, Catalog};
use paved_spec::syntax::BlueprintRef;

/// One app as `paved outdated` sees it: what it asks for, what it runs, what it could run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AppVersions {
    /// The owning team.
    pub team: String,
    /// The app's name.
    pub app: String,
    /// The app file, as given on the command line.
    pub file: String,
    /// The blueprint's name.
    pub blueprint: String,
    /// The pin as written (`api@1`).
    pub pin: String,
    /// The version the app renders with: its locked one (or, with no lock entry, the one a
    /// render would lock).
    pub locked: Version,
    /// Whether the lock holds an entry for the app.
    pub in_lock: bool,
    /// The newest published, non-yanked version the pin allows (none when every one is yanked).
    pub allowed: Option<Version>,
    /// The newest published, non-yanked version of the blueprint, whatever the pin.
    pub newest: Option<Version>,
    /// A newer major version than the locked one, when the catalog has one, with how
    /// app files move to it.
    pub newer_major: Option<NewerMajor>,
    /// Why the app is not where it should be; empty when it is on the newest its pin allows
    /// and its version is neither deprecated nor yanked.
    pub findings: Vec<Finding>,
}

/// The newest version of a later major.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NewerMajor {
    /// The version, `2.0.0`.
    pub version: Version,
    /// Whether the version ships a migration (`migration.yaml`) that `paved upgrade
    /// --level major` applies to app files.
    pub migration: bool,
}

/// Something `--exit-code` fails on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase", tag = "kind")]
pub enum Finding {
    /// The locked version is deprecated, with the platform team's message.
    Deprecated {
        /// Why, and what to use instead.
        message: String,
    },
    /// The locked version is yanked: it renders, but nothing new resolves to it.
    Yanked,
    /// The pin allows newer published versions than the locked one.
    Behind {
        /// Newer minor versions within the pin's range (each counted once).
        minors: usize,
        /// Newer patches of the locked minor version.
        patches: usize,
    },
}

impl Finding {
    /// The finding in a few words, for tables: `deprecated: use api@2`, `behind 2 minors, 1 patch`.
    pub fn describe(&self) -> String {
        match self {
            Finding::Deprecated { message } => format!("deprecated: {message}"),
            Finding::Yanked => "yanked".to_owned(),
            Finding::Behind { minors, patches } => {
                let mut parts = Vec::new();
                if *minors > 0 {
                    parts.push(format!("{minors} minor{}", if *minors == 1 { "" } else { "s" }));
                }
                if *patches > 0 {
                    parts.push(format!("{patches} patch{}", if *patches == 1 { "" } else { "es" }));
                }
                format!("behind {}", parts.join(", "))
            }
        }
    }
}

impl AppVersions {
    /// The status column: every finding, or `up to date`.
    pub fn status(&self) -> String {
        match self.findings.is_empty() {
            true => "up to date".to_owned(),
            false => self.findings.iter().map(Finding::describe).collect::<Vec<_>>().join("; "),
        }
    }
}

/// How many apps run one published version (`paved outdated`'s summary).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Adoption {
    /// The blueprint's name.
    pub blueprint: String,
    /// The version.
    pub version: Version,
    /// How many of the apps run it.
    pub apps: usize,
    /// Set when the version is deprecated.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deprecated: Option<String>,
    /// Whether the version is yanked.
    pub yanked: bool,
}

/// One app's pin and the version it runs, as the CLI knows them.
#[derive(Debug, Clone, Copy)]
pub struct AppPin<'a> {
    /// The owning team.
    pub team: &'a str,
    /// The app's name.
    pub app: &'a str,
    /// The app file's name.
    pub file: &'a str,
    /// The pin as parsed.
    pub pin: &'a BlueprintRef,
    /// The exact version it runs (`api@1.0.0`).
    pub runs: &'a Blueprint,
    /// Whether the lock holds an entry for it.
    pub in_lock: bool,
}

impl Catalog {
    /// Each app next to the versions it could run.
    pub fn outdated(&self, apps: &[AppPin<'_>]) -> Vec<AppVersions> {
        apps.iter().map(|a| self.versions_of(a)).collect()
    }

    fn versions_of(&self, a: &AppPin<'_>) -> AppVersions {
        let name = &a.runs.meta.name;
        let locked = &a.runs.meta.version;
        let usable: Vec<&Blueprint> =
            self.iter().filter(|b| &b.meta.name == name && b.meta.version.pre.is_empty() && self.usable(b)).collect();
        let allows = |v: &Version| a.pin.allows(name, v.major, v.minor, v.patch);
        let allowed = usable.iter().map(|b| &b.meta.version).filter(|v| allows(v)).max().cloned();
        let newest = usable.iter().map(|b| &b.meta.version).max().cloned();
        let newer_major = usable
            .iter()
            .filter(|b| b.meta.version.major > locked.major)
            .max_by(|x, y| x.meta.version.cmp(&y.meta.version))
            .map(|b| NewerMajor { version: b.meta.version.clone(), migration: b.migration.is_some() });
        let mut findings = Vec::new();
        if let Some(publication) = &a.runs.publication {
            if let Some(message) = &publication.deprecated {
                findings.push(Finding::Deprecated { message: message.clone() });
            }
            if publication.yanked {
                findings.push(Finding::Yanked);
            }
        }
        let ahead: Vec<&Version> =
            usable.iter().map(|b| &b.meta.version).filter(|v| allows(v) && *v > locked).collect();
        if !ahead.is_empty() {
            let mut minors: Vec<(u64, u64)> = ahead
                .iter()
                .filter(|v| (v.major, v.minor) != (locked.major, locked.minor))
                .map(|v| (v.major, v.minor))
                .collect();
            minors.dedup();
            let patches = ahead.iter().filter(|v| (v.major, v.minor) == (locked.major, locked.minor)).count();
            findings.push(Finding::Behind { minors: minors.len(), patches });
        }
        AppVersions {
            team: a.team.to_owned(),
            app: a.app.to_owned(),
            file: a.file.to_owned(),
            blueprint: name.clone(),
            pin: a.pin.to_string(),
            locked: locked.clone(),
            in_lock: a.in_lock,
            allowed,
            newest,
            newer_major,
            findings,
        }
    }

    /// How many of `apps` run each version the catalog publishes (yanked ones too, while
    /// an app runs them), by blueprint then version.
    pub fn adoption(&self, apps: &[AppVersions]) -> Vec<Adoption> {
        let mut counts: BTreeMap<(&str, &Version), usize> = BTreeMap::new();
        for app in apps {
            *counts.entry((app.blueprint.as_str(), &app.locked)).or_default() += 1;
        }
        self.iter()
            .filter_map(|b| {
                let apps = counts.get(&(b.meta.name.as_str(), &b.meta.version)).copied().unwrap_or_default();
                let publication = b.publication.as_ref();
                let listed = match (self.has_index(), publication) {
                    (false, _) => true,
                    (true, Some(p)) => !p.yanked || apps > 0,
                    (true, None) => apps > 0,
                };
                listed.then(|| Adoption {
                    blueprint: b.meta.name.clone(),
                    version: b.meta.version.clone(),
                    apps,
                    deprecated: publication.and_then(|p| p.deprecated.clone()),
                    yanked: publication.is_some_and(|p| p.yanked),
                })
            })
            .collect()
    }
}
