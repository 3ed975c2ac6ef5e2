//! `paved upgrade`: move apps to newer blueprint versions, printing what that
//! does to rendered output before anything is written.
//!
//! A pin such as `api@1` never moves an app by itself: the lock holds the
//! version it was rendered with. `upgrade` is the explicit, reviewable step:
//! within a major it moves the lock; across a major it also rewrites the
//! app file's `blueprint:` pin and applies the new major's migration, in
//! place, keeping the file's comments and formatting.

use paved_blueprint::Blueprint;
use paved_render::{Charts, diff};
use paved_spec::migrate::{self, Migration};
use paved_spec::syntax::{self, BlueprintRef};
use paved_spec::{SourceFile, ValidApp};
use similar::TextDiff;

use crate::cli::{Format, Global, Level, UpgradeArgs};
use crate::inputs::{self, Setup, Versions};
use crate::renders::render_with;
use crate::{Failure, Outcome, write};

pub fn run(global: &Global, args: UpgradeArgs) -> Outcome {
    let setup = Setup::load(global, Format::Human)?;
    if setup.lock_path().is_none() {
        return Err(Failure::Error("there is no lock to move (`--lock none`)".into()));
    }
    let to = match &args.to {
        Some(pin) => Some(syntax::blueprint_ref(pin).map_err(|p| Failure::Error(format!("--to: {}", p.message)))?),
        None => None,
    };
    // An app may already use fields of the version it is to move to (that is
    // why it is moved): check it against the newest its pin allows, and move
    // it from the version its lock holds.
    let files = inputs::read_all(&inputs::discover(&args.paths)?, Format::Human)?;
    let apps = setup.validate_apps_as(files, Format::Human, Versions::Newest(to.as_ref()))?;
    if let Some(to) = &to {
        if !apps.iter().any(|a| a.blueprint.name == to.name) {
            return Err(Failure::Error(format!("--to: no app here uses blueprint `{}`", to.name)));
        }
    }
    let mut moved = Vec::new();
    let mut rewrites = Vec::new();
    for app in &apps {
        let current = setup.blueprint_of(app)?;
        let Some(target) = target(&setup, app, current, to.as_ref(), args.level)? else { continue };
        if target.id == current.id {
            continue;
        }
        let mut upgraded = app.clone();
        let crosses_major = target.meta.version.major != current.meta.version.major;
        if crosses_major || !satisfies(&app.blueprint, target) {
            // The pin no longer allows the target: rewrite it (as precise as it
            // was); across a major, apply the migration; check the file again.
            let pin = repin(&app.blueprint, target);
            let mut text = migrate::rewrite_pin(&app.file.text, &pin)
                .map_err(|e| Failure::Error(format!("{}: {e}", app.file.name)))?;
            if let Some(source) = target.migration.as_ref().filter(|_| crosses_major) {
                let migration: Migration = paved_yaml::load_one(source, paved_yaml::Limits::default())
                    .map_err(|e| e.message)
                    .and_then(|n| serde_json::from_value(n.to_json()).map_err(|e| e.to_string()))
                    .map_err(|e| Failure::Error(format!("{}/migration.yaml: {e}", target.folder)))?;
                text =
                    migrate::apply(&text, &migration).map_err(|e| Failure::Error(format!("{}: {e}", app.file.name)))?;
            }
            let file = SourceFile { name: app.file.name.clone(), text: text.clone() };
            let resolve = |_: &BlueprintRef, _: &str| Ok(setup.catalog.rules_of(target));
            upgraded = paved_spec::validate_app(file, &setup.platform, &resolve).map_err(|diagnostics| {
                crate::report::print(&diagnostics, Format::Human);
                Failure::Error(format!("{} would not be valid for {} after the migration", app.file.name, target.id))
            })?;
            let diff = TextDiff::from_lines(app.file.text.as_str(), text.as_str());
            out!("{}", diff.unified_diff().header(&app.file.name, &format!("{} (upgraded)", app.file.name)));
            rewrites.push((app.file.name.clone(), text));
        }
        upgraded.blueprint_id = target.id.clone();
        let before = render_with(&setup, std::slice::from_ref(app), current, Charts::Skip)?;
        let after = render_with(&setup, std::slice::from_ref(&upgraded), target, Charts::Skip)?;
        out!(
            "{}/{}: {} → {}\n{}",
            app.app.team,
            app.app.name,
            current.id,
            target.id,
            diff::text(&diff::diff(&before, &after))
        );
        moved.push(upgraded);
    }
    if moved.is_empty() {
        eprintln!("every app is on the newest version allowed");
        return Ok(());
    }
    if args.dry_run {
        eprintln!("dry run: {} apps would move; nothing written", moved.len());
        return Ok(());
    }
    if global.locked {
        return Err(Failure::Error("`--locked` forbids changing the lock, which is what upgrade does".into()));
    }
    for (path, text) in &rewrites {
        write::file(std::path::Path::new(path), text)?;
        eprintln!("rewrote {path}");
    }
    setup.update_lock(&moved)
}

/// Whether `pin` allows `blueprint`.
fn satisfies(pin: &BlueprintRef, blueprint: &Blueprint) -> bool {
    let v = &blueprint.meta.version;
    pin.allows(&blueprint.meta.name, v.major, v.minor, v.patch)
}

/// A pin for `target` as precise as `pin` was (`api@2`, `api@2.1`, `api@2.1.0`).
fn repin(pin: &BlueprintRef, target: &Blueprint) -> String {
    let v = &target.meta.version;
    match (pin.minor, pin.patch) {
        (None, _) => format!("{}@{}", target.meta.name, v.major),
        (Some(_), None) => format!("{}@{}.{}", target.meta.name, v.major, v.minor),
        (Some(_), Some(_)) => format!("{}@{}", target.meta.name, v),
    }
}

/// The version `app` moves to, or `None` when the upgrade does not concern it.
fn target<'a>(
    setup: &'a Setup,
    app: &ValidApp,
    current: &Blueprint,
    to: Option<&BlueprintRef>,
    level: Level,
) -> Result<Option<&'a Blueprint>, Failure> {
    let name = current.meta.name.clone();
    let wanted = match to {
        Some(to) if to.name != name => return Ok(None),
        Some(to) => to.clone(),
        None => {
            let v = &current.meta.version;
            match level {
                Level::Patch => BlueprintRef { name, major: v.major, minor: Some(v.minor), patch: None },
                Level::Minor => app.blueprint.clone(),
                Level::Major => {
                    let newest = setup
                        .catalog
                        .iter()
                        .filter(|b| b.meta.name == name && b.publication.as_ref().is_some_and(|p| !p.yanked))
                        .map(|b| b.meta.version.major)
                        .max()
                        .unwrap_or(v.major);
                    BlueprintRef { name, major: newest, minor: None, patch: None }
                }
            }
        }
    };
    setup.catalog.resolve(&wanted).map(Some).map_err(|p| Failure::Error(format!("{}: {}", app.file.name, p.message)))
}
