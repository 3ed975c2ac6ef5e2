//! What the fleet views (`paved outdated`, `paved images`, `paved report`)
//! gather from a set of valid apps: each app's versions, every image it
//! deploys, the apps of each environment for its call graph. The commands
//! share it through this module, as rendering commands share `renders.rs`.

use std::collections::HashMap;
use std::path::Path;

use paved_blueprint::outdated::{Adoption, AppPin, AppVersions};
use paved_jsonschema::quote;
use paved_render::Charts;
use paved_render::ImageOverride;
use paved_render::images::{self, ImageUse};
use paved_render::output::TREE_MARKER;
use paved_render::output::paths::EnvFolder;
use paved_spec::ValidApp;

use crate::Failure;
use crate::inputs::Setup;
use crate::renders::Renders;

/// Each app next to the versions it could run, in the apps' order.
pub fn versions(setup: &Setup, apps: &[ValidApp]) -> Result<Vec<AppVersions>, Failure> {
    let mut pins = Vec::with_capacity(apps.len());
    for app in apps {
        pins.push(AppPin {
            team: &app.app.team,
            app: &app.app.name,
            file: &app.file.name,
            pin: &app.blueprint,
            runs: setup.blueprint_of(app)?,
            in_lock: setup.has_lock_entry(app),
        });
    }
    Ok(setup.catalog.outdated(&pins))
}

/// Every container of every app in `envs`, in output order (environment, team, app,
/// object). With `tree`, a tree `paved render --out` wrote, each app image is the one its
/// `promoted.yaml` deploys.
pub fn images(
    setup: &Setup,
    apps: &[ValidApp],
    envs: &[String],
    tree: Option<&Path>,
) -> Result<Vec<ImageUse>, Failure> {
    if let Some(dir) = tree {
        if !dir.join(TREE_MARKER).is_file() {
            return Err(Failure::Error(format!(
                "--out: {} is not a tree paved wrote (no `{TREE_MARKER}`)\n\nhelp: pass the folder `paved render --out DIR` wrote",
                quote(&dir.display().to_string())
            )));
        }
    }
    // The app's own image repository in each environment (an environment may override `image`).
    let repositories: HashMap<(&str, &str, &str), String> = apps
        .iter()
        .flat_map(|app| {
            app.environments.iter().map(move |(env, effective)| {
                let repository = images::repository(&effective.image).to_owned();
                ((app.app.team.as_str(), app.app.name.as_str(), env.as_str()), repository)
            })
        })
        .collect();
    let image = ImageOverride::default();
    let renders = Renders::new(setup, apps, envs, &image, Charts::Skip);
    let mut out = Vec::new();
    renders.in_batches(&mut |batch| {
        for rendered in &batch {
            let key = (rendered.team.as_str(), rendered.app.as_str(), rendered.environment.as_str());
            let repository = repositories.get(&key).map(String::as_str).unwrap_or_default();
            let mut uses = images::images_of(rendered, repository);
            if let Some(dir) = tree {
                let folder = EnvFolder { team: &rendered.team, app: &rendered.app, environment: &rendered.environment };
                if let Some(promoted) = read_promoted(&dir.join(folder.promoted()))? {
                    uses.iter_mut().for_each(|u| u.promote(&promoted));
                }
            }
            out.extend(uses);
        }
        Ok(())
    })?;
    Ok(out)
}

/// A `promoted.yaml` as data, or `None` when the pipeline has not promoted yet.
fn read_promoted(path: &Path) -> Result<Option<serde_json::Value>, Failure> {
    if !path.is_file() {
        return Ok(None);
    }
    let text = fs_err::read_to_string(path)?;
    let node = paved_yaml::load_one(&text, paved_yaml::Limits::default()).map_err(|e| {
        Failure::Error(format!("{}:{}:{}: {}", path.display(), e.span.start.line, e.span.start.column, e.message))
    })?;
    Ok(Some(node.to_json()))
}

/// The apps rendered in `env`: those whose team uses it (all, without `--teams`).
pub fn apps_in<'a>(apps: &'a [ValidApp], env: &str) -> Vec<&'a ValidApp> {
    apps.iter().filter(|app| app.environments.iter().any(|(e, _)| e == env)).collect()
}

/// The cells of one app's row: team, app, pin, locked, allowed, newest, status.
pub fn cells(row: &AppVersions) -> [String; 7] {
    let version = |v: &Option<semver::Version>| v.as_ref().map_or_else(|| "none".to_owned(), ToString::to_string);
    let locked = match row.in_lock {
        true => row.locked.to_string(),
        false => format!("{} (not locked)", row.locked),
    };
    let newest = match &row.newer_major {
        Some(major) => {
            format!("{} (major; {})", major.version, if major.migration { "with a migration" } else { "no migration" })
        }
        None => version(&row.newest),
    };
    [row.team.clone(), row.app.clone(), row.pin.clone(), locked, version(&row.allowed), newest, row.status()]
}

/// The columns of the outdated table (`cells`).
pub const HEADER: [&str; 7] = ["team", "app", "pin", "locked", "pin allows", "newest", "status"];
/// The columns of the adoption table (`adoption_cells`).
pub const ADOPTION_HEADER: [&str; 4] = ["blueprint", "version", "apps", "status"];

/// The cells of one version's adoption row.
pub fn adoption_cells(a: &Adoption) -> [String; 4] {
    let status = match (&a.deprecated, a.yanked) {
        (_, true) => "yanked".to_owned(),
        (Some(message), false) => format!("deprecated: {message}"),
        (None, false) => "published".to_owned(),
    };
    [a.blueprint.clone(), a.version.to_string(), a.apps.to_string(), status]
}

/// The columns of the image inventory (`image_cells`).
pub const IMAGES_HEADER: [&str; 7] = ["environment", "team", "app", "workload", "container", "role", "image"];

/// The cells of one container's row.
pub fn image_cells(u: &ImageUse) -> [String; 7] {
    [
        u.environment.clone(),
        u.team.clone(),
        u.app.clone(),
        format!("{}/{}", u.kind, u.workload),
        u.container.clone(),
        u.role.as_str().to_owned(),
        u.image.clone(),
    ]
}
