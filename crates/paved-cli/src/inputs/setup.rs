//! The [`Setup`]: what every command reads before it looks at apps (the
//! platform file, the catalog, the lock, the team files), and the checks that
//! turn files into valid apps and teams.

use std::collections::BTreeMap;
use std::path::PathBuf;

use rayon::prelude::*;

use paved_blueprint::lock::Lock;
use paved_blueprint::{Blueprint, Catalog};
use paved_render::Engine;
use paved_spec::platform::{DEFAULT_PLATFORM, Platform};
use paved_spec::team::TeamFile;
use paved_spec::{Diagnostic, SourceFile, ValidApp};

use super::discover::{discover_teams, display, read, read_all};
use super::lock::{lock_at_revision, read_lock};
use crate::cli::{Format, Global};
use crate::{Failure, report};

/// Which version an app is checked against (see [`Setup::validate_apps_as`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Versions<'a> {
    /// The version `paved.lock` holds (else the newest the pin allows).
    Locked,
    /// The newest version the pin allows, whatever the lock holds, or the newest
    /// this pin allows for apps of its blueprint (`paved upgrade --to`).
    Newest(Option<&'a paved_spec::syntax::BlueprintRef>),
}

/// Everything a command needs before it looks at apps.
#[derive(Debug)]
pub struct Setup {
    pub platform: Platform,
    pub catalog: Catalog,
    /// Print notes (`--verbose`).
    pub verbose: bool,
    /// Where the lock file is (`None`: `--lock none`).
    pub(super) lock_path: Option<PathBuf>,
    /// The lock as read.
    pub(super) lock: Lock,
    /// `--locked`: the lock must not change.
    pub(super) locked: bool,
    /// `--teams DIR`: the team files by team, and the folder they came from.
    teams: Option<(String, BTreeMap<String, TeamFile>)>,
    /// The templates of the catalog, each version compiled once for the
    /// whole command (however many renders it does).
    pub engine: Engine,
}

impl Setup {
    pub fn load(global: &Global, format: Format) -> Result<Setup, Failure> {
        let file = match &global.platform {
            Some(path) => match read(path)? {
                Ok(file) => file,
                Err(problem) => {
                    report::print(&[problem], format);
                    return Err(Failure::Findings);
                }
            },
            None => SourceFile { name: "<embedded platform.yaml>".into(), text: DEFAULT_PLATFORM.into() },
        };
        let platform = checked_platform(file, format)?;
        let catalog = match &global.blueprints {
            Some(dir) => Catalog::from_dir(dir),
            None => Catalog::embedded(),
        }
        .map_err(|e| Failure::Error(format!("blueprint catalog: {e}")))?;
        let (lock_path, lock) = read_lock(global)?;
        let engine = Engine::new(&catalog);
        let teams = match &global.teams {
            Some(dir) => Some((display(dir), load_teams(std::slice::from_ref(dir), &platform, format)?)),
            None => None,
        };
        Ok(Setup { platform, catalog, verbose: global.verbose, lock_path, lock, locked: global.locked, teams, engine })
    }

    /// Validate every app file; all problems of all files are reported at once.
    pub fn validate_apps(&self, files: Vec<SourceFile>, format: Format) -> Result<Vec<ValidApp>, Failure> {
        self.validate_apps_as(files, format, Versions::Locked)
    }

    /// Validate every app file against the version the lock holds for it
    /// (`Versions::Locked`), or against the newest its pin allows, with
    /// `ValidApp::blueprint_id` still the locked version (`Versions::Newest`):
    /// `paved upgrade` takes apps already written for the version it moves to.
    pub fn validate_apps_as(
        &self,
        files: Vec<SourceFile>,
        format: Format,
        versions: Versions<'_>,
    ) -> Result<Vec<ValidApp>, Failure> {
        let mut apps = Vec::new();
        let mut problems: Vec<Diagnostic> = Vec::new();
        let resolve = |r: &paved_spec::syntax::BlueprintRef, id: &str| {
            match versions {
                Versions::Locked => self.catalog.resolve_locked(r, self.lock.apps.get(id)),
                // Across a major the migration changes the file first: check it as it is.
                Versions::Newest(Some(to)) if to.name == r.name && to.major == r.major => self.catalog.resolve(to),
                Versions::Newest(_) => self.catalog.resolve(r),
            }
            .map(|b| self.catalog.rules_of(b))
        };
        // Each file on its own, in parallel; results in the files' order.
        let results: Vec<_> =
            files.into_par_iter().map(|file| paved_spec::validate_app(file, &self.platform, &resolve)).collect();
        for result in results {
            match result {
                Ok(app) => apps.push(app),
                Err(diagnostics) => problems.extend(diagnostics),
            }
        }
        // The rules about the set: team files (with `--teams`), each app once.
        if let Some((dir, teams)) = &self.teams {
            problems.extend(paved_spec::check_teams(&mut apps, teams, dir));
        }
        problems.extend(paved_spec::duplicate_apps(&apps));
        // Output order: by team, then app (then file, for a report of repeats).
        apps.sort_by(|a, b| (&a.app.team, &a.app.name, &a.file.name).cmp(&(&b.app.team, &b.app.name, &b.file.name)));
        // Both ends of every call must agree (only checkable when each file is valid).
        if problems.is_empty() {
            let report = paved_spec::check_calls(&apps);
            problems.extend(report.errors);
            if self.verbose {
                for note in report.notes {
                    eprintln!("{note}");
                }
            }
        }
        if versions != Versions::Locked {
            for app in &mut apps {
                let id = format!("{}/{}", app.app.team, app.app.name);
                if let Some(entry) = self.lock.apps.get(&id).filter(|e| self.catalog.get(&e.blueprint).is_some()) {
                    app.blueprint_id = entry.blueprint.clone();
                }
            }
        }
        if problems.is_empty() {
            Ok(apps)
        } else {
            report::print(&problems, format);
            Err(Failure::Findings)
        }
    }

    /// The same catalog and options with another platform file and lock, as
    /// they were at a git revision (`paved diff --base`). Nothing is written.
    pub fn at_revision(&self, platform: SourceFile, lock: Option<&str>, format: Format) -> Result<Setup, Failure> {
        let platform = checked_platform(platform, format)?;
        let lock = lock_at_revision(lock)?;
        Ok(Setup {
            platform,
            catalog: self.catalog.clone(),
            verbose: self.verbose,
            lock_path: None,
            lock,
            locked: false,
            teams: self.teams.clone(),
            engine: Engine::new(&self.catalog),
        })
    }

    /// The exact blueprint version a valid app renders with.
    pub fn blueprint_of(&self, app: &ValidApp) -> Result<&Blueprint, Failure> {
        self.catalog
            .get(&app.blueprint_id)
            .ok_or_else(|| Failure::Error(format!("{}: `{}` is not in the catalog", app.file.name, app.blueprint_id)))
    }

    /// A blueprint version's own test cases, validated against that version
    /// (whatever their pins say); problems are reported (exit 1).
    pub fn test_case_apps(&self, blueprint: &Blueprint) -> Result<Vec<ValidApp>, Failure> {
        let mut apps = Vec::new();
        let mut problems = Vec::new();
        for case in &blueprint.tests {
            let file = SourceFile { name: format!("blueprints/{}", case.path), text: case.text.clone() };
            let resolve = |_: &paved_spec::syntax::BlueprintRef, _: &str| Ok(self.catalog.rules_of(blueprint));
            match paved_spec::validate_app(file, &self.platform, &resolve) {
                Ok(app) => apps.push(app),
                Err(d) => problems.extend(d),
            }
        }
        if !problems.is_empty() {
            report::print(&problems, Format::Human);
            return Err(Failure::Findings);
        }
        Ok(apps)
    }
}

/// A platform file, checked; its problems are reported.
fn checked_platform(file: SourceFile, format: Format) -> Result<Platform, Failure> {
    paved_spec::validate_platform(file).map_err(|diagnostics| {
        report::print(&diagnostics, format);
        Failure::Findings
    })
}

/// The team files named by `paths` (files, or folders of them; default
/// `teams`), validated, by team; problems are reported (exit 1).
pub fn load_teams(
    paths: &[PathBuf],
    platform: &Platform,
    format: Format,
) -> Result<BTreeMap<String, TeamFile>, Failure> {
    let files = read_all(&discover_teams(paths)?, format)?;
    paved_spec::validate_teams(files, platform).map_err(|problems| {
        report::print(&problems, format);
        Failure::Findings
    })
}
