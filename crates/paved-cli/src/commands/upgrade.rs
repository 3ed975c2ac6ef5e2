//! `paved upgrade`: move apps to the newest blueprint version their pins
//! allow, printing what that does to rendered output before the lock moves.
//!
//! A pin such as `api@1` never moves an app by itself: the lock holds the
//! version it was rendered with. `upgrade` is the explicit, reviewable step:
//! the printed diff is what the pull request will show.

use paved_render::diff;

use crate::cli::{Format, Global, UpgradeArgs};
use crate::commands::blueprint::render_with;
use crate::inputs::{self, Setup};
use crate::{Failure, Outcome};

pub fn run(global: &Global, args: UpgradeArgs) -> Outcome {
    let setup = Setup::load(global, Format::Human)?;
    if setup.lock_path().is_none() {
        return Err(Failure::Error("there is no lock to move (`--lock none`)".into()));
    }
    let apps = setup.validate_apps(inputs::read_all(&inputs::discover(&args.paths)?)?, Format::Human)?;
    let mut moved = Vec::new();
    for app in &apps {
        let current = setup.blueprint_of(app)?;
        let newest = setup
            .catalog
            .resolve(&app.blueprint)
            .map_err(|p| Failure::Error(format!("{}: {}", app.file.name, p.message)))?;
        if newest.id == current.id {
            continue;
        }
        let before = render_with(&setup, std::slice::from_ref(app), current)?;
        let after = render_with(&setup, std::slice::from_ref(app), newest)?;
        print!(
            "{}/{}: {} → {}\n{}",
            app.app.team,
            app.app.name,
            current.id,
            newest.id,
            diff::text(&diff::diff(&before, &after))
        );
        let mut upgraded = app.clone();
        upgraded.blueprint_id = newest.id.clone();
        moved.push(upgraded);
    }
    if moved.is_empty() {
        eprintln!("every app is on the newest version its pin allows");
        return Ok(());
    }
    if args.dry_run {
        eprintln!("dry run: {} apps would move; nothing written", moved.len());
        return Ok(());
    }
    setup.update_lock(&moved)
}
